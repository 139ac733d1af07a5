// expect-gcc: check_set_null_key_is_optional<Customer, Order, false>
// expect: relata: relata::delete_rule::set_null sets the target's foreign key to null
//
// set_null on a hasMany whose foreign key cannot hold a null.
#include <cstdint>

#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Order, relata::on_delete<relata::delete_rule::set_null>>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
