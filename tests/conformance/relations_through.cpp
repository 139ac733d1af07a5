// hasManyThrough constrained repositories (`customers.cart_items(id)`), after LoopBack's
// has-many-through.relation.acceptance tests, on every connector. Unlike LoopBack, the target
// and its link are written in one transaction, and link() refuses a target that does not exist.
#include <catch2/catch.hpp>

#include <algorithm>
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
  relata::repository<CartItem> items{*db};
  relata::repository<CustomerCartItemLink> links{*db};
  relata::repository<User> users{*db};
  relata::repository<UserLink> user_links{*db};
  Customer ada, bob;
  world() {
    migrate_all(*db);
    ada = customers.create({.name = "Ada"});
    bob = customers.create({.name = "Bob"});
  }

  /// Every item and every link, to compare before and after a refusal.
  std::vector<std::string> snapshot() const {
    std::vector<std::string> out;
    for (const auto& i : items.find()) {
      out.push_back("item " + std::to_string(i.id) + " " + i.description + " " +
                    std::to_string(i.price));
    }
    for (const auto& l : links.find()) {
      out.push_back("link " + std::to_string(l.id) + " " + std::to_string(l.customer_id) + "->" +
                    std::to_string(l.cart_item_id) + " " + l.description);
    }
    return out;
  }
};

std::vector<std::string> descriptions(const std::vector<CartItem>& list) {
  std::vector<std::string> out;
  for (const auto& i : list) out.push_back(i.description);
  return out;
}

std::vector<std::string> names(const std::vector<User>& list) {
  std::vector<std::string> out;
  for (const auto& u : list) out.push_back(u.name);
  return out;
}

}  // namespace

TEST_CASE("through: create writes the target and a link carrying the link's own data",
          "[through]") {
  world w;
  auto pen = w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2},
                                                     {.description = "gift wrap"});
  CHECK(pen.id != 0);
  CHECK(w.items.find_by_id(pen.id).description == "pen");
  auto links = w.links.find();
  REQUIRE(links.size() == 1);
  CHECK(links[0].customer_id == w.ada.id);
  CHECK(links[0].cart_item_id == pen.id);
  CHECK(links[0].description == "gift wrap");
  CHECK(descriptions(w.customers.cart_items(w.ada.id).find()) == std::vector<std::string>{"pen"});
  CHECK(w.customers.cart_items(w.bob.id).find().empty());
  // the generic form is the same accessor
  CHECK(w.customers.related<&Customer::cart_items>(w.ada.id).count() == 1);
}

TEST_CASE("through: create is atomic: a refused link leaves no target behind", "[through]") {
  world w;
  w.customers.cart_items(w.ada.id).create({.description = "first", .price = 1});
  const auto before = w.snapshot();
  const auto first_link = w.links.find().at(0).id;

  SECTION("the database refuses the link (its id is taken)") {
    CHECK_THROWS_AS(w.customers.cart_items(w.ada.id).create({.description = "second", .price = 2},
                                                            {.id = first_link}),
                    relata::constraint_violation);
  }
  SECTION("the link data names another source") {
    try {
      w.customers.cart_items(w.ada.id).create({.description = "second", .price = 2},
                                              {.customer_id = static_cast<std::int64_t>(w.bob.id)});
      FAIL("expected constraint_violation");
    } catch (const relata::constraint_violation& e) {
      CHECK_THAT(e.what(), Catch::Contains("Property customer_id cannot be changed: "));
    }
  }
  SECTION("the link data names another target") {
    CHECK_THROWS_AS(w.customers.cart_items(w.ada.id).create({.description = "second", .price = 2},
                                                            {.cart_item_id = 999}),
                    relata::constraint_violation);
  }
  SECTION("the source does not exist") {
    CHECK_THROWS_AS(w.customers.cart_items(404).create({.description = "second", .price = 2}, {}),
                    relata::constraint_violation);
  }
  CHECK(w.snapshot() == before);
  CHECK(w.items.count() == 1);
}

