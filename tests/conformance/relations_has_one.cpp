// hasOne constrained repositories (`customers.address(id)`), after LoopBack's
// has-one.relation.acceptance tests, on every connector: one target per source, enforced by the
// accessor and by the unique index migrate puts on the foreign key.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;
using relata::col;

namespace {

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Address> addresses{*db};
  Customer ada, bob;
  world() {
    migrate_all(*db);
    ada = customers.create({.name = "Ada"});
    bob = customers.create({.name = "Bob"});
  }
};

std::vector<std::string> snapshot(const relata::repository<Address>& addresses) {
  std::vector<std::string> out;
  for (const auto& a : addresses.find()) {
    out.push_back(std::to_string(a.id) + "|" + a.street + "|" + a.city + "|" +
                  std::to_string(a.customer_id));
  }
  return out;
}

}  // namespace

TEST_CASE("has_one: create sets the foreign key and get returns the target", "[has_one]") {
  world w;
  auto home = w.customers.address(w.ada.id).create({.street = "1 Main St", .city = "Paris"});
  CHECK(home.id != 0);
  CHECK(home.customer_id == w.ada.id);
  auto got = w.customers.address(w.ada.id).get();
  CHECK(got.id == home.id);
  CHECK(got.street == "1 Main St");
  CHECK(got.customer_id == w.ada.id);
  CHECK(w.addresses.find_by_id(home.id).customer_id == w.ada.id);
  // the generic form is the same accessor
  CHECK(w.customers.related<&Customer::address>(w.ada.id).get().id == home.id);
}

TEST_CASE("has_one: a second create for the same source is refused and changes nothing",
          "[has_one]") {
  world w;
  w.customers.address(w.ada.id).create({.street = "first", .city = "Paris"});
  const auto before = snapshot(w.addresses);
  try {
    w.customers.address(w.ada.id).create({.street = "second", .city = "Rome"});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK(e.code() == relata::error_code::constraint_violation);
  }
  CHECK(snapshot(w.addresses) == before);
  CHECK(w.customers.address(w.ada.id).get().street == "first");
  // another source is not affected
  CHECK(w.customers.address(w.bob.id).create({.street = "b", .city = "Oslo"}).customer_id ==
        w.bob.id);
}

TEST_CASE("has_one: create with another source's foreign key is refused", "[has_one]") {
  world w;
  try {
    w.customers.address(w.ada.id).create(
        {.street = "x", .customer_id = static_cast<std::int64_t>(w.bob.id)});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(e.what(), Catch::Contains("Property customer_id cannot be changed: "));
  }
  CHECK(w.addresses.count() == 0);
  CHECK_THROWS_AS(w.customers.address(w.bob.id).get(), relata::entity_not_found);
}

TEST_CASE("has_one: create for a source that does not exist is refused", "[has_one]") {
  world w;
  CHECK_THROWS_AS(w.customers.address(404).create({.street = "nowhere"}),
                  relata::constraint_violation);
  CHECK(w.addresses.count() == 0);
}

TEST_CASE("has_one: get with no target is ENTITY_NOT_FOUND naming the target model", "[has_one]") {
  world w;
  w.customers.address(w.bob.id).create({.street = "b", .city = "Oslo"});
  try {
    (void)w.customers.address(w.ada.id).get();
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.code() == relata::error_code::entity_not_found);
    CHECK(e.model() == "Address");
    CHECK_THAT(e.what(), Catch::Contains("customer_id"));
    CHECK(e.id() == std::to_string(w.ada.id));
  }
}

TEST_CASE("has_one: get applies the filter", "[has_one]") {
  world w;
  w.customers.address(w.ada.id).create({.street = "1 Main St", .city = "Paris"});
  CHECK(w.customers.address(w.ada.id).get({.where = col(&Address::city) == "Paris"}).street ==
        "1 Main St");
  CHECK_THROWS_AS(w.customers.address(w.ada.id).get({.where = col(&Address::city) == "Rome"}),
                  relata::entity_not_found);
  auto partial = w.customers.address(w.ada.id).get({.fields = relata::only(&Address::city)});
  CHECK(partial.city == "Paris");
  CHECK(partial.street.empty());
  auto with_customer = w.customers.address(w.ada.id).get({.include = {"customer"}});
  REQUIRE(with_customer.customer.has_value());
  CHECK(with_customer.customer->name == "Ada");
}

