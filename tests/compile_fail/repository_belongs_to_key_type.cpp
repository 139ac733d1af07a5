// expect-gcc: check_id_argument<long int, double, false>
// expect: relata: the id given does not have the type of the model's id
//
// A belongsTo accessor takes the source's id: a double would be truncated.
#include <cstdint>

#include <relata/repository.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer>, customer));
};

bool owned(relata::datasource& db) {
  relata::repository<Order> orders{db};
  return orders.customer(2.5).has_value();
}

int main() { return 0; }
