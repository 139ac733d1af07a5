// relata/relation/polymorphic_has_one.hpp: a hasOne whose target is one of several models
// (LoopBack 4's polymorphic hasOne): the source's discriminator names the model whose table
// holds its one target; each target model refers to the source by its own key.
//
//     struct Customer {
//       RELATA_MODEL(Customer,
//         (relata::id<std::int64_t>, id),
//         (std::optional<std::string>, payment_method_type),      // "CreditCard" or "Cash"
//         (relata::has_one<relata::one_of<CreditCard, Cash>>, payment_method));
//     };
//     // CreditCard and Cash each hold customer_id
//
//     customers.payment_method(ada.id).create(CreditCard{.number = "4111"});  // names CreditCard
//     std::variant<CreditCard, Cash> paid_with = customers.payment_method(ada.id).get();
//     customers.payment_method(ada.id).patch<CreditCard>({{&CreditCard::number, "4242"}});
//     customers.payment_method(ada.id).delete_all();        // and the discriminator is null again
//
// Keys: key_from is the source's id (relata::key_from names another), each target's key_to
// `<source>_id` (relata::key_to names one every target has), the discriminator
// `<relation>_type` on the source (relata::discriminator). A source has at most one target,
// whatever its model: a second create is refused. migrate declares a foreign key from each
// target model to the source, with a unique index; relata::on_delete applies to each.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/polymorphic.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/relation/has_one.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class polymorphic_has_one_kind;

/// The target model the source of `scope` names, nothing when it names none; ENTITY_NOT_FOUND
/// when there is no such source (INVALID_DATA when it names an unknown model).
std::optional<target_reference> target_named_by_source(const relation_scope& scope);
/// The same, ENTITY_NOT_FOUND when the source names none.
target_reference named_by_source(const relation_scope& scope);
/// Creates `entity`, of target model `t`, for the source of `scope`, and names the model on the
/// source, in one transaction (per datasource involved).
void create_polymorphic_one(const relation_scope& scope, std::size_t t, void* entity);
/// Updates the target of model `t` (if it matches `where`).
std::uint64_t patch_polymorphic_one(const relation_scope& scope,
                                    std::size_t t,
                                    std::span<const assignment> changes,
                                    const ast::node_ptr& where);
/// Deletes the target of model `t` (of any model for npos) if it matches `where`, and clears
/// the source's discriminator when one was deleted.
std::uint64_t delete_polymorphic_one(const relation_scope& scope,
                                     std::size_t t,
                                     const ast::node_ptr& where);
}  // namespace detail

/// A one-to-one relation whose target is one of `Targets` (see above).
template <class... Targets, class... Options>
class has_one<one_of<Targets...>, Options...>
    : public detail::relation_member<detail::polymorphic_has_one_kind,
                                     detail::to_one_of_storage<Targets...>,
                                     one_of<Targets...>,
                                     Options...> {};

/// The one target of a source through a polymorphic hasOne relation, of one of `Targets`.
template <class... Targets>
class polymorphic_has_one_repository {
 public:
  explicit polymorphic_has_one_repository(detail::relation_scope scope)
      : scope_(std::move(scope)) {}

  /// Creates the target, a T, and names T in the source's discriminator, in one transaction.
  /// Refused (CONSTRAINT_VIOLATION) when the source already has a target of any model;
  /// ENTITY_NOT_FOUND when there is no source.
  template <class T>
  T create(T entity) const {
    static_assert(check_target<T>::value);
    detail::create_polymorphic_one(scope_, position<T>(), &entity);
    return entity;
  }
  /// The target, as the alternative of its model; ENTITY_NOT_FOUND when the source names no
  /// model, or the row is missing or outside its model's default scope.
  std::variant<Targets...> get() const {
    const auto ref = detail::named_by_source(scope_);
    auto target = detail::read_referenced<std::variant<Targets...>>(
        *scope_.bindings, *scope_.source_model, *scope_.relation, ref);
    if (!target) detail::throw_out_of_scope(*scope_.relation, ref);
    return std::move(*target);
  }
  /// The target, if the source has one (in its model's default scope and the relation's);
  /// ENTITY_NOT_FOUND when there is no source.
  std::optional<std::variant<Targets...>> find_one() const {
    const auto ref = detail::target_named_by_source(scope_);
    if (!ref) return std::nullopt;
    return detail::read_referenced<std::variant<Targets...>>(
        *scope_.bindings, *scope_.source_model, *scope_.relation, *ref);
  }
  /// Whether the source has its target.
  bool exists() const { return find_one().has_value(); }
  /// 1 when the source has its target, else 0.
  std::uint64_t count() const { return exists() ? 1 : 0; }
  /// A T with the key that makes it this source's target, not stored.
  template <class T>
  T build(T entity = {}) const {
    static_assert(check_target<T>::value);
    scope_.constrain_property(
        definition_of<T>(), &entity, scope_.relation->target_keys[position<T>()], scope_.key);
    return entity;
  }
  /// Updates the target if it is a T (and matches `w`); the key cannot be changed.
  template <class T>
  std::uint64_t patch(const changes<T>& data, const where<T>& w = {}) const {
    static_assert(check_target<T>::value);
    return detail::patch_polymorphic_one(scope_, position<T>(), data.assignments(), w.node());
  }
  /// The same as patch<T> (repository<M>'s name).
  template <class T>
  std::uint64_t update_all(const changes<T>& data, const where<T>& w = {}) const {
    return patch<T>(data, w);
  }
  /// Deletes the target, whatever its model; the source's discriminator becomes null.
  std::uint64_t delete_all() const { return detail::delete_polymorphic_one(scope_, npos, {}); }
  /// Deletes the target if it is a T (and matches `w`).
  template <class T>
  std::uint64_t delete_all(const where<T>& w = {}) const {
    static_assert(check_target<T>::value);
    return detail::delete_polymorphic_one(scope_, position<T>(), w.node());
  }

