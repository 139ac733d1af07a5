// relata/postgres.hpp: the PostgreSQL connector (libpq).
//
//     relata::postgres::datasource db{"host=/run/postgresql dbname=shop"};   // or a URI
//
// Thread-safe: a pool of connections (created on demand, up to `pool_size`) serves concurrent
// calls; a transaction pins its connection to the thread that began it. Statements are
// prepared once per connection and SQL text; every value is bound (IN lists as one array
// parameter, `= ANY($1)`); identifiers are quoted. Sessions run in UTC. A lost connection is
// reported (CONNECTOR_ERROR, SQLSTATE 08006) and replaced on the next call.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/sql/generator.hpp>
#include <relata/sql/postgres_dialect.hpp>
#include <relata/value.hpp>

namespace relata::postgres {

/// How a PostgreSQL datasource connects.
struct options {
  /// The most connections open at once; calls beyond wait for one to be free.
  std::size_t pool_size = 4;
  /// How long a call waits for a free connection before CONNECTOR_ERROR.
  std::chrono::milliseconds acquire_timeout{30000};
  /// Prepared statements kept per connection; the cache is emptied when it grows past this.
  std::size_t statement_cache_size = 256;
  /// The longest IN list bound as one array parameter; longer key sets are chunked.
  std::size_t max_list_size = 32768;
  /// How this database names tables and columns (an existing schema's convention).
  naming_policy names{};
  /// The schema the models' tables are in (every connection runs `SET search_path TO` it);
  /// empty: the server's search_path (usually "public").
  std::string schema{};
};

namespace detail {
struct connection;
}

/// A PostgreSQL database.
class datasource final : public relata::datasource {
 public:
  /// Connects with a libpq connection string ("host=... dbname=..." or "postgresql://...").
  /// The first connection is opened here, so a wrong string fails at once.
  RELATA_ENGINE_INLINE explicit datasource(std::string conninfo, options opts = {});
  RELATA_ENGINE_INLINE ~datasource() override;

  std::string_view name() const noexcept override { return "postgres"; }
  RELATA_ENGINE_INLINE capabilities caps() const override;

  /// Runs SQL without parameters (DDL, SET ...). Never put values in the text.
  RELATA_ENGINE_INLINE void execute(const std::string& sql);

  RELATA_ENGINE_INLINE void migrate(std::span<const model_definition* const> models) override;
  RELATA_ENGINE_INLINE void insert(const model_definition& model,
                                   std::span<void* const> entities) override;
  RELATA_ENGINE_INLINE void select(const select_query& query, row_sink& sink) override;
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

  /// Connections currently open (idle, in use, or pinned by transactions).
  RELATA_ENGINE_INLINE std::size_t open_connections() const;
  /// Lowers the longest IN list bound as one array (tests of chunking).
  void set_max_list_size(std::size_t n) { options_.max_list_size = n; }

 private:
  class lease;
  struct pinned {
    std::unique_ptr<detail::connection> connection;
    std::size_t depth = 0;
  };

  RELATA_ENGINE_INLINE std::unique_ptr<detail::connection> connect();
  RELATA_ENGINE_INLINE std::unique_ptr<detail::connection> take();
  RELATA_ENGINE_INLINE void give_back(std::unique_ptr<detail::connection> c);
  RELATA_ENGINE_INLINE pinned* pinned_here();
  RELATA_ENGINE_INLINE std::uint64_t change(const sql::statement& st);
  RELATA_ENGINE_INLINE void bump_identity(lease& c,
                                          const model_definition& model,
                                          const value& key);

  std::string conninfo_;
  options options_;
  sql::postgres_dialect dialect_;
  sql::generator generator_{dialect_, options_.names};

  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<detail::connection>> idle_;
  std::size_t open_ = 0;
  std::unordered_map<std::thread::id, pinned> pinned_;
};

}  // namespace relata::postgres

#if RELATA_DEFINE_ENGINE

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

#include <relata/detail/entity.hpp>
#include <relata/detail/excerpt.hpp>
#include <relata/detail/schema.hpp>
#include <relata/detail/time.hpp>

