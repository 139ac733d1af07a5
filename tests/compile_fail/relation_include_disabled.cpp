// expect-gcc: check_include_not_disabled<Account, relata::has_many<Entry, relata::disable_include
// expect: relata: relata::include names a relation declared with relata::disable_include
//
// A typed include of a relation declared relata::disable_include.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>

struct Entry;
struct Account {
  RELATA_MODEL(Account,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Entry, relata::disable_include>, audit_log));
};
struct Entry {
  RELATA_MODEL(Entry,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::int64_t, account_id));
};

int main() {
  auto i = relata::include(&Account::audit_log);
  return i.entry.relation.empty() ? 0 : 1;
}
