// sqlite.hpp with the repository: a create and a find link in header-only mode.
#include <relata/migrate.hpp>
#include <relata/repository.hpp>
#include <relata/sqlite.hpp>

#include <cstdint>
#include <string>

namespace {
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text));
};
}  // namespace

int main() {
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Note>(db);
  relata::repository<Note> notes{db};
  notes.create({.text = "a"});
  return notes.find().size() == 1 ? 0 : 1;
}
