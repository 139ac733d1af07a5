// What every constrained repository shares: the relation, the source key it is bound to, the
// condition that confines it, and the checks that keep writes inside it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/errors.hpp>
#include <relata/query.hpp>
#include <relata/relation/kind.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// What a relation accessor starts from (`customers.orders(key)`): the repository's bindings,
/// its model, and the relation.
struct relation_access {
  const shared_bindings& bindings;
  const model_definition& source;
  const relation_definition& relation;
};

/// A relation bound to one source key.
struct relation_scope {
  shared_bindings bindings;
  const model_definition* source_model;
  const relation_definition* relation;
  value key;  ///< the source's key_from value
  /// For a relation whose targets name their source's model (relata::as): that name, which
  /// the target's discriminator holds; null otherwise.
  value stamp{};

  const model_definition& target() const { return relation->target(); }
  datasource& target_source() const { return bindings->source_of(target()); }

  /// target.key_to = key (and target.discriminator = stamp): this source's targets.
  ast::node_ptr key_condition() const;
  /// key_condition(), and the relation's scope's where (relation/kind.hpp, scope_condition):
  /// the targets this repository reads and writes.
  ast::node_ptr condition() const;
  /// A caller's filter on the targets, over the relation's scope, confined to this source.
  ast::filter query(ast::filter caller) const;
  /// Inserts target entities (constrained first), in one transaction when the relation has a
  /// scope, which each must then match (detail::check_in_scope).
  void insert(std::span<void* const> entities) const;

  /// A user's condition on the target, checked to stay inside the target's datasource.
  template <class W>
  const ast::node_ptr& local(const W& w) const {
    return local_conditions(*bindings, target(), w.node());
  }

  /// "the hasMany relation orders of model Customer": for messages.
  std::string describe() const;

  /// Throws the constraint_violation of a write that would move `property` (of model `m`) out
  /// of this scope, which constrains it to `expected`.
  [[noreturn]] void refuse_key_change(const model_definition& m,
                                      std::size_t property,
                                      const value& expected) const;

  /// Sets `property` of `entity` (of model `m`) to `expected`, or refuses a different value
  /// the caller gave. A property still at its default value (the one a default-constructed
  /// entity has) counts as not given.
  void constrain_property(const model_definition& m,
                          void* entity,
                          std::size_t property,
                          const value& expected) const;

  /// For target entities: their key_to becomes this source's key (and their discriminator
  /// the stamp), they get what the relation copies from its source (copy_properties), and the
  /// properties its scope holds to one value (detail::stamp_scope).
  void constrain(std::span<void* const> entities) const;

  /// Stamps on `entities` (of model `m`: the target, or a hasManyThrough's link) what the
  /// relation copies from its source (relata::copy_property, relata::properties_from), the
  /// source being read once: each property the copy changes, and each copy_property names, is
  /// set as constrain_property sets a key, so a different value the caller gave is refused.
  /// Nothing, without a query, for a relation that copies nothing; ENTITY_NOT_FOUND when the source
  /// does not exist.
  void copy_properties(const model_definition& m, std::span<void* const> entities) const;

  /// Refuses changes that move targets to another source.
  void check_changes(std::span<const assignment> changes) const;

  // The calls of the repositories whose targets hold the source's key (hasMany, hasOne and
  // their "as" kinds), one implementation each. A `where` is a caller's condition on the
  // target; a `key` the target's primary key. A key that is not one of this source's targets
  // (in the relation's scope) is ENTITY_NOT_FOUND, naming the target model and the key.

