// relata/query.hpp: the query tree, untyped. What a repository asks of a connector is built
// from it: conditions on properties (indexes into the model_definition) with `value`
// operands, always bound as parameters; orders, field selections, includes. The typed DSL
// (filter.hpp) and filter JSON (filter_json.hpp) build it; connectors read it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/errors.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata {

/// The query AST: the contract between repositories and connectors. Properties are indexes
/// into the model_definition; values are `value`s, always bound as parameters.
namespace ast {

/// Comparison operators, LoopBack's set. `is_null` / `is_not_null` are `{eq: null}` /
/// `{neq: null}` / `exists`.
enum class op : std::uint8_t {
  eq,
  neq,
  gt,
  gte,
  lt,
  lte,
  inq,
  nin,
  between,
  like,
  nlike,
  ilike,
  nilike,
  is_null,
  is_not_null,
};

constexpr std::string_view to_string(op o) noexcept {
  switch (o) {
    case op::eq:
      return "eq";
    case op::neq:
      return "neq";
    case op::gt:
      return "gt";
    case op::gte:
      return "gte";
    case op::lt:
      return "lt";
    case op::lte:
      return "lte";
    case op::inq:
      return "inq";
    case op::nin:
      return "nin";
    case op::between:
      return "between";
    case op::like:
      return "like";
    case op::nlike:
      return "nlike";
    case op::ilike:
      return "ilike";
    case op::nilike:
      return "nilike";
    case op::is_null:
      return "is null";
    case op::is_not_null:
      return "is not null";
  }
  return "?";
}

struct node;

/// A shared, immutable condition: combining two filters copies pointers, not trees. A null
/// node_ptr is the condition that is always true. Its copies and destruction are engine
/// functions, so that the many per-model types holding one (where<M>, filters, relation
/// scopes) compile to calls, not to inlined reference counting.
class node_ptr {
 public:
  node_ptr() noexcept = default;
  node_ptr(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor): like a pointer
  node_ptr(std::shared_ptr<const node> shared) noexcept;  // NOLINT
  node_ptr(const node_ptr& other) noexcept;
  node_ptr(node_ptr&& other) noexcept;
  node_ptr& operator=(const node_ptr& other) noexcept;
  node_ptr& operator=(node_ptr&& other) noexcept;
  ~node_ptr();

  const node* get() const noexcept { return shared_.get(); }
  const node& operator*() const noexcept { return *get(); }
  const node* operator->() const noexcept { return get(); }
  explicit operator bool() const noexcept { return get() != nullptr; }
  friend bool operator==(const node_ptr& a, std::nullptr_t) noexcept { return !a; }

