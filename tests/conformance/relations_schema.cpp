// What relations put in the schema and around the entities, on every connector: migrate's
// FOREIGN KEY constraints and foreign-key indexes (LoopBack's #2331), relations across
// datasources, the navigational members an include fills, and writes of entities whose
// relations were loaded.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;
using relata::col;

namespace {

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<OrderItem> items{*db};
  relata::repository<Address> addresses{*db};
  relata::repository<CartItem> cart_items{*db};
  relata::repository<CustomerCartItemLink> links{*db};
  world() { migrate_all(*db); }
};

template <class Range>
std::vector<std::string> descriptions_of(const Range& list) {
  std::vector<std::string> out;
  for (const auto& e : list) out.push_back(e.description);
  return out;
}

bool any_statement_contains(const relata_test::query_log& log, const std::string& text) {
  return std::any_of(log.statements.begin(), log.statements.end(), [&](const std::string& s) {
    return s.find(text) != std::string::npos;
  });
}

}  // namespace

// --- migrate: foreign keys and indexes -------------------------------------------------------

TEST_CASE("schema: a foreign key that refers to nothing is refused on every connector",
          "[schema]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto order = w.customers.orders(ada.id).create({.description = "o", .total = 1});

  SECTION("insert") {
    try {
      w.orders.create({.description = "orphan", .total = 1, .customer_id = 999});
      FAIL("expected constraint_violation");
    } catch (const relata::constraint_violation& e) {
      CHECK(e.code() == relata::error_code::constraint_violation);
      CHECK_THAT(e.what(), Catch::Contains("foreign key", Catch::CaseSensitive::No));
    }
  }
  SECTION("update") {
    CHECK_THROWS_AS(w.orders.update_by_id(order.id, {{&Order::customer_id, std::int64_t{999}}}),
                    relata::constraint_violation);
  }
  SECTION("update_all") {
    CHECK_THROWS_AS(w.orders.update_all({{&Order::customer_id, std::int64_t{999}}}),
                    relata::constraint_violation);
  }
  SECTION("a link to a target that does not exist") {
    CHECK_THROWS_AS(w.links.create({.customer_id = ada.id, .cart_item_id = 999}),
                    relata::constraint_violation);
  }
  SECTION("an item of an order that does not exist") {
    CHECK_THROWS_AS(w.items.create({.product = "p", .quantity = 1, .order_id = 999}),
                    relata::constraint_violation);
  }
  SECTION("a parent that does not exist (a self reference)") {
    CHECK_THROWS_AS(w.customers.create({.name = "kid", .parent_id = 999}),
                    relata::constraint_violation);
  }
  CHECK(w.orders.count() == 1);
  CHECK(w.orders.find_by_id(order.id).customer_id == ada.id);
  CHECK(w.links.count() == 0);
  CHECK(w.items.count() == 0);
  CHECK(w.customers.count() == 1);
}

TEST_CASE("schema: a row that others still refer to cannot be deleted or re-keyed", "[schema]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto bob = w.customers.create({.name = "Bob"});
  auto order = w.customers.orders(ada.id).create({.description = "o", .total = 1});
  auto item = w.orders.items(order.id).create({.product = "p", .quantity = 1});
  auto cup = w.customers.cart_items(bob.id).create({.description = "cup", .price = 1});

  CHECK_THROWS_AS(w.customers.delete_by_id(ada.id), relata::constraint_violation);
  CHECK_THROWS_AS(w.customers.delete_all(), relata::constraint_violation);
  CHECK_THROWS_AS(w.orders.delete_by_id(order.id), relata::constraint_violation);
  CHECK_THROWS_AS(w.cart_items.delete_by_id(cup.id), relata::constraint_violation);
  CHECK_THROWS_AS(w.customers.delete_by_id(bob.id), relata::constraint_violation);
  CHECK(w.customers.count() == 2);
  CHECK(w.orders.count() == 1);
  CHECK(w.cart_items.count() == 1);
  CHECK(w.items.exists(item.id));

  // bottom up, every delete goes through
  w.items.delete_by_id(item.id);
  w.orders.delete_by_id(order.id);
  w.customers.delete_by_id(ada.id);
  CHECK(w.customers.cart_items(bob.id).unlink_all() == 1);
  w.cart_items.delete_by_id(cup.id);
  w.customers.delete_by_id(bob.id);
  CHECK(w.customers.count() == 0);
}

