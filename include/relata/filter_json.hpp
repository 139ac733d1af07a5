// relata/filter_json.hpp: LoopBack filter JSON -> the query AST, for untrusted input.
//
//     auto f = relata::filter<Customer>::from_json(
//         R"({"where":{"age":{"gte":18}},"order":["name ASC"],"limit":10,
//             "include":[{"relation":"orders","scope":{"limit":3}}]})");
//
// Every key, property, operator, order term and value type is checked against the model;
// an error says exactly what is wrong (`unknown property "agee" on model Customer`). Text
// size, nesting depth, list lengths, conditions and includes are bounded (json_limits).
// Values only ever become bound parameters.
//
// Accepted: where {prop: value | null | {op: value, ...}}, {and: [...]}, {or: [...]},
// {relation: {some|none|every: where}}, {embedsMany property: {some|none|every: where}}; operators
// eq neq gt gte lt lte inq nin between like nlike ilike nilike exists; order "prop [ASC|DESC]" or a
// list of them; fields as an object {prop: true|false} or a list; limit, skip, offset; include as a
// name, {relation, scope}, or a list of either.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <relata/detail/config.hpp>
#if RELATA_DEFINE_ENGINE
#include <cmath>

#include <nlohmann/json.hpp>

#include <relata/detail/embedded_condition.hpp>
#include <relata/detail/excerpt.hpp>
#include <relata/detail/json_depth.hpp>
#include <relata/detail/json_excerpt.hpp>
#include <relata/detail/json_value.hpp>
#include <relata/detail/utf8.hpp>
#endif
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/like.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/relation/kind.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// Parses filter JSON against model `m`; throws invalid_filter / invalid_inclusion_filter.
ast::filter parse_filter(const model_definition& m,
                         const nlohmann::json& document,
                         const json_limits& limits);
/// Same, from text (its size and nesting bounded before it is parsed).
ast::filter parse_filter(const model_definition& m,
                         std::string_view text,
                         const json_limits& limits);
/// A `where` object alone.
ast::node_ptr parse_where(const model_definition& m,
                          const nlohmann::json& document,
                          const json_limits& limits);
ast::node_ptr parse_where(const model_definition& m,
                          std::string_view text,
                          const json_limits& limits);
/// Filter (or where) text as a JSON document, its size and nesting bounded by `limits` before
/// it is parsed (invalid_filter otherwise): for callers that read the document before giving it
/// to parse_filter or parse_where (the REST layer coerces query-string values first).
nlohmann::json parse_filter_text(std::string_view text, const json_limits& limits);
/// How deep JSON text nests its objects and arrays (brackets outside strings), read without
/// parsing it: a bound checked before a parser that recurses sees the text.
std::size_t json_nesting_depth(std::string_view text);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE std::size_t json_nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return deepest;
}

class filter_parser {
 public:
  explicit filter_parser(const json_limits& limits) : limits_(limits) {}

