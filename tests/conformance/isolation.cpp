// Constrained repositories keep to their parent, as a property over random operation sequences:
// reads, writes and hostile writes (another parent's key, a where naming another parent, ids of
// other parents' rows) through customers.orders(id), .address(id), .children(id) and
// .cart_items(id). After every operation, every other parent's rows are exactly as before, and
// what the parent's repositories read is the parent's own; an operation refused leaves its own
// parent's rows as before too. Seeded, so a failure replays; RELATA_ISOLATION_OPERATIONS sets
// the number of operations per seed (a longer run than the suite's).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using fixtures::Address;
using fixtures::CartItem;
using fixtures::Customer;
using fixtures::CustomerCartItemLink;
using fixtures::Order;
using relata::col;

namespace isolation_test {

constexpr std::int64_t parents = 4;  // customers 1..4; their children come after

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<Address> addresses{*db};
  relata::repository<CartItem> items{*db};
  relata::repository<CustomerCartItemLink> links{*db};

  world() {
    fixtures::migrate_all(*db);
    for (std::int64_t p = 1; p <= parents; ++p) {
      customers.create({.name = "parent " + std::to_string(p)});
    }
    for (std::int64_t p = 1; p <= parents; ++p) {
      customers.orders(p).create({.description = "first", .total = 1.0 * p});
      customers.address(p).create({.street = "main", .city = "c" + std::to_string(p)});
      customers.cart_items(p).create({.description = "own", .price = 1});
    }
    for (int i = 0; i < 3; ++i) items.create({.description = "free", .price = 9});  // unlinked
  }

  /// Everything stored, grouped by the parent it belongs to ("0": to none of them).
  std::map<std::int64_t, nlohmann::json> by_parent() const {
    std::map<std::int64_t, nlohmann::json> out;
    auto owner = [](std::optional<std::int64_t> key) {
      return key && *key >= 1 && *key <= parents ? *key : 0;
    };
    for (const auto& c : customers.find()) {
      if (c.id > parents) out[owner(c.parent_id)]["children"].push_back(c);
    }
    for (const auto& o : orders.find()) out[owner(o.customer_id)]["orders"].push_back(o);
    for (const auto& a : addresses.find()) out[owner(a.customer_id)]["address"].push_back(a);
    std::map<std::int64_t, std::int64_t> item_owner;
    for (const auto& l : links.find()) {
      out[owner(l.customer_id)]["links"].push_back(l);
      item_owner[l.cart_item_id] = owner(l.customer_id);
    }
    for (const auto& i : items.find()) out[item_owner[i.id]]["items"].push_back(i);
    return out;
  }
};

/// The random operations, on one parent at a time.
class actor {
 public:
  actor(world& w, std::uint64_t seed) : w_(w), random_(seed) {}

  /// One random operation on a random parent; checks what it reads. Returns the parent.
  std::int64_t act() {
    claimed.reset();
    released.reset();
    parent_ = pick(1, parents);
    other_ = 1 + (parent_ + pick(0, parents - 2)) % parents;  // another parent
    switch (pick(0, 20)) {
      case 0:
        return create_order(0);
      case 1:
        return create_order(other_);  // hostile: another parent's key
      case 2:
        return create_orders();
      case 3:
        return patch_orders();
      case 4:
        return move_orders();
      case 5:
        return checked(w_.customers.orders(parent_).delete_all(some_order()));
      case 6:
        return delete_order_by_id();
      case 7:
        return read_order_by_id();
      case 8:
        return read_orders();
      case 9:
        return create_address();
      case 10:
        return checked(w_.customers.address(parent_).patch({{&Address::city, word()}}));
      case 11:
        return checked(w_.customers.address(parent_).delete_all());
      case 12:
        return create_child();
      case 13:
        return checked(w_.customers.children(parent_).patch({{&Customer::age, pick(0, 99)}},
                                                            col(&Customer::id) > pick(0, 20)));
      case 14:
        return checked(w_.customers.children(parent_).delete_all(col(&Customer::age) < 50));
      case 15:
        return create_item();
      case 16:
        return link_free_item();
      case 17:
        return unlink_item();
      case 18:
        return checked(w_.customers.cart_items(parent_).patch({{&CartItem::price, 3.0}},
                                                              col(&CartItem::id) > pick(0, 9)));
      case 19:
        return checked(
            w_.customers.cart_items(parent_).delete_all(col(&CartItem::price) > 1.0 * pick(0, 4)));
      default:
        return read_items();
    }
  }

