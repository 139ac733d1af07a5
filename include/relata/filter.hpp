// relata/filter.hpp: LoopBack's filter (where, order, fields, limit, skip, include) as a query
// AST, and the typed C++ DSL that builds it.
//
//     relata::filter<Order> f{
//         .where = relata::col(&Order::total) > 2.0 && relata::col(&Order::description).like("p%"),
//         .order = {relata::desc(&Order::total)},
//         .limit = 10};
//
// A property that does not exist, a value of the wrong type, or `like` on a number does not
// compile. `filter<M>::from_json` (filter_json.hpp) builds the same AST from LoopBack filter
// JSON, validated against the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <relata/detail/definition.hpp>
#include <relata/detail/like.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/model.hpp>
#include <relata/query.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/value.hpp>

namespace relata {

// --- bounds on untrusted filters -------------------------------------------------------------

/// Bounds applied to filters parsed from JSON (an untrusted source). Exceeding one is an
/// INVALID_FILTER error that names the bound. The defaults keep every connector within its own
/// limits (SQLite binds each value as a parameter, 32,766 at most in its default build, and
/// refuses LIKE patterns over 50,000 bytes), so that a filter they admit runs everywhere.
struct json_limits {
  std::size_t max_text_size = 64 * 1024;  ///< bytes of JSON text
  std::size_t max_depth = 12;             ///< nesting of and/or and relation conditions
  std::size_t max_list_size = 1000;       ///< elements of an inq/nin list, an order list, ...
  std::size_t max_conditions = 500;       ///< comparisons in one where
  std::size_t max_include_depth = 4;      ///< nesting of include scopes
  std::size_t max_includes = 32;          ///< include entries in the whole filter
  std::size_t max_values = 10000;         ///< values compared in the whole filter, lists included
  std::size_t max_pattern_size = 10000;   ///< bytes of a like, nlike, ilike or nilike pattern
};

// --- typed conditions ------------------------------------------------------------------------

/// A condition on model M. Default-constructed: always true. Combine with && and ||.
template <class M>
class where {
 public:
  where() = default;
  explicit where(ast::node_ptr node) noexcept : node_(std::move(node)) {}

  const ast::node_ptr& node() const noexcept { return node_; }
  /// True when the condition is "always true" (no where).
  bool empty() const noexcept { return !node_; }

  /// A LoopBack `where` object from an untrusted source, validated against M (filter_json.hpp).
  static where from_json(std::string_view text, const json_limits& limits = {});
  static where from_json(const char* text, const json_limits& limits = {}) {
    return from_json(std::string_view(text), limits);
  }
  static where from_json(const std::string& text, const json_limits& limits = {}) {
    return from_json(std::string_view(text), limits);
  }
  static where from_json(const nlohmann::json& document, const json_limits& limits = {});

  friend where operator&&(const where& a, const where& b) {
    return where{ast::make_and(a.node_, b.node_)};
  }
  friend where operator||(const where& a, const where& b) {
    return where{ast::make_or(a.node_, b.node_)};
  }

