// relata/rest/detail/routes.hpp: what the REST core knows about an exposed repository, as data:
// the operations its routes offer and the function that runs them. The typed code that fills it
// is in rest/detail/handlers.hpp; the engine code that reads it (routing, OpenAPI) works on
// model and relation definitions only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/detail/config.hpp>
#include <relata/filter.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::rest {

/// What a route does, named as LoopBack names the repository methods behind its routes.
enum class operation : std::uint8_t {
  find,           ///< GET /customers, GET /customers/{id}/orders, GET /orders/{id}/customer
  find_by_id,     ///< GET /customers/{id}, GET /customers/{id}/orders/{fk}
  count,          ///< GET /customers/count, GET /customers/{id}/orders/count
  create,         ///< POST /customers, POST /customers/{id}/orders
  update_all,     ///< PATCH /customers?where=, PATCH /customers/{id}/orders?where=
  update_by_id,   ///< PATCH /customers/{id}
  replace_by_id,  ///< PUT /customers/{id}
  delete_by_id,   ///< DELETE /customers/{id}, DELETE /customers/{id}/orders/{fk}
  delete_all,     ///< DELETE /customers/{id}/orders?where=
  link,           ///< PUT /patients/{id}/doctors/rel/{fk}
  unlink,         ///< DELETE /patients/{id}/doctors/rel/{fk}
};

/// LoopBack's name of an operation: "find", "findById", "count", "create", "updateAll",
/// "updateById", "replaceById", "deleteById", "deleteAll", "link", "unlink".
constexpr std::string_view to_string(operation op) noexcept {
  constexpr std::string_view names[] = {"find",
                                        "findById",
                                        "count",
                                        "create",
                                        "updateAll",
                                        "updateById",
                                        "replaceById",
                                        "deleteById",
                                        "deleteAll",
                                        "link",
                                        "unlink"};
  return names[static_cast<std::size_t>(op)];
}

/// A set of operations: `{operation::find, operation::count}`, `rest::read_only`.
class operation_set {
 public:
  constexpr operation_set() = default;
  constexpr operation_set(std::initializer_list<operation> ops) {  // NOLINT: a set is its list
    for (operation op : ops) bits_ |= bit(op);
  }

  constexpr bool contains(operation op) const noexcept { return (bits_ & bit(op)) != 0; }
  constexpr bool empty() const noexcept { return bits_ == 0; }
  constexpr operation_set& insert(operation op) noexcept {
    bits_ |= bit(op);
    return *this;
  }
  friend constexpr operation_set operator&(operation_set a, operation_set b) noexcept {
    return from_bits(a.bits_ & b.bits_);
  }
  friend constexpr operation_set operator|(operation_set a, operation_set b) noexcept {
    return from_bits(a.bits_ | b.bits_);
  }
  friend constexpr bool operator==(operation_set, operation_set) = default;

 private:
  static constexpr std::uint16_t bit(operation op) noexcept {
    return static_cast<std::uint16_t>(1u << static_cast<unsigned>(op));
  }
  static constexpr operation_set from_bits(std::uint16_t bits) noexcept {
    operation_set s;
    s.bits_ = bits;
    return s;
  }
  std::uint16_t bits_ = 0;
};

/// Every operation.
inline constexpr operation_set all_operations{operation::find,
                                              operation::find_by_id,
                                              operation::count,
                                              operation::create,
                                              operation::update_all,
                                              operation::update_by_id,
                                              operation::replace_by_id,
                                              operation::delete_by_id,
                                              operation::delete_all,
                                              operation::link,
                                              operation::unlink};
/// The operations that change nothing.
inline constexpr operation_set read_only{operation::find, operation::find_by_id, operation::count};

}  // namespace relata::rest

namespace relata::rest::detail {

/// One request, parsed and checked by the engine, as a typed handler runs it.
struct call {
  operation op;
  value id;               ///< the {id} of the path (the source's id), when the route has one
  value fk;               ///< the {fk} of the path (a target's id), when the route has one
  nlohmann::json filter;  ///< the filter, coerced; null when none was given
  nlohmann::json where;   ///< the where, coerced; null when none was given
  nlohmann::json body;    ///< the JSON body; null when the operation takes none
  /// For a polymorphic relation, the model `?targetType=` names (npos when none was given).
  std::size_t target_type = static_cast<std::size_t>(-1);
  const json_limits* limits{};  ///< bounds for filter<M>::from_json and where<M>::from_json
};

/// What a typed handler answers: a status and a JSON text (empty for 204).
struct reply {
  int status = 200;
  std::string body;
};

/// Runs `c` on the repository behind `repository` (a relata::repository<M>).
using handler = reply (*)(const void* repository, const call& c);

/// A relation of an exposed model: the operations its accessor offers, found at compile time.
struct relation_route {
  const relation_definition* relation = nullptr;
  operation_set operations;
  handler handle = nullptr;
  /// What GET answers: a list (a constrained repository's find, referencesMany's entities) or
  /// one entity (hasOne's get, belongsTo's target).
  bool find_returns_list = false;
  /// The model whose properties the body of a link may carry (a hasManyThrough's link model),
  /// or null.
  const model_definition* link_model = nullptr;
};

/// An exposed repository.
struct model_route {
  std::string path;  ///< the first path segment: "customers"
  const model_definition* model = nullptr;
  operation_set operations;
  std::shared_ptr<const void> repository;  ///< a relata::repository<M>
  handler handle = nullptr;
  std::vector<relation_route> relations;
};

/// `{"count": n}`.
reply count_reply(std::uint64_t n);
/// 204, no body.
inline reply no_content() { return reply{204, {}}; }
/// The 400 for a path parameter that does not fit its property's type.
[[noreturn]] void invalid_parameter(std::string_view name, const value& v);
/// The 400 for a write through polymorphic relation `r` without `?targetType=`.
[[noreturn]] void missing_target_type(const relation_definition& r);

}  // namespace relata::rest::detail
