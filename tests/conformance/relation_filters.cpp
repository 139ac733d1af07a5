// Relation filters: a model filtered by its related models' fields (what LoopBack cannot do,
// its issue #4299), `relata::some / none / every`, on every relation kind, nested, combined,
// from C++ and from JSON. SQL connectors compile them to EXISTS / NOT EXISTS; the memory
// connector evaluates them; both must answer the same.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;
using relata::col;
using relata::every;
using relata::none;
using relata::some;

namespace {

/// Customers:
///   Ada  (36)  orders a1 10 (shipment S-1; item pen x2), a2 150 (no shipment; item desk x10);
///              address Paris; cart pen (linked twice), ink; accounts [acc1 100, acc3 500]
///   Bob  (17)  orders b1 50 (item cup x1), b2 200 (shipment S-2); address Oslo; cart pen;
///              accounts [acc2 5]
///   Carl (-)   nothing
///   Dora (12)  child of Ada; order d1 5 (shipment S-404, dangling); accounts [acc1, 404]
/// Users: alice follows bob and carol; carol follows bob.
struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<OrderItem> items{*db};
  relata::repository<Shipment> shipments{*db};
  relata::repository<Address> addresses{*db};
  relata::repository<CartItem> cart_items{*db};
  relata::repository<Account> accounts{*db};
  relata::repository<User> users{*db};
  Customer ada, bob, carl, dora;

  world() {
    migrate_all(*db);
    auto acc1 = accounts.create({.balance = 100});
    auto acc2 = accounts.create({.balance = 5});
    auto acc3 = accounts.create({.balance = 500});
    ada = customers.create({.name = "Ada", .age = 36, .account_ids = {acc1.id, acc3.id}});
    bob = customers.create({.name = "Bob", .age = 17, .account_ids = {acc2.id}});
    carl = customers.create({.name = "Carl"});
    dora = customers.create(
        {.name = "Dora", .age = 12, .parent_id = ada.id, .account_ids = {acc1.id, 404}});
    shipments.create({.name = "express", .shipment_id = "S-1"});
    shipments.create({.name = "slow", .shipment_id = "S-2"});
    shipments.create({.name = "idle", .shipment_id = "S-3"});
    auto a1 =
        customers.orders(ada.id).create({.description = "a1", .total = 10, .shipment_info = "S-1"});
    auto a2 = customers.orders(ada.id).create({.description = "a2", .total = 150});
    auto b1 = customers.orders(bob.id).create({.description = "b1", .total = 50});
    customers.orders(bob.id).create({.description = "b2", .total = 200, .shipment_info = "S-2"});
    customers.orders(dora.id).create({.description = "d1", .total = 5, .shipment_info = "S-404"});
    orders.items(a1.id).create({.product = "pen", .quantity = 2});
    orders.items(a2.id).create({.product = "desk", .quantity = 10});
    orders.items(b1.id).create({.product = "cup", .quantity = 1});
    customers.address(ada.id).create({.street = "a", .city = "Paris"});
    customers.address(bob.id).create({.street = "b", .city = "Oslo"});
    auto pen = customers.cart_items(ada.id).create({.description = "pen", .price = 2});
    customers.cart_items(ada.id).create({.description = "ink", .price = 8});
    customers.cart_items(ada.id).link(pen.id);
    customers.cart_items(bob.id).link(pen.id);
    auto alice = users.create({.name = "alice"});
    auto bob_user = users.create({.name = "bob"});
    auto carol = users.create({.name = "carol"});
    users.following(alice.id).link(bob_user.id);
    users.following(alice.id).link(carol.id);
    users.following(carol.id).link(bob_user.id);
  }

  std::vector<std::string> who(const relata::where<Customer>& w) const {
    std::vector<std::string> out;
    for (const auto& c : customers.find({.where = w})) out.push_back(c.name);
    return out;
  }
  std::vector<std::string> which(const relata::where<Order>& w) const {
    std::vector<std::string> out;
    for (const auto& o : orders.find({.where = w})) out.push_back(o.description);
    return out;
  }
};

using names = std::vector<std::string>;

template <class Range>
names descriptions(const Range& list) {
  names out;
  for (const auto& e : list) out.push_back(e.description);
  return out;
}

}  // namespace

// --- hasMany ---------------------------------------------------------------------------------

