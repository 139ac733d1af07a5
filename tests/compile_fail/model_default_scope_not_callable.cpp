// expect-gcc: check_model_scope<Note, .*"default".*, not_deleted, false>
// expect: relata: relata::named_scope<Name, F> and relata::default_scope<F> take a
// expect: default-constructible type F whose operator\(\)\(\) const returns a
//
// A default scope whose function needs an argument.
#include <cstdint>

#include <relata/relata.hpp>

struct not_deleted;
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (bool, deleted));
  using relata_options = relata::options<relata::default_scope<not_deleted>>;
};
struct not_deleted {
  relata::filter<Note> operator()(bool deleted) const {
    return {.where = relata::col(&Note::deleted) == deleted};
  }
};

int main() { return relata::definition_of<Note>().default_scope != nullptr ? 0 : 1; }
