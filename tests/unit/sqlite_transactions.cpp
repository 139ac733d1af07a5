// SQLite transactions when SQLite refuses to end one: a COMMIT refused with the transaction
// kept open (a deferred foreign key, SQLITE_BUSY), I/O errors at COMMIT and inside savepoints.
// Each time the level ends anyway, rolled back, the depth is right, no lock is left behind,
// and later writes are durable (checked after reopening the file).
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "support/faulty_vfs.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using fixtures::Customer;
using fixtures::Order;
namespace faulty_vfs = relata_test::faulty_vfs;

namespace {

std::vector<std::string> names_in(const std::string& path) {
  relata::sqlite::datasource db{path};
  std::vector<std::string> out;
  for (const auto& c : relata::repository<Customer>{db}.find()) out.push_back(c.name);
  return out;
}

bool in_transaction(relata::sqlite::datasource& db) {
  return sqlite3_get_autocommit(db.native_handle()) == 0;
}

/// Writes through another connection that does not wait: fails if a lock was left behind.
void write_elsewhere(const std::string& path, const std::string& name) {
  relata::sqlite::datasource other{path, {.busy_timeout = 0ms}};
  relata::repository<Customer>{other}.create({.name = name});
}

/// The statements a datasource runs, while alive.
struct statement_log {
  explicit statement_log(relata::datasource& db) : db_(db) {
    db_.observe([this](const relata::query_event& e) { texts.emplace_back(e.text); });
  }
  ~statement_log() { db_.observe({}); }
  statement_log(const statement_log&) = delete;
  statement_log& operator=(const statement_log&) = delete;
  std::vector<std::string> texts;

 private:
  relata::datasource& db_;
};

/// Faults stop at the end of a scope, even when a check fails in it.
struct disarm_at_exit {
  ~disarm_at_exit() { faulty_vfs::disarm(); }
};

}  // namespace

TEST_CASE("sqlite transactions: a COMMIT refused for a deferred foreign key rolls back",
          "[sqlite][transaction]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("shop.db");
  {
    relata::sqlite::datasource db{path};
    fixtures::migrate_all(db);
    relata::repository<Customer> customers{db};
    relata::repository<Order> orders{db};
    db.execute("PRAGMA defer_foreign_keys = ON");  // foreign keys checked at COMMIT
    try {
      orders.create_all(
          {{.description = "a", .customer_id = 998}, {.description = "b", .customer_id = 999}});
      FAIL("expected the COMMIT to be refused");
    } catch (const relata::constraint_violation& e) {
      CHECK(e.native_code() == "SQLITE_CONSTRAINT_FOREIGNKEY");
    }
    CHECK(db.transaction_depth() == 0);
    CHECK_FALSE(in_transaction(db));
    CHECK(orders.count() == 0);

    customers.create({.name = "later"});
    {
      relata::transaction tx{db};
      customers.create({.name = "committed"});
      tx.commit();
    }
    write_elsewhere(path, "elsewhere");
  }
  CHECK(names_in(path) == std::vector<std::string>{"later", "committed", "elsewhere"});
}

TEST_CASE("sqlite transactions: a COMMIT refused with SQLITE_BUSY rolls back and says so",
          "[sqlite][transaction]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("shop.db");
  {
    // A rollback journal: COMMIT needs every reader gone, and this one stays.
    relata::sqlite::datasource db{path, {.busy_timeout = 0ms, .wal = false}};
    fixtures::migrate_all(db);
    relata::repository<Customer> customers{db};
    relata::sqlite::datasource reader{path, {.busy_timeout = 0ms, .wal = false}};
    reader.execute("BEGIN; SELECT count(*) FROM \"Customer\"");
    try {
      customers.create_all({{.name = "a"}, {.name = "b"}});
      FAIL("expected the COMMIT to be refused");
    } catch (const relata::connector_error& e) {
      CHECK(e.native_code() == "SQLITE_BUSY");
    }
    CHECK(db.transaction_depth() == 0);
    CHECK_FALSE(in_transaction(db));
    reader.execute("COMMIT");
    CHECK(customers.count() == 0);
    customers.create({.name = "later"});
  }
  CHECK(names_in(path) == std::vector<std::string>{"later"});
}

TEST_CASE("sqlite transactions: after an I/O error at COMMIT the next transaction begins anew",
          "[sqlite][transaction][fault]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("shop.db");
  {
    disarm_at_exit disarm;
    relata::sqlite::datasource db{faulty_vfs::uri(path)};
    fixtures::migrate_all(db);
    relata::repository<Customer> customers{db};
    faulty_vfs::arm(1, faulty_vfs::fault::io_error);  // the first write of the COMMIT
    try {
      customers.create_all({{.name = "a"}, {.name = "b"}});
      FAIL("expected the COMMIT to fail");
    } catch (const relata::connector_error& e) {
      CHECK(e.native_code() == "SQLITE_IOERR_WRITE");
    }
    faulty_vfs::disarm();
    CHECK(db.transaction_depth() == 0);
    CHECK_FALSE(in_transaction(db));

    statement_log log{db};
    {
      relata::transaction tx{db};
      customers.create({.name = "later"});
      tx.commit();
    }
    REQUIRE_FALSE(log.texts.empty());
    CHECK(log.texts.front() == "BEGIN IMMEDIATE");
    CHECK(log.texts.back() == "COMMIT");
    write_elsewhere(path, "elsewhere");
  }
  CHECK(names_in(path) == std::vector<std::string>{"later", "elsewhere"});
}

TEST_CASE("sqlite transactions: an I/O error inside a savepoint unwinds every level",
          "[sqlite][transaction][fault]") {
  relata_test::temp_dir dir;
  const std::string path = dir.file("shop.db");
  {
    disarm_at_exit disarm;
    relata::sqlite::datasource db{faulty_vfs::uri(path)};
    fixtures::migrate_all(db);
    db.execute("PRAGMA cache_size = 10");  // a large row spills pages to the file at once
    relata::repository<Customer> customers{db};
    {
      relata::transaction outer{db};
      customers.create({.name = "outer"});
      {
        relata::transaction inner{db};
        faulty_vfs::arm(1, faulty_vfs::fault::from_then_on);
        CHECK_THROWS_AS(customers.create({.name = std::string(400000, 'x')}),
                        relata::connector_error);
        faulty_vfs::disarm();
        CHECK(faulty_vfs::fired());
      }
      CHECK(db.transaction_depth() == 1);
      // Either SQLite kept the outer transaction, or it rolled it back and says so.
      if (in_transaction(db)) {
        CHECK(customers.count() == 1);
      } else {
        CHECK_THROWS_AS(customers.count(), relata::transaction_error);
      }
    }
    CHECK(db.transaction_depth() == 0);
    CHECK_FALSE(in_transaction(db));
    {
      relata::transaction tx{db};
      customers.create({.name = "later"});
      tx.commit();
    }
    write_elsewhere(path, "elsewhere");
  }
  CHECK(names_in(path) == std::vector<std::string>{"later", "elsewhere"});
}
