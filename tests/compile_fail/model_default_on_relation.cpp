// expect-gcc: check_default_on_property<
// expect: relata: relata::default_value names a relation member; a default is for a stored
//
// A default for a relation member.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Comment;
struct Ticket {
  RELATA_MODEL(Ticket, (relata::id<std::int64_t>, id), (relata::has_many<Comment>, comments));
  using relata_options = relata::options<relata::default_value<&Ticket::comments, 0>>;
};
struct Comment {
  RELATA_MODEL(Comment, (relata::id<std::int64_t>, id), (std::int64_t, ticket_id));
};

int main() { return static_cast<int>(relata::definition_of<Ticket>().properties.size()) - 1; }
