// expect-gcc: check_polymorphic_target_has_key<Customer, [^,]*"promotions"}, HalfPrice
// expect: relata: a model of a polymorphic relation lacks the key the relation joins on
//
// A target model without an id for the links to hold.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice, (std::int64_t, code), (std::string, description));
};
struct PromotionLink {
  RELATA_MODEL(PromotionLink,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::int64_t, promotions_id),
               (std::string, promotions_type));
};
struct Customer {
  RELATA_MODEL(
      Customer,
      (relata::id<std::int64_t>, id),
      (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>, relata::through<PromotionLink>>,
       promotions));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
