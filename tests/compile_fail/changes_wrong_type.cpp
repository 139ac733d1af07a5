// expect-gcc: check_change_value_type<double, char \[2\], false>
// expect: relata: the value's type does not match the property's type in this change
//
// A change set giving text to a number.
#include <cstdint>

#include <relata/changes.hpp>

struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (double, total));
};

int main() {
  relata::changes<Order> c{{&Order::total, "4"}};
  return c.empty() ? 1 : 0;
}
