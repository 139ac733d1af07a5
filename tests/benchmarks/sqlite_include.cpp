// SQLite include: relata's inclusion resolver next to hand-written batched loading and next
// to the N+1 loops a naive user writes. N customers (default 10000) x 10 orders x 5 items, in
// one in-memory database that both sides read through the same connection.
//
//   include/orders/relata       customers.find({.include = {"orders"}})
//   include/orders/raw          select the customers into structs, collect their ids, select
//                               the orders with customer_id IN (?, ?, ...) chunked by SQLite's
//                               parameter limit, stitch into each customer's vector through a
//                               hash map id -> customer
//   include/orders/n+1_relata   customers.find(), then customers.orders(c.id).find() per customer
//   include/orders/n+1_raw      the same loop by hand: one prepared per-customer select
//   include/orders.items/...    the same with each order's items (include orders with scope
//                               include items; raw: a second IN step over the order ids, stitched
//                               through a hash map id -> order; N+1: one select per order too)
//
// Every variant returns the same std::vector<Customer> (checked before the benchmarks). The
// raw code keeps its prepared statements across iterations (relata caches its own), so the
// comparison is with the best hand-written code, not with code that prepares every time.
//
// Peak memory: after its timed loop each variant runs once more with the heap accounted:
//   heap_peak    the peak of bytes held through operator new above what was held before the
//                call (support/heap.cpp: malloc's usable size of each block), so the result
//                itself, relata's buffers and raw's hash maps all count;
//   sqlite_peak  sqlite3_status64(SQLITE_STATUS_MEMORY_USED) high-water above its level before
//                the call (statements, sorters, IN-list b-trees, page cache growth);
//   peak         heap_peak + sqlite_peak (both sides run in the same process, one after the
//                other, on the same warm database).
//
//   bench_sqlite_include [--size=N] [Google Benchmark flags]
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "support/bench.hpp"
#include "support/models.hpp"

namespace {

using relata_bench::Customer;
using relata_bench::Item;
using relata_bench::Order;

std::size_t customer_count = 10000;
constexpr std::size_t orders_per_customer = 10;
constexpr std::size_t items_per_order = 5;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

relata::sqlite::datasource& database() {
  static auto db = [] {
    auto d = std::make_unique<relata::sqlite::datasource>(":memory:");
    relata::migrate<Customer, Order, Item>(*d);
    relata::repository<Customer> customers{*d};
    relata::repository<Order> orders{*d};
    relata::repository<Item> items{*d};
    std::vector<Customer> cs;
    for (std::size_t i = 0; i < customer_count; ++i) cs.push_back(relata_bench::make_customer(i));
    cs = customers.create_all(std::move(cs));
    std::vector<Order> os;
    for (const auto& c : cs) {
      for (std::size_t j = 0; j < orders_per_customer; ++j) {
        os.push_back(relata_bench::make_order(c.id, j));
      }
    }
    os = orders.create_all(std::move(os));
    std::vector<Item> is;
    for (const auto& o : os) {
      for (std::size_t k = 0; k < items_per_order; ++k)
        is.push_back(relata_bench::make_item(o.id, k));
    }
    items.create_all(std::move(is));
    return d;
  }();
  return *db;
}

// --- relata ----------------------------------------------------------------------------------

std::vector<Customer> relata_orders(const relata::repository<Customer>& customers) {
  return customers.find({.include = {"orders"}});
}

std::vector<Customer> relata_orders_items(const relata::repository<Customer>& customers) {
  return customers.find({.include = {relata::include(&Customer::orders, {.include = {"items"}})}});
}

std::vector<Customer> relata_n_plus_1(const relata::repository<Customer>& customers,
                                      const relata::repository<Order>& orders,
                                      bool items) {
  auto cs = customers.find();
  for (auto& c : cs) {
    auto os = customers.orders(c.id).find();
    if (items) {
      for (auto& o : os) o.items.assign(orders.items(o.id).find());
    }
    c.orders.assign(std::move(os));
  }
  return cs;
}

// --- raw -------------------------------------------------------------------------------------

std::string text_column(sqlite3_stmt* s, int c) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
}

