// examples/chinook on SQLite: the Chinook SQLite script (PascalCase: [Album].[AlbumId]) loaded
// as it is, read through the models with the datasource's naming policy, and every answer
// compared with plain SQL through sqlite3 on the same connection (see support/chinook_suite.hpp).
// Reports "skipped" without the Chinook scripts (RELATA_CHINOOK_DIR).
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <string>

#include <relata/sqlite.hpp>

#include "chinook_queries.hpp"
#include "support/chinook.hpp"

namespace {

class sqlite_chinook final : public relata_test::chinook_db {
 public:
  /// An in-memory database, with the Chinook script loaded when `load`.
  explicit sqlite_chinook(bool load) : db_(":memory:", {.names = chinook::sqlite_names}) {
    default_limit_ = sqlite3_limit(db_.native_handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    if (load) {
      relata::transaction tx{db_};
      db_.execute(chinook::read_file(*relata_test::chinook_script("Chinook_Sqlite.sql")));
      tx.commit();
    }
  }

  relata::datasource& db() override { return db_; }

  relata_test::rows query(const std::string& sql) override {
    sqlite3* handle = db_.native_handle();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string(sqlite3_errmsg(handle)) + " in: " + sql);
    }
    relata_test::rows out;
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      auto& row = out.emplace_back();
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          row.emplace_back();
        } else {
          row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
        }
      }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
      throw std::runtime_error(std::string(sqlite3_errmsg(handle)) + " in: " + sql);
    return out;
  }

  // The SQLite script's own names: [Album], [AlbumId].
  std::string identifier(std::string_view pascal) const override {
    return "\"" + std::string(pascal) + "\"";
  }

  void limit_keys(std::size_t keys) override {
    sqlite3_limit(db_.native_handle(),
                  SQLITE_LIMIT_VARIABLE_NUMBER,
                  keys == 0 ? default_limit_ : static_cast<int>(keys));
  }

  std::unique_ptr<chinook_db> empty() override { return std::make_unique<sqlite_chinook>(false); }

  std::string catalog(std::string_view pascal) const override {
    return "SELECT name, \"notnull\", pk FROM pragma_table_info('" + std::string(pascal) +
           "') ORDER BY cid";
  }

  // An IN list binds one parameter per key, next to the query's other parameters.
  std::size_t chunk(std::size_t other) const override {
    return static_cast<std::size_t>(
               sqlite3_limit(db_.native_handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1)) -
           other;
  }

 private:
  relata::sqlite::datasource db_;
  int default_limit_ = 0;
};

}  // namespace

relata_test::chinook_db& relata_test::chinook_database() {
  static sqlite_chinook database{true};
  return database;
}

#include "support/chinook_suite.hpp"
