// relata/sql/generator.hpp: query AST -> SQL text and parameters, shared by the SQL
// connectors. Values are never written into the text: every one becomes a parameter.
// Identifiers come only from model definitions, and are quoted.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/like.hpp>
#include <relata/query.hpp>
#include <relata/schema.hpp>
#include <relata/sql/dialect.hpp>
#include <relata/value.hpp>

namespace relata::sql {

/// SQL text with its parameters, in placeholder order.
struct statement {
  std::string text;
  std::vector<value> parameters;
};

/// Turns queries into SQL for one dialect.
class generator {
 public:
  explicit generator(const dialect& d, naming_policy names = {}) noexcept
      : dialect_(d), names_(names) {}

  /// The table of `m` in this database: the model's own name, or its C++ name after the
  /// naming policy.
  std::string table(const model_definition& m) const {
    if (!names_.tables || m.table_given) return m.table;
    return detail::converted_string(m.name, *names_.tables);
  }
  /// The column of `p` in this database, likewise.
  std::string column(const property_definition& p) const {
    if (!names_.columns || p.column_given) return p.column;
    return detail::converted_string(p.name, *names_.columns);
  }

  statement select(const select_query& q) const;

  statement count(const model_definition& m, const ast::node_ptr& where) const;

  statement update(const model_definition& m,
                   std::span<const assignment> changes,
                   const ast::node_ptr& where) const;

  statement remove(const model_definition& m, const ast::node_ptr& where) const;

  /// INSERT of `rows` rows, each of every property in order, without the generated key unless
  /// `with_generated_key`; the connector binds the values straight from the entities.
  std::string insert(const model_definition& m,
                     bool with_generated_key,
                     std::size_t rows = 1) const;

  /// INSERT of one row, as `insert` writes it, that on a conflict on `conflict` (the columns
  /// of the primary key or a unique index) sets the stored row's `update` properties from it
  /// instead (none: a no-op update, so that the row still comes back); returns every property
  /// of the row inserted or updated, in order.
  std::string upsert(const model_definition& m,
                     bool with_generated_key,
                     std::span<const std::size_t> conflict,
                     std::span<const std::size_t> update) const;

  /// The DDL for `models`: tables, then foreign keys and checks (where the dialect adds them
  /// apart), then indexes. Every statement is idempotent.
  std::vector<std::string> create_tables(std::span<const model_definition* const> models) const;

  /// `ALTER TABLE ... ADD COLUMN` of property `property` of `m`, nullable (what autoupdate adds).
  std::string add_column(const model_definition& m, std::size_t property) const;

 private:
  /// Appends `INSERT INTO table (columns` (every property, the generated key only when
  /// `with_generated_key`); returns how many columns.
  std::size_t insert_into(std::string& out,
                          const model_definition& m,
                          bool with_generated_key) const;

  /// A table in a statement: `qualifier` prefixes its columns ("" at the top level);
  /// `reference` is how nested subqueries name it.
  struct scope {
    const model_definition* model;
    std::string qualifier;
    std::string reference;
    /// For the items of an embedded document: the alias their JSON values are read from
    /// (dialect::document_property); empty for a table.
    std::string document{};
  };

  struct builder {
    explicit builder(const dialect& dialect) noexcept : d(dialect) {}
    const dialect& d;
    statement st;
    std::size_t aliases = 0;

    void parameter(value v) {
      st.parameters.push_back(std::move(v));
      d.placeholder(st.text, st.parameters.size());
    }
    std::string next_alias() { return "r" + std::to_string(++aliases); }
  };

  scope top(const model_definition& m) const;

  std::string column_of(const scope& s, std::size_t property) const;
  std::string link_column(const through_join& t, std::size_t property) const;

  void columns(std::string& out, const scope& s, std::span<const std::size_t> props) const;

  void from(builder& b, const select_query& q, const scope& target) const;

  void order_by(std::string& out, const scope& s, std::span<const ast::order_term> order) const;

  void limit(builder& b, const std::optional<std::uint64_t>& limit, std::uint64_t skip) const;

