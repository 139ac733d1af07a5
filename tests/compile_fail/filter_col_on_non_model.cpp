// expect-gcc: check_condition_model<Plain, false>
// expect: relata: conditions, orders and field lists name members of a model declared with
//
// `col` on a struct that is not a model.
#include <relata/filter.hpp>

struct Plain {
  int x = 0;
};

int main() {
  auto w = relata::col(&Plain::x) == 1;
  return w.empty() ? 1 : 0;
}
