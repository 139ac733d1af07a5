// relata/relation/traits.hpp: a relation member resolved at compile time. Its keys are
// inferred as LoopBack infers them, by the rules its kind names, spelled by the declaring
// model's `key_naming` (snake_case by default); every key is checked when the relation is first
// used: a missing or mistyped key is a compile error naming the model, the relation and the
// key.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <relata/detail/fixed_string.hpp>
#include <relata/detail/naming.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/model.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>

namespace relata::detail {

// --- compile-time checks ---------------------------------------------------------------------
//
// Each check is a class template whose arguments name the model, the relation and the key, so
// that the compiler's "in instantiation of" line says which declaration is wrong; the
// static_assert text says what to do about it.

template <name_buffer B>
constexpr auto to_fixed() {
  fixed_string<B.size + 1> out;
  for (std::size_t i = 0; i < B.size; ++i) out.data[i] = B.data[i];
  return out;
}
template <class M, std::size_t I>
constexpr auto member_name_fixed = [] {
  name_buffer b;
  b.append(M::relata_member_names[I]);
  return b;
}();

template <class Target, bool Ok>
struct check_relation_target_is_model {
  static_assert(Ok, "relata: a relation's target must be a model declared with RELATA_MODEL");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, fixed_string Key, bool Ok>
struct check_key_from_exists {
  static_assert(Ok,
                "relata: the relation's key_from is not a property of the model that declares "
                "the relation; declare it, or name an existing one with "
                "relata::key_from<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Target, fixed_string Key, bool Ok>
struct check_foreign_key_exists_on_target {
  static_assert(Ok,
                "relata: the relation's foreign key is not a property of the target model; "
                "declare it on the target, or name an existing one with relata::key_to<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, fixed_string Key, bool Ok>
struct check_belongs_to_foreign_key_exists {
  static_assert(Ok,
                "relata: the belongs_to relation's foreign key is not a property of the model "
                "that declares it; declare it, or name an existing one with "
                "relata::key_from<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Target, bool Ok>
struct check_target_has_id {
  static_assert(Ok,
                "relata: the relation's target model has no single relata::id member to refer "
                "to; declare one, or name the target key with relata::key_to<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, bool Ok>
struct check_source_has_id {
  static_assert(Ok,
                "relata: the model declaring this relation has no single relata::id member; "
                "name the source key with relata::key_from<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class KeyOwner, fixed_string Key, bool Ok>
struct check_key_is_property {
  static_assert(Ok, "relata: a relation key must name a stored property, not a relation");
  static constexpr bool value = Ok;
};
template <class Model,
          fixed_string Relation,
          fixed_string FromKey,
          class Target,
          fixed_string ToKey,
          bool Ok>
struct check_key_types_match {
  static_assert(Ok,
                "relata: the relation's keys have different types; a foreign key must have "
                "the type of the key it refers to (std::optional of it is allowed)");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Link, fixed_string Key, bool Ok>
struct check_through_key_from_exists {
  static_assert(Ok,
                "relata: the through model has no property referring to the source model; "
                "declare it, or name an existing one with relata::through_key_from<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Link, fixed_string Key, bool Ok>
struct check_through_key_to_exists {
  static_assert(Ok,
                "relata: the through model has no property referring to the target model; "
                "declare it, or name an existing one with relata::through_key_to<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Link, bool Ok>
struct check_through_keys_differ {
  static_assert(Ok,
                "relata: the through model's two foreign keys are the same property; name them "
                "with relata::through_key_from<\"...\"> and relata::through_key_to<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, fixed_string Key, bool Ok>
struct check_references_many_key_is_array {
  static_assert(Ok, "relata: a references_many key must be a std::vector of the target key's type");
  static constexpr bool value = Ok;
};

template <class Model, fixed_string Relation, class Holder, fixed_string Key, bool Ok>
struct check_discriminator_exists {
  static_assert(Ok,
                "relata: the polymorphic relation's discriminator (the property naming the "
                "model a key refers to) is missing; declare it as a std::string, or name an "
                "existing one with relata::discriminator<\"...\">");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Relation, class Holder, fixed_string Key, bool Ok>
struct check_discriminator_is_text {
  static_assert(Ok,
                "relata: a discriminator holds a model's name: declare it as a std::string "
                "(or a std::optional<std::string>)");
  static constexpr bool value = Ok;
};
template <class Model, class Target, bool Ok>
struct check_set_null_key_is_optional {
  static_assert(Ok,
                "relata: relata::delete_rule::set_null sets the target's foreign key to null; "
                "declare that key as a std::optional");
  static constexpr bool value = Ok;
};

/// The index of M's single id member, or member_count<M> when it has none or several.
template <class M>
constexpr std::size_t single_id_member() {
  std::size_t found = member_count<M>;
  std::size_t count = 0;
  for (std::size_t i = 0; i < id_roles<M>.size(); ++i) {
    if (id_roles<M>[i] != id_role::none) {
      found = i;
      ++count;
    }
  }
  return count == 1 ? found : member_count<M>;
}

template <class M, std::size_t I>
struct member_key_type {
  using type = void;
};
template <class M, std::size_t I>
requires(I < member_count<M>) struct member_key_type<M, I> {
  using type = key_value_t<member_type<M, I>>;
};

template <class T>
struct array_element {
  using type = void;
};
template <class T, class A>
struct array_element<std::vector<T, A>> {
  using type = key_value_t<T>;
};

/// A model with no members, standing in for the link of relations that have none.
struct no_link_model {
  static constexpr std::string_view relata_model_name = "";
  static constexpr std::array<std::string_view, 0> relata_member_names{};
};

template <class Source, std::size_t Member>
struct relation_diagnosis;

/// Everything relata knows about relation member `Member` of model `Source`, resolved and
/// checked. Instantiated on first use, when every model involved is complete.
/// How a relation kind infers a key its declaration does not name (relata::key_from / key_to).
enum class key_rule : unsigned char {
  source_id,             ///< the declaring (source) model's id
  target_id,             ///< the target model's id
  source_foreign_key,    ///< `<source model>_id`, on the target (hasMany, hasOne)
  relation_foreign_key,  ///< `<relation>_id`, on the source (belongsTo)
  target_foreign_keys,   ///< `<target model>_ids`, an array on the source (referencesMany)
  as_foreign_key,        ///< `<as>_id`, on the target (relata::as)
};

/// The name `rule` infers for a key of relation `relation` from `Source` to `Target`, spelled
/// in `style`; empty when the model it names has no single id.
template <class Source, class Target>
constexpr name_buffer inferred_key_name(key_rule rule,
                                        std::string_view relation,
                                        std::string_view as_name,
                                        naming style) {
  constexpr std::size_t source_id = single_id_member<Source>();
  constexpr std::size_t target_id = single_id_member<Target>();
  name_buffer b;
  switch (rule) {
    case key_rule::source_id:
      if (source_id < member_count<Source>) b.append(Source::relata_member_names[source_id]);
      break;
    case key_rule::target_id:
      if (target_id < member_count<Target>) b.append(Target::relata_member_names[target_id]);
      break;
    case key_rule::source_foreign_key:
      b = foreign_key_name(Source::relata_model_name, style);
      break;
    case key_rule::relation_foreign_key:
      b = foreign_key_name(relation, style);
      break;
    case key_rule::target_foreign_keys:
      b = foreign_key_name(Target::relata_model_name, style, true);
      break;
    case key_rule::as_foreign_key:
      b = foreign_key_name(as_name, style);
      break;
  }
  return b;
}

/// The base of every relation member type (`relata::has_many<Target, Options...>`, ...): its
/// target, its options, its kind, and the storage that holds what an include loaded.
template <class Kind, class Storage, class Target, class... Options>
class relation_member : public relation_tag, public Storage {
 public:
  using target_type = Target;
  using storage_type = Storage;
  using options = parsed_relation_options<Options...>;
  using kind = Kind;
  static_assert(Kind::rules.through || std::is_void_v<typename options::link>,
                "relata: relata::through applies to has_many relations only");
  static_assert(Kind::rules.on_delete || !options::on_delete_given,
                "relata: relata::on_delete applies to has_many, has_one and many-to-many "
                "relations, the side whose deletion it rules; declare it there");
  static_assert(Kind::rules.copies_properties || !options::copies_properties,
                "relata: relata::copy_property and relata::properties_from apply to has_many, "
                "has_one and has_many through relations, whose accessor creates what they copy "
                "into");
  static_assert(!Kind::rules.through || options::on_delete != delete_rule::set_null,
                "relata: a many-to-many relation's links cannot have a null key; use "
                "relata::delete_rule::cascade to remove them with the source");
};

/// How a relation kind's keys are inferred and checked (each kind's `keys`).
struct key_rules {
  key_rule key_from;  ///< key_from, when the declaration does not name it
  key_rule key_to;    ///< key_to, likewise
  /// key_from is the foreign key the declaring model holds: its absence gets that message.
  bool key_from_is_foreign_key = false;
  /// key_from is an array of target keys.
  bool key_from_is_array = false;
  /// A link model joins the source to the target (through_key_from, through_key_to).
  bool through = false;
  /// Deleting a source can be ruled (relata::on_delete).
  bool on_delete = false;
  /// The target holds a discriminator naming the source's model (relata::as).
  bool discriminated_target = false;
  /// The accessor creates targets (or links) that can take properties of their source
  /// (relata::copy_property, relata::properties_from).
  bool copies_properties = false;
};

/// The link model of a relation: relata::through's for a kind with a link, none otherwise. A
/// kind that makes its own link model when none is declared (hasAndBelongsToMany) specializes
/// this for its kind and `void`: it gets the source and target, their key types, and the link's
/// key names.
template <class Kind,
          class Declared,
          class Source,
          class Target,
          class SourceKey,
          class TargetKey,
          name_buffer FromName,
          name_buffer ToName>
struct link_model {
  using type = std::conditional_t<Kind::rules.through, Declared, no_link_model>;
};

/// Everything relata knows about relation member `Member` of model `Source`, resolved and
/// checked. Instantiated on first use, when every model involved is complete. Its kind
/// (`navigation::kind`, relation/<kind>.hpp) says by its `keys` how they are inferred.
template <class Source, std::size_t Member>
struct relation_traits {
  using navigation = member_type<Source, Member>;
  using kind = typename navigation::kind;
  using source = Source;
  using target = typename navigation::target_type;
  using options = typename navigation::options;
  static constexpr key_rules rules = kind::rules;
  static constexpr bool through_relation = rules.through;
  static constexpr std::string_view name =
      options::name.empty() ? Source::relata_member_names[Member] : options::name;
  static constexpr naming style = model_options<Source>::key_style;

  static_assert(check_relation_target_is_model<target, model<target>>::value);

  static constexpr bool source_key_inferred_from_id =
      options::key_from.empty() && rules.key_from == key_rule::source_id;
  static constexpr bool target_key_inferred_from_id =
      options::key_to.empty() && rules.key_to == key_rule::target_id;
  static constexpr std::size_t source_id = single_id_member<Source>();
  static constexpr std::size_t target_id = single_id_member<target>();

  // key_from: on the source.
  static constexpr name_buffer key_from_name = [] {
    if (options::key_from.empty()) {
      return inferred_key_name<Source, target>(rules.key_from, name, options::as_name, style);
    }
    name_buffer b;
    b.append(options::key_from);
    return b;
  }();
  // key_to: on the target.
  static constexpr name_buffer key_to_name = [] {
    if (options::key_to.empty()) {
      return inferred_key_name<Source, target>(rules.key_to, name, options::as_name, style);
    }
    name_buffer b;
    b.append(options::key_to);
    return b;
  }();

  static constexpr std::size_t key_from_member = member_index_by_name<Source>(key_from_name.view());
  static constexpr std::size_t key_to_member = member_index_by_name<target>(key_to_name.view());
  static constexpr bool key_from_found = key_from_member < member_count<Source>;
  static constexpr bool key_to_found = key_to_member < member_count<target>;

  static constexpr bool key_from_is_property =
      !key_from_found || !relation_flags<Source>[key_from_found ? key_from_member : 0];
  static constexpr bool key_to_is_property =
      !key_to_found || !relation_flags<target>[key_to_found ? key_to_member : 0];

  using key_from_type = typename member_key_type<Source, key_from_member>::type;
  using key_to_type = typename member_key_type<target, key_to_member>::type;
  using key_from_element = typename array_element<key_from_type>::type;

  // through keys: on the link model.
  static constexpr name_buffer through_key_from_name = [] {
    name_buffer b;
    if (!through_relation) {
      // no link model: no name to infer
    } else if (!options::through_key_from.empty()) {
      b.append(options::through_key_from);
    } else {
      b = foreign_key_name(Source::relata_model_name, style);
    }
    return b;
  }();
  static constexpr name_buffer through_key_to_name = [] {
    name_buffer b;
    if (!through_relation) {
      // no link model: no name to infer
    } else if (!options::through_key_to.empty()) {
      b.append(options::through_key_to);
    } else {
      b = foreign_key_name(target::relata_model_name, style);
    }
    return b;
  }();
  using link = typename link_model<kind,
                                   typename options::link,
                                   Source,
                                   target,
                                   key_from_type,
                                   key_to_type,
                                   through_key_from_name,
                                   through_key_to_name>::type;
  static_assert(check_relation_target_is_model < link,
                !through_relation || model < link >> ::value);
  static constexpr std::size_t through_key_from_member =
      member_index_by_name<link>(through_key_from_name.view());
  static constexpr std::size_t through_key_to_member =
      member_index_by_name<link>(through_key_to_name.view());
  static constexpr bool through_key_from_found = through_key_from_member < member_count<link>;
  static constexpr bool through_key_to_found = through_key_to_member < member_count<link>;

  using link_from_type = typename member_key_type<link, through_key_from_member>::type;
  using link_to_type = typename member_key_type<link, through_key_to_member>::type;

  // The discriminator, for a relation whose target names the source's model (relata::as).
  static constexpr name_buffer discriminator_name = [] {
    name_buffer b;
    if (!rules.discriminated_target) {
      // none
    } else if (!options::discriminator.empty()) {
      b.append(options::discriminator);
    } else {
      b = detail::discriminator_name(options::as_name, style);
    }
    return b;
  }();
  static constexpr std::size_t discriminator_member =
      member_index_by_name<target>(discriminator_name.view());
  static constexpr bool discriminator_found = discriminator_member < member_count<target>;
  static constexpr bool discriminator_ok = !rules.discriminated_target || discriminator_found;
  static constexpr bool discriminator_is_text = [] {
    if constexpr (rules.discriminated_target && discriminator_found) {
      return std::is_same_v<key_value_t<member_type<target, discriminator_member>>, std::string>;
    } else {
      return true;
    }
  }();

  // The declaration's checks, each named once: relation_diagnosis turns a failed one into its
  // message.
  static constexpr bool source_id_ok =
      !source_key_inferred_from_id || source_id < member_count<Source>;
  static constexpr bool target_id_ok =
      !target_key_inferred_from_id || target_id < member_count<target>;
  static constexpr bool key_from_ok =
      rules.key_from_is_foreign_key || source_key_inferred_from_id || key_from_found;
  static constexpr bool belongs_to_key_ok = !rules.key_from_is_foreign_key || key_from_found;
  static constexpr bool key_to_ok = target_key_inferred_from_id || key_to_found;
  static constexpr bool references_many_key_ok =
      !rules.key_from_is_array || !key_from_found || !std::is_void_v<key_from_element>;
  static constexpr bool key_types_ok =
      !key_from_found || !key_to_found || through_relation ||
      (rules.key_from_is_array
           ? (std::is_void_v<key_from_element> || std::is_same_v<key_from_element, key_to_type>)
           : std::is_same_v<key_from_type, key_to_type>);
  static constexpr bool through_key_from_ok = !through_relation || through_key_from_found;
  static constexpr bool through_key_to_ok = !through_relation || through_key_to_found;
  static constexpr bool through_keys_differ = !through_relation || !through_key_from_found ||
                                              through_key_from_member != through_key_to_member;
  static constexpr bool link_from_type_ok =
      !through_relation || !through_key_from_found || std::is_same_v<link_from_type, key_from_type>;
  static constexpr bool link_to_type_ok =
      !through_relation || !through_key_to_found || std::is_same_v<link_to_type, key_to_type>;

  /// Whether every check holds. Only when one fails is relation_diagnosis instantiated, for
  /// its messages: they name keys as template arguments, which costs the compiler more than
  /// the checks themselves.
  static constexpr bool declaration_ok =
      source_id_ok && target_id_ok && key_from_ok && belongs_to_key_ok && key_to_ok &&
      key_from_is_property && key_to_is_property && references_many_key_ok && key_types_ok &&
      through_key_from_ok && through_key_to_ok && through_keys_differ && link_from_type_ok &&
      link_to_type_ok && discriminator_ok && discriminator_is_text;
  static_assert(std::conditional_t<declaration_ok,
                                   std::true_type,
                                   relation_diagnosis<Source, Member>>::value);

  // relata::delete_rule::set_null sets the targets' key_to to null: it must be able to hold one.
  static constexpr bool set_null_ok = [] {
    if constexpr (options::on_delete == delete_rule::set_null && key_to_found) {
      return is_optional<member_type<target, key_to_member>>::value;
    } else {
      return true;
    }
  }();
  static_assert(check_set_null_key_is_optional<Source, target, set_null_ok>::value);

  /// All checks passed: the keys can be used.
  static constexpr bool valid =
      key_from_found && key_to_found &&
      (!through_relation || (through_key_from_found && through_key_to_found));

  /// Fills what the relation's definition says of its target and keys (the model's definition
  /// builder, detail/definition.hpp, does the rest).
  static consteval void declare_keys(relation_definition& r) {
    r.target = &definition_of<target>;
    if constexpr (rules.discriminated_target && discriminator_found) {
      r.discriminator = property_index_of_member<target>(discriminator_member);
    }
    if constexpr (valid) {
      r.key_from = property_index_of_member<Source>(key_from_member);
      r.key_to = property_index_of_member<target>(key_to_member);
      if constexpr (through_relation) {
        r.through = &definition_of<link>;
        r.through_key_from = property_index_of_member<link>(through_key_from_member);
        r.through_key_to = property_index_of_member<link>(through_key_to_member);
      }
    }
  }
};

/// The traits of relation member `Member` of `Source`: relation_traits, or, for a kind that
/// resolves its relations its own way (a polymorphic kind, with several target models), the
/// kind's `traits<Source, Member>`.
template <class Source, std::size_t Member, class Kind = typename member_type<Source, Member>::kind>
struct traits_selector {
  using type = relation_traits<Source, Member>;
};
template <class Source, std::size_t Member, class Kind>
requires requires { typename Kind::template traits<Source, Member>; }
struct traits_selector<Source, Member, Kind> {
  using type = typename Kind::template traits<Source, Member>;
};
template <class Source, std::size_t Member>
using relation_traits_for = typename traits_selector<Source, Member>::type;

/// The checks of relation member `Member` of `Source`, each a class template whose arguments
/// name the model, the relation and the key (see above). Instantiated only when one fails.
template <class Source, std::size_t Member>
struct relation_diagnosis {
  using T = relation_traits<Source, Member>;
  static constexpr auto member_name = to_fixed<member_name_fixed<Source, Member>>();
  static_assert(check_source_has_id<Source, member_name, T::source_id_ok>::value);
  static_assert(
      check_target_has_id<Source, member_name, typename T::target, T::target_id_ok>::value);
  static_assert(
      check_key_from_exists<Source, member_name, to_fixed<T::key_from_name>(), T::key_from_ok>::
          value);
  static_assert(check_belongs_to_foreign_key_exists<Source,
                                                    member_name,
                                                    to_fixed<T::key_from_name>(),
                                                    T::belongs_to_key_ok>::value);
  static_assert(check_foreign_key_exists_on_target<Source,
                                                   member_name,
                                                   typename T::target,
                                                   to_fixed<T::key_to_name>(),
                                                   T::key_to_ok>::value);
  static_assert(check_key_is_property<Source,
                                      member_name,
                                      Source,
                                      to_fixed<T::key_from_name>(),
                                      T::key_from_is_property>::value);
  static_assert(check_key_is_property<Source,
                                      member_name,
                                      typename T::target,
                                      to_fixed<T::key_to_name>(),
                                      T::key_to_is_property>::value);
  static_assert(check_references_many_key_is_array<Source,
                                                   member_name,
                                                   to_fixed<T::key_from_name>(),
                                                   T::references_many_key_ok>::value);
  static_assert(check_key_types_match<Source,
                                      member_name,
                                      to_fixed<T::key_from_name>(),
                                      typename T::target,
                                      to_fixed<T::key_to_name>(),
                                      T::key_types_ok>::value);
  static_assert(check_through_key_from_exists<Source,
                                              member_name,
                                              typename T::link,
                                              to_fixed<T::through_key_from_name>(),
                                              T::through_key_from_ok>::value);
  static_assert(check_through_key_to_exists<Source,
                                            member_name,
                                            typename T::link,
                                            to_fixed<T::through_key_to_name>(),
                                            T::through_key_to_ok>::value);
  static_assert(
      check_through_keys_differ<Source, member_name, typename T::link, T::through_keys_differ>::
          value);
  static_assert(check_key_types_match<Source,
                                      member_name,
                                      to_fixed<T::key_from_name>(),
                                      typename T::link,
                                      to_fixed<T::through_key_from_name>(),
                                      T::link_from_type_ok>::value);
  static_assert(check_key_types_match<Source,
                                      member_name,
                                      to_fixed<T::key_to_name>(),
                                      typename T::link,
                                      to_fixed<T::through_key_to_name>(),
                                      T::link_to_type_ok>::value);
  static_assert(check_discriminator_exists<Source,
                                           member_name,
                                           typename T::target,
                                           to_fixed<T::discriminator_name>(),
                                           T::discriminator_ok>::value);
  static_assert(check_discriminator_is_text<Source,
                                            member_name,
                                            typename T::target,
                                            to_fixed<T::discriminator_name>(),
                                            T::discriminator_is_text>::value);
  static constexpr bool value = false;
};

}  // namespace relata::detail
