// expect: relata: relata::one_of lists at least two target models
//
// A polymorphic relation with a single target model.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, stakeholder_id),
               (std::optional<std::string>, stakeholder_type),
               (relata::belongs_to<relata::one_of<Customer>>, stakeholder));
};

int main() { return static_cast<int>(relata::definition_of<Contact>().relations.size()); }