 private:
  ast::node_ptr node_;
};

namespace detail {

template <class M, bool Ok>
struct check_condition_model {
  static_assert(Ok,
                "relata: conditions, orders and field lists name members of a model "
                "declared with RELATA_MODEL");
  static constexpr bool value = Ok;
};
template <class M, class T, bool Ok>
struct check_condition_on_property {
  static_assert(Ok,
                "relata: this member is a relation; compare stored properties, or test "
                "related rows with relata::some, relata::none or relata::every");
  static constexpr bool value = Ok;
};
template <class Property, class Value, bool Ok>
struct check_value_type {
  static_assert(Ok,
                "relata: the value's type does not match the property's type in this "
                "condition (numbers compare with numbers, integers with integers, text "
                "with strings, enums with their own enum)");
  static constexpr bool value = Ok;
};
template <class M, class R, bool Ok>
struct check_relation_condition_member {
  static_assert(Ok,
                "relata: relata::some, relata::none and relata::every take a relation member "
                "or an embeds_many member, not a stored property");
  static constexpr bool value = Ok;
};
template <class R, class T, bool Ok>
struct check_on_target {
  static_assert(Ok,
                "relata: relata::on<T> names a model that is not a target of this relation "
                "(for a polymorphic relation, one of the models of its relata::one_of)");
  static constexpr bool value = Ok;
};
template <class M, class R, bool Ok>
struct check_include_member {
  static_assert(Ok,
                "relata: relata::include names a relation member or an embeds_many member (whose "
                "items its scope narrows), not a stored property");
  static constexpr bool value = Ok;
};
/// Model M's relation member of type R is included, but was declared relata::disable_include.
template <class M, class R, bool Ok>
struct check_include_not_disabled {
  static_assert(Ok,
                "relata: relata::include names a relation declared with relata::disable_include; "
                "read its targets through the relation's accessor instead, or drop the option");
  static constexpr bool value = Ok;
};
/// Whether relation member type R may be named in an include.
template <class R>
inline constexpr bool includable = [] {
  if constexpr (is_relation_type<R>) {
    return !R::options::include_disabled;
  } else {
    return true;
  }
}();
template <class Property, bool Ok>
struct check_like_on_text {
  static_assert(Ok, "relata: like, nlike, ilike and nilike apply to text properties only");
  static constexpr bool value = Ok;
};
template <class Property, bool Ok>
struct check_ordered_type {
  static_assert(Ok, "relata: arrays and JSON documents can only be tested for null");
  static constexpr bool value = Ok;
};
/// Whether a property of type T can be ordered by, or compared with <, between ...: not an
/// array or a JSON document. A relation says yes: its own check refuses it.
template <class T>
constexpr bool ordered_property() {
  if constexpr (is_relation_type<T>) {
    return true;
  } else {
    constexpr value_kind k = kind_of<non_optional_t<T>>();
    return k != value_kind::array && k != value_kind::json;
  }
}

/// Where member `member` lies in an M: how the runtime definition knows it, so that finding a
/// member's property or relation is a search, not code instantiated for every member.
template <class M, class T>
std::size_t member_offset(T M::*member) noexcept {
  const layout_probe<M> probe;
  return offset_in(&probe.object, &(probe.object.*member));
}

/// The index of the property of `m` at `offset` in an entity, or npos.
inline std::size_t property_at_offset(const model_definition& m, std::size_t offset) noexcept {
  for (std::size_t i = 0; i < m.properties.size(); ++i) {
    if (m.properties[i].offset == offset) return i;
  }
  return npos;
}

/// The property index of member pointer `member` of M, or npos.
template <class M, class T>
std::size_t property_index(T M::*member) {
  return property_at_offset(definition_of<M>(), member_offset(member));
}

template <class P, class V>
constexpr bool comparable_value() {
  using U = key_value_t<P>;
  using W = key_value_t<std::remove_cvref_t<V>>;
  if constexpr (std::is_same_v<U, bool>) {
    return std::is_same_v<W, bool>;
  } else if constexpr (std::is_arithmetic_v<U> && !std::is_enum_v<U>) {
    if constexpr (std::is_same_v<W, bool> || !std::is_arithmetic_v<W>) {
      return false;
    } else {
      return std::is_floating_point_v<U> || std::is_integral_v<W>;
    }
  } else if constexpr (std::is_same_v<U, std::string>) {
    return std::is_convertible_v<const W&, std::string_view>;
  } else if constexpr (std::is_enum_v<U>) {
    return std::is_same_v<W, U>;
  } else {
    return std::is_convertible_v<const W&, U>;
  }
}

template <class T>
const auto& unwrap_key(const T& v) {
  if constexpr (is_id<T>::value) {
    return v.value;
  } else {
    return v;
  }
}

}  // namespace detail

/// A stored property of M with type T, in a condition: `relata::col(&Order::total) > 2.0`.
template <class M, class T>
class property_ref {
 public:
  using operand_type = detail::key_value_t<T>;