void read_customer(sqlite3_stmt* s, Customer& c) {
  c.id = sqlite3_column_int64(s, 0);
  c.name = text_column(s, 1);
  c.email = text_column(s, 2);
  c.balance = sqlite3_column_double(s, 3);
}

void read_order(sqlite3_stmt* s, Order& o) {
  o.id = sqlite3_column_int64(s, 0);
  o.customer_id = sqlite3_column_int64(s, 1);
  o.description = text_column(s, 2);
  o.total = sqlite3_column_double(s, 3);
}

void read_item(sqlite3_stmt* s, Item& i) {
  i.id = sqlite3_column_int64(s, 0);
  i.order_id = sqlite3_column_int64(s, 1);
  i.sku = text_column(s, 2);
  i.price = sqlite3_column_double(s, 3);
}

const char* const customers_sql =
    R"(SELECT "id", "name", "email", "balance" FROM "Customer" ORDER BY "id")";
const char* const orders_columns =
    R"(SELECT "id", "customer_id", "description", "total" FROM "Order")";
const char* const items_columns = R"(SELECT "id", "order_id", "sku", "price" FROM "Item")";

/// A select `prefix IN (?, ..., ?) suffix`, prepared once per list length.
class in_query {
 public:
  in_query(sqlite3* db, std::string prefix, std::string suffix)
      : db_(db), prefix_(std::move(prefix)), suffix_(std::move(suffix)) {}
  in_query(const in_query&) = delete;
  in_query& operator=(const in_query&) = delete;
  ~in_query() {
    for (auto& [n, s] : prepared_) sqlite3_finalize(s);
  }
  sqlite3_stmt* get(std::size_t n) {
    auto& s = prepared_[n];
    if (!s) {
      std::string sql = prefix_ + " IN (";
      for (std::size_t i = 0; i < n; ++i) sql += i ? ", ?" : "?";
      sql += ")" + suffix_;
      check(sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr),
            db_,
            "prepare");
    }
    return s;
  }

 private:
  sqlite3* db_;
  std::string prefix_;
  std::string suffix_;
  std::unordered_map<std::size_t, sqlite3_stmt*> prepared_;
};

