// The benchmark models, used by relata and, as plain structs, by the hand-written raw code
// (both sides read rows into the very same types). Ids are int64, with a couple of text and
// double columns; some texts are longer than std::string's small buffer, some shorter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <relata/relata.hpp>

namespace relata_bench {

/// The CRUD model: one table, no relations.
struct Record {
  RELATA_MODEL(Record,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::string, email),
               (double, score),
               (double, balance),
               (std::int64_t, category));
};

struct Order;
struct Item;

/// The include models: Customer -< Order -< Item.
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::string, email),
               (double, balance),
               (relata::has_many<Order>, orders));  // Order::customer_id
};

struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::string, description),
               (double, total),
               (relata::has_many<Item>, items));  // Item::order_id
};

struct Item {
  RELATA_MODEL(Item,
               (relata::id<std::int64_t>, id),
               (std::int64_t, order_id),
               (std::string, sku),
               (double, price));
};

/// `n` records; every other one has category 1. Ids are left to the database.
inline std::vector<Record> make_records(std::size_t n) {
  std::vector<Record> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = std::to_string(i);
    out.push_back(Record{.name = "record " + s,
                         .email = "record" + s + "@example.com",
                         .score = static_cast<double>(i % 1000) / 10.0,
                         .balance = static_cast<double>(i) * 1.25,
                         .category = static_cast<std::int64_t>(i % 2)});
  }
  return out;
}

inline Customer make_customer(std::size_t i) {
  const auto s = std::to_string(i);
  return Customer{.name = "customer " + s,
                  .email = "customer" + s + "@example.com",
                  .balance = static_cast<double>(i) * 0.5};
}

inline Order make_order(std::int64_t customer_id, std::size_t j) {
  return Order{
      .customer_id = customer_id,
      .description = "order " + std::to_string(j) + " of customer " + std::to_string(customer_id),
      .total = static_cast<double>(j) * 3.25};
}

inline Item make_item(std::int64_t order_id, std::size_t k) {
  return Item{.order_id = order_id,
              .sku = "SKU-" + std::to_string(order_id * 10 + static_cast<std::int64_t>(k)),
              .price = static_cast<double>(k) + 0.99};
}

// --- equality of results (relata's and raw's must be the same) -------------------------------

inline bool same(const Record& a, const Record& b) {
  return a.id == b.id && a.name == b.name && a.email == b.email && a.score == b.score &&
         a.balance == b.balance && a.category == b.category;
}

inline bool same(const Item& a, const Item& b) {
  return a.id == b.id && a.order_id == b.order_id && a.sku == b.sku && a.price == b.price;
}

inline bool same(const Order& a, const Order& b) {
  if (!(a.id == b.id && a.customer_id == b.customer_id && a.description == b.description &&
        a.total == b.total && a.items.loaded() == b.items.loaded())) {
    return false;
  }
  if (!a.items.loaded()) return true;  // an unloaded relation has no size to compare
  if (a.items.size() != b.items.size()) return false;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (!same(a.items[i], b.items[i])) return false;
  }
  return true;
}

inline bool same(const Customer& a, const Customer& b) {
  if (!(a.id == b.id && a.name == b.name && a.email == b.email && a.balance == b.balance &&
        a.orders.loaded() == b.orders.loaded())) {
    return false;
  }
  if (!a.orders.loaded()) return true;
  if (a.orders.size() != b.orders.size()) return false;
  for (std::size_t i = 0; i < a.orders.size(); ++i) {
    if (!same(a.orders[i], b.orders[i])) return false;
  }
  return true;
}

/// Two sequences (relata::entities or std::vector) of the same elements.
template <class Left, class Right>
requires requires(const Left& l, const Right& r) {
  l.size();
  same(l[0], r[0]);
}
bool same(const Left& a, const Right& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace relata_bench
