// hasMany constrained repositories (`customers.orders(id)`), after LoopBack's
// has-many.relation.acceptance and has-many-repository tests, on every connector: every call is
// confined to its source, every write sets or checks the foreign key, and every refusal leaves
// the data as it was.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;
using relata::col;

namespace {

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<Shipment> shipments{*db};
  Customer ada, bob;
  world() {
    migrate_all(*db);
    ada = customers.create({.name = "Ada"});
    bob = customers.create({.name = "Bob"});
  }
};

std::vector<std::string> descriptions(const std::vector<Order>& list) {
  std::vector<std::string> out;
  for (const auto& o : list) out.push_back(o.description);
  return out;
}

/// Every order, as (id, description, total, customer_id), to compare before and after a refusal.
std::vector<std::string> snapshot(const relata::repository<Order>& orders) {
  std::vector<std::string> out;
  for (const auto& o : orders.find()) {
    out.push_back(std::to_string(o.id) + "|" + o.description + "|" + std::to_string(o.total) + "|" +
                  std::to_string(o.customer_id) + "|" + o.shipment_info.value_or("<null>"));
  }
  return out;
}

}  // namespace

TEST_CASE("has_many: create sets the foreign key to the source's id", "[has_many]") {
  world w;
  auto pens = w.customers.orders(w.ada.id).create({.description = "pens", .total = 3.5});
  CHECK(pens.id != 0);
  CHECK(pens.customer_id == w.ada.id);
  auto stored = w.orders.find_by_id(pens.id);
  CHECK(stored.customer_id == w.ada.id);
  CHECK(stored.description == "pens");
  CHECK(stored.total == 3.5);
}

TEST_CASE("has_many: create accepts the source's own id as the foreign key", "[has_many]") {
  world w;
  auto pens = w.customers.orders(w.bob.id).create(
      {.description = "pens", .total = 1, .customer_id = static_cast<std::int64_t>(w.bob.id)});
  CHECK(pens.customer_id == w.bob.id);
  CHECK(w.orders.find_by_id(pens.id).customer_id == w.bob.id);
}

TEST_CASE("has_many: create with another source's foreign key is refused and writes nothing",
          "[has_many]") {
  world w;
  w.customers.orders(w.ada.id).create({.description = "first", .total = 1});
  const auto before = snapshot(w.orders);
  try {
    w.customers.orders(w.ada.id).create(
        {.description = "stolen", .total = 1, .customer_id = static_cast<std::int64_t>(w.bob.id)});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK(e.code() == relata::error_code::constraint_violation);
    CHECK_THAT(e.what(),
               Catch::StartsWith("CONSTRAINT_VIOLATION: Property customer_id cannot be changed: "));
    CHECK_THAT(e.what(), Catch::Contains("orders") && Catch::Contains("Customer"));
  }
  CHECK(snapshot(w.orders) == before);
  CHECK(w.customers.orders(w.bob.id).count() == 0);
}

TEST_CASE("has_many: create_all sets every foreign key, in one transaction", "[has_many]") {
  world w;
  auto made = w.customers.orders(w.ada.id).create_all(
      {{.description = "a", .total = 1}, {.description = "b", .total = 2}});
  REQUIRE(made.size() == 2);
  CHECK(made[0].customer_id == w.ada.id);
  CHECK(made[1].customer_id == w.ada.id);
  CHECK(made[0].id != made[1].id);
  CHECK(w.customers.orders(w.ada.id).count() == 2);

  const auto before = snapshot(w.orders);
  SECTION("one entity with another source's key refuses the whole batch") {
    CHECK_THROWS_AS(
        w.customers.orders(w.ada.id).create_all(
            {{.description = "c", .total = 3},
             {.description = "d", .total = 4, .customer_id = static_cast<std::int64_t>(w.bob.id)}}),
        relata::constraint_violation);
  }
  SECTION("the database refusing one entity (a duplicate id) rolls back the others") {
    CHECK_THROWS_AS(
        w.customers.orders(w.ada.id).create_all({{.id = 100, .description = "c", .total = 3},
                                                 {.id = made[0].id, .description = "dup"}}),
        relata::constraint_violation);
    CHECK_FALSE(w.orders.exists(100));
  }
  CHECK(snapshot(w.orders) == before);
}

