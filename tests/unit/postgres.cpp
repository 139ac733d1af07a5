// PostgreSQL connector specifics: connection strings, errors with SQLSTATE, the type mapping,
// IN lists as one array parameter, the pool under concurrent use, transactions pinned to a
// thread, a lost connection, and models split between PostgreSQL and SQLite. The behaviour
// shared with every connector is in tests/conformance.
#include <catch2/catch.hpp>

#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <relata/json.hpp>
#include <relata/postgres.hpp>
#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "support/fixtures.hpp"
#include "support/postgres.hpp"

using namespace fixtures;
using relata::col;

namespace {

/// The first cell of a query run with plain libpq on `conninfo` (checks only).
std::string query_text(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  REQUIRE(PQstatus(conn) == CONNECTION_OK);
  PGresult* r = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
  std::string out = ok ? PQgetvalue(r, 0, 0) : std::string("<") + PQresultErrorMessage(r) + ">";
  PQclear(r);
  PQfinish(conn);
  return out;
}

struct world {
  std::string conninfo = relata_test::fresh_postgres_schema();
  relata::postgres::datasource db;
  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};

  explicit world(relata::postgres::options opts = {}) : db(conninfo, opts) { migrate_all(db); }

  std::string column_type(const std::string& table, const std::string& column) const {
    return query_text(conninfo,
                      "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                      "'\"" +
                          table + "\"'::regclass AND attname = '" + column + "'");
  }
};

}  // namespace

TEST_CASE("postgres: a bad connection string fails at once with a typed error", "[postgres]") {
  const auto conninfo = relata_test::postgres_conninfo();
  REQUIRE(conninfo);
  try {
    relata::postgres::datasource db{*conninfo + " dbname=no_such_database"};
    FAIL("expected connector_error");
  } catch (const relata::connector_error& e) {
    CHECK(e.code() == relata::error_code::connector_error);
    CHECK(e.native_code() == "08001");
    CHECK_THAT(e.what(), Catch::Contains("no_such_database"));
  }
}

TEST_CASE("postgres: errors carry the SQLSTATE; constraint violations are typed", "[postgres]") {
  world w;
  w.customers.create({.id = 1, .name = "Ada"});
  try {
    w.customers.create({.id = 1, .name = "again"});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK(e.native_code() == "23505");  // unique_violation
  }
  try {
    w.orders.create({.description = "x", .total = 1, .customer_id = 42});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK(e.native_code() == "23503");  // foreign_key_violation
    CHECK_THAT(e.what(), Catch::Contains("Order_customer_id_fkey"));
  }
  try {
    w.db.execute("SELECT * FROM no_such_table");
    FAIL("expected connector_error");
  } catch (const relata::connector_error& e) {
    CHECK(e.native_code() == "42P01");  // undefined_table
    CHECK_THAT(e.what(), Catch::Contains("no_such_table"));
  }
  CHECK(w.customers.count() == 1);
}

namespace pg_types {
enum class mood { calm, angry };
struct Everything {
  RELATA_MODEL(Everything,
               (relata::id<std::int64_t>, id),
               (std::int32_t, small),
               (double, real),
               (bool, flag),
               (std::string, text),
               (relata::blob, bytes),
               (std::chrono::system_clock::time_point, at),
               (mood, feeling),
               (nlohmann::json, doc),
               (std::vector<std::int64_t>, numbers),
               (std::vector<std::string>, words),
               (std::vector<double>, reals),
               (std::optional<std::string>, maybe));
};
}  // namespace pg_types

