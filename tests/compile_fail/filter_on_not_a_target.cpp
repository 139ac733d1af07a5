// expect: relata: relata::on<T> names a model that is not a target of this relation
//
// A condition on a model the polymorphic relation does not refer to.
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
struct Vendor {
  RELATA_MODEL(Vendor, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, stakeholder_id),
               (std::optional<std::string>, stakeholder_type),
               (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
};

int main() {
  auto w =
      relata::some(&Contact::stakeholder, relata::on<Vendor>(relata::col(&Vendor::name) == "Acme"));
  return w.empty() ? 0 : 1;
}
