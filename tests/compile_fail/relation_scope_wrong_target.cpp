// expect-gcc: check_relation_scope<Customer, [^,]*"orders"}, orders_of_ada
// expect: relata: relata::scope<F> takes a default-constructible type whose operator\(\)\(\)
//
// A relation's scope that filters another model than the relation's target.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Customer;
struct orders_of_ada {
  relata::filter<Customer> operator()() const;
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Order, relata::scope<orders_of_ada>>, orders));
};
relata::filter<Customer> orders_of_ada::operator()() const {
  return {.where = relata::col(&Customer::name) == "Ada"};
}

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
