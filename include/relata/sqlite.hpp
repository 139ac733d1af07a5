// relata/sqlite.hpp: the SQLite connector (libsqlite3), the embedded default.
//
//     relata::sqlite::datasource db{"shop.db"};   // or ":memory:", or a file: URI
//
// A SQL connector over the shared base (sql/database.hpp): this file is SQLite's connection
// (prepared statements cached per SQL text; values bound, never interpolated) and its dialect.
// Files open in WAL mode with a busy timeout and foreign keys on. One datasource is one
// connection: use it from one thread at a time (open one per thread).
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/time.hpp>
#include <relata/errors.hpp>
#include <relata/schema.hpp>
#include <relata/sql/connection.hpp>
#include <relata/sql/database.hpp>
#include <relata/sql/sqlite_dialect.hpp>
#include <relata/value.hpp>

namespace relata::sqlite {

/// How a SQLite datasource opens its database.
struct options {
  /// How long a statement waits for another connection's lock before SQLITE_BUSY.
  std::chrono::milliseconds busy_timeout{5000};
  /// Write-ahead logging (readers do not block the writer). Ignored for in-memory databases.
  bool wal = true;
  /// `PRAGMA synchronous`: FULL by default (durable at every commit); NORMAL is faster in WAL
  /// mode and still never corrupts, but may lose the last commits on power loss.
  std::string synchronous = "FULL";
  /// Prepared statements kept; the cache is emptied when it grows past this.
  std::size_t statement_cache_size = 256;
  /// Open read-only.
  bool read_only = false;
  /// How this database names tables and columns (an existing schema's convention).
  naming_policy names{};
};

namespace detail {
class connection;
}

/// A SQLite database: the embedded default connector.
class datasource final : public sql::database {
 public:
  /// Opens (creating if needed) the database at `path`: a file name, ":memory:", or a
  /// "file:" URI.
  explicit datasource(const std::string& path, options opts = {});
  ~datasource() override;

  /// The underlying connection, for what relata does not do.
  sqlite3* native_handle() const noexcept;

  std::string_view name() const noexcept override { return "sqlite"; }
  capabilities caps() const override;

 protected:
  // One connection serves every call, in and out of transactions.
  sql::connection* pinned() const override;
  sql::connection& take() override;
  void give_back(sql::connection&) override {}
  sql::connection& pin() override;
  void unpin() override {}

 private:
  std::unique_ptr<detail::connection> connection_;
};

namespace detail {
/// The name of a SQLite result code ("SQLITE_IOERR_FSYNC"), as errors' native_code() give it.
std::string code_name(int code);
}  // namespace detail

#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_SQLITE)
}  // namespace relata::sqlite
#include <nlohmann/json.hpp>

#include <relata/detail/excerpt.hpp>
#include <relata/detail/json_excerpt.hpp>
#include <relata/detail/json_value.hpp>

