// expect-gcc: check_source_has_id<Customer, [^,]*"orders"}, false>
// expect: relata: the model declaring this relation has no single relata::id member
//
// has_many joins from the source's id by default; this Customer has none.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer, (std::string, name), (relata::has_many<Order>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::string, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