TEST_CASE("schema: a null foreign key refers to nothing and is accepted", "[schema]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  CHECK_FALSE(ada.parent_id.has_value());
  auto kid = w.customers.create({.name = "kid", .parent_id = ada.id});
  w.customers.update_by_id(kid.id, {{&Customer::parent_id, std::nullopt}});
  CHECK_FALSE(w.customers.find_by_id(kid.id).parent_id.has_value());
  w.customers.delete_by_id(ada.id);
  CHECK(w.customers.count() == 1);
}

TEST_CASE("schema: SQL connectors create FOREIGN KEY constraints and foreign-key indexes",
          "[schema]") {
  if (relata_test::backend_name() == "memory") return;  // no DDL to look at
  auto db = relata_test::make_datasource();
  relata_test::query_log log(*db);
  migrate_all(*db);
  // hasMany / belongsTo
  CHECK(any_statement_contains(log, R"(FOREIGN KEY ("customer_id") REFERENCES "Customer" ("id"))"));
  CHECK(any_statement_contains(log, R"(FOREIGN KEY ("order_id") REFERENCES "Order" ("id"))"));
  // self reference
  CHECK(any_statement_contains(log, R"(FOREIGN KEY ("parent_id") REFERENCES "Customer" ("id"))"));
  // both keys of a link
  CHECK(
      any_statement_contains(log, R"(FOREIGN KEY ("cart_item_id") REFERENCES "CartItem" ("id"))"));
  CHECK(any_statement_contains(log, R"(FOREIGN KEY ("follower_id") REFERENCES "User" ("id"))"));
  CHECK(any_statement_contains(log, R"(FOREIGN KEY ("followee_id") REFERENCES "User" ("id"))"));
  // an index on every foreign-key column, unique for a hasOne
  CHECK(any_statement_contains(log, R"(INDEX IF NOT EXISTS "Order_customer_id_idx")"));
  CHECK(any_statement_contains(log, R"(INDEX IF NOT EXISTS "OrderItem_order_id_idx")"));
  CHECK(any_statement_contains(log, R"(INDEX IF NOT EXISTS "Customer_parent_id_idx")"));
  CHECK(any_statement_contains(log,
                               R"(CREATE UNIQUE INDEX IF NOT EXISTS "Address_customer_id_key")"));
  CHECK(any_statement_contains(log, R"("CustomerCartItemLink_customer_id_idx")"));
  CHECK(any_statement_contains(log, R"("CustomerCartItemLink_cart_item_id_idx")"));
  CHECK(any_statement_contains(log, R"("UserLink_follower_id_idx")"));
  CHECK(any_statement_contains(log, R"("UserLink_followee_id_idx")"));
  // keys that are not primary keys get an index but no constraint
  CHECK(any_statement_contains(log, R"("Order_shipment_info_idx")"));
  CHECK_FALSE(any_statement_contains(log, R"(FOREIGN KEY ("shipment_info"))"));
  // an array is nothing to enforce
  CHECK_FALSE(any_statement_contains(log, R"(FOREIGN KEY ("account_ids"))"));
}

TEST_CASE("schema: migrate is idempotent and keeps the data", "[schema]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  w.customers.orders(ada.id).create({.description = "o", .total = 1});
  migrate_all(*w.db);
  migrate_all(*w.db);
  CHECK(w.customers.orders(ada.id).count() == 1);
  CHECK_THROWS_AS(w.orders.create({.description = "orphan", .customer_id = 999}),
                  relata::constraint_violation);
  w.customers.address(ada.id).create({.street = "x"});
  CHECK_THROWS_AS(w.addresses.create({.street = "y", .customer_id = ada.id}),
                  relata::constraint_violation);
  CHECK(w.addresses.count() == 1);
}