TEST_CASE("relation filters: some, none and every on a hasMany", "[relation-filter]") {
  world w;
  CHECK(w.who(some(&Customer::orders, col(&Order::total) > 100.0)) == names{"Ada", "Bob"});
  CHECK(w.who(some(&Customer::orders)) == names{"Ada", "Bob", "Dora"});
  CHECK(w.who(none(&Customer::orders, col(&Order::total) > 100.0)) == names{"Carl", "Dora"});
  CHECK(w.who(none(&Customer::orders)) == names{"Carl"});
  // every: true when there are no related rows
  CHECK(w.who(every(&Customer::orders, col(&Order::total) > 20.0)) == names{"Bob", "Carl"});
  CHECK(w.who(every(&Customer::orders, col(&Order::total) > 1000.0)) == names{"Carl"});
  CHECK(w.who(every(&Customer::orders, col(&Order::total) > 0.0)) ==
        names{"Ada", "Bob", "Carl", "Dora"});
  CHECK(w.who(some(&Customer::orders, col(&Order::total) > 1000.0)).empty());
}

TEST_CASE("relation filters: parents are never duplicated; count, limit and skip stay right",
          "[relation-filter]") {
  world w;
  // Ada and Bob have two orders each matching
  const auto any_order = some(&Customer::orders, col(&Order::total) > 0.0);
  CHECK(w.customers.count(any_order) == 3);
  CHECK(w.customers.find({.where = any_order}).size() == 3);
  auto page = w.customers.find({.where = any_order, .limit = 2});
  REQUIRE(page.size() == 2);
  CHECK(page[0].name == "Ada");
  CHECK(page[1].name == "Bob");
  auto next = w.customers.find({.where = any_order, .limit = 2, .skip = 2});
  REQUIRE(next.size() == 1);
  CHECK(next[0].name == "Dora");
  auto ordered =
      w.customers.find({.where = any_order, .order = {relata::desc(&Customer::name)}, .limit = 2});
  REQUIRE(ordered.size() == 2);
  CHECK(ordered[0].name == "Dora");
  CHECK(ordered[1].name == "Bob");
  auto one = w.customers.find_one({.where = some(&Customer::orders, col(&Order::total) > 175.0)});
  REQUIRE(one.has_value());
  CHECK(one->name == "Bob");
  CHECK(w.customers.find_by_id(w.ada.id, {.where = any_order}).name == "Ada");
  CHECK_THROWS_AS(w.customers.find_by_id(w.carl.id, {.where = any_order}),
                  relata::entity_not_found);
}

TEST_CASE("relation filters: combined with && and || and with property conditions",
          "[relation-filter]") {
  world w;
  const auto big = some(&Customer::orders, col(&Order::total) > 100.0);
  CHECK(w.who(big && col(&Customer::age) > 20) == names{"Ada"});
  CHECK(w.who(big || col(&Customer::age) < 15) == names{"Ada", "Bob", "Dora"});
  CHECK(w.who(some(&Customer::orders, col(&Order::total) < 20.0) &&
              none(&Customer::orders, col(&Order::total) > 100.0)) == names{"Dora"});
  CHECK(w.who(none(&Customer::orders) || every(&Customer::orders, col(&Order::total) > 40.0)) ==
        names{"Bob", "Carl"});
  CHECK(w.who(some(&Customer::orders, col(&Order::total) > 100.0 || col(&Order::total) < 6.0)) ==
        names{"Ada", "Bob", "Dora"});
  CHECK(w.who(big && some(&Customer::address, col(&Address::city) == "Oslo")) == names{"Bob"});
}

TEST_CASE("relation filters: SQL's NULL rules inside a relation condition", "[relation-filter]") {
  world w;
  // a2 and b1 have no shipment: the comparison is unknown, which is not true
  CHECK(w.who(every(&Customer::orders, col(&Order::shipment_info) == "S-1")) == names{"Carl"});
  CHECK(w.who(none(&Customer::orders, col(&Order::shipment_info) == "S-1")) ==
        names{"Bob", "Carl", "Dora"});
  CHECK(w.who(some(&Customer::orders, col(&Order::shipment_info) != "S-1")) ==
        names{"Bob", "Dora"});
  CHECK(w.who(some(&Customer::orders, col(&Order::shipment_info) == std::nullopt)) ==
        names{"Ada", "Bob"});
  CHECK(w.who(every(&Customer::orders, col(&Order::shipment_info) != std::nullopt)) ==
        names{"Carl", "Dora"});
}

TEST_CASE("relation filters: with include, the includes are not filtered", "[relation-filter]") {
  world w;
  relata_test::query_log log(*w.db);
  auto all = w.customers.find(
      {.where = some(&Customer::orders, col(&Order::total) > 100.0), .include = {"orders"}});
  CHECK(log.selects() == 2);
  REQUIRE(all.size() == 2);
  CHECK(descriptions(all[0].orders) == names{"a1", "a2"});
  CHECK(descriptions(all[1].orders) == names{"b1", "b2"});
}