  /// This source's targets matching the caller's filter (query()), appended to `out`.
  void find(ast::filter caller, entity_buffer& out) const;
  /// The first of them (by the filter's order, then key): at most one row.
  void find_first(ast::filter caller, entity_buffer& out) const;
  /// This source's target with key `key` (the caller's where, fields and include apply, its
  /// limit and skip do not), appended to `out`.
  void find_by_key(std::span<const value> key, ast::filter caller, entity_buffer& out) const;
  /// How many of this source's targets match `where`.
  std::uint64_t count(const ast::node_ptr& where) const;
  /// Whether the target with key `key` is one of this source's.
  bool has_key(std::span<const value> key) const;
  /// Updates this source's targets matching `where`; returns how many. A change moving them
  /// to another source is refused (check_changes).
  std::uint64_t update_where(std::span<const assignment> changes, const ast::node_ptr& where) const;
  /// Updates this source's target with key `key`, refusing changes as update_where does.
  void update_by_key(std::span<const value> key, std::span<const assignment> changes) const;
  /// Replaces every property of this source's target with key `key` by `entity`'s, the entity
  /// constrained first as one created is (constrain): a key_to naming another source is
  /// refused.
  void replace_by_key(std::span<const value> key, void* entity) const;
  /// Deletes this source's targets matching `where`; returns how many.
  std::uint64_t remove(const ast::node_ptr& where) const;
  /// Deletes this source's target with key `key`.
  void remove_by_key(std::span<const value> key) const;

 private:
  /// condition() as a model_scope: what the writes by key of detail/crud.hpp confine to.
  model_scope confinement() const;
};

/// The scope of relation `Traits` (relation/traits.hpp) for the source whose key_from is
/// `key`, checked against the key's type: what a constrained repository starts from.
template <class Traits, class Key>
relation_scope scope_of(const relation_access& a, const Key& key) {
  return relation_scope{
      a.bindings, &a.source, &a.relation, key_argument<typename Traits::key_from_type>(key)};
}

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE ast::node_ptr relation_scope::key_condition() const {
  auto condition = equals(relation->key_to, key);
  if (!stamp.is_null())
    condition = ast::make_and(condition, equals(relation->discriminator, stamp));
  return condition;
}

RELATA_ENGINE_INLINE ast::node_ptr relation_scope::condition() const {
  return ast::make_and(key_condition(), scope_condition(*relation, target()));
}

RELATA_ENGINE_INLINE ast::filter relation_scope::query(ast::filter caller) const {
  if (relation->scope || target().default_scope) {
    caller = ast::merge_scope(scope_filter(*relation, target()), std::move(caller));
  }
  caller.where = ast::make_and(key_condition(), caller.where);
  return caller;
}

RELATA_ENGINE_INLINE void relation_scope::insert(std::span<void* const> entities) const {
  const auto in_scope = scope_condition(*relation, target());
  if (!in_scope) {
    insert_entities(target_source(), target(), entities);
    return;
  }
  transaction tx{target_source()};
  insert_entities(target_source(), target(), entities);
  for (const void* entity : entities) {
    check_in_scope(target_source(), target(), entity, in_scope, "the scope of " + describe());
  }
  tx.commit();
}

RELATA_ENGINE_INLINE std::string relation_scope::describe() const {
  return "the " + std::string(relation->kind->name()) + " relation " + std::string(relation->name) +
         " of model " + std::string(source_model->name);
}

RELATA_ENGINE_INLINE void relation_scope::refuse_key_change(const model_definition& m,
                                                            std::size_t property,
                                                            const value& expected) const {
  throw constraint_violation("Property " + std::string(m.properties[property].name) +
                             " cannot be changed: " + describe() + " constrains it to " +
                             expected.to_string());
}

RELATA_ENGINE_INLINE void relation_scope::constrain_property(const model_definition& m,
                                                             void* entity,
                                                             std::size_t property,
                                                             const value& expected) const {
  if (!stamp_property(m, entity, property, expected)) refuse_key_change(m, property, expected);
}

RELATA_ENGINE_INLINE void relation_scope::constrain(std::span<void* const> entities) const {
  for (void* entity : entities) {
    constrain_property(target(), entity, relation->key_to, key);
    if (!stamp.is_null()) constrain_property(target(), entity, relation->discriminator, stamp);
  }
  copy_properties(target(), entities);
  const auto in_scope = scope_condition(*relation, target());
  if (in_scope) {
    for (void* entity : entities) {
      stamp_scope(target(), entity, in_scope, "the scope of " + describe());
    }
  }
}

