// relata/memory.hpp: the in-memory connector. It evaluates every query itself, with SQL's
// semantics (three-valued logic, NULLs first in ascending order, bytewise text, LIKE as
// detail/like.hpp defines it), and enforces the constraints `migrate` would create on a database
// (primary keys, foreign keys, unique hasOne keys), so that it answers as SQLite does.
//
// Transactions copy the tables they protect: fine for tests and small data sets, which is
// what this connector is for. Use one datasource from one thread at a time.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/like.hpp>
#include <relata/detail/schema_check.hpp>
#include <relata/errors.hpp>
#include <relata/query.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::memory {

namespace detail {

/// SQL's three truth values.
enum class truth : std::uint8_t { no, unknown, yes };

using row_values = std::vector<value>;

struct table {
  const model_definition* model = nullptr;
  std::vector<row_values> rows;
  /// primary key (one value, or an array of values for a composite key) -> row
  std::unordered_map<value, std::size_t> primary;
  std::int64_t last_id = 0;
};

using tables = std::unordered_map<std::string, table>;

}  // namespace detail

/// An in-memory database.
class datasource final : public relata::datasource {
 public:
  datasource() = default;

  std::string_view name() const noexcept override { return "memory"; }

  capabilities caps() const override;

  /// Lowers the parameter budget the relation engine plans with (tests of chunking).
  void set_max_parameters(std::size_t n);

  void migrate(std::span<const model_definition* const> models,
               const migrate_options& options) override;

  void insert(const model_definition& model, std::span<void* const> entities) override;

  void select(const select_query& q, row_sink& sink) override;

  std::uint64_t count(const model_definition& model, const ast::node_ptr& where) override;

  std::uint64_t update(const model_definition& model,
                       std::span<const assignment> assignments,
                       const ast::node_ptr& where) override;

  std::uint64_t remove(const model_definition& model, const ast::node_ptr& where) override;

  void begin() override;
  void commit() override;
  void rollback() override;
  std::size_t transaction_depth() const override;

 private:
  /// The table of `m`, created when missing. Only called at the start of an operation: a
  /// new table may move the others.
  detail::table& table_of(const model_definition& m);
  /// The rows of `m`'s table, without creating it (safe while holding other tables).
  const std::vector<detail::row_values>& rows_of(const model_definition& m) const;
  /// The table of `m` if it exists.
  const detail::table* find_table(const model_definition& m) const;
  /// Refuses to use table `t`, laid out for another model, with `m` unless their columns are
  /// the same: what a database says of a column missing from its table.
  static void check_layout(const detail::table& t, const model_definition& m);
  /// A row's primary key: its one value, or an array of its values.
  static value primary_key_of(const model_definition& m, const detail::row_values& row);
  static void reindex(const model_definition& m, detail::table& t);
  /// Whether `cell` is among the operands of an inq/nin (a hash set for long lists).
  detail::truth in_list(const ast::comparison& c, const value& cell);

  static std::size_t parameters(const select_query& q);

  // --- ordering ------------------------------------------------------------------------------

  static bool ordered_before(std::span<const ast::order_term> order,
                             const detail::row_values& a,
                             const detail::row_values& b);

  // --- conditions ----------------------------------------------------------------------------

  detail::truth test(const ast::node_ptr& n,
                     const model_definition& m,
                     const detail::row_values& r);

  static detail::truth compare_with(const value& cell, const value& operand, ast::op o);

  detail::truth evaluate(const ast::comparison& c,
                         const model_definition&,
                         const detail::row_values& r);

  static detail::truth conjunction(detail::truth a, detail::truth b);

  detail::truth evaluate(const ast::junction& j,
                         const model_definition& m,
                         const detail::row_values& r);

  /// The keys of `e.model` rows matched to the outer row `outer`: its key, the elements of its
  /// array, or the target keys of its link rows.
  std::vector<value> matched_keys(const ast::exists& e, const detail::row_values& outer);

  detail::truth evaluate(const ast::exists& e,
                         const model_definition&,
                         const detail::row_values& r);

  detail::truth evaluate(const ast::membership& mem,
                         const model_definition&,
                         const detail::row_values& r);

  // --- constraints ---------------------------------------------------------------------------

  [[noreturn]] static void violation(const std::string& what);

  static bool same(const value& a, const value& b);

  /// Checks a new or changed row: not-null, primary key and unique keys, foreign keys.
  void check_row(const model_definition& m,
                 const detail::row_values& row,
                 const detail::row_values* replacing);

  /// Deletes rows of `model` (by position), with what the foreign keys' delete rules do to the
  /// rows referring to them; refuses it all when a restrict rule is broken.
  RELATA_ENGINE_INLINE void delete_rows(const model_definition& model,
                                        const std::vector<std::size_t>& rows);