TEST_CASE("has_many: build sets the foreign key and persists nothing", "[has_many]") {
  world w;
  auto draft = w.customers.orders(w.bob.id).build({.description = "draft", .total = 9});
  CHECK(draft.customer_id == w.bob.id);
  CHECK(draft.id == 0);
  CHECK(draft.description == "draft");
  CHECK(w.orders.count() == 0);
  CHECK_THROWS_AS(w.customers.orders(w.bob.id).build(
                      {.description = "x", .customer_id = static_cast<std::int64_t>(w.ada.id)}),
                  relata::constraint_violation);
  // a built entity can be created through the same relation
  auto created = w.customers.orders(w.bob.id).create(draft);
  CHECK(w.orders.find_by_id(created.id).customer_id == w.bob.id);
}

TEST_CASE("has_many: find returns only this source's targets and applies the filter",
          "[has_many]") {
  world w;
  w.customers.orders(w.ada.id).create_all({{.description = "a1", .total = 10},
                                           {.description = "a2", .total = 20},
                                           {.description = "a3", .total = 30}});
  w.customers.orders(w.bob.id).create_all(
      {{.description = "b1", .total = 15}, {.description = "b2", .total = 25}});

  CHECK(descriptions(w.customers.orders(w.ada.id).find()) ==
        std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(descriptions(w.customers.orders(w.bob.id).find()) == std::vector<std::string>{"b1", "b2"});
  CHECK(descriptions(w.customers.orders(w.ada.id).find({.where = col(&Order::total) > 12.0})) ==
        std::vector<std::string>{"a2", "a3"});
  CHECK(descriptions(w.customers.orders(w.ada.id).find(
            {.order = {relata::desc(&Order::total)}, .limit = 2, .skip = 1})) ==
        std::vector<std::string>{"a2", "a1"});
  auto only = w.customers.orders(w.ada.id).find({.fields = relata::only(&Order::description)});
  REQUIRE(only.size() == 3);
  CHECK(only[0].total == 0);
  CHECK(only[0].description == "a1");
  // a customer with no orders, and one that does not exist
  auto carl = w.customers.create({.name = "Carl"});
  CHECK(w.customers.orders(carl.id).find().empty());
  CHECK(w.customers.orders(999).find().empty());
}

TEST_CASE("has_many: a where on the foreign key cannot escape the constraint", "[has_many]") {
  world w;
  w.customers.orders(w.ada.id).create({.description = "a1", .total = 10});
  w.customers.orders(w.bob.id).create({.description = "b1", .total = 15});
  auto ada_orders = w.customers.orders(w.ada.id);
  const auto bobs = col(&Order::customer_id) == static_cast<std::int64_t>(w.bob.id);

  CHECK(ada_orders.find({.where = bobs}).empty());
  CHECK(descriptions(ada_orders.find({.where = bobs || col(&Order::total) > 0.0})) ==
        std::vector<std::string>{"a1"});
  CHECK(ada_orders.count(bobs) == 0);
  CHECK(ada_orders.count(bobs || col(&Order::total) > 0.0) == 1);
  CHECK(ada_orders.patch({{&Order::description, "hacked"}}, bobs || col(&Order::total) > 0.0) == 1);
  CHECK(ada_orders.delete_all(bobs) == 0);
  CHECK(w.customers.orders(w.bob.id).find().at(0).description == "b1");
  CHECK(w.customers.orders(w.ada.id).find().at(0).description == "hacked");
}

TEST_CASE("has_many: find_by_id finds this source's target only", "[has_many]") {
  world w;
  auto mine = w.customers.orders(w.ada.id).create({.description = "mine", .total = 5});
  auto theirs = w.customers.orders(w.bob.id).create({.description = "theirs", .total = 7});

  CHECK(w.customers.orders(w.ada.id).find_by_id(mine.id).description == "mine");
  try {
    w.customers.orders(w.ada.id).find_by_id(theirs.id);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.code() == relata::error_code::entity_not_found);
    CHECK(e.model() == "Order");
    CHECK(e.id() == std::to_string(theirs.id));
  }
  CHECK_THROWS_AS(w.customers.orders(w.ada.id).find_by_id(12345), relata::entity_not_found);
  // the filter's where applies as well
  CHECK_THROWS_AS(
      w.customers.orders(w.ada.id).find_by_id(mine.id, {.where = col(&Order::total) > 6.0}),
      relata::entity_not_found);
  auto partial = w.customers.orders(w.ada.id).find_by_id(
      mine.id, {.fields = relata::only(&Order::id, &Order::total)});
  CHECK(partial.total == 5);
  CHECK(partial.description.empty());
}