  explicit property_ref(std::size_t property) noexcept : property_(property) {}
  std::size_t index() const noexcept { return property_; }

  template <class V>
  where<M> operator==(const V& v) const {
    if constexpr (detail::is_optional<V>::value) {
      return v ? *this == *v : is_null();
    } else {
      return compare(ast::op::eq, {operand(v)});
    }
  }
  template <class V>
  where<M> operator!=(const V& v) const {
    if constexpr (detail::is_optional<V>::value) {
      return v ? *this != *v : is_not_null();
    } else {
      return compare(ast::op::neq, {operand(v)});
    }
  }
  where<M> operator==(std::nullopt_t) const { return is_null(); }
  where<M> operator!=(std::nullopt_t) const { return is_not_null(); }
  template <class V>
  where<M> operator<(const V& v) const {
    return ordered(ast::op::lt, v);
  }
  template <class V>
  where<M> operator<=(const V& v) const {
    return ordered(ast::op::lte, v);
  }
  template <class V>
  where<M> operator>(const V& v) const {
    return ordered(ast::op::gt, v);
  }
  template <class V>
  where<M> operator>=(const V& v) const {
    return ordered(ast::op::gte, v);
  }
  /// `inq`: the property equals one of the values. An empty list matches nothing.
  where<M> in(std::initializer_list<operand_type> values) const {
    return list(ast::op::inq, values);
  }
  template <class Range>
  where<M> in(const Range& values) const {
    return list(ast::op::inq, values);
  }
  /// `nin`: the property is not NULL and equals none of the values. An empty list matches all.
  where<M> not_in(std::initializer_list<operand_type> values) const {
    return list(ast::op::nin, values);
  }
  template <class Range>
  where<M> not_in(const Range& values) const {
    return list(ast::op::nin, values);
  }
  /// `between`: low <= property <= high.
  template <class V, class W>
  where<M> between(const V& low, const W& high) const {
    static_assert(detail::check_ordered_type<T, detail::ordered_property<T>()>::value);
    return compare(ast::op::between, {operand(low), operand(high)});
  }
  /// SQL LIKE, case-sensitive: `%` any run, `_` one character, `\` escapes either.
  where<M> like(std::string_view pattern) const { return text(ast::op::like, pattern); }
  where<M> not_like(std::string_view pattern) const { return text(ast::op::nlike, pattern); }
  /// LIKE ignoring ASCII case.
  where<M> ilike(std::string_view pattern) const { return text(ast::op::ilike, pattern); }
  where<M> not_ilike(std::string_view pattern) const { return text(ast::op::nilike, pattern); }
  /// IS NULL.
  where<M> is_null() const { return compare(ast::op::is_null, {}); }
  /// IS NOT NULL.
  where<M> is_not_null() const { return compare(ast::op::is_not_null, {}); }
  /// LoopBack's `exists`: true -> IS NOT NULL, false -> IS NULL.
  where<M> exists(bool present = true) const { return present ? is_not_null() : is_null(); }

 private:
  template <class V>
  value operand(const V& v) const {
    static_assert(detail::check_value_type<T, V, detail::comparable_value<T, V>()>::value);
    try {
      return detail::to_value(static_cast<operand_type>(detail::unwrap_key(v)));
    } catch (const detail::conversion_failure& failure) {
      throw invalid_filter("invalid filter: " + definition_of<M>().describe(property_) + ": " +
                           failure.what);
    }
  }
  where<M> compare(ast::op o, std::vector<value> operands) const {
    return where<M>{ast::make(ast::comparison{property_, o, std::move(operands)})};
  }
  template <class V>
  where<M> ordered(ast::op o, const V& v) const {
    static_assert(detail::check_ordered_type<T, detail::ordered_property<T>()>::value);
    return compare(o, {operand(v)});
  }
  template <class Range>
  where<M> list(ast::op o, const Range& values) const {
    std::vector<value> operands;
    for (const auto& v : values) operands.push_back(operand(v));
    return compare(o, std::move(operands));
  }
  where<M> text(ast::op o, std::string_view pattern) const {
    static_assert(
        detail::check_like_on_text<T, std::is_same_v<detail::key_value_t<T>, std::string>>::value);
    detail::check_like_pattern(pattern, definition_of<M>(), property_);
    return compare(o, {value{std::string(pattern)}});
  }

