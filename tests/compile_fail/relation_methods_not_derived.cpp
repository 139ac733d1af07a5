// expect-gcc: check_methods_derive<
// expect: relata: relata::methods<Methods>: Methods<R> must derive publicly from R, the
//
// Methods that do not derive from the relation's repository cannot use its calls.
#include <cstdint>
#include <string>

#include <relata/memory.hpp>
#include <relata/relata.hpp>

template <class Orders>
struct order_methods {
  Orders orders;
};

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Order, relata::methods<order_methods>>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};

int main() {
  relata::memory::datasource db;
  relata::repository<Customer> customers{db};
  (void)customers.orders(1);
}
