// expect-gcc: check_discriminator_is_text<Contact, [^,]*"stakeholder"}, Contact
// expect-gcc: [^,]*"stakeholder_type"}
// expect: relata: a discriminator holds a model's name
//
// A discriminator that is a number.
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
               (std::optional<std::int64_t>, stakeholder_id),
               (int, stakeholder_type),
               (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
};

int main() { return static_cast<int>(relata::definition_of<Contact>().relations.size()); }