  void where_clause(builder& b, const ast::node_ptr& where, const scope& s) const;

  void condition(builder& b, const ast::node_ptr& n, const scope& s) const;

  void emit(builder& b, const ast::comparison& c, const scope& s) const;

  void emit(builder& b, const ast::junction& j, const scope& s) const;

  void emit(builder& b, const ast::exists& e, const scope& s) const;

  void emit(builder& b, const ast::membership& m, const scope& s) const;

  std::string foreign_key_clause(const detail::foreign_key& fk) const;
  std::string constraint_name(const detail::foreign_key& fk) const;

  const dialect& dialect_;
  naming_policy names_;
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE statement generator::select(const select_query& q) const {
  builder b{dialect_};
  const model_definition& m = *q.model;
  const bool joined = q.through.has_value() || q.window.has_value();
  const scope target{&m, joined ? "\"t\"." : "", joined ? "\"t\"" : identifier(table(m))};
  std::string& out = b.st.text;
  if (!q.window) {
    out += "SELECT ";
    columns(out, target, q.columns);
    if (q.through) {
      out += ", \"l\".";
      quote(out, column(q.through->link->properties[q.through->link_source_key]));
    }
    from(b, q, target);
    order_by(out, target, q.order);
    limit(b, q.limit, q.skip);
    return std::move(b.st);
  }
  // Per-key limits: number the rows of each key, keep the wanted slice.
  const per_key_window& w = *q.window;
  const std::string key = w.on_link
                              ? link_column(*q.through, w.property)
                              : target.qualifier + identifier(column(m.properties[w.property]));
  out += "SELECT ";
  for (std::size_t i = 0; i < q.columns.size(); ++i) {
    if (i) out += ", ";
    out += "\"w\".";
    quote(out, column(m.properties[q.columns[i]]));
  }
  if (q.through) out += ", \"w\".\"relata_key\"";
  out += " FROM (SELECT ";
  columns(out, target, q.columns);
  out += ", " + key + " AS \"relata_key\", ROW_NUMBER() OVER (PARTITION BY " + key;
  order_by(out, target, q.order);
  out += ") AS \"relata_row\"";
  from(b, q, target);
  out += ") AS \"w\" WHERE \"w\".\"relata_row\" > ";
  b.parameter(value{static_cast<std::int64_t>(w.skip)});
  // skip + limit past the largest row number bounds nothing (and would wrap as a parameter).
  if (w.limit && *w.limit <= ast::max_row_count - std::min(w.skip, ast::max_row_count)) {
    out += " AND \"w\".\"relata_row\" <= ";
    b.parameter(value{static_cast<std::int64_t>(w.skip + *w.limit)});
  }
  out += " ORDER BY \"w\".\"relata_key\", \"w\".\"relata_row\"";
  return std::move(b.st);
}

RELATA_ENGINE_INLINE statement generator::count(const model_definition& m,
                                                const ast::node_ptr& where) const {
  builder b{dialect_};
  b.st.text += "SELECT COUNT(*) FROM ";
  quote(b.st.text, table(m));
  where_clause(b, where, top(m));
  return std::move(b.st);
}

RELATA_ENGINE_INLINE statement generator::update(const model_definition& m,
                                                 std::span<const assignment> changes,
                                                 const ast::node_ptr& where) const {
  builder b{dialect_};
  std::string& out = b.st.text;
  out += "UPDATE ";
  quote(out, table(m));
  out += " SET ";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (i) out += ", ";
    quote(out, column(m.properties[changes[i].property]));
    out += " = ";
    b.parameter(changes[i].new_value);
  }
  where_clause(b, where, top(m));
  return std::move(b.st);
}

RELATA_ENGINE_INLINE statement generator::remove(const model_definition& m,
                                                 const ast::node_ptr& where) const {
  builder b{dialect_};
  b.st.text += "DELETE FROM ";
  quote(b.st.text, table(m));
  where_clause(b, where, top(m));
  return std::move(b.st);
}

RELATA_ENGINE_INLINE std::size_t generator::insert_into(std::string& out,
                                                        const model_definition& m,
                                                        bool with_generated_key) const {
  out += "INSERT INTO ";
  quote(out, table(m));
  out += " (";
  std::size_t columns = 0;
  for (std::size_t p = 0; p < m.properties.size(); ++p) {
    if (p == m.generated_key && !with_generated_key) continue;
    if (columns++) out += ", ";
    quote(out, column(m.properties[p]));
  }
  return columns;
}

RELATA_ENGINE_INLINE std::string generator::insert(const model_definition& m,
                                                   bool with_generated_key,
                                                   std::size_t rows) const {
  std::string out;
  const std::size_t columns = insert_into(out, m, with_generated_key);
  if (columns == 0) {
    out.resize(out.size() - 2);
    out += " DEFAULT VALUES";  // one row: nothing to batch
  } else {
    out += ") VALUES ";
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      out += r ? ", (" : "(";
      for (std::size_t c = 0; c < columns; ++c) {
        if (c) out += ", ";
        dialect_.placeholder(out, ++n);
      }
      out += ')';
    }
  }
  if (m.generated_key != npos) dialect_.returning(out, column(m.properties[m.generated_key]));
  return out;
}

