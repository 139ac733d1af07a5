// expect: relata: relata::include names a relation member
//
// A typed include of a stored property instead of a relation.
#include <cstdint>
#include <string>

#include <relata/filter.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};

int main() {
  auto i = relata::include(&Customer::name);
  return i.entry.relation.empty() ? 0 : 1;
}