  std::size_t refusals = 0;
  /// The item the last operation moved between its parent and no one (group 0), by linking
  /// an item no one linked or unlinking one of its own: the one change to group 0 it may make.
  std::optional<CartItem> claimed, released;

 private:
  std::int64_t pick(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>{low, high}(random_);
  }
  std::string word() { return "w" + std::to_string(pick(0, 999)); }

  /// A condition that may name another parent's rows: the repository must still keep to its own.
  relata::where<Order> some_order() {
    switch (pick(0, 3)) {
      case 0:
        return col(&Order::total) < 1.0 * pick(0, 10);
      case 1:
        return col(&Order::customer_id) == other_;
      case 2:
        return col(&Order::id) == pick(1, 40) || col(&Order::customer_id) == other_;
      default:
        return {};
    }
  }

  std::int64_t checked(std::uint64_t) { return parent_; }

  /// A write that must be refused.
  template <class F>
  std::int64_t refused_by(F&& write) {
    CHECK_THROWS_AS(write(), relata::constraint_violation);
    ++refusals;
    return parent_;
  }

  std::int64_t create_order(std::int64_t key) {
    auto orders = w_.customers.orders(parent_);
    if (key) return refused_by([&] { orders.create({.description = "x", .customer_id = key}); });
    CHECK(orders.create({.description = word(), .total = 1.0 * pick(0, 10)}).customer_id ==
          parent_);
    return parent_;
  }

  std::int64_t create_orders() {
    std::vector<Order> many(static_cast<std::size_t>(pick(1, 3)));
    const bool hostile = pick(0, 1) == 1;
    if (hostile) many.back().customer_id = other_;  // refuses the whole batch
    auto orders = w_.customers.orders(parent_);
    if (hostile) return refused_by([&] { orders.create_all(many); });
    for (const auto& o : orders.create_all(many)) CHECK(o.customer_id == parent_);
    return parent_;
  }

  /// Hostile: moving orders to another parent.
  std::int64_t move_orders() {
    auto orders = w_.customers.orders(parent_);
    return refused_by([&] { orders.patch({{&Order::customer_id, other_}}); });
  }

  std::int64_t patch_orders() {
    const auto before = w_.orders.count(col(&Order::customer_id) == parent_);
    CHECK(w_.customers.orders(parent_).patch({{&Order::total, 1.0 * pick(0, 10)}}, some_order()) <=
          before);
    return parent_;
  }

  std::int64_t delete_order_by_id() {
    const auto id = pick(1, 40);
    const auto owner = w_.orders.find_one({.where = col(&Order::id) == id});
    if (owner && owner->customer_id == parent_) {
      w_.customers.orders(parent_).delete_by_id(id);
    } else {
      CHECK_THROWS_AS(w_.customers.orders(parent_).delete_by_id(id), relata::entity_not_found);
      ++refusals;
    }
    return parent_;
  }

  std::int64_t read_order_by_id() {
    const auto id = pick(1, 40);
    const auto owner = w_.orders.find_one({.where = col(&Order::id) == id});
    if (owner && owner->customer_id == parent_) {
      CHECK(w_.customers.orders(parent_).find_by_id(id).id == id);
    } else {
      CHECK_THROWS_AS(w_.customers.orders(parent_).find_by_id(id), relata::entity_not_found);
    }
    return parent_;
  }

  std::int64_t read_orders() {
    const auto w = some_order();
    const auto found = w_.customers.orders(parent_).find({.where = w});
    for (const auto& o : found) CHECK(o.customer_id == parent_);
    CHECK(w_.customers.orders(parent_).count(w) == found.size());
    CHECK(w_.orders.count(w && col(&Order::customer_id) == parent_) == found.size());
    return parent_;
  }

  std::int64_t create_address() {
    auto address = w_.customers.address(parent_);
    if (w_.addresses.count(col(&Address::customer_id) == parent_) > 0) {
      return refused_by([&] { address.create({.street = word()}); });
    }
    CHECK(address.create({.street = word(), .city = word()}).customer_id == parent_);
    CHECK(address.get().customer_id == parent_);
    return parent_;
  }

