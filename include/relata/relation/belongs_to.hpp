// relata/relation/belongs_to.hpp: the belongsTo relation: the member type `relata::belongs_to`,
// its kind and its accessor.
//
//     (relata::belongs_to<Customer>, customer)                   // this->customer_id
//
//     std::optional<Customer> owner = orders.customer(pens.id);
//
// The source missing is ENTITY_NOT_FOUND; a null foreign key is an empty result; a key that
// points at nothing is ENTITY_NOT_FOUND naming the target and the key.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class belongs_to_kind;
}  // namespace detail

/// A many-to-one relation: the target whose key_to (default: its id) equals this model's
/// key_from (default `<relation>_id`).
template <class Target, class... Options>
class belongs_to : public detail::relation_member<detail::belongs_to_kind,
                                                  detail::to_one_storage<Target>,
                                                  Target,
                                                  Options...> {};

namespace detail {

/// The belongsTo target of the source with key `source_key`, into `out` (entities of the
/// target model); false for a null foreign key, or a target outside the relation's scope.
bool belongs_to_target(const bindings& b,
                       const model_definition& source_model,
                       const relation_definition& r,
                       std::span<const value> source_key,
                       entity_buffer& out);

/// belongsTo: the target whose key_to (its id by default) equals the source's key_from.
class belongs_to_kind final : public relation_kind {
 public:
  constexpr belongs_to_kind() noexcept : relation_kind("belongsTo") {}

  // Keys (relation/traits.hpp): key_from `<relation>_id` on the source, key_to the target's id.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::relation_foreign_key,
                                               .key_to = key_rule::target_id,
                                               .key_from_is_foreign_key = true};

  /// `orders.customer(id)`: the target of the source with id `id`, std::nullopt for a null
  /// foreign key or a target outside the relation's scope.
  template <class Traits, class Key>
  static std::optional<typename Traits::target> access(const relation_access& a, const Key& key) {
    using target = typename Traits::target;
    entities<target> out;
    if (!belongs_to_target(*a.bindings,
                           a.source,
                           a.relation,
                           id_argument<typename Traits::source>(key).values(),
                           buffer_of(out))) {
      return std::nullopt;
    }
    return std::optional<target>{std::move(out.front())};
  }

  /// Keyed by the target's key_to; one target per parent.
  void load(const include_node& node) const override;
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// A foreign key from the source's key_from to the target, and an index on it.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE bool belongs_to_target(const bindings& b,
                                            const model_definition& source_model,
                                            const relation_definition& r,
                                            std::span<const value> source_key,
                                            entity_buffer& out) {
  const auto key =
      read_property_by_key(b.source_of(source_model), source_model, source_key, r.key_from);
  if (!key) throw entity_not_found(std::string(source_model.name), describe_key(source_key));
  if (key->is_null()) return false;
  const model_definition& target = r.target();
  const auto in_scope = scope_condition(r, target);
  ast::filter f;
  f.where = ast::make_and(equals(r.key_to, *key), in_scope);
  f.limit = 1;
  find_entities(b, target, out, f);
  // A target outside the relation's scope is none; a missing one, a dangling key.
  if (out.empty() && in_scope && b.source_of(target).count(target, equals(r.key_to, *key)) > 0) {
    return false;
  }
  if (out.empty()) {
    throw entity_not_found(std::string(target.name),
                           std::string(target.properties[r.key_to].name),
                           key->to_string() + " (the " + std::string(r.name) + " of " +
                               std::string(source_model.name) + " " + describe_key(source_key) +
                               ")");
  }
  return true;
}

RELATA_ENGINE_INLINE void belongs_to_kind::load(const include_node& node) const {
  // A scope's skip and limit slice each parent's one target: skip 1 leaves none.
  load_by_key(node, node.per_parent() ? per_key_slice::scope : per_key_slice::none);
}

RELATA_ENGINE_INLINE ast::node_ptr belongs_to_kind::condition(const relation_definition& r,
                                                              ast::quantifier quantity,
                                                              ast::node_ptr where) const {
  return keyed_condition(r, quantity, std::move(where));
}

RELATA_ENGINE_INLINE void belongs_to_kind::constraints(const relation_definition& r,
                                                       const model_definition& source,
                                                       constraint_builder& out) const {
  out.foreign_key(source, r.key_from, r.target(), r.key_to);
  out.index(source, r.key_from, false);
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata

// belongs_to<one_of<...>>: its specialization is always seen with the primary template.
#include <relata/relation/polymorphic_belongs_to.hpp>
