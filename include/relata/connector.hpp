// relata/connector.hpp: the connector interface (a datasource), its capabilities, the queries
// it executes, the query observer and transactions.
//
// Connectors only execute queries. Relation logic (constraints, key inference, batching,
// stitching) lives above this interface, once; a new connector is done when it passes the
// conformance suite in tests/.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/naming.hpp>
#include <relata/errors.hpp>
#include <relata/query.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata {

/// What a connector can do; the relation engine sizes and shapes its queries from this.
struct capabilities {
  /// The largest number of bind parameters one statement may carry (SQLite reads its runtime
  /// limit, which a build or `sqlite3_limit` may lower; PostgreSQL's is 65535).
  std::size_t max_parameters = 32766;
  /// Per-key limits in one query (ROW_NUMBER() OVER (PARTITION BY ...)).
  bool window_functions = true;
  /// A hasManyThrough include reads link and targets in one joined query.
  bool joins = true;
  /// IN lists are bound as one array parameter (PostgreSQL's `= ANY($1)`), so they cost one
  /// bind parameter whatever their length; they are still cut at `max_list_size` elements.
  bool lists_as_arrays = false;
  std::size_t max_list_size = 32766;
  /// The finest time step a timestamp keeps: nanoseconds on SQLite and in memory,
  /// microseconds on PostgreSQL (timestamptz), where finer parts are truncated.
  std::chrono::nanoseconds timestamp_resolution{1};
};

/// How a database names the tables and columns of models that do not name them themselves:
/// one set of models can then serve databases with different conventions (Chinook's SQLite
/// script says [AlbumId], its PostgreSQL script album_id). Unset: the model's own names.
struct naming_policy {
  std::optional<naming> tables{};   ///< applied to the model's name
  std::optional<naming> columns{};  ///< applied to the member names
};

/// How `migrate` treats tables that exist already.
struct migrate_options {
  /// Adds what is missing and safe to add to existing tables: nullable columns (LoopBack's
  /// autoupdate; indexes and, where the database allows, foreign keys are always added).
  /// Without it, an existing table that differs from its model is a SCHEMA_MISMATCH error.
  /// Differences it cannot repair (a missing NOT NULL column, a column of another type) are
  /// refused either way.
  bool autoupdate = false;
};

/// One executed query, as the observer sees it.
struct query_event {
  std::string_view datasource;  ///< "sqlite", "memory", "postgres"
  std::string_view text;        ///< the SQL, or a description of the memory operation
  std::size_t parameters;       ///< values bound
  std::size_t rows;             ///< rows returned or affected (0 when it failed)
  std::chrono::nanoseconds duration;
  /// Why the query failed: the message of the error then thrown to the caller. Empty when it
  /// succeeded.
  std::string_view error{};
  /// The bound values in placeholder order, as text (a blob as "<blob: N bytes>"), for an
  /// observer installed with `observe_options{.values = true}`; empty otherwise.
  std::span<const std::string> values{};

  bool failed() const noexcept { return !error.empty(); }
};

/// Called after every query a datasource runs, whether it succeeded or failed (logging,
/// metrics, tests that count queries).
using query_observer = std::function<void(const query_event&)>;

/// What an observer is given beyond the query's text and figures.
struct observe_options {
  /// The bound values, as text: for logs that show what ran. Off by default: rendering
  /// them costs, and they may be personal data.
  bool values = false;
};

/// Renders values as a query_event shows them, one string per value written into it.
class value_renderer final : public value_sink {
 public:
  ~value_renderer() override;
  void put_null() override;
  void put_integer(std::int64_t v) override;
  void put_real(double v) override;
  void put_boolean(bool v) override;
  void put_text(std::string_view v) override;
  void put_blob(std::span<const std::byte> v) override;
  void put_timestamp(timestamp v) override;
  void put_json(std::string_view text) override;
  void put_array(std::span<const value> elements, value_kind) override;
  bool keeps_nan() const noexcept override { return true; }

