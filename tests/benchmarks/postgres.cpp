// PostgreSQL: relata's connector next to hand-written libpq code doing the same work.
//
//   postgres/insert/relata              N rows (default 100000) in one transaction:
//                                       repository::create_all
//   postgres/insert/relata_per_row      the same rows, repository::create per row inside a
//                                       relata::transaction (what create_all saves, if anything)
//   postgres/insert/raw                 PQprepare once, then PQexecPrepared per row inside
//                                       BEGIN / COMMIT with the same statement (INSERT ...
//                                       RETURNING "id") and the same binary parameters, reading
//                                       back each generated id
//   postgres/insert/raw_multirow        the best raw libpq can do with ids coming back:
//                                       multi-row INSERT ... VALUES (...), (...) RETURNING "id"
//                                       inside BEGIN / COMMIT, prepared once per statement size,
//                                       binary parameters, 500 rows per statement (well under
//                                       the 65535 bind parameters; see raw_multirow_inserter)
//                                       (PostgreSQL returns the rows of VALUES in order, so the
//                                       ids are assigned in order)
//   postgres/insert/raw_copy            COPY "Record" (...) FROM STDIN in binary format, one
//                                       statement; the generated ids do not come back
//   postgres/include/{relata,raw}       N/10 customers x 10 orders; relata:
//                                       customers.find({.include = {"orders"}}); raw: select the
//                                       customers (text results) into structs, select the orders
//                                       with customer_id = ANY($1::bigint[]) (the ids as one
//                                       text array parameter), stitch through a hash map
//   postgres/include/n+1_{relata,raw}   one query per customer for its orders (reference)
//
// The server: the libpq connection string in RELATA_BENCH_POSTGRES, else a throwaway server
// started with tests/support/postgres_server.sh (stopped at the end). Without either, the
// program says why and runs nothing. Tables go in a schema of their own, dropped at the end.
//
//   bench_postgres [--size=N] [--latency-us=N] [Google Benchmark flags]
//
// --latency-us=N puts a proxy on 127.0.0.1 between this program and the server that adds N
// microseconds to every round trip (support/delay_proxy.hpp; the round trip is measured and
// printed first): what a network between the application and its database costs per query.
//
// Ratios as min / median / max over interleaved repetitions (the way the README's figures are
// taken):
//
//   bench_postgres --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
//   bench_postgres --size=10000 --latency-us=1000 --benchmark_repetitions=5
//                  --benchmark_enable_random_interleaving=true
#include <libpq-fe.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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
#include "support/delay_proxy.hpp"
#include "support/models.hpp"
#include "support/postgres.hpp"

namespace {

using relata_bench::Customer;
using relata_bench::Order;
using relata_bench::Record;

std::size_t rows = 100000;
std::size_t customer_count = 10000;
constexpr std::size_t orders_per_customer = 10;

std::string conninfo;  // with the benchmark schema as search_path (through the proxy if any)

using namespace relata_bench::pg;

// --- raw libpq -------------------------------------------------------------------------------

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
          checked(PQexecPrepared(c_, "raw_insert", 5, values, lengths, formats, 0), "insert");
      r.id = integer_at(res.r, 0, 0);
    }
    exec(c_, "COMMIT");
  }

 private:
  PGconn* c_;
};

/// The bytes of one row's numbers as binary parameters (big-endian), kept while a statement
/// that points at them runs.
struct binary_numbers {
  std::uint64_t score;
  std::uint64_t balance;
  std::uint64_t category;
  explicit binary_numbers(const Record& r)
      : score(big_endian(std::bit_cast<std::uint64_t>(r.score))),
        balance(big_endian(std::bit_cast<std::uint64_t>(r.balance))),
        category(big_endian(static_cast<std::uint64_t>(r.category))) {}
};

/// Raw multi-row insert: INSERT ... VALUES (...), (...) RETURNING "id", 500 rows (2500 bind
/// parameters) per statement, each statement size prepared once. Measured on 100k rows over a
/// Unix socket: 100 to 2000 rows per statement are within noise of each other, while filling
/// the 65535 parameters (13107 rows) is about 1.3x slower (the server plans such a statement
/// slowly); over a network fewer, larger statements save round trips (200 here for 100k rows).
class raw_multirow_inserter {
 public:
  static constexpr std::size_t columns = 5;
  static constexpr std::size_t rows_per_statement = 500;
  static_assert(rows_per_statement * columns <= 65535);

  explicit raw_multirow_inserter(PGconn* c) : c_(c) {}

