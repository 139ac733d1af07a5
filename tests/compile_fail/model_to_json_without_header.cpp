// expect-gcc: json_conversion<nlohmann::.*basic_json<>
// expect: relata: models convert to and from nlohmann::json with <relata/json.hpp>
//
// A model converted to nlohmann::json in a unit that includes nlohmann/json.hpp and
// relata.hpp, but not relata/json.hpp (relata.hpp leaves it out).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>
#include <relata/relata.hpp>

struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text));
};

int main() {
  const nlohmann::json j = Note{.id = 1, .text = "a"};
  return j.is_object() ? 0 : 1;
}
