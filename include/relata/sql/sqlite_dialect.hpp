// relata/sql/sqlite_dialect.hpp: SQLite's SQL.
#pragma once

#include <string>
#include <string_view>

#include <relata/detail/like.hpp>
#include <relata/sql/dialect.hpp>

namespace relata::sql {

/// SQLite: `?` placeholders, dynamic types (booleans as 0/1, timestamps and JSON as text),
/// INTEGER PRIMARY KEY AUTOINCREMENT ids (never reused), arrays as JSON text read with json_each.
class sqlite_dialect final : public dialect {
 public:
  /// The one instance (a dialect holds no state).
  static const sqlite_dialect& instance() {
    static const sqlite_dialect d;
    return d;
  }

  void placeholder(std::string& out, std::size_t) const override { out += '?'; }

  std::string column_type(const property_definition& p) const override {
    switch (p.kind) {
      case value_kind::integer:
      case value_kind::boolean:
        return "INTEGER";
      case value_kind::real:
        return "REAL";
      case value_kind::blob:
        return "BLOB";
      case value_kind::text:
      case value_kind::timestamp:
      case value_kind::json:
      case value_kind::array:
      case value_kind::null:
        return "TEXT";
    }
    return "TEXT";
  }

  std::string generated_key_column(std::string_view column) const override {
    return identifier(column) + " INTEGER PRIMARY KEY AUTOINCREMENT";
  }

  void ilike(std::string& out,
             std::string_view column,
             std::string_view pattern,
             bool negated) const override {
    out += "lower(";
    out += column;
    out += negated ? ") NOT LIKE lower(" : ") LIKE lower(";
    out += pattern;
    out += ')';
    relata::detail::append_like_escape(out);
  }

  void element_of(std::string& out,
                  std::string_view element,
                  std::string_view array) const override {
    out += element;
    out += " IN (SELECT \"value\" FROM json_each(";
    out += array;
    out += "))";
  }

  void document_items(std::string& out,
                      std::string_view document,
                      std::string_view alias) const override {
    out += "json_each(";
    out += document;
    out += ") AS ";
    out += alias;
  }

  std::string document_property(std::string_view alias,
                                const property_definition& property) const override {
    // JSON's true and false come out as 1 and 0, as SQLite stores booleans.
    return "json_extract(" + std::string(alias) + ".\"value\", " +
           literal("$." + identifier(property.name)) + ")";
  }

  void order_term(std::string& out,
                  std::string_view column,
                  bool descending,
                  const property_definition&) const override {
    // SQLite's defaults are relata's: NULLs first ascending, last descending; bytewise text.
    out += column;
    if (descending) out += " DESC";
  }

  std::string_view columns_query() const override {
    return "SELECT \"name\", \"type\", \"notnull\" = 0 FROM pragma_table_info(?)";
  }

  /// By SQLite's type affinity (what a column does to the values stored in it): a column with
  /// no type or BLOB's keeps every value as given; INTEGER, REAL and NUMERIC ones hold numbers
  /// (and timestamps, whose text never reads as a number); TEXT ones hold text.
  bool compatible(const property_definition& p, std::string_view found) const override {
    std::string type;
    for (char c : found) type += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    auto has = [&](std::string_view part) { return type.find(part) != std::string::npos; };
    enum { integer, text, none, real, numeric } affinity = numeric;
    if (has("INT")) {
      affinity = integer;
    } else if (has("CHAR") || has("CLOB") || has("TEXT")) {
      affinity = text;
    } else if (has("BLOB") || type.empty()) {
      affinity = none;
    } else if (has("REAL") || has("FLOA") || has("DOUB")) {
      affinity = real;
    }
    if (affinity == none) return true;
    switch (p.kind) {
      case value_kind::integer:
      case value_kind::boolean:
        return affinity == integer || affinity == numeric;
      case value_kind::real:
        return affinity != text;
      case value_kind::timestamp:
        return true;
      case value_kind::text:
      case value_kind::json:
      case value_kind::array:
        return affinity == text;
      case value_kind::blob:
      case value_kind::null:
        return false;
    }
    return false;
  }

  std::string_view no_limit() const override { return "-1"; }
  void returning(std::string&, std::string_view) const override {}
  bool insert_returns_key() const override { return false; }
  std::string_view begin_transaction() const override { return "BEGIN IMMEDIATE"; }
  bool inline_constraints() const override { return true; }
  std::string add_constraint(std::string_view,
                             const std::string&,
                             const std::string&) const override {
    return {};
  }
};

}  // namespace relata::sql
