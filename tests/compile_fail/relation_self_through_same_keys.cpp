// expect-gcc: check_through_keys_differ<User, [^,]*"following"}, UserLink, false>
// expect: relata: the through model's two foreign keys are the same property
//
// A self hasManyThrough infers user_id for both sides: the keys must be named.
#include <cstdint>

#include <relata/relations.hpp>

struct UserLink;
struct User {
  RELATA_MODEL(User,
               (relata::id<std::int64_t>, id),
               (relata::has_many<User, relata::through<UserLink>>, following));
};
struct UserLink {
  RELATA_MODEL(UserLink, (relata::id<std::int64_t>, id), (std::int64_t, user_id));
};

int main() { return static_cast<int>(relata::definition_of<User>().relations.size()); }
