// relata/relations.hpp: relation kinds and their options, key inference, compile-time checks.
//
// A relation is a member whose type names its kind, target and options:
//
//     (relata::has_many<Order>, orders)                          // Order::customer_id
//     (relata::has_many<Order, relata::key_to<"buyer_id">>, orders)
//     (relata::belongs_to<Customer>, customer)                   // this->customer_id
//     (relata::has_one<Address>, address)                        // Address::customer_id
//     (relata::has_many<Doctor, relata::through<Appointment>>, doctors)
//     (relata::references_many<Account>, accounts)               // this->account_ids
//
// The member holds what an `include` loaded (nothing until then). Keys are inferred as
// LoopBack infers them, spelled by the declaring model's `key_naming` (snake_case by default),
// and every key is checked when the relation is first used: a missing or mistyped key is a
// compile error naming the model, the relation and the key.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/fixed_string.hpp>
#include <relata/detail/naming.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>

namespace relata {

// --- options ---------------------------------------------------------------------------------

/// Relation option: the property on the declaring (source) model the relation joins from.
template <detail::fixed_string Name>
struct key_from {};
/// Relation option: the property on the target model the relation joins to.
template <detail::fixed_string Name>
struct key_to {};
/// Relation option: a hasManyThrough's link model.
template <class Link>
struct through {};
/// Relation option: the link model's property that refers to the source.
template <detail::fixed_string Name>
struct through_key_from {};
/// Relation option: the link model's property that refers to the target.
template <detail::fixed_string Name>
struct through_key_to {};
/// Relation option: the relation's name in filters and JSON (default: the member's name).
template <detail::fixed_string Name>
struct relation_name {};

namespace detail {

template <class... T>
struct type_list {
  static constexpr std::size_t size = sizeof...(T);
};

template <class O>
struct relation_option_info {
  static constexpr bool known = false;
};
template <fixed_string N>
struct relation_option_info<key_from<N>> {
  static constexpr bool known = true;
  static constexpr std::string_view key_from = N;
};
template <fixed_string N>
struct relation_option_info<key_to<N>> {
  static constexpr bool known = true;
  static constexpr std::string_view key_to = N;
};
template <class L>
struct relation_option_info<through<L>> {
  static constexpr bool known = true;
  using link = L;
};
template <fixed_string N>
struct relation_option_info<through_key_from<N>> {
  static constexpr bool known = true;
  static constexpr std::string_view through_key_from = N;
};
template <fixed_string N>
struct relation_option_info<through_key_to<N>> {
  static constexpr bool known = true;
  static constexpr std::string_view through_key_to = N;
};
template <fixed_string N>
struct relation_option_info<relation_name<N>> {
  static constexpr bool known = true;
  static constexpr std::string_view name = N;
};

/// What a list of relation options says; empty views where an option is absent.
template <class... O>
struct parsed_relation_options {
  static_assert((relation_option_info<O>::known && ...),
                "relata: unknown relation option; relations accept relata::key_from, "
                "relata::key_to, relata::through, relata::through_key_from, "
                "relata::through_key_to and relata::relation_name");

#define RELATA_DETAIL_OPTION_VALUE(field)                             \
  static constexpr std::string_view field = [] {                      \
    std::string_view v;                                               \
    (                                                                 \
        (void)[&] {                                                   \
          if constexpr (requires { relation_option_info<O>::field; }) \
            v = relation_option_info<O>::field;                       \
        }(),                                                          \
        ...);                                                         \
    return v;                                                         \
  }();
  RELATA_DETAIL_OPTION_VALUE(key_from)
  RELATA_DETAIL_OPTION_VALUE(key_to)
  RELATA_DETAIL_OPTION_VALUE(through_key_from)
  RELATA_DETAIL_OPTION_VALUE(through_key_to)
  RELATA_DETAIL_OPTION_VALUE(name)
#undef RELATA_DETAIL_OPTION_VALUE