namespace relata::postgres {

namespace detail {

// Type OIDs (server headers are not needed for these stable numbers).
inline constexpr Oid bool_oid = 16;
inline constexpr Oid bytea_oid = 17;
inline constexpr Oid int8_oid = 20;
inline constexpr Oid text_oid = 25;
inline constexpr Oid float8_oid = 701;
inline constexpr Oid timestamptz_oid = 1184;
inline constexpr Oid jsonb_oid = 3802;

/// One pooled connection and its prepared statements.
struct connection {
  PGconn* conn = nullptr;
  std::unordered_map<std::string, std::string> statements;  // SQL + types -> name
  std::size_t next_statement = 0;
  bool broken = false;

  connection() = default;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() {
    if (conn) PQfinish(conn);
  }
};

/// Owns a PGresult.
struct result {
  PGresult* r = nullptr;
  explicit result(PGresult* p) noexcept : r(p) {}
  result(result&& other) noexcept : r(std::exchange(other.r, nullptr)) {}
  result(const result&) = delete;
  result& operator=(const result&) = delete;
  result& operator=(result&&) = delete;
  ~result() {
    if (r) PQclear(r);
  }
};

inline std::string sqlstate_of(const PGresult* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return state ? state : "";
}

/// Throws the typed error for a failed result (constraint violations by their SQLSTATE).
[[noreturn]] inline void fail(connection& c, const PGresult* r, const std::string& sql) {
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(c.conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  std::string state = sqlstate_of(r);
  if (PQstatus(c.conn) != CONNECTION_OK) {
    c.broken = true;
    throw connector_error("PostgreSQL connection lost: " + relata::detail::excerpt(message) +
                              " (in: " + relata::detail::excerpt(sql) + ")",
                          state.empty() ? "08006" : state);
  }
  // The message may quote values (a duplicate key's DETAIL), the SQL holds long IN lists.
  const std::string text = "PostgreSQL: " + relata::detail::excerpt(message) +
                           " (in: " + relata::detail::excerpt(sql) + ")";
  if (state.rfind("23", 0) == 0) throw constraint_violation(text, state);
  throw connector_error(text, state);
}

/// Bind parameters: binary where the bytes are the value (integers, reals, booleans, text,
/// bytea), text where PostgreSQL parses better than we would (timestamps, json, arrays).
class binder final : public value_sink {
 public:
  void reset() {
    count_ = 0;
    types_.clear();
    values_.clear();
    lengths_.clear();
    formats_.clear();
  }

  void put_null() override { add(0, nullptr, 0, 0); }
  void put_integer(std::int64_t v) override {
    auto& s = slot();
    const auto big = to_big_endian(static_cast<std::uint64_t>(v));
    s.assign(reinterpret_cast<const char*>(&big), 8);
    add(int8_oid, s.data(), 8, 1);
  }
  void put_real(double v) override {
    auto& s = slot();
    const auto big = to_big_endian(std::bit_cast<std::uint64_t>(v));
    s.assign(reinterpret_cast<const char*>(&big), 8);
    add(float8_oid, s.data(), 8, 1);
  }
  void put_boolean(bool v) override {
    auto& s = slot();
    s.assign(1, v ? '\1' : '\0');
    add(bool_oid, s.data(), 1, 1);
  }
  void put_text(std::string_view v) override {
    // Binary text is the bytes themselves. Copied: the text may be a temporary (a
    // value_traits conversion) that is gone before the statement runs.
    auto& s = slot();
    s.assign(v);
    add(text_oid, s.data(), static_cast<int>(s.size()), 1);
  }
  void put_blob(std::span<const std::byte> v) override {
    auto& s = slot();
    s.assign(reinterpret_cast<const char*>(v.data()), v.size());
    add(bytea_oid, s.data(), static_cast<int>(s.size()), 1);
  }
  void put_timestamp(timestamp v) override {
    // timestamptz keeps microseconds: truncate (PostgreSQL would round).
    auto& s = slot();
    s = relata::detail::format_timestamp(std::chrono::floor<std::chrono::microseconds>(v), true);
    add(timestamptz_oid, s.c_str(), 0, 0);
  }
  void put_json(std::string_view text) override {
    auto& s = slot();
    s.assign(text);
    add(jsonb_oid, s.c_str(), 0, 0);
  }
  void put_array(std::span<const value> elements, value_kind) override {
    auto& s = slot();
    s = "{";
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i) s += ',';
      append_element(s, elements[i]);
    }
    s += '}';
    // Unknown type: PostgreSQL takes the array type from the column or the cast.
    add(0, s.c_str(), 0, 0);
  }

