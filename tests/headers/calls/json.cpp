// json.hpp alone: a model to and from JSON, and dump_json, link in header-only mode.
#include <relata/json.hpp>

#include <cstdint>
#include <string>

namespace {
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text));
};
}  // namespace

int main() {
  const Note n{.id = 1, .text = "a"};
  const nlohmann::json j = n;
  const auto back = j.get<Note>();
  return back.text == "a" && !relata::dump_json(n).empty() ? 0 : 1;
}