RELATA_ENGINE_INLINE std::string generator::upsert(const model_definition& m,
                                                   bool with_generated_key,
                                                   std::span<const std::size_t> conflict,
                                                   std::span<const std::size_t> update) const {
  std::string out;
  const std::size_t columns = insert_into(out, m, with_generated_key);
  out += ") VALUES (";
  for (std::size_t c = 0; c < columns; ++c) {
    if (c) out += ", ";
    dialect_.placeholder(out, c + 1);
  }
  out += ") ON CONFLICT (";
  for (std::size_t i = 0; i < conflict.size(); ++i) {
    if (i) out += ", ";
    quote(out, column(m.properties[conflict[i]]));
  }
  out += ") DO UPDATE SET ";
  const auto set = [&](std::size_t property, bool first) {
    if (!first) out += ", ";
    quote(out, column(m.properties[property]));
    out += " = excluded.";
    quote(out, column(m.properties[property]));
  };
  if (update.empty()) set(conflict.front(), true);
  for (std::size_t i = 0; i < update.size(); ++i) set(update[i], i == 0);
  out += " RETURNING ";
  for (std::size_t p = 0; p < m.properties.size(); ++p) {
    if (p) out += ", ";
    quote(out, column(m.properties[p]));
  }
  return out;
}

RELATA_ENGINE_INLINE std::vector<std::string> generator::create_tables(
    std::span<const model_definition* const> models) const {
  const auto constraints = detail::derive_constraints(models);
  std::vector<std::string> statements;
  std::vector<std::string> late;
  for (const model_definition* m : models) {
    std::string out = "CREATE TABLE IF NOT EXISTS ";
    quote(out, table(*m));
    out += " (";
    for (std::size_t p = 0; p < m->properties.size(); ++p) {
      const auto& prop = m->properties[p];
      if (p) out += ", ";
      if (p == m->generated_key) {
        out += dialect_.generated_key_column(column(prop));
        continue;
      }
      quote(out, column(prop));
      out += ' ';
      out += dialect_.column_type(prop);
      if (!prop.nullable) out += " NOT NULL";
      if (m->primary_key.size() == 1 && m->primary_key.front() == p) out += " PRIMARY KEY";
    }
    if (m->primary_key.size() > 1) {
      out += ", PRIMARY KEY (";
      for (std::size_t i = 0; i < m->primary_key.size(); ++i) {
        if (i) out += ", ";
        quote(out, column(m->properties[m->primary_key[i]]));
      }
      out += ")";
    }
    for (const auto* fk : constraints.foreign_keys_of(*m)) {
      if (dialect_.inline_constraints()) {
        out += ", " + foreign_key_clause(*fk);
      } else {
        late.push_back(
            dialect_.add_constraint(table(*m), constraint_name(*fk), foreign_key_clause(*fk)));
      }
    }
    for (const auto& check : constraints.checks) {
      if (check.model != m) continue;
      const auto& property = m->properties[check.property];
      const std::string name = table(*m) + "_" + column(property) + "_check";
      // Relations sharing the column that allow no value in common leave it only null.
      std::string clause =
          "CHECK (" + identifier(column(property)) + (check.values.empty() ? " IS NULL" : " IN (");
      for (std::size_t i = 0; i < check.values.size(); ++i) {
        if (i) clause += ", ";
        clause += literal(check.values[i]);
      }
      clause += check.values.empty() ? ")" : "))";
      if (dialect_.inline_constraints()) {
        out += ", CONSTRAINT " + identifier(name) + " " + clause;
      } else {
        late.push_back(dialect_.add_constraint(table(*m), name, clause));
      }
    }
    out += ")";
    statements.push_back(std::move(out));
  }
  for (auto& s : late) statements.push_back(std::move(s));
  for (const auto& index : constraints.indexes) {
    std::string name = table(*index.model);
    for (auto p : index.properties) name += "_" + column(index.model->properties[p]);
    std::string out =
        index.unique ? "CREATE UNIQUE INDEX IF NOT EXISTS " : "CREATE INDEX IF NOT EXISTS ";
    quote(out, name + (index.unique ? "_key" : "_idx"));
    out += " ON ";
    quote(out, table(*index.model));
    out += " (";
    for (std::size_t i = 0; i < index.properties.size(); ++i) {
      if (i) out += ", ";
      quote(out, column(index.model->properties[index.properties[i]]));
    }
    out += ")";
    statements.push_back(std::move(out));
  }
  return statements;
}