  /// Refuses a row whose value of `check.property` is not null and not one it allows.
  static void check_allowed(const relata::detail::allowed_values& check,
                            const detail::row_values& row);

  /// Refuses to re-key a row that other rows still reference.
  void check_not_referenced(const model_definition& m,
                            const detail::row_values& row,
                            const detail::row_values* changed);

  detail::tables tables_;
  std::vector<detail::tables> snapshots_;
  std::vector<const model_definition*> migrated_;
  relata::detail::schema_constraints constraints_;
  std::size_t max_parameters_ = 32766;
  std::unordered_map<const ast::comparison*, std::optional<std::unordered_set<value>>> in_sets_;
};

#if RELATA_DEFINE_ENGINE

namespace detail {

inline truth from_bool(bool b) noexcept { return b ? truth::yes : truth::no; }

}  // namespace detail

RELATA_ENGINE_INLINE capabilities datasource::caps() const {
  capabilities c;
  c.max_parameters = max_parameters_;
  c.window_functions = true;
  c.joins = true;
  return c;
}

RELATA_ENGINE_INLINE void datasource::set_max_parameters(std::size_t n) { max_parameters_ = n; }

RELATA_ENGINE_INLINE void datasource::migrate(std::span<const model_definition* const> models,
                                              const migrate_options& options) {
  const auto started = std::chrono::steady_clock::now();
  // An existing table laid out for another model is compared with this one as a database
  // compares its catalog; autoupdate lays its rows out again, the added columns NULL.
  struct judge final : relata::detail::column_judge {
    std::string expected_type(const property_definition& p) const override {
      return p.kind == value_kind::array ? "array of " + std::string(to_string(p.element_kind))
                                         : std::string(to_string(p.kind));
    }
    bool compatible(const property_definition& p, std::string_view found) const override {
      return expected_type(p) == found;
    }
  } memory_types;
  std::vector<relata::detail::column_difference> differences;
  std::vector<std::pair<detail::table*, const model_definition*>> relaid;
  for (const auto* m : models) {
    auto it = tables_.find(m->table);
    if (it == tables_.end() || !it->second.model || it->second.model == m) continue;
    const model_definition& old = *it->second.model;
    std::vector<relata::detail::existing_column> found;
    for (const auto& p : old.properties) {
      found.push_back({p.column, memory_types.expected_type(p), p.nullable});
    }
    std::vector<std::string> columns;
    for (const auto& p : m->properties) columns.push_back(p.column);
    relata::detail::compare_table(m->table, *m, columns, found, memory_types, differences);
    relaid.emplace_back(&it->second, m);
  }
  relata::detail::refuse_differences(differences, options.autoupdate);
  for (auto [t, m] : relaid) {
    const model_definition& old = *t->model;
    std::vector<std::size_t> source(m->properties.size(), npos);
    for (std::size_t p = 0; p < source.size(); ++p) {
      for (std::size_t q = 0; q < old.properties.size(); ++q) {
        if (old.properties[q].column == m->properties[p].column) source[p] = q;
      }
    }
    for (auto& row : t->rows) {
      detail::row_values laid(source.size());
      for (std::size_t p = 0; p < source.size(); ++p) {
        if (source[p] != npos) laid[p] = std::move(row[source[p]]);
      }
      row = std::move(laid);
    }
    t->model = m;
    reindex(*m, *t);
  }
  // As on SQL: the constraints among the models of this call; a table that already existed
  // keeps its foreign keys (CREATE TABLE IF NOT EXISTS), indexes are added to any table.
  const auto added = relata::detail::derive_constraints(models);
  for (const auto& fk : added.foreign_keys) {
    const bool existed = std::find(migrated_.begin(), migrated_.end(), fk.model) != migrated_.end();
    if (!existed &&
        std::find(constraints_.foreign_keys.begin(), constraints_.foreign_keys.end(), fk) ==
            constraints_.foreign_keys.end()) {
      constraints_.foreign_keys.push_back(fk);
    }
  }
  for (const auto& check : added.checks) {
    if (const auto* t = find_table(*check.model)) {
      for (const auto& row : t->rows) check_allowed(check, row);
    }
    auto same = [&](const auto& c) {
      return c.model->table == check.model->table && c.property == check.property;
    };
    if (std::find_if(constraints_.checks.begin(), constraints_.checks.end(), same) ==
        constraints_.checks.end()) {
      constraints_.checks.push_back(check);
    }
  }
  for (const auto& index : added.indexes) {
    auto same = [&](const auto& i) {
      return i.model == index.model && i.properties == index.properties;
    };
    // A unique index on rows that repeat a key is refused, as CREATE UNIQUE INDEX is.
    if (const auto* t = index.unique ? find_table(*index.model) : nullptr) {
      std::unordered_set<value> keys;
      for (const auto& row : t->rows) {
        value::array_type key;
        for (auto p : index.properties) key.push_back(row[p]);
        if (std::any_of(key.begin(), key.end(), [](const value& v) { return v.is_null(); }))
          continue;
        if (!keys.insert(value{std::move(key)}).second) {
          std::string columns;
          for (auto p : index.properties)
            columns += (columns.empty() ? "" : ", ") + index.model->properties[p].column;
          violation("UNIQUE constraint failed: " + index.model->table + " has rows with the same " +
                    columns);
        }
      }
    }
    auto it = std::find_if(constraints_.indexes.begin(), constraints_.indexes.end(), same);
    if (it == constraints_.indexes.end()) {
      constraints_.indexes.push_back(index);
    } else {
      it->unique = it->unique || index.unique;
    }
  }
  for (const auto* m : models) {
    table_of(*m);
    if (std::find(migrated_.begin(), migrated_.end(), m) == migrated_.end()) {
      migrated_.push_back(m);
    }
  }
  notify("migrate", 0, 0, started);
}

