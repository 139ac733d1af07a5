// relata/repository.hpp: repository<Model>, LoopBack's DefaultCrudRepository, and the
// relation accessors named after the model's relations.
//
//     relata::repository<Customer> customers{db};
//     auto ada = customers.create({.name = "Ada"});
//     customers.orders(ada.id).create({.total = 3.5});          // hasMany
//     auto owner = orders.customer(order.id);                    // belongsTo
//     auto all = customers.find({.include = {"orders"}});        // 1 + 1 queries
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/definition.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/relations.hpp>

namespace relata {

namespace detail {
template <class M, auto Relation, bool Ok>
struct check_related_member {
  static_assert(Ok,
                "relata: related<&Model::member> names a relation member of the "
                "repository's model");
  static constexpr bool value = Ok;
};
template <class M, class Methods, bool Ok>
struct check_methods_derive {
  static_assert(Ok,
                "relata: relata::methods<Methods>: Methods<R> must derive publicly from R, the "
                "relation's repository, whose calls its methods use");
  static constexpr bool value = Ok;
};
template <class M, fixed_string Scope, bool Ok>
struct check_named_scope_exists {
  static_assert(Ok,
                "relata: repository::scope<\"name\">() names a scope the model declares with "
                "relata::named_scope<\"name\", F> in its relata_options");
  static constexpr bool value = Ok;
};
}  // namespace detail

/// The CRUD repository of model M on a datasource, with one accessor per relation
/// (`customers.orders(id)`), named as the relation.
///
/// A repository is a cheap handle (a pointer to its datasource bindings, and one to its scope):
/// copy it freely.
///
/// Every call applies the repository's scope: the model's default scope (relata::default_scope)
/// and the named scopes `scope<"name">()` narrowed it to; `unscoped()` has none. See README,
/// "Named scopes and a default scope".
template <model M>
class repository : public M::template relata_relations<repository<M>> {
 public:
  using model_type = M;
  /// The id's value type (`std::int64_t` for `relata::id<std::int64_t>`), or a std::tuple of
  /// the parts of a composite id.
  using key_type = detail::key_type_t<M>;
  /// What by-id calls take: a key_type, or a value of a compatible type (checked at compile
  /// time: a double for an integer id does not compile).
  using id_type = detail::id_argument<M>;

  explicit repository(datasource& source)
      : bindings_(source), scope_(detail::scope_handle::default_of(definition())) {}

  /// The datasource this model lives in.
  datasource& source() const { return bindings_->source_of(definition()); }
  /// The model's runtime definition.
  static const model_definition& definition() { return definition_of<M>(); }

  /// Puts model T (a relation target, a link model) in another datasource: relations and
  /// includes reaching T use it. Returns *this.
  template <model T>
  repository& bind(datasource& other) {
    bindings_ = bindings_.rebound(definition_of<T>(), other);
    return *this;
  }

  // --- scopes ---

  /// A repository of the same model and datasources, inside this one's scope and the model's
  /// named scope `Name` (relata::named_scope) too: its where AND-ed, its order, limit, skip and
  /// fields applying when the caller gives none. This repository is unchanged. A name the
  /// model does not declare does not compile.
  template <detail::fixed_string Name>
  repository scope() const {
    static_assert(
        detail::check_named_scope_exists<M, Name, detail::model_options<M>::has_scope(Name)>::
            value);
    return scope(std::string_view(Name));
  }
  /// scope<"name">() for a name known at run time (from JSON, a REST path): INVALID_FILTER,
  /// listing the model's scopes, for a name it does not declare.
  repository scope(std::string_view name) const {
    repository narrowed = *this;
    narrowed.scope_ = scope_.narrowed(definition(), name);
    return narrowed;
  }
  /// A repository of the same model and datasources without any scope, not even the model's
  /// default scope: how to reach the rows a default scope hides.
  repository unscoped() const {
    repository all = *this;
    all.scope_ = {};
    return all;
  }
  /// The scope every call applies (null: none), for messages and tests.
  const detail::model_scope* current_scope() const noexcept { return scope_.get(); }

  // --- create ---

