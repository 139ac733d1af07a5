// expect-gcc: check_belongs_to_foreign_key_exists<Order, [^,]*"buyer"}, [^,]*"buyer_id"}, false>
// expect: relata: the belongs_to relation's foreign key is not a property of the model
//
// belongs_to<Customer> named `buyer` infers Order::buyer_id, which Order does not declare.
#include <cstdint>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer>, buyer));
};

int main() { return static_cast<int>(relata::definition_of<Order>().relations.size()); }
