// expect: relata: each RELATA_MODEL field is \(type, name\)
//
// A field given as its name alone.
#include <cstdint>

#include <relata/model.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (code));
};

int main() { return static_cast<int>(Customer{}.code); }
