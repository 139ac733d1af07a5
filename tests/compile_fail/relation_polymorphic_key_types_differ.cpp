// expect-gcc: check_polymorphic_key_type<Contact, [^,]*"stakeholder"}, Supplier
// expect: relata: the models of a polymorphic relation must have keys of one type
//
// Targets whose ids have different types: one key column cannot refer to both.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Supplier {
  RELATA_MODEL(Supplier, (relata::id<std::string>, code), (std::string, name));
};
struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, stakeholder_id),
               (std::optional<std::string>, stakeholder_type),
               (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
};

int main() { return static_cast<int>(relata::definition_of<Contact>().relations.size()); }