TEST_CASE("has_many: count counts this source's targets matching the where", "[has_many]") {
  world w;
  w.customers.orders(w.ada.id).create_all({{.description = "a1", .total = 10},
                                           {.description = "a2", .total = 20},
                                           {.description = "a3", .total = 30}});
  w.customers.orders(w.bob.id).create_all({{.description = "b1", .total = 50}});
  CHECK(w.customers.orders(w.ada.id).count() == 3);
  CHECK(w.customers.orders(w.bob.id).count() == 1);
  CHECK(w.customers.orders(w.ada.id).count(col(&Order::total) >= 20.0) == 2);
  CHECK(w.customers.orders(w.bob.id).count(col(&Order::total) >= 20.0) == 1);
  CHECK(w.customers.orders(w.ada.id).count(col(&Order::total) > 100.0) == 0);
}

TEST_CASE("has_many: patch changes only this source's matching targets", "[has_many]") {
  world w;
  w.customers.orders(w.ada.id).create_all(
      {{.description = "a1", .total = 10}, {.description = "a2", .total = 20}});
  w.customers.orders(w.bob.id).create_all(
      {{.description = "b1", .total = 10}, {.description = "b2", .total = 20}});

  CHECK(w.customers.orders(w.ada.id).patch({{&Order::description, "cheap"}},
                                           col(&Order::total) < 15.0) == 1);
  CHECK(descriptions(w.customers.orders(w.ada.id).find()) ==
        std::vector<std::string>{"cheap", "a2"});
  CHECK(descriptions(w.customers.orders(w.bob.id).find()) == std::vector<std::string>{"b1", "b2"});

  // without a where: every target of this source, and no other
  CHECK(w.customers.orders(w.bob.id).patch({{&Order::total, 1.0}}) == 2);
  CHECK(w.customers.orders(w.bob.id).count(col(&Order::total) == 1.0) == 2);
  CHECK(w.customers.orders(w.ada.id).count(col(&Order::total) == 1.0) == 0);
  CHECK(w.customers.orders(w.ada.id).patch({{&Order::total, 2.0}}, col(&Order::total) > 99.0) == 0);
  // from JSON, as a REST PATCH would send it
  CHECK(w.customers.orders(w.ada.id).patch(
            relata::changes<Order>::from_json(R"({"description":"json"})")) == 2);
  CHECK(w.customers.orders(w.ada.id).count(col(&Order::description) == "json") == 2);
  CHECK(w.customers.orders(w.bob.id).count(col(&Order::description) == "json") == 0);
}

TEST_CASE("has_many: patch refuses to change the foreign key and changes nothing", "[has_many]") {
  world w;
  w.customers.orders(w.ada.id).create_all(
      {{.description = "a1", .total = 10}, {.description = "a2", .total = 20}});
  w.customers.orders(w.bob.id).create({.description = "b1", .total = 10});
  const auto before = snapshot(w.orders);

  try {
    w.customers.orders(w.ada.id).patch(
        {{&Order::description, "moved"},
         {&Order::customer_id, static_cast<std::int64_t>(w.bob.id)}});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK(e.code() == relata::error_code::constraint_violation);
    CHECK_THAT(e.what(), Catch::Contains("Property customer_id cannot be changed: "));
  }
  CHECK_THROWS_AS(w.customers.orders(w.ada.id).patch(
                      relata::changes<Order>::from_json(R"({"customer_id": 2})")),
                  relata::constraint_violation);
  CHECK(snapshot(w.orders) == before);

  // setting it to the value it already has is not a change
  CHECK(w.customers.orders(w.ada.id).patch(
            {{&Order::customer_id, static_cast<std::int64_t>(w.ada.id)}, {&Order::total, 11.0}}) ==
        2);
  CHECK(w.customers.orders(w.ada.id).count(col(&Order::total) == 11.0) == 2);
}

