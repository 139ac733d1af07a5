// The relata side of the LoopBack 4 comparison (run.sh starts it; see there). It makes the
// shop data once, then runs one workload per command read from standard input and answers
// with one JSON line: the time, the queries relata's observe() hook saw, and a digest of the
// result that compare.js checks against LoopBack's.
//
//   bench_loopback_relata CONNINFO [--customers=N]
//
//   setup                   create schema relata_loopback, its tables (relata::migrate) and
//                           N customers x 10 orders x 5 items (support/postgres.hpp)
//   run WORKLOAD            time one workload: {"ms", "queries", "digest"} or {"error"}
//   reset WORKLOAD          put the data back after a workload that wrote (not timed)
//   stats_reset             pg_stat_statements_reset() on a connection of its own
//   stats_read              {"statements"}: statements the server ran since the reset, outside
//                           this side's own statistics connection
//   quit
//
// CTest runs it once (--smoke) against RELATA_BENCH_POSTGRES with tiny sizes, so that it
// keeps compiling and working; skipped (77) without that server.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/postgres.hpp>
#include <relata/relata.hpp>

#include "support/models.hpp"
#include "support/postgres.hpp"

namespace {

using relata::col;
using relata_bench::Customer;
using relata_bench::Item;
using relata_bench::make_order;
using relata_bench::Order;

constexpr const char* schema = "relata_loopback";
constexpr std::size_t orders_per_customer = 10;
constexpr std::size_t items_per_order = 5;

/// What a workload returned, reduced to numbers both sides can compute: how many rows at
/// each level and the sum of the ids of the deepest level.
struct digest {
  std::size_t rows = 0;
  std::size_t nested = 0;
  std::size_t nested_twice = 0;
  std::int64_t id_sum = 0;
};

nlohmann::json to_json(const digest& d) {
  return {{"rows", d.rows},
          {"nested", d.nested},
          {"nested_twice", d.nested_twice},
          {"id_sum", d.id_sum}};
}

class relata_side {
 public:
  relata_side(const std::string& server, std::size_t customers)
      : server_(server),
        customers_(customers),
        orders_(customers * orders_per_customer),
        stats_(server) {}

  void setup() {
    relata_bench::pg::exec(
        stats_.c,
        std::string("SET client_min_messages = warning; DROP SCHEMA IF EXISTS ") + schema +
            " CASCADE; CREATE SCHEMA " + schema);
    db_.emplace(server_, relata::postgres::options{.schema = schema});
    relata::migrate<Customer, Order, Item>(*db_);
    relata_bench::pg::make_shop(*db_, customers_, orders_per_customer, items_per_order);
    db_->observe([this](const relata::query_event&) { ++queries_; });
  }

  nlohmann::json run(const std::string& workload) {
    if (!db_) throw std::runtime_error("run before setup");
    const auto found = workloads().find(workload);
    if (found == workloads().end()) throw std::runtime_error("no workload " + workload);
    // made before the clock starts
    if (workload == "create_all" || workload == "create_all_raw") new_orders_ = new_orders();
    queries_ = 0;
    const auto started = std::chrono::steady_clock::now();
    const digest d = found->second();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return {{"ms", ms}, {"queries", queries_}, {"digest", to_json(d)}};
  }

  /// After create_all and update_all: the shop as setup made it, vacuumed, so that every
  /// round and both sides start from the same tables.
  void reset(const std::string& workload) {
    if (!db_) throw std::runtime_error("reset before setup");
    if (workload == "create_all" || workload == "create_all_raw") {
      db_->execute(R"(DELETE FROM "Order" WHERE "id" > )" + std::to_string(orders_));
    } else if (workload == "update_all") {
      db_->execute(R"(UPDATE "Order" SET "description" = 'order ' || (("id" - 1) % )" +
                   std::to_string(orders_per_customer) +
                   R"() || ' of customer ' || "customer_id")");
    }
    db_->execute(R"(VACUUM ANALYZE "Order")");
  }

  void drop() {
    db_.reset();
    relata_bench::pg::exec(stats_.c, std::string("DROP SCHEMA ") + schema + " CASCADE");
  }

  /// (The extension is created on first use: the smoke run's server need not have it.)
  void stats_reset() {
    relata_bench::pg::exec(stats_.c,
                           "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; "
                           "SELECT pg_stat_statements_reset()");
  }