 private:
  template <class T>
  using check_target =
      detail::check_polymorphic_write_target<T, detail::target_includes<one_of<Targets...>, T>>;
  template <class T>
  static constexpr std::size_t position() {
    return detail::index_of_type<T, Targets...>;
  }

  detail::relation_scope scope_;
};

namespace detail {

template <class Source, fixed_string Relation, fixed_string Discriminator, bool Ok>
struct check_has_one_discriminator_is_optional {
  static_assert(Ok,
                "relata: a polymorphic has_one's discriminator is null while the source has no "
                "target: declare it as a std::optional<std::string>");
  static constexpr bool value = Ok;
};

/// polymorphic_traits, and a discriminator that can say "no target".
template <class Source, std::size_t Member>
struct polymorphic_has_one_traits : polymorphic_traits<Source, Member> {
  using base = polymorphic_traits<Source, Member>;
  static constexpr bool discriminator_optional = [] {
    if constexpr (base::discriminator_found) {
      return is_optional<member_type<Source, base::discriminator_member>>::value;
    } else {
      return true;
    }
  }();
  static_assert(check_has_one_discriminator_is_optional<Source,
                                                        base::member_name,
                                                        to_fixed<base::discriminator_name>(),
                                                        discriminator_optional>::value);
};

/// hasOne polymorphic: the one target, in the table of the model the source's discriminator
/// names, whose key equals the source's key_from.
class polymorphic_has_one_kind final : public polymorphic_kind {
 public:
  constexpr polymorphic_has_one_kind() noexcept
      : polymorphic_kind("hasOne", per_key_slice::first) {}

  // Keys: the source's id; `<source>_id` on each target.
  static constexpr key_rules rules = key_rules{
      .key_from = key_rule::source_id, .key_to = key_rule::source_foreign_key, .on_delete = true};
  template <class Source, std::size_t Member>
  using traits = polymorphic_has_one_traits<Source, Member>;

  /// `customers.payment_method(key)`: a polymorphic_has_one_repository confined to the
  /// source's key_from `key`.
  template <class Traits, class Key>
  static auto access(const relation_access& a, const Key& key) {
    return [&]<class... Ts>(std::variant<Ts...>*) {
      return polymorphic_has_one_repository<Ts...>(scope_of<Traits>(a, key));
    }(static_cast<typename Traits::variant*>(nullptr));
  }

