// expect-gcc: check_one_default_scope<Note, false>
// expect: relata: a model has at most one relata::default_scope
//
// Two default scopes on one model.
#include <cstdint>

#include <relata/relata.hpp>

struct not_deleted;
struct not_archived;
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (bool, deleted), (bool, archived));
  using relata_options =
      relata::options<relata::default_scope<not_deleted>, relata::default_scope<not_archived>>;
};
struct not_deleted {
  relata::filter<Note> operator()() const {
    return {.where = relata::col(&Note::deleted) == false};
  }
};
struct not_archived {
  relata::filter<Note> operator()() const {
    return {.where = relata::col(&Note::archived) == false};
  }
};

int main() { return relata::definition_of<Note>().default_scope != nullptr ? 0 : 1; }
