// expect-gcc: check_polymorphic_key_exists<Contact, [^,]*"stakeholder"}, [^,]*"stakeholder_id"}
// expect: relata: the polymorphic relation's key on the model that declares it is
//
// No stakeholder_id on the source.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Supplier {
  RELATA_MODEL(Supplier, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::optional<std::string>, stakeholder_type),
               (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
};

int main() { return static_cast<int>(relata::definition_of<Contact>().relations.size()); }
