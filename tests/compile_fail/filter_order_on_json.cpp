// expect-gcc: check_ordered_type<nlohmann::.*basic_json<.*, false>
// expect: relata: arrays and JSON documents can only be tested for null
//
// An ordering comparison (between) on a JSON property.
#include <cstdint>

#include <nlohmann/json.hpp>
#include <relata/filter.hpp>
#include <relata/json.hpp>

struct Event {
  RELATA_MODEL(Event, (relata::id<std::int64_t>, id), (nlohmann::json, payload));
};

int main() {
  auto w = relata::col(&Event::payload).between(nlohmann::json(1), nlohmann::json(2));
  return w.empty() ? 1 : 0;
}