TEST_CASE("has_one: patch changes this source's target only", "[has_one]") {
  world w;
  w.customers.address(w.ada.id).create({.street = "a", .city = "Paris"});
  w.customers.address(w.bob.id).create({.street = "b", .city = "Paris"});

  CHECK(w.customers.address(w.ada.id).patch({{&Address::city, "Lyon"}}) == 1);
  CHECK(w.customers.address(w.ada.id).get().city == "Lyon");
  CHECK(w.customers.address(w.bob.id).get().city == "Paris");
  // a where that does not match changes nothing
  CHECK(w.customers.address(w.ada.id).patch({{&Address::city, "Nice"}},
                                            col(&Address::city) == "Paris") == 0);
  CHECK(w.customers.address(w.ada.id).get().city == "Lyon");
  // a source without target
  auto carl = w.customers.create({.name = "Carl"});
  CHECK(w.customers.address(carl.id).patch({{&Address::city, "Nice"}}) == 0);
}

TEST_CASE("has_one: patch refuses to move the target to another source", "[has_one]") {
  world w;
  w.customers.address(w.ada.id).create({.street = "a", .city = "Paris"});
  const auto before = snapshot(w.addresses);
  try {
    w.customers.address(w.ada.id).patch(
        {{&Address::city, "Rome"}, {&Address::customer_id, static_cast<std::int64_t>(w.bob.id)}});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(e.what(), Catch::Contains("Property customer_id cannot be changed: "));
  }
  CHECK(snapshot(w.addresses) == before);
  CHECK_THROWS_AS(w.customers.address(w.bob.id).get(), relata::entity_not_found);
}

TEST_CASE("has_one: delete_all deletes this source's target only", "[has_one]") {
  world w;
  w.customers.address(w.ada.id).create({.street = "a", .city = "Paris"});
  w.customers.address(w.bob.id).create({.street = "b", .city = "Oslo"});

  CHECK(w.customers.address(w.ada.id).delete_all(col(&Address::city) == "Oslo") == 0);
  CHECK(w.addresses.count() == 2);
  CHECK(w.customers.address(w.ada.id).delete_all() == 1);
  CHECK_THROWS_AS(w.customers.address(w.ada.id).get(), relata::entity_not_found);
  CHECK(w.customers.address(w.bob.id).get().street == "b");
  CHECK(w.customers.address(w.ada.id).delete_all() == 0);
  // once deleted, the source may have a target again
  CHECK(w.customers.address(w.ada.id).create({.street = "new", .city = "Nice"}).customer_id ==
        w.ada.id);
  CHECK(w.customers.address(w.ada.id).get().street == "new");
}

TEST_CASE("has_one: the unique foreign key refuses a second target written directly",
          "[has_one][schema]") {
  world w;
  w.customers.address(w.ada.id).create({.street = "a", .city = "Paris"});
  const auto before = snapshot(w.addresses);
  CHECK_THROWS_AS(w.addresses.create({.street = "dup", .customer_id = w.ada.id}),
                  relata::constraint_violation);
  // moving bob's address onto ada is refused by the index as well
  auto bobs = w.customers.address(w.bob.id).create({.street = "b", .city = "Oslo"});
  CHECK_THROWS_AS(w.addresses.update_by_id(
                      bobs.id, {{&Address::customer_id, static_cast<std::int64_t>(w.ada.id)}}),
                  relata::constraint_violation);
  CHECK(w.customers.address(w.bob.id).get().id == bobs.id);
  CHECK(w.addresses.count() == before.size() + 1);
}

TEST_CASE("has_one: a source with a target cannot be deleted", "[has_one][schema]") {
  world w;
  w.customers.address(w.ada.id).create({.street = "a", .city = "Paris"});
  CHECK_THROWS_AS(w.customers.delete_by_id(w.ada.id), relata::constraint_violation);
  CHECK(w.customers.exists(w.ada.id));
  CHECK(w.customers.address(w.ada.id).get().street == "a");
}
