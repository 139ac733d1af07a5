// expect-gcc: check_polymorphic_write_target<Voucher, false>
// expect: relata: a polymorphic relation's repository reads and writes only the models
//
// Creating, through a polymorphic hasOne, a target of a model the relation does not list.
#include <cstdint>
#include <optional>
#include <string>

#include <relata/relations.hpp>
#include <relata/repository.hpp>

struct CreditCard {
  RELATA_MODEL(CreditCard, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};
struct Cash {
  RELATA_MODEL(Cash, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};
struct Voucher {
  RELATA_MODEL(Voucher, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::optional<std::string>, payment_method_type),
               (relata::has_one<relata::one_of<CreditCard, Cash>>, payment_method));
};

void use(relata::datasource& db) {
  relata::repository<Customer> customers{db};
  customers.payment_method(1).create(Voucher{});
}

int main() {}
