// expect-gcc: check_value_type<std::.*string.*, int, false>
// expect: relata: the value's type does not match the property's type in this condition
//
// A text property compared with a number.
#include <cstdint>
#include <string>

#include <relata/filter.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};

int main() {
  auto w = relata::col(&Customer::name) == 42;
  return w.empty() ? 1 : 0;
}