  std::size_t property_;
};

/// A property in a condition: `relata::col(&Customer::age) >= 18`.
template <class T, class M>
property_ref<M, T> col(T M::*member) {
  static_assert(detail::check_condition_model<M, model<M>>::value);
  static_assert(detail::check_condition_on_property<M, T, !detail::is_relation_type<T>>::value);
  return property_ref<M, T>{detail::property_index(member)};
}

namespace detail {
/// What a member that is not a relation "targets": lets relata::some and relata::include
/// reach their static_assert instead of failing overload resolution.
struct not_a_relation {};
template <class R>
struct target_of {
  using type = not_a_relation;
};
template <class R>
requires requires { typename R::target_type; }
struct target_of<R> {
  using type = typename R::target_type;
};
template <class R>
using target_of_t = typename target_of<R>::type;

/// The relation of `m` whose member lies at `offset` in an entity (there is one).
inline const relation_definition& relation_at_offset(const model_definition& m,
                                                     std::size_t offset) noexcept {
  std::size_t i = 0;
  while (m.relations[i].offset != offset) ++i;
  return m.relations[i];
}

/// The runtime definition of relation member `relation` of M.
template <class M, class R>
const relation_definition& relation_definition_of(R M::*relation) {
  // R is a relation type of M (checked by the callers), so it is there
  return relation_at_offset(definition_of<M>(), member_offset(relation));
}

/// Whether members of type R take relata::some, none and every on their items (embeds_many).
template <class R>
constexpr bool has_item_conditions = requires {
  &R::item_condition;
};

template <class M, class R>
where<M> relation_condition(R M::*relation, ast::quantifier q, const ast::node_ptr& inner) {
  static_assert(detail::check_condition_model<M, model<M>>::value);
  constexpr bool relation_or_items = is_relation_type<R> || has_item_conditions<R>;
  static_assert(check_relation_condition_member<M, R, relation_or_items>::value);
  if constexpr (is_relation_type<R>) {
    const relation_definition& r = relation_definition_of(relation);
    return where<M>{r.kind->condition(r, q, inner)};
  } else if constexpr (has_item_conditions<R>) {
    return where<M>{R::item_condition(definition_of<M>(), property_index(relation), q, inner)};
  } else {
    return where<M>{};
  }
}
template <class T, class M, class R>
where<M> relation_condition_on(R M::*relation, ast::quantifier q, const ast::node_ptr& inner) {
  static_assert(detail::check_condition_model<M, model<M>>::value);
  static_assert(check_relation_condition_member<M, R, is_relation_type<R>>::value);
  if constexpr (is_relation_type<R>) {
    static_assert(check_on_target<R, T, target_includes<target_of_t<R>, T>>::value);
    const relation_definition& r = relation_definition_of(relation);
    return where<M>{r.kind->condition_on(r, definition_of<T>(), q, inner)};
  } else {
    return where<M>{};
  }
}
}  // namespace detail

/// A condition on the targets of model T of a relation: `relata::on<Customer>(w)`, for a
/// polymorphic relation, whose targets are of several models.
template <class T>
struct target_condition {
  where<T> condition;
};
/// Targets of model T matching `w` (any target of model T when `w` is empty).
template <class T>
target_condition<T> on(const where<T>& w = {}) {
  return {w};
}

/// Filter by a related model: some related row matches `w` (any row when `w` is empty).
/// `relata::some(&Customer::orders, relata::col(&Order::total) > 100)`
template <class M, class R>
where<M> some(R M::*relation, const where<detail::target_of_t<R>>& w = {}) {
  return detail::relation_condition(relation, ast::quantifier::some, w.node());
}
/// No related row matches `w` (no related row at all when `w` is empty).
template <class M, class R>
where<M> none(R M::*relation, const where<detail::target_of_t<R>>& w = {}) {
  return detail::relation_condition(relation, ast::quantifier::none, w.node());
}
/// Every related row matches `w` (true when there is none).
template <class M, class R>
where<M> every(R M::*relation, const where<detail::target_of_t<R>>& w) {
  return detail::relation_condition(relation, ast::quantifier::every, w.node());
}

/// Some target of model T matches: `relata::some(&Contact::stakeholder,
/// relata::on<Customer>(relata::col(&Customer::name) == "Ada"))`.
template <class M, class R, class T>
where<M> some(R M::*relation, const target_condition<T>& w) {
  return detail::relation_condition_on<T>(relation, ast::quantifier::some, w.condition.node());
}
/// No target of model T matches (targets of other models do not count).
template <class M, class R, class T>
where<M> none(R M::*relation, const target_condition<T>& w) {
  return detail::relation_condition_on<T>(relation, ast::quantifier::none, w.condition.node());
}
/// Every target of model T matches (targets of other models do not count).
template <class M, class R, class T>
where<M> every(R M::*relation, const target_condition<T>& w) {
  return detail::relation_condition_on<T>(relation, ast::quantifier::every, w.condition.node());
}

/// A condition that is always true (the same as a default-constructed where).
template <class M>
where<M> always() {
  return where<M>{};
}

// --- order, fields, include ------------------------------------------------------------------

/// One ORDER BY key of model M.
template <class M>
struct order_by {
  ast::order_term term;
};

/// Ascending order on a property.
template <class T, class M>
order_by<M> asc(T M::*member) {
  static_assert(detail::check_condition_model<M, model<M>>::value);
  static_assert(detail::check_condition_on_property<M, T, !detail::is_relation_type<T>>::value);
  static_assert(detail::check_ordered_type<T, detail::ordered_property<T>()>::value);
  return {ast::order_term{detail::property_index(member), false}};
}
/// Descending order on a property.
template <class T, class M>
order_by<M> desc(T M::*member) {
  static_assert(detail::check_condition_model<M, model<M>>::value);
  static_assert(detail::check_condition_on_property<M, T, !detail::is_relation_type<T>>::value);
  static_assert(detail::check_ordered_type<T, detail::ordered_property<T>()>::value);
  return {ast::order_term{detail::property_index(member), true}};
}

/// Which properties of M a find reads. Default: all.
template <class M>
struct fields {
  ast::field_selection selection;
};

/// Read only these properties (keys a relation needs are read anyway, then cleared).
template <class M, class... T>
fields<M> only(T M::*... members) {
  static_assert((!detail::is_relation_type<T> && ...),
                "relata: relata::only lists stored properties, not relations");
  return {ast::field_selection({detail::property_index(members)...}, false)};
}
/// Read every property except these.
template <class M, class... T>
fields<M> except(T M::*... members) {
  static_assert((!detail::is_relation_type<T> && ...),
                "relata: relata::except lists stored properties, not relations");
  return {ast::field_selection({detail::property_index(members)...}, true)};
}

template <class M>
struct filter;

/// One `include` entry of a filter on M: a relation name, checked when the filter is used
/// (all unknown names are reported together), or `relata::include(&M::relation, scope)`,
/// checked at compile time.
template <class M>
struct inclusion {
  ast::inclusion entry;