  /// Statements run since stats_reset, but those about pg_stat_statements (this connection's).
  std::int64_t stats_read() {
    return relata_bench::pg::query_integer(stats_.c,
                                           "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                                           "WHERE query NOT LIKE '%pg_stat_statements%'");
  }

 private:
  const std::map<std::string, std::function<digest()>>& workloads() {
    if (!workloads_.empty()) return workloads_;
    relata::repository<Customer> customers{*db_};
    relata::repository<Order> orders{*db_};
    workloads_ = {
        // every customer with its orders
        {"include", [=, this] { return digest_of(customers.find({.include = {"orders"}})); }},
        // every customer with its orders, each with its items
        {"nested_include",
         [=, this] {
           return digest_of(customers.find(
               {.include = {relata::include(&Customer::orders, {.include = {"items"}})}}));
         }},
        // every customer with its 2 latest orders (a limit per parent)
        {"scope_limit",
         [=, this] {
           return digest_of(customers.find(
               {.include = {relata::include(&Customer::orders,
                                            {.order = {relata::desc(&Order::id)}, .limit = 2})}}));
         }},
        // each customer by its id, one call each
        {"find_by_id",
         [=, this] {
           digest d;
           for (std::size_t id = 1; id <= customers_; ++id) {
             const auto c = customers.find_by_id(static_cast<std::int64_t>(id));
             ++d.rows;
             d.id_sum += c.id.value;
           }
           return d;
         }},
        // 10 new orders per customer in one transaction (create_all is all or none)
        {"create_all",
         [=, this] {
           digest d;
           d.rows = orders.create_all(std::move(new_orders_)).size();
           return d;
         }},
        // the same orders by hand-written libpq: one binary COPY in a transaction, the ids
        // not read back. Not relata: the floor any client meets on this server and table.
        {"create_all_raw",
         [=, this] {
           PGconn* c = stats_.c;
           relata_bench::pg::exec(c, "BEGIN");
           try {
             relata_bench::pg::binary_copy copy{
                 c,
                 std::string("COPY ") + schema +
                     R"(."Order" ("customer_id", "description", "total") FROM STDIN )"
                     "(FORMAT binary)"};
             for (const auto& o : new_orders_) {
               copy.row(3);
               copy.int8(o.customer_id);
               copy.text(o.description);
               copy.float8(o.total);
             }
             copy.finish();
             relata_bench::pg::exec(c, "COMMIT");
           } catch (...) {
             PQclear(PQexec(c, "ROLLBACK"));
             throw;
           }
           queries_ += 3;
           digest d;
           d.rows = new_orders_.size();
           new_orders_.clear();
           return d;
         }},
        // the 3 costliest orders of every customer (total >= 20) get a new description
        {"update_all",
         [=, this] {
           digest d;
           d.rows =
               orders.update_all({{&Order::description, "updated"}}, col(&Order::total) >= 20.0);
           return d;
         }},
        // customers with a balance under 500 and some order of at least 29 (LoopBack's filter
        // cannot name a related model: its side queries orders first, then customers)
        {"relation_filter",
         [=, this] {
           return digest_of(customers.find(
               {.where = col(&Customer::balance) < 500.0 &&
                         relata::some(&Customer::orders, col(&Order::total) >= 29.0)}));
         }},
    };
    return workloads_;
  }

  /// 10 new orders per customer (numbered on from the existing ones), as loopback_side.js
  /// makes them.
  std::vector<Order> new_orders() const {
    std::vector<Order> fresh;
    fresh.reserve(orders_);
    for (std::size_t i = 0; i < orders_; ++i) {
      fresh.push_back(make_order(static_cast<std::int64_t>(i % customers_ + 1),
                                 orders_per_customer + i / customers_));
    }
    return fresh;
  }

  static digest digest_of(const relata::entities<Customer>& found) {
    digest d;
    d.rows = found.size();
    for (const auto& c : found) {
      if (!c.orders.loaded()) {
        d.id_sum += c.id.value;
        continue;
      }
      d.nested += c.orders.size();
      for (const auto& o : c.orders) {
        if (!o.items.loaded()) {
          d.id_sum += o.id.value;
          continue;
        }
        d.nested_twice += o.items.size();
        for (const auto& i : o.items) d.id_sum += i.id.value;
      }
    }
    return d;
  }

  std::string server_;
  std::size_t customers_;
  std::size_t orders_;
  relata_bench::pg::raw_connection stats_;
  std::optional<relata::postgres::datasource> db_;
  std::size_t queries_ = 0;
  std::vector<Order> new_orders_;
  std::map<std::string, std::function<digest()>> workloads_;
};

/// Answers the commands of standard input, one JSON line each.
int serve(relata_side& side) {
  std::string line;
  while (std::getline(std::cin, line)) {
    const auto space = line.find(' ');
    const std::string command = line.substr(0, space);
    const std::string argument = space == std::string::npos ? "" : line.substr(space + 1);
    nlohmann::json answer = {{"ok", true}};
    try {
      if (command == "setup") {
        side.setup();
      } else if (command == "run") {
        answer = side.run(argument);
      } else if (command == "reset") {
        side.reset(argument);
      } else if (command == "stats_reset") {
        side.stats_reset();
      } else if (command == "stats_read") {
        answer = {{"statements", side.stats_read()}};
      } else if (command == "quit") {
        return 0;
      } else {
        answer = {{"error", "unknown command: " + line}};
      }
    } catch (const std::exception& e) {
      answer = {{"error", e.what()}};
    }
    std::cout << answer.dump() << std::endl;
  }
  return 0;
}

/// Every workload once (at the size given, tiny in CTest), each checked to return rows.
int smoke(relata_side& side) {
  side.setup();
  for (const char* w : {"include",
                        "nested_include",
                        "scope_limit",
                        "find_by_id",
                        "create_all",
                        "create_all_raw",
                        "update_all",
                        "relation_filter"}) {
    const auto r = side.run(w);
    side.reset(w);
    if (r["digest"]["rows"].get<std::size_t>() == 0 && std::strcmp(w, "relation_filter") != 0) {
      std::cerr << w << ": no rows\n";
      return 1;
    }
    std::cout << w << ": " << r.dump() << "\n";
  }
  side.drop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string server;
  std::size_t customers = 10000;
  bool smoke_run = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--customers=", 12) == 0) {
      customers = std::strtoull(argv[i] + 12, nullptr, 10);
    } else if (std::strcmp(argv[i], "--smoke") == 0) {
      smoke_run = true;
    } else {
      server = argv[i];
    }
  }
  if (smoke_run) {
    const char* env = std::getenv("RELATA_BENCH_POSTGRES");
    if (!env || !*env) {
      std::cout << "skipped: RELATA_BENCH_POSTGRES is not set\n";
      return 77;
    }
    server = env;
  }
  if (server.empty() || customers == 0) {
    std::cerr << "usage: bench_loopback_relata CONNINFO [--customers=N] | --smoke\n";
    return 2;
  }
  try {
    relata_side side{server, customers};
    return smoke_run ? smoke(side) : serve(side);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