RELATA_ENGINE_INLINE std::string generator::add_column(const model_definition& m,
                                                       std::size_t property) const {
  const auto& p = m.properties[property];
  std::string out = "ALTER TABLE ";
  quote(out, table(m));
  out += " ADD COLUMN ";
  quote(out, column(p));
  out += ' ';
  out += dialect_.column_type(p);
  return out;
}

RELATA_ENGINE_INLINE generator::scope generator::top(const model_definition& m) const {
  return scope{&m, "", identifier(table(m))};
}

RELATA_ENGINE_INLINE std::string generator::column_of(const scope& s, std::size_t property) const {
  if (!s.document.empty())
    return dialect_.document_property(s.document, s.model->properties[property]);
  return s.qualifier + identifier(column(s.model->properties[property]));
}

RELATA_ENGINE_INLINE std::string generator::link_column(const through_join& t,
                                                        std::size_t property) const {
  return "\"l\"." + identifier(column(t.link->properties[property]));
}

RELATA_ENGINE_INLINE void generator::columns(std::string& out,
                                             const scope& s,
                                             std::span<const std::size_t> props) const {
  for (std::size_t i = 0; i < props.size(); ++i) {
    if (i) out += ", ";
    out += column_of(s, props[i]);
  }
}

RELATA_ENGINE_INLINE void generator::from(builder& b,
                                          const select_query& q,
                                          const scope& target) const {
  std::string& out = b.st.text;
  out += " FROM ";
  quote(out, table(*q.model));
  if (!target.qualifier.empty()) out += " AS \"t\"";
  if (q.through) {
    // The distinct (target, source) pairs of the links: a pair linked twice is one row.
    const auto& t = *q.through;
    out += " JOIN (SELECT DISTINCT ";
    quote(out, column(t.link->properties[t.link_target_key]));
    out += ", ";
    quote(out, column(t.link->properties[t.link_source_key]));
    out += " FROM ";
    quote(out, table(*t.link));
    where_clause(b, t.link_where, top(*t.link));
    out += ") AS \"l\" ON " + link_column(t, t.link_target_key) + " = " +
           column_of(target, t.target_key);
    where_clause(b, q.where, target);
  } else {
    where_clause(b, q.where, target);
  }
}

RELATA_ENGINE_INLINE void generator::order_by(std::string& out,
                                              const scope& s,
                                              std::span<const ast::order_term> order) const {
  if (order.empty()) return;
  out += " ORDER BY ";
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i) out += ", ";
    dialect_.order_term(out,
                        column_of(s, order[i].property),
                        order[i].descending,
                        s.model->properties[order[i].property]);
  }
}

