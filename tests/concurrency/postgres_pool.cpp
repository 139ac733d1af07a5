// Threads on one PostgreSQL datasource (its pool smaller than the threads): constrained writes,
// reads with includes, and transactions committed, rolled back, and with a savepoint rolled
// back, all at once. Afterwards every committed write is there whole, nothing rolled back is,
// no order lost its customer, and the pool stayed within its size. Built and run under
// ThreadSanitizer in CI (RELATA_SANITIZE_THREAD).
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <relata/postgres.hpp>
#include <relata/relata.hpp>

#include "embedded_scenario.hpp"
#include "support/fixtures.hpp"
#include "support/postgres.hpp"
#include "upsert_scenario.hpp"

using fixtures::Customer;
using fixtures::Order;
using relata::col;

namespace {

constexpr int threads = 12;
constexpr int rounds = 50;
constexpr std::size_t pool_size = 3;

/// What one thread did, checked after every thread has ended.
struct record {
  std::vector<std::pair<std::int64_t, std::size_t>> committed;  ///< customer, its orders
  std::vector<std::string> rolled_back;                         ///< names that must be absent
  std::size_t reads = 0;
  std::size_t failures = 0;  ///< exceptions, or reads that saw another customer's orders
};

void work(relata::postgres::datasource& db, int t, record& out) {
  relata::repository<Customer> customers{db};
  for (int r = 0; r < rounds; ++r) {
    const std::string name = "t" + std::to_string(t) + "r" + std::to_string(r);
    try {
      switch ((t + r) % 5) {
        case 0: {  // constrained writes, no transaction
          auto c = customers.create({.name = name});
          customers.orders(c.id).create_all({{.description = "a", .total = 1},
                                             {.description = "b", .total = 2},
                                             {.description = "c", .total = 3}});
          out.committed.emplace_back(c.id, 3);
          break;
        }
        case 1: {  // a transaction committed
          relata::transaction tx{db};
          auto c = customers.create({.name = name});
          customers.orders(c.id).create({.description = "a", .total = 1});
          customers.orders(c.id).create({.description = "b", .total = 2});
          customers.address(c.id).create({.street = "s", .city = "c"});
          tx.commit();
          out.committed.emplace_back(c.id, 2);
          break;
        }
        case 2: {  // a transaction rolled back
          relata::transaction tx{db};
          auto c = customers.create({.name = name});
          customers.orders(c.id).create({.description = "gone", .total = 1});
          tx.rollback();
          out.rolled_back.push_back(name);
          break;
        }
        case 3: {  // a savepoint rolled back inside a committed transaction
          relata::transaction tx{db};
          auto c = customers.create({.name = name});
          {
            relata::transaction inner{db};
            customers.orders(c.id).create({.description = "gone", .total = 9});
          }
          customers.orders(c.id).create({.description = "kept", .total = 1});
          tx.commit();
          out.committed.emplace_back(c.id, 1);
          break;
        }
        default: {  // reads with includes
          for (const auto& c : customers.find({.include = {"orders", "address"}})) {
            for (const auto& o : c.orders) out.failures += o.customer_id != c.id;
            if (c.address.has_value()) out.failures += c.address->customer_id != c.id;
          }
          ++out.reads;
        }
      }
    } catch (const std::exception& e) {
      ++out.failures;
      std::cerr << name << ": " << e.what() << '\n';
    }
  }
}

}  // namespace

TEST_CASE("concurrency: threads on one PostgreSQL pool write, read and roll back at once",
          "[concurrency][postgres]") {
  relata::postgres::datasource db{relata_test::fresh_postgres_schema(), {.pool_size = pool_size}};
  fixtures::migrate_all(db);
  std::vector<record> records(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(
        [&db, t, &out = records[static_cast<std::size_t>(t)]] { work(db, t, out); });
  }
  for (auto& w : workers) w.join();

  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};
  std::size_t committed = 0, committed_orders = 0, reads = 0;
  for (const auto& r : records) {
    CHECK(r.failures == 0);
    reads += r.reads;
    for (const auto& [id, count] : r.committed) {
      CHECK(customers.orders(id).count() == count);
      ++committed;
      committed_orders += count;
    }
    for (const auto& name : r.rolled_back)
      CHECK(customers.count(col(&Customer::name) == name) == 0);
  }
  CHECK(customers.count() == committed);
  CHECK(orders.count() == committed_orders);
  CHECK(orders.count(col(&Order::description) == "gone") == 0);
  CHECK(db.open_connections() <= pool_size);
  CHECK(db.transaction_depth() == 0);
  std::cout << "concurrency (postgres): " << threads << " threads x " << rounds
            << " operations on a pool of " << pool_size << ": " << committed << " customers and "
            << committed_orders << " orders committed, " << reads << " reads with includes\n";
}

TEST_CASE("concurrency: threads upsert the same keys on one PostgreSQL pool",
          "[concurrency][postgres][upsert]") {
  relata::postgres::datasource db{relata_test::fresh_postgres_schema(), {.pool_size = pool_size}};
  upsert_scenario::run([&](int) -> relata::datasource& { return db; }, db);
  CHECK(db.transaction_depth() == 0);
}

TEST_CASE("concurrency: threads write one owner's embedded items on one PostgreSQL pool",
          "[concurrency][postgres][embedded]") {
  relata::postgres::datasource db{relata_test::fresh_postgres_schema(), {.pool_size = pool_size}};
  embedded_scenario::run([&](int) -> relata::datasource& { return db; }, db);
  CHECK(db.transaction_depth() == 0);
}