// --- JSON ------------------------------------------------------------------------------------

TEST_CASE("relation filters: the JSON form gives the same answers", "[relation-filter][json]") {
  world w;
  auto from_json = [&](const char* text) {
    names out;
    for (const auto& c : w.customers.find(relata::filter<Customer>::from_json(text))) {
      out.push_back(c.name);
    }
    return out;
  };
  CHECK(from_json(R"({"where":{"orders":{"some":{"total":{"gt":100}}}}})") ==
        w.who(some(&Customer::orders, col(&Order::total) > 100.0)));
  CHECK(from_json(R"({"where":{"orders":{"some":{"total":{"gt":100}}}}})") == names{"Ada", "Bob"});
  CHECK(from_json(R"({"where":{"orders":{"none":{}}}})") == names{"Carl"});
  CHECK(from_json(R"({"where":{"orders":{"some":{}}}})") == names{"Ada", "Bob", "Dora"});
  CHECK(from_json(R"({"where":{"orders":{"every":{"total":{"gt":20}}}}})") == names{"Bob", "Carl"});
  CHECK(from_json(R"({"where":{"or":[{"orders":{"some":{"total":{"gt":100}}}},
                                      {"age":{"lt":15}}]}})") == names{"Ada", "Bob", "Dora"});
  CHECK(from_json(R"({"where":{"age":{"gt":20},"orders":{"some":{"total":{"gt":100}}}}})") ==
        names{"Ada"});
  CHECK(from_json(R"({"where":{"orders":{"some":{"items":{"some":{"quantity":{"gt":5}}}}}}})") ==
        names{"Ada"});
  CHECK(from_json(R"({"where":{"address":{"some":{"city":"Paris"}}}})") == names{"Ada"});
  CHECK(from_json(R"({"where":{"cart_items":{"none":{}}}})") == names{"Carl", "Dora"});
  CHECK(from_json(R"({"where":{"accounts":{"every":{"balance":{"gte":100}}}}})") ==
        names{"Ada", "Carl", "Dora"});
  CHECK(from_json(R"({"where":{"orders":{"some":{"total":{"gt":0}}}},"limit":2,"skip":1})") ==
        names{"Bob", "Dora"});
  // where alone, and count
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            R"({"orders":{"some":{"total":{"gt":100}}}})")) == 2);

  CHECK_THROWS_AS(relata::filter<Customer>::from_json(R"({"where":{"orders":{"any":{}}}})"),
                  relata::invalid_filter);
  CHECK_THROWS_AS(
      relata::filter<Customer>::from_json(R"({"where":{"orders":{"some":{"totl":{"gt":1}}}}})"),
      relata::invalid_filter);
  CHECK_THROWS_AS(relata::filter<Customer>::from_json(R"({"where":{"orders":{"gt":1}}})"),
                  relata::invalid_filter);
  CHECK_THROWS_AS(
      relata::filter<Customer>::from_json(R"({"where":{"orders":{"some":{},"none":{}}}})"),
      relata::invalid_filter);
}

// --- every relation kind ---------------------------------------------------------------------

TEST_CASE("relation filters: belongsTo, including null and dangling keys", "[relation-filter]") {
  world w;
  CHECK(w.which(some(&Order::customer, col(&Customer::name) == "Bob")) == names{"b1", "b2"});
  CHECK(w.which(none(&Order::customer, col(&Customer::age) > 20)) == names{"b1", "b2", "d1"});
  CHECK(w.which(every(&Order::customer, col(&Customer::age) > 20)) == names{"a1", "a2"});
  // a null key and a dangling key have no target
  CHECK(w.which(some(&Order::shipment)) == names{"a1", "b2"});
  CHECK(w.which(none(&Order::shipment)) == names{"a2", "b1", "d1"});
  CHECK(w.which(some(&Order::shipment, col(&Shipment::name) == "express")) == names{"a1"});
  CHECK(w.which(every(&Order::shipment, col(&Shipment::name) == "express")) ==
        names{"a1", "a2", "b1", "d1"});
  // a self belongsTo
  CHECK(w.who(some(&Customer::parent, col(&Customer::name) == "Ada")) == names{"Dora"});
  CHECK(w.who(none(&Customer::parent)) == names{"Ada", "Bob", "Carl"});
}

TEST_CASE("relation filters: hasOne", "[relation-filter]") {
  world w;
  CHECK(w.who(some(&Customer::address, col(&Address::city) == "Paris")) == names{"Ada"});
  CHECK(w.who(some(&Customer::address)) == names{"Ada", "Bob"});
  CHECK(w.who(none(&Customer::address)) == names{"Carl", "Dora"});
  CHECK(w.who(every(&Customer::address, col(&Address::city) == "Oslo")) ==
        names{"Bob", "Carl", "Dora"});
}