  inclusion(const char* relation);                             // NOLINT: {"orders"}
  inclusion(const std::string& relation) : entry(relation) {}  // NOLINT
  inclusion(std::string_view relation) : entry(relation) {}    // NOLINT
  explicit inclusion(ast::inclusion e) : entry(std::move(e)) {}
};

/// An include with a scope: `relata::include(&Customer::orders, {.order = {...}, .limit = 3})`.
template <class M, class R>
inclusion<M> include(R M::*relation, const filter<detail::target_of_t<R>>& scope = {}) {
  constexpr bool relation_or_items = detail::is_relation_type<R> || detail::has_item_conditions<R>;
  static_assert(detail::check_include_member<M, R, relation_or_items>::value);
  static_assert(detail::check_include_not_disabled<M, R, detail::includable<R>>::value);
  if constexpr (detail::is_relation_type<R>) {
    return inclusion<M>{
        ast::inclusion(detail::relation_definition_of(relation).name, scope.lower())};
  } else if constexpr (detail::has_item_conditions<R>) {
    return inclusion<M>{ast::inclusion(
        definition_of<M>().properties[detail::property_index(relation)].name, scope.lower())};
  } else {
    return inclusion<M>{""};
  }
}

/// The scope of an include for the targets of model T: `relata::on<Customer>({.include =
/// {"orders"}})`, for a polymorphic relation, whose targets are of several models.
template <class T>
struct target_scope {
  filter<T> scope;
};
/// Targets of model T are read with `scope`.
template <class T>
target_scope<T> on(const filter<T>& scope) {
  return {scope};
}

/// An include of a polymorphic relation with a scope per target model:
/// `relata::include(&Contact::stakeholder, relata::on<Customer>({.include = {"orders"}}),
///                  relata::on<Supplier>({.fields = ...}))`. Targets of a model given no scope
/// are read whole.
template <class M, class R, class T, class... Ts>
inclusion<M> include(R M::*relation,
                     const target_scope<T>& first_scope,
                     const target_scope<Ts>&... scopes) {
  static_assert(detail::check_include_member<M, R, detail::is_relation_type<R>>::value);
  static_assert(detail::check_include_not_disabled<M, R, detail::includable<R>>::value);
  if constexpr (detail::is_relation_type<R>) {
    static_assert(
        detail::check_on_target<R, T, detail::target_includes<detail::target_of_t<R>, T>>::value);
    static_assert(
        (detail::check_on_target<R, Ts, detail::target_includes<detail::target_of_t<R>, Ts>>::
             value &&
         ...));
    ast::inclusion entry(detail::relation_definition_of(relation).name);
    auto add = [&entry]<class S>(const target_scope<S>& s) {
      entry.target_scopes.emplace_back(std::string(definition_of<S>().name),
                                       std::make_shared<const ast::filter>(s.scope.lower()));
    };
    add(first_scope);
    (add(scopes), ...);
    return inclusion<M>{std::move(entry)};
  } else {
    return inclusion<M>{""};
  }
}

namespace detail {

/// The untyped entries of an entry_list. Its members are engine functions, compiled once for
/// the two entry types (order terms and inclusions) rather than inlined into every model's
/// lists.
template <class Entry>
class entry_vector {
 public:
  entry_vector() noexcept = default;
  entry_vector(const entry_vector& other);
  entry_vector(entry_vector&& other) noexcept;
  entry_vector& operator=(const entry_vector& other);
  entry_vector& operator=(entry_vector&& other) noexcept;
  ~entry_vector();

