// PostgreSQL: relata's connector next to hand-written libpq code doing the same work.
//
//   postgres/insert/{relata,raw}        N rows (default 100000) in one transaction; relata:
//                                       repository::create_all; raw: PQprepare once, then
//                                       PQexecPrepared per row inside BEGIN / COMMIT with the
//                                       same statement (INSERT ... RETURNING "id") and the same
//                                       binary parameters, reading back each generated id
//   postgres/include/{relata,raw}       N/10 customers x 10 orders; relata:
//                                       customers.find({.include = {"orders"}}); raw: select the
//                                       customers (text results) into structs, select the orders
//                                       with customer_id = ANY($1::bigint[]) (the ids as one
//                                       text array parameter), stitch through a hash map
//   postgres/include/n+1_relata         customers.orders(c.id).find() per customer (reference)
//
// The server: the libpq connection string in RELATA_BENCH_POSTGRES, else a throwaway server
// started with tests/support/postgres_server.sh (stopped at the end). Without either, the
// program says why and runs nothing. Tables go in a schema of their own, dropped at the end.
//
//   bench_postgres [--size=N] [Google Benchmark flags]
#include <libpq-fe.h>

#include <bit>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <relata/postgres.hpp>
#include <relata/relata.hpp>

#include "support/bench.hpp"
#include "support/models.hpp"

namespace {

using relata_bench::Customer;
using relata_bench::Order;
using relata_bench::Record;

std::size_t rows = 100000;
std::size_t customer_count = 10000;
constexpr std::size_t orders_per_customer = 10;

std::string conninfo;  // with the benchmark schema as search_path

// --- the server ------------------------------------------------------------------------------

/// A throwaway server started by tests/support/postgres_server.sh, stopped on destruction.
class throwaway_server {
 public:
  throwaway_server() : state_((dir_.path() / "state").string()) {}
  throwaway_server(const throwaway_server&) = delete;
  throwaway_server& operator=(const throwaway_server&) = delete;
  ~throwaway_server() {
    if (started_) script("stop");
  }

  /// The connection string, or std::nullopt with `why` set.
  std::optional<std::string> start(std::string& why) {
    started_ = true;
    if (!script("start")) {
      why = "tests/support/postgres_server.sh start failed";
      return std::nullopt;
    }
    std::ifstream in{state_};
    std::string line;
    if (!std::getline(in, line) || line.empty()) {
      why = "the server script wrote no connection string";
      return std::nullopt;
    }
    if (line.rfind("unavailable", 0) == 0) {
      why = line;
      return std::nullopt;
    }
    return line;
  }

 private:
  bool script(const char* action) {
    const std::string command = std::string("sh '") + RELATA_BENCH_POSTGRES_SERVER_SCRIPT + "' " +
                                action + " '" + state_ + "' >/dev/null";
    return std::system(command.c_str()) == 0;
  }

  relata_bench::temp_dir dir_;
  std::string state_;
  bool started_ = false;
};

// --- raw libpq -------------------------------------------------------------------------------

struct result {
  PGresult* r;
  explicit result(PGresult* p) : r(p) {}
  result(const result&) = delete;
  result& operator=(const result&) = delete;
  ~result() { PQclear(r); }
};

result checked(PGconn* c, PGresult* r, const char* what) {
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const std::string message = std::string(what) + ": " + PQresultErrorMessage(r);
    PQclear(r);
    throw std::runtime_error(message);
  }
  (void)c;
  return result{r};
}

void exec(PGconn* c, const char* sql) { checked(c, PQexec(c, sql), sql); }

/// PQprepare, unless this connection already has the statement (loaders are made per case).
void prepare(PGconn* c, const char* name, const char* sql, int parameters, const Oid* types) {
  result existing{PQdescribePrepared(c, name)};
  if (PQresultStatus(existing.r) == PGRES_COMMAND_OK) return;
  checked(c, PQprepare(c, name, sql, parameters, types), "prepare");
}

/// A raw connection with relata's session settings.
struct raw_connection {
  PGconn* c;
  raw_connection() : c(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(c) != CONNECTION_OK) {
      const std::string message = PQerrorMessage(c);
      PQfinish(c);
      throw std::runtime_error("cannot connect: " + message);
    }
    exec(c,
         "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET client_encoding = 'UTF8'; "
         "SET extra_float_digits = 3");
  }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;
  ~raw_connection() { PQfinish(c); }
};

std::uint64_t big_endian(std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(v);
  return v;
}

