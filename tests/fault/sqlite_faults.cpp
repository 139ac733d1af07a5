// I/O faults in every multi-statement write on SQLite, as SQLite tests itself: each write, sync
// and truncate an operation makes fails in turn (SQLITE_IOERR_*, SQLITE_FULL, and every call
// from that one on), through tests/support/faulty_vfs. Each time the operation either completes
// or throws a relata error; the database is exactly as before or exactly as after it, passes
// PRAGMA integrity_check, and the datasource works on: no transaction left open, no lock held,
// later writes durable once the file is reopened. The refused COMMITs (a deferred foreign key,
// SQLITE_BUSY) are among the operations, and so are the cascades of delete rules, the writes of
// hasAndBelongsToMany and of a polymorphic hasOne.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "support/faulty_vfs.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using fixtures::CartItem;
using fixtures::Customer;
using fixtures::Order;
namespace faulty_vfs = relata_test::faulty_vfs;

namespace {

/// Written after each operation, to see that the datasource still works and its writes last.
struct Marker {
  RELATA_MODEL(Marker, (relata::id<std::int64_t>, id), (std::string, note));
};

/// Models only the migrate operation creates.
struct Tag;
struct Label {
  RELATA_MODEL(Label,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (relata::has_many<Tag>, tags));
};
struct Tag {
  RELATA_MODEL(Tag,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::int64_t, label_id),
               (relata::belongs_to<Label>, label));
};

/// Models with delete rules (relata::on_delete): a project's issues and their comments cascade,
/// its sticker links cascade (the stickers stay), its notes are set null; replies restrict.
struct Issue;
struct Comment;
struct Sticker;
struct Note;
struct Project {
  RELATA_MODEL(
      Project,
      (relata::id<std::int64_t>, id),
      (std::string, name),
      (relata::has_many<Issue, relata::on_delete<relata::delete_rule::cascade>>, issues),
      (relata::has_and_belongs_to_many<Sticker, relata::on_delete<relata::delete_rule::cascade>>,
       stickers),
      (relata::has_many<Note, relata::on_delete<relata::delete_rule::set_null>>, notes));
};
struct Issue {
  RELATA_MODEL(Issue,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::int64_t, project_id),
               (relata::belongs_to<Project>, project),
               (relata::has_many<Comment, relata::on_delete<relata::delete_rule::cascade>>,
                comments));
};
struct Comment {
  RELATA_MODEL(Comment,
               (relata::id<std::int64_t>, id),
               (std::string, body),
               (std::int64_t, issue_id),
               (std::optional<std::int64_t>, reply_to),
               (relata::has_many<Comment, relata::key_to<"reply_to">>, replies));  // restrict
};
struct Sticker {
  RELATA_MODEL(Sticker, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Note {
  RELATA_MODEL(Note,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::optional<std::int64_t>, project_id));
};

/// A polymorphic hasOne: a shop's logo is an Svg or a Png, named on the shop; deleting the shop
/// deletes it.
struct Svg {
  RELATA_MODEL(Svg, (relata::id<std::int64_t>, id), (std::int64_t, shop_id), (std::string, data));
};
struct Png {
  RELATA_MODEL(Png, (relata::id<std::int64_t>, id), (std::int64_t, shop_id), (std::string, data));
};
struct Shop {
  RELATA_MODEL(
      Shop,
      (relata::id<std::int64_t>, id),
      (std::optional<std::string>, logo_type),
      (relata::has_one<relata::one_of<Svg, Png>, relata::on_delete<relata::delete_rule::cascade>>,
       logo));
};

/// A database file and what an operation needs of it.
struct database {
  relata::sqlite::datasource& db;
  std::string path;
  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};
  relata::repository<Project> projects{db};
  relata::repository<Issue> issues{db};
  relata::repository<Shop> shops{db};
};

/// The journal modes an operation runs in: each has its own I/O.
enum class journals { both, wal_only, rollback_only };

struct operation {
  std::string name;
  std::function<void(database&)> prepare;  ///< the state before, built without faults
  std::function<void(database&)> run;
  bool refused = false;  ///< refused even without a fault: the state after is the state before
  journals in = journals::both;
};