  template <class Acc, class Next>
  struct pick_link {
    using type = Acc;
  };
  template <class Acc, class Next>
  requires requires { typename relation_option_info<Next>::link; }
  struct pick_link<Acc, Next> {
    using type = typename relation_option_info<Next>::link;
  };
  template <class Acc, class... Rest>
  struct fold_link {
    using type = Acc;
  };
  template <class Acc, class First, class... Rest>
  struct fold_link<Acc, First, Rest...> {
    using type = typename fold_link<typename pick_link<Acc, First>::type, Rest...>::type;
  };
  /// The link model, or void.
  using link = typename fold_link<void, O...>::type;
};

/// Where a relation storage keeps its targets (a detail::owned_entity, or the
/// detail::entity_buffer that starts an entities<T>) and its "loaded" flag, for
/// relation_definition::targets_offset: the storage classes below befriend it.
struct storage_access {
  template <class Storage>
  static constexpr std::size_t targets_position() noexcept {
    // standard layout: the storage's members, and an entities' buffer, are where they start
    static_assert(std::is_standard_layout_v<Storage> &&
                      std::is_standard_layout_v<decltype(std::declval<Storage&>().targets_)>,
                  "relata (internal): relation storage must be standard-layout");
    return offsetof(Storage, targets_);
  }
  template <class Storage>
  static constexpr std::size_t loaded_position() noexcept {
    return offsetof(Storage, loaded_);
  }
};

/// A to-one navigational value: not loaded, loaded and empty, or loaded with a target.
/// Held by pointer so that a model may refer to itself (a customer's parent).
template <class Target>
class to_one_storage {
 public:
  using value_type = Target;

  // Target's entity_ops are named here, not in a default member initializer, so that they
  // are instantiated only when an entity is built, once Target is complete.
  to_one_storage() noexcept : targets_(detail::entity_ops_of<Target>::value) {}
  to_one_storage(const to_one_storage& other)
      : targets_(other.targets_, &detail::copy_entity<Target>), loaded_(other.loaded_) {}
  to_one_storage(to_one_storage&&) noexcept = default;
  to_one_storage& operator=(const to_one_storage& other) {
    if (this != &other) *this = to_one_storage(other);
    return *this;
  }
  to_one_storage& operator=(to_one_storage&&) noexcept = default;
  ~to_one_storage() = default;

  /// Whether an include loaded this relation.
  bool loaded() const noexcept { return loaded_; }
  /// Whether it was loaded and found a target.
  bool has_value() const noexcept { return targets_.get() != nullptr; }
  /// The target, or nullptr (not loaded, or none).
  const Target* get() const noexcept { return static_cast<const Target*>(targets_.get()); }
  Target* get() noexcept { return static_cast<Target*>(targets_.get()); }
  /// The target; throws not_loaded when the relation was not loaded or found none.
  const Target& value() const {
    if (!has_value()) {
      throw not_loaded(loaded_ ? "the relation was loaded and has no target"
                               : "the relation was not loaded; add it to the filter's include");
    }
    return *get();
  }
  const Target& operator*() const { return value(); }
  const Target* operator->() const { return &value(); }

  /// Back to "not loaded" (needed before writing an entity that came from an include).
  void reset() noexcept {
    targets_.reset();
    loaded_ = false;
  }
  /// Loaded, with `target`.
  void assign(Target target) {
    *static_cast<Target*>(targets_.emplace()) = std::move(target);
    loaded_ = true;
  }
  /// Loaded, with no target.
  void assign_none() noexcept {
    targets_.reset();
    loaded_ = true;
  }

 private:
  friend struct storage_access;

  // Type-erased rather than std::unique_ptr<Target>: one compiled implementation for every
  // target model, reached through Target's entity_ops (see detail/entity_storage.hpp).
  detail::owned_entity targets_;
  bool loaded_ = false;
};

/// A to-many navigational value: not loaded, or loaded with zero or more targets.
template <class Target>
class to_many_storage {
 public:
  using value_type = Target;
  using const_iterator = typename entities<Target>::const_iterator;