namespace relata::sqlite {

namespace detail {

/// The name of a SQLite result code, primary or extended (the error's native_code): every
/// code of the sqlite3.h compiled against, written out (sqlite3_errstr gives a description).
RELATA_ENGINE_INLINE std::string code_name(int code) {
  switch (code) {
#define RELATA_SQLITE_CODE(name) \
  case name:                     \
    return #name;
    RELATA_SQLITE_CODE(SQLITE_OK)
    RELATA_SQLITE_CODE(SQLITE_ERROR)
    RELATA_SQLITE_CODE(SQLITE_INTERNAL)
    RELATA_SQLITE_CODE(SQLITE_PERM)
    RELATA_SQLITE_CODE(SQLITE_ABORT)
    RELATA_SQLITE_CODE(SQLITE_BUSY)
    RELATA_SQLITE_CODE(SQLITE_LOCKED)
    RELATA_SQLITE_CODE(SQLITE_NOMEM)
    RELATA_SQLITE_CODE(SQLITE_READONLY)
    RELATA_SQLITE_CODE(SQLITE_INTERRUPT)
    RELATA_SQLITE_CODE(SQLITE_IOERR)
    RELATA_SQLITE_CODE(SQLITE_CORRUPT)
    RELATA_SQLITE_CODE(SQLITE_NOTFOUND)
    RELATA_SQLITE_CODE(SQLITE_FULL)
    RELATA_SQLITE_CODE(SQLITE_CANTOPEN)
    RELATA_SQLITE_CODE(SQLITE_PROTOCOL)
    RELATA_SQLITE_CODE(SQLITE_EMPTY)
    RELATA_SQLITE_CODE(SQLITE_SCHEMA)
    RELATA_SQLITE_CODE(SQLITE_TOOBIG)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT)
    RELATA_SQLITE_CODE(SQLITE_MISMATCH)
    RELATA_SQLITE_CODE(SQLITE_MISUSE)
    RELATA_SQLITE_CODE(SQLITE_NOLFS)
    RELATA_SQLITE_CODE(SQLITE_AUTH)
    RELATA_SQLITE_CODE(SQLITE_FORMAT)
    RELATA_SQLITE_CODE(SQLITE_RANGE)
    RELATA_SQLITE_CODE(SQLITE_NOTADB)
    RELATA_SQLITE_CODE(SQLITE_NOTICE)
    RELATA_SQLITE_CODE(SQLITE_WARNING)
    RELATA_SQLITE_CODE(SQLITE_ROW)
    RELATA_SQLITE_CODE(SQLITE_DONE)
    RELATA_SQLITE_CODE(SQLITE_ERROR_MISSING_COLLSEQ)
    RELATA_SQLITE_CODE(SQLITE_ERROR_RETRY)
    RELATA_SQLITE_CODE(SQLITE_ERROR_SNAPSHOT)
    RELATA_SQLITE_CODE(SQLITE_IOERR_READ)
    RELATA_SQLITE_CODE(SQLITE_IOERR_SHORT_READ)
    RELATA_SQLITE_CODE(SQLITE_IOERR_WRITE)
    RELATA_SQLITE_CODE(SQLITE_IOERR_FSYNC)
    RELATA_SQLITE_CODE(SQLITE_IOERR_DIR_FSYNC)
    RELATA_SQLITE_CODE(SQLITE_IOERR_TRUNCATE)
    RELATA_SQLITE_CODE(SQLITE_IOERR_FSTAT)
    RELATA_SQLITE_CODE(SQLITE_IOERR_UNLOCK)
    RELATA_SQLITE_CODE(SQLITE_IOERR_RDLOCK)
    RELATA_SQLITE_CODE(SQLITE_IOERR_DELETE)
    RELATA_SQLITE_CODE(SQLITE_IOERR_BLOCKED)
    RELATA_SQLITE_CODE(SQLITE_IOERR_NOMEM)
    RELATA_SQLITE_CODE(SQLITE_IOERR_ACCESS)
    RELATA_SQLITE_CODE(SQLITE_IOERR_CHECKRESERVEDLOCK)
    RELATA_SQLITE_CODE(SQLITE_IOERR_LOCK)
    RELATA_SQLITE_CODE(SQLITE_IOERR_CLOSE)
    RELATA_SQLITE_CODE(SQLITE_IOERR_DIR_CLOSE)
    RELATA_SQLITE_CODE(SQLITE_IOERR_SHMOPEN)
    RELATA_SQLITE_CODE(SQLITE_IOERR_SHMSIZE)
    RELATA_SQLITE_CODE(SQLITE_IOERR_SHMLOCK)
    RELATA_SQLITE_CODE(SQLITE_IOERR_SHMMAP)
    RELATA_SQLITE_CODE(SQLITE_IOERR_SEEK)
    RELATA_SQLITE_CODE(SQLITE_IOERR_DELETE_NOENT)
    RELATA_SQLITE_CODE(SQLITE_IOERR_MMAP)
    RELATA_SQLITE_CODE(SQLITE_IOERR_GETTEMPPATH)
    RELATA_SQLITE_CODE(SQLITE_IOERR_CONVPATH)
    RELATA_SQLITE_CODE(SQLITE_IOERR_VNODE)
    RELATA_SQLITE_CODE(SQLITE_IOERR_AUTH)
    RELATA_SQLITE_CODE(SQLITE_IOERR_BEGIN_ATOMIC)
    RELATA_SQLITE_CODE(SQLITE_IOERR_COMMIT_ATOMIC)
    RELATA_SQLITE_CODE(SQLITE_IOERR_ROLLBACK_ATOMIC)
#ifdef SQLITE_IOERR_DATA
    RELATA_SQLITE_CODE(SQLITE_IOERR_DATA)
#endif
#ifdef SQLITE_IOERR_CORRUPTFS
    RELATA_SQLITE_CODE(SQLITE_IOERR_CORRUPTFS)
#endif
    RELATA_SQLITE_CODE(SQLITE_LOCKED_SHAREDCACHE)
    RELATA_SQLITE_CODE(SQLITE_LOCKED_VTAB)
    RELATA_SQLITE_CODE(SQLITE_BUSY_RECOVERY)
    RELATA_SQLITE_CODE(SQLITE_BUSY_SNAPSHOT)
#ifdef SQLITE_BUSY_TIMEOUT
    RELATA_SQLITE_CODE(SQLITE_BUSY_TIMEOUT)
#endif
    RELATA_SQLITE_CODE(SQLITE_CANTOPEN_NOTEMPDIR)
    RELATA_SQLITE_CODE(SQLITE_CANTOPEN_ISDIR)
    RELATA_SQLITE_CODE(SQLITE_CANTOPEN_FULLPATH)
    RELATA_SQLITE_CODE(SQLITE_CANTOPEN_CONVPATH)
    RELATA_SQLITE_CODE(SQLITE_CANTOPEN_DIRTYWAL)
#ifdef SQLITE_CANTOPEN_SYMLINK
    RELATA_SQLITE_CODE(SQLITE_CANTOPEN_SYMLINK)
#endif
    RELATA_SQLITE_CODE(SQLITE_CORRUPT_VTAB)
    RELATA_SQLITE_CODE(SQLITE_CORRUPT_SEQUENCE)
    RELATA_SQLITE_CODE(SQLITE_CORRUPT_INDEX)
    RELATA_SQLITE_CODE(SQLITE_READONLY_RECOVERY)
    RELATA_SQLITE_CODE(SQLITE_READONLY_CANTLOCK)
    RELATA_SQLITE_CODE(SQLITE_READONLY_ROLLBACK)
    RELATA_SQLITE_CODE(SQLITE_READONLY_DBMOVED)
    RELATA_SQLITE_CODE(SQLITE_READONLY_CANTINIT)
    RELATA_SQLITE_CODE(SQLITE_READONLY_DIRECTORY)
    RELATA_SQLITE_CODE(SQLITE_ABORT_ROLLBACK)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_CHECK)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_COMMITHOOK)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_FOREIGNKEY)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_FUNCTION)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_NOTNULL)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_PRIMARYKEY)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_TRIGGER)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_UNIQUE)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_VTAB)
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_ROWID)
#ifdef SQLITE_CONSTRAINT_PINNED
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_PINNED)
#endif
#ifdef SQLITE_CONSTRAINT_DATATYPE
    RELATA_SQLITE_CODE(SQLITE_CONSTRAINT_DATATYPE)
