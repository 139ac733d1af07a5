// expect-gcc: check_like_on_text<double, false>
// expect: relata: like, nlike, ilike and nilike apply to text properties only
//
// A pattern match on a number.
#include <cstdint>

#include <relata/filter.hpp>

struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (double, total));
};

int main() {
  auto w = relata::col(&Order::total).like("3%");
  return w.empty() ? 1 : 0;
}
