// relata/postgres.hpp: the PostgreSQL connector (libpq).
//
//     relata::postgres::datasource db{"host=/run/postgresql dbname=shop"};   // or a URI
//
// A SQL connector over the shared base (sql/database.hpp): this file is PostgreSQL's
// connection and its dialect. Thread-safe: a pool of connections (sql/pool.hpp, opened on
// demand up to `pool_size`) serves concurrent calls; a transaction pins its connection to the
// thread that began it. Statements are prepared once per connection and SQL text; every value
// is bound (IN lists as one array parameter, `= ANY($1)`); rows are inserted by one multi-row
// INSERT ... RETURNING, or, past one INSERT's rows, by one COPY; identifiers are quoted. Sessions
// run in UTC. A lost connection is reported (CONNECTOR_ERROR, SQLSTATE 08006) and replaced on the
// next call.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/errors.hpp>
#include <relata/schema.hpp>
#include <relata/sql/connection.hpp>
#include <relata/sql/database.hpp>
#include <relata/sql/pool.hpp>
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
class connection;
}

/// A PostgreSQL database.
class datasource final : public sql::database {
 public:
  /// Connects with a libpq connection string ("host=... dbname=..." or "postgresql://...").
  /// The first connection is opened here, so a wrong string fails at once.
  explicit datasource(std::string conninfo, options opts = {});
  ~datasource() override;

  std::string_view name() const noexcept override { return "postgres"; }
  capabilities caps() const override;

  /// Creates the `schema` option's schema when it does not exist, then migrates into it.
  void migrate(std::span<const model_definition* const> models,
               const migrate_options& options) override;

  /// Takes a transaction-scoped advisory lock on the model's table
  /// (pg_advisory_xact_lock), which the transaction holds until it ends.
  void serialize_writes(const model_definition& model) override;

  /// Connections currently open (idle, in use, or pinned by transactions).
  std::size_t open_connections() const;
  /// Lowers the longest IN list bound as one array (tests of chunking).
  void set_max_list_size(std::size_t n) { options_.max_list_size = n; }

 protected:
  sql::connection* pinned() const override;
  sql::connection& take() override;
  void give_back(sql::connection& c) override;
  sql::connection& pin() override;
  void unpin() override;
  /// Each INSERT carries up to 1,000 rows (fewer when they would bind more than 65,535
  /// values): one round trip per batch, not per row.
  std::size_t rows_per_insert(const model_definition& model) const override;
  /// More rows than one INSERT carries go in one COPY, their generated ids drawn from the
  /// identity's sequence first: several times faster than INSERTs, and as atomic.
  bool insert_in_bulk(sql::connection& c,
                      const model_definition& model,
                      std::span<void* const> entities,
                      bool generate) override;
  /// Moves the identity's sequence past the largest id given explicitly.
  void inserted_explicit_keys(sql::connection& c,
                              const model_definition& model,
                              std::span<void* const> entities) override;

 private:
  std::unique_ptr<sql::connection> connect() const;

  std::string conninfo_;
  options options_;
  sql::connection_pool pool_;
};

}  // namespace relata::postgres

#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_POSTGRES)

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <utility>
#include <vector>

#include <relata/detail/entity.hpp>
#include <relata/detail/excerpt.hpp>
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

/// A time point as timestamptz text, truncated to its microseconds (PostgreSQL would round).
inline std::string timestamp_text(timestamp v) {
  return relata::detail::format_timestamp(std::chrono::floor<std::chrono::microseconds>(v), true);
}

/// A double as PostgreSQL reads it back exactly (shortest round-trip digits; NaN, Infinity).
inline void append_real(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
  } else if (std::isinf(d)) {
    out += d > 0 ? "Infinity" : "-Infinity";
  } else {
    char buffer[32];
    auto r = std::to_chars(buffer, buffer + sizeof buffer, d);
    out.append(buffer, r.ptr);
  }
}

/// `"text"`, quoted for an array literal.
inline void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

/// One element of an array literal.
inline void append_array_element(std::string& out, const value& v) {
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
    case value_kind::real:
      append_real(out, v.as_real());
      return;
    case value_kind::timestamp:
      append_quoted(out, timestamp_text(v.as_timestamp()));
      return;
    case value_kind::text:
      append_quoted(out, v.as_text());
      return;
    default:
      append_quoted(out, v.to_string());
      return;
  }
}

/// `{a,b,...}`, an array literal PostgreSQL parses for the column's array type.
inline void append_array_literal(std::string& out, std::span<const value> elements) {
  out += '{';
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out += ',';
    append_array_element(out, elements[i]);
  }
  out += '}';
}

