// expect-gcc: check_change_value_type<std::.*string.*, std::nullopt_t, false>
// expect: relata: the value's type does not match the property's type in this change
// expect: std::nullopt only for std::optional properties
//
// std::nullopt for a property that is not a std::optional.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/changes.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};

int main() {
  relata::changes<Customer> c;
  c.set(&Customer::name, std::nullopt);
  return c.empty() ? 1 : 0;
}