  std::vector<std::string> rendered;
};

/// Receives the rows of a select.
class row_sink {
 public:
  virtual ~row_sink();
  virtual void on_row(const row& r) = 0;
};

namespace detail {
/// Reads rows of every property of `model`, in order, into one entity: the row a write
/// returns or reads back. Counts them.
class whole_row_reader final : public row_sink {
 public:
  whole_row_reader(const model_definition& model, void* entity) noexcept
      : model_(model), entity_(entity) {}
  void on_row(const row& r) override {
    for (std::size_t p = 0; p < model_.properties.size(); ++p) {
      model_.properties[p].read(entity_, r, p);
    }
    model_.mark_all(entity_);
    ++rows_;
  }
  std::size_t rows() const noexcept { return rows_; }

 private:
  const model_definition& model_;
  void* entity_;
  std::size_t rows_ = 0;
};
}  // namespace detail

/// A limit/skip applied per distinct value of a key, in one query (batched includes with a
/// per-parent limit): `ROW_NUMBER() OVER (PARTITION BY key ORDER BY order, pk)`.
struct per_key_window {
  /// The key: a property of the selected model, or of the link when the query has `through`.
  std::size_t property;
  bool on_link = false;
  std::optional<std::uint64_t> limit;
  std::uint64_t skip = 0;
};

/// Joins the selected (target) model with a link model, for hasManyThrough: rows are the
/// targets joined with their links, and the link's `link_source_key` comes back as one extra
/// column after the selected ones (one row per distinct (target, source key) pair: a target
/// linked twice to one source comes once).
struct through_join {
  const model_definition* link;
  std::size_t link_target_key;  ///< link property equal to the target's `target_key`
  std::size_t target_key;       ///< target property
  std::size_t link_source_key;  ///< link property returned as the extra column
  ast::node_ptr link_where;     ///< a condition on the link (the chunk of source keys)
};

/// A SELECT of model `model`.
struct select_query {
  const model_definition* model = nullptr;
  ast::node_ptr where;
  /// The full order; repositories end it with the primary key so results are deterministic.
  std::vector<ast::order_term> order;
  std::optional<std::uint64_t> limit;
  std::uint64_t skip = 0;
  /// Properties to read, in row column order.
  std::vector<std::size_t> columns;
  std::optional<per_key_window> window;
  std::optional<through_join> through;
};

/// A select of every property, in order, of the rows of `model` matching `where`.
select_query whole_rows_select(const model_definition& model, ast::node_ptr where);
/// The select of `datasource::select_by_key`: every property of the row of `model` whose
/// primary key is `key`.
select_query key_select(const model_definition& model, std::span<const value> key);

/// SET property = value.
struct assignment {
  std::size_t property;
  value new_value;
};

/// A database: the connector interface. Runtime-pluggable; one instance per database.
///
/// Instances are not meant to be shared between threads unless the connector says so (the
/// PostgreSQL datasource is, through its pool).
class datasource {
 public:
  virtual ~datasource() = default;
  datasource() = default;
  datasource(const datasource&) = delete;
  datasource& operator=(const datasource&) = delete;

  /// "memory", "sqlite", "postgres".
  virtual std::string_view name() const noexcept = 0;
  virtual capabilities caps() const = 0;

  /// Creates missing tables, foreign keys and indexes for these models; idempotent. Compares
  /// each existing table with its model first, and refuses with one SCHEMA_MISMATCH listing
  /// every difference, unless `options.autoupdate` may add what is missing.
  virtual void migrate(std::span<const model_definition* const> models,
                       const migrate_options& options) = 0;
  /// Inserts entities of `model` (pointers to instances of its C++ type). A generated key
  /// whose value is 0 is assigned by the database and written back into the entity.
  virtual void insert(const model_definition& model, std::span<void* const> entities) = 0;
  /// Runs a select; rows arrive in order.
  virtual void select(const select_query& query, row_sink& sink) = 0;
  /// Reads the row of `model` whose primary key is `key` (validated: one non-null value per
  /// key property), every property in order: what find_by_id without a filter runs, often.
  /// By default a select; a connector may keep its statement ready.
  virtual void select_by_key(const model_definition& model,
                             std::span<const value> key,
                             row_sink& sink);
  virtual std::uint64_t count(const model_definition& model, const ast::node_ptr& where) = 0;
  /// UPDATE ... SET ... WHERE; returns the number of rows changed.
  virtual std::uint64_t update(const model_definition& model,
                               std::span<const assignment> assignments,
                               const ast::node_ptr& where) = 0;
  /// DELETE ... WHERE; returns the number of rows deleted.
  virtual std::uint64_t remove(const model_definition& model, const ast::node_ptr& where) = 0;

