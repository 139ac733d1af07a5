// expect-gcc: check_relation_scope_one_target<Contact, [^,]*"stakeholder"}
// expect: relata: relata::scope applies to relations with one target model
//
// A scope on a polymorphic relation: one filter cannot hold conditions on several models.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relata.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Supplier {
  RELATA_MODEL(Supplier, (relata::id<std::int64_t>, id), (std::string, name));
};
struct any_stakeholder {
  relata::filter<Customer> operator()() const { return {}; }
};
struct Contact {
  RELATA_MODEL(
      Contact,
      (relata::id<std::int64_t>, id),
      (std::optional<std::int64_t>, stakeholder_id),
      (std::optional<std::string>, stakeholder_type),
      (relata::belongs_to<relata::one_of<Customer, Supplier>, relata::scope<any_stakeholder>>,
       stakeholder));
};

int main() { return static_cast<int>(relata::definition_of<Contact>().relations.size()); }