  /// Inserts an entity; returns it with its generated id.
  /// Through a scope, the entity gets the properties the scope's where holds to one value
  /// (`active == true`); a different value given is CONSTRAINT_VIOLATION, and so is an entity
  /// the scope would not then find (nothing is written).
  M create(M entity) const;
  /// Inserts entities in one transaction: all or none (through a scope, as create).
  std::vector<M> create_all(std::vector<M> entities) const {
    std::vector<void*> pointers;
    pointers.reserve(entities.size());
    for (auto& e : entities) pointers.push_back(&e);
    detail::insert_entities(source(), definition(), pointers, scope_.get());
    return entities;
  }
  /// `entity` with the properties the scope's where holds to one value stamped, as create
  /// stamps them, without writing it (LoopBack's build).
  M build(M entity = {}) const {
    if (const auto* s = scope_.get()) {
      detail::stamp_scope(definition(), &entity, s->filter.where, s->description);
    }
    return entity;
  }

  // --- read ---

  /// The entities matching the filter, with its includes loaded.
  entities<M> find(const filter<M>& f = {}) const;
  /// The first entity matching the filter, if any.
  std::optional<M> find_one(const filter<M>& f = {}) const {
    auto query = scope_.apply(f.lower());
    query.limit = 1;
    entities<M> out;
    detail::find_entities(*bindings_, definition(), detail::buffer_of(out), query);
    if (out.empty()) return std::nullopt;
    return std::move(out.front());
  }
  /// The entity with this id (the filter's where, fields and include apply);
  /// ENTITY_NOT_FOUND when there is none.
  M find_by_id(const id_type& id, const filter<M>& f = {}) const {
    entities<M> out;
    detail::find_by_key(
        *bindings_, definition(), detail::buffer_of(out), id.values(), scope_.apply(f.lower()));
    return std::move(out.front());
  }
  /// How many entities match `w`.
  std::uint64_t count(const where<M>& w = {}) const {
    return source().count(definition(), scoped(w));
  }
  /// Whether an entity with this id exists.
  bool exists(const id_type& id) const {
    return source().count(definition(),
                          scope_.apply(detail::key_condition(definition(), id.values()))) > 0;
  }

  // --- update ---
  // Through a scope, these reach only rows inside it (another is ENTITY_NOT_FOUND), and may
  // move a row out of it: a soft delete sets `deleted` under a default scope `deleted == false`.

  /// Sets some properties of the entity with this id; ENTITY_NOT_FOUND when there is none.
  void update_by_id(const id_type& id, const changes<M>& data) const {
    detail::update_by_key(source(), definition(), id.values(), data.assignments(), scope_.get());
  }
  /// Replaces every property of the entity with this id; ENTITY_NOT_FOUND when there is none.
  void replace_by_id(const id_type& id, const M& entity) const {
    detail::replace_by_key(source(), definition(), id.values(), &entity, scope_.get());
  }
  /// Writes `entity` to the stored entity with its id: every property, or, for an entity
  /// found with `fields` or read from JSON, only those it has (LoopBack's update(entity)).
  void update(const M& entity) const {
    detail::update_entity(source(), definition(), &entity, scope_.get());
  }
  /// Sets some properties of every entity matching `w`; returns how many changed.
  std::uint64_t update_all(const changes<M>& data, const where<M>& w = {}) const {
    return detail::update_where(source(), definition(), data.assignments(), scoped(w));
  }

  // --- save and upsert ---
  // Each is atomic, and two callers doing the same at once make one row (see README, "save
  // and upsert"). The entity returned is the stored one, every property read back. Through a
  // scope, each stamps the scope's equalities as create does, finds only rows inside the
  // scope, refuses to write a row the scope hides, and refuses a result it would not see
  // (CONSTRAINT_VIOLATION, nothing written).

  /// Inserts `entity` when it has no id (a generated id still 0), else writes it to its id:
  /// every property, inserting it when no entity has that id (replace_or_create).
  M save(M entity) const {
    if (detail::identifying_key(definition(), &entity) != definition().primary_key ||
        definition().primary_key.empty()) {
      return create(std::move(entity));
    }
    return replace_or_create(std::move(entity));
  }
  /// LoopBack's upsert (patchOrCreate): inserts `entity`, or, when an entity with its id
  /// exists (without an id: with its values of a relata::unique key), writes to that one the
  /// properties `entity` has (every property for an entity built in C++; those its JSON or
  /// `fields` gave otherwise).
  M upsert(M entity) const {
    detail::upsert_entity(source(), definition(), &entity, false, scope_.get());
    return entity;
  }
  /// The same as upsert.
  M patch_or_create(M entity) const { return upsert(std::move(entity)); }
  /// LoopBack's replaceOrCreate: as upsert, but replacing every property of the stored
  /// entity; `entity` must have every required property.
  M replace_or_create(M entity) const {
    detail::upsert_entity(source(), definition(), &entity, true, scope_.get());
    return entity;
  }
  /// What find_or_create returns: the entity found, or the one it created.
  struct found_or_created {
    M entity;
    bool created;
  };
  /// LoopBack's findOrCreate: the first entity matching `w` (in id order), or, when none
  /// does, `data` inserted. `data` is inserted as given: give it the values `w` asks for, or
  /// the next call will not find it.
  found_or_created find_or_create(const where<M>& w, M data) const {
    const bool created =
        detail::find_or_insert(source(), definition(), local(w), &data, scope_.get());
    return {std::move(data), created};
  }
  /// LoopBack's upsertWithWhere: writes the properties `data` has to the one entity matching
  /// `w`, or inserts `data` when none matches; more than one match is INVALID_FILTER, and
  /// nothing is written.
  M upsert_with_where(const where<M>& w, M data) const {
    detail::upsert_where(source(), definition(), local(w), &data, scope_.get());
    return data;
  }

