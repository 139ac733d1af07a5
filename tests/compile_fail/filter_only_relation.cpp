// expect: relata: relata::only lists stored properties, not relations
//
// A field list naming a relation.
#include <cstdint>

#include <relata/filter.hpp>
#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (relata::has_many<Order>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};

int main() {
  relata::filter<Customer> f{.fields = relata::only(&Customer::id, &Customer::orders)};
  return f.lower().fields.properties.size() == 2 ? 0 : 1;
}
