// expect-gcc: check_embedded_items_have_one_id<Note, false>
// expect: relata: the items of an embeds_many<T> need an id
//
// Note has no relata::id: find_by_id, update_by_id and delete_by_id could not find its items.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/relation/embeds_one.hpp>

struct Note {
  RELATA_MODEL(Note, (std::string, text));
};
struct Board {
  RELATA_MODEL(Board, (relata::id<std::int64_t>, id), (relata::embeds_many<Note>, notes));
};

int main() { return static_cast<int>(relata::definition_of<Board>().properties.size()); }
