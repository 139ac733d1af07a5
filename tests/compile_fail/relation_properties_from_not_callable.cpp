// expect-gcc: check_properties_from_callable<Customer, .*orders.*, stamp, Order
// expect: relata: relata::properties_from takes a default-constructible type callable as
//
// A properties_from function that takes the wrong target type.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Customer;
struct Order;
struct stamp {
  void operator()(const Customer&, Customer&) const {}
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, region),
               (relata::has_many<Order, relata::properties_from<stamp>>, orders));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::string, region),
               (std::int64_t, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
