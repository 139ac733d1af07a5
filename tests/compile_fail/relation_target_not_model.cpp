// expect-gcc: check_relation_target_is_model<Note, false>
// expect: relata: a relation's target must be a model declared with RELATA_MODEL
//
// A relation to a plain struct.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct Note {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
};
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (relata::has_many<Note>, notes));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
