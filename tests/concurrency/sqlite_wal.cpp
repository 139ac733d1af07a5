// Several SQLite datasources on one WAL file, one per thread: writes, transactions committed,
// rolled back and with a savepoint rolled back, and reads with includes, at once. SQLite
// serializes the writers (BEGIN IMMEDIATE waits out the busy timeout); afterwards every
// committed write is there whole, nothing rolled back is, and the file is intact. Built and run
// under ThreadSanitizer in CI (RELATA_SANITIZE_THREAD).
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "embedded_scenario.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"
#include "upsert_scenario.hpp"

using namespace std::chrono_literals;
using fixtures::Customer;
using fixtures::Order;
using relata::col;

namespace {

constexpr int threads = 4;
constexpr int rounds = 100;

struct record {
  std::size_t committed = 0, committed_orders = 0, reads = 0, failures = 0;
};

void work(const std::string& path, int t, record& out) {
  relata::sqlite::datasource db{path, {.busy_timeout = 60s}};  // waits on the other writers
  relata::repository<Customer> customers{db};
  for (int r = 0; r < rounds; ++r) {
    const std::string name = "t" + std::to_string(t) + "r" + std::to_string(r);
    try {
      switch ((t + r) % 4) {
        case 0: {
          relata::transaction tx{db};
          auto c = customers.create({.name = name});
          customers.orders(c.id).create_all(
              {{.description = "a", .total = 1}, {.description = "b", .total = 2}});
          tx.commit();
          ++out.committed;
          out.committed_orders += 2;
          break;
        }
        case 1: {
          relata::transaction tx{db};
          auto c = customers.create({.name = "gone"});
          customers.orders(c.id).create({.description = "gone", .total = 1});
          tx.rollback();
          break;
        }
        case 2: {
          relata::transaction tx{db};
          auto c = customers.create({.name = name});
          {
            relata::transaction inner{db};
            customers.orders(c.id).create({.description = "gone", .total = 9});
          }
          customers.orders(c.id).create({.description = "kept", .total = 1});
          tx.commit();
          ++out.committed;
          ++out.committed_orders;
          break;
        }
        default: {
          for (const auto& c : customers.find({.include = {"orders"}})) {
            for (const auto& o : c.orders) out.failures += o.customer_id != c.id;
          }
          ++out.reads;
        }
      }
    } catch (const std::exception& e) {
      ++out.failures;
      std::cerr << name << ": " << e.what() << '\n';
    }
  }
  out.failures += db.transaction_depth();
}

}  // namespace

TEST_CASE("concurrency: several SQLite datasources on one WAL file write and read at once",
          "[concurrency][sqlite]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("shared.db");
  {
    relata::sqlite::datasource db{path};
    fixtures::migrate_all(db);
  }
  std::vector<record> records(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(
        [&path, t, &out = records[static_cast<std::size_t>(t)]] { work(path, t, out); });
  }
  for (auto& w : workers) w.join();

  relata::sqlite::datasource db{path};
  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};
  std::size_t committed = 0, committed_orders = 0, reads = 0;
  for (const auto& r : records) {
    CHECK(r.failures == 0);
    committed += r.committed;
    committed_orders += r.committed_orders;
    reads += r.reads;
  }
  CHECK(customers.count() == committed);
  CHECK(orders.count() == committed_orders);
  CHECK(customers.count(col(&Customer::name) == "gone") == 0);
  CHECK(orders.count(col(&Order::description) == "gone") == 0);
  std::string integrity;
  sqlite3_exec(
      db.native_handle(),
      "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] ? values[0] : "";
        return 0;
      },
      &integrity,
      nullptr);
  CHECK(integrity == "ok");
  std::cout << "concurrency (sqlite): " << threads << " datasources x " << rounds
            << " operations on one WAL file: " << committed << " customers and " << committed_orders
            << " orders committed, " << reads << " reads with includes\n";
}

TEST_CASE("concurrency: SQLite datasources upsert the same keys on one WAL file",
          "[concurrency][sqlite][upsert]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("upsert.db");
  relata::sqlite::datasource check{path};
  std::vector<std::unique_ptr<relata::sqlite::datasource>> dbs;
  for (int t = 0; t < upsert_scenario::threads; ++t) {
    dbs.push_back(std::make_unique<relata::sqlite::datasource>(
        path, relata::sqlite::options{.busy_timeout = 60s}));
  }
  upsert_scenario::run(
      [&](int t) -> relata::datasource& { return *dbs[static_cast<std::size_t>(t)]; }, check);
}

TEST_CASE("concurrency: SQLite datasources write one owner's embedded items on one WAL file",
          "[concurrency][sqlite][embedded]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("embedded.db");
  relata::sqlite::datasource check{path};
  std::vector<std::unique_ptr<relata::sqlite::datasource>> dbs;
  for (int t = 0; t < embedded_scenario::threads; ++t) {
    dbs.push_back(std::make_unique<relata::sqlite::datasource>(
        path, relata::sqlite::options{.busy_timeout = 60s}));
  }
  embedded_scenario::run(
      [&](int t) -> relata::datasource& { return *dbs[static_cast<std::size_t>(t)]; }, check);
}

TEST_CASE("concurrency: SQLite datasources add references to one owner, none lost",
          "[concurrency][sqlite][references_many]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("references.db");
  constexpr int per_thread = 25;
  std::int64_t owner = 0;
  {
    relata::sqlite::datasource db{path};
    fixtures::migrate_all(db);
    std::vector<fixtures::Account> accounts(threads * per_thread);
    relata::repository<fixtures::Account>{db}.create_all(accounts);
    owner = relata::repository<Customer>{db}.create({.name = "shared"}).id;
  }
  std::vector<int> failures(threads, 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      relata::sqlite::datasource db{path, {.busy_timeout = 60s}};
      relata::repository<Customer> customers{db};
      for (int i = 0; i < per_thread; ++i) {
        try {
          customers.accounts(owner).add(std::int64_t{1 + t * per_thread + i});
        } catch (const std::exception& e) {
          ++failures[static_cast<std::size_t>(t)];
          std::cerr << "thread " << t << ": " << e.what() << '\n';
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  for (int f : failures) CHECK(f == 0);
  relata::sqlite::datasource db{path};
  auto held = relata::repository<Customer>{db}.find_by_id(owner).account_ids;
  std::sort(held.begin(), held.end());
  std::vector<std::int64_t> all;
  for (std::int64_t k = 1; k <= threads * per_thread; ++k) all.push_back(k);
  CHECK(held == all);
}
