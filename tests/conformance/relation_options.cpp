// Relation options beyond keys and deletion, on every connector.
//
// relata::disable_include (LoopBack's disableInclude): LoopBack 3 leaves an include of such a
// relation out of the result without a word, so a caller cannot tell "not allowed" from "none";
// relata refuses it, naming the relation and the model, before any query runs. The relation
// stays usable through its accessor and in relation filters.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace options_test {

struct Entry;
struct Ticket;
struct Account {
  RELATA_MODEL(Account,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Entry, relata::disable_include>, audit_log),
               (relata::has_many<Ticket>, tickets));
};
struct Entry {
  RELATA_MODEL(Entry,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::int64_t, account_id),
               (relata::belongs_to<Account>, account));
};
struct Ticket {
  RELATA_MODEL(Ticket,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::int64_t, account_id),
               (relata::belongs_to<Account>, account));
};

struct bank {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Account> accounts{*db};
  relata::repository<Entry> entries{*db};
  relata::repository<Ticket> tickets{*db};
  Account ada, bob;
  bank() {
    relata::migrate<Account, Entry, Ticket>(*db);
    ada = accounts.create({.name = "ada"});
    bob = accounts.create({.name = "bob"});
    accounts.audit_log(ada.id).create({.text = "opened"});
    accounts.audit_log(ada.id).create({.text = "closed"});
    accounts.tickets(ada.id).create({.title = "help"});
    accounts.tickets(bob.id).create({.title = "again"});
  }
};

/// The message of the invalid_inclusion_filter `f` throws; fails the test if it throws none.
template <class F>
std::string inclusion_error(F&& f) {
  try {
    f();
  } catch (const relata::invalid_inclusion_filter& e) {
    CHECK(e.code() == relata::error_code::invalid_inclusion_filter);
    return e.what();
  }
  FAIL("expected invalid_inclusion_filter");
  return {};
}

}  // namespace options_test

using namespace options_test;

TEST_CASE("disable_include: an include naming the relation is refused, before any query",
          "[relation_options][disable_include]") {
  bank b;
  relata_test::query_log log(*b.db);
  const std::string what = inclusion_error([&] {
    (void)b.accounts.find({.include = {"tickets", "audit_log"}});
  });
  CHECK_THAT(what, Catch::StartsWith("INVALID_INCLUSION_FILTER: "));
  CHECK_THAT(what, Catch::Contains("relation \"audit_log\" of model Account"));
  CHECK_THAT(what, Catch::Contains("disable_include"));
  CHECK(log.statements.empty());

  // find_by_id and find_one take the same path
  CHECK_THROWS_AS(b.accounts.find_by_id(b.ada.id, {.include = {"audit_log"}}),
                  relata::invalid_inclusion_filter);
  CHECK_THROWS_AS(b.accounts.find_one({.include = {"audit_log"}}),
                  relata::invalid_inclusion_filter);
  CHECK(log.statements.empty());
}

TEST_CASE("disable_include: refused when nested in another relation's scope, with its path",
          "[relation_options][disable_include]") {
  bank b;
  const std::string what = inclusion_error([&] {
    (void)b.tickets.find(
        {.include = {relata::include(&Ticket::account, {.include = {"tickets", "audit_log"}})}});
  });
  CHECK_THAT(what, Catch::Contains("relation \"account.audit_log\" of model Account"));
  // through a constrained repository's find too
  CHECK_THROWS_AS(b.accounts.tickets(b.ada.id).find(
                      {.include = {relata::include(&Ticket::account, {.include = {"audit_log"}})}}),
                  relata::invalid_inclusion_filter);
}

TEST_CASE("disable_include: a JSON filter naming the relation is refused when parsed",
          "[relation_options][disable_include]") {
  bank b;
  const std::string top = inclusion_error(
      [&] { (void)relata::filter<Account>::from_json(R"({"include":["audit_log"]})"); });
  CHECK_THAT(top, Catch::Contains("relation \"audit_log\" of model Account"));
  const std::string object = inclusion_error([&] {
    (void)relata::filter<Account>::from_json(
        R"({"include":[{"relation":"audit_log","scope":{"limit":1}}]})");
  });
  CHECK_THAT(object, Catch::Contains("relation \"audit_log\" of model Account"));
  const std::string nested = inclusion_error([&] {
    (void)b.tickets.find(relata::filter<Ticket>::from_json(
        R"({"include":{"relation":"account","scope":{"include":"audit_log"}}})"));
  });
  CHECK_THAT(nested, Catch::Contains("relation \"account.audit_log\" of model Account"));
}

TEST_CASE("disable_include: the accessor, relation filters and other includes still work",
          "[relation_options][disable_include]") {
  bank b;
  // the constrained repository reads and writes the relation
  auto log = b.accounts.audit_log(b.ada.id);
  CHECK(log.count() == 2);
  CHECK(log.find({.order = {relata::asc(&Entry::text)}}).at(0).text == "closed");
  CHECK(b.accounts.audit_log(b.bob.id).count() == 0);
  // a relation filter on it
  const auto audited = b.accounts.find({.where = relata::some(&Account::audit_log)});
  REQUIRE(audited.size() == 1);
  CHECK(audited.at(0).name == "ada");
  CHECK(b.accounts.count(relata::none(&Account::audit_log, col(&Entry::text) == "opened")) == 1);
  // the model's other relations, and the inverse relation, include as usual
  const auto with_tickets =
      b.accounts.find({.order = {relata::asc(&Account::id)}, .include = {"tickets"}});
  REQUIRE(with_tickets.size() == 2);
  CHECK(with_tickets.at(0).tickets.size() == 1);
  CHECK_FALSE(with_tickets.at(0).audit_log.loaded());
  const auto entries = b.entries.find({.include = {relata::include(&Entry::account)}});
  REQUIRE(entries.size() == 2);
  CHECK(entries.at(0).account->name == "ada");
}
