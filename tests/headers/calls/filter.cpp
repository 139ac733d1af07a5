// filter.hpp alone: filter<M>::from_json and where<M>::from_json are declared there, and must
// link in header-only mode without any other relata header.
#include <relata/filter.hpp>

#include <cstdint>
#include <string>

namespace {
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text));
};
}  // namespace

int main() {
  const auto f = relata::filter<Note>::from_json(R"({"where": {"text": "a"}, "limit": 2})");
  const auto w = relata::where<Note>::from_json(R"({"id": {"gt": 1}})");
  return f.limit == 2u && !w.empty() ? 0 : 1;
}