  void operator()(std::vector<Record>& records) {
    // Prepared before BEGIN: looking a statement up fails, and so aborts a transaction, when
    // the connection does not have it yet.
    const std::size_t last = records.size() % rows_per_statement;
    if (records.size() >= rows_per_statement) statement_for(rows_per_statement);
    if (last) statement_for(last);
    exec(c_, "BEGIN");
    for (std::size_t first = 0; first < records.size(); first += rows_per_statement) {
      const std::size_t n = std::min(rows_per_statement, records.size() - first);
      const std::string name = "raw_insert_rows_" + std::to_string(n);
      std::vector<binary_numbers> numbers;
      numbers.reserve(n);
      values_.clear();
      lengths_.clear();
      for (std::size_t i = first; i < first + n; ++i) {
        const Record& r = records[i];
        const auto& b = numbers.emplace_back(r);
        values_.insert(values_.end(),
                       {r.name.data(),
                        r.email.data(),
                        reinterpret_cast<const char*>(&b.score),
                        reinterpret_cast<const char*>(&b.balance),
                        reinterpret_cast<const char*>(&b.category)});
        lengths_.insert(
            lengths_.end(),
            {static_cast<int>(r.name.size()), static_cast<int>(r.email.size()), 8, 8, 8});
      }
      formats_.assign(values_.size(), 1);
      auto res = checked(PQexecPrepared(c_,
                                        name.c_str(),
                                        static_cast<int>(values_.size()),
                                        values_.data(),
                                        lengths_.data(),
                                        formats_.data(),
                                        0),
                         "multi-row insert");
      for (std::size_t i = 0; i < n; ++i) {
        records[first + i].id = integer_at(res.r, static_cast<int>(i), 0);
      }
    }
    exec(c_, "COMMIT");
  }

 private:
  /// Prepares the statement inserting `n` rows, unless the connection has it.
  void statement_for(std::size_t n) {
    const std::string name = "raw_insert_rows_" + std::to_string(n);
    std::string sql = R"(INSERT INTO "Record" ("name", "email", "score", "balance", "category") )"
                      "VALUES ";
    std::vector<Oid> types;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t p = i * columns;
      sql += (i ? ",($" : "($") + std::to_string(p + 1) + ",$" + std::to_string(p + 2) + ",$" +
             std::to_string(p + 3) + ",$" + std::to_string(p + 4) + ",$" + std::to_string(p + 5) +
             ")";
      types.insert(types.end(), {text_oid, text_oid, float8_oid, float8_oid, int8_oid});
    }
    sql += R"( RETURNING "id")";
    prepare(c_, name.c_str(), sql.c_str(), static_cast<int>(types.size()), types.data());
  }

  PGconn* c_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

/// Raw COPY: the rows in PostgreSQL's binary COPY format (support's binary_copy); one
/// statement, atomic on its own. The generated ids do not come back.
class raw_copier {
 public:
  explicit raw_copier(PGconn* c) : c_(c) {}