  /// Whether an include loaded this relation.
  bool loaded() const noexcept { return loaded_; }
  /// The targets; throws not_loaded when the relation was not loaded.
  const entities<Target>& value() const {
    if (!loaded_) throw not_loaded("the relation was not loaded; add it to the filter's include");
    return targets_;
  }
  entities<Target>& value() {
    if (!loaded_) throw not_loaded("the relation was not loaded; add it to the filter's include");
    return targets_;
  }
  /// Iterates the loaded targets (none when not loaded).
  const_iterator begin() const noexcept { return targets_.begin(); }
  const_iterator end() const noexcept { return targets_.end(); }
  std::size_t size() const noexcept { return targets_.size(); }
  bool empty() const noexcept { return targets_.empty(); }
  const Target& operator[](std::size_t i) const { return targets_[i]; }

  /// Back to "not loaded".
  void reset() noexcept {
    targets_.clear();
    loaded_ = false;
  }
  /// Loaded, with `targets`.
  void assign(entities<Target> targets) {
    targets_ = std::move(targets);
    loaded_ = true;
  }
  /// Loaded and empty; then `push_back` adds targets.
  void assign_none() noexcept {
    targets_.clear();
    loaded_ = true;
  }
  /// Room for `count` targets (the inclusion resolver knows how many are coming).
  void reserve(std::size_t count) { targets_.reserve(count); }
  void push_back(Target target) {
    targets_.push_back(std::move(target));
    loaded_ = true;
  }

 private:
  friend struct storage_access;

  // entities<Target>, not std::vector<Target>: one compiled implementation for every target
  // model, reached through Target's entity_ops, instead of a vector's code per model. Its
  // entity_buffer is its only member, so the engine finds it where the entities are.
  entities<Target> targets_;
  bool loaded_ = false;
};

}  // namespace detail

// --- navigational member types ---------------------------------------------------------------

/// A one-to-many relation: targets whose key_to (default `<source>_id`) equals this model's
/// key_from (default: its id). With `relata::through<Link>` it is a hasManyThrough.
template <class Target, class... Options>
class has_many : public detail::relation_tag, public detail::to_many_storage<Target> {
 public:
  using target_type = Target;
  using storage_type = detail::to_many_storage<Target>;
  using options = detail::parsed_relation_options<Options...>;
  static constexpr relation_kind kind = std::is_void_v<typename options::link>
                                            ? relation_kind::has_many
                                            : relation_kind::has_many_through;
};

/// A many-to-one relation: the target whose key_to (default: its id) equals this model's
/// key_from (default `<relation>_id`).
template <class Target, class... Options>
class belongs_to : public detail::relation_tag, public detail::to_one_storage<Target> {
 public:
  using target_type = Target;
  using storage_type = detail::to_one_storage<Target>;
  using options = detail::parsed_relation_options<Options...>;
  static constexpr relation_kind kind = relation_kind::belongs_to;
  static_assert(std::is_void_v<typename options::link>,
                "relata: relata::through applies to has_many relations only");
};

/// A one-to-one relation: the target whose key_to (default `<source>_id`) equals this model's
/// key_from (default: its id).
template <class Target, class... Options>
class has_one : public detail::relation_tag, public detail::to_one_storage<Target> {
 public:
  using target_type = Target;
  using storage_type = detail::to_one_storage<Target>;
  using options = detail::parsed_relation_options<Options...>;
  static constexpr relation_kind kind = relation_kind::has_one;
  static_assert(std::is_void_v<typename options::link>,
                "relata: relata::through applies to has_many relations only");
};

/// References to many targets held in an array property of this model (default
/// `<target>_ids`), resolved in array order.
template <class Target, class... Options>
class references_many : public detail::relation_tag, public detail::to_many_storage<Target> {
 public:
  using target_type = Target;
  using storage_type = detail::to_many_storage<Target>;
  using options = detail::parsed_relation_options<Options...>;
  static constexpr relation_kind kind = relation_kind::references_many;
  static_assert(std::is_void_v<typename options::link>,
                "relata: relata::through applies to has_many relations only");
};

namespace detail {

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
template <class Source, std::size_t Member>
struct relation_traits {
  using navigation = member_type<Source, Member>;
  using target = typename navigation::target_type;
  using options = typename navigation::options;
  static constexpr relation_kind kind = navigation::kind;
  static constexpr bool through_relation = kind == relation_kind::has_many_through;
  using link = std::conditional_t<through_relation, typename options::link, no_link_model>;
  static constexpr std::string_view name =
      options::name.empty() ? Source::relata_member_names[Member] : options::name;
  static constexpr naming style = model_options<Source>::key_style;

