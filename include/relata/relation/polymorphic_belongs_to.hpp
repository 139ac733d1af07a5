// relata/relation/polymorphic_belongs_to.hpp: a belongsTo whose target is one of several models
// (LoopBack 4's polymorphic belongsTo, LoopBack 3's `belongsTo('imageable', {polymorphic:
// true})`): a key and a discriminator on the source say which row of which model.
//
//     struct Contact {
//       RELATA_MODEL(Contact,
//         (relata::id<std::int64_t>, id),
//         (std::optional<std::int64_t>, stakeholder_id),
//         (std::optional<std::string>, stakeholder_type),        // "Customer" or "Supplier"
//         (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
//     };
//     std::optional<std::variant<Customer, Supplier>> who = contacts.stakeholder(c.id);
//     contacts.find({.include = {"stakeholder"}});      // one query per target model
//     contacts.find({.where = relata::some(&Contact::stakeholder,
//                                          relata::on<Customer>(col(&Customer::name) == "Ada"))});
//
// Keys: `<relation>_id` and the discriminator `<relation>_type` on the source (relata::key_from
// and relata::discriminator name others), holding a target's key (its id, or the property
// relata::key_to names on every target) and its model's name. A null key or discriminator is
// no target; a discriminator naming none of the models is INVALID_DATA naming the value and the
// models. No foreign key can refer to several tables: migrate indexes the key.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/polymorphic.hpp>
#include <relata/errors.hpp>
#include <relata/relation/belongs_to.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class polymorphic_belongs_to_kind;
}  // namespace detail

/// A many-to-one relation whose target is one of `Targets` (see above).
template <class... Targets, class... Options>
class belongs_to<one_of<Targets...>, Options...>
    : public detail::relation_member<detail::polymorphic_belongs_to_kind,
                                     detail::to_one_of_storage<Targets...>,
                                     one_of<Targets...>,
                                     Options...> {};

namespace detail {

/// What the source with key `source_key` refers to: nothing for a null key or discriminator;
/// ENTITY_NOT_FOUND for no such source, INVALID_DATA for a discriminator naming no target.
std::optional<target_reference> read_reference(const bindings& b,
                                               const model_definition& source_model,
                                               const relation_definition& r,
                                               std::span<const value> source_key);

/// belongsTo polymorphic: the target, of one of several models, named by the source's key and
/// discriminator.
class polymorphic_belongs_to_kind final : public polymorphic_kind {
 public:
  constexpr polymorphic_belongs_to_kind() noexcept
      : polymorphic_kind("belongsTo", per_key_slice::none) {}

  // Keys: `<relation>_id` on the source, each target's id.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::relation_foreign_key,
                                               .key_to = key_rule::target_id,
                                               .key_from_is_foreign_key = true};
  template <class Source, std::size_t Member>
  using traits = polymorphic_traits<Source, Member>;

  /// `contacts.stakeholder(id)`: the target of the source with id `id`, as the alternative of
  /// its model; std::nullopt for a null key or discriminator.
  template <class Traits, class Key>
  static std::optional<typename Traits::variant> access(const relation_access& a, const Key& key) {
    const auto ref = read_reference(
        *a.bindings, a.source, a.relation, id_argument<typename Traits::source>(key).values());
    if (!ref) return std::nullopt;
    return read_referenced<typename Traits::variant>(*a.bindings, a.source, a.relation, *ref);
  }

  /// An index on the key; no foreign key can refer to several tables.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE std::optional<target_reference> read_reference(
    const bindings& b,
    const model_definition& source_model,
    const relation_definition& r,
    std::span<const value> source_key) {
  const std::size_t read[] = {r.key_from, r.discriminator};
  auto values = read_properties(
      b.source_of(source_model), source_model, key_condition(source_model, source_key), read);
  if (!values) throw entity_not_found(std::string(source_model.name), describe_key(source_key));
  auto& key = values->at(0);
  const auto& name = values->at(1);
  if (key.is_null() || name.is_null()) return std::nullopt;
  return target_reference{named_target(source_model, r, name), std::move(key)};
}

RELATA_ENGINE_INLINE void polymorphic_belongs_to_kind::constraints(const relation_definition& r,
                                                                   const model_definition& source,
                                                                   constraint_builder& out) const {
  // No foreign key can span several tables: the discriminator holds one of the target
  // models' names, and (discriminator, key) is indexed as the includes read it.
  out.index(source, {r.discriminator, r.key_from}, false);
  out.allow(source, r.discriminator, polymorphic_target_names(r));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