TEST_CASE("postgres: migrate maps property types to native types, idempotently", "[postgres]") {
  world w;
  relata::migrate<pg_types::Everything>(w.db);
  relata::migrate<pg_types::Everything>(w.db);
  CHECK(w.column_type("Everything", "id") == "bigint");
  CHECK(w.column_type("Everything", "small") == "bigint");
  CHECK(w.column_type("Everything", "real") == "double precision");
  CHECK(w.column_type("Everything", "flag") == "boolean");
  CHECK(w.column_type("Everything", "text") == "text");
  CHECK(w.column_type("Everything", "bytes") == "bytea");
  CHECK(w.column_type("Everything", "at") == "timestamp with time zone");
  CHECK(w.column_type("Everything", "feeling") == "bigint");
  CHECK(w.column_type("Everything", "doc") == "jsonb");
  CHECK(w.column_type("Everything", "numbers") == "bigint[]");
  CHECK(w.column_type("Everything", "words") == "text[]");
  CHECK(w.column_type("Everything", "reals") == "double precision[]");
  CHECK(query_text(w.conninfo,
                   "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = "
                   "'\"Everything\"'::regclass AND attname = 'maybe'") == "false");
  CHECK(query_text(w.conninfo,
                   "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = "
                   "'\"Everything\"'::regclass AND attname = 'text'") == "true");

  relata::repository<pg_types::Everything> repo{w.db};
  pg_types::Everything e;
  e.small = -7;
  e.real = 0.1 + 0.2;
  e.flag = true;
  e.text = "caf\xc3\xa9 \"quoted\" 'single' \\ back";
  e.bytes = {std::byte{0}, std::byte{0xff}, std::byte{0x10}};
  e.feeling = pg_types::mood::angry;
  e.doc = nlohmann::json{{"b", 1}, {"a", {1, 2, nullptr}}};
  e.numbers = {INT64_MIN, 0, INT64_MAX};
  e.words = {"", "NULL", "with \"quotes\" and \\", "comma,brace}{"};
  e.reals = {-0.5, 1e300};
  e = repo.create(e);
  const auto back = repo.find_by_id(e.id);
  CHECK(back.small == -7);
  CHECK(back.real == 0.1 + 0.2);
  CHECK(back.flag);
  CHECK(back.text == e.text);
  CHECK(back.bytes == e.bytes);
  CHECK(back.feeling == pg_types::mood::angry);
  CHECK(back.doc == e.doc);
  CHECK(back.numbers == e.numbers);
  CHECK(back.words == e.words);  // "NULL" as text is not a NULL element
  CHECK(back.reals == e.reals);
  CHECK_FALSE(back.maybe.has_value());
  // the array is a real PostgreSQL array
  CHECK(query_text(w.conninfo, "SELECT array_length(numbers, 1)::text FROM \"Everything\"") == "3");
}

TEST_CASE("postgres: an IN list is one array parameter, whatever its length", "[postgres]") {
  world w;
  std::vector<Customer> many(3000);
  for (auto& c : many) c.name = "c";
  w.customers.create_all(std::move(many));
  std::vector<std::int64_t> ids;
  for (std::int64_t i = 1; i <= 2500; ++i) ids.push_back(i);
  std::vector<relata::query_event> seen;
  std::vector<std::string> texts;
  w.db.observe([&](const relata::query_event& e) {
    seen.push_back(e);
    texts.emplace_back(e.text);
  });
  CHECK(w.customers.count(col(&Customer::id).in(ids)) == 2500);
  CHECK(w.customers.count(col(&Customer::id).not_in(ids)) == 500);
  w.db.observe({});
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].parameters == 1);
  CHECK_THAT(texts[0], Catch::Contains("\"id\" = ANY($1::BIGINT[])"));
  CHECK_THAT(texts[1], Catch::Contains("\"id\" <> ALL($1::BIGINT[])"));
}

TEST_CASE("postgres: create_all past one INSERT's rows is one COPY, ids drawn first",
          "[postgres][bulk]") {
  world w;
  std::vector<std::string> texts;
  w.db.observe([&](const relata::query_event& e) { texts.emplace_back(e.text); });
  std::vector<Customer> many(5000);
  for (auto& c : many) c.name = "c";
  const auto made = w.customers.create_all(std::move(many));
  w.db.observe({});
  // BEGIN and COMMIT around the two: the ids from the identity's sequence, then the rows
  std::vector<std::string> work;
  for (const auto& t : texts) {
    if (t != "BEGIN" && t != "COMMIT") work.push_back(t);
  }
  REQUIRE(work.size() == 2);
  CHECK_THAT(work[0], Catch::StartsWith("SELECT nextval(s.seq)"));
  CHECK_THAT(work[1], Catch::StartsWith("COPY \"Customer\" (") && Catch::EndsWith("FROM STDIN"));
  REQUIRE(made.size() == 5000);
  CHECK(made.front().id == 1);
  CHECK(made.back().id == 5000);
  // the identity goes on after them, as after INSERTs
  CHECK(w.customers.create({.name = "next"}).id == 5001);
  // at most one INSERT's rows: a multi-row INSERT
  texts.clear();
  w.db.observe([&](const relata::query_event& e) { texts.emplace_back(e.text); });
  w.customers.create_all(std::vector<Customer>(10, Customer{.name = "few"}));
  w.db.observe({});
  CHECK(std::none_of(
      texts.begin(), texts.end(), [](const std::string& t) { return t.rfind("COPY", 0) == 0; }));
}