  int count() const noexcept { return static_cast<int>(count_); }
  const Oid* types() const noexcept { return types_.data(); }
  const char* const* values() const noexcept { return values_.data(); }
  const int* lengths() const noexcept { return lengths_.data(); }
  const int* formats() const noexcept { return formats_.data(); }

  /// The parameter types, as part of a prepared statement's identity.
  std::string signature() const {
    std::string out;
    for (auto t : types_) out += std::to_string(t) + ",";
    return out;
  }

 private:
  static std::uint64_t to_big_endian(std::uint64_t v) {
    if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(v);
    return v;
  }

  // A deque: growing it does not move the strings whose bytes are already bound.
  std::string& slot() {
    if (storage_.size() <= count_) storage_.resize(count_ + 1);
    return storage_[count_];
  }
  void add(Oid type, const char* data, int length, int format) {
    types_.push_back(type);
    values_.push_back(data);
    lengths_.push_back(length);
    formats_.push_back(format);
    ++count_;
  }

  static void append_element(std::string& out, const value& v) {
    switch (v.kind()) {
      case value_kind::null:
        out += "NULL";
        return;
      case value_kind::integer:
        out += std::to_string(v.as_integer());
        return;
      case value_kind::boolean:
        out += v.as_boolean() ? "t" : "f";
        return;
      case value_kind::real: {
        char buffer[32];
        const double d = v.as_real();
        if (std::isnan(d)) {
          out += "NaN";
        } else if (std::isinf(d)) {
          out += d > 0 ? "Infinity" : "-Infinity";
        } else {
          auto r = std::to_chars(buffer, buffer + sizeof buffer, d);
          out.append(buffer, r.ptr);
        }
        return;
      }
      case value_kind::timestamp:
        quoted(out, relata::detail::format_timestamp(v.as_timestamp(), true));
        return;
      case value_kind::text:
        quoted(out, v.as_text());
        return;
      default:
        quoted(out, v.to_string());
        return;
    }
  }
  static void quoted(std::string& out, std::string_view text) {
    out += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }

  std::size_t count_ = 0;
  std::deque<std::string> storage_;
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

/// A row of a text-format result.
class result_row final : public row {
 public:
  result_row(const PGresult* r, int offset = 0) noexcept : r_(r), offset_(offset) {}
  void at(int row_index) noexcept { row_ = row_index; }