RELATA_ENGINE_INLINE void datasource::insert(const model_definition& model,
                                             std::span<void* const> entities) {
  for (void* entity : entities) {
    const auto started = std::chrono::steady_clock::now();
    auto& t = table_of(model);
    detail::row_values row(model.properties.size());
    for (std::size_t p = 0; p < row.size(); ++p) {
      row[p] = relata::detail::property_value(model, entity, p);
    }
    bool generated = false;
    std::int64_t last_id = t.last_id;
    if (model.generated_key != npos) {
      value& key = row[model.generated_key];
      if (key == value{0}) {
        key = value{++last_id};
        generated = true;
      } else if (key.kind() == value_kind::integer) {
        last_id = std::max(last_id, key.as_integer());
      }
    }
    value_renderer values;
    if (observed_values()) {
      for (const auto& v : row) values.put(v);
    }
    const std::string text = "INSERT INTO " + model.table;
    try {
      check_row(model, row, nullptr);
    } catch (const std::exception& failure) {
      notify(text, model.properties.size(), 0, started, failure.what(), values.rendered);
      throw;
    }
    t.last_id = last_id;  // a refused row does not use up an id, as in SQLite
    if (!model.primary_key.empty()) t.primary.emplace(primary_key_of(model, row), t.rows.size());
    t.rows.push_back(std::move(row));
    if (generated) {
      relata::detail::set_property_value(
          model, entity, model.generated_key, t.rows.back()[model.generated_key]);
    }
    notify(text, model.properties.size(), 1, started, {}, values.rendered);
  }
}

RELATA_ENGINE_INLINE void datasource::select(const select_query& q, row_sink& sink) {
  const auto started = std::chrono::steady_clock::now();
  in_sets_.clear();  // hash sets of inq lists, keyed by node: only valid per query
  const model_definition& m = *q.model;
  auto& t = table_of(m);
  struct candidate {
    const detail::row_values* row;
    value link_key;
  };
  std::vector<candidate> matched;
  if (q.through) {
    const auto& j = *q.through;
    const auto& link_rows = rows_of(*j.link);
    std::unordered_multimap<value, const detail::row_values*> targets;
    for (const auto& r : t.rows) {
      if (test(q.where, m, r) == detail::truth::yes) targets.emplace(r[j.target_key], &r);
    }
    std::unordered_map<value, std::unordered_set<value>> pairs;  // target key -> source keys
    for (const auto& l : link_rows) {
      if (test(j.link_where, *j.link, l) != detail::truth::yes) continue;
      if (l[j.link_target_key].is_null()) continue;
      // a (target, source) pair linked twice is one row
      if (!pairs[l[j.link_target_key]].insert(l[j.link_source_key]).second) continue;
      auto [first, last] = targets.equal_range(l[j.link_target_key]);
      for (auto it = first; it != last; ++it) {
        matched.push_back({it->second, l[j.link_source_key]});
      }
    }
  } else {
    for (const auto& r : t.rows) {
      if (test(q.where, m, r) == detail::truth::yes) matched.push_back({&r, value{}});
    }
  }
  std::stable_sort(matched.begin(), matched.end(), [&](const candidate& a, const candidate& b) {
    return ordered_before(q.order, *a.row, *b.row);
  });

  std::vector<const candidate*> out;
  if (q.window) {
    const auto& w = *q.window;
    auto key_of = [&](const candidate& c) -> const value& {
      return w.on_link ? c.link_key : (*c.row)[w.property];
    };
    std::unordered_map<value, std::uint64_t> seen;
    std::vector<std::pair<const candidate*, std::uint64_t>> kept;
    for (const auto& c : matched) {
      const std::uint64_t n = ++seen[key_of(c)];
      if (n > w.skip && (!w.limit || n <= w.skip + *w.limit)) kept.emplace_back(&c, n);
    }
    std::stable_sort(kept.begin(), kept.end(), [&](const auto& a, const auto& b) {
      const auto order = compare(key_of(*a.first), key_of(*b.first));
      if (order == std::partial_ordering::less) return true;
      if (order == std::partial_ordering::greater) return false;
      if (key_of(*a.first).is_null() != key_of(*b.first).is_null()) {
        return key_of(*a.first).is_null();
      }
      return a.second < b.second;
    });
    for (const auto& k : kept) out.push_back(k.first);
  } else {
    const std::size_t begin = std::min<std::size_t>(q.skip, matched.size());
    std::size_t end = matched.size();
    if (q.limit) end = std::min<std::size_t>(end, begin + *q.limit);
    for (std::size_t i = begin; i < end; ++i) out.push_back(&matched[i]);
  }

  std::vector<value> cells(q.columns.size() + (q.through ? 1 : 0));
  for (const candidate* c : out) {
    for (std::size_t i = 0; i < q.columns.size(); ++i) cells[i] = (*c->row)[q.columns[i]];
    if (q.through) cells.back() = c->link_key;
    sink.on_row(value_row{cells});
  }
  notify("SELECT FROM " + m.table, parameters(q), out.size(), started);
}