RELATA_ENGINE_INLINE void generator::limit(builder& b,
                                           const std::optional<std::uint64_t>& limit,
                                           std::uint64_t skip) const {
  std::string& out = b.st.text;
  if (limit) {
    out += " LIMIT ";
    b.parameter(value{static_cast<std::int64_t>(*limit)});
  } else if (skip) {
    if (!dialect_.no_limit().empty()) {
      out += " LIMIT ";
      out += dialect_.no_limit();
    }
  }
  if (skip) {
    out += " OFFSET ";
    b.parameter(value{static_cast<std::int64_t>(skip)});
  }
}

RELATA_ENGINE_INLINE void generator::where_clause(builder& b,
                                                  const ast::node_ptr& where,
                                                  const scope& s) const {
  if (!where) return;
  b.st.text += " WHERE ";
  condition(b, where, s);
}

RELATA_ENGINE_INLINE void generator::condition(builder& b,
                                               const ast::node_ptr& n,
                                               const scope& s) const {
  if (!n) {
    b.st.text += "1 = 1";
    return;
  }
  std::visit([&](const auto& c) { emit(b, c, s); }, n->content);
}

RELATA_ENGINE_INLINE void generator::emit(builder& b,
                                          const ast::comparison& c,
                                          const scope& s) const {
  std::string& out = b.st.text;
  const std::string column = column_of(s, c.property);
  auto binary = [&](std::string_view op) {
    out += column;
    out += op;
    b.parameter(c.operands.at(0));
  };
  switch (c.operation) {
    case ast::op::eq:
      binary(" = ");
      return;
    case ast::op::neq:
      binary(" <> ");
      return;
    case ast::op::gt:
      binary(" > ");
      return;
    case ast::op::gte:
      binary(" >= ");
      return;
    case ast::op::lt:
      binary(" < ");
      return;
    case ast::op::lte:
      binary(" <= ");
      return;
    case ast::op::inq:
    case ast::op::nin: {
      const bool negated = c.operation == ast::op::nin;
      if (c.operands.empty()) {
        out += negated ? "1 = 1" : "1 = 0";
        return;
      }
      if (dialect_.lists_as_arrays()) {
        // One array parameter, whatever the length: `col = ANY($1::bigint[])`.
        out += column;
        out += negated ? " <> ALL(" : " = ANY(";
        b.parameter(value{value::array_type(c.operands.begin(), c.operands.end())});
        out += "::" + dialect_.array_type(s.model->properties[c.property]) + ")";
        return;
      }
      out += column;
      out += negated ? " NOT IN (" : " IN (";
      for (std::size_t i = 0; i < c.operands.size(); ++i) {
        if (i) out += ", ";
        b.parameter(c.operands[i]);
      }
      out += ')';
      return;
    }
    case ast::op::between:
      out += column + " BETWEEN ";
      b.parameter(c.operands.at(0));
      out += " AND ";
      b.parameter(c.operands.at(1));
      return;
    case ast::op::like:
    case ast::op::nlike:
      out += column;
      out += c.operation == ast::op::nlike ? " NOT LIKE " : " LIKE ";
      b.parameter(c.operands.at(0));
      relata::detail::append_like_escape(out);
      return;
    case ast::op::ilike:
    case ast::op::nilike: {
      std::string pattern;
      b.st.parameters.push_back(c.operands.at(0));
      dialect_.placeholder(pattern, b.st.parameters.size());
      dialect_.ilike(out, column, pattern, c.operation == ast::op::nilike);
      return;
    }
    case ast::op::is_null:
      out += column + " IS NULL";
      return;
    case ast::op::is_not_null:
      out += column + " IS NOT NULL";
      return;
  }
}

