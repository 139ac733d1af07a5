// expect-gcc: check_key_from_exists<Customer, [^,]*"orders"}, [^,]*"code"}, false>
// expect: relata: the relation's key_from is not a property of the model that declares
//
// A has_many's key_from names a property its own model does not have.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Order, relata::key_from<"code">>, orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
