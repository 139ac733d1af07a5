// expect-gcc: check_key_argument<long int, char \[3\], false>
// expect: relata: the key given to a relation accessor does not have the type of the relation
//
// A hasMany accessor given text for an integer key.
#include <cstdint>

#include <relata/repository.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (relata::has_many<Order>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};

std::uint64_t count(relata::datasource& db) {
  relata::repository<Customer> customers{db};
  return customers.orders("42").count();
}

int main() { return 0; }
