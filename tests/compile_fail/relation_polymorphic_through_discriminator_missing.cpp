// expect-gcc: check_discriminator_exists<Customer, [^,]*"promotions"}, PromotionLink
// expect-gcc: [^,]*"promotions_type"}
// expect: relata: the polymorphic relation's discriminator
//
// The link model of a polymorphic hasManyThrough does not name each target's model.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice, (relata::id<std::int64_t>, id), (std::string, description));
};
struct PromotionLink {
  RELATA_MODEL(PromotionLink,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::int64_t, promotions_id));
};
struct Customer {
  RELATA_MODEL(
      Customer,
      (relata::id<std::int64_t>, id),
      (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>, relata::through<PromotionLink>>,
       promotions));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