  /// Inserts `entity` as `insert` does, or, when a stored row of `model` has the entity's
  /// values of `conflict` (the primary key, or a unique key: relata::unique), sets that row's
  /// `update` properties from the entity instead; then reads the stored row back into the
  /// entity, every property. One atomic step: two callers upserting one key make one row.
  /// By default an UPDATE, then an INSERT when nothing matched, in a transaction: atomic for a
  /// connector used from one thread at a time (memory). SQL connectors run one INSERT ... ON
  /// CONFLICT ... DO UPDATE.
  virtual void upsert(const model_definition& model,
                      std::span<const std::size_t> conflict,
                      std::span<const std::size_t> update,
                      void* entity);
  /// Inside a transaction: makes the other transactions that call it for `model` wait until
  /// this one ends, so that a read followed by a write (find_or_create, upsert_with_where)
  /// cannot interleave with another's. By default nothing: right for a connector used from one
  /// thread at a time, and for SQLite, whose transactions take its write lock at BEGIN.
  virtual void serialize_writes(const model_definition& model);

  /// Starts a transaction, or a savepoint inside the current one.
  virtual void begin() = 0;
  /// Commits the innermost transaction (releases its savepoint).
  virtual void commit() = 0;
  /// Rolls back the innermost transaction (to its savepoint).
  virtual void rollback() = 0;
  /// How many transactions are open (on this thread, for pooled connectors).
  virtual std::size_t transaction_depth() const = 0;

  /// Installs (or, with an empty function, removes) the query observer.
  void observe(query_observer observer, observe_options options = {}) {
    observer_ = std::move(observer);
    observe_options_ = options;
  }

 protected:
  bool observed() const noexcept { return static_cast<bool>(observer_); }
  /// Whether the observer asked for the bound values (render them only then).
  bool observed_values() const noexcept { return observer_ && observe_options_.values; }
  /// Tells the observer about a query; `error` is the failure's message, empty on success.
  void notify(std::string_view text,
              std::size_t parameters,
              std::size_t rows,
              std::chrono::steady_clock::time_point started,
              std::string_view error = {},
              std::span<const std::string> values = {}) const {
    if (observer_) {
      observer_(query_event{name(),
                            text,
                            parameters,
                            rows,
                            std::chrono::steady_clock::now() - started,
                            error,
                            values});
    }
  }

 private:
  query_observer observer_;
  observe_options observe_options_;
};

/// A transaction on a datasource, rolled back unless committed. Nested transactions are
/// savepoints; they must end before the one that contains them.
///
///     relata::transaction tx{db};
///     customers.create(...); orders.create(...);
///     tx.commit();
class transaction {
 public:
  explicit transaction(datasource& source);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();

  /// Makes the changes permanent (or part of the enclosing transaction).
  void commit() { end("commit").commit(); }
  /// Discards the changes.
  void rollback() { end("rollback").rollback(); }
  bool active() const noexcept { return source_ != nullptr; }

 private:
  datasource& end(const char* what);

