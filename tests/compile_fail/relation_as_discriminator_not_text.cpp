// expect-gcc: check_discriminator_is_text<Author, [^,]*"pictures"}, Picture, [^,]*"imageable_type"}
// expect: relata: a discriminator holds a model's name
//
// A discriminator that is a number.
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
  RELATA_MODEL(Picture,
               (relata::id<std::int64_t>, id),
               (std::int64_t, imageable_id),
               (int, imageable_type));
};

int main() { return static_cast<int>(relata::definition_of<Author>().relations.size()); }