TEST_CASE("relation filters: hasManyThrough, links counted once", "[relation-filter]") {
  world w;
  CHECK(w.who(some(&Customer::cart_items, col(&CartItem::price) > 5.0)) == names{"Ada"});
  CHECK(w.who(some(&Customer::cart_items)) == names{"Ada", "Bob"});
  CHECK(w.customers.count(some(&Customer::cart_items, col(&CartItem::description) == "pen")) == 2);
  CHECK(w.who(none(&Customer::cart_items)) == names{"Carl", "Dora"});
  CHECK(w.who(every(&Customer::cart_items, col(&CartItem::price) < 5.0)) ==
        names{"Bob", "Carl", "Dora"});
  // the reverse relation
  auto items =
      w.cart_items.find({.where = some(&CartItem::customers, col(&Customer::name) == "Bob")});
  REQUIRE(items.size() == 1);
  CHECK(items[0].description == "pen");
  CHECK(w.cart_items.count(every(&CartItem::customers, col(&Customer::name) == "Ada")) == 1);
  // users following users, both ways
  auto user_names = [&](const relata::where<User>& where) {
    names out;
    for (const auto& u : w.users.find({.where = where})) out.push_back(u.name);
    return out;
  };
  CHECK(user_names(some(&User::following, col(&User::name) == "bob")) == names{"alice", "carol"});
  CHECK(user_names(some(&User::followers, col(&User::name) == "alice")) == names{"bob", "carol"});
  CHECK(user_names(none(&User::followers)) == names{"alice"});
  CHECK(user_names(none(&User::following)) == names{"bob"});
  CHECK(user_names(every(&User::following, col(&User::name) == "bob")) == names{"bob", "carol"});
}

TEST_CASE("relation filters: referencesMany, dangling keys ignored", "[relation-filter]") {
  world w;
  CHECK(w.who(some(&Customer::accounts, col(&Account::balance) > 200.0)) == names{"Ada"});
  CHECK(w.who(some(&Customer::accounts)) == names{"Ada", "Bob", "Dora"});
  CHECK(w.who(none(&Customer::accounts)) == names{"Carl"});
  CHECK(w.who(none(&Customer::accounts, col(&Account::balance) == 100.0)) == names{"Bob", "Carl"});
  CHECK(w.who(every(&Customer::accounts, col(&Account::balance) >= 100.0)) ==
        names{"Ada", "Carl", "Dora"});
}

TEST_CASE("relation filters: a hasMany on a non-id key (Shipment)", "[relation-filter]") {
  world w;
  auto shipment_names = [&](const relata::where<Shipment>& where) {
    names out;
    for (const auto& s : w.shipments.find({.where = where})) out.push_back(s.name);
    return out;
  };
  CHECK(shipment_names(some(&Shipment::shipment_orders, col(&Order::total) > 100.0)) ==
        names{"slow"});
  CHECK(shipment_names(none(&Shipment::shipment_orders)) == names{"idle"});
  CHECK(shipment_names(some(&Shipment::shipment_orders)) == names{"express", "slow"});
}

// --- nesting ---------------------------------------------------------------------------------

TEST_CASE("relation filters: a relation condition inside a relation condition",
          "[relation-filter]") {
  world w;
  CHECK(w.who(some(&Customer::orders, some(&Order::items, col(&OrderItem::quantity) > 5))) ==
        names{"Ada"});
  CHECK(w.who(none(&Customer::orders, some(&Order::items))) == names{"Carl", "Dora"});
  CHECK(w.who(every(&Customer::orders, some(&Order::items))) == names{"Ada", "Carl"});
  // three levels, back and forth
  CHECK(w.who(some(&Customer::orders,
                   some(&Order::items, some(&OrderItem::order, col(&Order::total) > 100.0)))) ==
        names{"Ada"});
  CHECK(w.who(some(&Customer::orders,
                   some(&Order::customer,
                        some(&Customer::address, col(&Address::city) == "Oslo")))) == names{"Bob"});
  CHECK(w.who(some(&Customer::children, some(&Customer::orders, col(&Order::total) < 6.0))) ==
        names{"Ada"});
  CHECK(w.who(some(&Customer::orders,
                   some(&Order::shipment, col(&Shipment::name) == "slow") &&
                       col(&Order::total) > 100.0)) == names{"Bob"});
  CHECK(w.which(some(&Order::items, some(&OrderItem::order, col(&Order::total) < 20.0))) ==
        names{"a1"});
}

