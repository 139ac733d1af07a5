// relata/sqlite.hpp: the SQLite connector (libsqlite3), the embedded default.
//
//     relata::sqlite::datasource db{"shop.db"};   // or ":memory:", or a file: URI
//
// Prepared statements are cached per SQL text; every value is bound, never interpolated;
// identifiers are quoted. Files open in WAL mode with a busy timeout and foreign keys on.
// One datasource is one connection: use it from one thread at a time (open one per thread).
#pragma once

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/time.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/sql/generator.hpp>
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

/// A SQLite database: the embedded default connector.
class datasource final : public relata::datasource {
 public:
  /// Opens (creating if needed) the database at `path`: a file name, ":memory:", or a
  /// "file:" URI.
  RELATA_ENGINE_INLINE explicit datasource(const std::string& path, options opts = {});
  RELATA_ENGINE_INLINE ~datasource() override;

  /// The underlying connection, for what relata does not do.
  RELATA_ENGINE_INLINE sqlite3* native_handle() const noexcept;

  std::string_view name() const noexcept override { return "sqlite"; }

  RELATA_ENGINE_INLINE capabilities caps() const override;

  /// Runs SQL that returns nothing (DDL, pragmas). Never pass values in the text: bind them
  /// through relata's queries.
  RELATA_ENGINE_INLINE void execute(const std::string& sql);

  RELATA_ENGINE_INLINE void migrate(std::span<const model_definition* const> models) override;

  RELATA_ENGINE_INLINE void insert(const model_definition& model,
                                   std::span<void* const> entities) override;

  RELATA_ENGINE_INLINE void select(const select_query& query, row_sink& sink) override;

  /// With its SQL text generated once per model.
  RELATA_ENGINE_INLINE void select_by_key(const model_definition& model,
                                          std::span<const value> key,
                                          row_sink& sink) override;

  RELATA_ENGINE_INLINE std::uint64_t count(const model_definition& model,
                                           const ast::node_ptr& where) override;

  RELATA_ENGINE_INLINE std::uint64_t update(const model_definition& model,
                                            std::span<const assignment> assignments,
                                            const ast::node_ptr& where) override;

  RELATA_ENGINE_INLINE std::uint64_t remove(const model_definition& model,
                                            const ast::node_ptr& where) override;

  RELATA_ENGINE_INLINE void begin() override;
  RELATA_ENGINE_INLINE void commit() override;
  RELATA_ENGINE_INLINE void rollback() override;
  RELATA_ENGINE_INLINE std::size_t transaction_depth() const override;

 private:
  struct cache_entry {
    sqlite3_stmt* statement = nullptr;
    bool busy = false;
  };

  /// A prepared statement in use: taken from the cache (or prepared), reset on release.
  struct use;

  RELATA_ENGINE_INLINE void trim_cache();

  RELATA_ENGINE_INLINE static std::string savepoint(std::size_t depth);

  /// After the COMMIT, RELEASE or ROLLBACK TO ending transaction level `level` failed: rolls
  /// the level back (to its savepoint, or the whole transaction when that fails too), so that
  /// none of its writes can be committed later.
  RELATA_ENGINE_INLINE void discard(std::size_t level) noexcept;

  /// Refuses work inside a transaction SQLite has already rolled back: it would run outside
  /// any transaction, each statement committed on its own.
  RELATA_ENGINE_INLINE void check_not_rolled_back() const;

  RELATA_ENGINE_INLINE static std::string checked_pragma(const std::string& v);

  RELATA_ENGINE_INLINE void bind_all(sqlite3_stmt* statement, const sql::statement& st);

  RELATA_ENGINE_INLINE void step_done(sqlite3_stmt* statement, const std::string& sql);

  /// Steps a bound select, handing its rows to `sink`.
  RELATA_ENGINE_INLINE void read_rows(sqlite3_stmt* statement,
                                      const std::string& sql,
                                      std::size_t parameters,
                                      row_sink& sink);

