// repository.hpp and memory.hpp: a create and a find with an include link in header-only mode.
#include <relata/memory.hpp>
#include <relata/migrate.hpp>
#include <relata/repository.hpp>

#include <cstdint>
#include <string>

namespace {
struct Note;
struct Pad {
  RELATA_MODEL(Pad, (relata::id<std::int64_t>, id), (relata::has_many<Note>, notes));
};
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text), (std::int64_t, pad_id));
};
}  // namespace

int main() {
  relata::memory::datasource db;
  relata::migrate<Pad, Note>(db);
  relata::repository<Pad> pads{db};
  const auto pad = pads.create({});
  pads.notes(pad.id).create({.text = "a"});
  return pads.find({.include = {"notes"}}).at(0).notes.size() == 1 ? 0 : 1;
}