/// Rows in the text format of COPY ... FROM STDIN: each field as PostgreSQL parses its
/// column's type from text (the text a parameter would carry), tab-separated, NULL as \N,
/// with backslash, tab, newline and carriage return escaped.
class copy_row_writer final : public value_sink {
 public:
  explicit copy_row_writer(std::string& out) noexcept : out_(out) {}
  void begin_row() noexcept { first_ = true; }
  void end_row() { out_ += '\n'; }

  void put_null() override {
    field();
    out_ += "\\N";
  }
  void put_integer(std::int64_t v) override {
    field();
    char buffer[24];
    auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
    out_.append(buffer, r.ptr);
  }
  void put_real(double v) override {
    field();
    append_real(out_, v);
  }
  void put_boolean(bool v) override {
    field();
    out_ += v ? 't' : 'f';
  }
  void put_text(std::string_view v) override {
    field();
    escaped(v);
  }
  void put_blob(std::span<const std::byte> v) override {
    field();
    static constexpr char digits[] = "0123456789abcdef";
    out_ += "\\\\x";  // bytea's hex form, its backslash escaped
    for (std::byte b : v) {
      out_ += digits[std::to_integer<unsigned>(b) >> 4];
      out_ += digits[std::to_integer<unsigned>(b) & 0xF];
    }
  }
  void put_timestamp(timestamp v) override {
    field();
    escaped(timestamp_text(v));
  }
  void put_json(std::string_view text) override {
    field();
    escaped(text);
  }
  void put_array(std::span<const value> elements, value_kind) override {
    field();
    scratch_.clear();
    append_array_literal(scratch_, elements);
    escaped(scratch_);
  }

 private:
  void field() {
    if (!first_) out_ += '\t';
    first_ = false;
  }
  void escaped(std::string_view text) {
    for (char c : text) {
      switch (c) {
        case '\\':
          out_ += "\\\\";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        default:
          out_ += c;
      }
    }
  }