  RELATA_ENGINE_INLINE std::uint64_t change(const sql::statement& st);

  [[noreturn]] RELATA_ENGINE_INLINE void throw_error(int rc,
                                                     const std::string& message,
                                                     const std::string& sql) const;

  options options_;
  sqlite3* db_ = nullptr;
  sql::sqlite_dialect dialect_;
  sql::generator generator_{dialect_, options_.names};
  std::unordered_map<std::string, cache_entry> cache_;
  std::unordered_map<const model_definition*, std::array<std::string, 2>> insert_sql_;
  std::unordered_map<const model_definition*, std::string> by_key_sql_;
  std::size_t depth_ = 0;
};

namespace detail {
/// The name of a SQLite result code ("SQLITE_IOERR_FSYNC"), as errors' native_code() give it.
RELATA_ENGINE_INLINE std::string code_name(int code);
}  // namespace detail

#if RELATA_DEFINE_ENGINE
}  // namespace relata::sqlite
#include <nlohmann/json.hpp>

#include <relata/detail/excerpt.hpp>
#include <relata/detail/json_excerpt.hpp>
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
    nlohmann::json array = nlohmann::json::array();
    for (const auto& e : elements) {
      switch (e.kind()) {
        case value_kind::integer:
          array.push_back(e.as_integer());
          break;
        case value_kind::real:
          // JSON has no infinities (dump() writes null): as relata's JSON writes them
          if (std::isinf(e.as_real())) {
            array.push_back(e.as_real() > 0 ? "Infinity" : "-Infinity");
          } else {
            array.push_back(e.as_real());
          }
          break;
        case value_kind::boolean:
          array.push_back(e.as_boolean());
          break;
        case value_kind::text:
          array.push_back(e.as_text());
          break;
        case value_kind::timestamp:
          array.push_back(relata::detail::format_timestamp(e.as_timestamp()));
          break;
        default:
          array.push_back(nullptr);
          break;
      }
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
    if (!document.is_array()) {
      throw relata::detail::conversion_failure{"the stored text is not a JSON array"};
    }
    std::vector<value> out;
    out.reserve(document.size());
    for (const auto& e : document) {
      if (e.is_null()) {
        out.emplace_back();
      } else if (element == value_kind::null) {  // as stored
        if (e.is_number_integer()) {
          out.emplace_back(e.get<std::int64_t>());
        } else if (e.is_number()) {
          out.emplace_back(e.get<double>());
        } else if (e.is_boolean()) {
          out.emplace_back(e.get<bool>());
        } else if (e.is_string()) {
          out.emplace_back(e.get<std::string>());
        } else {
          throw relata::detail::conversion_failure{"an array element is not a scalar"};
        }
      } else if (element == value_kind::integer && e.is_number_integer()) {
        out.emplace_back(e.get<std::int64_t>());
      } else if (element == value_kind::real && e.is_number()) {
        out.emplace_back(e.get<double>());
      } else if (element == value_kind::real && (e == "Infinity" || e == "-Infinity")) {
        out.emplace_back((e == "Infinity" ? 1 : -1) * std::numeric_limits<double>::infinity());
      } else if (element == value_kind::boolean && e.is_boolean()) {
        out.emplace_back(e.get<bool>());
      } else if (element == value_kind::text && e.is_string()) {
        out.emplace_back(e.get<std::string>());
      } else if (element == value_kind::timestamp && e.is_string()) {
        auto t = relata::detail::parse_timestamp(e.get<std::string>());
        if (!t) throw relata::detail::conversion_failure{"an array element is not a timestamp"};
        out.emplace_back(*t);
      } else {
        throw relata::detail::conversion_failure{"an array element has the wrong type: " +
                                                 relata::detail::json_excerpt(e)};
      }
    }
    return out;
  }

  /// Extra result columns start here (0 for plain selects).
  std::size_t offset = 0;

 private:
  int column(std::size_t c) const noexcept { return static_cast<int>(c + offset); }
  sqlite3_stmt* statement_;
};

}  // namespace detail

