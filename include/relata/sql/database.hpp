// relata/sql/database.hpp: the base every SQL connector shares. It turns the connector
// interface (connector.hpp) into SQL with the generator (sql/generator.hpp) and the connector's
// dialect, and runs it on the connector's connections (sql/connection.hpp): migrate, inserts
// (batched where the database pays per statement), selects, counts, updates and deletes,
// transactions and savepoints, and the query observer. A connector supplies the dialect, its
// connections, and which connection a call uses (its own one for SQLite; a pool, with a
// transaction pinning its connection to the thread, for a server: sql/pool.hpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/schema_check.hpp>
#include <relata/schema.hpp>
#include <relata/sql/connection.hpp>
#include <relata/sql/dialect.hpp>
#include <relata/sql/generator.hpp>
#include <relata/value.hpp>

namespace relata::sql {

/// A SQL database: the shared base of the SQL connectors.
class database : public relata::datasource {
 public:
  /// Runs SQL that returns nothing (DDL, pragmas, SET ...). Never put values in the text: bind
  /// them through relata's queries.
  void execute(const std::string& sql);

  void migrate(std::span<const model_definition* const> models,
               const migrate_options& options) override;
  void insert(const model_definition& model, std::span<void* const> entities) override;
  void select(const select_query& query, row_sink& sink) override;
  /// With its SQL text generated once per model.
  void select_by_key(const model_definition& model,
                     std::span<const value> key,
                     row_sink& sink) override;
  std::uint64_t count(const model_definition& model, const ast::node_ptr& where) override;
  std::uint64_t update(const model_definition& model,
                       std::span<const assignment> assignments,
                       const ast::node_ptr& where) override;
  std::uint64_t remove(const model_definition& model, const ast::node_ptr& where) override;
  /// One INSERT ... ON CONFLICT (conflict) DO UPDATE ... RETURNING.
  void upsert(const model_definition& model,
              std::span<const std::size_t> conflict,
              std::span<const std::size_t> update,
              void* entity) override;

  /// Starts a transaction (the dialect's BEGIN), or a savepoint inside the current one.
  void begin() override;
  /// Commits the innermost transaction, or releases its savepoint. When the database refuses
  /// (a deferred constraint, a busy or failing disk), what it refused is rolled back, the
  /// depth goes down one level as if it had committed, and the error is thrown: the datasource
  /// is never left inside a transaction the caller believes ended. The COMMIT of a transaction
  /// the database aborted at an error, or already rolled back, is a transaction_error.
  ///
  /// When a level's writes cannot be rolled back alone (its ROLLBACK TO fails too), the whole
  /// transaction is rolled back; the enclosing levels stay open, as their `transaction`s are,
  /// and refuse every statement (transaction_error) until they end: run outside a
  /// transaction, each statement would be committed on its own.
  void commit() override;
  /// Rolls back the innermost transaction, or to its savepoint (the same when the database has
  /// rolled back already). The level ends whether or not the database accepts.
  void rollback() override;
  std::size_t transaction_depth() const override;

 protected:
  database(const dialect& sql_dialect, naming_policy names);

  /// The SQL of this database (its dialect and naming policy).
  const generator& sql() const noexcept { return generator_; }

  // Which connection a call uses.
  /// The connection pinned to the calling thread by an open transaction, or null (SQLite:
  /// always its one connection, whose depth may be 0).
  virtual connection* pinned() const = 0;
  /// A connection for one call outside a transaction, given back afterwards.
  virtual connection& take() = 0;
  virtual void give_back(connection& c) = 0;
  /// A connection pinned to the calling thread for a transaction, and its release.
  virtual connection& pin() = 0;
  virtual void unpin() = 0;

  /// How many rows one INSERT statement writes: 1 where a prepared statement per row is as
  /// fast (SQLite), more where each statement costs a round trip (a server).
  virtual std::size_t rows_per_insert(const model_definition&) const { return 1; }
  /// A connector's faster way to insert many rows (PostgreSQL's COPY), which sets the
  /// generated keys as an INSERT would; false when it has none for these rows.
  virtual bool insert_in_bulk(connection&,
                              const model_definition&,
                              std::span<void* const>,
                              bool /*generate*/) {
    return false;
  }
  /// Called after rows with explicit generated-key values are inserted (PostgreSQL moves its
  /// identity's sequence past the largest).
  virtual void inserted_explicit_keys(connection&,
                                      const model_definition&,
                                      std::span<void* const>) {}