TEST_CASE("through: find returns this source's linked targets, filtered", "[through]") {
  world w;
  auto ada_items = w.customers.cart_items(w.ada.id);
  ada_items.create({.description = "pen", .price = 2});
  ada_items.create({.description = "ink", .price = 8});
  ada_items.create({.description = "pad", .price = 5});
  w.customers.cart_items(w.bob.id).create({.description = "cup", .price = 3});
  w.items.create({.description = "unlinked", .price = 1});

  CHECK(descriptions(ada_items.find()) == std::vector<std::string>{"pen", "ink", "pad"});
  CHECK(descriptions(w.customers.cart_items(w.bob.id).find()) == std::vector<std::string>{"cup"});
  CHECK(descriptions(ada_items.find({.where = col(&CartItem::price) > 4.0})) ==
        std::vector<std::string>{"ink", "pad"});
  CHECK(descriptions(ada_items.find({.order = {relata::desc(&CartItem::price)}, .limit = 2})) ==
        std::vector<std::string>{"ink", "pad"});
  CHECK(descriptions(ada_items.find({.order = {relata::asc(&CartItem::price)}, .skip = 1})) ==
        std::vector<std::string>{"pad", "ink"});
  auto carl = w.customers.create({.name = "Carl"});
  CHECK(w.customers.cart_items(carl.id).find().empty());
  CHECK(w.customers.cart_items(carl.id).count() == 0);
}

TEST_CASE("through: count counts this source's linked targets matching the where", "[through]") {
  world w;
  w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  w.customers.cart_items(w.ada.id).create({.description = "ink", .price = 8});
  w.customers.cart_items(w.bob.id).create({.description = "cup", .price = 9});
  CHECK(w.customers.cart_items(w.ada.id).count() == 2);
  CHECK(w.customers.cart_items(w.ada.id).count(col(&CartItem::price) > 5.0) == 1);
  CHECK(w.customers.cart_items(w.bob.id).count(col(&CartItem::price) > 5.0) == 1);
}

TEST_CASE("through: a target linked twice to the same source is one target", "[through]") {
  world w;
  auto pen = w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  w.customers.cart_items(w.ada.id).link(pen.id, {.description = "again"});
  REQUIRE(w.links.count() == 2);
  CHECK(descriptions(w.customers.cart_items(w.ada.id).find()) == std::vector<std::string>{"pen"});
  CHECK(w.customers.cart_items(w.ada.id).count() == 1);
  CHECK(w.customers.cart_items(w.ada.id).patch({{&CartItem::price, 3.0}}) == 1);
}

TEST_CASE("through: patch changes only this source's linked targets", "[through]") {
  world w;
  auto pen = w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  w.customers.cart_items(w.ada.id).create({.description = "ink", .price = 8});
  auto cup = w.customers.cart_items(w.bob.id).create({.description = "cup", .price = 2});
  auto loose = w.items.create({.description = "loose", .price = 2});

  CHECK(w.customers.cart_items(w.ada.id).patch({{&CartItem::price, 1.0}},
                                               col(&CartItem::price) < 5.0) == 1);
  CHECK(w.items.find_by_id(pen.id).price == 1);
  CHECK(w.items.find_by_id(cup.id).price == 2);
  CHECK(w.items.find_by_id(loose.id).price == 2);
  CHECK(w.customers.cart_items(w.ada.id).patch({{&CartItem::description, "ada's"}}) == 2);
  CHECK(w.items.count(col(&CartItem::description) == "ada's") == 2);
  CHECK(w.customers.cart_items(w.ada.id).patch({{&CartItem::price, 7.0}},
                                               col(&CartItem::price) > 100.0) == 0);
}

TEST_CASE("through: delete_all deletes the matched targets and this source's links to them",
          "[through]") {
  world w;
  w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  auto ink = w.customers.cart_items(w.ada.id).create({.description = "ink", .price = 8});
  auto cup = w.customers.cart_items(w.bob.id).create({.description = "cup", .price = 2});

  CHECK(w.customers.cart_items(w.ada.id).delete_all(col(&CartItem::price) < 5.0) == 1);
  CHECK(descriptions(w.customers.cart_items(w.ada.id).find()) == std::vector<std::string>{"ink"});
  CHECK(w.items.exists(cup.id));
  CHECK(w.links.count() == 2);
  CHECK(w.customers.cart_items(w.ada.id).delete_all(col(&CartItem::price) > 100.0) == 0);
  CHECK(w.customers.cart_items(w.ada.id).delete_all() == 1);
  CHECK_FALSE(w.items.exists(ink.id));
  CHECK(w.customers.cart_items(w.ada.id).count() == 0);
  CHECK(w.links.count() == 1);
  CHECK(descriptions(w.customers.cart_items(w.bob.id).find()) == std::vector<std::string>{"cup"});
  CHECK(w.customers.cart_items(w.ada.id).delete_all() == 0);
}

