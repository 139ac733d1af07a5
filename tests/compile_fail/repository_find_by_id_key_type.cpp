// expect-gcc: check_id_argument<long int, double, false>
// expect: relata: the id given does not have the type of the model's id
//
// find_by_id on an integer id given a double, which would be truncated.
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

int total(relata::datasource& db) {
  relata::repository<Order> orders{db};
  return static_cast<int>(orders.find_by_id(2.5).customer_id);
}

int main() { return 0; }