  static_assert(check_relation_target_is_model<target, model<target>>::value);

  static constexpr bool source_key_inferred_from_id = options::key_from.empty() &&
                                                      kind != relation_kind::belongs_to &&
                                                      kind != relation_kind::references_many;
  static constexpr bool target_key_inferred_from_id =
      options::key_to.empty() &&
      !(kind == relation_kind::has_many || kind == relation_kind::has_one);
  static constexpr std::size_t source_id = single_id_member<Source>();
  static constexpr std::size_t target_id = single_id_member<target>();

  // key_from: on the source.
  static constexpr name_buffer key_from_name = [] {
    name_buffer b;
    if (!options::key_from.empty()) {
      b.append(options::key_from);
    } else if (kind == relation_kind::belongs_to) {
      b = foreign_key_name(name, style);
    } else if (kind == relation_kind::references_many) {
      b = foreign_key_name(target::relata_model_name, style, true);
    } else if (source_id < member_count<Source>) {
      b.append(Source::relata_member_names[source_id]);
    }
    return b;
  }();
  // key_to: on the target.
  static constexpr name_buffer key_to_name = [] {
    name_buffer b;
    if (!options::key_to.empty()) {
      b.append(options::key_to);
    } else if (kind == relation_kind::has_many || kind == relation_kind::has_one) {
      b = foreign_key_name(Source::relata_model_name, style);
    } else if (target_id < member_count<target>) {
      b.append(target::relata_member_names[target_id]);
    }
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
  static_assert(check_relation_target_is_model < link,
                !through_relation || model < link >> ::value);

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
  static constexpr std::size_t through_key_from_member =
      member_index_by_name<link>(through_key_from_name.view());
  static constexpr std::size_t through_key_to_member =
      member_index_by_name<link>(through_key_to_name.view());
  static constexpr bool through_key_from_found = through_key_from_member < member_count<link>;
  static constexpr bool through_key_to_found = through_key_to_member < member_count<link>;

  using link_from_type = typename member_key_type<link, through_key_from_member>::type;
  using link_to_type = typename member_key_type<link, through_key_to_member>::type;

  // The declaration's checks, each named once: relation_diagnosis turns a failed one into its
  // message.
  static constexpr bool source_id_ok =
      !source_key_inferred_from_id || source_id < member_count<Source>;
  static constexpr bool target_id_ok =
      !target_key_inferred_from_id || target_id < member_count<target>;
  static constexpr bool key_from_ok =
      kind == relation_kind::belongs_to || source_key_inferred_from_id || key_from_found;
  static constexpr bool belongs_to_key_ok = kind != relation_kind::belongs_to || key_from_found;
  static constexpr bool key_to_ok = target_key_inferred_from_id || key_to_found;
  static constexpr bool references_many_key_ok = kind != relation_kind::references_many ||
                                                 !key_from_found ||
                                                 !std::is_void_v<key_from_element>;
  static constexpr bool key_types_ok =
      !key_from_found || !key_to_found || through_relation ||
      (kind == relation_kind::references_many
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
      link_to_type_ok;
  static_assert(std::conditional_t<declaration_ok,
                                   std::true_type,
                                   relation_diagnosis<Source, Member>>::value);

  /// All checks passed: the keys can be used.
  static constexpr bool valid =
      key_from_found && key_to_found &&
      (!through_relation || (through_key_from_found && through_key_to_found));
};

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
  static constexpr bool value = false;
};

}  // namespace detail
}  // namespace relata