RELATA_ENGINE_INLINE void generator::emit(builder& b,
                                          const ast::junction& j,
                                          const scope& s) const {
  std::string& out = b.st.text;
  std::vector<const ast::node_ptr*> parts;
  for (const auto& child : j.children) {
    if (!child) {
      if (!j.all) {  // OR with an always-true part is always true
        out += "1 = 1";
        return;
      }
      continue;
    }
    parts.push_back(&child);
  }
  if (parts.empty()) {
    out += j.all ? "1 = 1" : "1 = 0";
    return;
  }
  out += '(';
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += j.all ? " AND " : " OR ";
    condition(b, *parts[i], s);
  }
  out += ')';
}

RELATA_ENGINE_INLINE void generator::emit(builder& b, const ast::exists& e, const scope& s) const {
  std::string& out = b.st.text;
  const model_definition& model = *e.model;
  const std::string alias = b.next_alias();
  const scope inner{&model, identifier(alias) + ".", identifier(alias)};
  const std::string outer_key =
      s.reference + "." + identifier(column(s.model->properties[e.outer_key]));
  out += e.negated ? "NOT EXISTS (SELECT 1 FROM " : "EXISTS (SELECT 1 FROM ";
  if (e.embedded) {
    // The items of the outer row's document: no table, their values read from the JSON.
    dialect_.document_items(out, outer_key, identifier(alias));
    if (e.where) {
      out += " WHERE (";
      condition(b, e.where, scope{&model, {}, identifier(alias), identifier(alias)});
      out += e.where_not_true ? ") IS NOT TRUE" : ")";
    }
    out += ')';
    return;
  }
  if (e.link) {
    const model_definition& link = *e.link;
    const std::string link_alias = b.next_alias();
    quote(out, table(link));
    out += " AS " + identifier(link_alias) + " JOIN ";
    quote(out, table(model));
    out += " AS " + identifier(alias) + " ON " + column_of(inner, e.key) + " = " +
           identifier(link_alias) + "." + identifier(column(link.properties[e.link_target])) +
           " WHERE " + identifier(link_alias) + "." +
           identifier(column(link.properties[e.link_source])) + " = " + outer_key;
  } else {
    quote(out, table(model));
    out += " AS " + identifier(alias) + " WHERE ";
    if (e.outer_is_array) {
      dialect_.element_of(out, column_of(inner, e.key), outer_key);
    } else {
      out += column_of(inner, e.key) + " = " + outer_key;
    }
  }
  if (e.scope) {
    out += " AND (";
    condition(b, e.scope, inner);
    out += ')';
  }
  if (e.where) {
    out += " AND (";
    condition(b, e.where, inner);
    out += e.where_not_true ? ") IS NOT TRUE" : ")";
  }
  out += ')';
}

RELATA_ENGINE_INLINE void generator::emit(builder& b,
                                          const ast::membership& m,
                                          const scope& s) const {
  std::string& out = b.st.text;
  const std::string alias = b.next_alias();
  const scope inner{m.model, identifier(alias) + ".", identifier(alias)};
  out += column_of(s, m.property);
  out += m.negated ? " NOT IN (SELECT " : " IN (SELECT ";
  out += column_of(inner, m.selected) + " FROM ";
  quote(out, table(*m.model));
  out += " AS " + identifier(alias);
  if (m.where) {
    out += " WHERE ";
    condition(b, m.where, inner);
  }
  out += ')';
}

RELATA_ENGINE_INLINE std::string generator::foreign_key_clause(
    const detail::foreign_key& fk) const {
  std::string out = "FOREIGN KEY (" + identifier(column(fk.model->properties[fk.property])) +
                    ") REFERENCES " + identifier(table(*fk.referenced)) + " (" +
                    identifier(column(fk.referenced->properties[fk.referenced_property])) + ")";
  if (fk.on_delete == delete_rule::cascade) out += " ON DELETE CASCADE";
  if (fk.on_delete == delete_rule::set_null) out += " ON DELETE SET NULL";
  return out;
}

RELATA_ENGINE_INLINE std::string generator::constraint_name(const detail::foreign_key& fk) const {
  return table(*fk.model) + "_" + column(fk.model->properties[fk.property]) + "_fkey";
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::sql
