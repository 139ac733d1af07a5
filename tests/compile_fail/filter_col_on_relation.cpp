// expect-gcc: check_condition_on_property<Customer, relata::has_many<Order>, false>
// expect: relata: this member is a relation; compare stored properties, or test related rows
//
// `col` names a relation member: relations are tested with relata::some/none/every.
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
  auto o = relata::col(&Customer::orders);
  return o.index() == 0 ? 1 : 0;
}
