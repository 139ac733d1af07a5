// expect: relata: relata::unique<&Model::member, ...> must name members of the model it is
//
// A unique key naming a member of another model.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Person {
  RELATA_MODEL(Person, (relata::id<std::int64_t>, id), (std::string, email));
};
struct Ticket {
  RELATA_MODEL(Ticket, (relata::id<std::int64_t>, id), (std::string, title));
  using relata_options = relata::options<relata::unique<&Person::email>>;
};

int main() { return static_cast<int>(relata::definition_of<Ticket>().unique_keys.size()) - 1; }