  bool is_null(std::size_t c) const override { return PQgetisnull(r_, row_, column(c)); }
  std::int64_t get_integer(std::size_t c) const override {
    const auto text = get_text(c);
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) {
      if (text == "t" || text == "f") return text == "t";  // a boolean read as an integer
      throw relata::detail::conversion_failure{
          "the stored text \"" + relata::detail::excerpt(text) + "\" is not an integer"};
    }
    return v;
  }
  double get_real(std::size_t c) const override {
    const auto text = get_text(c);
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) {
      throw relata::detail::conversion_failure{
          "the stored text \"" + relata::detail::excerpt(text) + "\" is not a number"};
    }
    return v;
  }
  bool get_boolean(std::size_t c) const override {
    const auto text = get_text(c);
    return text == "t" || text == "true" || text == "1";
  }
  std::string_view get_text(std::size_t c) const override {
    return {PQgetvalue(r_, row_, column(c)),
            static_cast<std::size_t>(PQgetlength(r_, row_, column(c)))};
  }
  std::span<const std::byte> get_blob(std::size_t c) const override {
    // bytea's text form is hex: \x0a1b...
    const auto text = get_text(c);
    if (text.size() < 2 || text[0] != '\\' || text[1] != 'x') {
      throw relata::detail::conversion_failure{"the stored bytea is not in hex format"};
    }
    bytes_.clear();
    bytes_.reserve((text.size() - 2) / 2);
    auto nibble = [](char h) {
      return static_cast<unsigned>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
    };
    for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
      bytes_.push_back(static_cast<std::byte>((nibble(text[i]) << 4) | nibble(text[i + 1])));
    }
    return bytes_;
  }
  timestamp get_timestamp(std::size_t c) const override {
    const auto text = get_text(c);
    if (auto t = relata::detail::parse_timestamp(text)) return *t;
    throw relata::detail::conversion_failure{"the stored text \"" + relata::detail::excerpt(text) +
                                             "\" is not a timestamp"};
  }
  std::vector<value> get_array(std::size_t c, value_kind element) const override {
    return parse_array(get_text(c), element);
  }

  /// Parses PostgreSQL's text form of a one-dimensional array: {1,2,"a b",NULL}.
  static std::vector<value> parse_array(std::string_view text, value_kind element) {
    std::vector<value> out;
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
      throw relata::detail::conversion_failure{"the stored value is not an array"};
    }
    std::size_t i = 1;
    const std::size_t end = text.size() - 1;
    while (i < end) {
      std::string item;
      bool quoted = false;
      if (text[i] == '"') {
        quoted = true;
        ++i;
        while (i < end && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < end) ++i;
          item += text[i++];
        }
        ++i;  // closing quote
      } else {
        while (i < end && text[i] != ',') item += text[i++];
      }
      if (!quoted && item == "NULL") {
        out.emplace_back();
      } else {
        out.push_back(element_value(item, element));
      }
      if (i < end && text[i] == ',') ++i;
    }
    return out;
  }

 private:
  static value element_value(const std::string& item, value_kind element) {
    switch (element) {
      case value_kind::integer: {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (ec != std::errc{} || p != item.data() + item.size()) break;
        return value{v};
      }
      case value_kind::real: {
        double v = 0;
        auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (ec != std::errc{} || p != item.data() + item.size()) break;
        return value{v};
      }
      case value_kind::boolean:
        return value{item == "t" || item == "true"};
      case value_kind::timestamp:
        if (auto t = relata::detail::parse_timestamp(item)) return value{*t};
        break;
      default:
        return value{item};
    }
    throw relata::detail::conversion_failure{"an array element \"" + relata::detail::excerpt(item) +
                                             "\" has the wrong type"};
  }

  int column(std::size_t c) const noexcept { return static_cast<int>(c) + offset_; }

  const PGresult* r_;
  int offset_;
  int row_ = 0;
  mutable std::vector<std::byte> bytes_;
};

}  // namespace detail

/// A connection for the length of one call: the thread's pinned one inside a transaction,
/// else one taken from the pool and given back (or dropped when broken) afterwards.
class datasource::lease {
 public:
  explicit lease(datasource& owner) : owner_(owner) {
    if (auto* p = owner.pinned_here(); p && p->connection) {
      connection_ = p->connection.get();
    } else {
      owned_ = owner.take();
      connection_ = owned_.get();
    }
  }
  lease(const lease&) = delete;
  lease& operator=(const lease&) = delete;
  ~lease() {
    if (owned_) owner_.give_back(std::move(owned_));
  }

  detail::connection& operator*() const noexcept { return *connection_; }
  detail::connection* operator->() const noexcept { return connection_; }

