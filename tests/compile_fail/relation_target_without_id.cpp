// expect-gcc: check_target_has_id<Order, [^,]*"warehouse"}, Warehouse, false>
// expect: relata: the relation's target model has no single relata::id member to refer to
//
// belongs_to refers to the target's id by default; Warehouse has none.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct Warehouse {
  RELATA_MODEL(Warehouse, (std::string, code));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::string, warehouse_id),
               (relata::belongs_to<Warehouse>, warehouse));
};

int main() { return static_cast<int>(relata::definition_of<Order>().relations.size()); }