RELATA_ENGINE_INLINE datasource::datasource(const std::string& path, options opts)
    : options_(std::move(opts)) {
  const int flags =
      (options_.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw connector_error("cannot open SQLite database \"" + path + "\": " + message,
                          detail::code_name(rc));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(options_.busy_timeout.count()));
  execute("PRAGMA foreign_keys = ON");
  // LIKE is case-sensitive, as in PostgreSQL and relata's memory connector; ilike folds.
  execute("PRAGMA case_sensitive_like = ON");
  if (options_.wal && !options_.read_only) execute("PRAGMA journal_mode = WAL");
  if (!options_.read_only) execute("PRAGMA synchronous = " + checked_pragma(options_.synchronous));
}

RELATA_ENGINE_INLINE datasource::~datasource() {
  for (auto& [text, entry] : cache_) sqlite3_finalize(entry.statement);
  sqlite3_close_v2(db_);
}

struct datasource::use {
  use(datasource& ds, const std::string& sql) : owner(ds) {
    ds.check_not_rolled_back();
    auto it = ds.cache_.find(sql);
    if (it != ds.cache_.end() && !it->second.busy) {
      entry = &it->second;
    } else {
      if (ds.cache_.size() >= ds.options_.statement_cache_size) ds.trim_cache();
      sqlite3_stmt* prepared = nullptr;
      const int rc = sqlite3_prepare_v3(ds.db_,
                                        sql.data(),
                                        static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT,
                                        &prepared,
                                        nullptr);
      if (rc != SQLITE_OK) ds.throw_error(rc, sqlite3_errmsg(ds.db_), sql);
      if (it == ds.cache_.end()) {
        entry = &ds.cache_.emplace(sql, cache_entry{prepared, false}).first->second;
      } else {
        own = prepared;  // the cached one is busy (a nested query): use a private one
      }
    }
    statement = own ? own : entry->statement;
    if (entry && !own) entry->busy = true;
  }
  use(const use&) = delete;
  use& operator=(const use&) = delete;
  ~use() {
    if (own) {
      sqlite3_finalize(own);
    } else {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
      entry->busy = false;
    }
  }

  datasource& owner;
  cache_entry* entry = nullptr;
  sqlite3_stmt* own = nullptr;
  sqlite3_stmt* statement = nullptr;
};

RELATA_ENGINE_INLINE sqlite3* datasource::native_handle() const noexcept { return db_; }

RELATA_ENGINE_INLINE capabilities datasource::caps() const {
  capabilities c;
  c.max_parameters = static_cast<std::size_t>(sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  c.window_functions = sqlite3_libversion_number() >= 3025000;
  c.joins = true;
  return c;
}

RELATA_ENGINE_INLINE void datasource::execute(const std::string& sql) {
  const auto started = std::chrono::steady_clock::now();
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw_error(rc, text, sql);
  }
  notify(sql, 0, static_cast<std::size_t>(sqlite3_changes64(db_)), started);
}

RELATA_ENGINE_INLINE void datasource::migrate(std::span<const model_definition* const> models) {
  relata::transaction tx{*this};
  for (const auto& statement : generator_.create_tables(models)) execute(statement);
  tx.commit();
}