TEST_CASE("schema: foreign keys are only created between models migrated together",
          "[schema][cross-datasource]") {
  auto db = relata_test::make_datasource();
  relata::migrate<Customer>(*db);
  relata::migrate<Order>(*db);
  relata::repository<Order> orders{*db};
  // Customer was not migrated with Order: Order's table has no constraint to check
  auto orphan = orders.create({.description = "orphan", .total = 1, .customer_id = 999});
  CHECK(orders.exists(orphan.id));
}

// --- relations across datasources -----------------------------------------------------------

TEST_CASE(
    "cross-datasource: a relation target bound to another database is read and written "
    "there",
    "[schema][cross-datasource]") {
  auto db1 = relata_test::make_datasource();
  auto db2 = relata_test::make_datasource();
  relata::migrate<Customer, Address, Account, CartItem, CustomerCartItemLink>(*db1);
  relata::migrate<Order, OrderItem, Shipment>(*db2);

  relata::repository<Customer> customers{*db1};
  customers.bind<Order>(*db2).bind<OrderItem>(*db2);
  relata::repository<Order> orders{*db2};
  orders.bind<Customer>(*db1);

  auto ada = customers.create({.name = "Ada"});
  auto bob = customers.create({.name = "Bob"});
  relata_test::query_log log1(*db1);
  relata_test::query_log log2(*db2);

  auto pens = customers.orders(ada.id).create({.description = "pens", .total = 3});
  customers.orders(ada.id).create({.description = "ink", .total = 5});
  customers.orders(bob.id).create({.description = "cup", .total = 7});
  CHECK(log1.statements.empty());
  CHECK(orders.count() == 3);
  CHECK(pens.customer_id == ada.id);
  // the constraint still holds across databases
  CHECK_THROWS_AS(customers.orders(ada.id).create(
                      {.description = "x", .customer_id = static_cast<std::int64_t>(bob.id)}),
                  relata::constraint_violation);
  CHECK(customers.orders(ada.id).count() == 2);
  CHECK(customers.orders(ada.id).patch({{&Order::total, 1.0}}) == 2);
  CHECK(orders.count(col(&Order::total) == 1.0) == 2);
  CHECK(customers.orders(bob.id).delete_all() == 1);
  CHECK(orders.count() == 2);
  orders.items(pens.id).create({.product = "blue", .quantity = 2});
  CHECK(log1.statements.empty());

  // belongsTo the other way
  log2.clear();
  auto owner = orders.customer(pens.id);
  REQUIRE(owner.has_value());
  CHECK(owner->name == "Ada");
  CHECK(log1.selects() == 1);
  CHECK(log2.selects() == 1);

  // includes reaching Order (and OrderItem) use db2
  log1.clear();
  log2.clear();
  auto all = customers.find(
      {.include = {relata::include(&Customer::orders, {.include = {"items", "customer"}})}});
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].orders.size() == 2);
  CHECK(all[0].orders[0].description == "pens");
  REQUIRE(all[0].orders[0].items.size() == 1);
  CHECK(all[0].orders[0].items[0].product == "blue");
  REQUIRE(all[0].orders[0].customer.has_value());
  CHECK(all[0].orders[0].customer->name == "Ada");
  CHECK(all[1].orders.loaded());
  CHECK(all[1].orders.empty());
  CHECK(log1.selects() == 2);  // customers, then the orders' customers
  CHECK(log2.selects() == 2);  // orders, items

  auto with_owner = orders.find({.include = {"customer"}});
  REQUIRE(with_owner.size() == 2);
  CHECK(with_owner[1].customer->name == "Ada");
}