RELATA_ENGINE_INLINE std::uint64_t datasource::count(const model_definition& model,
                                                     const ast::node_ptr& where) {
  const auto started = std::chrono::steady_clock::now();
  in_sets_.clear();  // hash sets of inq lists, keyed by node: only valid per query
  std::uint64_t n = 0;
  for (const auto& r : rows_of(model)) n += test(where, model, r) == detail::truth::yes;
  notify("SELECT COUNT FROM " + model.table, ast::parameter_count(where), 1, started);
  return n;
}

RELATA_ENGINE_INLINE std::uint64_t datasource::update(const model_definition& model,
                                                      std::span<const assignment> assignments,
                                                      const ast::node_ptr& where) {
  const auto started = std::chrono::steady_clock::now();
  in_sets_.clear();  // hash sets of inq lists, keyed by node: only valid per query
  auto& t = table_of(model);
  std::vector<std::size_t> hits;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (test(where, model, t.rows[i]) == detail::truth::yes) hits.push_back(i);
  }
  // All or nothing: check every changed row before changing any.
  std::vector<detail::row_values> changed;
  changed.reserve(hits.size());
  for (auto i : hits) {
    auto row = t.rows[i];
    for (const auto& a : assignments) row[a.property] = a.new_value;
    changed.push_back(std::move(row));
  }
  try {
    for (std::size_t k = 0; k < hits.size(); ++k) {
      check_row(model, changed[k], &t.rows[hits[k]]);
      check_not_referenced(model, t.rows[hits[k]], &changed[k]);
    }
  } catch (const std::exception& failure) {
    notify("UPDATE " + model.table,
           assignments.size() + ast::parameter_count(where),
           0,
           started,
           failure.what());
    throw;
  }
  for (std::size_t k = 0; k < hits.size(); ++k) t.rows[hits[k]] = std::move(changed[k]);
  for (const auto& a : assignments) {
    if (model.properties[a.property].is_id) {
      reindex(model, t);
      break;
    }
  }
  notify("UPDATE " + model.table,
         assignments.size() + ast::parameter_count(where),
         hits.size(),
         started);
  return hits.size();
}

RELATA_ENGINE_INLINE std::uint64_t datasource::remove(const model_definition& model,
                                                      const ast::node_ptr& where) {
  const auto started = std::chrono::steady_clock::now();
  in_sets_.clear();  // hash sets of inq lists, keyed by node: only valid per query
  auto& t = table_of(model);
  std::vector<std::size_t> hits;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (test(where, model, t.rows[i]) == detail::truth::yes) hits.push_back(i);
  }
  try {
    if (!hits.empty()) delete_rows(model, hits);
  } catch (const std::exception& failure) {
    notify("DELETE FROM " + model.table, ast::parameter_count(where), 0, started, failure.what());
    throw;
  }
  notify("DELETE FROM " + model.table, ast::parameter_count(where), hits.size(), started);
  return hits.size();
}

