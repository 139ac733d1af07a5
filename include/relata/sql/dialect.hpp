// relata/sql/dialect.hpp: what differs between SQL databases, behind one small interface.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <relata/detail/schema_check.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::sql {

/// The parts of SQL that differ between databases. The generator asks; a dialect answers. As
/// a column_judge, it tells `migrate` which column types found in an existing table hold a
/// property's values.
class dialect : public detail::column_judge {
 public:
  virtual ~dialect() = default;

  /// Appends the placeholder of bind parameter `index` (1-based): `?` or `$1`.
  virtual void placeholder(std::string& out, std::size_t index) const = 0;
  /// The column type of a property (without NULL-ness): INTEGER, TEXT, BIGINT[] ...
  virtual std::string column_type(const property_definition& property) const = 0;
  /// The whole column definition of a database-generated primary key named `column`.
  virtual std::string generated_key_column(std::string_view column) const = 0;
  /// Appends a case-insensitive LIKE of `column` against the pattern placeholder.
  virtual void ilike(std::string& out,
                     std::string_view column,
                     std::string_view pattern,
                     bool negated) const = 0;
  /// Appends a condition: `element` is one of the elements of the array column `array`.
  virtual void element_of(std::string& out,
                          std::string_view element,
                          std::string_view array) const = 0;
  /// Appends a FROM item: the elements of the JSON array column `document`, as rows of the
  /// table alias `alias` (an embedsMany's items).
  virtual void document_items(std::string& out,
                              std::string_view document,
                              std::string_view alias) const = 0;
  /// The value of `property` (numbers, text, booleans) in the item of table alias `alias`
  /// (from document_items), typed as its column would be.
  virtual std::string document_property(std::string_view alias,
                                        const property_definition& property) const = 0;
  /// Appends the text of an ORDER BY term's column (collation, NULL placement).
  virtual void order_term(std::string& out,
                          std::string_view column,
                          bool descending,
                          const property_definition& property) const = 0;
  /// LIMIT's argument when only OFFSET is wanted (SQLite: -1), or empty to omit LIMIT.
  virtual std::string_view no_limit() const = 0;
  /// Appends what makes an INSERT return the generated key (PostgreSQL: RETURNING), if needed.
  virtual void returning(std::string& out, std::string_view key_column) const = 0;
  /// Whether `returning` makes an INSERT return its rows' generated keys, in row order (else
  /// the connection reads the last one: one row per INSERT).
  virtual bool insert_returns_key() const = 0;
  /// What starts a transaction: BEGIN, or SQLite's BEGIN IMMEDIATE (the write lock at once, so
  /// that two writers do not deadlock upgrading from read locks).
  virtual std::string_view begin_transaction() const { return "BEGIN"; }
  /// Whether FOREIGN KEY and CHECK clauses go inside CREATE TABLE (else: `add_constraint`
  /// statements run after every table exists).
  virtual bool inline_constraints() const = 0;
  /// Whether inq/nin lists are bound as one array parameter (`col = ANY($1)`) rather than one
  /// parameter per element.
  virtual bool lists_as_arrays() const { return false; }
  /// The SQL array type of a property's values, for `ANY($1::bigint[])`.
  virtual std::string array_type(const property_definition&) const { return {}; }
  /// The catalog query `migrate` reads an existing table's columns with: one parameter (the
  /// table's name), one row per column: its name, its declared type, and whether it may be
  /// NULL. No rows: the table does not exist.
  virtual std::string_view columns_query() const = 0;
  std::string expected_type(const property_definition& property) const override {
    return column_type(property);
  }
  /// An idempotent statement adding constraint `name` (a FOREIGN KEY or CHECK clause) to an
  /// existing table, for a dialect whose constraints do not all go inside CREATE TABLE.
  virtual std::string add_constraint(std::string_view table,
                                     const std::string& name,
                                     const std::string& clause) const = 0;
};

/// Appends `identifier` quoted ("a""b"): identifiers only ever come from model definitions,
/// and are still quoted so that any name (keywords, PascalCase) works.
inline void quote(std::string& out, std::string_view identifier) {
  out += '"';
  for (char c : identifier) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

inline std::string identifier(std::string_view identifier) {
  std::string out;
  quote(out, identifier);
  return out;
}

/// `text` as an SQL string literal ('it''s'), for DDL, where parameters cannot go: the texts
/// come from model definitions (constraint names, model names), never from values.
inline std::string literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace relata::sql