RELATA_ENGINE_INLINE void datasource::insert(const model_definition& model,
                                             std::span<void* const> entities) {
  auto& texts = insert_sql_[&model];
  for (void* entity : entities) {
    const bool generate =
        model.generated_key != npos &&
        relata::detail::property_value(model, entity, model.generated_key) == value{0};
    std::string& sql = texts[generate ? 0 : 1];
    if (sql.empty()) sql = generator_.insert(model, !generate);
    const auto started = std::chrono::steady_clock::now();
    use u{*this, sql};
    detail::binder bind{u.statement};
    for (std::size_t p = 0; p < model.properties.size(); ++p) {
      if (generate && p == model.generated_key) continue;
      model.properties[p].write(entity, bind);
    }
    step_done(u.statement, sql);
    if (generate) {
      relata::detail::set_property_value(
          model, entity, model.generated_key, value{sqlite3_last_insert_rowid(db_)});
    }
    if (observed()) notify(sql, static_cast<std::size_t>(bind.count()), 1, started);
  }
}

RELATA_ENGINE_INLINE void datasource::select(const select_query& query, row_sink& sink) {
  const auto st = generator_.select(query);
  use u{*this, st.text};
  bind_all(u.statement, st);
  read_rows(u.statement, st.text, st.parameters.size(), sink);
}

RELATA_ENGINE_INLINE void datasource::select_by_key(const model_definition& model,
                                                    std::span<const value> key,
                                                    row_sink& sink) {
  std::string& sql = by_key_sql_[&model];
  if (sql.empty()) sql = generator_.select(key_select(model, key)).text;
  use u{*this, sql};
  detail::binder bind{u.statement};
  for (const auto& part : key) bind.put(part);
  read_rows(u.statement, sql, key.size(), sink);
}

RELATA_ENGINE_INLINE void datasource::read_rows(sqlite3_stmt* statement,
                                                const std::string& sql,
                                                std::size_t parameters,
                                                row_sink& sink) {
  const auto started =
      observed() ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  detail::statement_row current{statement};
  std::size_t rows = 0;
  for (;;) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) {
      sink.on_row(current);
      ++rows;
    } else if (rc == SQLITE_DONE) {
      break;
    } else {
      throw_error(rc, sqlite3_errmsg(db_), sql);
    }
  }
  if (observed()) notify(sql, parameters, rows, started);
}

RELATA_ENGINE_INLINE std::uint64_t datasource::count(const model_definition& model,
                                                     const ast::node_ptr& where) {
  const auto st = generator_.count(model, where);
  const auto started = std::chrono::steady_clock::now();
  use u{*this, st.text};
  bind_all(u.statement, st);
  const int rc = sqlite3_step(u.statement);
  if (rc != SQLITE_ROW) throw_error(rc, sqlite3_errmsg(db_), st.text);
  const auto n = static_cast<std::uint64_t>(sqlite3_column_int64(u.statement, 0));
  if (observed()) notify(st.text, st.parameters.size(), 1, started);
  return n;
}

RELATA_ENGINE_INLINE std::uint64_t datasource::update(const model_definition& model,
                                                      std::span<const assignment> assignments,
                                                      const ast::node_ptr& where) {
  return change(generator_.update(model, assignments, where));
}

RELATA_ENGINE_INLINE std::uint64_t datasource::remove(const model_definition& model,
                                                      const ast::node_ptr& where) {
  return change(generator_.remove(model, where));
}