  void reserve(std::size_t count);
  void push_back(const Entry& entry);
  void push_back(Entry&& entry);
  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace detail

/// A list of typed filter parts (order keys, includes) stored as their untyped ast entries
/// (`Typed::*Field`), so that no container is instantiated per model.
template <class Typed, class Entry, Entry Typed::*Field>
class entry_list {
 public:
  entry_list() = default;
  entry_list(std::initializer_list<Typed> items);                 // NOLINT: {a, b, ...}
  entry_list(const std::vector<Typed>& items) { append(items); }  // NOLINT: a prepared list
  void push_back(Typed item) { entries_.push_back(std::move(item.*Field)); }
  bool empty() const noexcept { return entries().empty(); }
  std::size_t size() const noexcept { return entries().size(); }
  const std::vector<Entry>& entries() const noexcept { return entries_.entries(); }

 private:
  template <class Items>
  void append(const Items& items) {
    entries_.reserve(items.size());
    for (const Typed& item : items) entries_.push_back(item.*Field);
  }

  detail::entry_vector<Entry> entries_;
};

/// The ORDER BY keys of a filter on M: `{relata::asc(&M::a), relata::desc(&M::b)}`.
template <class M>
using order_list = entry_list<order_by<M>, ast::order_term, &order_by<M>::term>;

/// The `include` entries of a filter on M: `{"orders", relata::include(&M::items, {...})}`.
template <class M>
using include_list = entry_list<inclusion<M>, ast::inclusion, &inclusion<M>::entry>;

/// A LoopBack filter on model M. Every member is optional; designated initializers read well:
/// `{.where = ..., .order = {...}, .limit = 10, .skip = 20, .fields = ..., .include = {...}}`.
template <class M>
struct filter {
  relata::where<M> where{};
  order_list<M> order{};
  std::optional<std::uint64_t> limit{};
  std::uint64_t skip = 0;
  relata::fields<M> fields{};
  include_list<M> include{};

