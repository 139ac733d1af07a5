// relata/relation/has_many.hpp: the hasMany relation: the member type `relata::has_many`, its
// kind, and its constrained repository.
//
//     (relata::has_many<Order>, orders)                          // Order::customer_id
//     (relata::has_many<Order, relata::key_to<"buyer_id">>, orders)
//     (relata::has_many<Doctor, relata::through<Appointment>>, doctors)   //
//     relation/has_many_through.hpp
//
//     auto orders = customers.orders(ada.id);
//     orders.create({.description = "pens", .total = 3.5});   // customer_id = ada.id
//     orders.find({.where = relata::col(&Order::total) > 2.0});
//     orders.patch({{&Order::total, 4.0}}, relata::col(&Order::total) < 4.0);
//     orders.update_by_id(o.id, {{&Order::total, 5.0}});          // only one of ada's orders
//     orders.delete_all();                                      // only ada's orders
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/entities.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/relation/has_many_through.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class has_many_kind;
class has_many_as_kind;
/// hasManyThrough with relata::through, hasMany "as" with relata::as, else hasMany.
template <class... Options>
using has_many_kind_for =
    std::conditional_t<!std::is_void_v<typename parsed_relation_options<Options...>::link>,
                       has_many_through_kind,
                       std::conditional_t<parsed_relation_options<Options...>::as_name.empty(),
                                          has_many_kind,
                                          has_many_as_kind>>;
}  // namespace detail

/// A one-to-many relation: targets whose key_to (default `<source>_id`) equals this model's
/// key_from (default: its id). With `relata::through<Link>` it is a hasManyThrough
/// (relation/has_many_through.hpp), with `relata::as<"name">` a hasMany "as"
/// (relation/has_many_as.hpp).
template <class Target, class... Options>
class has_many : public detail::relation_member<detail::has_many_kind_for<Options...>,
                                                detail::to_many_storage<Target>,
                                                Target,
                                                Options...> {};

/// The targets of one source through a hasMany relation: every call is constrained to
/// `target.key_to == key`, every write sets or checks it.
template <model Target>
class has_many_repository {
 public:
  using key_type = detail::key_type_t<Target>;

  explicit has_many_repository(detail::relation_scope scope);
  has_many_repository(const has_many_repository&) = default;
  has_many_repository(has_many_repository&&) noexcept = default;
  has_many_repository& operator=(const has_many_repository&) = default;
  has_many_repository& operator=(has_many_repository&&) noexcept = default;
  ~has_many_repository();

  /// Creates a target of this source (the foreign key is set, and the properties the relation
  /// copies from the source; a different value of one of them is refused).
  Target create(Target entity) const;
  /// Creates several, in one transaction.
  std::vector<Target> create_all(std::vector<Target> entities) const {
    std::vector<void*> pointers;
    for (auto& e : entities) pointers.push_back(&e);
    scope_.constrain(pointers);
    scope_.insert(pointers);
    return entities;
  }
  /// A target with the foreign key set (and the copied properties), not persisted.
  Target build(Target data = {}) const {
    constrain(data);
    return data;
  }
  /// The targets matching the filter, among this source's.
  entities<Target> find(const filter<Target>& f = {}) const;
  /// The first of this source's targets matching the filter, if any.
  std::optional<Target> find_one(const filter<Target>& f = {}) const {
    entities<Target> out;
    scope_.find_first(f.lower(), detail::buffer_of(out));
    if (out.empty()) return std::nullopt;
    return std::move(out.front());
  }
  /// One of this source's targets; ENTITY_NOT_FOUND when it belongs to another source.
  Target find_by_id(const detail::id_argument<Target>& id, const filter<Target>& f = {}) const {
    entities<Target> out;
    scope_.find_by_key(id.values(), f.lower(), detail::buffer_of(out));
    return std::move(out.front());
  }
  /// How many of this source's targets match `w`.
  std::uint64_t count(const where<Target>& w = {}) const { return scope_.count(w.node()); }
  /// Whether the target with this id is one of this source's.
  bool exists(const detail::id_argument<Target>& id) const { return scope_.has_key(id.values()); }
  /// Updates one of this source's targets; ENTITY_NOT_FOUND when it belongs to another
  /// source. The foreign key cannot be changed (CONSTRAINT_VIOLATION), as patch refuses.
  void update_by_id(const detail::id_argument<Target>& id, const changes<Target>& data) const {
    scope_.update_by_key(id.values(), data.assignments());
  }
  /// Replaces every property of one of this source's targets; ENTITY_NOT_FOUND when it
  /// belongs to another source. The foreign key (and what the relation copies) is set as
  /// create sets it; a different value is refused (CONSTRAINT_VIOLATION).
  void replace_by_id(const detail::id_argument<Target>& id, Target entity) const {
    scope_.replace_by_key(id.values(), &entity);
  }
  /// Updates this source's targets matching `w`; the foreign key cannot be changed.
  std::uint64_t patch(const changes<Target>& data, const where<Target>& w = {}) const {
    return scope_.update_where(data.assignments(), w.node());
  }
  /// The same as patch (repository<M>'s name).
  std::uint64_t update_all(const changes<Target>& data, const where<Target>& w = {}) const {
    return patch(data, w);
  }
  /// Deletes this source's targets matching `w`.
  std::uint64_t delete_all(const where<Target>& w = {}) const { return scope_.remove(w.node()); }
  /// Deletes one of this source's targets; ENTITY_NOT_FOUND when it belongs to another.
  void delete_by_id(const detail::id_argument<Target>& id) const {
    scope_.remove_by_key(id.values());
  }