  datasource* source_;
  std::size_t depth_ = 0;
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE row_sink::~row_sink() = default;

RELATA_ENGINE_INLINE value_renderer::~value_renderer() = default;
RELATA_ENGINE_INLINE void value_renderer::put_null() { rendered.push_back(value{}.to_string()); }
RELATA_ENGINE_INLINE void value_renderer::put_integer(std::int64_t v) {
  rendered.push_back(value{v}.to_string());
}
RELATA_ENGINE_INLINE void value_renderer::put_real(double v) {
  rendered.push_back(value{v}.to_string());
}
RELATA_ENGINE_INLINE void value_renderer::put_boolean(bool v) {
  rendered.push_back(value{v}.to_string());
}
RELATA_ENGINE_INLINE void value_renderer::put_text(std::string_view v) {
  rendered.push_back(value{std::string(v)}.to_string());
}
RELATA_ENGINE_INLINE void value_renderer::put_blob(std::span<const std::byte> v) {
  rendered.push_back("<blob: " + std::to_string(v.size()) + " bytes>");
}
RELATA_ENGINE_INLINE void value_renderer::put_timestamp(timestamp v) {
  rendered.push_back(value{v}.to_string());
}
RELATA_ENGINE_INLINE void value_renderer::put_json(std::string_view text) {
  rendered.push_back(std::string(text));
}
RELATA_ENGINE_INLINE void value_renderer::put_array(std::span<const value> elements, value_kind) {
  rendered.push_back(value{value::array_type(elements.begin(), elements.end())}.to_string());
}

RELATA_ENGINE_INLINE transaction::transaction(datasource& source) : source_(&source) {
  source_->begin();
  depth_ = source_->transaction_depth();
}

RELATA_ENGINE_INLINE transaction::~transaction() {
  if (source_ && source_->transaction_depth() == depth_) {
    try {
      source_->rollback();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
    }
  }
}

RELATA_ENGINE_INLINE datasource& transaction::end(const char* what) {
  if (!source_) {
    throw transaction_error(std::string(what) + " on a transaction that already ended");
  }
  const std::size_t depth = source_->transaction_depth();
  if (depth < depth_) {
    // A failed commit of a nested transaction, or an error the database answered by rolling
    // the whole transaction back, ended this one already.
    source_ = nullptr;
    throw transaction_error(std::string(what) +
                            " on a transaction that an error already rolled back");
  }
  if (depth > depth_) {
    throw transaction_error(std::string(what) +
                            " on a transaction while a transaction nested in it is open");
  }
  return *std::exchange(source_, nullptr);
}

RELATA_ENGINE_INLINE select_query whole_rows_select(const model_definition& model,
                                                    ast::node_ptr where) {
  select_query q;
  q.model = &model;
  q.where = std::move(where);
  q.columns.resize(model.properties.size());
  for (std::size_t p = 0; p < q.columns.size(); ++p) q.columns[p] = p;
  return q;
}

RELATA_ENGINE_INLINE select_query key_select(const model_definition& model,
                                             std::span<const value> key) {
  return whole_rows_select(model, ast::primary_key_equals(model, key));
}

RELATA_ENGINE_INLINE void datasource::select_by_key(const model_definition& model,
                                                    std::span<const value> key,
                                                    row_sink& sink) {
  select(key_select(model, key), sink);
}

RELATA_ENGINE_INLINE void datasource::upsert(const model_definition& model,
                                             std::span<const std::size_t> conflict,
                                             std::span<const std::size_t> update,
                                             void* entity) {
  std::vector<value> key;
  for (auto p : conflict) key.push_back(detail::property_value(model, entity, p));
  const auto where = ast::properties_equal(conflict, key);
  std::vector<assignment> changes;
  for (auto p : update) changes.push_back({p, detail::property_value(model, entity, p)});
  transaction tx{*this};
  const bool stored =
      changes.empty() ? count(model, where) > 0 : this->update(model, changes, where) > 0;
  if (stored) {
    detail::whole_row_reader read{model, entity};
    select(whole_rows_select(model, where), read);
  } else {
    void* one[] = {entity};
    insert(model, one);
  }
  tx.commit();
}

RELATA_ENGINE_INLINE void datasource::serialize_writes(const model_definition&) {}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata
