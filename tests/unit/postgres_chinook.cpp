// examples/chinook on PostgreSQL: the Chinook PostgreSQL script (snake_case: album.album_id)
// loaded into a fresh schema of the test server, read through the same models with the
// datasource's naming policy, and every answer compared with plain SQL through libpq on the
// same database (see support/chinook_suite.hpp). Reports "skipped" without the Chinook scripts
// (RELATA_CHINOOK_DIR) or without the test server.
#include <catch2/catch.hpp>

#include <libpq-fe.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>
#include <string>

#include <relata/postgres.hpp>

#include "chinook_queries.hpp"
#include "support/chinook.hpp"
#include "support/postgres.hpp"

namespace {

class postgres_chinook final : public relata_test::chinook_db {
 public:
  /// A fresh schema of the test server, with the Chinook script loaded when `load`. The
  /// loaded one is reached through the connection string's search_path, the empty one
  /// through relata's `schema` option.
  explicit postgres_chinook(bool load)
      : place_(load ? place{relata_test::fresh_postgres_schema(), ""} : schema_place()),
        db_(place_.conninfo, {.names = chinook::postgres_names, .schema = place_.schema}) {
    if (load) {
      db_.execute(chinook::postgres_script(
          chinook::read_file(*relata_test::chinook_script("Chinook_PostgreSql.sql"))));
    }
    conn_ = PQconnectdb(place_.conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      throw std::runtime_error(std::string("libpq: ") + PQerrorMessage(conn_));
    }
    if (!place_.schema.empty()) {
      PQclear(PQexec(conn_, ("SET search_path TO \"" + place_.schema + "\"").c_str()));
    }
    // times as "YYYY-MM-DD HH:MM:SS", whatever the server's default
    PQclear(PQexec(conn_, "SET DateStyle = 'ISO, YMD'"));
  }
  ~postgres_chinook() override { PQfinish(conn_); }
  postgres_chinook(const postgres_chinook&) = delete;
  postgres_chinook& operator=(const postgres_chinook&) = delete;

  relata::datasource& db() override { return db_; }

  relata_test::rows query(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      const std::string message = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("libpq: " + message + " in: " + sql);
    }
    relata_test::rows out;
    for (int row = 0; row < PQntuples(r); ++row) {
      auto& cells = out.emplace_back();
      for (int c = 0; c < PQnfields(r); ++c) {
        if (PQgetisnull(r, row, c)) {
          cells.emplace_back();
        } else {
          cells.emplace_back(PQgetvalue(r, row, c));
        }
      }
    }
    PQclear(r);
    return out;
  }

  // The PostgreSQL script's names: album, album_id.
  std::string identifier(std::string_view pascal) const override {
    return "\"" + relata_test::snake(pascal) + "\"";
  }

  void limit_keys(std::size_t keys) override {
    db_.set_max_list_size(keys == 0 ? relata::postgres::options{}.max_list_size : keys);
  }

  std::unique_ptr<chinook_db> empty() override { return std::make_unique<postgres_chinook>(false); }

  std::string catalog(std::string_view pascal) const override {
    return "SELECT c.column_name, CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END, "
           "COALESCE(k.ordinal_position, 0) FROM information_schema.columns AS c "
           "LEFT JOIN information_schema.table_constraints AS t ON t.table_schema = "
           "c.table_schema AND t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY' "
           "LEFT JOIN information_schema.key_column_usage AS k ON k.constraint_schema = "
           "t.constraint_schema AND k.constraint_name = t.constraint_name AND k.column_name = "
           "c.column_name WHERE c.table_schema = current_schema() AND c.table_name = '" +
           relata_test::snake(pascal) + "' ORDER BY c.ordinal_position";
  }

  // An IN list is one array parameter: only its length counts.
  std::size_t chunk(std::size_t /*other*/) const override { return db_.caps().max_list_size; }

 private:
  struct place {
    std::string conninfo;
    std::string schema;  ///< for relata::postgres::options::schema
  };
  /// A new schema, and the server's plain connection string.
  static place schema_place() {
    static int count = 0;
    const std::string conninfo = *relata_test::postgres_conninfo();
    const std::string schema =
        "chinook_" + std::to_string(::getpid()) + "_" + std::to_string(++count);
    relata::postgres::datasource admin{conninfo, {.pool_size = 1}};
    admin.execute("CREATE SCHEMA " + schema);
    return {conninfo, schema};
  }

  place place_;
  relata::postgres::datasource db_;
  PGconn* conn_ = nullptr;
};

}  // namespace

relata_test::chinook_db& relata_test::chinook_database() {
  static postgres_chinook database{true};
  return database;
}

#include "support/chinook_suite.hpp"