TEST_CASE("postgres: the pool serves concurrent threads within its size", "[postgres][pool]") {
  world w{{.pool_size = 3}};
  constexpr int threads = 8;
  constexpr int per_thread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        for (int i = 0; i < per_thread; ++i) {
          auto c = w.customers.create({.name = "t" + std::to_string(t)});
          w.customers.orders(c.id).create({.description = "o", .total = 1.0 * i});
          if (w.customers.find_by_id(c.id).name != "t" + std::to_string(t)) ++failures;
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  CHECK(failures == 0);
  CHECK(w.customers.count() == threads * per_thread);
  CHECK(w.orders.count() == threads * per_thread);
  CHECK(w.db.open_connections() <= 3);
}

TEST_CASE("postgres: a transaction pins its connection to its thread", "[postgres][transaction]") {
  world w{{.pool_size = 2}};
  relata::transaction tx{w.db};
  w.customers.create({.name = "inside"});
  CHECK(w.customers.count() == 1);  // this thread sees its own work
  std::uint64_t seen_elsewhere = 99;
  std::thread other{[&] { seen_elsewhere = w.customers.count(); }};
  other.join();
  CHECK(seen_elsewhere == 0);  // another thread does not, until commit
  {
    relata::transaction nested{w.db};  // a savepoint
    w.customers.create({.name = "nested"});
    CHECK(w.db.transaction_depth() == 2);
  }  // rolled back to the savepoint
  CHECK(w.db.transaction_depth() == 1);
  tx.commit();
  CHECK(w.db.transaction_depth() == 0);
  std::thread after{[&] { seen_elsewhere = w.customers.count(); }};
  after.join();
  CHECK(seen_elsewhere == 1);
}

TEST_CASE("postgres: a lost connection is reported and the pool recovers on the next call",
          "[postgres][pool]") {
  const std::string schema_conninfo = relata_test::fresh_postgres_schema();
  relata::postgres::datasource db{schema_conninfo + " application_name=relata_lost_connection",
                                  {.pool_size = 1}};
  migrate_all(db);
  relata::repository<Customer> customers{db};
  customers.create({.name = "before"});
  const auto admin = relata_test::postgres_conninfo();
  REQUIRE(admin);
  CHECK(query_text(*admin,
                   "SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity WHERE "
                   "application_name = 'relata_lost_connection'") == "1");
  try {
    customers.count();
    FAIL("expected connector_error");
  } catch (const relata::connector_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("connection"));
    CHECK_FALSE(e.native_code().empty());
  }
  CHECK(customers.count() == 1);  // a fresh connection
  customers.create({.name = "after"});
  CHECK(customers.count() == 2);
}

TEST_CASE("postgres: a COMMIT refused for a deferred foreign key rolls back",
          "[postgres][transaction]") {
  world w{{.pool_size = 1}};
  w.db.execute(
      "DO $$DECLARE c record; BEGIN FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = "
      "'\"Order\"'::regclass AND contype = 'f' LOOP EXECUTE format('ALTER TABLE \"Order\" "
      "ALTER CONSTRAINT %I DEFERRABLE INITIALLY DEFERRED', c.conname); END LOOP; END$$");
  try {
    w.orders.create_all(
        {{.description = "a", .customer_id = 998}, {.description = "b", .customer_id = 999}});
    FAIL("expected the COMMIT to be refused");
  } catch (const relata::constraint_violation& e) {
    CHECK(e.native_code() == "23503");
  }
  CHECK(w.db.transaction_depth() == 0);
  CHECK(w.orders.count() == 0);
  {
    relata::transaction tx{w.db};
    w.customers.create({.name = "committed"});
    tx.commit();
  }
  std::uint64_t seen_elsewhere = 0;
  std::thread other{[&] { seen_elsewhere = w.customers.count(); }};
  other.join();
  CHECK(seen_elsewhere == 1);
}

TEST_CASE("postgres: the COMMIT of a transaction an error aborted is refused, not reported done",
          "[postgres][transaction]") {
  world w;
  {
    relata::transaction tx{w.db};
    w.customers.create({.name = "lost"});
    // PostgreSQL aborts the transaction here; SQLite and memory would go on.
    CHECK_THROWS_AS(w.orders.create({.description = "x", .customer_id = 999}),
                    relata::constraint_violation);
    CHECK_THROWS_AS(tx.commit(), relata::transaction_error);
    CHECK(w.db.transaction_depth() == 0);
  }
  CHECK(w.customers.count() == 0);
  w.customers.create({.name = "after"});
  CHECK(w.customers.count() == 1);
}

TEST_CASE("postgres: a savepoint whose RELEASE fails ends, and its transaction unwinds",
          "[postgres][transaction]") {
  const std::string schema_conninfo = relata_test::fresh_postgres_schema();
  relata::postgres::datasource db{schema_conninfo + " application_name=relata_lost_savepoint",
                                  {.pool_size = 1}};
  migrate_all(db);
  relata::repository<Customer> customers{db};
  const auto admin = relata_test::postgres_conninfo();
  REQUIRE(admin);
  {
    relata::transaction outer{db};
    customers.create({.name = "outer"});
    {
      relata::transaction inner{db};
      customers.create({.name = "inner"});
      CHECK(query_text(*admin,
                       "SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity "
                       "WHERE application_name = 'relata_lost_savepoint'") == "1");
      CHECK_THROWS_AS(inner.commit(), relata::connector_error);
      CHECK(db.transaction_depth() == 1);
    }
    CHECK(db.transaction_depth() == 1);
  }
  CHECK(db.transaction_depth() == 0);
  CHECK(customers.count() == 0);  // on a fresh connection: nothing was committed
  customers.create({.name = "after"});
  CHECK(customers.count() == 1);
}

