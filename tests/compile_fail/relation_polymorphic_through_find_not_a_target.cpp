// expect-gcc: check_polymorphic_write_target<Voucher, false>
// expect: relata: a polymorphic relation's repository reads and writes only the models
//
// Reading, through a polymorphic hasManyThrough, targets of a model the relation does not list.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice, (relata::id<std::int64_t>, id), (std::string, description));
};
struct Voucher {
  RELATA_MODEL(Voucher, (relata::id<std::int64_t>, id), (std::string, description));
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

int main() {
  relata::memory::datasource db;
  relata::repository<Customer> customers{db};
  return static_cast<int>(customers.promotions(1).find<Voucher>().size());
}
