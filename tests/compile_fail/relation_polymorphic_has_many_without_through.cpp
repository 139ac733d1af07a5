// expect: relata: a has_many whose targets are of several models \(relata::one_of\) needs
//
// A has_many to several models with no link model to name each target's model.
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice, (relata::id<std::int64_t>, id), (std::string, description));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>>, promotions));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