  /// Runs a prepared statement (prepared on first use on this connection).
  detail::result run(const std::string& sql, detail::binder& params) {
    auto& c = *connection_;
    const std::string key = sql + '\x1f' + params.signature();
    auto it = c.statements.find(key);
    if (it == c.statements.end()) {
      if (c.statements.size() >= owner_.options_.statement_cache_size) {
        detail::result r{PQexec(c.conn, "DEALLOCATE ALL")};
        c.statements.clear();
      }
      std::string name = "relata_" + std::to_string(++c.next_statement);
      detail::result prepared{
          PQprepare(c.conn, name.c_str(), sql.c_str(), params.count(), params.types())};
      if (PQresultStatus(prepared.r) != PGRES_COMMAND_OK) detail::fail(c, prepared.r, sql);
      it = c.statements.emplace(key, std::move(name)).first;
    }
    detail::result r{PQexecPrepared(c.conn,
                                    it->second.c_str(),
                                    params.count(),
                                    params.values(),
                                    params.lengths(),
                                    params.formats(),
                                    0)};
    const auto status = PQresultStatus(r.r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) detail::fail(c, r.r, sql);
    return r;
  }
  detail::result run(const sql::statement& st) {
    detail::binder params;
    for (const auto& v : st.parameters) params.put(v);
    return run(st.text, params);
  }
  /// Runs SQL without parameters.
  detail::result simple(const std::string& sql) {
    auto& c = *connection_;
    detail::result r{PQexec(c.conn, sql.c_str())};
    const auto status = PQresultStatus(r.r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) detail::fail(c, r.r, sql);
    return r;
  }

 private:
  datasource& owner_;
  std::unique_ptr<detail::connection> owned_;
  detail::connection* connection_ = nullptr;
};

RELATA_ENGINE_INLINE datasource::datasource(std::string conninfo, options opts)
    : conninfo_(std::move(conninfo)), options_(std::move(opts)) {
  if (options_.pool_size == 0) options_.pool_size = 1;
  auto first = connect();
  ++open_;
  give_back(std::move(first));
}

RELATA_ENGINE_INLINE datasource::~datasource() = default;

RELATA_ENGINE_INLINE std::unique_ptr<detail::connection> datasource::connect() {
  auto c = std::make_unique<detail::connection>();
  c->conn = PQconnectdb(conninfo_.c_str());
  PQsetNoticeProcessor(
      c->conn, [](void*, const char*) {}, nullptr);  // no NOTICEs on stderr
  if (PQstatus(c->conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(c->conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw connector_error("cannot connect to PostgreSQL: " + message, "08001");
  }
  // Timestamps travel as UTC text; relata sorts and compares text bytewise only where the
  // database's collation does (see README).
  detail::result r{PQexec(c->conn,
                          "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; "
                          "SET client_encoding = 'UTF8'; SET extra_float_digits = 3")};
  if (PQresultStatus(r.r) != PGRES_COMMAND_OK) detail::fail(*c, r.r, "SET ...");
  if (!options_.schema.empty()) {
    const std::string sql = "SET search_path TO " + sql::identifier(options_.schema);
    detail::result s{PQexec(c->conn, sql.c_str())};
    if (PQresultStatus(s.r) != PGRES_COMMAND_OK) detail::fail(*c, s.r, sql);
  }
  return c;
}

RELATA_ENGINE_INLINE std::unique_ptr<detail::connection> datasource::take() {
  std::unique_lock lock{mutex_};
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (PQstatus(c->conn) == CONNECTION_OK) return c;
      --open_;  // dropped while idle: replace it
      continue;
    }
    if (open_ < options_.pool_size) {
      ++open_;
      lock.unlock();
      try {
        return connect();
      } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
      }
    }
    if (!available_.wait_for(lock, options_.acquire_timeout, [&] {
          return !idle_.empty() || open_ < options_.pool_size;
        })) {
      throw connector_error("no PostgreSQL connection became free within the acquire timeout",
                            "08004");
    }
  }
}

RELATA_ENGINE_INLINE void datasource::give_back(std::unique_ptr<detail::connection> c) {
  std::lock_guard lock{mutex_};
  if (c->broken || PQstatus(c->conn) != CONNECTION_OK) {
    --open_;  // the next call opens a fresh one
  } else {
    idle_.push_back(std::move(c));
  }
  available_.notify_one();
}

RELATA_ENGINE_INLINE datasource::pinned* datasource::pinned_here() {
  std::lock_guard lock{mutex_};
  auto it = pinned_.find(std::this_thread::get_id());
  return it == pinned_.end() ? nullptr : &it->second;
}

RELATA_ENGINE_INLINE std::size_t datasource::open_connections() const {
  std::lock_guard lock{mutex_};
  return open_;
}

