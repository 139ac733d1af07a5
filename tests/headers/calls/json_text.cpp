// json_text.hpp alone: dump_json of an entity and of results links in header-only mode (its
// engine is json.hpp's, which json_text.hpp brings in only then).
#include <relata/json_text.hpp>

#include <cstdint>
#include <string>

namespace {
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text));
};
}  // namespace

int main() {
  const Note n{.id = 1, .text = "a"};
  relata::entities<Note> all;
  all.push_back(n);
  return relata::dump_json(n) == R"({"id":1,"text":"a"})" &&
                 relata::dump_json(all) == R"([{"id":1,"text":"a"}])"
             ? 0
             : 1;
}