 private:
  std::shared_ptr<const node> shared_;
};

/// `property <op> operands`: one operand for eq..lte and the likes, n for inq/nin, two for
/// between, none for the null tests. SQL's rules: a comparison with NULL is not true.
struct comparison {
  std::size_t property;
  op operation;
  std::vector<value> operands;
};

/// `and` (all) or `or` (any) of conditions.
struct junction {
  bool all;
  std::vector<node_ptr> children;
};

/// How many related rows must match a relation condition (`relata::some`, `none`, `every`).
enum class quantifier : std::uint8_t { some, none, every };

/// `[NOT] EXISTS (SELECT 1 FROM model WHERE <matched to the outer row> AND where)`: a correlated
/// subquery. Relation conditions (some / none / every) are built from it by their relation
/// kind (relation/<kind>.hpp), so a connector knows models and rows, not relations.
///
/// A row of `model` matches the outer row when its `key` equals the outer row's `outer_key`;
/// or, with `outer_is_array`, is one of the elements of the outer row's array `outer_key`; or,
/// through a `link` model, when a link row has `link_target` = its `key` and `link_source` =
/// the outer row's `outer_key`.
struct exists {
  const model_definition* model = nullptr;
  std::size_t key = npos;
  std::size_t outer_key = npos;
  bool outer_is_array = false;
  const model_definition* link = nullptr;
  std::size_t link_source = npos;
  std::size_t link_target = npos;
  /// What a row of `model` must also meet to be matched at all (part of the relation, not of
  /// the condition: an "as" relation's discriminator); null: nothing more.
  node_ptr scope{};
  /// A condition on the matched rows; null: any row.
  node_ptr where{};
  /// NOT EXISTS.
  bool negated = false;
  /// The matched rows must fail `where` (NULL counts as failing): `every` is NOT EXISTS a
  /// matched row for which `where` is not true.
  bool where_not_true = false;
  /// The relation it was built for, for messages.
  std::string_view relation{};
  /// The rows are the items of the outer row's embedded document `outer_key` (an embedsMany:
  /// relation/embeds_many.hpp), of model `model`; `key` is unused.
  bool embedded = false;
};

/// `property [NOT] IN (SELECT selected FROM model WHERE where)`: how a hasManyThrough finds the
/// targets linked to one source without a round trip for the links.
struct membership {
  std::size_t property;
  bool negated;
  const model_definition* model;
  std::size_t selected;
  node_ptr where;
};

struct node {
  std::variant<comparison, junction, exists, membership> content;
};

/// A shared node holding one condition. Engine functions, so that a user's unit compiles
/// none of the node variant's machinery.
node_ptr make(comparison c);
node_ptr make(junction j);
node_ptr make(exists e);
node_ptr make(membership m);

/// `a AND b`, either side may be null (always true).
node_ptr make_and(node_ptr a, node_ptr b);
/// `a OR b`; a null side makes the whole condition always true.
node_ptr make_or(node_ptr a, node_ptr b);

/// How many values a condition binds (the inclusion resolver sizes its chunks with it).
std::size_t parameter_count(const node_ptr& n);

/// `properties[0] = values[0] AND properties[1] = values[1] ...`.
node_ptr properties_equal(std::span<const std::size_t> properties, std::span<const value> values);
/// `pk1 = key[0] AND pk2 = key[1] ...` on the primary key of `m` (one value per key property).
node_ptr primary_key_equals(const model_definition& m, std::span<const value> key);
/// The `property = value` conditions `where` holds every row it matches to: its conjuncts (at
/// the top, or in nested ANDs) that are equalities with one non-null value. What a write
/// through a scope stamps on the rows it creates.
std::vector<std::pair<std::size_t, value>> required_equalities(const node_ptr& where);

/// The largest limit or skip: every database counts rows in a signed 64-bit integer.
inline constexpr std::uint64_t max_row_count = 9223372036854775807ULL;

/// Throws INVALID_FILTER naming `key` ("limit", "include orders: skip") and the bound when
/// `count` is past max_row_count: a database would wrap it, or refuse it in its own words.
void check_row_count(std::uint64_t count, std::string_view key);

/// ORDER BY one property.
struct order_term {
  std::size_t property;
  bool descending = false;
};

// The filter parts below are copied and destroyed by per-model code (filter<M>, its lowering,
// includes); their constructors and special members are engine functions so that this code
// compiles to calls.

/// Which properties to read. Empty: all. `exclude`: all but those listed.
struct field_selection {
  std::vector<std::size_t> properties;
  bool exclude = false;

  field_selection() noexcept = default;
  field_selection(std::vector<std::size_t> listed, bool excluded) noexcept;
  field_selection(const field_selection& other);
  field_selection(field_selection&& other) noexcept;
  field_selection& operator=(const field_selection& other);
  field_selection& operator=(field_selection&& other) noexcept;
  ~field_selection();

  bool all() const noexcept { return properties.empty() && !exclude; }
  bool selects(std::size_t property) const noexcept {
    bool listed = false;
    for (auto p : properties) listed = listed || p == property;
    return exclude ? !listed : (properties.empty() || listed);
  }
};

struct filter;

/// One `include` entry: a relation name and an optional scope (a filter on the target).
struct inclusion {
  std::string relation;
  std::shared_ptr<const filter> scope;
  /// A polymorphic relation's scopes, one per target model named (by its model name): its
  /// targets of each model are read with that model's. Targets of a model not named here are
  /// read without a scope.
  std::vector<std::pair<std::string, std::shared_ptr<const filter>>> target_scopes;