  /// The connection of one call: the thread's pinned one inside a transaction, else one taken
  /// and given back.
  class lease {
   public:
    explicit lease(database& owner) : owner_(owner), connection_(owner.pinned()) {
      if (connection_) {
        check_open(*connection_);
      } else {
        connection_ = &owner.take();
        owned_ = true;
      }
    }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease() {
      if (owned_) owner_.give_back(*connection_);
    }
    connection& operator*() const noexcept { return *connection_; }
    connection* operator->() const noexcept { return connection_; }

   private:
    database& owner_;
    connection* connection_;
    bool owned_ = false;
  };

 private:
  /// The columns of the existing table of `m`, from the dialect's catalog query; empty when
  /// there is no such table.
  std::vector<relata::detail::existing_column> existing_columns(const model_definition& m);
  /// Tells the observer about a statement that ran, or failed (`failure` not null): with its
  /// values when the observer asked for them.
  void report(const std::string& sql,
              const parameters& params,
              std::uint64_t rows,
              std::chrono::steady_clock::time_point started,
              const std::exception* failure) const;
  /// Runs a generated statement on a leased connection, reporting it to the observer.
  std::uint64_t run(const statement& st, row_sink* rows);
  /// Inserts entities that all have (or all lack) their generated key, a batch per statement.
  void insert_run(connection& c,
                  const model_definition& model,
                  std::span<void* const> entities,
                  bool generate);
  /// The INSERT of `rows` rows of `model`, generated once.
  const std::string& insert_sql(const model_definition& model, bool generate, std::size_t rows);
  /// After a failed COMMIT, RELEASE or ROLLBACK TO: the level's work rolled back (the whole
  /// transaction when that cannot be done alone), and the level ended.
  void recover_failed_end(connection& c);
  /// Ends the innermost level of the transaction of `c`: the transaction itself at depth 1.
  void end_level(connection& c);
  /// Ends the transaction of `c` (depth 0) and releases its connection.
  void end_transaction(connection& c);
  /// Refuses a statement inside a transaction relata has open but the database has rolled back
  /// (an I/O error, a full disk, a level that could not be rolled back alone).
  static void check_open(const connection& c);

