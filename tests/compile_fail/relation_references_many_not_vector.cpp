// expect-gcc: check_references_many_key_is_array<Customer, [^,]*"accounts"}, [^,]*"account_ids"},
// expect: relata: a references_many key must be a std::vector of the target key's type
//
// The inferred key Customer::account_ids is a single integer, not an array.
#include <cstdint>

#include <relata/relations.hpp>

struct Account;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::int64_t, account_ids),
               (relata::references_many<Account>, accounts));
};
struct Account {
  RELATA_MODEL(Account, (relata::id<std::int64_t>, id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