  // --- delete ---
  // Through a scope, these delete only rows inside it (another is ENTITY_NOT_FOUND).

  /// Deletes the entity with this id; ENTITY_NOT_FOUND when there is none.
  void delete_by_id(const id_type& id) const {
    detail::delete_by_key(source(), definition(), id.values(), scope_.get());
  }
  /// Deletes `entity` (found by its id). Like every write of an entity, refuses one whose
  /// relations are loaded (INVALID_DATA).
  void remove(const M& entity) const {
    detail::check_no_loaded_relations(definition(), &entity);
    detail::delete_by_key(
        source(), definition(), detail::entity_key(definition(), &entity), scope_.get());
  }
  /// Deletes every entity matching `w`; returns how many.
  std::uint64_t delete_all(const where<M>& w = {}) const {
    return source().remove(definition(), scoped(w));
  }

  // --- relations ---

  /// The accessor of relation member `Relation` (what `customers.orders(key)` calls), as its
  /// kind defines it (relation/<kind>.hpp): a constrained repository for hasMany, hasOne and
  /// hasManyThrough (`key` is the source's key_from), the target for belongsTo and the targets
  /// for referencesMany (`key` is the source's id); for an embedded document, its repository
  /// (`key` is the owner's id).
  template <auto Relation, class Key>
  auto related(const Key& key) const {
    constexpr std::size_t member = detail::member_index<M, Relation>;
    if constexpr (detail::is_embedded_member<M, member>) {
      // An embedded document (relation/embeds_one.hpp, embeds_many.hpp): a stored property.
      return detail::member_type<M, member>::template access<M>(
          bindings_, detail::property_index_of_member<M>(member), key);
    } else {
      static_assert(detail::check_related_member<
                    M,
                    Relation,
                    (member < detail::member_count<M>)&&detail::relation_flags<
                        M>[member < detail::member_count<M> ? member : 0]>::value);
      using traits = detail::relation_traits_for<M, member>;
      const relation_definition& r =
          definition().relations[detail::relation_index_of_member<M>(member)];
      auto accessor = traits::kind::template access<traits>(
          detail::relation_access{bindings_, definition(), r}, key);
      using plain = decltype(accessor);
      using with_methods =
          typename detail::member_type<M, member>::options::template accessor_with_methods<plain>;
      if constexpr (std::is_same_v<with_methods, plain>) {
        return accessor;
      } else {
        static_assert(detail::check_methods_derive<M,
                                                   with_methods,
                                                   std::is_base_of_v<plain, with_methods>>::value);
        return with_methods{std::move(accessor)};
      }
    }
  }

 private:
  /// A user's condition, checked to stay inside this model's datasource.
  const ast::node_ptr& local(const where<M>& w) const {
    return detail::local_conditions(*bindings_, definition(), w.node());
  }
  /// A user's condition inside this repository's scope.
  ast::node_ptr scoped(const where<M>& w) const { return scope_.apply(local(w)); }

  detail::shared_bindings bindings_;
  detail::scope_handle scope_;
};

// Defined out of the class, so that RELATA_EXTERN_MODEL can leave them to one translation
// unit (the compiler instantiates members defined in the class for inlining regardless).

template <model M>
M repository<M>::create(M entity) const {
  void* one[] = {&entity};
  detail::insert_entities(source(), definition(), one, scope_.get());
  return entity;
}

template <model M>
entities<M> repository<M>::find(const filter<M>& f) const {
  entities<M> out;
  detail::find_entities(*bindings_, definition(), detail::buffer_of(out), scope_.apply(f.lower()));
  return out;
}

}  // namespace relata