TEST_CASE("cross-datasource: a hasManyThrough whose links live in another database",
          "[schema][cross-datasource][through]") {
  auto db1 = relata_test::make_datasource();
  auto db2 = relata_test::make_datasource();
  relata::migrate<Customer, Address, Account, CartItem>(*db1);
  relata::migrate<CustomerCartItemLink>(*db2);
  relata::repository<Customer> customers{*db1};
  customers.bind<CustomerCartItemLink>(*db2);
  relata::repository<CartItem> items{*db1};
  relata::repository<CustomerCartItemLink> links{*db2};

  auto ada = customers.create({.name = "Ada"});
  auto bob = customers.create({.name = "Bob"});
  auto pen = customers.cart_items(ada.id).create({.description = "pen", .price = 2},
                                                 {.description = "gift"});
  auto ink = customers.cart_items(ada.id).create({.description = "ink", .price = 8});
  customers.cart_items(bob.id).link(pen.id);
  customers.cart_items(ada.id).link(pen.id);  // twice
  items.create({.description = "loose", .price = 1});

  CHECK(items.count() == 3);
  CHECK(links.count() == 4);
  CHECK(links.find().at(0).description == "gift");
  CHECK(customers.cart_items(ada.id).count() == 2);
  CHECK(customers.cart_items(ada.id).find({.where = col(&CartItem::price) > 5.0}).at(0).id ==
        ink.id);
  CHECK(customers.cart_items(bob.id).find().size() == 1);
  CHECK_THROWS_AS(customers.cart_items(ada.id).link(404), relata::entity_not_found);
  CHECK(links.count() == 4);

  // the include reads the links, then the targets, and files each target once per source
  relata_test::query_log log1(*db1);
  relata_test::query_log log2(*db2);
  auto all = customers.find({.include = {"cart_items"}});
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].cart_items.size() == 2);
  CHECK(all[0].cart_items[0].description == "pen");
  CHECK(all[0].cart_items[1].description == "ink");
  REQUIRE(all[1].cart_items.size() == 1);
  CHECK(all[1].cart_items[0].description == "pen");
  CHECK(log1.selects() == 2);
  CHECK(log2.selects() == 1);
  // with a per-parent limit
  auto limited = customers.find(
      {.include = {relata::include(&Customer::cart_items,
                                   {.order = {relata::desc(&CartItem::price)}, .limit = 1})}});
  CHECK(descriptions_of(limited[0].cart_items) == std::vector<std::string>{"ink"});
  CHECK(descriptions_of(limited[1].cart_items) == std::vector<std::string>{"pen"});
  auto skipped = customers.find(
      {.include = {relata::include(&Customer::cart_items,
                                   {.order = {relata::desc(&CartItem::price)}, .skip = 1})}});
  CHECK(descriptions_of(skipped[0].cart_items) == std::vector<std::string>{"pen"});
  CHECK(skipped[1].cart_items.empty());

  CHECK(customers.cart_items(ada.id).unlink(pen.id) == 2);
  CHECK(customers.cart_items(ada.id).patch({{&CartItem::price, 9.0}}) == 1);
  CHECK(items.find_by_id(ink.id).price == 9);
  CHECK(items.find_by_id(pen.id).price == 2);
  CHECK(customers.cart_items(ada.id).delete_all() == 1);
  CHECK_FALSE(items.exists(ink.id));
  CHECK(links.count() == 1);
}

// --- navigational members --------------------------------------------------------------------

