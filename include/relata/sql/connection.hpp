// relata/sql/connection.hpp: one connection of a SQL database, as the shared SQL-connector base
// (sql/database.hpp) drives it. A SQL connector implements it over its client library: run a
// statement with its parameters, hand back the rows, say whether a transaction is open. The
// statement cache every connection keeps is here too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>

#include <relata/connector.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::sql {

/// A statement's parameters, written in placeholder order into a connector's binder.
class parameters {
 public:
  virtual void write(value_sink& out) const = 0;
  /// How many there are.
  virtual std::size_t count() const = 0;

 protected:
  ~parameters() = default;
};

/// Parameters held as values (the parameters of a generated statement).
class value_parameters final : public parameters {
 public:
  explicit value_parameters(std::span<const value> values) noexcept : values_(values) {}
  void write(value_sink& out) const override {
    for (const auto& v : values_) out.put(v);
  }
  std::size_t count() const override { return values_.size(); }

 private:
  std::span<const value> values_;
};

/// The properties of entities of one model, entity after entity, each in property order and
/// without the generated key when `without_generated_key`: an INSERT's parameters, written
/// straight from the entities.
class entity_parameters final : public parameters {
 public:
  entity_parameters(const model_definition& model,
                    std::span<void* const> entities,
                    bool without_generated_key) noexcept
      : model_(model), entities_(entities), without_generated_key_(without_generated_key) {}
  void write(value_sink& out) const override {
    for (const void* entity : entities_) {
      for (std::size_t p = 0; p < model_.properties.size(); ++p) {
        if (without_generated_key_ && p == model_.generated_key) continue;
        model_.properties[p].write(entity, out);
      }
    }
  }
  std::size_t count() const override {
    const std::size_t per_entity =
        model_.properties.size() - (without_generated_key_ && model_.generated_key != npos ? 1 : 0);
    return per_entity * entities_.size();
  }

 private:
  const model_definition& model_;
  std::span<void* const> entities_;
  bool without_generated_key_;
};

/// One connection to a SQL database.
class connection {
 public:
  virtual ~connection() = default;

  /// Runs SQL without parameters and without rows (DDL, transaction control). Throws the
  /// connector's typed errors, as every function here.
  virtual void execute(const std::string& sql) = 0;

  /// Runs `sql` with `params` (prepared once on this connection and kept in its statement
  /// cache), handing the result rows to `rows` when it is not null. Returns the rows read when
  /// `rows` is given, else the rows changed.
  virtual std::uint64_t run(const std::string& sql, const parameters& params, row_sink* rows) = 0;

  /// The key the database generated for the last row this connection inserted, for databases
  /// whose INSERT does not return it (SQLite's rowid); unused by the others.
  virtual std::int64_t last_generated_key() const { return 0; }

  /// Whether the database has a transaction open on this connection: after an error it may
  /// have rolled one back, or kept one open, whatever relata asked.
  virtual bool in_transaction() const = 0;

  /// Whether the database has aborted the open transaction at an error: it refuses every
  /// statement until a rollback, and would answer COMMIT by rolling back (PostgreSQL does;
  /// SQLite never aborts a transaction it keeps).
  virtual bool transaction_aborted() const { return false; }

  /// Whether it can still be used (a lost server connection cannot).
  virtual bool usable() const { return true; }

  /// Transactions (and savepoints) relata has open on this connection.
  std::size_t depth = 0;
};

/// The prepared statements of one connection, by SQL text: at most `capacity`, all released at
/// once when a new one would pass it (statements are few and reused; a cache that overflows
/// holds text built from unusual filters). `Handle` is what the client library prepares.
template <class Handle>
class statement_cache {
 public:
  explicit statement_cache(std::size_t capacity) noexcept : capacity_(capacity) {}

  /// The statement prepared for `key`, or null.
  Handle* find(const std::string& key) {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }
  /// Keeps `handle` for `key`; when the cache is full, first releases every statement for which
  /// `release(handle)` agrees (it returns false for one it cannot release yet).
  template <class Release>
  Handle& add(std::string key, Handle handle, Release&& release) {
    if (entries_.size() >= capacity_) {
      for (auto it = entries_.begin(); it != entries_.end();) {
        it = release(it->second) ? entries_.erase(it) : std::next(it);
      }
    }
    return entries_.insert_or_assign(std::move(key), std::move(handle)).first->second;
  }
  /// Every statement, for a connection that closes.
  template <class F>
  void for_each(F&& f) {
    for (auto& [key, handle] : entries_) f(handle);
  }
  void clear() noexcept { entries_.clear(); }
  std::size_t size() const noexcept { return entries_.size(); }
  bool full() const noexcept { return entries_.size() >= capacity_; }

 private:
  std::size_t capacity_;
  std::unordered_map<std::string, Handle> entries_;
};

}  // namespace relata::sql
