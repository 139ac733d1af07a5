// expect: relata: relata::some, relata::none and relata::every take a relation member
//
// A relation condition on a stored property instead of a relation.
#include <cstdint>
#include <string>

#include <relata/filter.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};

int main() {
  auto w = relata::some(&Customer::name);
  return w.empty() ? 0 : 1;
}