  /// A LoopBack filter object from an untrusted source, validated against M (filter_json.hpp).
  static filter from_json(std::string_view text, const json_limits& limits = {});
  static filter from_json(const char* text, const json_limits& limits = {}) {
    return from_json(std::string_view(text), limits);
  }
  static filter from_json(const std::string& text, const json_limits& limits = {}) {
    return from_json(std::string_view(text), limits);
  }
  static filter from_json(const nlohmann::json& document, const json_limits& limits = {});

  /// The untyped AST.
  ast::filter lower() const;
  /// Wraps an untyped filter (as built by from_json).
  static filter lift(ast::filter f) {
    filter out;
    out.where = relata::where<M>{std::move(f.where)};
    for (const auto& o : f.order) out.order.push_back(order_by<M>{o});
    out.limit = f.limit;
    out.skip = f.skip;
    out.fields = relata::fields<M>{std::move(f.fields)};
    for (auto& i : f.include) out.include.push_back(inclusion<M>{std::move(i)});
    return out;
  }
};

// Defined out of their classes, so that RELATA_EXTERN_MODEL can leave them to one translation
// unit (the compiler instantiates members defined in a class for inlining regardless).

template <class M>
inclusion<M>::inclusion(const char* relation) : entry(relation) {}

template <class Typed, class Entry, Entry Typed::*Field>
entry_list<Typed, Entry, Field>::entry_list(std::initializer_list<Typed> items) {
  append(items);
}

template <class M>
ast::filter filter<M>::lower() const {
  return ast::filter(
      where.node(), order.entries(), limit, skip, fields.selection, include.entries());
}

// --- engine ----------------------------------------------------------------------------------
#if RELATA_DEFINE_ENGINE

namespace detail {

template <class Entry>
entry_vector<Entry>::entry_vector(const entry_vector& other) = default;
template <class Entry>
entry_vector<Entry>::entry_vector(entry_vector&& other) noexcept = default;
template <class Entry>
entry_vector<Entry>& entry_vector<Entry>::operator=(const entry_vector& other) = default;
template <class Entry>
entry_vector<Entry>& entry_vector<Entry>::operator=(entry_vector&& other) noexcept = default;
template <class Entry>
entry_vector<Entry>::~entry_vector() = default;
template <class Entry>
void entry_vector<Entry>::reserve(std::size_t count) {
  entries_.reserve(count);
}
template <class Entry>
void entry_vector<Entry>::push_back(const Entry& entry) {
  entries_.push_back(entry);
}
template <class Entry>
void entry_vector<Entry>::push_back(Entry&& entry) {
  entries_.push_back(std::move(entry));
}

#if defined(RELATA_ENGINE)
// The engine's own unit (RELATA_SEPARATE_COMPILATION) compiles them for every program.
template class entry_vector<ast::order_term>;
template class entry_vector<ast::inclusion>;
#endif

}  // namespace detail

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata

// filter<M>::from_json and where<M>::from_json, declared above, with the JSON filter parser.
#include <relata/filter_json.hpp>