#endif
    RELATA_SQLITE_CODE(SQLITE_NOTICE_RECOVER_WAL)
    RELATA_SQLITE_CODE(SQLITE_NOTICE_RECOVER_ROLLBACK)
    RELATA_SQLITE_CODE(SQLITE_WARNING_AUTOINDEX)
    RELATA_SQLITE_CODE(SQLITE_AUTH_USER)
    RELATA_SQLITE_CODE(SQLITE_OK_LOAD_PERMANENTLY)
#ifdef SQLITE_OK_SYMLINK
    RELATA_SQLITE_CODE(SQLITE_OK_SYMLINK)
#endif
#ifdef SQLITE_IOERR_IN_PAGE  // SQLite 3.43 and later
    RELATA_SQLITE_CODE(SQLITE_IOERR_IN_PAGE)
#endif
#ifdef SQLITE_NOTICE_RBU  // SQLite 3.43 and later
    RELATA_SQLITE_CODE(SQLITE_NOTICE_RBU)
#endif
#undef RELATA_SQLITE_CODE
    default:
      break;
  }
  // A code from a newer library than the header: its primary code's name, and the number.
  const std::string primary = (code & 0xff) == code ? "SQLITE" : code_name(code & 0xff);
  return primary + " (result code " + std::to_string(code) + ")";
}

