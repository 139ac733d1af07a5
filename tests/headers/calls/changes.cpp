// changes.hpp alone: changes<M>::from_json is declared there, and must link in header-only
// mode without any other relata header.
#include <relata/changes.hpp>

#include <cstdint>
#include <string>

namespace {
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text));
};
}  // namespace

int main() {
  const auto c = relata::changes<Note>::from_json(R"({"text": "b"})");
  return c.assignments().size() == 1 ? 0 : 1;
}