TEST_CASE(
    "navigation: reading an unloaded relation throws NOT_LOADED naming the model and the "
    "relation; loaded() asks without throwing",
    "[schema][navigation][regression]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});

  // Read without includes, and built in C++: an unloaded relation is not an empty one.
  for (const auto& plain : {w.customers.find_by_id(ada.id), Customer{.name = "Bo"}}) {
    CHECK_FALSE(plain.orders.loaded());
    CHECK_THROWS_WITH(plain.orders.size(),
                      Catch::Contains("NOT_LOADED: relation orders of model Customer was not "
                                      "loaded: add it to the filter's include"));
    CHECK_THROWS_AS(plain.orders.empty(), relata::not_loaded);
    CHECK_THROWS_AS(plain.orders.begin(), relata::not_loaded);
    CHECK_THROWS_AS(plain.orders[0], relata::not_loaded);
    CHECK_THROWS_AS(plain.orders.value(), relata::not_loaded);
    CHECK_THROWS_AS(
        [&] {
          std::size_t n = 0;
          for (const auto& o : plain.orders) n += o.description.size();
          return n;
        }(),
        relata::not_loaded);
    CHECK_FALSE(plain.address.loaded());
    CHECK_THROWS_WITH(plain.address.has_value(),
                      Catch::Contains("relation address of model Customer was not loaded"));
    CHECK_THROWS_AS(plain.address.get(), relata::not_loaded);
    CHECK_THROWS_WITH(plain.parent.value(),
                      Catch::Contains("relation parent of model Customer was not loaded"));
  }
  auto plain = w.customers.find_by_id(ada.id);
  try {
    (void)plain.orders.value();
    FAIL("expected not_loaded");
  } catch (const relata::not_loaded& e) {
    CHECK(e.code() == relata::error_code::not_loaded);
  }
  CHECK_THROWS_AS(plain.address.value(), relata::not_loaded);
  CHECK_THROWS_AS(*plain.address, relata::not_loaded);
  CHECK_THROWS_AS(plain.address->street, relata::not_loaded);

  auto loaded = w.customers.find_by_id(ada.id, {.include = {"orders", "address", "parent"}});
  CHECK(loaded.orders.loaded());
  CHECK(loaded.orders.empty());
  CHECK(loaded.orders.value().empty());
  CHECK(loaded.address.loaded());
  CHECK_FALSE(loaded.address.has_value());
  CHECK(loaded.address.get() == nullptr);
  try {
    (void)loaded.address.value();
    FAIL("expected not_loaded");
  } catch (const relata::not_loaded& e) {
    CHECK_THAT(e.what(), Catch::Contains("loaded and has no target"));
  }
  CHECK(loaded.parent.loaded());
  CHECK_FALSE(loaded.parent.has_value());
  CHECK_FALSE(loaded.cart_items.loaded());
}

TEST_CASE("navigation: loaded targets are reachable through every accessor",
          "[schema][navigation]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  w.customers.orders(ada.id).create({.description = "a", .total = 1});
  w.customers.orders(ada.id).create({.description = "b", .total = 2});
  w.customers.address(ada.id).create({.street = "1 Main St", .city = "Paris"});

  auto c = w.customers.find_by_id(ada.id, {.include = {"orders", "address"}});
  REQUIRE(c.orders.loaded());
  CHECK(c.orders.size() == 2);
  CHECK(c.orders[1].description == "b");
  CHECK(c.orders.value().at(0).description == "a");
  std::vector<std::string> seen;
  for (const auto& o : c.orders) seen.push_back(o.description);
  CHECK(seen == std::vector<std::string>{"a", "b"});
  REQUIRE(c.address.has_value());
  CHECK(c.address.get()->street == "1 Main St");
  CHECK((*c.address).city == "Paris");
  CHECK(c.address->customer_id == ada.id);
  CHECK(c.address.value().street == "1 Main St");

  // copies keep what was loaded; reset() forgets it
  Customer copy = c;
  CHECK(copy.orders.size() == 2);
  CHECK(copy.address->street == "1 Main St");
  copy.orders.reset();
  copy.address.reset();
  CHECK_FALSE(copy.orders.loaded());
  CHECK_FALSE(copy.address.loaded());
  CHECK(c.orders.loaded());
  CHECK(c.address.has_value());
}

TEST_CASE("navigation: JSON shows only the relations that were loaded", "[schema][navigation]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  w.customers.orders(ada.id).create({.description = "a", .total = 1});
  auto bob = w.customers.create({.name = "Bob"});

  nlohmann::json plain = w.customers.find_by_id(ada.id);
  CHECK(plain["name"] == "Ada");
  CHECK_FALSE(plain.contains("orders"));
  CHECK_FALSE(plain.contains("address"));
  CHECK_FALSE(plain.contains("parent"));

  nlohmann::json loaded = w.customers.find({.include = {"orders", "address"}});
  REQUIRE(loaded.is_array());
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[0]["orders"].size() == 1);
  CHECK(loaded[0]["orders"][0]["description"] == "a");
  CHECK_FALSE(loaded[0]["orders"][0].contains("customer"));
  CHECK(loaded[0]["address"].is_null());
  CHECK(loaded[1]["name"] == "Bob");
  CHECK(loaded[1]["orders"] == nlohmann::json::array());
  CHECK(loaded[1].contains("address"));
  CHECK_FALSE(loaded[1].contains("cart_items"));
  CHECK(bob.id != 0);
}