  /// The source key this repository is constrained to.
  const value& key() const noexcept { return scope_.key; }

 private:
  void constrain(Target& entity) const {
    void* one[] = {&entity};
    scope_.constrain(one);
  }

  detail::relation_scope scope_;
};

// Defined out of the class, so that RELATA_EXTERN_MODEL can leave them to one translation
// unit (the compiler instantiates members defined in the class for inlining regardless).

template <model Target>
has_many_repository<Target>::has_many_repository(detail::relation_scope scope)
    : scope_(std::move(scope)) {}

template <model Target>
has_many_repository<Target>::~has_many_repository() {}  // not "= default": explicitly instantiated

template <model Target>
Target has_many_repository<Target>::create(Target entity) const {
  constrain(entity);
  void* one[] = {&entity};
  scope_.insert(one);
  return entity;
}

template <model Target>
entities<Target> has_many_repository<Target>::find(const filter<Target>& f) const {
  entities<Target> out;
  scope_.find(f.lower(), detail::buffer_of(out));
  return out;
}

namespace detail {

/// hasMany: the targets whose key_to equals the source's key_from.
class has_many_kind : public relation_kind {
 public:
  constexpr has_many_kind() noexcept : relation_kind("hasMany") {}

  // Keys (relation/traits.hpp): key_from is the source's id, key_to `<source>_id`.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::source_id,
                                               .key_to = key_rule::source_foreign_key,
                                               .on_delete = true,
                                               .copies_properties = true};

  /// `customers.orders(key)`: a has_many_repository confined to the source's key_from `key`.
  template <class Traits, class Key>
  static has_many_repository<typename Traits::target> access(const relation_access& a,
                                                             const Key& key) {
    return has_many_repository<typename Traits::target>(scope_of<Traits>(a, key));
  }

  /// Keyed by key_to; a scope's limit and skip apply per parent.
  void load(const include_node& node) const override;
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// A foreign key from the target's key_to to the source, and an index on it.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;

 protected:
  constexpr explicit has_many_kind(std::string_view name) noexcept : relation_kind(name) {}
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE void has_many_kind::load(const include_node& node) const {
  load_by_key(node, node.per_parent() ? per_key_slice::scope : per_key_slice::none);
}

RELATA_ENGINE_INLINE ast::node_ptr has_many_kind::condition(const relation_definition& r,
                                                            ast::quantifier quantity,
                                                            ast::node_ptr where) const {
  return keyed_condition(r, quantity, std::move(where));
}

RELATA_ENGINE_INLINE void has_many_kind::constraints(const relation_definition& r,
                                                     const model_definition& source,
                                                     constraint_builder& out) const {
  out.foreign_key(r.target(), r.key_to, source, r.key_from, r.on_delete);
  out.index(r.target(), r.key_to, false);
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata

// hasMany "as" (relata::as), a kind of its own built on this one.
#include <relata/relation/has_many_as.hpp>

// has_many<one_of<...>, through<...>>: its specialization is always seen with the primary
// template.
#include <relata/relation/polymorphic_has_many_through.hpp>