// --- in constrained repositories, updates, deletes and include scopes ------------------------

TEST_CASE("relation filters: in constrained repositories, patch and delete", "[relation-filter]") {
  world w;
  auto big_items = some(&Order::items, col(&OrderItem::quantity) > 5);
  CHECK(descriptions(w.customers.orders(w.ada.id).find({.where = big_items})) == names{"a2"});
  CHECK(w.customers.orders(w.bob.id).find({.where = big_items}).empty());
  CHECK(w.customers.orders(w.bob.id).count(none(&Order::items)) == 1);
  CHECK(w.customers.orders(w.bob.id).patch({{&Order::description, "has items"}},
                                           some(&Order::items)) == 1);
  CHECK(w.which(col(&Order::description) == "has items") == names{"has items"});
  CHECK(w.customers.orders(w.ada.id).count(col(&Order::description) == "has items") == 0);
  CHECK(w.customers.orders(w.bob.id).delete_all(none(&Order::items)) == 1);
  CHECK(w.orders.count() == 4);
  CHECK(descriptions(w.customers.orders(w.bob.id).find()) == names{"has items"});
  CHECK(w.customers.cart_items(w.ada.id).count(
            some(&CartItem::customers, col(&Customer::name) == "Bob")) == 1);
  CHECK(w.customers.address(w.ada.id)
            .get({.where = some(&Address::customer, col(&Customer::age) > 30)})
            .city == "Paris");
  CHECK_THROWS_AS(w.customers.address(w.bob.id).get(
                      {.where = some(&Address::customer, col(&Customer::age) > 30)}),
                  relata::entity_not_found);
  // plain repositories
  CHECK(w.orders.update_all({{&Order::total, 1.0}},
                            some(&Order::customer, col(&Customer::name) == "Ada")) == 2);
  CHECK(w.orders.count(col(&Order::total) == 1.0) == 2);
  CHECK(w.items.delete_all(
            some(&OrderItem::order, some(&Order::customer, col(&Customer::name) == "Bob"))) == 1);
  CHECK(w.items.count() == 2);
  CHECK(w.customers.delete_all(none(&Customer::orders) && none(&Customer::address) &&
                               none(&Customer::children)) == 1);  // Carl
  CHECK(w.customers.count() == 3);
}

TEST_CASE("relation filters: in include scopes, with and without a per-parent limit",
          "[relation-filter][inclusion]") {
  world w;
  relata_test::query_log log(*w.db);
  auto with_items = w.customers.find(
      {.include = {relata::include(&Customer::orders, {.where = some(&Order::items)})}});
  CHECK(log.selects() == 2);
  CHECK(descriptions(with_items[0].orders) == names{"a1", "a2"});
  CHECK(descriptions(with_items[1].orders) == names{"b1"});
  CHECK(with_items[3].orders.empty());

  log.clear();
  auto top = w.customers.find(
      {.include = {relata::include(
           &Customer::orders,
           {.where = some(&Order::items), .order = {relata::desc(&Order::total)}, .limit = 1})}});
  CHECK(log.selects() == 2);
  CHECK(descriptions(top[0].orders) == names{"a2"});
  CHECK(descriptions(top[1].orders) == names{"b1"});

  auto shared = w.customers.find(
      {.include = {
           relata::include(&Customer::cart_items,
                           {.where = some(&CartItem::customers, col(&Customer::name) == "Bob")})}});
  CHECK(descriptions(shared[0].cart_items) == names{"pen"});
  CHECK(descriptions(shared[1].cart_items) == names{"pen"});
  auto shared_limited = w.customers.find(
      {.include = {relata::include(
           &Customer::cart_items,
           {.where = none(&CartItem::customers, col(&Customer::name) == "Bob"), .limit = 1})}});
  CHECK(descriptions(shared_limited[0].cart_items) == names{"ink"});
  CHECK(shared_limited[1].cart_items.empty());

  auto parents = w.customers.find(
      {.include = {relata::include(
           &Customer::parent, {.where = some(&Customer::children, col(&Customer::age) < 15)})}});
  CHECK(parents[3].parent->name == "Ada");
  auto from_json = w.customers.find(relata::filter<Customer>::from_json(
      R"({"where":{"orders":{"some":{}}},
          "include":[{"relation":"orders","scope":{"where":{"items":{"none":{}}}}}]})"));
  REQUIRE(from_json.size() == 3);
  CHECK(descriptions(from_json[0].orders).empty());
  CHECK(descriptions(from_json[1].orders) == names{"b2"});
  CHECK(descriptions(from_json[2].orders) == names{"d1"});
}
