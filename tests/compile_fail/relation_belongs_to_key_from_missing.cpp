// expect-gcc: check_belongs_to_foreign_key_exists<Order, [^,]*"customer"}, [^,]*"owner_id"},
// expect: relata: the belongs_to relation's foreign key is not a property of the model
//
// A belongs_to whose explicit key_from does not exist.
#include <cstdint>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer, relata::key_from<"owner_id">>, customer));
};

int main() { return static_cast<int>(relata::definition_of<Order>().relations.size()); }