// --- writes of entities whose relations were loaded ------------------------------------------

TEST_CASE(
    "navigation: writing an entity whose relations were loaded is refused, naming the "
    "relation",
    "[schema][navigation]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto order = w.customers.orders(ada.id).create({.description = "o", .total = 1});
  auto c = w.customers.find_by_id(ada.id, {.include = {"orders"}});
  auto o = w.orders.find_by_id(order.id, {.include = {"customer"}});
  auto none = w.customers.find_by_id(ada.id, {.include = {"address"}});  // loaded, no target
  REQUIRE(none.address.loaded());

  const std::string orders_message = "navigational property orders of model Customer";
  const std::string customer_message = "navigational property customer of model Order";
  c.name = "changed";
  CHECK_THROWS_WITH(w.customers.update(c), Catch::Contains(orders_message));
  CHECK_THROWS_WITH(w.customers.replace_by_id(ada.id, c), Catch::Contains(orders_message));
  c.id = 0;
  CHECK_THROWS_WITH(w.customers.create(c), Catch::Contains(orders_message));
  CHECK_THROWS_WITH(w.customers.create_all({Customer{.name = "fresh"}, c}),
                    Catch::Contains(orders_message));
  CHECK_THROWS_AS(w.customers.update(none), relata::invalid_data);
  o.id = 0;
  CHECK_THROWS_WITH(w.orders.create(o), Catch::Contains(customer_message));
  CHECK_THROWS_WITH(w.customers.orders(ada.id).create(o), Catch::Contains(customer_message));
  try {
    w.orders.update(w.orders.find_by_id(order.id, {.include = {"items"}}));
    FAIL("expected invalid_data");
  } catch (const relata::invalid_data& e) {
    CHECK(e.code() == relata::error_code::invalid_data);
    CHECK_THAT(e.what(), Catch::Contains("navigational property items of model Order"));
  }

  // nothing was written
  CHECK(w.customers.count() == 1);
  CHECK(w.customers.find_by_id(ada.id).name == "Ada");
  CHECK(w.orders.count() == 1);

  // once reset, the same entities are written
  c.orders.reset();
  c.id = ada.id;
  w.customers.update(c);
  CHECK(w.customers.find_by_id(ada.id).name == "changed");
  o.customer.reset();
  CHECK(w.customers.orders(ada.id).create(o).id != order.id);
  CHECK(w.orders.count() == 2);
}

TEST_CASE("cross-datasource: a relation condition that reaches another database is refused",
          "[cross-datasource][relation-filter]") {
  auto db1 = relata_test::make_datasource();
  auto db2 = relata_test::make_datasource();
  relata::migrate<Customer, Address, Account, CartItem, CustomerCartItemLink>(*db1);
  relata::migrate<Order, OrderItem, Shipment>(*db2);
  relata::repository<Customer> customers{*db1};
  customers.bind<Order>(*db2);
  auto ada = customers.create({.name = "Ada"});
  customers.orders(ada.id).create({.description = "big", .total = 500});
  const auto big = relata::some(&Customer::orders, col(&Order::total) > 100.0);
  // the same answer on every connector: a clear error, not an empty result or a SQL error
  CHECK_THROWS_WITH(customers.find({.where = big}),
                    Catch::Contains("relation orders of model Customer reaches Order") &&
                        Catch::Contains("another datasource"));
  CHECK_THROWS_AS(customers.count(big), relata::invalid_filter);
  CHECK_THROWS_AS(customers.delete_all(big), relata::invalid_filter);
  CHECK_THROWS_AS(customers.update_all({{&Customer::name, "x"}}, big), relata::invalid_filter);
  // an include scope's condition is checked against the target's database
  relata::repository<Order> orders{*db2};
  orders.bind<Customer>(*db1);
  const auto on_customer = relata::some(&Order::customer);
  CHECK_THROWS_AS(orders.find({.where = on_customer}), relata::invalid_filter);
  // conditions on relations that stay in the database still work
  CHECK(customers.count(relata::none(&Customer::address)) == 1);
  CHECK(customers.find_by_id(ada.id).name == "Ada");
}