relata::sqlite::options options_for(bool wal) { return {.busy_timeout = 0ms, .wal = wal}; }

/// The rows of the first column of `sql` on `db`, as text.
std::vector<std::string> column(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st, 0);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
  }
  sqlite3_finalize(st);
  return out;
}

/// The schema and every row of every table but Marker, as text: what "the same database" means.
std::string snapshot(sqlite3* db) {
  std::string out;
  for (const auto& entry : column(db,
                                  "SELECT name || ': ' || coalesce(sql, '') FROM sqlite_master "
                                  "WHERE name NOT LIKE 'sqlite_%' ORDER BY name")) {
    out += entry + '\n';
  }
  for (const auto& table : column(db,
                                  "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                  "NOT LIKE 'sqlite_%' AND name <> 'Marker' ORDER BY name")) {
    // every column, typed, as one text per row
    const auto columns = column(db, "SELECT name FROM pragma_table_info('" + table + "')");
    std::string row = "quote(typeof(\"" + columns.at(0) + "\"))";
    for (const auto& c : columns) row += " || ',' || quote(\"" + c + "\")";
    out += table + ":\n";
    for (const auto& r : column(db, "SELECT " + row + " FROM \"" + table + "\" ORDER BY rowid")) {
      out += "  " + r + '\n';
    }
  }
  return out;
}

std::string integrity(sqlite3* db) { return column(db, "PRAGMA integrity_check").at(0); }

// --- the operations ---------------------------------------------------------------------------

void some_customers(database& d) {
  auto ada = d.customers.create({.name = "Ada", .age = 36});
  d.customers.create({.name = "Bob", .age = 41});
  d.customers.orders(ada.id).create({.description = "pens", .total = 3.5});
  auto cart = d.customers.cart_items(ada.id);
  cart.create({.description = "ink", .price = 2}, {.description = "first"});
  cart.create({.description = "paper", .price = 5}, {.description = "second"});
}

/// Text long enough that a few rows fill a page.
const std::string long_text(300, 'x');

/// `n` new customers with long names.
std::vector<Customer> many_customers(int n) {
  std::vector<Customer> many;
  for (int i = 0; i < n; ++i) many.push_back({.name = long_text, .age = i});
  return many;
}

/// Two projects, each with issues, comments, a note and sticker links; rows long enough that a
/// cascade writes several pages.
void some_projects(database& d) {
  some_customers(d);
  relata::repository<Sticker> stickers{d.db};
  const auto shared = stickers.create({.name = "shared"});
  for (const char* name : {"apollo", "gemini"}) {
    const auto p = d.projects.create({.name = name});
    for (int i = 0; i < 6; ++i) {
      const auto issue = d.projects.issues(p.id).create({.title = long_text});
      d.issues.comments(issue.id).create({.body = long_text});
      d.issues.comments(issue.id).create({.body = long_text});
    }
    d.projects.notes(p.id).create({.text = name});
    d.projects.stickers(p.id).link(shared.id);
    d.projects.stickers(p.id).create({.name = std::string(name) + " only"});
  }
}

/// Two shops, the second with a logo.
void some_shops(database& d) {
  some_customers(d);
  d.shops.create({});
  const auto second = d.shops.create({});
  d.shops.logo(second.id).create(Png{.data = long_text});
}

/// A transaction with a savepoint in it, committed or rolled back, and writes around it.
void nested(database& d, bool commit_inner) {
  relata::transaction outer{d.db};
  d.customers.create({.name = long_text});
  {
    relata::transaction inner{d.db};
    d.customers.orders(1).create({.description = long_text, .total = 1});
    if (commit_inner) inner.commit();
  }
  d.customers.update_all({{&Customer::age, 7}});
  outer.commit();
}

std::vector<operation> operations() {
  return {
      {"create_all",
       some_customers,
       [](database& d) { d.customers.create_all(many_customers(40)); }},
      {"hasMany create_all",
       some_customers,
       [](database& d) {
         std::vector<Order> many;
         for (int i = 0; i < 20; ++i) many.push_back({.description = long_text, .total = 1.0 * i});
         d.customers.orders(1).create_all(many);
       }},
      {"hasManyThrough create",
       some_customers,
       [](database& d) {
         d.customers.cart_items(2).create({.description = "stamp", .price = 1},
                                          {.description = "link"});
       }},
      {"hasManyThrough delete_all",
       some_customers,
       [](database& d) { d.customers.cart_items(1).delete_all(); }},
      {"nested transactions, all committed", some_customers, [](database& d) { nested(d, true); }},
      {"nested transactions, the inner one rolled back",
       some_customers,
       [](database& d) { nested(d, false); }},
      {"update_all",
       [](database& d) {
         some_customers(d);
         d.customers.create_all(many_customers(40));
       },
       [](database& d) {
         d.customers.update_all({{&Customer::name, "same"}});
       }},
      {"hasAndBelongsToMany create (the target and its link)",
       some_projects,
       [](database& d) { d.projects.stickers(2).create({.name = long_text}); }},
      {"hasAndBelongsToMany delete_all (the links, then the targets)",
       some_projects,
       [](database& d) {
         d.projects.stickers(1).delete_all(relata::col(&Sticker::name) == "apollo only");
       }},
      {"delete_by_id cascading (hasMany two levels deep, habtm links, set null)",
       some_projects,
       [](database& d) { d.projects.delete_by_id(1); }},
      {"delete_all cascading", some_projects, [](database& d) { d.projects.delete_all(); }},
      {"a cascade refused by a restrict deep in it",
       [](database& d) {
         some_projects(d);
         // a comment of apollo's is replied to from gemini's: deleting apollo is refused
         const auto target = d.issues.comments(1).find().at(0);
         const auto gemini_issue = d.projects.issues(2).find().at(0);
         d.issues.comments(gemini_issue.id).create({.body = "re", .reply_to = target.id});
       },
       [](database& d) { d.projects.delete_by_id(1); },
       true},
      {"polymorphic hasOne create (the target, and its model named on the source)",
       some_shops,
       [](database& d) { d.shops.logo(1).create(Svg{.data = long_text}); }},
      {"delete_by_id cascading to a polymorphic hasOne target",
       some_shops,
       [](database& d) { d.shops.delete_by_id(2); }},
      {"migrate", some_customers, [](database& d) { relata::migrate<Label, Tag>(d.db); }},
      {"a COMMIT refused for a deferred foreign key",
       some_customers,
       [](database& d) {
         d.db.execute("PRAGMA cache_size = 10");  // pages spill to the file before COMMIT
         d.db.execute("PRAGMA defer_foreign_keys = ON");
         std::vector<Order> dangling;
         for (int i = 0; i < 60; ++i) {
           dangling.push_back({.description = long_text, .total = 1, .customer_id = 999});
         }
         d.orders.create_all(dangling);
       },
       true},
      {"a COMMIT refused with SQLITE_BUSY",
       some_customers,
       [](database& d) {
         relata::sqlite::datasource reader{d.path, options_for(false)};
         reader.execute("BEGIN; SELECT count(*) FROM \"Customer\"");  // a reader stays
         d.customers.create_all(many_customers(40));
       },
       true,
       journals::rollback_only},
  };
}

// --- one run ----------------------------------------------------------------------------------

/// How one run ended.
struct outcome {
  bool completed = false;
  std::size_t calls = 0;  ///< writes, syncs and truncates the operation made
  std::string state;      ///< the snapshot the datasource sees afterwards
};

/// The file `op` starts from, built once.
std::string prepare(const operation& op, bool wal, const relata_test::temp_dir& dir) {
  const std::string path = dir.file("before.db");
  relata::sqlite::datasource db{path, options_for(wal)};
  fixtures::migrate_all(db);
  relata::migrate<Marker, Project, Issue, Comment, Sticker, Note, Shop, Svg, Png>(db);
  database d{db, path};
  op.prepare(d);
  return path;
}

/// Runs `op` on a fresh copy of `before` at `path`, with the VFS as armed by `arm`; checks the
/// datasource afterwards (depth, integrity, a write, no lock left) and that the state it sees
/// outlives it.
outcome run_once(const operation& op,
                 bool wal,
                 const std::string& before,
                 const std::string& path,
                 const std::function<void()>& arm) {
  std::filesystem::copy_file(before, path, std::filesystem::copy_options::overwrite_existing);
  outcome result;
  {
    relata::sqlite::datasource db{faulty_vfs::uri(path), options_for(wal)};
    database d{db, path};
    arm();
    try {
      op.run(d);
      result.completed = true;
    } catch (const relata::error&) {  // NOLINT(bugprone-empty-catch): an expected outcome
    } catch (const std::exception& e) {
      faulty_vfs::disarm();
      FAIL("a foreign exception escaped: " << e.what());
    }
    result.calls = faulty_vfs::calls();
    faulty_vfs::disarm();
    CHECK(db.transaction_depth() == 0);
    CHECK(sqlite3_get_autocommit(db.native_handle()) == 1);
    CHECK(integrity(db.native_handle()) == "ok");
    result.state = snapshot(db.native_handle());
    {
      relata::transaction tx{db};
      relata::repository<Marker>{db}.create({.note = "after"});
      tx.commit();
    }
    relata::sqlite::datasource other{path, options_for(wal)};  // waits for no lock
    relata::repository<Marker>{other}.create({.note = "elsewhere"});
  }
  relata::sqlite::datasource reopened{path, options_for(wal)};
  CHECK(integrity(reopened.native_handle()) == "ok");
  CHECK(snapshot(reopened.native_handle()) == result.state);
  std::vector<std::string> notes;
  for (const auto& m : relata::repository<Marker>{reopened}.find()) notes.push_back(m.note);
  CHECK(notes == std::vector<std::string>{"after", "elsewhere"});
  return result;
}

const char* describe(faulty_vfs::fault how) {
  switch (how) {
    case faulty_vfs::fault::io_error:
      return "SQLITE_IOERR";
    case faulty_vfs::fault::disk_full:
      return "SQLITE_FULL";
    case faulty_vfs::fault::from_then_on:
      return "fail from then on";
  }
  return "?";
}

}  // namespace