RELATA_ENGINE_INLINE void datasource::delete_rows(const model_definition& model,
                                                  const std::vector<std::size_t>& rows) {
  // As a database does it: the rows, and those the foreign keys' ON DELETE CASCADE reach; then
  // a row outside the deletion still referring to one of them refuses it all (restrict), or
  // has its key set to null. Planned first, applied only when every rule holds.
  std::unordered_map<const model_definition*, std::vector<bool>> gone;
  auto mark = [&](const model_definition& m, std::size_t row) {
    auto& flags = gone[&m];
    flags.resize(rows_of(m).size(), false);
    if (flags[row]) return false;
    flags[row] = true;
    return true;
  };
  // The keys referred to by `fk` among the gone rows of its referenced model.
  auto gone_keys = [&](const relata::detail::foreign_key& fk) {
    std::unordered_set<value> keys;
    auto it = gone.find(fk.referenced);
    if (it == gone.end()) return keys;
    const auto& referenced = rows_of(*fk.referenced);
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      if (it->second[i] && !referenced[i][fk.referenced_property].is_null()) {
        keys.insert(referenced[i][fk.referenced_property]);
      }
    }
    return keys;
  };
  auto is_gone = [&](const model_definition& m, std::size_t row) {
    auto it = gone.find(&m);
    return it != gone.end() && row < it->second.size() && it->second[row];
  };

  for (auto row : rows) mark(model, row);
  for (bool grew = true; grew;) {  // cascades, to a fixed point (cycles end: rows go once)
    grew = false;
    for (const auto& fk : constraints_.foreign_keys) {
      if (fk.on_delete != delete_rule::cascade) continue;
      const auto keys = gone_keys(fk);
      if (keys.empty()) continue;
      const auto& referencing = rows_of(*fk.model);
      for (std::size_t i = 0; i < referencing.size(); ++i) {
        if (keys.count(referencing[i][fk.property]) && mark(*fk.model, i)) grew = true;
      }
    }
  }
  std::vector<std::pair<const relata::detail::foreign_key*, std::size_t>> nulled;
  for (const auto& fk : constraints_.foreign_keys) {
    if (fk.on_delete == delete_rule::cascade) continue;
    const auto keys = gone_keys(fk);
    if (keys.empty()) continue;
    const auto& referencing = rows_of(*fk.model);
    for (std::size_t i = 0; i < referencing.size(); ++i) {
      if (is_gone(*fk.model, i) || !keys.count(referencing[i][fk.property])) continue;
      if (fk.on_delete == delete_rule::restrict) {
        violation("FOREIGN KEY constraint failed: " + fk.model->table + "." +
                  fk.model->properties[fk.property].column + " references " + fk.referenced->table);
      }
      if (!fk.model->properties[fk.property].nullable) {
        violation("NOT NULL constraint failed: " + fk.model->table + "." +
                  fk.model->properties[fk.property].column);
      }
      nulled.emplace_back(&fk, i);
    }
  }
  for (const auto& [fk, row] : nulled) table_of(*fk->model).rows[row][fk->property] = value{};
  for (const auto& [m, flags] : gone) {
    auto& table = table_of(*m);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      if (i < flags.size() && flags[i]) continue;
      if (kept != i) table.rows[kept] = std::move(table.rows[i]);
      ++kept;
    }
    table.rows.erase(table.rows.begin() + static_cast<std::ptrdiff_t>(kept), table.rows.end());
    reindex(*m, table);
  }
}

RELATA_ENGINE_INLINE void datasource::begin() {
  snapshots_.push_back(tables_);
  notify("BEGIN", 0, 0, std::chrono::steady_clock::now());
}

RELATA_ENGINE_INLINE void datasource::commit() {
  if (snapshots_.empty()) throw transaction_error("commit without a transaction");
  snapshots_.pop_back();
  notify("COMMIT", 0, 0, std::chrono::steady_clock::now());
}

RELATA_ENGINE_INLINE void datasource::rollback() {
  if (snapshots_.empty()) throw transaction_error("rollback without a transaction");
  tables_ = std::move(snapshots_.back());
  snapshots_.pop_back();
  notify("ROLLBACK", 0, 0, std::chrono::steady_clock::now());
}

RELATA_ENGINE_INLINE std::size_t datasource::transaction_depth() const { return snapshots_.size(); }

RELATA_ENGINE_INLINE detail::table& datasource::table_of(const model_definition& m) {
  auto& t = tables_[m.table];
  if (!t.model) t.model = &m;
  check_layout(t, m);
  return t;
}

RELATA_ENGINE_INLINE const detail::table* datasource::find_table(const model_definition& m) const {
  auto it = tables_.find(m.table);
  if (it == tables_.end()) return nullptr;
  check_layout(it->second, m);
  return &it->second;
}