TEST_CASE("has_many: delete_all deletes only this source's matching targets", "[has_many]") {
  world w;
  w.customers.orders(w.ada.id).create_all({{.description = "a1", .total = 10},
                                           {.description = "a2", .total = 20},
                                           {.description = "a3", .total = 30}});
  w.customers.orders(w.bob.id).create_all(
      {{.description = "b1", .total = 10}, {.description = "b2", .total = 30}});

  CHECK(w.customers.orders(w.ada.id).delete_all(col(&Order::total) >= 20.0) == 2);
  CHECK(descriptions(w.customers.orders(w.ada.id).find()) == std::vector<std::string>{"a1"});
  CHECK(descriptions(w.customers.orders(w.bob.id).find()) == std::vector<std::string>{"b1", "b2"});
  CHECK(w.customers.orders(w.ada.id).delete_all(col(&Order::total) >= 20.0) == 0);

  CHECK(w.customers.orders(w.ada.id).delete_all() == 1);
  CHECK(w.customers.orders(w.ada.id).count() == 0);
  CHECK(w.orders.count() == 2);
  CHECK(w.customers.orders(w.ada.id).delete_all() == 0);
}

TEST_CASE("has_many: delete_by_id deletes this source's target, never another's", "[has_many]") {
  world w;
  auto mine = w.customers.orders(w.ada.id).create({.description = "mine", .total = 1});
  auto theirs = w.customers.orders(w.bob.id).create({.description = "theirs", .total = 2});

  try {
    w.customers.orders(w.ada.id).delete_by_id(theirs.id);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.model() == "Order");
    CHECK(e.id() == std::to_string(theirs.id));
  }
  CHECK(w.orders.exists(theirs.id));
  w.customers.orders(w.ada.id).delete_by_id(mine.id);
  CHECK_FALSE(w.orders.exists(mine.id));
  CHECK_THROWS_AS(w.customers.orders(w.ada.id).delete_by_id(mine.id), relata::entity_not_found);
  CHECK(w.orders.count() == 1);
}

TEST_CASE("has_many: creating a target of a source that does not exist is refused", "[has_many]") {
  world w;
  CHECK_THROWS_AS(w.customers.orders(999).create({.description = "orphan", .total = 1}),
                  relata::constraint_violation);
  CHECK(w.orders.count() == 0);
}

TEST_CASE("has_many: a failed create leaves the data as it was", "[has_many]") {
  world w;
  auto first = w.customers.orders(w.ada.id).create({.description = "first", .total = 1});
  const auto before = snapshot(w.orders);
  // the id is taken: the database refuses
  CHECK_THROWS_AS(
      w.customers.orders(w.ada.id).create({.id = first.id, .description = "dup", .total = 2}),
      relata::constraint_violation);
  CHECK(snapshot(w.orders) == before);
  // the next id is still the next one
  auto second = w.customers.orders(w.ada.id).create({.description = "second", .total = 2});
  CHECK(second.id == first.id + 1);
}

TEST_CASE("has_many: the generic related<&Model::relation> accessor is the named one",
          "[has_many]") {
  world w;
  auto made =
      w.customers.related<&Customer::orders>(w.ada.id).create({.description = "x", .total = 2});
  CHECK(made.customer_id == w.ada.id);
  CHECK(w.customers.orders(w.ada.id).find().size() == 1);
  CHECK(w.customers.related<&Customer::orders>(w.ada.id).count() == 1);
  CHECK(w.customers.related<&Customer::orders>(w.bob.id).count() == 0);
  CHECK(w.customers.orders(w.ada.id).key() == relata::value{static_cast<std::int64_t>(w.ada.id)});
}

TEST_CASE("has_many: a constrained repository is a value: copied and moved, it stays confined",
          "[has_many]") {
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<relata::has_many_repository<Order>>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<relata::has_many_repository<Order>>);
  world w;
  auto adas = w.customers.orders(w.ada.id);
  adas.create({.description = "pens"});
  const auto copy = adas;
  auto moved = std::move(adas);
  moved.create({.description = "ink"});
  w.customers.orders(w.bob.id).create({.description = "paper"});
  CHECK(copy.count() == 2);
  CHECK(moved.count() == 2);
  auto reassigned = w.customers.orders(w.bob.id);
  reassigned = moved;
  CHECK(descriptions(reassigned.find({.order = {relata::asc(&Order::id)}})) ==
        std::vector<std::string>{"pens", "ink"});
}

