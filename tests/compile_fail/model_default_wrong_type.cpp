// expect-gcc: check_default_fits<
// expect: relata: relata::default_value gives a property a value of another type
//
// A text default for an integer property.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Ticket {
  RELATA_MODEL(Ticket, (relata::id<std::int64_t>, id), (std::int64_t, priority));
  using relata_options = relata::options<relata::default_value<&Ticket::priority, "high">>;
};

int main() { return static_cast<int>(relata::definition_of<Ticket>().properties.size()) - 2; }