TEST_CASE("through: delete_all of a target another source still links deletes nothing",
          "[through]") {
  world w;
  w.customers.cart_items(w.ada.id).create({.description = "own", .price = 1});
  auto shared = w.customers.cart_items(w.ada.id).create({.description = "shared", .price = 2});
  w.customers.cart_items(w.bob.id).link(shared.id);
  const auto before = w.snapshot();

  // The error says which links block the delete (bob's), on every connector.
  CHECK_THROWS_WITH(w.customers.cart_items(w.ada.id).delete_all(),
                    Catch::Contains("CONSTRAINT_VIOLATION") &&
                        Catch::Contains("1 CustomerCartItemLink row") &&
                        Catch::Contains("customer_id -> cart_item_id: " + std::to_string(w.bob.id) +
                                        " -> " + std::to_string(shared.id)) &&
                        Catch::Contains("unlink them first"));
  CHECK(w.snapshot() == before);
  CHECK(w.customers.cart_items(w.ada.id).count() == 2);
  CHECK(w.customers.cart_items(w.bob.id).count() == 1);
  // once bob lets go, it goes
  CHECK(w.customers.cart_items(w.bob.id).unlink(shared.id) == 1);
  CHECK(w.customers.cart_items(w.ada.id).delete_all() == 2);
  CHECK(w.items.count() == 0);
  CHECK(w.links.count() == 0);
}

TEST_CASE("through: link links an existing target, with the link's data", "[through]") {
  world w;
  auto cup = w.items.create({.description = "cup", .price = 3});
  w.customers.cart_items(w.ada.id).link(cup.id, {.description = "linked"});
  CHECK(descriptions(w.customers.cart_items(w.ada.id).find()) == std::vector<std::string>{"cup"});
  auto links = w.links.find();
  REQUIRE(links.size() == 1);
  CHECK(links[0].customer_id == w.ada.id);
  CHECK(links[0].cart_item_id == cup.id);
  CHECK(links[0].description == "linked");
  // the same target may be linked by several sources
  w.customers.cart_items(w.bob.id).link(cup.id);
  CHECK(w.customers.cart_items(w.bob.id).count() == 1);
  CHECK(w.customers.cart_items(w.ada.id).count() == 1);
}

TEST_CASE("through: link refuses a target that does not exist (LoopBack accepts it)", "[through]") {
  world w;
  w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  const auto before = w.snapshot();
  try {
    w.customers.cart_items(w.ada.id).link(999);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.code() == relata::error_code::entity_not_found);
    CHECK(e.model() == "CartItem");
    CHECK(e.id() == "999");
  }
  CHECK(w.snapshot() == before);
  // and link data naming another source
  auto cup = w.items.create({.description = "cup", .price = 3});
  CHECK_THROWS_AS(w.customers.cart_items(w.ada.id).link(
                      cup.id, {.customer_id = static_cast<std::int64_t>(w.bob.id)}),
                  relata::constraint_violation);
  CHECK(w.customers.cart_items(w.bob.id).count() == 0);
  CHECK(w.customers.cart_items(w.ada.id).count() == 1);
}

TEST_CASE("through: unlink removes this source's links, never the target", "[through]") {
  world w;
  auto pen = w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  w.customers.cart_items(w.ada.id).link(pen.id);  // linked twice
  w.customers.cart_items(w.bob.id).link(pen.id);
  auto ink = w.customers.cart_items(w.ada.id).create({.description = "ink", .price = 8});

  CHECK(w.customers.cart_items(w.ada.id).unlink(pen.id) == 2);
  CHECK(descriptions(w.customers.cart_items(w.ada.id).find()) == std::vector<std::string>{"ink"});
  CHECK(w.items.exists(pen.id));
  CHECK(w.customers.cart_items(w.bob.id).count() == 1);
  CHECK(w.customers.cart_items(w.ada.id).unlink(pen.id) == 0);
  CHECK(w.customers.cart_items(w.ada.id).unlink(404) == 0);
  CHECK(w.items.exists(ink.id));
}