RELATA_ENGINE_INLINE void datasource::check_layout(const detail::table& t,
                                                   const model_definition& m) {
  if (!t.model || t.model == &m) return;
  const auto& have = t.model->properties;
  for (std::size_t p = 0; p < m.properties.size(); ++p) {
    const auto& wanted = m.properties[p];
    if (p >= have.size() || have[p].column != wanted.column) {
      throw connector_error("memory: no such column: " + m.table + "." + wanted.column);
    }
    if (have[p].kind != wanted.kind || have[p].element_kind != wanted.element_kind) {
      throw connector_error("memory: column " + m.table + "." + wanted.column + " holds " +
                            std::string(to_string(have[p].kind)) + " values, not " +
                            std::string(to_string(wanted.kind)));
    }
  }
  if (have.size() != m.properties.size()) {
    throw connector_error("memory: table " + m.table + " is laid out for model " +
                          std::string(t.model->name) + ", not " + std::string(m.name) +
                          " (migrate it onto the table)");
  }
}

RELATA_ENGINE_INLINE value datasource::primary_key_of(const model_definition& m,
                                                      const detail::row_values& row) {
  if (m.primary_key.size() == 1) return row[m.primary_key.front()];
  value::array_type parts;
  for (auto p : m.primary_key) parts.push_back(row[p]);
  return value{std::move(parts)};
}