/// Binds values to the parameters of a statement, in order.
class binder final : public value_sink {
 public:
  explicit binder(sqlite3_stmt* statement) noexcept : statement_(statement) {}

  void put_null() override { check(sqlite3_bind_null(statement_, next())); }
  void put_integer(std::int64_t v) override { check(sqlite3_bind_int64(statement_, next(), v)); }
  void put_real(double v) override { check(sqlite3_bind_double(statement_, next(), v)); }
  void put_boolean(bool v) override { check(sqlite3_bind_int(statement_, next(), v ? 1 : 0)); }
  void put_text(std::string_view v) override {
    // Copied: the text may be a temporary (nlohmann::json's dump, a value_traits conversion)
    // that is gone before the statement steps.
    check(
        sqlite3_bind_text64(statement_, next(), v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void put_blob(std::span<const std::byte> v) override {
    check(sqlite3_bind_blob64(statement_,
                              next(),
                              v.empty() ? "" : static_cast<const void*>(v.data()),
                              v.size(),
                              SQLITE_TRANSIENT));
  }
  void put_timestamp(timestamp v) override {
    const std::string text = relata::detail::format_timestamp(v);
    check(sqlite3_bind_text64(
        statement_, next(), text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void put_json(std::string_view text) override { put_text(text); }
  void put_array(std::span<const value> elements, value_kind) override {
    // JSON text, through relata's one value <-> JSON mapping; timestamps in the form SQLite
    // stores them, so that json_each elements compare with timestamp columns.
    nlohmann::json array = nlohmann::json::array();
    for (const auto& e : elements) {
      array.push_back(relata::detail::value_to_json(e, relata::detail::json_time::stored));
    }
    std::string text;
    try {
      text = array.dump();
    } catch (const nlohmann::json::type_error&) {  // a text element that is not UTF-8
      throw invalid_data("an array element is not valid UTF-8 text");
    }
    check(sqlite3_bind_text64(
        statement_, next(), text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }

  int count() const noexcept { return index_; }

 private:
  int next() noexcept { return ++index_; }
  void check(int rc) const {
    if (rc != SQLITE_OK) {
      throw connector_error(std::string("cannot bind a parameter: ") + sqlite3_errstr(rc),
                            code_name(rc));
    }
  }
  sqlite3_stmt* statement_;
  int index_ = 0;
};

/// The current row of a statement.
class statement_row final : public row {
 public:
  // Getters refuse NULL: SQLite reads a NULL as 0, 0.0 or nothing, so the cell's type is only
  // asked when a read gives one of those.
  explicit statement_row(sqlite3_stmt* statement) noexcept : row(true), statement_(statement) {}

  bool is_null(std::size_t c) const override {
    return sqlite3_column_type(statement_, column(c)) == SQLITE_NULL;
  }
  std::int64_t get_integer(std::size_t c) const override {
    const auto v = sqlite3_column_int64(statement_, column(c));
    if (v == 0 && is_null(c)) throw_null();
    return v;
  }
  double get_real(std::size_t c) const override {
    const double v = sqlite3_column_double(statement_, column(c));
    if (v == 0.0 && is_null(c)) throw_null();
    return v;
  }
  bool get_boolean(std::size_t c) const override { return get_integer(c) != 0; }
  std::string_view get_text(std::size_t c) const override {
    const auto* text = sqlite3_column_text(statement_, column(c));
    if (!text) {
      if (is_null(c)) throw_null();
      return {};
    }
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_, column(c)));
    return std::string_view(reinterpret_cast<const char*>(text), size);
  }
  std::span<const std::byte> get_blob(std::size_t c) const override {
    const void* data = sqlite3_column_blob(statement_, column(c));
    if (!data) {
      if (is_null(c)) throw_null();
      return {};
    }
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_, column(c)));
    return {static_cast<const std::byte*>(data), size};
  }
  timestamp get_timestamp(std::size_t c) const override {
    const int type = sqlite3_column_type(statement_, column(c));
    if (type == SQLITE_NULL) throw_null();
    if (type == SQLITE_INTEGER) {
      // Unix seconds, as some schemas store them.
      return timestamp{std::chrono::seconds{sqlite3_column_int64(statement_, column(c))}};
    }
    const auto text = get_text(c);
    if (auto t = relata::detail::parse_timestamp(text)) return *t;
    throw relata::detail::conversion_failure{"the stored text \"" + relata::detail::excerpt(text) +
                                             "\" is not a timestamp"};
  }
  std::vector<value> get_array(std::size_t c, value_kind element) const override {
    const auto text = get_text(c);
    const auto document = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    auto elements = relata::detail::value_from_json(document, value_kind::array, element);
    if (!elements) {
      throw relata::detail::conversion_failure{
          "the stored text is not a JSON array of " +
          std::string(to_string(element == value_kind::null ? value_kind::array : element)) +
          " values: " + relata::detail::excerpt(text, 80)};
    }
    return elements->as_array();
  }

  /// Extra result columns start here (0 for plain selects).
  std::size_t offset = 0;

 private:
  int column(std::size_t c) const noexcept { return static_cast<int>(c + offset); }
  sqlite3_stmt* statement_;
};

/// The SQLite connection: prepared statements cached per SQL text, each value bound.
class connection final : public sql::connection {
 public:
  connection(const std::string& path, const options& o) : statements_(o.statement_cache_size) {
    const int flags =
        (o.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw connector_error("cannot open SQLite database \"" + path + "\": " + message,
                            code_name(rc));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(o.busy_timeout.count()));
    // SQLite's legacy reading of an unknown "identifier" as a string literal would turn a column
    // missing from the table into its own name, silently: make it the error it is.
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
    try {
      execute("PRAGMA foreign_keys = ON");
      // LIKE is case-sensitive, as in PostgreSQL and relata's memory connector; ilike folds.
      execute("PRAGMA case_sensitive_like = ON");
      if (o.wal && !o.read_only) execute("PRAGMA journal_mode = WAL");
      if (!o.read_only) execute("PRAGMA synchronous = " + checked_synchronous(o.synchronous));
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() override {
    statements_.for_each([](const cached& c) { sqlite3_finalize(c.statement); });
    sqlite3_close_v2(db_);
  }

  sqlite3* handle() const noexcept { return db_; }

  void execute(const std::string& sql) override {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      const std::string text = message ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      throw_error(rc, text, sql);
    }
  }

  std::uint64_t run(const std::string& sql,
                    const sql::parameters& params,
                    row_sink* rows) override {
    prepared statement{*this, sql};
    binder bind{statement.handle};
    params.write(bind);
    statement_row current{statement.handle};
    std::uint64_t read = 0;
    for (;;) {
      const int rc = sqlite3_step(statement.handle);
      if (rc == SQLITE_ROW) {
        if (rows) rows->on_row(current);
        ++read;
      } else if (rc == SQLITE_DONE) {
        break;
      } else {
        throw_error(rc, sqlite3_errmsg(db_), sql);
      }
    }
    return rows ? read : static_cast<std::uint64_t>(sqlite3_changes64(db_));
  }

  std::int64_t last_generated_key() const override { return sqlite3_last_insert_rowid(db_); }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }

 private:
  struct cached {
    sqlite3_stmt* statement = nullptr;
    bool busy = false;  // stepping now (a query run while another one hands out its rows)
  };

  /// A prepared statement for one run: the cached one, or a private one while the cached one
  /// is busy; reset (or finalized) afterwards.
  struct prepared {
    prepared(connection& owner, const std::string& sql) {
      entry = owner.statements_.find(sql);
      if (entry && !entry->busy) {
        handle = entry->statement;
      } else {
        handle = owner.prepare(sql);
        if (entry) {
          entry = nullptr;  // the cached one is busy: this one is private
        } else {
          entry = &owner.statements_.add(sql, cached{handle, false}, [](cached& c) {
            if (c.busy) return false;
            sqlite3_finalize(c.statement);
            return true;
          });
        }
      }
      if (entry) entry->busy = true;
    }
    prepared(const prepared&) = delete;
    prepared& operator=(const prepared&) = delete;
    ~prepared() {
      if (entry) {
        sqlite3_reset(handle);
        sqlite3_clear_bindings(handle);
        entry->busy = false;
      } else {
        sqlite3_finalize(handle);
      }
    }
    cached* entry = nullptr;
    sqlite3_stmt* handle = nullptr;
  };

  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(db_,
                                      sql.data(),
                                      static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT,
                                      &statement,
                                      nullptr);
    if (rc != SQLITE_OK) throw_error(rc, sqlite3_errmsg(db_), sql);
    return statement;
  }

  static std::string checked_synchronous(const std::string& v) {
    for (const char* allowed : {"OFF", "NORMAL", "FULL", "EXTRA"}) {
      if (v == allowed) return v;
    }
    throw connector_error("invalid synchronous setting \"" + v + "\" (OFF, NORMAL, FULL or EXTRA)");
  }

  [[noreturn]] void throw_error(int rc, const std::string& message, const std::string& sql) const {
    const int extended = sqlite3_extended_errcode(db_);
    const int code = (extended & 0xff) == (rc & 0xff) ? extended : rc;
    const std::string text = "SQLite: " + relata::detail::excerpt(message) +
                             " (in: " + relata::detail::excerpt(sql) + ")";
    if ((code & 0xff) == SQLITE_CONSTRAINT) {
      throw constraint_violation(text, code_name(code));
    }
    throw connector_error(text, code_name(code));
  }

  sqlite3* db_ = nullptr;
  sql::statement_cache<cached> statements_;
};

}  // namespace detail

RELATA_ENGINE_INLINE datasource::datasource(const std::string& path, options opts)
    : database(sql::sqlite_dialect::instance(), opts.names),
      connection_(std::make_unique<detail::connection>(path, opts)) {}

RELATA_ENGINE_INLINE datasource::~datasource() = default;

RELATA_ENGINE_INLINE sqlite3* datasource::native_handle() const noexcept {
  return connection_->handle();
}

RELATA_ENGINE_INLINE capabilities datasource::caps() const {
  capabilities c;
  c.max_parameters = static_cast<std::size_t>(
      sqlite3_limit(connection_->handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  c.window_functions = sqlite3_libversion_number() >= 3025000;
  c.joins = true;
  return c;
}

RELATA_ENGINE_INLINE sql::connection* datasource::pinned() const { return connection_.get(); }
RELATA_ENGINE_INLINE sql::connection& datasource::take() { return *connection_; }
RELATA_ENGINE_INLINE sql::connection& datasource::pin() { return *connection_; }

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::sqlite
