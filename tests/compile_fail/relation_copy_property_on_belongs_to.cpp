// expect-gcc: belongs_to<Customer, relata::copy_property<
// expect: relata: relata::copy_property and relata::properties_from apply to has_many, has_one
//
// Copied properties on a belongsTo, whose accessor creates nothing to copy into.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, region));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::string, region),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer, relata::copy_property<"region", "region">>, customer));
};

int main() { return static_cast<int>(relata::definition_of<Order>().relations.size()); }
