// expect-gcc: check_embedded_reference<Reading, &Reading::note, false>
// expect: relata: add<&Item::relation> and remove<&Item::relation> name a belongs_to member of
// expect: the embedded item model
//
// Reading::note is a stored property: add refers to another model through a relation.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/relation/embeds_one.hpp>

struct Reading {
  RELATA_MODEL(Reading, (relata::id<std::int64_t>, id), (std::string, note));
};
struct Reader {
  RELATA_MODEL(Reader, (relata::id<std::int64_t>, id), (relata::embeds_many<Reading>, readings));
};

void misuse(const relata::repository<Reader>& readers) {
  readers.readings(1).add<&Reading::note>("x");
}

int main() { return 0; }
