// SQLite CRUD: relata's repository next to hand-written sqlite3 code doing the same work.
//
//   sqlite/insert/{relata,raw}      N rows in one transaction, into a new file database (WAL);
//                                   relata: repository::create_all; raw: one prepared INSERT
//                                   stepped N times inside BEGIN IMMEDIATE / COMMIT, reading
//                                   back each generated id as create_all does
//   sqlite/find_by_id/{relata,raw}  one row by a random id (an iteration is one lookup); raw:
//                                   a prepared SELECT ... WHERE id = ? reset, bound, stepped,
//                                   read into the same struct
//   sqlite/find_where/{relata,raw}  N rows of 2N matching a where, into a std::vector of the
//                                   struct; raw: a prepared select with the same SQL text
//   sqlite/upsert/{relata,raw}      one whole entity written by its unique key to one of N
//                                   stored rows (random), the stored row read back; all in
//                                   one transaction, so that the disk is not what is timed;
//                                   raw: a prepared INSERT ... ON CONFLICT ... RETURNING
//
// Both sides use the same connection (the relata datasource's native handle), so the pragmas
// are the same by construction: relata's defaults (foreign_keys, case_sensitive_like,
// journal_mode=WAL, synchronous=FULL).
//
//   bench_sqlite_crud [--size=N] [Google Benchmark flags]     N defaults to 100000
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "support/bench.hpp"
#include "support/models.hpp"

