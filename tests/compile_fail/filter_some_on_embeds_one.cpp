// expect-gcc: check_relation_condition_member<Customer, relata::embeds_one<Address>, false>
// expect: relata: relata::some, relata::none and relata::every take a relation member or an
// expect: embeds_many member, not a stored property
//
// An embedsOne holds one item: compare it as a whole, or keep items in an embeds_many.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/relation/embeds_one.hpp>

struct Address {
  RELATA_MODEL(Address, (std::string, city));
};
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (relata::embeds_one<Address>, billing));
};

int main() {
  auto w = relata::some(&Customer::billing, relata::col(&Address::city) == "Paris");
  return w.node() ? 0 : 1;
}