  std::string& out_;
  std::string scratch_;
  bool first_ = true;
};

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
    auto& s = slot();
    s = timestamp_text(v);
    add(timestamptz_oid, s.c_str(), 0, 0);
  }
  void put_json(std::string_view text) override {
    auto& s = slot();
    s.assign(text);
    add(jsonb_oid, s.c_str(), 0, 0);
  }
  void put_array(std::span<const value> elements, value_kind) override {
    auto& s = slot();
    s.clear();
    append_array_literal(s, elements);
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

/// One PostgreSQL connection: statements prepared once per SQL text and parameter types.
class connection final : public sql::connection {
 public:
  connection(const std::string& conninfo, const options& o) : statements_(o.statement_cache_size) {
    conn_ = PQconnectdb(conninfo.c_str());
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // no NOTICEs on stderr
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      while (!message.empty() && message.back() == '\n') message.pop_back();
      PQfinish(conn_);
      throw connector_error("cannot connect to PostgreSQL: " + message, "08001");
    }
    try {
      // Timestamps travel as UTC text; relata sorts and compares text bytewise only where the
      // database's collation does (see README).
      execute(
          "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET client_encoding = 'UTF8'; "
          "SET extra_float_digits = 3");
      if (!o.schema.empty()) execute("SET search_path TO " + sql::identifier(o.schema));
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() override { PQfinish(conn_); }

  /// Runs `sql`, a COPY ... FROM STDIN, sending the rows `next` appends to its buffer until
  /// it returns false; the rows it already sent are not written when it throws.
  template <class Producer>
  std::uint64_t copy_in(const std::string& sql, Producer&& next) {
    result started{PQexec(conn_, sql.c_str())};
    if (PQresultStatus(started.r) != PGRES_COPY_IN) fail(started.r, sql);
    std::string buffer;
    bool more = true;
    try {
      while (more) {
        buffer.clear();
        more = next(buffer);
        if (!buffer.empty() &&
            PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
          break;  // the connection failed: PQgetResult below says how
        }
      }
    } catch (...) {
      PQputCopyEnd(conn_, "relata: the rows could not be written");
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
      throw;
    }
    PQputCopyEnd(conn_, more ? "relata: the rows could not be sent" : nullptr);
    result ended{PQgetResult(conn_)};
    while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    if (PQresultStatus(ended.r) != PGRES_COMMAND_OK) fail(ended.r, sql);
    std::uint64_t written = 0;
    const char* count = PQcmdTuples(ended.r);
    std::from_chars(count, count + std::strlen(count), written);
    return written;
  }

  void execute(const std::string& sql) override {
    result r{PQexec(conn_, sql.c_str())};
    const auto status = PQresultStatus(r.r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(r.r, sql);
  }

  std::uint64_t run(const std::string& sql,
                    const sql::parameters& params,
                    row_sink* rows) override {
    binder_.reset();
    params.write(binder_);
    const std::string key = sql + '\x1f' + binder_.signature();
    const std::string* name = statements_.find(key);
    if (!name) {
      if (statements_.full()) {  // one round trip for them all
        execute("DEALLOCATE ALL");
        statements_.clear();
      }
      std::string prepared_name = "relata_" + std::to_string(++next_statement_);
      result prepared{
          PQprepare(conn_, prepared_name.c_str(), sql.c_str(), binder_.count(), binder_.types())};
      if (PQresultStatus(prepared.r) != PGRES_COMMAND_OK) fail(prepared.r, sql);
      name =
          &statements_.add(key, std::move(prepared_name), [](const std::string&) { return true; });
    }
    result r{PQexecPrepared(conn_,
                            name->c_str(),
                            binder_.count(),
                            binder_.values(),
                            binder_.lengths(),
                            binder_.formats(),
                            0)};
    const auto status = PQresultStatus(r.r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(r.r, sql);
    if (!rows) {
      std::uint64_t changed = 0;
      const char* affected = PQcmdTuples(r.r);
      std::from_chars(affected, affected + std::strlen(affected), changed);
      return changed;
    }
    const int count = PQntuples(r.r);
    result_row current{r.r};
    for (int i = 0; i < count; ++i) {
      current.at(i);
      rows->on_row(current);
    }
    return static_cast<std::uint64_t>(count);
  }

  bool in_transaction() const override { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  bool transaction_aborted() const override {
    return PQtransactionStatus(conn_) == PQTRANS_INERROR;
  }
  bool usable() const override { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

 private:
  /// Throws the typed error for a failed result (constraint violations by their SQLSTATE).
  [[noreturn]] void fail(const PGresult* r, const std::string& sql) {
    std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    const std::string state = sqlstate_of(r);
    if (PQstatus(conn_) != CONNECTION_OK) {
      broken_ = true;
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

  PGconn* conn_ = nullptr;
  sql::statement_cache<std::string> statements_;  // SQL text + parameter types -> name
  std::size_t next_statement_ = 0;
  binder binder_;
  bool broken_ = false;
};

}  // namespace detail

RELATA_ENGINE_INLINE datasource::datasource(std::string conninfo, options opts)
    : database(sql::postgres_dialect::instance(), opts.names),
      conninfo_(std::move(conninfo)),
      options_(std::move(opts)),
      pool_(options_.pool_size, options_.acquire_timeout, [this] { return connect(); }) {}

RELATA_ENGINE_INLINE datasource::~datasource() = default;

RELATA_ENGINE_INLINE std::unique_ptr<sql::connection> datasource::connect() const {
  return std::make_unique<detail::connection>(conninfo_, options_);
}

RELATA_ENGINE_INLINE void datasource::migrate(std::span<const model_definition* const> models,
                                              const migrate_options& options) {
  if (!options_.schema.empty()) {
    execute("CREATE SCHEMA IF NOT EXISTS " + sql::identifier(options_.schema));
  }
  sql::database::migrate(models, options);
}

RELATA_ENGINE_INLINE std::size_t datasource::open_connections() const {
  return pool_.open_connections();
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

RELATA_ENGINE_INLINE sql::connection* datasource::pinned() const { return pool_.pinned(); }
RELATA_ENGINE_INLINE sql::connection& datasource::take() { return pool_.take(); }
RELATA_ENGINE_INLINE void datasource::give_back(sql::connection& c) { pool_.give_back(c); }
RELATA_ENGINE_INLINE sql::connection& datasource::pin() { return pool_.pin(); }
RELATA_ENGINE_INLINE void datasource::unpin() { pool_.unpin(); }

RELATA_ENGINE_INLINE std::size_t datasource::rows_per_insert(const model_definition& model) const {
  const std::size_t columns = model.properties.size() - (model.generated_key != npos ? 1 : 0);
  if (columns == 0) return 1;  // DEFAULT VALUES: one row per statement
  return std::max<std::size_t>(1, std::min<std::size_t>(1000, 65535 / columns));
}

RELATA_ENGINE_INLINE bool datasource::insert_in_bulk(sql::connection& c,
                                                     const model_definition& model,
                                                     std::span<void* const> entities,
                                                     bool generate) {
  // One INSERT is one round trip either way; COPY pays off past it.
  if (entities.size() <= rows_per_insert(model)) return false;
  auto& pg = static_cast<detail::connection&>(c);
  const auto started = std::chrono::steady_clock::now();
  // Generated ids first, from the identity's own sequence, ascending as the rows go.
  std::vector<std::int64_t> ids;
  if (generate) {
    static const std::string draw =
        // OFFSET 0 keeps the sequence's lookup from running once per row (7x slower).
        "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence($1, $2)::regclass AS seq "
        "OFFSET 0) AS s, generate_series(1, $3)";
    const std::vector<value> parameters{value{sql::identifier(sql().table(model))},
                                        value{sql().column(model.properties[model.generated_key])},
                                        value{static_cast<std::int64_t>(entities.size())}};
    struct id_reader final : row_sink {
      std::vector<std::int64_t>& ids;
      bool no_sequence = false;
      explicit id_reader(std::vector<std::int64_t>& out) : ids(out) {}
      void on_row(const row& r) override {
        if (r.is_null(0)) {
          no_sequence = true;
        } else {
          ids.push_back(r.get_integer(0));
        }
      }
    } reader{ids};
    ids.reserve(entities.size());
    c.run(draw, sql::value_parameters{parameters}, &reader);
    // A key without a sequence (a table relata did not create): the INSERTs say what happens.
    if (reader.no_sequence) return false;
    if (ids.size() != entities.size()) {
      throw connector_error("drawing " + std::to_string(entities.size()) + " " +
                            std::string(model.name) + " ids returned " +
                            std::to_string(ids.size()));
    }
    std::sort(ids.begin(), ids.end());
    if (observed()) notify(draw, parameters.size(), ids.size(), started);
  }
  std::string copy = "COPY " + sql::identifier(sql().table(model)) + " (";
  for (std::size_t p = 0; p < model.properties.size(); ++p) {
    if (p) copy += ", ";
    copy += sql::identifier(sql().column(model.properties[p]));
  }
  copy += ") FROM STDIN";
  const auto copy_started = std::chrono::steady_clock::now();
  std::size_t next_row = 0;
  const std::uint64_t written = pg.copy_in(copy, [&](std::string& out) {
    detail::copy_row_writer writer{out};
    // About 1 MiB per message: few calls, bounded memory.
    while (next_row < entities.size() && out.size() < (1u << 20)) {
      writer.begin_row();
      const void* entity = entities[next_row];
      for (std::size_t p = 0; p < model.properties.size(); ++p) {
        if (generate && p == model.generated_key) {
          writer.put_integer(ids[next_row]);
        } else {
          model.properties[p].write(entity, writer);
        }
      }
      writer.end_row();
      ++next_row;
    }
    return next_row < entities.size();
  });
  if (written != entities.size()) {
    throw connector_error("a COPY of " + std::to_string(entities.size()) + " " +
                          std::string(model.name) + " rows wrote " + std::to_string(written));
  }
  if (generate) {
    for (std::size_t i = 0; i < entities.size(); ++i) {
      relata::detail::set_property_value(model, entities[i], model.generated_key, value{ids[i]});
    }
  } else if (model.generated_key != npos) {
    inserted_explicit_keys(c, model, entities);
  }
  if (observed()) notify(copy, 0, entities.size(), copy_started);
  return true;
}

RELATA_ENGINE_INLINE void datasource::inserted_explicit_keys(sql::connection& c,
                                                             const model_definition& model,
                                                             std::span<void* const> entities) {
  // An id given explicitly does not move an identity's sequence; move it past the largest so
  // that generated ids never collide with them (SQLite's AUTOINCREMENT does the same).
  std::optional<value> largest;
  for (const void* e : entities) {
    value key = relata::detail::property_value(model, e, model.generated_key);
    if (!largest || compare(key, *largest) == std::partial_ordering::greater) largest = key;
  }
  if (!largest) return;
  static const std::string statement =
      "SELECT setval(s.seq, GREATEST(COALESCE(pg_sequence_last_value(s.seq), 0), $1)) FROM "
      "(SELECT pg_get_serial_sequence($2, $3)::regclass AS seq) AS s";
  const std::vector<value> parameters{*largest,
                                      value{sql::identifier(sql().table(model))},
                                      value{sql().column(model.properties[model.generated_key])}};
  struct ignore final : row_sink {
    void on_row(const row&) override {}
  } rows;
  c.run(statement, sql::value_parameters{parameters}, &rows);
}

RELATA_ENGINE_INLINE void datasource::serialize_writes(const model_definition& model) {
  // Keyed by relata's own first key (the bytes "rlta") and the table's qualified name, so
  // that it never meets an application's single-key advisory locks.
  static const std::string statement = "SELECT pg_advisory_xact_lock(1919710305, hashtext($1))";
  const std::vector<value> parameters{value{sql::identifier(sql().table(model))}};
  struct ignore final : row_sink {
    void on_row(const row&) override {}
  } rows;
  lease c{*this};
  c->run(statement, sql::value_parameters{parameters}, &rows);
}

}  // namespace relata::postgres

#endif  // RELATA_DEFINE_ENGINE