namespace {

using relata_bench::Record;

std::size_t rows = 100000;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

/// A prepared statement, finalized at the end.
struct statement {
  sqlite3_stmt* s = nullptr;
  statement(sqlite3* db, const std::string& sql) {
    check(sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr),
          db,
          "prepare");
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() { sqlite3_finalize(s); }
};

void exec(sqlite3* db, const char* sql) {
  check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

std::string text_column(sqlite3_stmt* s, int c) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
}

/// The current row into the struct, as relata reads it.
void read_record(sqlite3_stmt* s, Record& r) {
  r.id = sqlite3_column_int64(s, 0);
  r.name = text_column(s, 1);
  r.email = text_column(s, 2);
  r.score = sqlite3_column_double(s, 3);
  r.balance = sqlite3_column_double(s, 4);
  r.category = sqlite3_column_int64(s, 5);
}

const char* const select_columns =
    R"(SELECT "id", "name", "email", "score", "balance", "category" FROM "Record")";

// --- insert ----------------------------------------------------------------------------------

/// A new file database (relata's datasource, so relata's pragmas) with the Record table.
struct fresh_file_database {
  relata_bench::temp_dir dir;
  std::unique_ptr<relata::sqlite::datasource> db;
  fresh_file_database() {
    db = std::make_unique<relata::sqlite::datasource>((dir.path() / "insert.db").string());
    relata::migrate<Record>(*db);
  }
};

void raw_insert(sqlite3* db, std::vector<Record>& records) {
  exec(db, "BEGIN IMMEDIATE");
  statement insert{db,
                   R"(INSERT INTO "Record" ("name", "email", "score", "balance", "category") )"
                   R"(VALUES (?, ?, ?, ?, ?))"};
  for (auto& r : records) {
    sqlite3_bind_text(insert.s, 1, r.name.data(), static_cast<int>(r.name.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert.s, 2, r.email.data(), static_cast<int>(r.email.size()), SQLITE_STATIC);
    sqlite3_bind_double(insert.s, 3, r.score);
    sqlite3_bind_double(insert.s, 4, r.balance);
    sqlite3_bind_int64(insert.s, 5, r.category);
    check(sqlite3_step(insert.s), db, "insert");
    r.id = sqlite3_last_insert_rowid(db);
    sqlite3_reset(insert.s);
  }
  exec(db, "COMMIT");
}

template <bool Relata>
void insert(benchmark::State& state) {
  const auto data = relata_bench::make_records(rows);
  for (auto _ : state) {
    fresh_file_database file;  // not timed: manual time below
    auto records = data;
    const auto started = std::chrono::steady_clock::now();
    if constexpr (Relata) {
      relata::repository<Record> repo{*file.db};
      records = repo.create_all(std::move(records));
    } else {
      raw_insert(file.db->native_handle(), records);
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

// --- reads -----------------------------------------------------------------------------------

/// One in-memory database with 2N records, shared by the read benchmarks.
relata::sqlite::datasource& read_database() {
  static auto db = [] {
    auto d = std::make_unique<relata::sqlite::datasource>(":memory:");
    relata::migrate<Record>(*d);
    relata::repository<Record>{*d}.create_all(relata_bench::make_records(2 * rows));
    return d;
  }();
  return *db;
}

std::vector<std::int64_t> random_ids() {
  std::mt19937_64 random{42};
  std::uniform_int_distribution<std::int64_t> pick{1, static_cast<std::int64_t>(2 * rows)};
  std::vector<std::int64_t> ids(4096);
  for (auto& id : ids) id = pick(random);
  return ids;
}

struct raw_find_by_id {
  statement select;
  explicit raw_find_by_id(sqlite3* db)
      : select{db, std::string(select_columns) + R"( WHERE "id" = ?)"} {}
  Record operator()(std::int64_t id) {
    sqlite3_bind_int64(select.s, 1, id);
    if (sqlite3_step(select.s) != SQLITE_ROW) throw std::runtime_error("no such record");
    Record r;
    read_record(select.s, r);
    sqlite3_reset(select.s);
    return r;
  }
};

void find_by_id_relata(benchmark::State& state) {
  relata::repository<Record> repo{read_database()};
  const auto ids = random_ids();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = repo.find_by_id(ids[i++ & 4095]);
    benchmark::DoNotOptimize(r);
  }
}

void find_by_id_raw(benchmark::State& state) {
  raw_find_by_id find{read_database().native_handle()};
  const auto ids = random_ids();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = find(ids[i++ & 4095]);
    benchmark::DoNotOptimize(r);
  }
}

std::vector<Record> raw_find_where(sqlite3* db, sqlite3_stmt* s, std::int64_t category) {
  sqlite3_bind_int64(s, 1, category);
  std::vector<Record> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    read_record(s, out.emplace_back());
  }
  check(rc, db, "select");
  sqlite3_reset(s);
  return out;
}

const char* const where_sql = R"( WHERE "category" = ? ORDER BY "id")";

void find_where_relata(benchmark::State& state) {
  relata::repository<Record> repo{read_database()};
  for (auto _ : state) {
    auto found = repo.find({.where = relata::col(&Record::category) == 1});
    benchmark::DoNotOptimize(found.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

void find_where_raw(benchmark::State& state) {
  sqlite3* db = read_database().native_handle();
  statement select{db, std::string(select_columns) + where_sql};
  for (auto _ : state) {
    auto found = raw_find_where(db, select.s, 1);
    benchmark::DoNotOptimize(found.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

// --- upsert ----------------------------------------------------------------------------------

/// A tally per name: the name is a unique key.
struct Tally {
  RELATA_MODEL(Tally, (relata::id<std::int64_t>, id), (std::string, name), (std::int64_t, hits));
  using relata_options = relata::options<relata::unique<&Tally::name>>;
};

/// One in-memory database with N tallies, for the upsert benchmarks.
struct upsert_database {
  std::unique_ptr<relata::sqlite::datasource> db =
      std::make_unique<relata::sqlite::datasource>(":memory:");
  std::vector<std::string> names;
  upsert_database() {
    relata::migrate<Tally>(*db);
    std::vector<Tally> tallies;
    for (std::size_t i = 0; i < rows; ++i) {
      names.push_back("tally " + std::to_string(i));
      tallies.push_back({.name = names.back(), .hits = 0});
    }
    relata::repository<Tally>{*db}.create_all(std::move(tallies));
  }
};
upsert_database& upsert_db() {
  static upsert_database d;
  return d;
}

struct raw_upsert {
  sqlite3* db;
  statement upsert;
  explicit raw_upsert(sqlite3* handle)
      : db(handle),
        upsert{handle,
               R"(INSERT INTO "Tally" ("name", "hits") VALUES (?, ?) ON CONFLICT ("name") )"
               R"(DO UPDATE SET "hits" = excluded."hits" RETURNING "id", "name", "hits")"} {}
  Tally operator()(const std::string& name, std::int64_t hits) {
    sqlite3_bind_text(upsert.s, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    sqlite3_bind_int64(upsert.s, 2, hits);
    if (sqlite3_step(upsert.s) != SQLITE_ROW) throw std::runtime_error("upsert returned no row");
    Tally t;
    t.id = sqlite3_column_int64(upsert.s, 0);
    t.name = text_column(upsert.s, 1);
    t.hits = sqlite3_column_int64(upsert.s, 2);
    check(sqlite3_step(upsert.s), db, "upsert");
    sqlite3_reset(upsert.s);
    return t;
  }
};

template <bool Relata>
void upsert(benchmark::State& state) {
  auto& d = upsert_db();
  relata::repository<Tally> repo{*d.db};
  raw_upsert raw{d.db->native_handle()};
  std::mt19937_64 random{42};
  std::int64_t hits = 0;
  relata::transaction tx{*d.db};
  for (auto _ : state) {
    const std::string& name = d.names[random() % d.names.size()];
    if constexpr (Relata) {
      auto t = repo.upsert({.name = name, .hits = ++hits});
      benchmark::DoNotOptimize(t);
    } else {
      auto t = raw(name, ++hits);
      benchmark::DoNotOptimize(t);
    }
  }
  tx.rollback();
}

/// Both sides return the same rows (checked once, before the benchmarks).
void check_same_results() {
  auto& db = read_database();
  relata::repository<Record> repo{db};
  statement select{db.native_handle(), std::string(select_columns) + where_sql};
  const auto a = repo.find({.where = relata::col(&Record::category) == 1});
  const auto b = raw_find_where(db.native_handle(), select.s, 1);
  if (a.size() != rows || !relata_bench::same(a, b)) {
    throw std::runtime_error("find_where: relata and raw results differ");
  }
  raw_find_by_id find{db.native_handle()};
  for (auto id : random_ids()) {
    if (!relata_bench::same(repo.find_by_id(id), find(id))) {
      throw std::runtime_error("find_by_id: relata and raw results differ");
    }
  }
  auto& u = upsert_db();
  relata::transaction tx{*u.db};
  relata::repository<Tally> tallies{*u.db};
  raw_upsert raw{u.db->native_handle()};
  const auto x = tallies.upsert({.name = u.names[7], .hits = 5});
  const auto y = raw(u.names[7], 5);
  if (x.id != y.id || x.id != 8 || x.hits != y.hits || tallies.count() != rows) {
    throw std::runtime_error("upsert: relata and raw results differ");
  }
  tx.rollback();
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = relata_bench::take_options(argc, argv, rows);
  rows = options.size;
  if (options.check_results) check_same_results();

  const auto ms = benchmark::kMillisecond;
  benchmark::RegisterBenchmark("sqlite/insert/relata", insert<true>)->UseManualTime()->Unit(ms);
  benchmark::RegisterBenchmark("sqlite/insert/raw", insert<false>)->UseManualTime()->Unit(ms);
  benchmark::RegisterBenchmark("sqlite/find_by_id/relata", find_by_id_relata)->UseRealTime();
  benchmark::RegisterBenchmark("sqlite/find_by_id/raw", find_by_id_raw)->UseRealTime();
  benchmark::RegisterBenchmark("sqlite/find_where/relata", find_where_relata)
      ->UseRealTime()
      ->Unit(ms);
  benchmark::RegisterBenchmark("sqlite/find_where/raw", find_where_raw)->UseRealTime()->Unit(ms);
  benchmark::RegisterBenchmark("sqlite/upsert/relata", upsert<true>)->UseRealTime();
  benchmark::RegisterBenchmark("sqlite/upsert/raw", upsert<false>)->UseRealTime();

  return relata_bench::run(
      argc,
      argv,
      {
          {"insert " + std::to_string(rows) + " (create_all)",
           "sqlite/insert/relata",
           "sqlite/insert/raw",
           "time",
           1.2,
           true},
          {"find_by_id", "sqlite/find_by_id/relata", "sqlite/find_by_id/raw", "time", 1.2, true},
          {"find " + std::to_string(rows) + " with a where",
           "sqlite/find_where/relata",
           "sqlite/find_where/raw",
           "time",
           1.2,
           true},
          {"upsert by a unique key",
           "sqlite/upsert/relata",
           "sqlite/upsert/raw",
           "time",
           1.2,
           true},
      });
}