  generator generator_;
  const dialect& dialect_;
  std::mutex texts_mutex_;  // the SQL texts below are shared by the threads of a pool
  std::map<std::tuple<const model_definition*, bool, std::size_t>, std::string> insert_sql_;
  std::map<const model_definition*, std::string> by_key_sql_;
  std::map<
      std::tuple<const model_definition*, bool, std::vector<std::size_t>, std::vector<std::size_t>>,
      std::string>
      upsert_sql_;
};

#if RELATA_DEFINE_ENGINE

namespace detail {
inline std::string savepoint(std::size_t depth) { return "relata_" + std::to_string(depth); }
inline bool generates_key(const model_definition& model, const void* entity) {
  return model.generated_key != npos &&
         relata::detail::property_value(model, entity, model.generated_key) == value{0};
}
}  // namespace detail

RELATA_ENGINE_INLINE database::database(const dialect& sql_dialect, naming_policy names)
    : generator_(sql_dialect, names), dialect_(sql_dialect) {}

RELATA_ENGINE_INLINE void database::report(const std::string& sql,
                                           const parameters& params,
                                           std::uint64_t rows,
                                           std::chrono::steady_clock::time_point started,
                                           const std::exception* failure) const {
  if (!observed()) return;
  value_renderer values;
  if (observed_values()) {
    try {
      params.write(values);
    } catch (...) {  // NOLINT(bugprone-empty-catch): a value that cannot be written is the
                     // statement's error, reported as such; the log shows the values before it
    }
  }
  notify(sql,
         params.count(),
         failure ? 0 : rows,
         started,
         failure ? std::string_view(failure->what()) : std::string_view{},
         values.rendered);
}

RELATA_ENGINE_INLINE std::uint64_t database::run(const statement& st, row_sink* rows) {
  const auto started =
      observed() ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  const value_parameters params{st.parameters};
  lease c{*this};
  std::uint64_t n = 0;
  try {
    n = c->run(st.text, params, rows);
  } catch (const std::exception& failure) {
    report(st.text, params, 0, started, &failure);
    throw;
  }
  report(st.text, params, n, started, nullptr);
  return n;
}

RELATA_ENGINE_INLINE void database::execute(const std::string& sql) {
  const auto started = std::chrono::steady_clock::now();
  const value_parameters none{{}};
  lease c{*this};
  try {
    c->execute(sql);
  } catch (const std::exception& failure) {
    report(sql, none, 0, started, &failure);
    throw;
  }
  report(sql, none, 0, started, nullptr);
}

RELATA_ENGINE_INLINE void database::migrate(std::span<const model_definition* const> models,
                                            const migrate_options& options) {
  relata::transaction tx{*this};
  std::vector<relata::detail::column_difference> differences;
  for (const model_definition* m : models) {
    const auto found = existing_columns(*m);
    if (found.empty()) continue;  // created below
    std::vector<std::string> columns;
    for (const auto& p : m->properties) columns.push_back(generator_.column(p));
    relata::detail::compare_table(generator_.table(*m), *m, columns, found, dialect_, differences);
  }
  relata::detail::refuse_differences(differences, options.autoupdate);
  for (const auto& d : differences) execute(generator_.add_column(*d.model, d.property));
  for (const auto& statement : generator_.create_tables(models)) execute(statement);
  tx.commit();
}

RELATA_ENGINE_INLINE std::vector<relata::detail::existing_column> database::existing_columns(
    const model_definition& m) {
  struct column_reader final : row_sink {
    std::vector<relata::detail::existing_column> columns;
    void on_row(const row& r) override {
      columns.push_back({std::string(r.get_text(0)), std::string(r.get_text(1)), r.get_boolean(2)});
    }
  } reader;
  const value table{generator_.table(m)};
  run(statement{std::string(dialect_.columns_query()), {table}}, &reader);
  return std::move(reader.columns);
}

RELATA_ENGINE_INLINE void database::insert(const model_definition& model,
                                           std::span<void* const> entities) {
  lease c{*this};
  std::size_t first = 0;
  while (first < entities.size()) {
    const bool generate = detail::generates_key(model, entities[first]);
    std::size_t last = first + 1;
    while (last < entities.size() && detail::generates_key(model, entities[last]) == generate) {
      ++last;
    }
    insert_run(*c, model, entities.subspan(first, last - first), generate);
    first = last;
  }
}

RELATA_ENGINE_INLINE void database::insert_run(connection& c,
                                               const model_definition& model,
                                               std::span<void* const> entities,
                                               bool generate) {
  // The key comes back with the INSERT (RETURNING) where the dialect says so, else from the
  // connection, which knows only the last row's: one row per statement then.
  if (insert_in_bulk(c, model, entities, generate)) return;
  const bool returned = dialect_.insert_returns_key();
  const std::size_t batch = returned || !generate ? rows_per_insert(model) : 1;
  struct key_reader final : row_sink {
    std::vector<std::int64_t> keys;
    void on_row(const row& r) override { keys.push_back(r.get_integer(0)); }
  } keys;
  for (std::size_t first = 0; first < entities.size(); first += batch) {
    const auto rows = entities.subspan(first, std::min(batch, entities.size() - first));
    const auto started = std::chrono::steady_clock::now();
    const std::string& sql = insert_sql(model, generate, rows.size());
    const entity_parameters params{model, rows, generate};
    keys.keys.clear();
    try {
      c.run(sql, params, generate && returned ? &keys : nullptr);
    } catch (const std::exception& failure) {
      report(sql, params, 0, started, &failure);
      throw;
    }
    if (generate) {
      if (!returned) keys.keys.push_back(c.last_generated_key());
      if (keys.keys.size() != rows.size()) {
        throw connector_error("an INSERT of " + std::to_string(rows.size()) + " " +
                              std::string(model.name) + " rows returned " +
                              std::to_string(keys.keys.size()) + " generated keys");
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        relata::detail::set_property_value(
            model, rows[i], model.generated_key, value{keys.keys[i]});
      }
    } else if (model.generated_key != npos) {
      inserted_explicit_keys(c, model, rows);
    }
    report(sql, params, rows.size(), started, nullptr);
  }
}

RELATA_ENGINE_INLINE void database::upsert(const model_definition& model,
                                           std::span<const std::size_t> conflict,
                                           std::span<const std::size_t> update,
                                           void* entity) {
  const bool generate = detail::generates_key(model, entity);
  const std::string* text = nullptr;
  {
    std::lock_guard lock{texts_mutex_};
    std::string& cached = upsert_sql_[{&model,
                                       generate,
                                       std::vector<std::size_t>(conflict.begin(), conflict.end()),
                                       std::vector<std::size_t>(update.begin(), update.end())}];
    if (cached.empty()) cached = generator_.upsert(model, !generate, conflict, update);
    text = &cached;  // a std::map's elements stay where they are
  }
  const std::string& sql = *text;
  relata::detail::whole_row_reader read{model, entity};
  void* const one[] = {entity};
  const entity_parameters params{model, one, generate};
  lease c{*this};
  const auto started = std::chrono::steady_clock::now();
  try {
    c->run(sql, params, &read);
  } catch (const std::exception& failure) {
    report(sql, params, 0, started, &failure);
    throw;
  }
  report(sql, params, read.rows(), started, nullptr);
  if (read.rows() != 1) {
    throw connector_error("an upsert of a " + std::string(model.name) + " returned " +
                          std::to_string(read.rows()) + " rows");
  }
  if (!generate && model.generated_key != npos) inserted_explicit_keys(*c, model, one);
}

RELATA_ENGINE_INLINE const std::string& database::insert_sql(const model_definition& model,
                                                             bool generate,
                                                             std::size_t rows) {
  std::lock_guard lock{texts_mutex_};
  std::string& sql = insert_sql_[{&model, generate, rows}];
  if (sql.empty()) sql = generator_.insert(model, !generate, rows);
  return sql;  // a std::map's elements stay where they are
}

RELATA_ENGINE_INLINE void database::select(const select_query& query, row_sink& sink) {
  run(generator_.select(query), &sink);
}

RELATA_ENGINE_INLINE void database::select_by_key(const model_definition& model,
                                                  std::span<const value> key,
                                                  row_sink& sink) {
  const std::string* sql = nullptr;
  {
    std::lock_guard lock{texts_mutex_};
    std::string& text = by_key_sql_[&model];
    if (text.empty()) text = generator_.select(key_select(model, key)).text;
    sql = &text;
  }
  const auto started =
      observed() ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  const value_parameters params{key};
  lease c{*this};
  std::uint64_t n = 0;
  try {
    n = c->run(*sql, params, &sink);
  } catch (const std::exception& failure) {
    report(*sql, params, 0, started, &failure);
    throw;
  }
  report(*sql, params, n, started, nullptr);
}

RELATA_ENGINE_INLINE std::uint64_t database::count(const model_definition& model,
                                                   const ast::node_ptr& where) {
  struct count_reader final : row_sink {
    std::uint64_t n = 0;
    void on_row(const row& r) override { n = static_cast<std::uint64_t>(r.get_integer(0)); }
  } counted;
  run(generator_.count(model, where), &counted);
  return counted.n;
}

RELATA_ENGINE_INLINE std::uint64_t database::update(const model_definition& model,
                                                    std::span<const assignment> assignments,
                                                    const ast::node_ptr& where) {
  return run(generator_.update(model, assignments, where), nullptr);
}

RELATA_ENGINE_INLINE std::uint64_t database::remove(const model_definition& model,
                                                    const ast::node_ptr& where) {
  return run(generator_.remove(model, where), nullptr);
}

RELATA_ENGINE_INLINE void database::begin() {
  connection* c = pinned();
  const bool top = !c || c->depth == 0;
  if (top) c = &pin();
  const auto started = std::chrono::steady_clock::now();
  if (!top) check_open(*c);  // a SAVEPOINT outside a transaction would begin one
  const std::string sql = top ? std::string(dialect_.begin_transaction())
                              : "SAVEPOINT " + detail::savepoint(c->depth + 1);
  try {
    c->execute(sql);
  } catch (const std::exception& failure) {
    if (top) unpin();
    notify(sql, 0, 0, started, failure.what());
    throw;
  }
  ++c->depth;
  notify(sql, 0, 0, started);
}

RELATA_ENGINE_INLINE void database::commit() {
  connection* c = pinned();
  if (!c || c->depth == 0) throw transaction_error("commit without a transaction");
  if (c->usable() && !c->in_transaction()) {
    end_level(*c);
    throw transaction_error(
        "commit of a transaction the database has already rolled back after an error");
  }
  if (c->depth == 1 && c->transaction_aborted()) {
    recover_failed_end(*c);
    throw transaction_error(
        "the transaction was rolled back, not committed: a statement in it failed, and the "
        "database aborts a transaction at its first error");
  }
  const auto started = std::chrono::steady_clock::now();
  const std::string sql =
      c->depth == 1 ? std::string("COMMIT") : "RELEASE SAVEPOINT " + detail::savepoint(c->depth);
  try {
    c->execute(sql);
  } catch (const std::exception& failure) {
    recover_failed_end(*c);  // refused (a deferred constraint, SQLITE_BUSY, I/O): rolled back
    notify(sql, 0, 0, started, failure.what());
    throw;
  }
  end_level(*c);
  notify(sql, 0, 0, started);
}

RELATA_ENGINE_INLINE void database::rollback() {
  connection* c = pinned();
  if (!c || c->depth == 0) throw transaction_error("rollback without a transaction");
  const auto started = std::chrono::steady_clock::now();
  const std::string sql = c->depth == 1 ? std::string("ROLLBACK")
                                        : "ROLLBACK TO SAVEPOINT " + detail::savepoint(c->depth) +
                                              "; RELEASE SAVEPOINT " + detail::savepoint(c->depth);
  try {
    // The database may have rolled the whole transaction back already (some errors do, and a
    // lost connection ends it): that is still a rollback.
    if (c->usable() && c->in_transaction()) c->execute(sql);
  } catch (const std::exception& failure) {
    recover_failed_end(*c);
    notify(sql, 0, 0, started, failure.what());
    throw;
  }
  end_level(*c);
  notify(sql, 0, 0, started);
}

RELATA_ENGINE_INLINE void database::recover_failed_end(connection& c) {
  // A failed COMMIT may leave the transaction open (SQLite keeps it on SQLITE_BUSY or a
  // deferred foreign-key violation); a failed RELEASE or ROLLBACK TO leaves the savepoint. Roll
  // back what was refused, the whole transaction when the savepoint cannot be: none of the
  // level's writes may be committed later by an enclosing level. The level ends either way.
  bool rolled_back = false;
  if (c.usable() && c.in_transaction() && c.depth > 1) {
    try {
      c.execute("ROLLBACK TO SAVEPOINT " + detail::savepoint(c.depth) + "; RELEASE SAVEPOINT " +
                detail::savepoint(c.depth));
      rolled_back = !c.transaction_aborted();
    } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
    }
  }
  if (!rolled_back && c.usable() && c.in_transaction()) {
    try {
      c.execute("ROLLBACK");
    } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
    }
  }
  end_level(c);
}

RELATA_ENGINE_INLINE void database::end_level(connection& c) {
  if (c.depth <= 1) {
    end_transaction(c);
  } else {
    --c.depth;
  }
}

RELATA_ENGINE_INLINE void database::check_open(const connection& c) {
  if (c.depth > 0 && c.usable() && !c.in_transaction()) {
    throw transaction_error(
        "the transaction was rolled back after an error (the database ends it on I/O errors, a "
        "full disk or a refused commit); roll back the transactions still open");
  }
}

RELATA_ENGINE_INLINE void database::end_transaction(connection& c) {
  c.depth = 0;
  unpin();
}

RELATA_ENGINE_INLINE std::size_t database::transaction_depth() const {
  const connection* c = pinned();
  return c ? c->depth : 0;
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::sql
