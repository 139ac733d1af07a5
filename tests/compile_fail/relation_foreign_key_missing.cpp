// expect-gcc: check_foreign_key_exists_on_target<Customer, [^,]*"orders"}, Order,
// expect-gcc: "customer_id"}, false>
// expect: relata: the relation's foreign key is not a property of the target model
//
// has_many<Order> infers Order::customer_id, which Order does not declare.
#include <cstdint>

#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (relata::has_many<Order>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, buyer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