RELATA_ENGINE_INLINE void relation_scope::copy_properties(const model_definition& m,
                                                          std::span<void* const> entities) const {
  if (!relation->copy_properties || entities.empty()) return;
  const model_definition& source_def = *source_model;
  entity_buffer sources(*source_def.entity);
  select_into(bindings->source_of(source_def),
              source_def,
              sources,
              equals(relation->key_from, key),
              {},
              1,
              0,
              all_columns(source_def));
  if (sources.size() == 0) {
    throw entity_not_found(std::string(source_def.name),
                           std::string(source_def.properties[relation->key_from].name),
                           key.to_string());
  }
  owned_entity copied(*m.entity);
  for (void* entity : entities) {
    // The copy runs on a copy of the caller's entity: what it changes is what it stamps.
    void* stamped = copied.emplace();
    transfer_entity(m, stamped, entity, false);
    relation->copy_properties(sources.at(0), stamped);
    for (std::size_t p = 0; p < m.properties.size(); ++p) {
      const value copy = property_value(m, stamped, p);
      const auto& named = relation->copied_properties;
      if (!(copy == property_value(m, entity, p)) ||
          std::find(named.begin(), named.end(), p) != named.end()) {
        constrain_property(m, entity, p, copy);
      }
    }
  }
}

RELATA_ENGINE_INLINE void relation_scope::check_changes(std::span<const assignment> changes) const {
  for (const auto& a : changes) {
    if (a.property == relation->key_to && !(a.new_value == key)) {
      refuse_key_change(target(), a.property, key);
    }
    if (!stamp.is_null() && a.property == relation->discriminator && !(a.new_value == stamp)) {
      refuse_key_change(target(), a.property, stamp);
    }
  }
}

RELATA_ENGINE_INLINE void relation_scope::find(ast::filter caller, entity_buffer& out) const {
  find_entities(*bindings, target(), out, query(std::move(caller)));
}

RELATA_ENGINE_INLINE void relation_scope::find_first(ast::filter caller, entity_buffer& out) const {
  auto q = query(std::move(caller));
  q.limit = 1;
  find_entities(*bindings, target(), out, q);
}

RELATA_ENGINE_INLINE void relation_scope::find_by_key(std::span<const value> key,
                                                      ast::filter caller,
                                                      entity_buffer& out) const {
  auto q = query(std::move(caller));
  q.limit.reset();  // one row by id: the scope's slice would miss it
  q.skip = 0;
  q.where = ast::make_and(detail::key_condition(target(), key), q.where);
  const std::size_t before = out.size();
  find_entities(*bindings, target(), out, q);
  if (out.size() == before) throw entity_not_found(std::string(target().name), describe_key(key));
}

RELATA_ENGINE_INLINE std::uint64_t relation_scope::count(const ast::node_ptr& where) const {
  return target_source().count(
      target(), ast::make_and(condition(), local_conditions(*bindings, target(), where)));
}

RELATA_ENGINE_INLINE bool relation_scope::has_key(std::span<const value> key) const {
  return target_source().count(
             target(), ast::make_and(condition(), detail::key_condition(target(), key))) > 0;
}

RELATA_ENGINE_INLINE std::uint64_t relation_scope::update_where(std::span<const assignment> changes,
                                                                const ast::node_ptr& where) const {
  check_changes(changes);
  return detail::update_where(
      target_source(),
      target(),
      changes,
      ast::make_and(condition(), local_conditions(*bindings, target(), where)));
}

RELATA_ENGINE_INLINE void relation_scope::update_by_key(std::span<const value> key,
                                                        std::span<const assignment> changes) const {
  check_changes(changes);
  const auto confined = confinement();
  detail::update_by_key(target_source(), target(), key, changes, &confined);
}

RELATA_ENGINE_INLINE void relation_scope::replace_by_key(std::span<const value> key,
                                                         void* entity) const {
  void* one[] = {entity};
  constrain(one);
  const auto confined = confinement();
  detail::replace_by_key(target_source(), target(), key, entity, &confined);
}

RELATA_ENGINE_INLINE std::uint64_t relation_scope::remove(const ast::node_ptr& where) const {
  return target_source().remove(
      target(), ast::make_and(condition(), local_conditions(*bindings, target(), where)));
}

RELATA_ENGINE_INLINE void relation_scope::remove_by_key(std::span<const value> key) const {
  const auto confined = confinement();
  detail::delete_by_key(target_source(), target(), key, &confined);
}

RELATA_ENGINE_INLINE model_scope relation_scope::confinement() const {
  model_scope confined;
  confined.filter.where = condition();
  confined.description = describe();
  return confined;
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
