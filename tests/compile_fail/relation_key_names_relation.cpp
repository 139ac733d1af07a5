// expect-gcc: check_key_is_property<Customer, [^,]*"orders"}, Order, [^,]*"customer"}, false>
// expect: relata: a relation key must name a stored property, not a relation
//
// key_to names the target's belongs_to member instead of its foreign-key property.
#include <cstdint>

#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Order, relata::key_to<"customer">>, orders));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer>, customer));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
