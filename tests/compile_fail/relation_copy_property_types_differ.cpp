// expect-gcc: check_copied_property_types<Customer, .*orders.*, Order, .*region
// expect: relata: relata::copy_property copies between properties of different types
//
// A copied property whose target has another type than its source.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, region),
               (relata::has_many<Order, relata::copy_property<"region", "region">>, orders));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, region),
               (std::int64_t, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
