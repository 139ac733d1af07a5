// What the polymorphic to-one relations (relation/polymorphic_belongs_to.hpp,
// relation/polymorphic_has_one.hpp) share. Their target is one of several models, named per
// source row by a discriminator on the source; each target model has its own key the relation
// joins on. So: keys resolved per target model, includes grouped by model (one keyed read per
// model referenced), and relation conditions that test the row's own target.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata::detail {

template <class Model, fixed_string Relation, fixed_string Key, bool Ok>
struct check_polymorphic_key_exists {
  static_assert(Ok,
                "relata: the polymorphic relation's key on the model that declares it is "
                "missing: declare it (`<relation>_id` for a belongs_to; a single relata::id for "
                "a has_one), or name an existing one with relata::key_from<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Target, bool Ok>
struct check_polymorphic_target_has_key {
  static_assert(Ok,
                "relata: a model of a polymorphic relation lacks the key the relation joins on "
                "(a belongs_to and a has_many through refer to a single relata::id member, a "
                "has_one to `<source>_id`); declare it, or name a property every target has "
                "with relata::key_to<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Target, bool Ok>
struct check_polymorphic_key_type {
  static_assert(Ok,
                "relata: the models of a polymorphic relation must have keys of one type, the "
                "type of the key on the other side (std::optional of it is allowed)");
  static constexpr bool value = Ok;
};

template <class T, bool Ok>
struct check_polymorphic_write_target {
  static_assert(Ok,
                "relata: a polymorphic relation's repository reads and writes only the models "
                "of its relata::one_of, and this model is not one of them");
  static constexpr bool value = Ok;
};

/// What every polymorphic relation (member `Member` of `Source`) resolves of its target models:
/// each one's key (relata::key_to's property, or what the kind's key_to rule infers), checked
/// to exist. The relation's own traits derive from it and add the keys on its side.
template <class Source,
          std::size_t Member,
          class Targets = typename member_type<Source, Member>::target_type>
struct polymorphic_targets;
template <class Source, std::size_t Member, class... Ts>
struct polymorphic_targets<Source, Member, one_of<Ts...>> {
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
  static constexpr auto member_name = to_fixed<member_name_fixed<Source, Member>>();

  static_assert((check_relation_target_is_model<Ts, model<Ts>>::value && ...));

  /// `given` (an option's name), or `inferred` when the option was not given.
  static constexpr name_buffer named_or(std::string_view given, name_buffer inferred) {
    if (given.empty()) return inferred;
    name_buffer b;
    b.append(given);
    return b;
  }

  template <class T>
  static constexpr name_buffer key_to_name_of =
      named_or(options::key_to, inferred_key_name<Source, T>(rules.key_to, name, {}, style));
  template <class T>
  static constexpr std::size_t key_to_member_of = member_index_by_name<T>(key_to_name_of<T>.view());
  template <class T>
  static constexpr bool has_key = key_to_member_of<T> < member_count<T>;
  static_assert((check_polymorphic_target_has_key<Source, member_name, Ts, has_key<Ts>>::value &&
                 ...));
  /// Checks that every target's key is a `Key` (when both exist): one column refers to all.
  template <class Key, bool KeyFound>
  static constexpr bool check_keys_are() {
    return (check_polymorphic_key_type < Source,
            member_name,
            Ts,
            !KeyFound || !has_key<Ts> ||
                std::is_same_v < typename member_key_type<Ts, key_to_member_of<Ts>>::type,
            Key >> ::value && ...);
  }

  static constexpr bool targets_valid = (has_key<Ts> && ...);
  static constexpr std::array<definition_getter, sizeof...(Ts)> target_getters{
      &definition_of<Ts>...};
  static constexpr std::array<std::size_t, sizeof...(Ts)> target_keys = [] {
    if constexpr (targets_valid) {
      return std::array<std::size_t, sizeof...(Ts)>{
          property_index_of_member<Ts>(key_to_member_of<Ts>)...};
    } else {
      return std::array<std::size_t, sizeof...(Ts)>{};
    }
  }();

  /// Fills what the relation's definition says of its target models and their keys.
  static consteval void declare_targets(relation_definition& r) {
    r.target = target_getters[0];
    r.targets = target_getters;
    r.target_keys = target_keys;
    if constexpr (targets_valid) r.key_to = target_keys[0];
  }
};

/// The keys and checks of a polymorphic to-one relation: member `Member` of `Source`, whose
/// kind's key rules say how its keys are inferred (relation/traits.hpp), with the discriminator
/// on the source.
template <class Source,
          std::size_t Member,
          class Targets = typename member_type<Source, Member>::target_type>
struct polymorphic_traits;
template <class Source, std::size_t Member, class... Ts>
struct polymorphic_traits<Source, Member, one_of<Ts...>>
    : polymorphic_targets<Source, Member, one_of<Ts...>> {
  using base = polymorphic_targets<Source, Member, one_of<Ts...>>;
  using base::member_name;
  using base::name;
  using base::named_or;
  using base::rules;
  using base::style;
  using typename base::options;
  using typename base::target;

  // The key and the discriminator, on the source.
  static constexpr name_buffer key_from_name = named_or(
      options::key_from, inferred_key_name<Source, target>(rules.key_from, name, {}, style));
  static constexpr name_buffer discriminator_name =
      named_or(options::discriminator, detail::discriminator_name(name, style));
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
  static_assert(base::template check_keys_are<key_from_type, key_from_found>());

  // relata::delete_rule::set_null sets each target's key to null: it must be able to hold one.
  template <class T>
  static constexpr bool set_null_ok = [] {
    if constexpr (options::on_delete == delete_rule::set_null && base::template has_key<T>) {
      return is_optional<member_type<T, base::template key_to_member_of<T>>>::value;
    } else {
      return true;
    }
  }();
  static_assert((check_set_null_key_is_optional<Source, Ts, set_null_ok<Ts>>::value && ...));

  static constexpr bool valid = key_from_found && discriminator_found && base::targets_valid;

  /// Fills what the relation's definition says of its targets and keys.
  static consteval void declare_keys(relation_definition& r) {
    base::declare_targets(r);
    if constexpr (valid) {
      r.key_from = property_index_of_member<Source>(key_from_member);
      r.discriminator = property_index_of_member<Source>(discriminator_member);
    }
  }
};

/// Which row of which model a polymorphic relation's source refers to.
struct target_reference {
  std::size_t index;  ///< in the relation's targets
  value key;          ///< the value of that model's key (r.target_keys[index])
};

/// The names of r's target models, in declaration order: what its discriminator may hold.
std::vector<std::string> polymorphic_target_names(const relation_definition& r);

/// The position in r's targets of the model the discriminator value `name` (of a row of
/// `source_model`) names; INVALID_DATA naming the value and the models when it names none.
std::size_t named_target(const model_definition& source_model,
                         const relation_definition& r,
                         const value& name);

/// The target `ref` names, into `out` (entities of its model; the first by id); false when it
/// is outside its model's default scope, ENTITY_NOT_FOUND when there is none.
bool find_referenced(const bindings& b,
                     const model_definition& source_model,
                     const relation_definition& r,
                     const target_reference& ref,
                     entity_buffer& out);

/// ENTITY_NOT_FOUND for the target `ref` names, which is outside its model's default scope.
[[noreturn]] void throw_out_of_scope(const relation_definition& r, const target_reference& ref);

/// The target `ref` names, as the alternative of its model in `Variant` (whose alternatives
/// are the relation's targets, in order); nothing when it is outside its model's default scope.
template <class Variant>
std::optional<Variant> read_referenced(const bindings& b,
                                       const model_definition& source_model,
                                       const relation_definition& r,
                                       const target_reference& ref) {
  return [&]<std::size_t... Is>(std::index_sequence<Is...>) {
    std::optional<Variant> out;
    (
        [&] {
          if (ref.index != Is) return;
          entities<std::variant_alternative_t<Is, Variant>> found;
          if (!find_referenced(b, source_model, r, ref, buffer_of(found))) return;
          out.emplace(std::in_place_index<Is>, std::move(found.front()));
        }(),
        ...);
    return out;
  }
  (std::make_index_sequence<std::variant_size_v<Variant>>{});
}

/// `kind`'s condition for a polymorphic relation with no model named (`where` is null, as a
/// condition has no model to be on): some target of any model, no target, or every target
/// (always true). Each model's part is kind.condition_on.
ast::node_ptr any_target_condition(const relation_kind& kind,
                                   const relation_definition& r,
                                   ast::quantifier quantity,
                                   ast::node_ptr where);

/// The shared part of the polymorphic to-one kinds: keys, includes and conditions.
class polymorphic_kind : public relation_kind {
 public:
  /// The key and the discriminator.
  void source_keys(const relation_definition& r, std::vector<std::size_t>& out) const override;
  /// The parents grouped by their target's model: one keyed read per model referenced (per
  /// chunk of keys), each with that model's scope from the include.
  void load(const include_node& node) const override;
  /// Some (none, every) target, whatever its model.
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// Targets of model `target` only: the discriminator names it and its row matches.
  ast::node_ptr condition_on(const relation_definition& r,
                             const model_definition& target,
                             ast::quantifier quantity,
                             ast::node_ptr where) const override;

 protected:
  /// `slice`: which of the rows sharing a key a parent gets (a hasOne's first, by id).
  constexpr polymorphic_kind(std::string_view name, per_key_slice slice) noexcept
      : relation_kind(name), slice_(slice) {}

 private:
  per_key_slice slice_;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE std::vector<std::string> polymorphic_target_names(
    const relation_definition& r) {
  std::vector<std::string> names;
  for (const auto& target : r.targets) names.emplace_back(target().name);
  return names;
}

RELATA_ENGINE_INLINE std::size_t named_target(const model_definition& source_model,
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

RELATA_ENGINE_INLINE bool find_referenced(const bindings& b,
                                          const model_definition& source_model,
                                          const relation_definition& r,
                                          const target_reference& ref,
                                          entity_buffer& out) {
  const model_definition& target = r.targets[ref.index]();
  const std::size_t key = r.target_keys[ref.index];
  const auto in_scope = scope_condition(r, target);
  ast::filter f;
  f.where = ast::make_and(equals(key, ref.key), in_scope);
  f.limit = 1;
  find_entities(b, target, out, f);
  if (out.empty() && in_scope && b.source_of(target).count(target, equals(key, ref.key)) > 0) {
    return false;
  }
  if (out.empty()) {
    throw entity_not_found(std::string(target.name),
                           std::string(target.properties[key].name),
                           ref.key.to_string() + " (the " + std::string(r.name) + " of " +
                               std::string(source_model.name) + ")");
  }
  return true;
}

RELATA_ENGINE_INLINE void throw_out_of_scope(const relation_definition& r,
                                             const target_reference& ref) {
  const model_definition& target = r.targets[ref.index]();
  throw entity_not_found(std::string(target.name),
                         std::string(target.properties[r.target_keys[ref.index]].name),
                         ref.key.to_string() + " (outside the default scope of model " +
                             std::string(target.name) + ")");
}

RELATA_ENGINE_INLINE ast::node_ptr any_target_condition(const relation_kind& kind,
                                                        const relation_definition& r,
                                                        ast::quantifier quantity,
                                                        ast::node_ptr where) {
  if (quantity == ast::quantifier::every) return ast::make(ast::junction{true, {}});
  std::vector<ast::node_ptr> parts;
  for (const auto& t : r.targets) parts.push_back(kind.condition_on(r, t(), quantity, where));
  return ast::make(ast::junction{quantity == ast::quantifier::none, std::move(parts)});
}

RELATA_ENGINE_INLINE void polymorphic_kind::source_keys(const relation_definition& r,
                                                        std::vector<std::size_t>& out) const {
  out.push_back(r.key_from);
  out.push_back(r.discriminator);
}

/// The scope an include reads r's targets of model `model` with: the include's scope for that
/// model (relata::on<Model>, "targetScopes"), over the model's default scope.
inline ast::filter target_scope(const relation_definition& r,
                                const ast::inclusion* entry,
                                const model_definition& model) {
  ast::filter given;
  if (entry) {
    for (const auto& [name, scope] : entry->target_scopes) {
      if (name == model.name && scope) given = *scope;
    }
  }
  if (!model.default_scope) return given;
  ast::filter scope = scope_filter(r, model);
  validate_includes(model, scope.include);  // names, unlike a typed include's
  return ast::merge_scope(scope, std::move(given));
}

RELATA_ENGINE_INLINE void polymorphic_kind::load(const include_node& node) const {
  const relation_definition& r = node.relation;
  // Each parent's target model, read before start_parents clears what the include adds.
  std::vector<std::size_t> models(node.parents.size(), npos);
  for (std::size_t i = 0; i < models.size(); ++i) {
    const value name = property_value(node.source, node.parents.at(i), r.discriminator);
    if (!name.is_null()) models[i] = named_target(node.source, r, name);
  }
  const auto keys = start_parents(node, r.key_from);
  for (std::size_t t = 0; t < r.targets.size(); ++t) {
    std::vector<value> of_model(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (models[i] == t) of_model[i] = keys[i];
    }
    const auto distinct = distinct_keys(of_model);
    if (distinct.empty()) continue;  // no parent refers to this model: no query
    const model_definition& target = r.targets[t]();
    const ast::filter model_scope = target_scope(r, node.entry, target);
    const include_node for_model{node.b, node.source, node.parents, r, model_scope, {}, &target};
    local_conditions(node.b, target, for_model.scope.where);
    auto children = prepare_children(for_model, r.target_keys[t]);
    // A model's scope's skip and limit slice each parent's one target, as for a belongsTo.
    const auto slice =
        slice_ == per_key_slice::none && for_model.per_parent() ? per_key_slice::scope : slice_;
    read_by_key(for_model, r.target_keys[t], distinct, slice, children);
    load_nested(for_model, children);
    auto picked = rows_by_parent_key(for_model, of_model, children, slice);
    attach_children(for_model, children, picked);
  }
}

RELATA_ENGINE_INLINE ast::node_ptr polymorphic_kind::condition(const relation_definition& r,
                                                               ast::quantifier quantity,
                                                               ast::node_ptr where) const {
  return any_target_condition(*this, r, quantity, std::move(where));
}

RELATA_ENGINE_INLINE ast::node_ptr polymorphic_kind::condition_on(const relation_definition& r,
                                                                  const model_definition& target,
                                                                  ast::quantifier quantity,
                                                                  ast::node_ptr where) const {
  const std::size_t t = r.target_index(target.name);
  const value name{std::string(target.name)};
  // A row of `target` whose key equals the source's, when the discriminator names `target`.
  auto row = [&](bool negated, bool where_not_true) {
    return ast::make(ast::exists{.model = &target,
                                 .key = r.target_keys[t],
                                 .outer_key = r.key_from,
                                 .scope = scope_condition(r, target),
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

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
