// expect-gcc: check_value_type<long int, double, false>
// expect: relata: the value's type does not match the property's type in this condition
//
// An integer property compared with a floating-point value (2.5 would be truncated).
#include <cstdint>

#include <relata/filter.hpp>

struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, quantity));
};

int main() {
  auto w = relata::col(&Order::quantity) > 2.5;
  return w.empty() ? 1 : 0;
}