/// The journal modes `op` runs in (true: WAL).
std::vector<bool> journal_modes(const operation& op) {
  switch (op.in) {
    case journals::wal_only:
      return {true};
    case journals::rollback_only:
      return {false};
    case journals::both:
      break;
  }
  return {true, false};
}

TEST_CASE("sqlite faults: every write, sync and truncate of every multi-statement write fails",
          "[sqlite][fault]") {
  std::size_t operations_run = 0, fault_points = 0, runs = 0;
  for (const auto& op : operations()) {
    for (const bool wal : journal_modes(op)) {
      const std::string name = op.name + (wal ? " (WAL)" : " (rollback journal)");
      relata_test::temp_dir dir;
      const std::string before_path = prepare(op, wal, dir);
      const std::string path = dir.file("run.db");
      std::string before, after;
      {
        relata::sqlite::datasource db{before_path, options_for(wal)};
        before = snapshot(db.native_handle());
      }
      // Without a fault: what the operation writes, and how many I/O calls it makes.
      std::size_t calls = 0;
      {
        INFO(name << ", without a fault");
        const auto clean = run_once(op, wal, before_path, path, [] { faulty_vfs::count_only(); });
        calls = clean.calls;
        CHECK(clean.completed != op.refused);
        after = clean.state;
        if (op.refused) CHECK(after == before);
        if (!op.refused) CHECK(after != before);
      }
      ++operations_run;
      fault_points += calls;
      for (auto how : {faulty_vfs::fault::io_error,
                       faulty_vfs::fault::disk_full,
                       faulty_vfs::fault::from_then_on}) {
        for (std::size_t n = 1; n <= calls; ++n) {
          INFO(name << ": I/O call " << n << " of " << calls << " fails (" << describe(how) << ")");
          outcome run;
          try {
            run = run_once(op, wal, before_path, path, [&] { faulty_vfs::arm(n, how); });
          } catch (const std::exception& e) {  // the datasource did not work on: say so, go on
            FAIL_CHECK("after the fault: " << e.what());
            continue;
          }
          ++runs;
          CHECK((run.state == before || run.state == after));
          if (run.completed) CHECK(run.state == after);
        }
      }
    }
  }
  std::cout << "sqlite faults: " << operations_run << " operations in a journal mode, "
            << fault_points << " fault points, " << runs << " faulty runs\n";
  CHECK(fault_points > 0);
}
