// expect-gcc: check_discriminator_is_text<Customer, [^,]*"promotions"}, PromotionLink
// expect-gcc: [^,]*"promotions_type"}
// expect: relata: a discriminator holds a model's name
//
// The link's discriminator is a number.
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
               (std::int64_t, promotions_id),
               (std::int64_t, promotions_type));
};
struct Customer {
  RELATA_MODEL(
      Customer,
      (relata::id<std::int64_t>, id),
      (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>, relata::through<PromotionLink>>,
       promotions));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
