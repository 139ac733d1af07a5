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

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

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

template <class Model, fixed_string Relation, fixed_string Key, bool Ok>
struct check_polymorphic_key_exists {
  static_assert(Ok,
                "relata: the polymorphic belongs_to's key is not a property of the model that "
                "declares it; declare it (`<relation>_id`), or name an existing one with "
                "relata::key_from<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Target, bool Ok>
struct check_polymorphic_target_has_key {
  static_assert(Ok,
                "relata: a model of a polymorphic relation has no key to refer to: give it a "
                "single relata::id member, or name a property every target has with "
                "relata::key_to<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Target, bool Ok>
struct check_polymorphic_key_type {
  static_assert(Ok,
                "relata: the models of a polymorphic relation must have keys of one type, the "
                "type of the key that refers to them (std::optional of it is allowed)");
  static constexpr bool value = Ok;
};

/// Which row of which model a polymorphic belongsTo's source refers to.
struct target_reference {
  std::size_t index;  ///< in the relation's targets
  value key;
};

/// What the source with key `source_key` refers to: nothing for a null key or discriminator;
/// ENTITY_NOT_FOUND for no such source, INVALID_DATA for a discriminator naming no target.
std::optional<target_reference> read_reference(const bindings& b,
                                               const model_definition& source_model,
                                               const relation_definition& r,
                                               std::span<const value> source_key);
/// The target `ref` names into `out` (entities of its model); ENTITY_NOT_FOUND when there is
/// none.
void find_referenced(const bindings& b,
                     const model_definition& source_model,
                     const relation_definition& r,
                     const target_reference& ref,
                     entity_buffer& out);

/// The keys and checks of a polymorphic belongsTo.
template <class Source,
          std::size_t Member,
          class Targets = typename member_type<Source, Member>::target_type>
struct polymorphic_belongs_to_traits;
template <class Source, std::size_t Member, class... Ts>
struct polymorphic_belongs_to_traits<Source, Member, one_of<Ts...>> {
  using navigation = member_type<Source, Member>;
  using kind = typename navigation::kind;
  using source = Source;
  using target = first<Ts...>;
  using variant = std::variant<Ts...>;
  using options = typename navigation::options;
  static constexpr key_rules rules = kind::rules;
  static constexpr std::string_view name =
      options::name.empty() ? Source::relata_member_names[Member] : options::name;
  static constexpr naming style = model_options<Source>::key_style;

  static_assert((check_relation_target_is_model<Ts, model<Ts>>::value && ...));

  // The key and the discriminator, on the source.
  static constexpr name_buffer key_from_name = [] {
    if (options::key_from.empty()) return foreign_key_name(name, style);
    name_buffer b;
    b.append(options::key_from);
    return b;
  }();
  static constexpr name_buffer discriminator_name = [] {
    if (options::discriminator.empty()) return detail::discriminator_name(name, style);
    name_buffer b;
    b.append(options::discriminator);
    return b;
  }();
  static constexpr std::size_t key_from_member = member_index_by_name<Source>(key_from_name.view());
  static constexpr std::size_t discriminator_member =
      member_index_by_name<Source>(discriminator_name.view());
  static constexpr bool key_from_found = key_from_member < member_count<Source>;
  static constexpr bool discriminator_found = discriminator_member < member_count<Source>;
  using key_from_type = typename member_key_type<Source, key_from_member>::type;
  static constexpr bool discriminator_is_text = [] {
    if constexpr (discriminator_found) {
      return std::is_same_v<key_value_t<member_type<Source, discriminator_member>>, std::string>;
    } else {
      return true;
    }
  }();

  // Each target's key: relata::key_to's property, or its single id.
  template <class T>
  static constexpr std::size_t key_to_member_of = [] {
    if constexpr (options::key_to.empty()) {
      return single_id_member<T>();
    } else {
      return member_index_by_name<T>(options::key_to);
    }
  }();
  template <class T>
  static constexpr bool has_key = key_to_member_of<T> < member_count<T>;
  template <class T>
  static constexpr bool key_type_ok =
      !key_from_found || !has_key<T> ||
      std::is_same_v<typename member_key_type<T, key_to_member_of<T>>::type, key_from_type>;

  static constexpr auto member_name = to_fixed<member_name_fixed<Source, Member>>();
  static_assert(
      check_polymorphic_key_exists<Source, member_name, to_fixed<key_from_name>(), key_from_found>::
          value);
  static_assert(check_discriminator_exists<Source,
                                           member_name,
                                           Source,
                                           to_fixed<discriminator_name>(),
                                           discriminator_found>::value);
  static_assert(check_discriminator_is_text<Source,
                                            member_name,
                                            Source,
                                            to_fixed<discriminator_name>(),
                                            discriminator_is_text>::value);
  static_assert((check_polymorphic_target_has_key<Source, member_name, Ts, has_key<Ts>>::value &&
                 ...));
  static_assert((check_polymorphic_key_type<Source, member_name, Ts, key_type_ok<Ts>>::value &&
                 ...));

  static constexpr bool valid = key_from_found && discriminator_found && (has_key<Ts> && ...);
  static constexpr std::array<definition_getter, sizeof...(Ts)> target_getters{
      &definition_of<Ts>...};
  static constexpr std::array<std::size_t, sizeof...(Ts)> target_keys = [] {
    if constexpr (valid) {
      return std::array<std::size_t, sizeof...(Ts)>{
          property_index_of_member<Ts>(key_to_member_of<Ts>)...};
    } else {
      return std::array<std::size_t, sizeof...(Ts)>{};
    }
  }();

  static consteval void declare_keys(relation_definition& r) {
    r.target = target_getters[0];
    r.targets = target_getters;
    r.target_keys = target_keys;
    if constexpr (valid) {
      r.key_from = property_index_of_member<Source>(key_from_member);
      r.key_to = target_keys[0];
      r.discriminator = property_index_of_member<Source>(discriminator_member);
    }
  }

  /// The target `ref` names, as the variant alternative of its model.
  static void read(const bindings& b,
                   const model_definition& source_model,
                   const relation_definition& r,
                   const target_reference& ref,
                   std::optional<variant>& out) {
    read_alternative(b, source_model, r, ref, out, std::index_sequence_for<Ts...>{});
  }

 private:
  template <std::size_t... Is>
  static void read_alternative(const bindings& b,
                               const model_definition& source_model,
                               const relation_definition& r,
                               const target_reference& ref,
                               std::optional<variant>& out,
                               std::index_sequence<Is...>) {
    (
        [&] {
          if (ref.index != Is) return;
          entities<std::variant_alternative_t<Is, variant>> found;
          find_referenced(b, source_model, r, ref, buffer_of(found));
          out.emplace(std::in_place_index<Is>, std::move(found.front()));
        }(),
        ...);
  }
};

/// belongsTo polymorphic: the target, of one of several models, named by the source's key and
/// discriminator.
class polymorphic_belongs_to_kind final : public relation_kind {
 public:
  constexpr polymorphic_belongs_to_kind() noexcept : relation_kind("belongsTo") {}

  // Keys: the relation's own traits (above); these say only that it takes no link and no
  // delete rule.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::relation_foreign_key,
                                               .key_to = key_rule::target_id,
                                               .key_from_is_foreign_key = true};
  template <class Source, std::size_t Member>
  using traits = polymorphic_belongs_to_traits<Source, Member>;

  /// `contacts.stakeholder(id)`: the target of the source with id `id`, as the alternative of
  /// its model; std::nullopt for a null key or discriminator.
  template <class Traits, class Key>
  static std::optional<typename Traits::variant> access(const relation_access& a, const Key& key) {
    std::optional<typename Traits::variant> out;
    const auto ref = read_reference(
        *a.bindings, a.source, a.relation, id_argument<typename Traits::source>(key).values());
    if (ref) Traits::read(*a.bindings, a.source, a.relation, *ref, out);
    return out;
  }

  /// The key and the discriminator.
  void source_keys(const relation_definition& r, std::vector<std::size_t>& out) const override;
  /// The parents grouped by their target's model: one keyed read per model (per chunk), each
  /// with that model's scope.
  void load(const include_node& node) const override;
  /// Some (none, every) target, whatever its model.
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// Targets of model `target` only.
  ast::node_ptr condition_on(const relation_definition& r,
                             const model_definition& target,
                             ast::quantifier quantity,
                             ast::node_ptr where) const override;
  /// An index on the key; no foreign key can refer to several tables.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;

 private:
  /// Each parent's target model: its position in the relation's targets, npos for none.
  static std::vector<std::size_t> target_models(const include_node& node);
};

#if RELATA_DEFINE_ENGINE

/// The position in r's targets of the model `name` names; INVALID_DATA naming the value and the
/// models when it names none.
inline std::size_t named_target(const model_definition& source_model,
                                const relation_definition& r,
                                const value& name) {
  const std::size_t t = name.kind() == value_kind::text ? r.target_index(name.as_text()) : npos;
  if (t == npos) {
    throw invalid_data("property " + std::string(source_model.properties[r.discriminator].name) +
                       " of model " + std::string(source_model.name) + " holds " +
                       name.to_string() + ", which names none of the models relation " +
                       std::string(r.name) + " refers to (" + r.target_names() + ")");
  }
  return t;
}

RELATA_ENGINE_INLINE std::optional<target_reference> read_reference(
    const bindings& b,
    const model_definition& source_model,
    const relation_definition& r,
    std::span<const value> source_key) {
  struct reference_row final : row_sink {
    const model_definition& m;
    const relation_definition& r;
    std::optional<std::pair<value, value>> found;
    reference_row(const model_definition& model, const relation_definition& relation)
        : m(model), r(relation) {}
    void on_row(const row& in) override {
      const auto& key = m.properties[r.key_from];
      found.emplace(in.get(0, key.kind, key.element_kind), in.get(1, value_kind::text));
    }
  } sink{source_model, r};
  select_query q;
  q.model = &source_model;
  q.where = key_condition(source_model, source_key);
  q.columns = {r.key_from, r.discriminator};
  q.limit = 1;
  b.source_of(source_model).select(q, sink);
  if (!sink.found) {
    throw entity_not_found(std::string(source_model.name), describe_key(source_key));
  }
  auto& [key, name] = *sink.found;
  if (key.is_null() || name.is_null()) return std::nullopt;
  return target_reference{named_target(source_model, r, name), std::move(key)};
}

RELATA_ENGINE_INLINE void find_referenced(const bindings& b,
                                          const model_definition& source_model,
                                          const relation_definition& r,
                                          const target_reference& ref,
                                          entity_buffer& out) {
  const model_definition& target = r.targets[ref.index]();
  const std::size_t key = r.target_keys[ref.index];
  ast::filter f;
  f.where = equals(key, ref.key);
  f.limit = 1;
  find_entities(b, target, out, f);
  if (out.empty()) {
    throw entity_not_found(std::string(target.name),
                           std::string(target.properties[key].name),
                           ref.key.to_string() + " (the " + std::string(r.name) + " of " +
                               std::string(source_model.name) + ")");
  }
}

RELATA_ENGINE_INLINE void polymorphic_belongs_to_kind::source_keys(
    const relation_definition& r, std::vector<std::size_t>& out) const {
  out.push_back(r.key_from);
  out.push_back(r.discriminator);
}

RELATA_ENGINE_INLINE std::vector<std::size_t> polymorphic_belongs_to_kind::target_models(
    const include_node& node) {
  const relation_definition& r = node.relation;
  std::vector<std::size_t> models(node.parents.size(), npos);
  for (std::size_t i = 0; i < models.size(); ++i) {
    const value name = property_value(node.source, node.parents.at(i), r.discriminator);
    if (!name.is_null()) models[i] = named_target(node.source, r, name);
  }
  return models;
}

/// The scope an include gives targets of `model`: its target scope, or none.
inline const ast::filter& target_scope(const ast::inclusion* entry, std::string_view model) {
  static const ast::filter none;
  if (!entry) return none;
  for (const auto& [name, scope] : entry->target_scopes) {
    if (name == model && scope) return *scope;
  }
  return none;
}

RELATA_ENGINE_INLINE void polymorphic_belongs_to_kind::load(const include_node& node) const {
  const relation_definition& r = node.relation;
  const auto models = target_models(node);  // before any parent changes
  const auto keys = start_parents(node, r.key_from);
  for (std::size_t t = 0; t < r.targets.size(); ++t) {
    std::vector<value> of_model(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (models[i] == t) of_model[i] = keys[i];
    }
    const auto distinct = distinct_keys(of_model);
    if (distinct.empty()) continue;  // no parent refers to this model: no query
    const model_definition& target = r.targets[t]();
    const include_node for_model{
        node.b, node.source, node.parents, r, target_scope(node.entry, target.name), {}, &target};
    local_conditions(node.b, target, for_model.scope.where);
    auto children = prepare_children(for_model, r.target_keys[t]);
    read_by_key(for_model, r.target_keys[t], distinct, per_key_slice::none, children);
    load_nested(for_model, children);
    auto picked = rows_by_parent_key(for_model, of_model, children, false);
    attach_children(for_model, children, picked);
  }
}

RELATA_ENGINE_INLINE ast::node_ptr polymorphic_belongs_to_kind::condition(
    const relation_definition& r, ast::quantifier quantity, ast::node_ptr where) const {
  // Without a model to test against, `where` is null: some target (of any model), no target,
  // or every target (always true).
  if (quantity == ast::quantifier::every) return ast::make(ast::junction{true, {}});
  std::vector<ast::node_ptr> parts;
  for (const auto& t : r.targets) parts.push_back(condition_on(r, t(), quantity, where));
  return ast::make(ast::junction{quantity == ast::quantifier::none, std::move(parts)});
}

RELATA_ENGINE_INLINE ast::node_ptr polymorphic_belongs_to_kind::condition_on(
    const relation_definition& r,
    const model_definition& target,
    ast::quantifier quantity,
    ast::node_ptr where) const {
  const std::size_t t = r.target_index(target.name);
  const value name{std::string(target.name)};
  // A row of `target` with the source's key, when the source's discriminator names `target`.
  auto row = [&](bool negated, bool where_not_true) {
    return ast::make(ast::exists{.model = &target,
                                 .key = r.target_keys[t],
                                 .outer_key = r.key_from,
                                 .where = where,
                                 .negated = negated,
                                 .where_not_true = where_not_true,
                                 .relation = r.name});
  };
  if (quantity == ast::quantifier::some) {
    return ast::make_and(equals(r.discriminator, name), row(false, false));
  }
  if (quantity == ast::quantifier::every && !where) return ast::make(ast::junction{true, {}});
  // none / every: the discriminator names no model or another, or no row (failing `where`)
  // of this one; spelled out, not negated, so that a null discriminator counts as no target.
  auto other_model =
      ast::make(ast::junction{false,
                              {ast::make(ast::comparison{r.discriminator, ast::op::is_null, {}}),
                               ast::make(ast::comparison{r.discriminator, ast::op::neq, {name}})}});
  return ast::make_or(other_model, row(true, quantity == ast::quantifier::every));
}

RELATA_ENGINE_INLINE void polymorphic_belongs_to_kind::constraints(const relation_definition& r,
                                                                   const model_definition& source,
                                                                   constraint_builder& out) const {
  out.index(source, r.key_from, false);
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