  /// From each target model, a foreign key to the source and a unique index on it.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE std::optional<target_reference> target_named_by_source(
    const relation_scope& scope) {
  const model_definition& source = *scope.source_model;
  const relation_definition& r = *scope.relation;
  const std::size_t read[] = {r.discriminator};
  const auto found = read_properties(
      scope.bindings->source_of(source), source, equals(r.key_from, scope.key), read);
  const std::string key_name(source.properties[r.key_from].name);
  if (!found) throw entity_not_found(std::string(source.name), key_name, scope.key.to_string());
  const value& name = found->front();
  if (name.is_null()) return std::nullopt;
  return target_reference{named_target(source, r, name), scope.key};
}

RELATA_ENGINE_INLINE target_reference named_by_source(const relation_scope& scope) {
  if (auto named = target_named_by_source(scope)) return std::move(*named);
  const model_definition& source = *scope.source_model;
  const relation_definition& r = *scope.relation;
  const model_definition& first = r.targets[0]();
  throw entity_not_found(r.target_names(),
                         std::string(first.properties[r.target_keys[0]].name),
                         scope.key.to_string() + " (" + std::string(source.name) + "." +
                             std::string(source.properties[r.discriminator].name) +
                             " names no model)");
}

RELATA_ENGINE_INLINE void create_polymorphic_one(const relation_scope& scope,
                                                 std::size_t t,
                                                 void* entity) {
  const model_definition& source = *scope.source_model;
  const relation_definition& r = *scope.relation;
  const model_definition& target = r.targets[t]();
  scope.constrain_property(target, entity, r.target_keys[t], scope.key);
  const auto in_scope = scope_condition(r, target);
  const std::string scope_name = "the scope of " + scope.describe();
  stamp_scope(target, entity, in_scope, scope_name);
  paired_transaction tx{scope.bindings->source_of(source), scope.bindings->source_of(target)};
  // One target per source, whatever its model.
  for (std::size_t u = 0; u < r.targets.size(); ++u) {
    const model_definition& other = r.targets[u]();
    if (scope.bindings->source_of(other).count(other, equals(r.target_keys[u], scope.key)) > 0) {
      throw constraint_violation(scope.describe() + " already has a target (a " +
                                 std::string(other.name) + ") for key " + scope.key.to_string());
    }
  }
  const assignment names_model[] = {{r.discriminator, value(std::string(target.name))}};
  if (update_where(
          scope.bindings->source_of(source), source, names_model, equals(r.key_from, scope.key)) ==
      0) {
    throw entity_not_found(std::string(source.name),
                           std::string(source.properties[r.key_from].name),
                           scope.key.to_string());
  }
  void* one[] = {entity};
  insert_entities(scope.bindings->source_of(target), target, one);
  check_in_scope(scope.bindings->source_of(target), target, entity, in_scope, scope_name);
  tx.commit();
}

RELATA_ENGINE_INLINE std::uint64_t patch_polymorphic_one(const relation_scope& scope,
                                                         std::size_t t,
                                                         std::span<const assignment> changes,
                                                         const ast::node_ptr& where) {
  const relation_definition& r = *scope.relation;
  const model_definition& target = r.targets[t]();
  for (const auto& a : changes) {
    if (a.property == r.target_keys[t] && !(a.new_value == scope.key)) {
      scope.refuse_key_change(target, a.property, scope.key);
    }
  }
  return update_where(
      scope.bindings->source_of(target),
      target,
      changes,
      ast::make_and(ast::make_and(equals(r.target_keys[t], scope.key), scope_condition(r, target)),
                    local_conditions(*scope.bindings, target, where)));
}

RELATA_ENGINE_INLINE std::uint64_t delete_polymorphic_one(const relation_scope& scope,
                                                          std::size_t t,
                                                          const ast::node_ptr& where) {
  const model_definition& source = *scope.source_model;
  const relation_definition& r = *scope.relation;
  transaction tx{scope.bindings->source_of(source)};
  std::uint64_t deleted = 0;
  for (std::size_t u = 0; u < r.targets.size(); ++u) {
    if (t != npos && u != t) continue;
    const model_definition& target = r.targets[u]();
    datasource& home = scope.bindings->source_of(target);
    std::optional<transaction> target_tx;
    if (&home != &scope.bindings->source_of(source)) target_tx.emplace(home);
    deleted += home.remove(target,
                           ast::make_and(ast::make_and(equals(r.target_keys[u], scope.key),
                                                       scope_condition(r, target)),
                                         local_conditions(*scope.bindings, target, where)));
    if (target_tx) target_tx->commit();
  }
  if (deleted > 0) {
    // The source names no model any more (unless it names another than the one deleted).
    const assignment names_none[] = {{r.discriminator, value{}}};
    auto named = equals(r.key_from, scope.key);
    if (t != npos) {
      named =
          ast::make_and(named, equals(r.discriminator, value(std::string(r.targets[t]().name))));
    }
    update_where(scope.bindings->source_of(source), source, names_none, named);
  }
  tx.commit();
  return deleted;
}

RELATA_ENGINE_INLINE void polymorphic_has_one_kind::constraints(const relation_definition& r,
                                                                const model_definition& source,
                                                                constraint_builder& out) const {
  for (std::size_t t = 0; t < r.targets.size(); ++t) {
    out.foreign_key(r.targets[t](), r.target_keys[t], source, r.key_from, r.on_delete);
    out.index(r.targets[t](), r.target_keys[t], true);
  }
  out.allow(source, r.discriminator, polymorphic_target_names(r));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