std::int64_t integer_at(const PGresult* r, int row, int column) {
  const char* v = PQgetvalue(r, row, column);
  std::int64_t out = 0;
  std::from_chars(v, v + PQgetlength(r, row, column), out);
  return out;
}

double real_at(const PGresult* r, int row, int column) {
  const char* v = PQgetvalue(r, row, column);
  double out = 0;
  std::from_chars(v, v + PQgetlength(r, row, column), out);
  return out;
}

std::string text_at(const PGresult* r, int row, int column) {
  return std::string(PQgetvalue(r, row, column),
                     static_cast<std::size_t>(PQgetlength(r, row, column)));
}

constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
constexpr Oid float8_oid = 701;

const char* const insert_sql =
    R"(INSERT INTO "Record" ("name", "email", "score", "balance", "category") )"
    R"(VALUES ($1, $2, $3, $4, $5) RETURNING "id")";

/// Raw insert: the statement prepared once per connection (relata caches its own too).
class raw_inserter {
 public:
  explicit raw_inserter(PGconn* c) : c_(c) {
    const Oid types[] = {text_oid, text_oid, float8_oid, float8_oid, int8_oid};
    prepare(c, "raw_insert", insert_sql, 5, types);
  }
  void operator()(std::vector<Record>& records) {
    exec(c_, "BEGIN");
    for (auto& r : records) {
      const std::uint64_t score = big_endian(std::bit_cast<std::uint64_t>(r.score));
      const std::uint64_t balance = big_endian(std::bit_cast<std::uint64_t>(r.balance));
      const std::uint64_t category = big_endian(static_cast<std::uint64_t>(r.category));
      const char* values[] = {r.name.data(),
                              r.email.data(),
                              reinterpret_cast<const char*>(&score),
                              reinterpret_cast<const char*>(&balance),
                              reinterpret_cast<const char*>(&category)};
      const int lengths[] = {
          static_cast<int>(r.name.size()), static_cast<int>(r.email.size()), 8, 8, 8};
      const int formats[] = {1, 1, 1, 1, 1};
      auto res =
          checked(c_, PQexecPrepared(c_, "raw_insert", 5, values, lengths, formats, 0), "insert");
      r.id = integer_at(res.r, 0, 0);
    }
    exec(c_, "COMMIT");
  }

 private:
  PGconn* c_;
};

const char* const customers_sql =
    R"(SELECT "id", "name", "email", "balance" FROM "Customer" ORDER BY "id")";
const char* const orders_in_sql =
    R"(SELECT "id", "customer_id", "description", "total" FROM "Order" )"
    R"(WHERE "customer_id" = ANY($1::bigint[]) ORDER BY "id")";

const char* const orders_of_sql =
    R"(SELECT "id", "customer_id", "description", "total" FROM "Order" )"
    R"(WHERE "customer_id" = $1 ORDER BY "id")";

void read_order(const PGresult* r, int i, Order& o) {
  o.id = integer_at(r, i, 0);
  o.customer_id = integer_at(r, i, 1);
  o.description = text_at(r, i, 2);
  o.total = real_at(r, i, 3);
}

/// Raw include: customers, then their orders in one array-parameter query, stitched; and the
/// naive loop, one query per customer.
class raw_loader {
 public:
  explicit raw_loader(PGconn* c) : c_(c) {
    prepare(c, "raw_customers", customers_sql, 0, nullptr);
    prepare(c, "raw_orders_in", orders_in_sql, 1, nullptr);
    const Oid int8[] = {int8_oid};
    prepare(c, "raw_orders_of", orders_of_sql, 1, int8);
  }

  std::vector<Customer> operator()() {
    std::vector<Customer> customers = load_customers();
    if (customers.empty()) return customers;
    std::unordered_map<std::int64_t, Customer*> by_id;
    by_id.reserve(customers.size());
    std::string ids = "{";
    for (auto& c : customers) {
      c.orders.assign_none();
      by_id.emplace(c.id, &c);
      if (ids.size() > 1) ids += ',';
      ids += std::to_string(c.id);
    }
    ids += '}';
    const char* values[] = {ids.c_str()};
    auto res =
        checked(c_, PQexecPrepared(c_, "raw_orders_in", 1, values, nullptr, nullptr, 0), "orders");
    const int n = PQntuples(res.r);
    for (int i = 0; i < n; ++i) {
      Order o;
      read_order(res.r, i, o);
      by_id.find(o.customer_id)->second->orders.push_back(std::move(o));
    }
    return customers;
  }