  /// Parses text, bounding its size and nesting before nlohmann sees it.
  nlohmann::json parse_text(std::string_view text) const {
    if (text.size() > limits_.max_text_size) {
      fail("the filter is " + std::to_string(text.size()) + " bytes; the limit is " +
           std::to_string(limits_.max_text_size));
    }
    const std::size_t deepest = json_nesting_depth(text);
    if (deepest > max_nesting()) {
      fail("the filter nests " + std::to_string(deepest) + " levels deep; the limit is " +
           std::to_string(max_nesting()));
    }
    auto document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded()) fail("the filter is not valid JSON");
    return document;
  }

  /// Bounds a parsed document's nesting as parse_text bounds text: messages (dump()) and
  /// the parser recurse per level.
  void check_document(const nlohmann::json& document) const {
    if (nests_deeper_than(document, max_nesting())) {
      fail("the filter nests more than " + std::to_string(max_nesting()) +
           " levels deep; the limit is " + std::to_string(max_nesting()));
    }
  }

  ast::filter filter(const model_definition& m, const nlohmann::json& j) {
    ast::filter f = parse_filter(m, j, 0, "");
    if (!bad_includes_.empty()) throw unknown_relations(bad_includes_);
    return f;
  }

  ast::node_ptr where(const model_definition& m, const nlohmann::json& j) {
    return parse_where(m, j, 0, "where");
  }

 private:
  [[noreturn]] static void fail(const std::string& message) {
    throw invalid_filter("invalid filter: " + message);
  }

  /// JSON nesting allowed: each level of where nesting takes up to two ({"and": [ ... ]}).
  std::size_t max_nesting() const {
    return 2 * (limits_.max_depth + limits_.max_include_depth) + 8;
  }

  static std::string model_label(const model_definition& m) {
    return "model " + std::string(m.name);
  }

  ast::filter parse_filter(const model_definition& m,
                           const nlohmann::json& j,
                           std::size_t include_depth,
                           const std::string& path) {
    if (!j.is_object()) fail(path_or("filter", path) + " must be an object");
    ast::filter f;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      const nlohmann::json& v = it.value();
      if (key == "where") {
        f.where = parse_where(m, v, 0, path + "where");
      } else if (key == "order") {
        f.order = parse_order(m, v, path + "order");
      } else if (key == "fields") {
        f.fields = parse_fields(m, v, path + "fields");
      } else if (key == "limit") {
        f.limit = count_value(v, path + "limit");
      } else if (key == "skip" || key == "offset") {
        f.skip = count_value(v, path + key);
      } else if (key == "include") {
        f.include = parse_include(m, v, include_depth, path);
      } else {
        fail("unknown filter key \"" + excerpt(key) + "\"" + at(path) +
             " (expected where, order, fields, limit, skip, offset or include)");
      }
    }
    return f;
  }

  static std::string path_or(const std::string& fallback, const std::string& path) {
    return path.empty() ? fallback : path.substr(0, path.size() - 1);
  }
  static std::string at(const std::string& path) {
    return path.empty() ? "" : " in " + path.substr(0, path.size() - 1);
  }

  static std::uint64_t count_value(const nlohmann::json& v, const std::string& what) {
    if (v.is_number_unsigned()) {
      ast::check_row_count(v.get<std::uint64_t>(), what);
      return v.get<std::uint64_t>();
    }
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
      return static_cast<std::uint64_t>(v.get<std::int64_t>());
    }
    fail(what + " must be a non-negative integer, got " + json_excerpt(v));
  }

  // --- where ---------------------------------------------------------------------------------

  ast::node_ptr parse_where(const model_definition& m,
                            const nlohmann::json& j,
                            std::size_t depth,
                            const std::string& path) {
    if (depth > limits_.max_depth) {
      fail(path + " nests deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    if (!j.is_object()) fail(path + " must be an object, got " + json_excerpt(j));
    ast::node_ptr result;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      const nlohmann::json& v = it.value();
      ast::node_ptr part;
      if (key == "and" || key == "or") {
        if (!v.is_array()) fail(path + "." + key + " must be an array of conditions");
        check_list(v, path + "." + key);
        std::vector<ast::node_ptr> children;
        for (std::size_t i = 0; i < v.size(); ++i) {
          children.push_back(
              parse_where(m, v[i], depth + 1, path + "." + key + "[" + std::to_string(i) + "]"));
        }
        part = ast::make(ast::junction{key == "and", children});
      } else if (const std::size_t p = m.find_property(key); p != npos) {
        const embedded_document* items = m.properties[p].codec->embedded;
        if (items && items->many) {
          part = item_condition(m, p, v, depth, path + "." + key);
        } else {
          part = property_condition(m, p, v, path + "." + key);
        }
      } else if (const relation_definition* r = m.find_relation(key)) {
        part = relation_condition(m, *r, v, depth, path + "." + key);
      } else {
        fail("unknown property \"" + excerpt(key) + "\" on " + model_label(m) + at(path + "."));
      }
      result = ast::make_and(result, part);
    }
    return result;  // {} is no condition
  }

  void check_list(const nlohmann::json& v, const std::string& path) const {
    if (v.size() > limits_.max_list_size) {
      fail(path + " has " + std::to_string(v.size()) + " elements; the limit is " +
           std::to_string(limits_.max_list_size));
    }
  }

  void count_values(std::size_t n, const std::string& path) {
    values_ += n;
    if (values_ > limits_.max_values) {
      fail(path + ": the filter compares more than " + std::to_string(limits_.max_values) +
           " values");
    }
  }

  void count_condition(const std::string& path) {
    if (++conditions_ > limits_.max_conditions) {
      fail(path + ": the filter has more than " + std::to_string(limits_.max_conditions) +
           " conditions");
    }
  }

  /// The quantifier of a condition on related rows or items, {"some"|"none"|"every": where};
  /// `what` names them in the message ("relation \"orders\" of model Customer").
  ast::quantifier quantifier_of(const nlohmann::json& v,
                                const std::string& what,
                                const std::string& path) {
    if (!v.is_object() || v.size() != 1) {
      fail(path + ": a condition on " + what +
           " is {\"some\": where}, {\"none\": where} or {\"every\": where}");
    }
    const std::string& q = v.begin().key();
    ast::quantifier quantity{};
    if (q == "some") {
      quantity = ast::quantifier::some;
    } else if (q == "none") {
      quantity = ast::quantifier::none;
    } else if (q == "every") {
      quantity = ast::quantifier::every;
    } else {
      fail(path + ": unknown relation quantifier \"" + excerpt(q) + "\" (some, none or every)");
    }
    count_condition(path);
    return quantity;
  }

  /// {"emails": {"some": where}}: a condition on the items of an embedsMany property.
  ast::node_ptr item_condition(const model_definition& m,
                               std::size_t p,
                               const nlohmann::json& v,
                               std::size_t depth,
                               const std::string& path) {
    const ast::quantifier quantity = quantifier_of(
        v, "the items of \"" + std::string(m.properties[p].name) + "\" of " + model_label(m), path);
    const auto& inner = v.begin().value();
    const model_definition& item = m.properties[p].codec->embedded->item();
    const std::string q = v.begin().key();
    return embedded_condition(m, p, quantity, parse_where(item, inner, depth + 1, path + "." + q));
  }

  ast::node_ptr relation_condition(const model_definition& m,
                                   const relation_definition& r,
                                   const nlohmann::json& v,
                                   std::size_t depth,
                                   const std::string& path) {
    const ast::quantifier quantity =
        quantifier_of(v, "relation \"" + std::string(r.name) + "\" of " + model_label(m), path);
    const std::string& q = v.begin().key();
    const auto& inner = v.begin().value();
    if (inner.is_object() && inner.empty()) return r.kind->condition(r, quantity, {});
    if (!r.polymorphic()) {
      return r.kind->condition(
          r, quantity, parse_where(r.target(), inner, depth + 1, path + "." + q));
    }
    // A polymorphic relation's targets are of several models: a where per model, by name.
    if (!inner.is_object()) {
      fail(path + "." + q + ": relation \"" + std::string(r.name) + "\" of " + model_label(m) +
           " has targets of several models; give a where per model: {\"Model\": where}");
    }
    std::vector<ast::node_ptr> parts;  // some: of any model named; none, every: of each
    for (auto it = inner.begin(); it != inner.end(); ++it) {
      const model_definition& target = named_target(r, it.key(), path + "." + q);
      const std::string at = path + "." + q + "." + it.key();
      parts.push_back(r.kind->condition_on(
          r, target, quantity, parse_where(target, it.value(), depth + 1, at)));
    }
    return ast::make(ast::junction{quantity != ast::quantifier::some, std::move(parts)});
  }

  /// The target model of polymorphic relation `r` named `name`.
  const model_definition& named_target(const relation_definition& r,
                                       const std::string& name,
                                       const std::string& path) const {
    const std::size_t t = r.target_index(name);
    if (t == npos) {
      fail(path + ": \"" + excerpt(name) + "\" is not a target model of relation \"" +
           std::string(r.name) + "\" (" + r.target_names() + ")");
    }
    return r.targets[t]();
  }

  static bool is_operator_object(const nlohmann::json& v) { return v.is_object() && !v.empty(); }

  ast::node_ptr property_condition(const model_definition& m,
                                   std::size_t p,
                                   const nlohmann::json& v,
                                   const std::string& path) {
    // A JSON document is never compared (only tested for null), so an object is operators on
    // a json property too: {"payload": {"neq": null}}, {"payload": {"exists": true}}.
    if (!is_operator_object(v)) {
      count_condition(path);
      if (v.is_null()) return ast::make(ast::comparison{p, ast::op::is_null, {}});
      count_values(1, path);
      return ast::make(ast::comparison{p, ast::op::eq, {operand(m, p, v, path)}});
    }
    ast::node_ptr result;
    for (auto it = v.begin(); it != v.end(); ++it) {
      count_condition(path);
      result = ast::make_and(result, operator_condition(m, p, it.key(), it.value(), path));
    }
    return result;
  }

  ast::node_ptr operator_condition(const model_definition& m,
                                   std::size_t p,
                                   const std::string& op,
                                   const nlohmann::json& v,
                                   const std::string& path) {
    const std::string where = path + "." + op;
    auto single = [&](ast::op o) {
      count_values(1, where);
      return ast::make(ast::comparison{p, o, {operand(m, p, v, where)}});
    };
    auto ordered = [&](ast::op o) {
      require_ordered(m, p, op, path);
      return single(o);
    };
    if (op == "eq") {
      if (v.is_null()) return ast::make(ast::comparison{p, ast::op::is_null, {}});
      return single(ast::op::eq);
    }
    if (op == "neq") {
      if (v.is_null()) return ast::make(ast::comparison{p, ast::op::is_not_null, {}});
      return single(ast::op::neq);
    }
    if (op == "gt") return ordered(ast::op::gt);
    if (op == "gte") return ordered(ast::op::gte);
    if (op == "lt") return ordered(ast::op::lt);
    if (op == "lte") return ordered(ast::op::lte);
    if (op == "inq" || op == "nin") {
      if (!v.is_array()) fail(where + " must be an array");
      check_list(v, where);
      count_values(v.size(), where);
      std::vector<value> values;
      values.reserve(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) {
        values.push_back(operand(m, p, v[i], where + "[" + std::to_string(i) + "]"));
      }
      return ast::make(
          ast::comparison{p, op == "inq" ? ast::op::inq : ast::op::nin, std::move(values)});
    }
    if (op == "between") {
      require_ordered(m, p, op, path);
      if (!v.is_array() || v.size() != 2) fail(where + " must be an array of two values");
      count_values(2, where);
      return ast::make(ast::comparison{
          p,
          ast::op::between,
          {operand(m, p, v[0], where + "[0]"), operand(m, p, v[1], where + "[1]")}});
    }
    if (op == "like" || op == "nlike" || op == "ilike" || op == "nilike") {
      if (m.properties[p].kind != value_kind::text) {
        fail(where + ": " + op + " applies to text properties; " + m.describe(p) + " is " +
             std::string(to_string(m.properties[p].kind)));
      }
      if (!v.is_string()) fail(where + " must be a string pattern, got " + json_excerpt(v));
      if (!valid_utf8(v.get_ref<const std::string&>())) {
        fail(where + " must be UTF-8 text, got " + json_excerpt(v));
      }
      check_like_pattern(v.get_ref<const std::string&>(), m, p);
      if (v.get_ref<const std::string&>().size() > limits_.max_pattern_size) {
        fail(where + ": the pattern is " + std::to_string(v.get_ref<const std::string&>().size()) +
             " bytes; the limit is " + std::to_string(limits_.max_pattern_size));
      }
      count_values(1, where);
      const ast::op o = op == "like"    ? ast::op::like
                        : op == "nlike" ? ast::op::nlike
                        : op == "ilike" ? ast::op::ilike
                                        : ast::op::nilike;
      return ast::make(ast::comparison{p, o, {value{v.get<std::string>()}}});
    }
    if (op == "exists") {
      if (!v.is_boolean()) fail(where + " must be true or false");
      return ast::make(
          ast::comparison{p, v.get<bool>() ? ast::op::is_not_null : ast::op::is_null, {}});
    }
    fail("unknown operator \"" + excerpt(op) + "\" on property " + m.describe(p) +
         " (supported: eq, neq, gt, gte, lt, lte, inq, nin, between, like, nlike, ilike, "
         "nilike, exists)");
  }

  static void require_ordered(const model_definition& m,
                              std::size_t p,
                              const std::string& op,
                              const std::string& path) {
    const auto kind = m.properties[p].kind;
    if (kind == value_kind::array || kind == value_kind::json) {
      fail(path + "." + op + ": " + m.describe(p) + " is " + std::string(to_string(kind)) +
           " and can only be tested for null");
    }
  }

  /// A JSON value as an operand for property p, its type checked.
  static value operand(const model_definition& m,
                       std::size_t p,
                       const nlohmann::json& v,
                       const std::string& path) {
    const value_kind kind = m.properties[p].kind;
    const bool comparable = kind != value_kind::json && kind != value_kind::array;
    if (comparable) {
      // NaN is never stored (writes refuse it), and databases order it differently.
      auto operand = value_from_json(v, kind);
      if (operand && !(kind == value_kind::real && std::isnan(operand->as_real()))) {
        return std::move(*operand);
      }
    }
    fail(path + ": " + m.describe(p) + " expects " + expected_operand(kind, v) + ", got " +
         json_excerpt(v));
  }

  /// What an operand of a property of `kind` must be, for messages.
  static const char* expected_operand(value_kind kind, const nlohmann::json& given) {
    switch (kind) {
      case value_kind::integer:
        return given.is_number_unsigned() ? "a 64-bit integer" : "an integer";
      case value_kind::real:
        return "a number";
      case value_kind::boolean:
        return "true or false";
      case value_kind::text:
        // a string that was refused is not UTF-8 (JSON text holds nothing else)
        return given.is_string() ? "UTF-8 text" : "a string";
      case value_kind::timestamp:
        return "an ISO-8601 time string";
      case value_kind::blob:
        return "a base64 string";
      case value_kind::json:
      case value_kind::array:
      case value_kind::null:
        break;
    }
    return "null (it can only be tested for null)";
  }

  // --- order, fields -------------------------------------------------------------------------

  std::vector<ast::order_term> parse_order(const model_definition& m,
                                           const nlohmann::json& v,
                                           const std::string& path) {
    std::vector<ast::order_term> order;
    auto one = [&](const nlohmann::json& term, const std::string& where) {
      if (!term.is_string()) fail(where + " must be a string \"property [ASC|DESC]\"");
      const std::string& text = term.get_ref<const std::string&>();
      std::vector<std::string> words;
      std::string word;
      for (char c : text) {
        if (c == ' ' || c == '\t') {
          if (!word.empty()) words.push_back(std::move(word));
          word.clear();
        } else {
          word += c;
        }
      }
      if (!word.empty()) words.push_back(std::move(word));
      if (words.empty() || words.size() > 2) {
        fail(where + ": \"" + excerpt(text) + "\" is not of the form \"property [ASC|DESC]\"");
      }
      const std::size_t p = m.find_property(words[0]);
      if (p == npos) {
        fail(where + ": unknown property \"" + excerpt(words[0]) + "\" on " + model_label(m));
      }
      const value_kind kind = m.properties[p].kind;
      if (kind == value_kind::array || kind == value_kind::json) {
        // The C++ DSL's compile-time message (asc, desc), with the property named.
        fail(where + ": cannot order by " + m.describe(p) +
             ": arrays and JSON documents can only be tested for null");
      }
      bool descending = false;
      if (words.size() == 2) {
        std::string dir = words[1];
        for (auto& c : dir) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        if (dir == "DESC") {
          descending = true;
        } else if (dir != "ASC") {
          fail(where + ": \"" + excerpt(text) + "\" is not of the form \"property [ASC|DESC]\"");
        }
      }
      order.push_back(ast::order_term{p, descending});
    };
    if (v.is_array()) {
      check_list(v, path);
      for (std::size_t i = 0; i < v.size(); ++i) one(v[i], path + "[" + std::to_string(i) + "]");
    } else {
      one(v, path);
    }
    return order;
  }

  ast::field_selection parse_fields(const model_definition& m,
                                    const nlohmann::json& v,
                                    const std::string& path) {
    ast::field_selection fields;
    auto property = [&](const std::string& name) {
      const std::size_t p = m.find_property(name);
      if (p == npos) {
        fail(path + ": unknown property \"" + excerpt(name) + "\" on " + model_label(m) +
             (m.find_relation(name) ? " (it is a relation: use include)" : ""));
      }
      return p;
    };
    if (v.is_array()) {
      check_list(v, path);
      for (const auto& e : v) {
        if (!e.is_string()) fail(path + " must list property names");
        fields.properties.push_back(property(e.get<std::string>()));
      }
      return fields;
    }
    if (!v.is_object()) fail(path + " must be an object {property: true|false} or a list");
    check_list(v, path);
    bool any_true = false;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!it.value().is_boolean()) fail(path + "." + excerpt(it.key()) + " must be true or false");
      any_true = any_true || it.value().get<bool>();
    }
    // LoopBack: with any `true`, only the true ones; else all but the false ones.
    fields.exclude = !any_true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::size_t p = property(it.key());
      if (it.value().get<bool>() == any_true) fields.properties.push_back(p);
    }
    return fields;
  }

  // --- include -------------------------------------------------------------------------------

  std::vector<ast::inclusion> parse_include(const model_definition& m,
                                            const nlohmann::json& v,
                                            std::size_t depth,
                                            const std::string& path) {
    if (depth >= limits_.max_include_depth) {
      fail(path + "include nests deeper than " + std::to_string(limits_.max_include_depth) +
           " levels");
    }
    std::vector<ast::inclusion> out;
    const scope_target context = std::exchange(scope_target_, {});  // for this list only
    auto one = [&](const nlohmann::json& e) {
      if (++includes_ > limits_.max_includes) {
        fail("the filter has more than " + std::to_string(limits_.max_includes) + " includes");
      }
      std::string name;
      const nlohmann::json* scope = nullptr;
      const nlohmann::json* target_scopes = nullptr;
      if (e.is_string()) {
        name = e.get<std::string>();
      } else if (e.is_object()) {
        for (auto it = e.begin(); it != e.end(); ++it) {
          if (it.key() != "relation" && it.key() != "scope" && it.key() != "targetScopes" &&
              it.key() != "targetType") {
            fail(path + "include: unknown key \"" + excerpt(it.key()) +
                 "\" (an include entry is {\"relation\": name, \"scope\": filter})");
          }
        }
        auto rel = e.find("relation");
        if (rel == e.end() || !rel->is_string()) {
          fail(path + "include: an entry object needs \"relation\": \"name\"");
        }
        name = rel->get<std::string>();
        auto s = e.find("scope");
        if (s != e.end()) scope = &*s;
        auto t = e.find("targetScopes");
        if (t != e.end()) target_scopes = &*t;
        // LoopBack 4: an entry of a polymorphic relation's scope for targets of one model only.
        if (auto type = e.find("targetType"); type != e.end()) {
          if (!context.relation) {
            fail(path +
                 "include: targetType applies to the includes in the scope of a "
                 "relation whose targets are of several models");
          }
          if (!type->is_string()) fail(path + "include: targetType is a model name");
          named_target(*context.relation, type->get<std::string>(), path + "include");
          if (type->get<std::string>() != context.model) return;  // for another model
        }
      } else {
        fail(path + "include entries are relation names or {\"relation\", \"scope\"} objects");
      }
      const relation_definition* r = m.find_relation(name);
      if (const std::size_t p = embedded_include(m, name); p != npos) {
        // An embedsMany's items: a scope on the item model narrows them.
        if (target_scopes) fail(path + name + ": targetScopes is for a polymorphic relation");
        const model_definition& item = m.properties[p].codec->embedded->item();
        if (scope) {
          out.emplace_back(name, parse_filter(item, *scope, depth + 1, path + name + "."));
        } else {
          out.emplace_back(name);
        }
        return;
      }
      if (!r) {
        bad_includes_.push_back("\"" + path + excerpt(name) + "\" (" + model_label(m) +
                                " has no such relation)");
        return;
      }
      if (r->include_disabled) throw include_disabled(m, path + name);
      if (r->polymorphic()) {
        out.push_back(polymorphic_include(*r, scope, target_scopes, depth, path));
      } else if (target_scopes) {
        fail(path + name + ": targetScopes is for a relation whose targets are of several models");
      } else if (scope) {
        out.emplace_back(name, parse_filter(r->target(), *scope, depth + 1, path + name + "."));
      } else {
        out.emplace_back(name);
      }
    };
    if (v.is_array()) {
      check_list(v, path + "include");
      for (const auto& e : v) one(e);
    } else {
      one(v);
    }
    return out;
  }

  /// An include of polymorphic relation `r`: `scope` applies to the targets of every model
  /// (checked against each), `targetScopes` ({"Model": filter}) to those of one, instead.
  ast::inclusion polymorphic_include(const relation_definition& r,
                                     const nlohmann::json* scope,
                                     const nlohmann::json* target_scopes,
                                     std::size_t depth,
                                     const std::string& path) {
    ast::inclusion out(r.name);
    const std::string at = path + std::string(r.name) + ".";
    if (target_scopes) {
      if (!target_scopes->is_object()) {
        fail(at + "targetScopes is an object: {\"Model\": filter}");
      }
      for (auto it = target_scopes->begin(); it != target_scopes->end(); ++it) {
        const model_definition& target = named_target(r, it.key(), at + "targetScopes");
        out.target_scopes.emplace_back(it.key(),
                                       std::make_shared<const ast::filter>(parse_filter(
                                           target, it.value(), depth + 1, at + it.key() + ".")));
      }
    }
    if (scope) {
      for (const auto& target : r.targets) {
        const std::string model_name(target().name);
        if (target_scopes && target_scopes->contains(model_name)) continue;
        scope_target_ = {&r, model_name};
        auto parsed = parse_filter(target(), *scope, depth + 1, at + model_name + ".");
        scope_target_ = {};
        out.target_scopes.emplace_back(model_name,
                                       std::make_shared<const ast::filter>(std::move(parsed)));
      }
    }
    return out;
  }

  /// The polymorphic relation whose scope is being read for one of its models: its include
  /// entries with a targetType of another model are left out.
  struct scope_target {
    const relation_definition* relation = nullptr;
    std::string model;
  };

  const json_limits& limits_;
  scope_target scope_target_;
  std::size_t conditions_ = 0;
  std::size_t values_ = 0;
  std::size_t includes_ = 0;
  std::vector<std::string> bad_includes_;
};