RELATA_ENGINE_INLINE capabilities datasource::caps() const {
  capabilities c;
  c.max_parameters = 65535;
  c.window_functions = true;
  c.joins = true;
  c.lists_as_arrays = true;
  c.max_list_size = options_.max_list_size;
  c.timestamp_resolution = std::chrono::microseconds{1};
  return c;
}

RELATA_ENGINE_INLINE void datasource::execute(const std::string& sql) {
  const auto started = std::chrono::steady_clock::now();
  lease c{*this};
  auto r = c.simple(sql);
  notify(sql, 0, 0, started);
}

RELATA_ENGINE_INLINE void datasource::migrate(std::span<const model_definition* const> models) {
  relata::transaction tx{*this};
  for (const auto& statement : generator_.create_tables(models)) execute(statement);
  tx.commit();
}

RELATA_ENGINE_INLINE void datasource::bump_identity(lease& c,
                                                    const model_definition& model,
                                                    const value& key) {
  // An id given explicitly does not move an identity's sequence; move it past the id so that
  // generated ids never collide with it (SQLite's AUTOINCREMENT does the same).
  static const std::string sql =
      "SELECT setval(s.seq, GREATEST(COALESCE(pg_sequence_last_value(s.seq), 0), $1)) FROM "
      "(SELECT pg_get_serial_sequence($2, $3)::regclass AS seq) AS s";
  detail::binder params;
  params.put(key);
  const std::string table = sql::identifier(generator_.table(model));
  params.put_text(table);
  params.put_text(generator_.column(model.properties[model.generated_key]));
  c.run(sql, params);
}

RELATA_ENGINE_INLINE void datasource::insert(const model_definition& model,
                                             std::span<void* const> entities) {
  lease c{*this};
  std::string sql[2];
  detail::binder params;
  for (void* entity : entities) {
    const auto started = std::chrono::steady_clock::now();
    const bool generate =
        model.generated_key != npos &&
        relata::detail::property_value(model, entity, model.generated_key) == value{0};
    std::string& text = sql[generate ? 0 : 1];
    if (text.empty()) text = generator_.insert(model, !generate);
    params.reset();
    for (std::size_t p = 0; p < model.properties.size(); ++p) {
      if (generate && p == model.generated_key) continue;
      model.properties[p].write(entity, params);
    }
    auto r = c.run(text, params);
    if (generate) {
      std::int64_t id = 0;
      const char* v = PQgetvalue(r.r, 0, 0);
      std::from_chars(v, v + PQgetlength(r.r, 0, 0), id);
      relata::detail::set_property_value(model, entity, model.generated_key, value{id});
    } else if (model.generated_key != npos) {
      bump_identity(c, model, relata::detail::property_value(model, entity, model.generated_key));
    }
    if (observed()) notify(text, static_cast<std::size_t>(params.count()), 1, started);
  }
}

RELATA_ENGINE_INLINE void datasource::select(const select_query& query, row_sink& sink) {
  const auto st = generator_.select(query);
  const auto started = std::chrono::steady_clock::now();
  lease c{*this};
  auto r = c.run(st);
  const int rows = PQntuples(r.r);
  detail::result_row current{r.r};
  for (int i = 0; i < rows; ++i) {
    current.at(i);
    sink.on_row(current);
  }
  if (observed()) notify(st.text, st.parameters.size(), static_cast<std::size_t>(rows), started);
}

RELATA_ENGINE_INLINE std::uint64_t datasource::count(const model_definition& model,
                                                     const ast::node_ptr& where) {
  const auto st = generator_.count(model, where);
  const auto started = std::chrono::steady_clock::now();
  lease c{*this};
  auto r = c.run(st);
  detail::result_row row{r.r};
  const auto n = static_cast<std::uint64_t>(row.get_integer(0));
  if (observed()) notify(st.text, st.parameters.size(), 1, started);
  return n;
}