  explicit inclusion(std::string_view relation_name);
  inclusion(std::string_view relation_name, filter scope_filter);
  inclusion(const inclusion& other);
  inclusion(inclusion&& other) noexcept;
  inclusion& operator=(const inclusion& other);
  inclusion& operator=(inclusion&& other) noexcept;
  ~inclusion();
};

/// A whole LoopBack filter, untyped.
struct filter {
  node_ptr where;
  std::vector<order_term> order;
  std::optional<std::uint64_t> limit;
  std::uint64_t skip = 0;
  field_selection fields;
  std::vector<inclusion> include;

  filter() noexcept = default;
  /// The filter of these parts (what a typed filter lowers to).
  filter(const node_ptr& where_condition,
         const std::vector<order_term>& order_terms,
         std::optional<std::uint64_t> row_limit,
         std::uint64_t rows_skipped,
         const field_selection& selected,
         const std::vector<inclusion>& inclusions);
  filter(const filter& other);
  filter(filter&& other) noexcept;
  filter& operator=(const filter& other);
  filter& operator=(filter&& other) noexcept;
  ~filter();
};

/// A scope (a relation's, or a model's named or default one) applied to a caller's filter:
/// the wheres are AND-ed; the includes are merged, the caller's entry replacing the scope's
/// for the same relation; the order, limit, skip and fields are the caller's when given, else
/// the scope's.
filter merge_scope(const filter& scope, filter caller);

}  // namespace ast

#if RELATA_DEFINE_ENGINE
namespace ast {

RELATA_ENGINE_INLINE node_ptr::node_ptr(std::shared_ptr<const node> shared) noexcept
    : shared_(std::move(shared)) {}
RELATA_ENGINE_INLINE node_ptr::node_ptr(const node_ptr& other) noexcept = default;
RELATA_ENGINE_INLINE node_ptr::node_ptr(node_ptr&& other) noexcept = default;
RELATA_ENGINE_INLINE node_ptr& node_ptr::operator=(const node_ptr& other) noexcept = default;
RELATA_ENGINE_INLINE node_ptr& node_ptr::operator=(node_ptr&& other) noexcept = default;
RELATA_ENGINE_INLINE node_ptr::~node_ptr() = default;

RELATA_ENGINE_INLINE field_selection::field_selection(std::vector<std::size_t> listed,
                                                      bool excluded) noexcept
    : properties(std::move(listed)), exclude(excluded) {}
RELATA_ENGINE_INLINE field_selection::field_selection(const field_selection& other) = default;
RELATA_ENGINE_INLINE field_selection::field_selection(field_selection&& other) noexcept = default;
RELATA_ENGINE_INLINE field_selection& field_selection::operator=(const field_selection& other) =
    default;
RELATA_ENGINE_INLINE field_selection& field_selection::operator=(field_selection&& other) noexcept =
    default;
RELATA_ENGINE_INLINE field_selection::~field_selection() = default;

RELATA_ENGINE_INLINE inclusion::inclusion(std::string_view relation_name)
    : relation(relation_name) {}
RELATA_ENGINE_INLINE inclusion::inclusion(std::string_view relation_name, filter scope_filter)
    : relation(relation_name), scope(std::make_shared<const filter>(std::move(scope_filter))) {}
RELATA_ENGINE_INLINE inclusion::inclusion(const inclusion& other) = default;
RELATA_ENGINE_INLINE inclusion::inclusion(inclusion&& other) noexcept = default;
RELATA_ENGINE_INLINE inclusion& inclusion::operator=(const inclusion& other) = default;
RELATA_ENGINE_INLINE inclusion& inclusion::operator=(inclusion&& other) noexcept = default;
RELATA_ENGINE_INLINE inclusion::~inclusion() = default;

RELATA_ENGINE_INLINE filter::filter(const node_ptr& where_condition,
                                    const std::vector<order_term>& order_terms,
                                    std::optional<std::uint64_t> row_limit,
                                    std::uint64_t rows_skipped,
                                    const field_selection& selected,
                                    const std::vector<inclusion>& inclusions)
    : where(where_condition),
      order(order_terms),
      limit(row_limit),
      skip(rows_skipped),
      fields(selected),
      include(inclusions) {}
RELATA_ENGINE_INLINE filter::filter(const filter& other) = default;
RELATA_ENGINE_INLINE filter::filter(filter&& other) noexcept = default;
RELATA_ENGINE_INLINE filter& filter::operator=(const filter& other) = default;
RELATA_ENGINE_INLINE filter& filter::operator=(filter&& other) noexcept = default;
RELATA_ENGINE_INLINE filter::~filter() = default;

RELATA_ENGINE_INLINE node_ptr make(comparison c) {
  return std::make_shared<const node>(node{std::move(c)});
}
RELATA_ENGINE_INLINE node_ptr make(junction j) {
  return std::make_shared<const node>(node{std::move(j)});
}
RELATA_ENGINE_INLINE node_ptr make(exists e) {
  return std::make_shared<const node>(node{std::move(e)});
}
RELATA_ENGINE_INLINE node_ptr make(membership m) {
  return std::make_shared<const node>(node{std::move(m)});
}

RELATA_ENGINE_INLINE node_ptr make_and(node_ptr a, node_ptr b) {
  if (!a) return b;
  if (!b) return a;
  return make(junction{true, {std::move(a), std::move(b)}});
}
RELATA_ENGINE_INLINE node_ptr make_or(node_ptr a, node_ptr b) {
  if (!a || !b) return nullptr;
  return make(junction{false, {std::move(a), std::move(b)}});
}

RELATA_ENGINE_INLINE std::size_t parameter_count(const node_ptr& n) {
  if (!n) return 0;
  return std::visit(
      [](const auto& c) -> std::size_t {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, comparison>) {
          return c.operands.size();
        } else if constexpr (std::is_same_v<T, junction>) {
          std::size_t total = 0;
          for (const auto& child : c.children) total += parameter_count(child);
          return total;
        } else if constexpr (std::is_same_v<T, exists>) {
          return parameter_count(c.scope) + parameter_count(c.where);
        } else {
          return parameter_count(c.where);
        }
      },
      n->content);
}