RELATA_ENGINE_INLINE ast::filter parse_filter(const model_definition& m,
                                              const nlohmann::json& document,
                                              const json_limits& limits) {
  filter_parser parser{limits};
  parser.check_document(document);
  return parser.filter(m, document);
}

RELATA_ENGINE_INLINE ast::filter parse_filter(const model_definition& m,
                                              std::string_view text,
                                              const json_limits& limits) {
  filter_parser parser{limits};
  return parser.filter(m, parser.parse_text(text));
}

RELATA_ENGINE_INLINE ast::node_ptr parse_where(const model_definition& m,
                                               const nlohmann::json& document,
                                               const json_limits& limits) {
  filter_parser parser{limits};
  parser.check_document(document);
  return parser.where(m, document);
}

RELATA_ENGINE_INLINE ast::node_ptr parse_where(const model_definition& m,
                                               std::string_view text,
                                               const json_limits& limits) {
  filter_parser parser{limits};
  return parser.where(m, parser.parse_text(text));
}

RELATA_ENGINE_INLINE nlohmann::json parse_filter_text(std::string_view text,
                                                      const json_limits& limits) {
  return filter_parser{limits}.parse_text(text);
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail

namespace relata {

template <class M>
filter<M> filter<M>::from_json(const nlohmann::json& document, const json_limits& limits) {
  return lift(detail::parse_filter(definition_of<M>(), document, limits));
}

template <class M>
filter<M> filter<M>::from_json(std::string_view text, const json_limits& limits) {
  return lift(detail::parse_filter(definition_of<M>(), text, limits));
}

template <class M>
where<M> where<M>::from_json(const nlohmann::json& document, const json_limits& limits) {
  return where<M>{detail::parse_where(definition_of<M>(), document, limits)};
}

template <class M>
where<M> where<M>::from_json(std::string_view text, const json_limits& limits) {
  return where<M>{detail::parse_where(definition_of<M>(), text, limits)};
}

}  // namespace relata
