// expect-gcc: check_discriminator_exists<Author, [^,]*"pictures"}, Picture, [^,]*"imageable_type"}
// expect: relata: the polymorphic relation's discriminator
//
// A hasMany "as" whose target has the key but no discriminator.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct Picture;
struct Author {
  RELATA_MODEL(Author,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Picture, relata::as<"imageable">>, pictures));
};
struct Picture {
  RELATA_MODEL(Picture, (relata::id<std::int64_t>, id), (std::int64_t, imageable_id));
};

int main() { return static_cast<int>(relata::definition_of<Author>().relations.size()); }