  std::vector<Customer> n_plus_1() {
    std::vector<Customer> customers = load_customers();
    for (auto& c : customers) {
      const std::uint64_t id = big_endian(static_cast<std::uint64_t>(c.id.value));
      const char* values[] = {reinterpret_cast<const char*>(&id)};
      const int lengths[] = {8};
      const int formats[] = {1};
      auto res = checked(
          c_, PQexecPrepared(c_, "raw_orders_of", 1, values, lengths, formats, 0), "orders");
      const int n = PQntuples(res.r);
      std::vector<Order> orders(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) read_order(res.r, i, orders[static_cast<std::size_t>(i)]);
      c.orders.assign(std::move(orders));
    }
    return customers;
  }

 private:
  std::vector<Customer> load_customers() {
    auto res = checked(
        c_, PQexecPrepared(c_, "raw_customers", 0, nullptr, nullptr, nullptr, 0), "customers");
    const int n = PQntuples(res.r);
    std::vector<Customer> customers(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      auto& c = customers[static_cast<std::size_t>(i)];
      c.id = integer_at(res.r, i, 0);
      c.name = text_at(res.r, i, 1);
      c.email = text_at(res.r, i, 2);
      c.balance = real_at(res.r, i, 3);
    }
    return customers;
  }

  PGconn* c_;
};

// --- the benchmarks --------------------------------------------------------------------------

relata::postgres::datasource& database() {
  static relata::postgres::datasource db{conninfo};
  return db;
}