/// The hand-written loader, with its statements prepared once.
class raw_loader {
 public:
  explicit raw_loader(sqlite3* db)
      : db_(db),
        limit_(static_cast<std::size_t>(sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1))),
        orders_in_(
            db, std::string(orders_columns) + R"( WHERE "customer_id")", R"( ORDER BY "id")"),
        items_in_(db, std::string(items_columns) + R"( WHERE "order_id")", R"( ORDER BY "id")") {
    check(sqlite3_prepare_v2(db, customers_sql, -1, &customers_, nullptr), db, "prepare");
    const std::string orders_of =
        std::string(orders_columns) + R"( WHERE "customer_id" = ? ORDER BY "id")";
    check(sqlite3_prepare_v2(db, orders_of.c_str(), -1, &orders_of_, nullptr), db, "prepare");
    const std::string items_of =
        std::string(items_columns) + R"( WHERE "order_id" = ? ORDER BY "id")";
    check(sqlite3_prepare_v2(db, items_of.c_str(), -1, &items_of_, nullptr), db, "prepare");
  }
  raw_loader(const raw_loader&) = delete;
  raw_loader& operator=(const raw_loader&) = delete;
  ~raw_loader() {
    sqlite3_finalize(customers_);
    sqlite3_finalize(orders_of_);
    sqlite3_finalize(items_of_);
  }

  /// Customers with their orders (and the orders' items), batched.
  std::vector<Customer> load(bool with_items) {
    std::vector<Customer> customers;
    int rc;
    while ((rc = sqlite3_step(customers_)) == SQLITE_ROW) {
      read_customer(customers_, customers.emplace_back());
    }
    check(rc, db_, "select customers");
    sqlite3_reset(customers_);

    std::unordered_map<std::int64_t, Customer*> by_id;
    by_id.reserve(customers.size());
    std::vector<std::int64_t> ids;
    ids.reserve(customers.size());
    for (auto& c : customers) {
      c.orders.assign_none();
      by_id.emplace(c.id, &c);
      ids.push_back(c.id);
    }

    std::vector<std::int64_t> order_ids;
    for_each_chunk(ids, orders_in_, [&](sqlite3_stmt* s) {
      Order o;
      read_order(s, o);
      if (with_items) order_ids.push_back(o.id);
      by_id.find(o.customer_id)->second->orders.push_back(std::move(o));
    });
    if (!with_items) return customers;

    // The orders are in their customers' vectors now, which no longer move.
    std::unordered_map<std::int64_t, Order*> order_by_id;
    order_by_id.reserve(order_ids.size());
    for (auto& c : customers) {
      for (auto& o : c.orders.value()) {
        o.items.assign_none();
        order_by_id.emplace(o.id, &o);
      }
    }
    for_each_chunk(order_ids, items_in_, [&](sqlite3_stmt* s) {
      Item i;
      read_item(s, i);
      order_by_id.find(i.order_id)->second->items.push_back(std::move(i));
    });
    return customers;
  }

  /// The naive loop: one select per customer (and per order).
  std::vector<Customer> load_n_plus_1(bool with_items) {
    std::vector<Customer> customers;
    int rc;
    while ((rc = sqlite3_step(customers_)) == SQLITE_ROW) {
      read_customer(customers_, customers.emplace_back());
    }
    check(rc, db_, "select customers");
    sqlite3_reset(customers_);
    for (auto& c : customers) {
      std::vector<Order> orders;
      sqlite3_bind_int64(orders_of_, 1, c.id);
      while ((rc = sqlite3_step(orders_of_)) == SQLITE_ROW)
        read_order(orders_of_, orders.emplace_back());
      check(rc, db_, "select orders");
      sqlite3_reset(orders_of_);
      if (with_items) {
        for (auto& o : orders) {
          std::vector<Item> items;
          sqlite3_bind_int64(items_of_, 1, o.id);
          while ((rc = sqlite3_step(items_of_)) == SQLITE_ROW) {
            read_item(items_of_, items.emplace_back());
          }
          check(rc, db_, "select items");
          sqlite3_reset(items_of_);
          o.items.assign(std::move(items));
        }
      }
      c.orders.assign(std::move(orders));
    }
    return customers;
  }

 private:
  /// Runs `query` on `keys` in chunks of at most the parameter limit; `on_row` per row.
  template <class OnRow>
  void for_each_chunk(const std::vector<std::int64_t>& keys, in_query& query, OnRow&& on_row) {
    for (std::size_t from = 0; from < keys.size(); from += limit_) {
      const std::size_t n = std::min(limit_, keys.size() - from);
      sqlite3_stmt* s = query.get(n);
      for (std::size_t i = 0; i < n; ++i) {
        sqlite3_bind_int64(s, static_cast<int>(i + 1), keys[from + i]);
      }
      int rc;
      while ((rc = sqlite3_step(s)) == SQLITE_ROW) on_row(s);
      check(rc, db_, "select IN");
      sqlite3_reset(s);
    }
  }

  sqlite3* db_;
  std::size_t limit_;
  sqlite3_stmt* customers_ = nullptr;
  sqlite3_stmt* orders_of_ = nullptr;
  sqlite3_stmt* items_of_ = nullptr;
  in_query orders_in_;
  in_query items_in_;
};

// --- the benchmarks --------------------------------------------------------------------------

enum class variant { relata, raw, n_plus_1_relata, n_plus_1_raw };

/// Reports the peak memory of one more call of `load`, outside the timed loop.
template <class Load>
void report_peak(benchmark::State& state, Load&& load) {
  sqlite3_int64 current = 0;
  sqlite3_int64 high = 0;
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &current, &high, 1);  // high-water := current
  const sqlite3_int64 before = current;
  const auto heap = relata_bench::heap_peak_of([&] {
    auto result = load();
    benchmark::DoNotOptimize(result.data());
  });
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &current, &high, 0);
  const double sqlite = static_cast<double>(high - before);
  state.counters["heap_peak"] = relata_bench::bytes_counter(static_cast<double>(heap));
  state.counters["sqlite_peak"] = relata_bench::bytes_counter(sqlite);
  state.counters["peak"] = relata_bench::bytes_counter(static_cast<double>(heap) + sqlite);
}

