// belongsTo accessors (`orders.customer(order_id)`), after LoopBack's
// belongs-to.relation.acceptance tests, on every connector: the source missing, a null foreign
// key and a key that points at nothing are three different answers.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;

namespace {

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<OrderItem> items{*db};
  relata::repository<Address> addresses{*db};
  relata::repository<Shipment> shipments{*db};
  world() { migrate_all(*db); }
};

}  // namespace

TEST_CASE("belongs_to: the accessor returns the source's target", "[belongs_to]") {
  world w;
  auto ada = w.customers.create({.name = "Ada", .age = 36});
  auto bob = w.customers.create({.name = "Bob"});
  auto pens = w.customers.orders(ada.id).create({.description = "pens", .total = 1});
  auto ink = w.customers.orders(bob.id).create({.description = "ink", .total = 2});

  std::optional<Customer> owner = w.orders.customer(pens.id);
  REQUIRE(owner.has_value());
  CHECK(owner->id == ada.id);
  CHECK(owner->name == "Ada");
  CHECK(owner->age == 36);
  // the target comes back without navigational members loaded
  CHECK_FALSE(owner->orders.loaded());
  REQUIRE(w.orders.customer(ink.id).has_value());
  CHECK(w.orders.customer(ink.id)->name == "Bob");
  // the generic form is the same accessor
  CHECK(w.orders.related<&Order::customer>(ink.id)->name == "Bob");
  // chains of belongsTo
  auto item = w.orders.items(pens.id).create({.product = "blue", .quantity = 1});
  CHECK(w.items.order(item.id)->description == "pens");
  CHECK(w.orders.customer(w.items.order(item.id)->id)->name == "Ada");
  auto home = w.customers.address(ada.id).create({.street = "1 Main St", .city = "Paris"});
  CHECK(w.addresses.customer(home.id)->name == "Ada");
}

TEST_CASE("belongs_to: a source that does not exist is ENTITY_NOT_FOUND naming the source",
          "[belongs_to]") {
  world w;
  try {
    (void)w.orders.customer(42);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.code() == relata::error_code::entity_not_found);
    CHECK(e.model() == "Order");
    CHECK(e.id() == "42");
    CHECK(std::string(e.what()) == "ENTITY_NOT_FOUND: Entity not found: Order with id 42");
  }
}

TEST_CASE("belongs_to: a null foreign key is no target, not an error", "[belongs_to]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto order = w.customers.orders(ada.id).create({.description = "unshipped", .total = 1});
  REQUIRE_FALSE(order.shipment_info.has_value());
  CHECK_FALSE(w.orders.shipment(order.id).has_value());
  // a customer without parent
  CHECK_FALSE(w.customers.parent(ada.id).has_value());
}

TEST_CASE("belongs_to: a key that points at nothing is ENTITY_NOT_FOUND naming the target and key",
          "[belongs_to]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  // shipment_info joins on Shipment.shipment_id, which is not a primary key: no foreign key
  // constraint can keep it from dangling
  auto order = w.customers.orders(ada.id).create(
      {.description = "lost", .total = 1, .shipment_info = "S-404"});
  try {
    (void)w.orders.shipment(order.id);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.code() == relata::error_code::entity_not_found);
    CHECK(e.model() == "Shipment");
    CHECK_THAT(e.what(), Catch::Contains("Shipment with shipment_id \"S-404\""));
    CHECK_THAT(e.what(), Catch::Contains("the shipment of Order " + std::to_string(order.id)));
  }
}

TEST_CASE("belongs_to: keys other than ids (LoopBack's Order.shipment)", "[belongs_to]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  w.shipments.create({.name = "first", .shipment_id = "S-1"});
  auto second = w.shipments.create({.name = "second", .shipment_id = "S-2"});
  auto order =
      w.customers.orders(ada.id).create({.description = "o", .total = 1, .shipment_info = "S-2"});
  auto shipment = w.orders.shipment(order.id);
  REQUIRE(shipment.has_value());
  CHECK(shipment->id == second.id);
  CHECK(shipment->name == "second");
}

TEST_CASE("belongs_to: a self relation (a customer's parent)", "[belongs_to]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto kid = w.customers.children(ada.id).create({.name = "kid"});
  auto grandkid = w.customers.children(kid.id).create({.name = "grandkid"});
  CHECK(w.customers.parent(kid.id)->name == "Ada");
  CHECK(w.customers.parent(grandkid.id)->name == "kid");
  CHECK_FALSE(w.customers.parent(ada.id).has_value());
  CHECK_THROWS_AS(w.customers.parent(77), relata::entity_not_found);
}

TEST_CASE("belongs_to: the accessor follows the stored key, not a stale copy", "[belongs_to]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto bob = w.customers.create({.name = "Bob"});
  auto order = w.customers.orders(ada.id).create({.description = "o", .total = 1});
  w.orders.update_by_id(order.id, {{&Order::customer_id, static_cast<std::int64_t>(bob.id)}});
  CHECK(w.orders.customer(order.id)->name == "Bob");
  w.orders.update_by_id(order.id, {{&Order::shipment_info, std::optional<std::string>("S-9")}});
  CHECK_THROWS_AS(w.orders.shipment(order.id), relata::entity_not_found);
  w.orders.update_by_id(order.id, {{&Order::shipment_info, std::nullopt}});
  CHECK_FALSE(w.orders.shipment(order.id).has_value());
}

TEST_CASE("belongs_to: the accessor reads, it never writes", "[belongs_to]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto order = w.customers.orders(ada.id).create({.description = "o", .total = 1});
  relata_test::query_log log(*w.db);
  (void)w.orders.customer(order.id);
  (void)w.orders.shipment(order.id);
  CHECK_THROWS_AS(w.orders.customer(order.id + 1), relata::entity_not_found);
  CHECK(log.selects() == log.statements.size());
  // the source's key then the target (2), the key alone when it is null (1) or when the source
  // is missing (1)
  CHECK(log.selects() == 4);
}
