// expect: relata::default_value<&Model::member, value> must name a member of the model
//
// relata::default_value naming a member of another model.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Label {
  RELATA_MODEL(Label, (relata::id<std::int64_t>, id), (std::string, text));
};
struct Ticket {
  RELATA_MODEL(Ticket, (relata::id<std::int64_t>, id), (std::string, title));
  using relata_options = relata::options<relata::default_value<&Label::text, "none">>;
};

int main() { return static_cast<int>(relata::definition_of<Ticket>().properties.size()) - 2; }
