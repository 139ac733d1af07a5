// expect-gcc: has_and_belongs_to_many<Tag, relata::on_delete<
// expect: relata: a many-to-many relation's links cannot have a null key
//
// set_null on a hasAndBelongsToMany: its links' keys are their primary key.
#include <cstdint>

#include <relata/relations.hpp>

struct Tag;
struct Post {
  RELATA_MODEL(
      Post,
      (relata::id<std::int64_t>, id),
      (relata::has_and_belongs_to_many<Tag, relata::on_delete<relata::delete_rule::set_null>>,
       tags));
};
struct Tag {
  RELATA_MODEL(Tag, (relata::id<std::int64_t>, id));
};

int main() { return static_cast<int>(relata::definition_of<Post>().relations.size()); }
