// expect-gcc: belongs_to<Customer, relata::through<Link> >
// expect: relata: relata::through applies to has_many relations only
//
// relata::through on a belongs_to.
#include <cstdint>

#include <relata/relations.hpp>

struct Link;
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer, relata::through<Link>>, customer));
};
struct Link {
  RELATA_MODEL(Link, (relata::id<std::int64_t>, id));
};

int main() { return static_cast<int>(relata::definition_of<Order>().relations.size()); }