  std::int64_t create_child() {
    auto children = w_.customers.children(parent_);
    if (pick(0, 3) == 0) {
      return refused_by([&] { children.create({.name = word(), .parent_id = other_}); });
    }
    CHECK(children.create({.name = word(), .age = pick(0, 99)}).parent_id == parent_);
    return parent_;
  }

  std::int64_t create_item() {
    auto item = w_.customers.cart_items(parent_).create({.description = word(), .price = 2},
                                                        {.description = "link"});
    CHECK(w_.links.count(col(&CustomerCartItemLink::cart_item_id) == item.id &&
                         col(&CustomerCartItemLink::customer_id) == parent_) == 1);
    return parent_;
  }

  /// Links an item no one links (linking another parent's item would share it, by design).
  std::int64_t link_free_item() {
    for (const auto& item : w_.items.find()) {
      if (w_.links.count(col(&CustomerCartItemLink::cart_item_id) == item.id) == 0) {
        w_.customers.cart_items(parent_).link(item.id);
        claimed = item;
        break;
      }
    }
    return parent_;
  }

  /// Unlinks an item, maybe another parent's (nothing happens then); one of this parent's
  /// then belongs to no one.
  std::int64_t unlink_item() {
    const auto id = pick(1, 12);
    const auto item = w_.items.find_one({.where = col(&CartItem::id) == id});
    if (item && w_.links.count(col(&CustomerCartItemLink::cart_item_id) == id &&
                               col(&CustomerCartItemLink::customer_id) == parent_) > 0) {
      released = item;
    }
    w_.customers.cart_items(parent_).unlink(id);
    return parent_;
  }

  std::int64_t read_items() {
    const auto found = w_.customers.cart_items(parent_).find();
    for (const auto& item : found) {
      CHECK(w_.links.count(col(&CustomerCartItemLink::cart_item_id) == item.id &&
                           col(&CustomerCartItemLink::customer_id) == parent_) == 1);
    }
    CHECK(w_.customers.cart_items(parent_).count() == found.size());
    return parent_;
  }

  world& w_;
  std::mt19937_64 random_;
  std::int64_t parent_ = 1;
  std::int64_t other_ = 2;
};

/// `grouped` without `item` among the rows of no parent.
void forget_free_item(std::map<std::int64_t, nlohmann::json>& grouped, const CartItem& item) {
  auto& free_items = grouped[0]["items"];
  const auto it = std::find(free_items.begin(), free_items.end(), nlohmann::json(item));
  REQUIRE(it != free_items.end());
  free_items.erase(it);
  if (free_items.empty()) grouped[0].erase("items");
  if (grouped[0].empty()) grouped.erase(0);
}

std::size_t operations_per_seed() {
  if (const char* n = std::getenv("RELATA_ISOLATION_OPERATIONS")) return std::stoul(n);
  return 400;
}

}  // namespace isolation_test

TEST_CASE("isolation: random operations through constrained repositories keep to their parent",
          "[isolation][relations]") {
  const std::size_t per_seed = isolation_test::operations_per_seed();
  std::size_t operations = 0, refusals = 0;
  for (const std::uint64_t seed : {1, 2, 3}) {
    isolation_test::world w;
    isolation_test::actor actor{w, seed};
    for (std::size_t i = 0; i < per_seed; ++i) {
      auto before = w.by_parent();
      const std::size_t refused_before = actor.refusals;
      std::int64_t parent = 0;
      try {
        parent = actor.act();
      } catch (const relata::error& e) {
        FAIL("seed " << seed << ", operation " << i << ": " << e.what());
      }
      auto after = w.by_parent();
      if (actor.claimed) isolation_test::forget_free_item(before, *actor.claimed);
      if (actor.released) isolation_test::forget_free_item(after, *actor.released);
      INFO("seed " << seed << ", operation " << i << " on parent " << parent);
      for (std::int64_t other = 0; other <= isolation_test::parents; ++other) {
        if (other == parent) continue;
        INFO("the rows of parent " << other);
        CHECK(after.count(other) == before.count(other));
        if (after.count(other) && before.count(other)) CHECK(after.at(other) == before.at(other));
      }
      if (actor.refusals > refused_before && after.count(parent) && before.count(parent)) {
        CHECK(after.at(parent) == before.at(parent));  // refused: nothing of it written
      }
      ++operations;
    }
    refusals += actor.refusals;
  }
  std::cout << "isolation (" << relata_test::backend_name() << "): " << operations
            << " operations, " << refusals << " refused\n";
}
