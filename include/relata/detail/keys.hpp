// A model's key type (what find_by_id takes) and its conversion to values.
#pragma once

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/detail/definition.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// The key type of a model without an id: by-id operations refuse to compile. It accepts any
/// argument, so that a call reaches check_model_has_id and says why.
struct no_key {
  no_key() = default;
  template <class T>
  no_key(const T&) noexcept {}  // NOLINT: implicit on purpose
};

template <class M, bool Ok>
struct check_model_has_id {
  static_assert(Ok, "relata: this operation needs the model to have a relata::id member");
  static constexpr bool value = Ok;
};

/// The member indexes of M's id members, in order.
template <class M>
constexpr auto id_member_indexes() {
  std::array<std::size_t, id_members<M>().count> out{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < id_roles<M>.size(); ++i) {
    if (id_roles<M>[i] != id_role::none) out[n++] = i;
  }
  return out;
}

template <class M, class Seq>
struct key_type_impl;
template <class M, std::size_t... Is>
struct key_type_impl<M, std::index_sequence<Is...>> {
  static constexpr auto ids = id_member_indexes<M>();
  using type = std::conditional_t<
      sizeof...(Is) == 0,
      no_key,
      std::conditional_t<
          sizeof...(Is) == 1,
          std::tuple_element_t<0, std::tuple<key_value_t<member_type<M, ids[Is]>>..., no_key>>,
          std::tuple<key_value_t<member_type<M, ids[Is]>>...>>>;
};

/// What find_by_id takes: the id's value type (`std::int64_t` for `relata::id<std::int64_t>`),
/// a std::tuple for a composite id.
template <class M>
using key_type_t = typename key_type_impl<M, std::make_index_sequence<id_members<M>().count>>::type;

/// The key as values, in primary-key order.
template <class M>
std::vector<value> key_values(const key_type_t<M>& key) {
  static_assert(check_model_has_id<M, (id_members<M>().count > 0)>::value);
  if constexpr (id_members<M>().count == 0) {
    return {};
  } else if constexpr (id_members<M>().count == 1) {
    return {to_value(key)};
  } else {
    return std::apply([](const auto&... parts) { return std::vector<value>{to_value(parts)...}; },
                      key);
  }
}

template <class Expected, class Given, bool Ok>
struct check_id_argument {
  static_assert(
      Ok,
      "relata: the id given does not have the type of the model's id (an integer id "
      "takes integers, a text id strings, a composite id a std::tuple of its parts or its "
      "parts in braces, in primary-key order)");
  static constexpr bool value = Ok;
};

/// Whether `Given...` are the parts of M's composite id, each of a compatible type.
template <class M, class... Given>
constexpr bool composite_key_parts() {
  if constexpr (id_members<M>().count != sizeof...(Given) || sizeof...(Given) < 2) {
    return false;
  } else {
    return []<std::size_t... Is>(std::index_sequence<Is...>) {
      return (comparable_value<std::tuple_element_t<Is, key_type_t<M>>,
                               std::tuple_element_t<Is, std::tuple<Given...>>>() &&
              ...);
    }
    (std::index_sequence_for<Given...>{});
  }
}

/// What by-id calls take: the model's id, from any value of a compatible type (a double for an
/// integer id does not compile); a composite id as a std::tuple or as its parts in braces
/// (`links.find_by_id({playlist_id, track_id})`).
template <class M>
class id_argument {
 public:
  using key_type = key_type_t<M>;

  id_argument(const key_type& key) : values_(key_values<M>(key)) {}  // NOLINT: an id is its value
  template <class K>
  requires(!std::is_same_v<std::remove_cvref_t<K>, key_type>) id_argument(const K& key) {  // NOLINT
    static_assert(check_id_argument<key_type, K, comparable_value<key_type, K>()>::value);
    if constexpr (comparable_value<key_type, K>()) {
      values_ = key_values<M>(static_cast<key_type>(unwrap_key(key)));
    }
  }

  /// The parts of a composite id, in primary-key order.
  template <class First, class Second, class... Rest>
  id_argument(const First& first, const Second& second, const Rest&... rest) {  // NOLINT
    constexpr bool ok = composite_key_parts<M, First, Second, Rest...>();
    static_assert(check_id_argument<key_type, std::tuple<First, Second, Rest...>, ok>::value);
    if constexpr (ok) {
      [&]<std::size_t... Is>(std::index_sequence<Is...>, const auto&... parts) {
        values_ = {to_value(static_cast<std::tuple_element_t<Is, key_type>>(unwrap_key(parts)))...};
      }
      (std::index_sequence_for<First, Second, Rest...>{}, first, second, rest...);
    }
  }

  /// The id as values, in primary-key order.
  const std::vector<value>& values() const noexcept { return values_; }

 private:
  std::vector<value> values_;
};

template <class Expected, class Given, bool Ok>
struct check_key_argument {
  static_assert(Ok,
                "relata: the key given to a relation accessor does not have the type of "
                "the relation's key");
  static constexpr bool value = Ok;
};

/// A key argument of a relation accessor, checked against the key type and made a value.
template <class Expected, class Given>
value key_argument(const Given& key) {
  static_assert(check_key_argument<Expected, Given, comparable_value<Expected, Given>()>::value);
  return to_value(static_cast<key_value_t<Expected>>(unwrap_key(key)));
}

}  // namespace relata::detail
