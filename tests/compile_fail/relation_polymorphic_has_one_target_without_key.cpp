// expect-gcc: check_polymorphic_target_has_key<Customer, [^,]*"payment_method"}, Cash
// expect: relata: a model of a polymorphic relation lacks the key the relation joins on
//
// A target model of a polymorphic hasOne without the foreign key back to its source.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relations.hpp>

struct CreditCard {
  RELATA_MODEL(CreditCard, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};
struct Cash {
  RELATA_MODEL(Cash, (relata::id<std::int64_t>, id), (std::string, currency));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::optional<std::string>, payment_method_type),
               (relata::has_one<relata::one_of<CreditCard, Cash>>, payment_method));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