RELATA_ENGINE_INLINE void datasource::reindex(const model_definition& m, detail::table& t) {
  t.primary.clear();
  if (m.primary_key.empty()) return;
  t.primary.reserve(t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    t.primary.emplace(primary_key_of(m, t.rows[i]), i);
}

RELATA_ENGINE_INLINE detail::truth datasource::in_list(const ast::comparison& c,
                                                       const value& cell) {
  using detail::truth;
  // Long lists of one kind are looked up in a hash set built once per query.
  auto it = in_sets_.find(&c);
  if (it == in_sets_.end()) {
    std::optional<std::unordered_set<value>> set;
    bool uniform = c.operands.size() >= 8;
    for (std::size_t i = 1; uniform && i < c.operands.size(); ++i) {
      uniform = c.operands[i].kind() == c.operands.front().kind();
    }
    if (uniform) set.emplace(c.operands.begin(), c.operands.end());
    it = in_sets_.emplace(&c, std::move(set)).first;
  }
  if (it->second && cell.kind() == c.operands.front().kind()) {
    return detail::from_bool(it->second->count(cell) > 0);
  }
  bool unknown = false;
  for (const auto& v : c.operands) {
    const auto t = compare_with(cell, v, ast::op::eq);
    if (t == truth::yes) return truth::yes;
    unknown = unknown || t == truth::unknown;
  }
  return unknown ? truth::unknown : truth::no;
}

RELATA_ENGINE_INLINE const std::vector<detail::row_values>& datasource::rows_of(
    const model_definition& m) const {
  static const std::vector<detail::row_values> none;
  const detail::table* t = find_table(m);
  return t ? t->rows : none;
}

RELATA_ENGINE_INLINE std::size_t datasource::parameters(const select_query& q) {
  return ast::parameter_count(q.where) +
         (q.through ? ast::parameter_count(q.through->link_where) : 0) + (q.limit ? 1 : 0) +
         (q.skip ? 1 : 0);
}

RELATA_ENGINE_INLINE bool datasource::ordered_before(std::span<const ast::order_term> order,
                                                     const detail::row_values& a,
                                                     const detail::row_values& b) {
  for (const auto& term : order) {
    const value& x = a[term.property];
    const value& y = b[term.property];
    if (x.is_null() || y.is_null()) {
      if (x.is_null() == y.is_null()) continue;
      // NULLs sort first ascending, last descending.
      return term.descending ? y.is_null() : x.is_null();
    }
    const auto c = compare(x, y);
    if (c == std::partial_ordering::less) return !term.descending;
    if (c == std::partial_ordering::greater) return term.descending;
  }
  return false;
}

RELATA_ENGINE_INLINE detail::truth datasource::test(const ast::node_ptr& n,
                                                    const model_definition& m,
                                                    const detail::row_values& r) {
  if (!n) return detail::truth::yes;
  return std::visit([&](const auto& c) { return evaluate(c, m, r); }, n->content);
}

RELATA_ENGINE_INLINE detail::truth datasource::compare_with(const value& cell,
                                                            const value& operand,
                                                            ast::op o) {
  const auto c = compare(cell, operand);
  if (c == std::partial_ordering::unordered) return detail::truth::unknown;
  switch (o) {
    case ast::op::eq:
      return detail::from_bool(c == std::partial_ordering::equivalent);
    case ast::op::neq:
      return detail::from_bool(c != std::partial_ordering::equivalent);
    case ast::op::gt:
      return detail::from_bool(c == std::partial_ordering::greater);
    case ast::op::gte:
      return detail::from_bool(c != std::partial_ordering::less);
    case ast::op::lt:
      return detail::from_bool(c == std::partial_ordering::less);
    case ast::op::lte:
      return detail::from_bool(c != std::partial_ordering::greater);
    default:
      return detail::truth::unknown;
  }
}

RELATA_ENGINE_INLINE detail::truth datasource::evaluate(const ast::comparison& c,
                                                        const model_definition&,
                                                        const detail::row_values& r) {
  using detail::truth;
  const value& cell = r[c.property];
  switch (c.operation) {
    case ast::op::is_null:
      return detail::from_bool(cell.is_null());
    case ast::op::is_not_null:
      return detail::from_bool(!cell.is_null());
    case ast::op::inq:
    case ast::op::nin: {
      const bool negated = c.operation == ast::op::nin;
      if (c.operands.empty()) return detail::from_bool(negated);
      if (cell.is_null()) return truth::unknown;
      const truth found = in_list(c, cell);
      if (found == truth::unknown) return truth::unknown;
      return detail::from_bool((found == truth::yes) != negated);
    }
    case ast::op::between: {
      const auto low = compare_with(cell, c.operands.at(0), ast::op::gte);
      const auto high = compare_with(cell, c.operands.at(1), ast::op::lte);
      return conjunction(low, high);
    }
    case ast::op::like:
    case ast::op::nlike:
    case ast::op::ilike:
    case ast::op::nilike: {
      if (cell.is_null() || c.operands.at(0).is_null()) return truth::unknown;
      const bool insensitive = c.operation == ast::op::ilike || c.operation == ast::op::nilike;
      const bool negated = c.operation == ast::op::nlike || c.operation == ast::op::nilike;
      const std::string text = cell.kind() == value_kind::text ? cell.as_text() : cell.to_string();
      return detail::from_bool(
          relata::detail::like_matches(text, c.operands[0].as_text(), insensitive) != negated);
    }
    default:
      return compare_with(cell, c.operands.at(0), c.operation);
  }
}

RELATA_ENGINE_INLINE detail::truth datasource::conjunction(detail::truth a, detail::truth b) {
  using detail::truth;
  if (a == truth::no || b == truth::no) return truth::no;
  if (a == truth::unknown || b == truth::unknown) return truth::unknown;
  return truth::yes;
}

RELATA_ENGINE_INLINE detail::truth datasource::evaluate(const ast::junction& j,
                                                        const model_definition& m,
                                                        const detail::row_values& r) {
  using detail::truth;
  bool unknown = false;
  for (const auto& child : j.children) {
    const truth t = test(child, m, r);
    if (j.all && t == truth::no) return truth::no;
    if (!j.all && t == truth::yes) return truth::yes;
    unknown = unknown || t == truth::unknown;
  }
  if (unknown) return truth::unknown;
  return j.all ? truth::yes : truth::no;
}

RELATA_ENGINE_INLINE std::vector<value> datasource::matched_keys(const ast::exists& e,
                                                                 const detail::row_values& outer) {
  const value& outer_key = outer[e.outer_key];
  if (outer_key.is_null()) return {};
  if (e.link) {
    std::vector<value> keys;
    for (const auto& l : rows_of(*e.link)) {
      if (same(l[e.link_source], outer_key)) keys.push_back(l[e.link_target]);
    }
    return keys;
  }
  if (e.outer_is_array) {
    return outer_key.kind() == value_kind::array ? outer_key.as_array() : std::vector<value>{};
  }
  return {outer_key};
}

RELATA_ENGINE_INLINE detail::truth datasource::evaluate(const ast::exists& e,
                                                        const model_definition& m,
                                                        const detail::row_values& r) {
  if (e.embedded) {
    // The items of the row's embedded document, read by the code that stores them.
    std::vector<detail::row_values> items;
    m.properties[e.outer_key].codec->embedded->rows(*e.model, r[e.outer_key], items);
    for (const auto& item : items) {
      const bool satisfied = test(e.where, *e.model, item) == detail::truth::yes;
      if (satisfied != e.where_not_true) return detail::from_bool(!e.negated);
    }
    return detail::from_bool(e.negated);
  }
  const auto keys = matched_keys(e, r);
  // A matched row for which `where` is true (some, none), or not true (every).
  for (const auto& candidate : rows_of(*e.model)) {
    bool match = false;
    for (const auto& k : keys) match = match || same(candidate[e.key], k);
    if (!match || test(e.scope, *e.model, candidate) != detail::truth::yes) continue;
    const bool satisfied = test(e.where, *e.model, candidate) == detail::truth::yes;
    if (satisfied != e.where_not_true) return detail::from_bool(!e.negated);
  }
  return detail::from_bool(e.negated);
}

RELATA_ENGINE_INLINE detail::truth datasource::evaluate(const ast::membership& mem,
                                                        const model_definition&,
                                                        const detail::row_values& r) {
  using detail::truth;
  const value& cell = r[mem.property];
  bool found = false;
  bool unknown = false;
  for (const auto& row : rows_of(*mem.model)) {
    if (test(mem.where, *mem.model, row) != truth::yes) continue;
    const auto t = compare_with(cell, row[mem.selected], ast::op::eq);
    found = found || t == truth::yes;
    unknown = unknown || t == truth::unknown;
  }
  if (found) return detail::from_bool(!mem.negated);
  if (unknown) return truth::unknown;
  return detail::from_bool(mem.negated);
}

[[noreturn]] RELATA_ENGINE_INLINE void datasource::violation(const std::string& what) {
  throw constraint_violation("memory: " + what);
}

RELATA_ENGINE_INLINE bool datasource::same(const value& a, const value& b) {
  return compare(a, b) == std::partial_ordering::equivalent;
}

RELATA_ENGINE_INLINE void datasource::check_row(const model_definition& m,
                                                const detail::row_values& row,
                                                const detail::row_values* replacing) {
  for (std::size_t p = 0; p < m.properties.size(); ++p) {
    if (row[p].is_null() && !m.properties[p].nullable) {
      violation("NOT NULL constraint failed: " + m.table + "." + m.properties[p].column);
    }
  }
  const auto& rows = rows_of(m);
  if (const auto* t = find_table(m); t && !m.primary_key.empty()) {
    auto it = t->primary.find(primary_key_of(m, row));
    if (it != t->primary.end() && &t->rows[it->second] != replacing) {
      violation("UNIQUE constraint failed: " + m.table + " primary key " +
                primary_key_of(m, row).to_string());
    }
  }
  for (const auto& index : constraints_.indexes) {
    // A table's indexes hold for every model on it (laid out alike: check_layout).
    if (index.model->table != m.table || !index.unique) continue;
    // As in SQL, a row with a null in the key conflicts with none.
    const auto& key = index.properties;
    if (std::any_of(key.begin(), key.end(), [&](auto p) { return row[p].is_null(); })) continue;
    for (const auto& other : rows) {
      if (&other != replacing &&
          std::all_of(key.begin(), key.end(), [&](auto p) { return same(other[p], row[p]); })) {
        std::string columns;
        for (auto p : key)
          columns += (columns.empty() ? "" : ", ") + m.table + "." + m.properties[p].column;
        violation("UNIQUE constraint failed: " + columns);
      }
    }
  }
  for (const auto& check : constraints_.checks) {
    if (check.model->table == m.table) check_allowed(check, row);
  }
  for (const auto* fk : constraints_.foreign_keys_of(m)) {
    const value& v = row[fk->property];
    if (v.is_null()) continue;
    // the referenced property is the referenced table's single-column primary key
    const auto* referenced = find_table(*fk->referenced);
    bool found = referenced && referenced->primary.count(v) > 0;
    // a self reference may point at the row itself
    if (!found && fk->referenced == &m && same(row[fk->referenced_property], v)) found = true;
    if (!found)
      violation("FOREIGN KEY constraint failed: " + m.table + "." +
                m.properties[fk->property].column);
  }
}

RELATA_ENGINE_INLINE void datasource::check_allowed(const relata::detail::allowed_values& check,
                                                    const detail::row_values& row) {
  const value& v = row[check.property];
  if (v.is_null()) return;
  const auto& allowed = check.values;
  if (v.kind() == value_kind::text &&
      std::find(allowed.begin(), allowed.end(), v.as_text()) != allowed.end()) {
    return;
  }
  std::string names;
  for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
  violation("CHECK constraint failed: " + check.model->table + "." +
            check.model->properties[check.property].column + " is " + v.to_string() +
            "; it holds one of " + (names.empty() ? "no value" : names) + ", or null");
}

RELATA_ENGINE_INLINE void datasource::check_not_referenced(const model_definition& m,
                                                           const detail::row_values& row,
                                                           const detail::row_values* changed) {
  for (const auto& fk : constraints_.foreign_keys) {
    if (fk.referenced != &m) continue;
    const value& key = row[fk.referenced_property];
    if (key.is_null()) continue;
    if (changed && same((*changed)[fk.referenced_property], key)) continue;
    const auto& referencing = rows_of(*fk.model);
    for (std::size_t i = 0; i < referencing.size(); ++i) {
      if (same(referencing[i][fk.property], key)) {
        violation("FOREIGN KEY constraint failed: " + fk.model->table + "." +
                  fk.model->properties[fk.property].column + " references " + m.table);
      }
    }
  }
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::memory
