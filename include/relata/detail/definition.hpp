// Builds a model's runtime model_definition from its compile-time declaration, once.
//
// Everything typed about a model is resolved here: its members become one constant array of
// declarations (computed by the compiler), and its conversions and lifetime are reached through
// function pointers (one codec per property type, one entity_ops per model). The rest of relata
// (repositories, the inclusion resolver, connectors) is ordinary code working from the
// definition, compiled once whatever the number of models.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <relata/detail/config.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata {
template <class M>
struct filter;  // filter.hpp
}  // namespace relata

namespace relata::detail {

template <class Model, fixed_string Property, bool Ok>
struct check_property_type_is_storable {
  static_assert(Ok,
                "relata: this property's type cannot be stored; use a supported type (integers, "
                "floating point, bool, std::string, relata::blob, time points, enums, "
                "nlohmann::json (with <relata/json.hpp>), std::vector of scalars, std::optional "
                "of these) or specialise relata::value_traits for it");
  static constexpr bool value = Ok;
};
template <class Model, fixed_string Property, bool Ok>
struct check_json_property_has_its_header {
  static_assert(Ok,
                "relata: an nlohmann::json property needs <relata/json.hpp>, which makes "
                "nlohmann::json storable; include it where the model is declared");
  static constexpr bool value = Ok;
};
template <class Model, bool Ok>
struct check_composite_id_is_supplied {
  static_assert(Ok,
                "relata: the parts of a composite id are supplied by the caller; declare them "
                "as relata::id<T, relata::id_generation::supplied>");
  static constexpr bool value = Ok;
};

struct id_census {
  std::size_t count = 0;
  bool any_database = false;
};
template <class M>
constexpr id_census id_members() {
  id_census census;
  for (const id_role role : id_roles<M>) {
    if (role != id_role::none) ++census.count;
    if (role == id_role::database) census.any_database = true;
  }
  return census;
}

/// The embedded document a property of type T is (its value_traits say: relation/embeds_many.hpp),
/// or null.
template <class T>
constexpr const embedded_document* embedded_of() {
  if constexpr (requires { value_traits<T>::embedded; }) {
    return &value_traits<T>::embedded;
  } else {
    return nullptr;
  }
}

/// The conversions of property type T, shared by every member of that type in every model.
template <class T>
inline constexpr value_codec codec_of{
    kind_of<non_optional_t<T>>(),
    element_kind_of<T>(),
    is_nullable<T>(),
    [](const void* member, value_sink& out) { write_value(*static_cast<const T*>(member), out); },
    [](void* member, const row& in, std::size_t column) {
      read_value(in, column, *static_cast<T*>(member));
    },
    [](void* member) { *static_cast<T*>(member) = T{}; },
    [](void* target, void* source, bool move) {
      if (move) {
        *static_cast<T*>(target) = std::move(*static_cast<T*>(source));
      } else {
        *static_cast<T*>(target) = *static_cast<const T*>(source);
      }
    },
    embedded_of<T>(),
};

template <class... T>
struct type_list {
  static constexpr std::size_t size = sizeof...(T);
};

/// The property types most models use. With RELATA_SEPARATE_COMPILATION their codecs are
/// compiled once, in the engine, instead of in every translation unit whose models have them.
using common_property_types = type_list<relata::id<std::int64_t>,
                                        std::int64_t,
                                        std::int32_t,
                                        double,
                                        bool,
                                        std::string,
                                        std::chrono::system_clock::time_point,
                                        std::optional<std::int64_t>,
                                        std::optional<std::int32_t>,
                                        std::optional<double>,
                                        std::optional<bool>,
                                        std::optional<std::string>,
                                        std::optional<std::chrono::system_clock::time_point>,
                                        std::vector<std::int64_t>,
                                        std::vector<std::string>>;

/// T's position in the list, or the list's size.
template <class T, class... Ts>
consteval std::size_t type_index(type_list<Ts...>) {
  constexpr bool same[] = {std::is_same_v<T, Ts>...};
  for (std::size_t i = 0; i < sizeof...(Ts); ++i) {
    if (same[i]) return i;
  }
  return sizeof...(Ts);
}

template <class... Ts>
struct codec_table {
  value_codec codecs[sizeof...(Ts)];
};
template <class... Ts>
consteval codec_table<Ts...> make_codec_table(type_list<Ts...>) {
  return {{codec_of<Ts>...}};
}
using common_codec_table = decltype(make_codec_table(common_property_types{}));

/// With RELATA_SEPARATE_COMPILATION: the codecs of common_property_types, compiled in the
/// engine.
extern const common_codec_table common_codecs;
#if defined(RELATA_SEPARATE_COMPILATION)
inline constexpr bool common_codecs_in_engine = true;
#if RELATA_DEFINE_ENGINE
constinit const common_codec_table common_codecs = make_codec_table(common_property_types{});
#endif
#else
inline constexpr bool common_codecs_in_engine = false;
#endif

/// The codec of a member of type T: codec_of<T>, or the engine's copy of it.
template <class T>
consteval const value_codec* codec_for() {
  constexpr std::size_t common = type_index<T>(common_property_types{});
  if constexpr (common_codecs_in_engine && common < common_property_types::size) {
    return &common_codecs.codecs[common];
  } else {
    return &codec_of<T>;
  }
}

/// Raw room for an M, never constructed: where its members lie, without running its
/// constructor (for offsets, the way offsetof works).
template <class M>
union layout_probe {
  M object;
  char none;
  layout_probe() noexcept : none() {}
  ~layout_probe() {}
};
/// Where `member` lies in `object`, in bytes.
inline std::size_t offset_in(const void* object, const void* member) noexcept {
  return static_cast<std::size_t>(static_cast<const char*>(member) -
                                  static_cast<const char*>(object));
}

/// Member I of a model as constant data: all its definition but where it lies in an entity.
/// A model's declarations are one constant array (member_declarations<M>) that one
/// non-template function turns into its definition, so no code is compiled per member.
struct member_declaration {
  std::string_view name;
  const value_codec* codec = nullptr;  ///< a property's conversions; null for a relation
  std::string_view column_override;    ///< relata::column's name for a property, or empty
  bool is_id = false;
  bool generated = false;
  /// relata::default_value's constant for a property, or null.
  const default_constant* default_value = nullptr;
  /// A relation's definition; its offsets are relative to the relation member until
  /// make_definition adds the member's own.
  relation_definition relation{};
};

/// Whether a declared default of kind `given` (value_kind::null: none) is a value of
/// property type T.
template <class T>
consteval bool default_fits(value_kind given) {
  constexpr value_kind kind = kind_of<non_optional_t<T>>();
  switch (given) {
    case value_kind::null:
      return true;
    case value_kind::integer:
      return kind == value_kind::integer || kind == value_kind::real;
    case value_kind::real:
      return kind == value_kind::real;
    case value_kind::boolean:
      return kind == value_kind::boolean;
    case value_kind::text:
      return kind == value_kind::text;
    default:
      return false;
  }
}
template <class M, class Property, bool Ok>
struct check_default_fits {
  static_assert(Ok,
                "relata: relata::default_value gives a property a value of another type (a "
                "number for a number, a string literal for text, true or false for a bool)");
  static constexpr bool value = Ok;
};

template <class M, class Relation, bool Ok>
struct check_default_on_property {
  static_assert(Ok,
                "relata: relata::default_value names a relation member; a default is for a stored "
                "property");
  static constexpr bool value = Ok;
};

// --- properties a relation copies from its source (relata::copy_property, properties_from) ---

template <class M, fixed_string Relation, fixed_string Property, bool Ok>
struct check_copied_property_on_source {
  static_assert(Ok,
                "relata: relata::copy_property copies from a property the model declaring the "
                "relation does not have; name a stored property of that model first");
  static constexpr bool value = Ok;
};
template <class M, fixed_string Relation, class Into, fixed_string Property, bool Ok>
struct check_copied_property_on_target {
  static_assert(Ok,
                "relata: relata::copy_property copies into a property the relation's target (a "
                "has_many through's link model) does not have; name a stored property of it "
                "second");
  static constexpr bool value = Ok;
};
template <class M, fixed_string Relation, fixed_string From, class Into, fixed_string To, bool Ok>
struct check_copied_property_types {
  static_assert(Ok,
                "relata: relata::copy_property copies between properties of different types; "
                "give them one type (the target's may be a std::optional of the source's)");
  static constexpr bool value = Ok;
};
template <class M, fixed_string Relation, class F, class Into, bool Ok>
struct check_properties_from_callable {
  static_assert(Ok,
                "relata: relata::properties_from takes a default-constructible type callable as "
                "void(const Source&, Target&) (Link& for a has_many through)");
  static constexpr bool value = Ok;
};

/// Index of stored property `name` among M's members, or member_count<M> (absent, or a
/// relation).
template <class M>
consteval std::size_t stored_member_by_name(std::string_view name) {
  const std::size_t i = member_index_by_name<M>(name);
  return i < member_count<M> && !relation_flags<M>[i] ? i : member_count<M>;
}

/// What relation option O of relation `Relation` of M copies from an M into an `Into` (its
/// target, or its link): nothing, but for relata::copy_property and relata::properties_from.
template <class M, fixed_string Relation, class Into, class O>
struct property_copier {
  static constexpr bool ok = true;
  /// The property of Into it sets, or npos (none, or unknown: a function's).
  static constexpr std::size_t into_property = npos;
  static void copy(const M&, Into&) {}
};
template <class M, fixed_string Relation, class Into, fixed_string From, fixed_string To>
struct property_copier<M, Relation, Into, copy_property<From, To>> {
  static constexpr std::size_t from = stored_member_by_name<M>(From);
  static constexpr std::size_t to = stored_member_by_name<Into>(To);
  static constexpr bool types_match = [] {
    if constexpr (from < member_count<M> && to < member_count<Into>) {
      using S = member_type<M, from>;
      using T = member_type<Into, to>;
      return std::is_same_v<key_value_t<S>, key_value_t<T>> &&
             (!is_optional<S>::value || is_optional<T>::value);
    } else {
      return true;
    }
  }();
  static constexpr bool ok =
      check_copied_property_on_source<M, Relation, From, (from < member_count<M>)>::value &&
      check_copied_property_on_target<M, Relation, Into, To, (to < member_count<Into>)>::value &&
      check_copied_property_types<M, Relation, From, Into, To, types_match>::value;
  static constexpr std::size_t into_property = [] {
    if constexpr (ok) {
      return property_index_of_member<Into>(to);
    } else {
      return npos;
    }
  }();
  static void copy(const M& source, Into& target) {
    if constexpr (ok) target.*member_pointer<Into, to> = source.*member_pointer<M, from>;
  }
};
template <class M, fixed_string Relation, class Into, class F>
struct property_copier<M, Relation, Into, properties_from<F>> {
  static constexpr bool callable =
      std::is_default_constructible_v<F> && std::is_invocable_v<F, const M&, Into&>;
  static constexpr bool ok = check_properties_from_callable<M, Relation, F, Into, callable>::value;
  static constexpr std::size_t into_property = npos;
  static void copy(const M& source, Into& target) {
    if constexpr (ok) F{}(source, target);
  }
};

/// Relation member I of M's copy of properties (relation_definition::copy_properties), from
/// its parsed options.
template <class M, fixed_string Relation, class F, bool Ok>
struct check_relation_scope {
  static_assert(Ok,
                "relata: relata::scope<F> takes a default-constructible type whose "
                "operator()() const returns a relata::filter of the relation's target model");
  static constexpr bool value = Ok;
};
template <class M, fixed_string Relation, bool Ok>
struct check_relation_scope_one_target {
  static_assert(Ok,
                "relata: relata::scope applies to relations with one target model; include a "
                "polymorphic relation with a scope per model (relata::on<Model>(...)) instead");
  static constexpr bool value = Ok;
};

/// A scope's filter (relata::scope on a relation, relata::named_scope and
/// relata::default_scope on a model): F's filter of model M, lowered once.
template <class F, class M>
struct lowered_scope {
  static constexpr bool ok = [] {
    if constexpr (std::is_default_constructible_v<F> && std::is_invocable_v<const F&>) {
      return std::is_same_v<std::invoke_result_t<const F&>, relata::filter<M>>;
    } else {
      return false;
    }
  }();
  static const ast::filter* get() {
    static const ast::filter lowered = F{}().lower();
    return &lowered;
  }
};

template <class M, fixed_string Scope, class F, bool Ok>
struct check_model_scope {
  static_assert(Ok,
                "relata: relata::named_scope<Name, F> and relata::default_scope<F> take a "
                "default-constructible type F whose operator()() const returns a "
                "relata::filter of the model they are declared on");
  static constexpr bool value = Ok;
};

/// Model option O as a named scope: none, unless O is a relata::named_scope, whose filter is
/// lowered once (the same machinery as a relation's scope, whose filter is of its target).
template <class M, class O>
struct named_scope_entry {
  static constexpr std::size_t count = 0;
};
template <class M, fixed_string Name, class F>
struct named_scope_entry<M, named_scope<Name, F>> {
  using lowered = lowered_scope<F, M>;
  static_assert(check_model_scope<M, Name, F, lowered::ok>::value);
  static constexpr std::size_t count = 1;
  static constexpr named_scope_definition value{Name, &lowered::get};
};

/// M's named scopes (model_definition::named_scopes), in declaration order.
template <class M, class Options>
struct named_scopes_of;
template <class M, class... O>
struct named_scopes_of<M, options<O...>> {
  static constexpr auto value = [] {
    std::array<named_scope_definition, (named_scope_entry<M, O>::count + ... + 0)> out{};
    [[maybe_unused]] std::size_t at = 0;
    (
        (void)[&] {
          if constexpr (named_scope_entry<M, O>::count == 1)
            out[at++] = named_scope_entry<M, O>::value;
        }(),
        ...);
    return out;
  }();
};

/// M's default scope (model_definition::default_scope): null, or its filter lowered once.
template <class M, class F = typename model_options<M>::default_scope_function>
constexpr const ast::filter* (*default_scope_getter())() {
  if constexpr (std::is_void_v<F>) {
    return nullptr;
  } else {
    using lowered = lowered_scope<F, M>;
    static_assert(check_model_scope<M, "default", F, lowered::ok>::value);
    return &lowered::get;
  }
}

template <class M, std::size_t I, class Into, class Options>
struct properties_copy;
template <class M, std::size_t I, class Into, class... O>
struct properties_copy<M, I, Into, parsed_relation_options<O...>> {
  static constexpr auto relation = to_fixed<member_name_fixed<M, I>>();
  static constexpr bool ok = (property_copier<M, relation, Into, O>::ok && ...);
  static constexpr std::array<std::size_t, sizeof...(O)> into_properties{
      property_copier<M, relation, Into, O>::into_property...};
  static void copy(const void* source, void* target) {
    (property_copier<M, relation, Into, O>::copy(*static_cast<const M*>(source),
                                                 *static_cast<Into*>(target)),
     ...);
  }
};

template <class M, std::size_t I>
consteval member_declaration declare_member() {
  using T = member_type<M, I>;
  member_declaration m{};
  m.name = M::relata_member_names[I];
  if constexpr (is_relation_type<T>) {
    using traits = relation_traits_for<M, I>;
    using storage = typename T::storage_type;
    relation_definition& r = m.relation;
    r.name = traits::name;
    r.source = M::relata_model_name;
    r.kind = &kind_instance<typename traits::kind>;
    r.to_many = holds_many<storage>;
    r.on_delete = T::options::on_delete;
    r.include_disabled = T::options::include_disabled;
    if constexpr (T::options::copies_properties && T::kind::rules.copies_properties) {
      // Into the link for a hasManyThrough (as LoopBack 3 does), else into the target.
      using into = std::
          conditional_t<traits::through_relation, typename traits::link, typename traits::target>;
      using copy = properties_copy<M, I, into, typename T::options>;
      static_assert(copy::ok);
      r.copy_properties = &copy::copy;
      r.copied_properties = copy::into_properties;
    }
    if constexpr (!std::is_void_v<typename T::options::scope_function>) {
      constexpr auto relation = to_fixed<member_name_fixed<M, I>>();
      using target = typename T::target_type;
      static_assert(check_relation_scope_one_target<M, relation, model<target>>::value);
      if constexpr (model<target>) {
        using scope = lowered_scope<typename T::options::scope_function, target>;
        static_assert(
            check_relation_scope<M, relation, typename T::options::scope_function, scope::ok>::
                value);
        r.scope = &scope::get;
      }
    }
    r.member = I;
    static_assert(
        check_default_on_property<M, T, model_options<M>::default_kind(I) == value_kind::null>::
            value);
    traits::declare_keys(r);
    if constexpr (holds_one_of<storage>) r.index_offset = storage_access::index_position<storage>();
    // A standard-layout relation member lies where its storage base does (at its start).
    static_assert(std::is_standard_layout_v<T>,
                  "relata (internal): a relation member must be standard-layout");
    r.targets_offset = storage_access::targets_position<storage>();
    r.loaded_offset = storage_access::loaded_position<storage>();
  } else if constexpr (!is_storable<T> && std::is_same_v<non_optional_t<T>, nlohmann::json>) {
    static_assert(
        check_json_property_has_its_header<M, to_fixed<member_name_fixed<M, I>>(), false>::value);
  } else if constexpr (!is_storable<T>) {
    static_assert(check_property_type_is_storable<M,
                                                  to_fixed<member_name_fixed<M, I>>(),
                                                  is_storable<T>>::value);
  } else {
    m.codec = codec_for<T>();
    m.column_override = model_options<M>::column_override(I);
    m.default_value = model_options<M>::default_of(I);
    static_assert(
        check_default_fits<M, T, default_fits<T>(model_options<M>::default_kind(I))>::value);
    m.is_id = is_id<T>::value;
    if constexpr (is_id<T>::value) m.generated = T::generated;
  }
  return m;
}

template <class M, std::size_t... Is>
consteval std::array<member_declaration, sizeof...(Is)> declare_members(
    std::index_sequence<Is...>) {
  return {declare_member<M, Is>()...};
}
/// The declarations of M's members, in declaration order.
template <class M>
inline constexpr auto member_declarations =
    declare_members<M>(std::make_index_sequence<member_count<M>>{});

/// What a model declares about itself, beside its members.
struct model_declaration {
  std::string_view name;
  std::string_view table;
  bool table_given;
  naming column_style;
  const entity_ops* entity;
  std::size_t presence_offset;
  /// Its relata::unique keys, as member positions, each key followed by npos.
  std::span<const std::size_t> unique_members;
};

template <class M, bool Ok>
struct check_unique_on_properties {
  static_assert(Ok,
                "relata: relata::unique names a relation member; a unique key is made of stored "
                "properties");
  static constexpr bool value = Ok;
};
template <class M>
consteval bool unique_members_are_properties() {
  for (std::size_t m : model_options<M>::unique_members) {
    if (m != npos && relation_flags<M>[m]) return false;
  }
  return true;
}

/// The runtime definition from a model's declarations and its members' offsets.
model_definition make_definition(const model_declaration& model,
                                 std::span<const member_declaration> members,
                                 std::span<const std::size_t> offsets);

/// Where M keeps its detail::presence (RELATA_MODEL adds one; a model relata makes, such as a
/// hasAndBelongsToMany link, may have none: npos, every property present).
template <class M>
std::size_t presence_offset(const layout_probe<M>& probe) noexcept {
  if constexpr (requires { probe.object.relata_presence; }) {
    return offset_in(&probe.object, &probe.object.relata_presence);
  } else {
    return npos;
  }
}

template <class M, std::size_t... Is>
model_definition build_definition(std::index_sequence<Is...>) {
  static_assert(check_composite_id_is_supplied < M,
                id_members<M>().count < 2 || !id_members<M>().any_database > ::value);
  const layout_probe<M> probe;
  const std::array<std::size_t, sizeof...(Is)> offsets{
      offset_in(&probe.object, &(probe.object.*member_pointer<M, Is>))...};
  using options = model_options<M>;
  static_assert(check_unique_on_properties<M, unique_members_are_properties<M>()>::value);
  model_definition d = make_definition({M::relata_model_name,
                                        options::table_name,
                                        options::table_given,
                                        options::column_style,
                                        &entity_ops_of<M>::value,
                                        presence_offset(probe),
                                        options::unique_members},
                                       member_declarations<M>,
                                       offsets);
  d.default_scope = default_scope_getter<M>();
  d.named_scopes = named_scopes_of<M, typename options_of<M>::type>::value;
  return d;
}

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE model_definition make_definition(const model_declaration& model,
                                                      std::span<const member_declaration> members,
                                                      std::span<const std::size_t> offsets) {
  model_definition d;
  d.name = model.name;
  d.table = std::string(model.table);
  d.table_given = model.table_given;
  d.entity = model.entity;
  d.presence_offset = model.presence_offset;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const member_declaration& m = members[i];
    if (!m.codec) {
      relation_definition r = m.relation;
      r.offset = offsets[i];
      r.targets_offset += offsets[i];
      r.loaded_offset += offsets[i];
      if (r.index_offset != npos) r.index_offset += offsets[i];
      d.relations.push_back(r);
      continue;
    }
    property_definition p{};
    p.model = d.name;
    p.name = m.name;
    p.column = m.column_override.empty() ? converted_string(m.name, model.column_style)
                                         : std::string(m.column_override);
    p.column_given = !m.column_override.empty();
    p.kind = m.codec->kind;
    p.element_kind = m.codec->element_kind;
    p.nullable = m.codec->nullable;
    p.is_id = m.is_id;
    p.generated = m.generated;
    p.member = i;
    p.offset = offsets[i];
    p.codec = m.codec;
    if (const default_constant* given = m.default_value) {
      p.has_default = true;
      switch (given->kind) {
        case value_kind::integer:
          p.default_value = p.kind == value_kind::real ? value{static_cast<double>(given->integer)}
                                                       : value{given->integer};
          break;
        case value_kind::real:
          p.default_value = value{given->real};
          break;
        case value_kind::boolean:
          p.default_value = value{given->boolean};
          break;
        default:
          p.default_value = value{std::string(given->text, given->size)};
          break;
      }
    }
    d.properties.push_back(std::move(p));
  }
  for (std::size_t p = 0; p < d.properties.size(); ++p) {
    if (d.properties[p].is_id) d.primary_key.push_back(p);
  }
  std::vector<std::size_t> key;
  for (std::size_t member : model.unique_members) {
    if (member != npos) {
      for (std::size_t p = 0; p < d.properties.size(); ++p) {
        if (d.properties[p].member == member && std::find(key.begin(), key.end(), p) == key.end())
          key.push_back(p);
      }
      continue;
    }
    d.unique_keys.push_back(std::move(key));
    key.clear();
  }
  if (d.primary_key.size() == 1 && d.properties[d.primary_key.front()].generated) {
    d.generated_key = d.primary_key.front();
  } else {
    // a composite key is always supplied by the caller
    for (auto p : d.primary_key) d.properties[p].generated = false;
  }
  return d;
}
#endif

}  // namespace relata::detail

namespace relata {

template <model M>
const model_definition& definition_of() {
  static const model_definition definition =
      detail::build_definition<M>(std::make_index_sequence<detail::member_count<M>>{});
  return definition;
}

}  // namespace relata
