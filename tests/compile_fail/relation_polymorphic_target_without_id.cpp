// expect-gcc: check_polymorphic_target_has_key<Contact, [^,]*"stakeholder"}, Supplier
// expect: relata: a model of a polymorphic relation lacks the key the relation joins on
//
// A target model without an id to refer to.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Supplier {
  RELATA_MODEL(Supplier, (std::string, name));
};
struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, stakeholder_id),
               (std::optional<std::string>, stakeholder_type),
               (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
};

int main() { return static_cast<int>(relata::definition_of<Contact>().relations.size()); }
