// relata/relation/has_one.hpp: the hasOne relation: the member type `relata::has_one`, its kind
// and its constrained repository.
//
//     (relata::has_one<Address>, address)                        // Address::customer_id
//
//     customers.address(ada.id).create({.street = "1 Main St"});   // customer_id = ada.id
//     auto home = customers.address(ada.id).get();                 // ENTITY_NOT_FOUND if none
//     customers.address(ada.id).find_one();                        // std::nullopt if none
//
// It has a hasMany's methods, for zero or one target: build, find_one (no list find), get,
// find_by_id, exists() (whether there is a target) and exists(id), count, update_by_id,
// replace_by_id, patch / update_all, delete_by_id, delete_all. No create_all: a source has
// one target.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class has_one_kind;
class has_one_as_kind;
}  // namespace detail

/// A one-to-one relation: the target whose key_to (default `<source>_id`) equals this model's
/// key_from (default: its id).
template <class Target, class... Options>
class has_one : public detail::relation_member<
                    std::conditional_t<detail::parsed_relation_options<Options...>::as_name.empty(),
                                       detail::has_one_kind,
                                       detail::has_one_as_kind>,
                    detail::to_one_storage<Target>,
                    Target,
                    Options...> {};

/// The one target of a source through a hasOne relation.
template <model Target>
class has_one_repository {
 public:
  explicit has_one_repository(detail::relation_scope scope) : scope_(std::move(scope)) {}

  /// Creates the target (with the foreign key and the properties the relation copies from the
  /// source); refused (CONSTRAINT_VIOLATION) when the source already has one.
  Target create(Target entity) const {
    void* one[] = {&entity};
    scope_.constrain(one);
    datasource& source = scope_.target_source();
    transaction tx{source};
    // One target per source, in the relation's scope or not (a unique index says so too).
    if (source.count(scope_.target(), scope_.key_condition()) > 0) {
      throw constraint_violation(scope_.describe() + " already has a target for key " +
                                 scope_.key.to_string());
    }
    scope_.insert(one);
    tx.commit();
    return entity;
  }
  /// The target with the foreign key set (and the copied properties), not persisted.
  Target build(Target data = {}) const {
    void* one[] = {&data};
    scope_.constrain(one);
    return data;
  }
  /// The target matching the filter (the first by the filter's order, then id, as an include
  /// picks it), if any. (No find() returning a list: the REST core serves a hasOne's GET from
  /// get(), and would serve a list from a find(); see README, "Constrained repositories".)
  std::optional<Target> find_one(const filter<Target>& f = {}) const {
    entities<Target> out;
    scope_.find_first(f.lower(), detail::buffer_of(out));
    if (out.empty()) return std::nullopt;
    return std::move(out.front());
  }
  /// The target (as find_one picks it); ENTITY_NOT_FOUND, naming the foreign key, when absent.
  Target get(const filter<Target>& f = {}) const {
    auto found = find_one(f);
    if (!found) {
      throw entity_not_found(std::string(scope_.target().name),
                             std::string(scope_.target().properties[scope_.relation->key_to].name),
                             scope_.key.to_string());
    }
    return std::move(*found);
  }
  /// The target, by its id; ENTITY_NOT_FOUND when that entity is not this source's target.
  Target find_by_id(const detail::id_argument<Target>& id, const filter<Target>& f = {}) const {
    entities<Target> out;
    scope_.find_by_key(id.values(), f.lower(), detail::buffer_of(out));
    return std::move(out.front());
  }
  /// Whether the source has its target (in the relation's scope).
  bool exists() const { return scope_.count({}) > 0; }
  /// Whether the entity with this id is this source's target.
  bool exists(const detail::id_argument<Target>& id) const { return scope_.has_key(id.values()); }
  /// 1 when the target exists and matches `w`, else 0.
  std::uint64_t count(const where<Target>& w = {}) const { return scope_.count(w.node()); }
  /// Updates the target, by its id; ENTITY_NOT_FOUND when that entity is not this source's
  /// target. The foreign key cannot be changed (CONSTRAINT_VIOLATION), as patch refuses.
  void update_by_id(const detail::id_argument<Target>& id, const changes<Target>& data) const {
    scope_.update_by_key(id.values(), data.assignments());
  }
  /// Replaces every property of the target, by its id; ENTITY_NOT_FOUND when that entity is
  /// not this source's target. The foreign key (and what the relation copies) is set as
  /// create sets it; a different value is refused (CONSTRAINT_VIOLATION).
  void replace_by_id(const detail::id_argument<Target>& id, Target entity) const {
    scope_.replace_by_key(id.values(), &entity);
  }
  /// Updates the target (if it matches `w`); the foreign key cannot be changed.
  std::uint64_t patch(const changes<Target>& data, const where<Target>& w = {}) const {
    return scope_.update_where(data.assignments(), w.node());
  }
  /// The same as patch (repository<M>'s name).
  std::uint64_t update_all(const changes<Target>& data, const where<Target>& w = {}) const {
    return patch(data, w);
  }
  /// Deletes the target (if it matches `w`).
  std::uint64_t delete_all(const where<Target>& w = {}) const { return scope_.remove(w.node()); }
  /// Deletes the target, by its id; ENTITY_NOT_FOUND when that entity is not this source's
  /// target.
  void delete_by_id(const detail::id_argument<Target>& id) const {
    scope_.remove_by_key(id.values());
  }

 private:
  detail::relation_scope scope_;
};

namespace detail {

/// hasOne: the one target whose key_to equals the source's key_from.
class has_one_kind : public relation_kind {
 public:
  constexpr has_one_kind() noexcept : relation_kind("hasOne") {}

  // Keys (relation/traits.hpp): key_from is the source's id, key_to `<source>_id`.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::source_id,
                                               .key_to = key_rule::source_foreign_key,
                                               .on_delete = true,
                                               .copies_properties = true};

  /// `customers.address(key)`: a has_one_repository confined to the source's key_from `key`.
  template <class Traits, class Key>
  static has_one_repository<typename Traits::target> access(const relation_access& a,
                                                            const Key& key) {
    return has_one_repository<typename Traits::target>(scope_of<Traits>(a, key));
  }

  /// Keyed by key_to; the first target by the scope's order (then id), as `get` picks it.
  void load(const include_node& node) const override;
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// A foreign key from the target's key_to to the source, and a unique index on it.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;

 protected:
  constexpr explicit has_one_kind(std::string_view name) noexcept : relation_kind(name) {}
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE void has_one_kind::load(const include_node& node) const {
  load_by_key(node, per_key_slice::first);
}

RELATA_ENGINE_INLINE ast::node_ptr has_one_kind::condition(const relation_definition& r,
                                                           ast::quantifier quantity,
                                                           ast::node_ptr where) const {
  return keyed_condition(r, quantity, std::move(where));
}

RELATA_ENGINE_INLINE void has_one_kind::constraints(const relation_definition& r,
                                                    const model_definition& source,
                                                    constraint_builder& out) const {
  out.foreign_key(r.target(), r.key_to, source, r.key_from, r.on_delete);
  out.index(r.target(), r.key_to, true);
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata

// hasOne "as" (relata::as), a kind of its own built on this one.
#include <relata/relation/has_one_as.hpp>

// has_one<one_of<...>>: its specialization is always seen with the primary template.
#include <relata/relation/polymorphic_has_one.hpp>
