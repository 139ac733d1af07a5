// expect-gcc: check_key_types_match<Customer, [^,]*"orders"}, [^,]*"id"}, Order,
// expect-gcc: "customer_id"}, false>
// expect: relata: the relation's keys have different types; a foreign key must have the type
//
// Order::customer_id is text, Customer's id an integer.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (relata::has_many<Order>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::string, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