RELATA_ENGINE_INLINE void check_row_count(std::uint64_t count, std::string_view key) {
  if (count <= max_row_count) return;
  throw invalid_filter("invalid filter: " + std::string(key) + " is " + std::to_string(count) +
                       "; it must be at most " + std::to_string(max_row_count) + " (2^63 - 1)");
}

RELATA_ENGINE_INLINE node_ptr properties_equal(std::span<const std::size_t> properties,
                                               std::span<const value> values) {
  node_ptr condition;
  for (std::size_t i = 0; i < values.size(); ++i) {
    condition = make_and(condition, make(comparison{properties[i], op::eq, {values[i]}}));
  }
  return condition;
}

RELATA_ENGINE_INLINE node_ptr primary_key_equals(const model_definition& m,
                                                 std::span<const value> key) {
  return properties_equal(m.primary_key, key);
}

RELATA_ENGINE_INLINE std::vector<std::pair<std::size_t, value>> required_equalities(
    const node_ptr& where) {
  std::vector<std::pair<std::size_t, value>> out;
  auto walk = [&out](auto&& self, const node_ptr& n) -> void {
    if (!n) return;
    if (const auto* j = std::get_if<junction>(&n->content)) {
      if (!j->all) return;
      for (const auto& child : j->children) self(self, child);
    } else if (const auto* c = std::get_if<comparison>(&n->content)) {
      if (c->operation == op::eq && c->operands.size() == 1 && !c->operands[0].is_null()) {
        out.emplace_back(c->property, c->operands[0]);
      }
    }
  };
  walk(walk, where);
  return out;
}

RELATA_ENGINE_INLINE filter merge_scope(const filter& scope, filter caller) {
  caller.where = make_and(scope.where, caller.where);
  if (caller.order.empty()) caller.order = scope.order;
  if (!caller.limit) caller.limit = scope.limit;
  if (caller.skip == 0) caller.skip = scope.skip;
  if (caller.fields.properties.empty()) caller.fields = scope.fields;
  std::vector<inclusion> include;
  for (const auto& entry : scope.include) {
    bool replaced = false;
    for (const auto& given : caller.include)
      replaced = replaced || given.relation == entry.relation;
    if (!replaced) include.push_back(entry);
  }
  for (auto& entry : caller.include) include.push_back(std::move(entry));
  caller.include = std::move(include);
  return caller;
}

}  // namespace ast

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata
