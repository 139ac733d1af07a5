// expect-gcc: check_has_one_discriminator_is_optional<Customer, [^,]*"payment_method"},
// expect: relata: a polymorphic has_one's discriminator is null while the source has no
//
// A polymorphic hasOne whose discriminator cannot be null: a customer without a payment
// method would have to name a model.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relations.hpp>

struct CreditCard {
  RELATA_MODEL(CreditCard, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};
struct Cash {
  RELATA_MODEL(Cash, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, payment_method_type),
               (relata::has_one<relata::one_of<CreditCard, Cash>>, payment_method));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
