// relata/relation/storage.hpp: what a relation member holds: nothing until an include loads it,
// then its target (to_one_storage) or its targets (to_many_storage), of one of several models
// for a polymorphic relation (to_one_of_storage, to_many_of_storage). The engine reaches both
// through the offsets recorded in the relation's definition (schema.hpp), with the same code
// for every model.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/entity_storage.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>

namespace relata::detail {

/// Throws NOT_LOADED for the relation `label` ("Customer.orders", or null when unknown): its
/// contents were read, but no include loaded it.
[[noreturn]] void throw_not_loaded(const char* label);
/// Throws NOT_LOADED for a to-one relation that was loaded and found no target.
[[noreturn]] void throw_no_target(const char* label);

/// The first of a pack of types.
template <class... Types>
using first = std::tuple_element_t<0, std::tuple<Types...>>;

/// The position of T in a pack of types; the pack's size when it is not there.
template <class T, class... Types>
inline constexpr std::size_t index_of_type = [] {
  constexpr bool same[] = {std::is_same_v<T, Types>...};
  std::size_t i = 0;
  while (i < sizeof...(Types) && !same[i]) ++i;
  return i;
}();

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
  /// Where a to_one_of_storage keeps which of its models holds the target.
  template <class Storage>
  static constexpr std::size_t index_position() noexcept {
    return offsetof(Storage, index_);
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
      : targets_(other.targets_, &detail::copy_entity<Target>),
        loaded_(other.loaded_),
        label_(other.label_) {}
  to_one_storage(to_one_storage&&) noexcept = default;
  to_one_storage& operator=(const to_one_storage& other) {
    if (this != &other) *this = to_one_storage(other);
    return *this;
  }
  to_one_storage& operator=(to_one_storage&&) noexcept = default;
  ~to_one_storage() = default;

  /// Whether an include loaded this relation; the one question that never throws.
  bool loaded() const noexcept { return loaded_; }
  /// Whether it was loaded and found a target; NOT_LOADED, naming the model and the
  /// relation, when no include loaded it (an unloaded relation is not an empty one).
  bool has_value() const {
    if (!loaded_) throw_not_loaded(label_);
    return targets_.get() != nullptr;
  }
  /// The target, or nullptr when it found none; NOT_LOADED when it was not loaded.
  const Target* get() const {
    if (!loaded_) throw_not_loaded(label_);
    return static_cast<const Target*>(targets_.get());
  }
  Target* get() {
    if (!loaded_) throw_not_loaded(label_);
    return static_cast<Target*>(targets_.get());
  }
  /// The target; NOT_LOADED when the relation was not loaded or found none.
  const Target& value() const {
    if (!has_value()) throw_no_target(label_);
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

  /// Internal: the relation's "Model.relation", which RELATA_MODEL records (initial_member).
  void relata_set_label(const char* label) noexcept { label_ = label; }

 private:
  friend struct storage_access;

  // Type-erased rather than std::unique_ptr<Target>: one compiled implementation for every
  // target model, reached through Target's entity_ops (see detail/entity_storage.hpp).
  detail::owned_entity targets_;
  bool loaded_ = false;
  // Where the relation's name lives, for NOT_LOADED: a string literal, not a copy.
  const char* label_ = nullptr;
};

/// A to-many navigational value: not loaded, or loaded with zero or more targets.
template <class Target>
class to_many_storage {
 public:
  using value_type = Target;
  using const_iterator = typename entities<Target>::const_iterator;

  /// Whether an include loaded this relation; the one question that never throws.
  bool loaded() const noexcept { return loaded_; }
  /// The targets. Reading the targets of a relation no include loaded (value, begin, end,
  /// size, empty, []) throws NOT_LOADED naming the model and the relation: an unloaded
  /// relation is not an empty one.
  const entities<Target>& value() const {
    if (!loaded_) throw_not_loaded(label_);
    return targets_;
  }
  entities<Target>& value() {
    if (!loaded_) throw_not_loaded(label_);
    return targets_;
  }
  const_iterator begin() const { return value().begin(); }
  const_iterator end() const { return value().end(); }
  std::size_t size() const { return value().size(); }
  bool empty() const { return value().empty(); }
  const Target& operator[](std::size_t i) const { return value()[i]; }

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
  /// Internal: the relation's "Model.relation", which RELATA_MODEL records (initial_member).
  void relata_set_label(const char* label) noexcept { label_ = label; }

 private:
  friend struct storage_access;

  // entities<Target>, not std::vector<Target>: one compiled implementation for every target
  // model, reached through Target's entity_ops, instead of a vector's code per model. Its
  // entity_buffer is its only member, so the engine finds it where the entities are.
  entities<Target> targets_;
  bool loaded_ = false;
  // Where the relation's name lives, for NOT_LOADED: a string literal, not a copy.
  const char* label_ = nullptr;
};

/// A polymorphic to-one navigational value: not loaded, loaded and empty, or loaded with a
/// target that is one of `Targets`.
template <class... Targets>
class to_one_of_storage {
 public:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  to_one_of_storage() noexcept : targets_(detail::entity_ops_of<first<Targets...>>::value) {}
  to_one_of_storage(const to_one_of_storage& other)
      : targets_(other.targets_, copy_function_of(other.index_)),
        index_(other.index_),
        loaded_(other.loaded_),
        label_(other.label_) {}
  to_one_of_storage(to_one_of_storage&&) noexcept = default;
  to_one_of_storage& operator=(const to_one_of_storage& other) {
    if (this != &other) *this = to_one_of_storage(other);
    return *this;
  }
  to_one_of_storage& operator=(to_one_of_storage&&) noexcept = default;
  ~to_one_of_storage() = default;

  /// Whether an include loaded this relation; the one question that never throws.
  bool loaded() const noexcept { return loaded_; }
  /// Whether it was loaded and found a target; NOT_LOADED, naming the model and the
  /// relation, when no include loaded it (an unloaded relation is not an empty one).
  bool has_value() const {
    if (!loaded_) throw_not_loaded(label_);
    return targets_.get() != nullptr;
  }
  /// The position in the relation's one_of of the target's model; `none` without a target.
  std::size_t index() const { return has_value() ? index_ : none; }
  /// Whether the target is a T.
  template <class T>
  bool holds() const {
    return has_value() && index_ == index_of_type<T, Targets...>;
  }
  /// The target if it is a T, else nullptr.
  template <class T>
  const T* get() const {
    return holds<T>() ? static_cast<const T*>(targets_.get()) : nullptr;
  }
  /// A copy of the target; NOT_LOADED when the relation was not loaded or found none.
  std::variant<Targets...> value() const {
    if (!has_value()) throw_no_target(label_);
    return make_variant(std::index_sequence_for<Targets...>{});
  }
  /// Calls f with the target, as the model it is; throws as value() does.
  template <class F>
  decltype(auto) visit(F&& f) const {
    if (!has_value()) (void)value();
    return visit_at(std::forward<F>(f), std::index_sequence_for<Targets...>{});
  }

  /// Back to "not loaded".
  void reset() noexcept {
    targets_.reset();
    loaded_ = false;
  }
  /// Internal: the relation's "Model.relation", which RELATA_MODEL records (initial_member).
  void relata_set_label(const char* label) noexcept { label_ = label; }

 private:
  friend struct storage_access;

  static copy_function copy_function_of(std::size_t index) noexcept {
    constexpr copy_function copies[] = {&detail::copy_entity<Targets>...};
    return index < sizeof...(Targets) ? copies[index] : nullptr;
  }
  template <std::size_t... Is>
  std::variant<Targets...> make_variant(std::index_sequence<Is...>) const {
    std::variant<Targets...> out;
    ((index_ == Is
          ? (void)out.template emplace<Is>(
                *static_cast<const std::variant_alternative_t<Is, std::variant<Targets...>>*>(
                    targets_.get()))
          : (void)0),
     ...);
    return out;
  }
  template <class F, std::size_t... Is>
  decltype(auto) visit_at(F&& f, std::index_sequence<Is...>) const {
    using result = std::invoke_result_t<F, const first<Targets...>&>;
    if constexpr (std::is_void_v<result>) {
      ((index_ == Is ? (void)f(*static_cast<const Targets*>(targets_.get())) : (void)0), ...);
    } else {
      result out{};
      ((index_ == Is ? (void)(out = f(*static_cast<const Targets*>(targets_.get()))) : (void)0),
       ...);
      return out;
    }
  }

  // The held entity's model's entity_ops, which owned_entity keeps; index_ says which model.
  detail::owned_entity targets_;
  std::size_t index_ = 0;
  bool loaded_ = false;
  // Where the relation's name lives, for NOT_LOADED: a string literal, not a copy.
  const char* label_ = nullptr;
};

/// A polymorphic to-many navigational value: not loaded, or loaded with zero or more targets,
/// each one of `Targets`, in the order the include read them.
template <class... Targets>
class to_many_of_storage {
 public:
  to_many_of_storage() = default;
  to_many_of_storage(const to_many_of_storage& other)
      : targets_(other.targets_, copy_functions), loaded_(other.loaded_), label_(other.label_) {}
  to_many_of_storage(to_many_of_storage&&) noexcept = default;
  to_many_of_storage& operator=(const to_many_of_storage& other) {
    if (this != &other) *this = to_many_of_storage(other);
    return *this;
  }
  to_many_of_storage& operator=(to_many_of_storage&&) noexcept = default;
  ~to_many_of_storage() = default;

  /// Whether an include loaded this relation; the one question that never throws.
  bool loaded() const noexcept { return loaded_; }
  /// How many targets it holds; NOT_LOADED, naming the model and the relation, when no
  /// include loaded it (an unloaded relation is not an empty one). So do the calls below.
  std::size_t size() const { return held().size(); }
  bool empty() const { return held().empty(); }
  /// The position in the relation's one_of of target i's model.
  std::size_t index(std::size_t i) const { return held().model(i); }
  /// Whether target i is a T.
  template <class T>
  bool holds(std::size_t i) const {
    return index(i) == index_of_type<T, Targets...>;
  }
  /// Target i if it is a T, else nullptr.
  template <class T>
  const T* get(std::size_t i) const {
    return holds<T>(i) ? static_cast<const T*>(targets_.at(i)) : nullptr;
  }
  /// Calls f with target i, as the model it is.
  template <class F>
  decltype(auto) visit(std::size_t i, F&& f) const {
    return visit_at(i, std::forward<F>(f), std::index_sequence_for<Targets...>{});
  }
  /// Calls f with each target, in order, as the model it is.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < size(); ++i) visit(i, f);
  }
  /// Copies of the targets, in order.
  std::vector<std::variant<Targets...>> value() const {
    std::vector<std::variant<Targets...>> out;
    out.reserve(size());
    for_each([&out](const auto& target) { out.emplace_back(target); });
    return out;
  }

  /// Back to "not loaded".
  void reset() noexcept {
    targets_.clear();
    loaded_ = false;
  }
  /// Internal: the relation's "Model.relation", which RELATA_MODEL records (initial_member).
  void relata_set_label(const char* label) noexcept { label_ = label; }

 private:
  friend struct storage_access;

  static constexpr copy_function copy_functions[] = {&detail::copy_entity<Targets>...};

  const mixed_entities& held() const {
    if (!loaded_) throw_not_loaded(label_);
    return targets_;
  }
  template <class F, std::size_t... Is>
  decltype(auto) visit_at(std::size_t i, F&& f, std::index_sequence<Is...>) const {
    const std::size_t model = index(i);
    using result = std::invoke_result_t<F, const first<Targets...>&>;
    if constexpr (std::is_void_v<result>) {
      ((model == Is ? (void)f(*static_cast<const Targets*>(targets_.at(i))) : (void)0), ...);
    } else {
      result out{};
      ((model == Is ? (void)(out = f(*static_cast<const Targets*>(targets_.at(i)))) : (void)0),
       ...);
      return out;
    }
  }

  detail::mixed_entities targets_;
  bool loaded_ = false;
  // Where the relation's name lives, for NOT_LOADED: a string literal, not a copy.
  const char* label_ = nullptr;
};

/// Whether a relation storage holds any number of targets (to_many_storage), not at most one.
template <class Storage>
inline constexpr bool holds_many = false;
template <class Target>
inline constexpr bool holds_many<to_many_storage<Target>> = true;
template <class... Targets>
inline constexpr bool holds_many<to_many_of_storage<Targets...>> = true;

/// Whether a relation storage holds a target of one of several models (to_one_of_storage).
template <class Storage>
inline constexpr bool holds_one_of = false;
template <class... Targets>
inline constexpr bool holds_one_of<to_one_of_storage<Targets...>> = true;

#if RELATA_DEFINE_ENGINE
namespace storage_detail {
/// "relation orders of model Customer" from "Customer.orders".
inline std::string relation_named(const char* label) {
  if (!label) return "the relation";
  const std::string_view text{label};
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return "relation " + std::string(text);
  return "relation " + std::string(text.substr(dot + 1)) + " of model " +
         std::string(text.substr(0, dot));
}
}  // namespace storage_detail

RELATA_ENGINE_INLINE void throw_not_loaded(const char* label) {
  throw not_loaded(storage_detail::relation_named(label) +
                   " was not loaded: add it to the filter's include (loaded() asks without "
                   "throwing)");
}

RELATA_ENGINE_INLINE void throw_no_target(const char* label) {
  throw not_loaded(storage_detail::relation_named(label) + " was loaded and has no target");
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