template <variant V, bool Items>
void include(benchmark::State& state) {
  auto& db = database();
  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};
  raw_loader raw{db.native_handle()};
  auto load = [&] {
    if constexpr (V == variant::relata) {
      return Items ? relata_orders_items(customers) : relata_orders(customers);
    } else if constexpr (V == variant::raw) {
      return raw.load(Items);
    } else if constexpr (V == variant::n_plus_1_relata) {
      return relata_n_plus_1(customers, orders, Items);
    } else {
      return raw.load_n_plus_1(Items);
    }
  };
  for (auto _ : state) {
    auto result = load();
    benchmark::DoNotOptimize(result.data());
  }
  report_peak(state, load);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * customer_count));
}

/// Every variant returns the same customers, orders and items.
void check_same_results() {
  auto& db = database();
  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};
  raw_loader raw{db.native_handle()};
  for (bool items : {false, true}) {
    const auto expected = items ? relata_orders_items(customers) : relata_orders(customers);
    const std::size_t loaded_items = items ? expected.front().orders[0].items.size() : 0;
    if (expected.size() != customer_count ||
        expected.front().orders.size() != orders_per_customer ||
        loaded_items != (items ? items_per_order : 0)) {
      throw std::runtime_error("include: unexpected relata result");
    }
    if (!relata_bench::same(expected, raw.load(items)) ||
        !relata_bench::same(expected, raw.load_n_plus_1(items)) ||
        !relata_bench::same(expected, relata_n_plus_1(customers, orders, items))) {
      throw std::runtime_error("include: the variants' results differ");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Counts SQLite's own allocations (on by default in most builds; made sure of here).
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
  const auto options = relata_bench::take_options(argc, argv, customer_count);
  customer_count = options.size;
  if (options.check_results) check_same_results();

  const auto ms = benchmark::kMillisecond;
  auto add = [&](const char* name, void (*f)(benchmark::State&)) {
    benchmark::RegisterBenchmark(name, f)->UseRealTime()->Unit(ms);
  };
  add("include/orders/relata", include<variant::relata, false>);
  add("include/orders/raw", include<variant::raw, false>);
  add("include/orders/n+1_relata", include<variant::n_plus_1_relata, false>);
  add("include/orders/n+1_raw", include<variant::n_plus_1_raw, false>);
  add("include/orders.items/relata", include<variant::relata, true>);
  add("include/orders.items/raw", include<variant::raw, true>);
  add("include/orders.items/n+1_relata", include<variant::n_plus_1_relata, true>);
  add("include/orders.items/n+1_raw", include<variant::n_plus_1_raw, true>);

  const std::string n = std::to_string(customer_count);
  const std::string flat = "include orders (" + n + " x 10)";
  const std::string nested = "include orders.items (" + n + " x 10 x 5)";
  std::vector<relata_bench::comparison> table;
  for (const auto& [label, prefix] : {std::pair<std::string, std::string>{flat, "include/orders/"},
                                      {nested, "include/orders.items/"}}) {
    const auto& p = prefix;
    table.push_back({label + ": relata / raw", p + "relata", p + "raw", "time", 1.3, true});
    table.push_back(
        {label + ": N+1 relata / include", p + "n+1_relata", p + "relata", "time", 20, false});
    table.push_back({label + ": N+1 raw / include", p + "n+1_raw", p + "relata", "time", 0, false});
    table.push_back({label + ": N+1 raw / raw", p + "n+1_raw", p + "raw", "time", 0, false});
    table.push_back({label + ": peak memory", p + "relata", p + "raw", "peak", 1.5, true});
  }
  return relata_bench::run(argc, argv, std::move(table));
}