TEST_CASE("postgres: related models in PostgreSQL and SQLite work together",
          "[postgres][cross-datasource]") {
  // Customers (and what they own directly) on PostgreSQL, orders on SQLite.
  relata::postgres::datasource pg{relata_test::fresh_postgres_schema()};
  relata::sqlite::datasource lite{":memory:"};
  relata::migrate<Customer, Address, Account, CartItem, CustomerCartItemLink>(pg);
  relata::migrate<Order, OrderItem, Shipment>(lite);
  relata::repository<Customer> customers{pg};
  customers.bind<Order>(lite).bind<OrderItem>(lite).bind<Shipment>(lite);
  relata::repository<Order> orders{lite};
  orders.bind<Customer>(pg);

  auto ada = customers.create({.name = "Ada"});
  auto bob = customers.create({.name = "Bob"});
  auto pens = customers.orders(ada.id).create({.description = "pens", .total = 3.5});
  customers.orders(ada.id).create({.description = "paper", .total = 12});
  customers.orders(bob.id).create({.description = "ink", .total = 1});
  CHECK(customers.orders(ada.id).count() == 2);
  CHECK(customers.orders(ada.id).patch({{&Order::total, 5.0}}, col(&Order::total) < 5.0) == 1);
  CHECK(orders.customer(pens.id)->name == "Ada");

  std::size_t pg_selects = 0, lite_selects = 0;
  pg.observe([&](const relata::query_event& e) {
    pg_selects += std::string_view(e.text).starts_with("SELECT");
  });
  lite.observe([&](const relata::query_event& e) {
    lite_selects += std::string_view(e.text).starts_with("SELECT");
  });
  const auto all = customers.find(
      {.include = {relata::include(&Customer::orders, {.order = {relata::desc(&Order::total)}})}});
  CHECK(pg_selects == 1);
  CHECK(lite_selects == 1);
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].orders.size() == 2);
  CHECK(all[0].orders[0].description == "paper");
  CHECK(all[1].orders[0].description == "ink");

  const auto with_owner = orders.find({.include = {"customer"}});
  REQUIRE(with_owner.size() == 3);
  CHECK(with_owner[2].customer->name == "Bob");
  pg.observe({});
  lite.observe({});
}

TEST_CASE("postgres: migrate creates the schema option's schema when it does not exist",
          "[postgres][migrate][regression]") {
  const auto conninfo = relata_test::postgres_conninfo();
  REQUIRE(conninfo);
  const std::string schema = "relata_new_schema_" + std::to_string(::getpid());
  {
    relata::postgres::datasource admin{*conninfo};
    admin.execute("DROP SCHEMA IF EXISTS " + relata::sql::identifier(schema) + " CASCADE");
  }
  relata::postgres::datasource db{*conninfo, {.schema = schema}};
  migrate_all(db);
  migrate_all(db);  // idempotent: the schema and its tables exist now
  relata::repository<Customer> customers{db};
  customers.create({.name = "Ada"});
  CHECK(customers.count() == 1);
  CHECK(query_text(*conninfo,
                   "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" +
                       schema + "' AND table_name = 'Customer'") == "1");
  relata::postgres::datasource admin{*conninfo};
  admin.execute("DROP SCHEMA " + relata::sql::identifier(schema) + " CASCADE");
}

namespace hand_made {
struct Ledger {
  RELATA_MODEL(Ledger,
               (relata::id<std::int64_t, relata::id_generation::supplied>, id),
               (std::string, title),
               (std::vector<std::string>, tags),
               (std::optional<relata::timestamp>, at),
               (std::optional<double>, price));
};
}  // namespace hand_made

TEST_CASE("postgres: migrate accepts a table made by hand whose types hold the properties",
          "[postgres][migrate]") {
  world w;
  w.db.execute(
      "CREATE TABLE \"Ledger\" (\"id\" integer PRIMARY KEY, \"title\" varchar(40) NOT NULL, "
      "\"tags\" text[] NOT NULL, \"at\" timestamp, \"price\" numeric(10, 2))");
  CHECK_NOTHROW(relata::migrate<hand_made::Ledger>(w.db));
  w.db.execute("ALTER TABLE \"Ledger\" ALTER COLUMN \"price\" TYPE text");
  CHECK_THROWS_WITH(relata::migrate<hand_made::Ledger>(w.db),
                    Catch::Contains("table Ledger, column price: expected DOUBLE PRECISION, "
                                    "found text"));
}
