// referencesMany accessors (`customers.accounts(id)`), after LoopBack's
// references-many.relation.acceptance tests, on every connector. LoopBack's accessor returns
// only the first referenced target; relata returns all of them, in array order.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;

namespace {

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Account> accounts{*db};
  world() { migrate_all(*db); }
};

std::vector<std::int64_t> ids(const std::vector<Account>& list) {
  std::vector<std::int64_t> out;
  for (const auto& a : list) out.push_back(a.id);
  return out;
}

}  // namespace

TEST_CASE("references_many: every referenced target, in array order", "[references_many]") {
  world w;
  auto made = w.accounts.create_all({{.balance = 1}, {.balance = 2}, {.balance = 3}});
  auto ada = w.customers.create({.name = "Ada", .account_ids = {3, 1, 2}});
  auto got = w.customers.accounts(ada.id);
  CHECK(ids(got) == std::vector<std::int64_t>{3, 1, 2});
  REQUIRE(got.size() == 3);
  CHECK(got[0].balance == 3);
  CHECK(got[1].balance == 1);
  // the generic form is the same accessor
  CHECK(ids(w.customers.related<&Customer::accounts>(ada.id)) ==
        std::vector<std::int64_t>{3, 1, 2});
  // another customer's array is its own
  auto bob = w.customers.create({.name = "Bob", .account_ids = {made[1].id}});
  CHECK(ids(w.customers.accounts(bob.id)) == std::vector<std::int64_t>{2});
}

TEST_CASE("references_many: a key listed twice comes twice", "[references_many]") {
  world w;
  w.accounts.create_all({{.balance = 1}, {.balance = 2}});
  auto ada = w.customers.create({.name = "Ada", .account_ids = {2, 1, 2}});
  CHECK(ids(w.customers.accounts(ada.id)) == std::vector<std::int64_t>{2, 1, 2});
}

TEST_CASE("references_many: a key that points at nothing is dropped", "[references_many]") {
  world w;
  w.accounts.create_all({{.balance = 1}, {.balance = 2}});
  auto ada = w.customers.create({.name = "Ada", .account_ids = {9, 2, 404, 1}});
  CHECK(ids(w.customers.accounts(ada.id)) == std::vector<std::int64_t>{2, 1});
  auto ghost = w.customers.create({.name = "Ghost", .account_ids = {7, 8}});
  CHECK(w.customers.accounts(ghost.id).empty());
}

TEST_CASE("references_many: an empty array is no targets, without reading them",
          "[references_many]") {
  world w;
  w.accounts.create({.balance = 1});
  auto ada = w.customers.create({.name = "Ada"});
  relata_test::query_log log(*w.db);
  CHECK(w.customers.accounts(ada.id).empty());
  CHECK(log.selects() == 1);  // the array only
}

TEST_CASE("references_many: a source that does not exist is ENTITY_NOT_FOUND",
          "[references_many]") {
  world w;
  try {
    (void)w.customers.accounts(5);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.model() == "Customer");
    CHECK(e.id() == "5");
  }
}

TEST_CASE("references_many: follows the stored array after an update", "[references_many]") {
  world w;
  w.accounts.create_all({{.balance = 1}, {.balance = 2}, {.balance = 3}});
  auto ada = w.customers.create({.name = "Ada", .account_ids = {1}});
  w.customers.update_by_id(ada.id, {{&Customer::account_ids, std::vector<std::int64_t>{3, 2}}});
  CHECK(ids(w.customers.accounts(ada.id)) == std::vector<std::int64_t>{3, 2});
  w.accounts.delete_by_id(3);  // nothing enforces references held in an array
  CHECK(ids(w.customers.accounts(ada.id)) == std::vector<std::int64_t>{2});
}

TEST_CASE("references_many: more keys than one statement may bind are read in chunks",
          "[references_many][chunking]") {
  world w;
  std::vector<Account> many(25);
  for (std::size_t i = 0; i < many.size(); ++i) many[i].balance = static_cast<double>(i);
  w.accounts.create_all(many);
  std::vector<std::int64_t> keys;
  for (std::int64_t k = 25; k >= 1; --k) keys.push_back(k);  // reversed
  keys.push_back(3);                                         // and one twice
  auto ada = w.customers.create({.name = "Ada", .account_ids = keys});

  relata_test::set_parameter_limit(*w.db, 10);
  relata_test::query_log log(*w.db);
  CHECK(ids(w.customers.accounts(ada.id)) == keys);
  // the array, then 25 distinct keys in chunks of 10
  CHECK(log.selects() == 1 + 3);
}
