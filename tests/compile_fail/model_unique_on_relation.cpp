// expect-gcc: check_unique_on_properties<
// expect: relata: relata::unique names a relation member; a unique key is made of stored
//
// A unique key that names a relation member.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Comment;
struct Ticket {
  RELATA_MODEL(Ticket,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (relata::has_many<Comment>, comments));
  using relata_options = relata::options<relata::unique<&Ticket::title, &Ticket::comments>>;
};
struct Comment {
  RELATA_MODEL(Comment, (relata::id<std::int64_t>, id), (std::int64_t, ticket_id));
};

int main() { return static_cast<int>(relata::definition_of<Ticket>().unique_keys.size()) - 1; }
