// expect-gcc: belongs_to<Customer, relata::on_delete<
// expect: relata: relata::on_delete applies to has_many, has_one and many-to-many relations
//
// A delete rule on the belongsTo side, which does not own the delete it would rule.
#include <cstdint>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer, relata::on_delete<relata::delete_rule::cascade>>,
                customer));
};

int main() { return static_cast<int>(relata::definition_of<Order>().relations.size()); }