template <bool Relata>
void insert(benchmark::State& state) {
  auto& db = database();
  relata::repository<Record> repo{db};
  raw_connection raw;
  raw_inserter raw_insert{raw.c};
  const auto data = relata_bench::make_records(rows);
  for (auto _ : state) {
    db.execute(R"(TRUNCATE "Record" RESTART IDENTITY)");  // not timed: manual time below
    auto records = data;
    const auto started = std::chrono::steady_clock::now();
    if constexpr (Relata) {
      records = repo.create_all(std::move(records));
    } else {
      raw_insert(records);
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    state.SetIterationTime(std::chrono::duration<double>(elapsed).count());
    if (records.back().id != static_cast<std::int64_t>(rows)) {
      state.SkipWithError("wrong generated ids");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

enum class variant { relata, raw, n_plus_1_relata, n_plus_1_raw };

template <variant V>
void include(benchmark::State& state) {
  relata::repository<Customer> customers{database()};
  raw_connection raw;
  raw_loader raw_load{raw.c};
  auto load = [&] {
    if constexpr (V == variant::relata) {
      return customers.find({.include = {"orders"}});
    } else if constexpr (V == variant::raw) {
      return raw_load();
    } else if constexpr (V == variant::n_plus_1_relata) {
      auto cs = customers.find();
      for (auto& c : cs) c.orders.assign(customers.orders(c.id).find());
      return cs;
    } else {
      return raw_load.n_plus_1();
    }
  };
  for (auto _ : state) {
    auto result = load();
    benchmark::DoNotOptimize(result.data());
  }
  // libpq's results are malloc'ed, not counted here: this is the C++ side only.
  const auto heap = relata_bench::heap_peak_of([&] {
    auto result = load();
    benchmark::DoNotOptimize(result.data());
  });
  state.counters["heap_peak"] = relata_bench::bytes_counter(static_cast<double>(heap));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * customer_count));
}

/// The tables, in a schema of this process; the include data made by the server.
void set_up(const std::string& server, bool check_results) {
  const std::string schema = "relata_bench_" + std::to_string(::getpid());
  {
    relata::postgres::datasource admin{server, {.pool_size = 1}};
    admin.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  }
  conninfo = server + " options='-c search_path=" + schema + "'";
  auto& db = database();
  relata::migrate<Record, Customer, Order, relata_bench::Item>(db);
  const std::string n = std::to_string(customer_count);
  db.execute(
      R"(INSERT INTO "Customer" ("name", "email", "balance") )"
      R"(SELECT 'customer ' || (i - 1), 'customer' || (i - 1) || '@example.com', (i - 1) * 0.5 )"
      "FROM generate_series(1, " +
      n + ") AS i ORDER BY i");
  db.execute(R"(INSERT INTO "Order" ("customer_id", "description", "total") )"
             R"(SELECT c, 'order ' || j || ' of customer ' || c, j * 3.25 )"
             "FROM generate_series(1, " +
             n + ") AS c, generate_series(0, " + std::to_string(orders_per_customer - 1) +
             ") AS j ORDER BY c, j");
  db.execute(R"(ANALYZE "Customer"; ANALYZE "Order")");

  if (!check_results) return;
  // Both sides read the same customers and orders.
  relata::repository<Customer> customers{db};
  raw_connection raw;
  const auto expected = customers.find({.include = {"orders"}});
  if (expected.size() != customer_count || expected.back().orders.size() != orders_per_customer ||
      !relata_bench::same(expected, raw_loader{raw.c}()) ||
      !relata_bench::same(expected, raw_loader{raw.c}.n_plus_1())) {
    throw std::runtime_error("include: relata and raw results differ");
  }
}

void tear_down(const std::string& server) {
  relata::postgres::datasource admin{server, {.pool_size = 1}};
  admin.execute("DROP SCHEMA IF EXISTS relata_bench_" + std::to_string(::getpid()) + " CASCADE");
}

}  // namespace

int main(int argc, char** argv) {
  constexpr int skipped = 77;  // what CTest's SKIP_RETURN_CODE expects
  const auto options = relata_bench::take_options(argc, argv, rows);
  rows = options.size;
  customer_count = std::max<std::size_t>(1, rows / orders_per_customer);

  std::optional<throwaway_server> throwaway;
  std::string server;
  if (const char* env = std::getenv("RELATA_BENCH_POSTGRES"); env && *env) {
    server = env;
  } else if (options.no_throwaway_server) {
    std::cout << "PostgreSQL benchmarks skipped: RELATA_BENCH_POSTGRES is not set and "
                 "--no-throwaway-server was given\n";
    return skipped;
  } else {
    std::string why;
    throwaway.emplace();
    std::cerr << "RELATA_BENCH_POSTGRES is not set: starting a throwaway server\n";
    if (auto started = throwaway->start(why)) {
      server = *started;
    } else {
      std::cout << "PostgreSQL benchmarks skipped: no server (" << why
                << "); set RELATA_BENCH_POSTGRES to a libpq connection string\n";
      return skipped;
    }
  }
  try {
    set_up(server, options.check_results);
  } catch (const std::exception& e) {
    std::cout << "PostgreSQL benchmarks skipped: " << e.what() << "\n";
    return skipped;
  }

  const auto ms = benchmark::kMillisecond;
  benchmark::RegisterBenchmark("postgres/insert/relata", insert<true>)->UseManualTime()->Unit(ms);
  benchmark::RegisterBenchmark("postgres/insert/raw", insert<false>)->UseManualTime()->Unit(ms);
  benchmark::RegisterBenchmark("postgres/include/relata", include<variant::relata>)
      ->UseRealTime()
      ->Unit(ms);
  benchmark::RegisterBenchmark("postgres/include/raw", include<variant::raw>)
      ->UseRealTime()
      ->Unit(ms);
  benchmark::RegisterBenchmark("postgres/include/n+1_relata", include<variant::n_plus_1_relata>)
      ->UseRealTime()
      ->Unit(ms);
  benchmark::RegisterBenchmark("postgres/include/n+1_raw", include<variant::n_plus_1_raw>)
      ->UseRealTime()
      ->Unit(ms);

  const std::string n = std::to_string(customer_count);
  const std::string include = "include orders (" + n + " x 10)";
  const int rc = relata_bench::run(argc,
                                   argv,
                                   {
                                       {"insert " + std::to_string(rows) + " (create_all)",
                                        "postgres/insert/relata",
                                        "postgres/insert/raw",
                                        "time",
                                        1.3,
                                        true},
                                       {include + ": relata / raw",
                                        "postgres/include/relata",
                                        "postgres/include/raw",
                                        "time",
                                        1.3,
                                        true},
                                       {include + ": N+1 relata / include",
                                        "postgres/include/n+1_relata",
                                        "postgres/include/relata",
                                        "time",
                                        20,
                                        false},
                                       {include + ": N+1 raw / raw",
                                        "postgres/include/n+1_raw",
                                        "postgres/include/raw",
                                        "time",
                                        0,
                                        false},
                                       {include + ": heap peak (C++ side)",
                                        "postgres/include/relata",
                                        "postgres/include/raw",
                                        "heap_peak",
                                        0,
                                        true},
                                   });
  tear_down(server);
  return rc;
}
