// expect-gcc: check_value_type<bool, int, false>
// expect: relata: the value's type does not match the property's type in this condition
//
// A bool property compared with an int.
#include <cstdint>

#include <relata/filter.hpp>

struct Task {
  RELATA_MODEL(Task, (relata::id<std::int64_t>, id), (bool, done));
};

int main() {
  auto w = relata::col(&Task::done) == 1;
  return w.empty() ? 1 : 0;
}
