// expect-gcc: check_copied_property_on_target<Customer, .*orders.*, Order, .*regio
// expect: relata: relata::copy_property copies into a property the relation's target
//
// A copied property the target does not have (a typo: "regio").
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, region),
               (relata::has_many<Order, relata::copy_property<"region", "regio">>, orders));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::string, region),
               (std::int64_t, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
