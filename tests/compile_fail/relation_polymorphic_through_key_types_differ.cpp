// expect-gcc: check_polymorphic_key_type<Customer, [^,]*"promotions"}, HalfPrice
// expect: relata: the models of a polymorphic relation must have keys of one type
//
// A target whose id has another type than the link's key to the targets.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice, (relata::id<std::string>, id), (std::string, description));
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
