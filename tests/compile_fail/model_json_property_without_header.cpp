// expect-gcc: check_json_property_has_its_header<Event, [^,]*"payload"}, false>
// expect: relata: an nlohmann::json property needs <relata/json.hpp>
//
// A model with an nlohmann::json property, in a unit that includes nlohmann/json.hpp but not
// relata/json.hpp (relata.hpp leaves it out: it is what makes nlohmann::json storable).
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>
#include <relata/relata.hpp>

struct Event {
  RELATA_MODEL(Event, (relata::id<std::int64_t>, id), (std::optional<nlohmann::json>, payload));
};

int main() { return relata::definition_of<Event>().properties.size() == 2 ? 0 : 1; }