RELATA_ENGINE_INLINE void datasource::begin() {
  check_not_rolled_back();
  execute(depth_ == 0 ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT " + savepoint(depth_ + 1));
  ++depth_;
}

// commit() and rollback() end the innermost level whether SQLite accepts their statement or
// not, as on PostgreSQL: the `transaction` that called them has already ended, so a level left
// open would take every later write into a transaction nobody commits.

RELATA_ENGINE_INLINE void datasource::commit() {
  if (depth_ == 0) throw transaction_error("commit without a transaction");
  const std::size_t level = depth_--;
  if (sqlite3_get_autocommit(db_)) {
    throw transaction_error(
        "commit of a transaction SQLite has already rolled back after an error");
  }
  try {
    execute(level == 1 ? std::string("COMMIT") : "RELEASE " + savepoint(level));
  } catch (...) {
    discard(level);  // refused (SQLITE_BUSY, a deferred foreign key, I/O): rolled back
    throw;
  }
}

RELATA_ENGINE_INLINE void datasource::rollback() {
  if (depth_ == 0) throw transaction_error("rollback without a transaction");
  const std::size_t level = depth_--;
  // SQLite may already have rolled back (some errors do); that is still a rollback.
  if (sqlite3_get_autocommit(db_)) return;
  try {
    execute(level == 1 ? std::string("ROLLBACK")
                       : "ROLLBACK TO " + savepoint(level) + "; RELEASE " + savepoint(level));
  } catch (...) {
    discard(level);
    throw;
  }
}

RELATA_ENGINE_INLINE void datasource::discard(std::size_t level) noexcept {
  if (sqlite3_get_autocommit(db_)) return;  // SQLite has rolled back the whole transaction
  try {
    if (level > 1) {
      const std::string to = "ROLLBACK TO " + savepoint(level) + "; RELEASE " + savepoint(level);
      if (sqlite3_exec(db_, to.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) return;
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): no memory for the text; roll back all
  }
  // The level's writes cannot be separated from the enclosing ones: all go, and the enclosing
  // levels fail (check_not_rolled_back) until they end.
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

RELATA_ENGINE_INLINE void datasource::check_not_rolled_back() const {
  if (depth_ > 0 && sqlite3_get_autocommit(db_)) {
    throw transaction_error(
        "the transaction was rolled back after an error (SQLite ends it on I/O errors, a full "
        "disk or a refused commit); roll back the transactions still open");
  }
}

RELATA_ENGINE_INLINE std::size_t datasource::transaction_depth() const { return depth_; }

RELATA_ENGINE_INLINE void datasource::trim_cache() {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (!it->second.busy) {
      sqlite3_finalize(it->second.statement);
      it = cache_.erase(it);
    } else {
      ++it;
    }
  }
}

RELATA_ENGINE_INLINE std::string datasource::savepoint(std::size_t depth) {
  return "relata_" + std::to_string(depth);
}

RELATA_ENGINE_INLINE std::string datasource::checked_pragma(const std::string& v) {
  for (const char* allowed : {"OFF", "NORMAL", "FULL", "EXTRA"}) {
    if (v == allowed) return v;
  }
  throw connector_error("invalid synchronous setting \"" + v + "\" (OFF, NORMAL, FULL or EXTRA)");
}

RELATA_ENGINE_INLINE void datasource::bind_all(sqlite3_stmt* statement, const sql::statement& st) {
  detail::binder bind{statement};
  for (const auto& v : st.parameters) bind.put(v);
}

RELATA_ENGINE_INLINE void datasource::step_done(sqlite3_stmt* statement, const std::string& sql) {
  const int rc = sqlite3_step(statement);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) throw_error(rc, sqlite3_errmsg(db_), sql);
}

RELATA_ENGINE_INLINE std::uint64_t datasource::change(const sql::statement& st) {
  const auto started = std::chrono::steady_clock::now();
  use u{*this, st.text};
  bind_all(u.statement, st);
  step_done(u.statement, st.text);
  const auto n = static_cast<std::uint64_t>(sqlite3_changes64(db_));
  if (observed()) notify(st.text, st.parameters.size(), n, started);
  return n;
}

[[noreturn]] RELATA_ENGINE_INLINE void datasource::throw_error(int rc,
                                                               const std::string& message,
                                                               const std::string& sql) const {
  const int extended = db_ ? sqlite3_extended_errcode(db_) : rc;
  const int code = (extended & 0xff) == (rc & 0xff) ? extended : rc;
  const std::string text =
      "SQLite: " + relata::detail::excerpt(message) + " (in: " + relata::detail::excerpt(sql) + ")";
  if ((code & 0xff) == SQLITE_CONSTRAINT) {
    throw constraint_violation(text, detail::code_name(code));
  }
  throw connector_error(text, detail::code_name(code));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::sqlite
