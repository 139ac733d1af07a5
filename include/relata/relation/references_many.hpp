// relata/relation/references_many.hpp: the referencesMany relation: the member type
// `relata::references_many`, its kind and its accessor.
//
//     (std::vector<std::int64_t>, account_ids),
//     (relata::references_many<Account>, accounts)               // this->account_ids
//
//     relata::entities<Account> mine = customers.accounts(ada.id);
//
// Returns every referenced target in array order (a key listed twice comes twice); a key that
// points at nothing is dropped. The keys are read in chunks sized by the connector.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/keys.hpp>
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
class references_many_kind;
}  // namespace detail

/// References to many targets held in an array property of this model (default
/// `<target>_ids`), resolved in array order.
template <class Target, class... Options>
class references_many : public detail::relation_member<detail::references_many_kind,
                                                       detail::to_many_storage<Target>,
                                                       Target,
                                                       Options...> {};

namespace detail {

/// The referenced targets of the source with key `source_key`, in array order, appended to
/// `out` (entities of the target model).
void references_many_targets(const bindings& b,
                             const model_definition& source_model,
                             const relation_definition& r,
                             std::span<const value> source_key,
                             entity_buffer& out);

/// referencesMany: the targets whose key_to (their id by default) is an element of the
/// source's key_from array.
class references_many_kind final : public relation_kind {
 public:
  constexpr references_many_kind() noexcept : relation_kind("referencesMany") {}

  // Keys (relation/traits.hpp): key_from `<target>_ids`, an array on the source; key_to the
  // target's id.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::target_foreign_keys,
                                               .key_to = key_rule::target_id,
                                               .key_from_is_array = true};

  /// `customers.accounts(id)`: the targets of the source with id `id`, in array order.
  template <class Traits, class Key>
  static entities<typename Traits::target> access(const relation_access& a, const Key& key) {
    entities<typename Traits::target> out;
    references_many_targets(*a.bindings,
                            a.source,
                            a.relation,
                            id_argument<typename Traits::source>(key).values(),
                            buffer_of(out));
    return out;
  }

  /// Keyed by every element of every parent's array; each parent's targets in array order
  /// (in the scope's order when it has one), sliced per parent.
  void load(const include_node& node) const override;
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// None: an array cannot be a foreign key.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE void references_many_targets(const bindings& b,
                                                  const model_definition& source_model,
                                                  const relation_definition& r,
                                                  std::span<const value> source_key,
                                                  entity_buffer& out) {
  const auto keys =
      read_property_by_key(b.source_of(source_model), source_model, source_key, r.key_from);
  if (!keys) throw entity_not_found(std::string(source_model.name), describe_key(source_key));
  if (keys->kind() != value_kind::array || keys->as_array().empty()) return;
  const model_definition& target = r.target();
  datasource& source = b.source_of(target);
  entity_buffer found(*target.entity);
  const auto distinct = distinct_keys(keys->as_array());
  const auto in_scope = scope_condition(r, target);  // outside it, a key refers to nothing
  for (auto chunk : chunks(distinct, chunk_size(source, ast::parameter_count(in_scope)))) {
    select_into(source,
                target,
                found,
                ast::make_and(in_scope, key_in(r.key_to, chunk)),
                {},
                std::nullopt,
                0,
                all_columns(target));
  }
  std::unordered_map<value, std::size_t> by_key;
  for (std::size_t i = 0; i < found.size(); ++i) {
    by_key.emplace(property_value(target, found.at(i), r.key_to), i);
  }
  for (const auto& k : keys->as_array()) {
    auto it = by_key.find(k);
    if (it == by_key.end()) continue;
    transfer_entity(target, out.emplace_back(), found.at(it->second), false);
  }
}

RELATA_ENGINE_INLINE void references_many_kind::load(const include_node& node) const {
  const relation_definition& r = node.relation;
  const auto arrays = start_parents(node, r.key_from);
  std::vector<value> all;
  for (const auto& array : arrays) {
    if (array.kind() != value_kind::array) continue;
    all.insert(all.end(), array.as_array().begin(), array.as_array().end());
  }
  const auto keys = distinct_keys(std::move(all));
  if (keys.empty()) return;  // no keys, no query
  auto children = prepare_children(node, r.key_to);
  read_by_key(node, r.key_to, keys, per_key_slice::none, children);
  load_nested(node, children);
  std::vector<std::vector<std::size_t>> picked(arrays.size());
  for (std::size_t i = 0; i < arrays.size(); ++i) {
    if (arrays[i].kind() != value_kind::array) continue;
    const auto& elements = arrays[i].as_array();
    auto& rows = picked[i];
    if (node.scope.order.empty()) {
      // Array order; a key that points at nothing is dropped.
      for (const auto& e : elements) {
        auto it = children.rows_by_key.find(e);
        if (it != children.rows_by_key.end()) rows.push_back(it->second.front());
      }
    } else {
      // The scope's order: the rows, in query order, that the array references.
      const std::unordered_set<value> wanted(elements.begin(), elements.end());
      for (const auto& key : wanted) {
        auto it = children.rows_by_key.find(key);
        if (it != children.rows_by_key.end()) rows.push_back(it->second.front());
      }
      std::sort(rows.begin(), rows.end());
    }
    if (node.per_parent()) slice_rows(node.scope, rows);
  }
  attach_children(node, children, picked);
}

RELATA_ENGINE_INLINE ast::node_ptr references_many_kind::condition(const relation_definition& r,
                                                                   ast::quantifier quantity,
                                                                   ast::node_ptr where) const {
  return quantified(ast::exists{.model = &r.target(),
                                .key = r.key_to,
                                .outer_key = r.key_from,
                                .outer_is_array = true,
                                .scope = scope_condition(r, r.target()),
                                .relation = r.name},
                    quantity,
                    std::move(where));
}

RELATA_ENGINE_INLINE void references_many_kind::constraints(const relation_definition&,
                                                            const model_definition&,
                                                            constraint_builder&) const {}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