TEST_CASE("has_many: a relation keyed on a non-id property (LoopBack's Shipment)", "[has_many]") {
  world w;
  auto s1 = w.shipments.create({.name = "first", .shipment_id = "S-1"});
  auto s2 = w.shipments.create({.name = "second", .shipment_id = "S-2"});

  // the accessor takes the source's key_from value, not its id
  auto o1 = w.shipments.shipment_orders(s1.shipment_id)
                .create({.description = "o1", .total = 1, .customer_id = w.ada.id});
  CHECK(o1.shipment_info == "S-1");
  w.shipments.shipment_orders("S-2").create(
      {.description = "o2", .total = 2, .customer_id = w.bob.id});
  w.shipments.shipment_orders("S-2").create(
      {.description = "o3", .total = 3, .customer_id = w.bob.id});

  CHECK(descriptions(w.shipments.shipment_orders("S-1").find()) == std::vector<std::string>{"o1"});
  CHECK(descriptions(w.shipments.shipment_orders(s2.shipment_id).find()) ==
        std::vector<std::string>{"o2", "o3"});
  CHECK(w.shipments.shipment_orders("S-2").count() == 2);
  CHECK(w.shipments.shipment_orders("S-3").count() == 0);

  // an order already assigned to another shipment is refused
  const auto before = snapshot(w.orders);
  try {
    w.shipments.shipment_orders("S-1").create(
        {.description = "x", .total = 1, .customer_id = w.ada.id, .shipment_info = "S-2"});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(e.what(), Catch::Contains("Property shipment_info cannot be changed: "));
  }
  CHECK_THROWS_AS(w.shipments.shipment_orders("S-1").patch(
                      {{&Order::shipment_info, std::optional<std::string>("S-2")}}),
                  relata::constraint_violation);
  CHECK(snapshot(w.orders) == before);

  CHECK(w.shipments.shipment_orders("S-2").patch({{&Order::total, 9.0}}) == 2);
  CHECK(w.orders.find_by_id(o1.id).total == 1);
  CHECK(w.shipments.shipment_orders("S-2").delete_all(col(&Order::description) == "o2") == 1);
  CHECK(w.orders.count() == 2);
  CHECK(w.shipments.shipment_orders("S-1").count() == 1);
}

TEST_CASE("has_many: a self relation (customers and their children)", "[has_many]") {
  world w;
  auto kid = w.customers.children(w.ada.id).create({.name = "kid", .age = 7});
  CHECK(kid.parent_id == w.ada.id);
  w.customers.children(w.ada.id).create({.name = "teen", .age = 15});
  w.customers.children(w.bob.id).create({.name = "bobby", .age = 3});

  auto names = [](const std::vector<Customer>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) out.push_back(c.name);
    return out;
  };
  CHECK(names(w.customers.children(w.ada.id).find()) == std::vector<std::string>{"kid", "teen"});
  CHECK(names(w.customers.children(w.bob.id).find()) == std::vector<std::string>{"bobby"});
  CHECK(w.customers.children(kid.id).count() == 0);
  CHECK(w.customers.children(w.ada.id).count(col(&Customer::age) > 10) == 1);
  // a child of another parent cannot be created here
  CHECK_THROWS_AS(w.customers.children(w.ada.id).create(
                      {.name = "x", .parent_id = static_cast<std::int64_t>(w.bob.id)}),
                  relata::constraint_violation);
  // deleting a child that has no children of its own works; a parent with children is kept by
  // its foreign key
  CHECK(w.customers.children(w.ada.id).delete_all(col(&Customer::name) == "kid") == 1);
  CHECK_THROWS_AS(w.customers.delete_by_id(w.ada.id), relata::constraint_violation);
  CHECK(w.customers.exists(w.ada.id));
  CHECK(w.customers.children(w.ada.id).count() == 1);
}

TEST_CASE("has_many: find on the relation loads the targets' own includes", "[has_many]") {
  world w;
  auto order = w.customers.orders(w.ada.id).create({.description = "pens", .total = 1});
  relata::repository<Order>{*w.db}.items(order.id).create({.product = "blue", .quantity = 2});
  auto found = w.customers.orders(w.ada.id).find({.include = {"items", "customer"}});
  REQUIRE(found.size() == 1);
  REQUIRE(found[0].items.loaded());
  REQUIRE(found[0].items.size() == 1);
  CHECK(found[0].items[0].product == "blue");
  REQUIRE(found[0].customer.has_value());
  CHECK(found[0].customer->name == "Ada");
  auto one = w.customers.orders(w.ada.id).find_by_id(order.id, {.include = {"items"}});
  CHECK(one.items.size() == 1);
}