RELATA_ENGINE_INLINE std::uint64_t datasource::change(const sql::statement& st) {
  const auto started = std::chrono::steady_clock::now();
  lease c{*this};
  auto r = c.run(st);
  std::uint64_t n = 0;
  const char* affected = PQcmdTuples(r.r);
  std::from_chars(affected, affected + std::strlen(affected), n);
  if (observed()) notify(st.text, st.parameters.size(), n, started);
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
  pinned* p = pinned_here();
  if (!p) {
    auto connection = take();
    std::lock_guard lock{mutex_};
    p = &pinned_[std::this_thread::get_id()];
    p->connection = std::move(connection);
  }
  const auto started = std::chrono::steady_clock::now();
  const std::string sql =
      p->depth == 0 ? std::string("BEGIN") : "SAVEPOINT relata_" + std::to_string(p->depth + 1);
  {
    lease c{*this};
    try {
      c.simple(sql);
    } catch (...) {
      if (p->depth == 0) {
        std::unique_ptr<detail::connection> connection;
        {
          std::lock_guard lock{mutex_};
          connection = std::move(p->connection);
          pinned_.erase(std::this_thread::get_id());
        }
        give_back(std::move(connection));
      }
      throw;
    }
  }
  ++p->depth;
  notify(sql, 0, 0, started);
}

RELATA_ENGINE_INLINE void datasource::commit() {
  pinned* p = pinned_here();
  if (!p || p->depth == 0) throw transaction_error("commit without a transaction");
  const auto started = std::chrono::steady_clock::now();
  const std::string sql = p->depth == 1 ? std::string("COMMIT")
                                        : "RELEASE SAVEPOINT relata_" + std::to_string(p->depth);
  auto finish = [&] {
    if (--p->depth == 0) {
      std::unique_ptr<detail::connection> connection;
      {
        std::lock_guard lock{mutex_};
        connection = std::move(p->connection);
        pinned_.erase(std::this_thread::get_id());
      }
      give_back(std::move(connection));
    }
  };
  try {
    lease c{*this};
    const auto r = c.simple(sql);
    // PostgreSQL answers the COMMIT of a transaction aborted by an earlier error with ROLLBACK,
    // not with an error.
    if (p->depth == 1 && std::string_view(PQcmdStatus(r.r)) == "ROLLBACK") {
      throw transaction_error(
          "the transaction was rolled back, not committed: a statement in it failed, and "
          "PostgreSQL aborts a transaction at its first error");
    }
  } catch (...) {
    // A failed COMMIT ends the transaction (PostgreSQL has rolled it back). A failed RELEASE
    // ends the savepoint too, rolled back: when that fails as well, the transaction stays
    // aborted and the enclosing levels fail until they end.
    if (p->depth > 1 && !p->connection->broken) {
      try {
        lease c{*this};
        c.simple("ROLLBACK TO SAVEPOINT relata_" + std::to_string(p->depth) +
                 "; RELEASE SAVEPOINT relata_" + std::to_string(p->depth));
      } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
      }
    }
    finish();
    throw;
  }
  finish();
  notify(sql, 0, 0, started);
}

RELATA_ENGINE_INLINE void datasource::rollback() {
  pinned* p = pinned_here();
  if (!p || p->depth == 0) throw transaction_error("rollback without a transaction");
  const auto started = std::chrono::steady_clock::now();
  const std::string sql = p->depth == 1
                              ? std::string("ROLLBACK")
                              : "ROLLBACK TO SAVEPOINT relata_" + std::to_string(p->depth) +
                                    "; RELEASE SAVEPOINT relata_" + std::to_string(p->depth);
  std::exception_ptr failure;
  try {
    if (!p->connection->broken) {
      lease c{*this};
      c.simple(sql);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (--p->depth == 0) {
    std::unique_ptr<detail::connection> connection;
    {
      std::lock_guard lock{mutex_};
      connection = std::move(p->connection);
      pinned_.erase(std::this_thread::get_id());
    }
    give_back(std::move(connection));
  }
  if (failure) std::rethrow_exception(failure);
  notify(sql, 0, 0, started);
}

RELATA_ENGINE_INLINE std::size_t datasource::transaction_depth() const {
  std::lock_guard lock{mutex_};
  auto it = pinned_.find(std::this_thread::get_id());
  return it == pinned_.end() ? 0 : it->second.depth;
}

}  // namespace relata::postgres

#endif  // RELATA_DEFINE_ENGINE
