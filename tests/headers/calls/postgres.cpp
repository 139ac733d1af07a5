// postgres.hpp with the repository: links in header-only mode (not run: it needs a server).
#include <relata/postgres.hpp>
#include <relata/repository.hpp>

#include <cstdint>
#include <string>

namespace {
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::string, text));
};
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 0;
  relata::postgres::datasource db{argv[1]};
  relata::repository<Note> notes{db};
  return static_cast<int>(notes.count());
}