TEST_CASE("through: exists tells whether this source links a target", "[through]") {
  world w;
  auto pen = w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  CHECK(w.customers.cart_items(w.ada.id).exists(pen.id));
  CHECK_FALSE(w.customers.cart_items(w.bob.id).exists(pen.id));
  CHECK_FALSE(w.customers.cart_items(w.ada.id).exists(pen.id + 100));
  w.customers.cart_items(w.ada.id).unlink(pen.id);
  CHECK_FALSE(w.customers.cart_items(w.ada.id).exists(pen.id));
}

TEST_CASE("through: patch cannot change the key the links hold (LoopBack 4 refuses it too)",
          "[through]") {
  world w;
  auto pen = w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  const auto before = w.snapshot();
  try {
    w.customers.cart_items(w.ada.id).patch({{&CartItem::id, pen.id + 100}});
    FAIL("the linked key changed");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(std::string(e.what()),
               Catch::Contains("Property id cannot be changed") && Catch::Contains("cart_items"));
  }
  CHECK(w.snapshot() == before);
}

TEST_CASE("through: unlink_all removes every link of this source and no other", "[through]") {
  world w;
  w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  w.customers.cart_items(w.ada.id).create({.description = "ink", .price = 8});
  w.customers.cart_items(w.bob.id).create({.description = "cup", .price = 3});

  CHECK(w.customers.cart_items(w.ada.id).unlink_all() == 2);
  CHECK(w.customers.cart_items(w.ada.id).count() == 0);
  CHECK(w.items.count() == 3);
  CHECK(w.customers.cart_items(w.bob.id).count() == 1);
  CHECK(w.customers.cart_items(w.ada.id).unlink_all() == 0);
  auto carl = w.customers.create({.name = "Carl"});
  CHECK(w.customers.cart_items(carl.id).unlink_all() == 0);
}

TEST_CASE("through: the reverse relation sees the same links", "[through]") {
  world w;
  auto pen = w.customers.cart_items(w.ada.id).create({.description = "pen", .price = 2});
  w.customers.cart_items(w.bob.id).link(pen.id);
  auto customers_of_pen = w.items.customers(pen.id).find();
  REQUIRE(customers_of_pen.size() == 2);
  CHECK(customers_of_pen[0].name == "Ada");
  CHECK(customers_of_pen[1].name == "Bob");
  // creating through the reverse relation links the other way
  auto carl = w.items.customers(pen.id).create({.name = "Carl"});
  CHECK(descriptions(w.customers.cart_items(carl.id).find()) == std::vector<std::string>{"pen"});
}

TEST_CASE("through: users following users, a self relation with named keys, both ways",
          "[through]") {
  world w;
  auto alice = w.users.create({.name = "alice"});
  auto bob = w.users.create({.name = "bob"});
  auto carol = w.users.create({.name = "carol"});
  w.users.following(alice.id).link(bob.id);
  w.users.following(alice.id).link(carol.id);
  w.users.following(carol.id).link(bob.id);

  CHECK(names(w.users.following(alice.id).find()) == std::vector<std::string>{"bob", "carol"});
  CHECK(names(w.users.followers(bob.id).find()) == std::vector<std::string>{"alice", "carol"});
  CHECK(names(w.users.followers(carol.id).find()) == std::vector<std::string>{"alice"});
  CHECK(w.users.followers(alice.id).find().empty());
  CHECK(w.users.following(bob.id).count() == 0);

  // a follower created through `followers` follows the source
  auto dave = w.users.followers(bob.id).create({.name = "dave"});
  auto link = w.user_links.find(
      {.where = col(&UserLink::follower_id) == static_cast<std::int64_t>(dave.id)});
  REQUIRE(link.size() == 1);
  CHECK(link[0].followee_id == bob.id);
  CHECK(names(w.users.following(dave.id).find()) == std::vector<std::string>{"bob"});
  CHECK(w.users.followers(bob.id).count() == 3);

  // unfollow: only alice's link to bob goes
  CHECK(w.users.following(alice.id).unlink(bob.id) == 1);
  CHECK(names(w.users.followers(bob.id).find()) == std::vector<std::string>{"carol", "dave"});
  CHECK(names(w.users.following(alice.id).find()) == std::vector<std::string>{"carol"});
  // followers(x).unlink(y) removes y's following of x
  CHECK(w.users.followers(bob.id).unlink(carol.id) == 1);
  CHECK(w.users.following(carol.id).count() == 0);
  CHECK(w.users.count() == 4);
}