  void operator()(const std::vector<Record>& records) {
    binary_copy copy{c_,
                     R"(COPY "Record" ("name", "email", "score", "balance", "category") )"
                     "FROM STDIN (FORMAT binary)"};
    for (const auto& r : records) {
      copy.row(5);
      copy.text(r.name);
      copy.text(r.email);
      copy.float8(r.score);
      copy.float8(r.balance);
      copy.int8(r.category);
    }
    copy.finish();
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
        checked(PQexecPrepared(c_, "raw_orders_in", 1, values, nullptr, nullptr, 0), "orders");
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
      auto res =
          checked(PQexecPrepared(c_, "raw_orders_of", 1, values, lengths, formats, 0), "orders");
      const int n = PQntuples(res.r);
      std::vector<Order> orders(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) read_order(res.r, i, orders[static_cast<std::size_t>(i)]);
      c.orders.assign(std::move(orders));
    }
    return customers;
  }

 private:
  std::vector<Customer> load_customers() {
    auto res =
        checked(PQexecPrepared(c_, "raw_customers", 0, nullptr, nullptr, nullptr, 0), "customers");
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

enum class insert_method { relata, relata_per_row, raw, raw_multirow, raw_copy };

template <insert_method M>
void insert(benchmark::State& state) {
  auto& db = database();
  relata::repository<Record> repo{db};
  raw_connection raw{conninfo};
  raw_inserter raw_insert{raw.c};
  raw_multirow_inserter raw_multirow_insert{raw.c};
  raw_copier raw_copy{raw.c};
  const auto data = relata_bench::make_records(rows);
  const auto expected_rows = static_cast<std::int64_t>(rows);
  for (auto _ : state) {
    db.execute(R"(TRUNCATE "Record" RESTART IDENTITY)");  // not timed: manual time below
    auto records = data;
    const auto started = std::chrono::steady_clock::now();
    if constexpr (M == insert_method::relata) {
      records = repo.create_all(std::move(records));
    } else if constexpr (M == insert_method::relata_per_row) {
      relata::transaction tx{db};
      for (auto& r : records) r = repo.create(std::move(r));
      tx.commit();
    } else if constexpr (M == insert_method::raw) {
      raw_insert(records);
    } else if constexpr (M == insert_method::raw_multirow) {
      raw_multirow_insert(records);
    } else {
      raw_copy(records);
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    state.SetIterationTime(std::chrono::duration<double>(elapsed).count());
    const bool ids_back = M != insert_method::raw_copy;
    if ((ids_back && records.back().id != expected_rows) ||
        query_integer(raw.c, R"(SELECT count(*) FROM "Record")") != expected_rows) {
      state.SkipWithError("wrong generated ids or row count");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

enum class variant { relata, raw, n_plus_1_relata, n_plus_1_raw };

template <variant V>
void include(benchmark::State& state) {
  relata::repository<Customer> customers{database()};
  raw_connection raw{conninfo};
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

/// The tables, in a schema of this process; the include data made by the server. `client` is
/// how the benchmarks reach the server (directly, or through the delay proxy).
void set_up(const std::string& server, const std::string& client, bool check_results) {
  const std::string schema = "relata_bench_" + std::to_string(::getpid());
  {
    relata::postgres::datasource admin{server, {.pool_size = 1}};
    admin.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  }
  conninfo = client + " options='-c search_path=" + schema + "'";
  auto& db = database();
  relata::migrate<Record, Customer, Order, relata_bench::Item>(db);
  make_shop(db, customer_count, orders_per_customer, 0);

  if (!check_results) return;
  // Both sides read the same customers and orders.
  relata::repository<Customer> customers{db};
  raw_connection raw{conninfo};
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

/// The median time of a trivial query on a new connection, in microseconds.
double round_trip_us(const std::string& client) {
  raw_connection raw{client};
  std::vector<double> times;
  for (int i = 0; i < 200; ++i) {
    const auto started = std::chrono::steady_clock::now();
    exec(raw.c, "SELECT 1");
    times.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// How the benchmarks reach `server`: directly, or with --latency-us through a delay proxy
/// that lives until the end of the program (after the datasource that uses it).
std::string client_of(const std::string& server, std::size_t latency_us) {
  if (latency_us == 0) return server;
  static std::unique_ptr<relata_bench::delay_proxy> proxy;
  proxy = std::make_unique<relata_bench::delay_proxy>(server,
                                                      std::chrono::microseconds(latency_us / 2));
  const std::string client = proxy->conninfo();
  std::cout << "Latency: a proxy adds " << latency_us
            << " us per round trip; SELECT 1 round trip, median of 200: " << round_trip_us(server)
            << " us direct, " << round_trip_us(client) << " us through the proxy\n";
  return client;
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
    throwaway.emplace(RELATA_BENCH_POSTGRES_SERVER_SCRIPT);
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
    set_up(server, client_of(server, options.latency_us), options.check_results);
  } catch (const std::exception& e) {
    // The server is there: a failure now is the benchmark's (or relata's), not a skip.
    std::cout << "PostgreSQL benchmarks failed to set up: " << e.what() << "\n";
    return 1;
  }

  const auto ms = benchmark::kMillisecond;
  using m = insert_method;
  benchmark::RegisterBenchmark("postgres/insert/relata", insert<m::relata>)
      ->UseManualTime()
      ->Unit(ms);
  benchmark::RegisterBenchmark("postgres/insert/relata_per_row", insert<m::relata_per_row>)
      ->UseManualTime()
      ->Unit(ms);
  benchmark::RegisterBenchmark("postgres/insert/raw", insert<m::raw>)->UseManualTime()->Unit(ms);
  benchmark::RegisterBenchmark("postgres/insert/raw_multirow", insert<m::raw_multirow>)
      ->UseManualTime()
      ->Unit(ms);
  benchmark::RegisterBenchmark("postgres/insert/raw_copy", insert<m::raw_copy>)
      ->UseManualTime()
      ->Unit(ms);
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
  const std::string insert = "insert " + std::to_string(rows);
  const int rc = relata_bench::run(
      argc,
      argv,
      {
          {insert + ": create_all / raw per row",
           "postgres/insert/relata",
           "postgres/insert/raw",
           "time",
           1.3,
           true},
          // issue 25's target for batched writes; relata sends one statement per row today
          {insert + ": create_all / best raw (multi-row, COPY)",
           "postgres/insert/relata",
           "postgres/insert/raw_multirow|postgres/insert/raw_copy",
           "time",
           1.5,
           true},
          {insert + ": create_all / raw multi-row",
           "postgres/insert/relata",
           "postgres/insert/raw_multirow",
           "time",
           0,
           true},
          {insert + ": create_all / raw COPY",
           "postgres/insert/relata",
           "postgres/insert/raw_copy",
           "time",
           0,
           true},
          {insert + ": create per row / create_all",
           "postgres/insert/relata_per_row",
           "postgres/insert/relata",
           "time",
           0,
           false},
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
