// Compile-time access to a model's members, as recorded by RELATA_MODEL.
//
// RELATA_MODEL gives a model three things: `relata_model_name`, `relata_member_names` (a
// constexpr array) and `relata_members()` returning `member_list<&M::a, &M::b, ...>`. Everything
// here is built from those with fold expressions and overload resolution, never with recursive
// templates or tuple algorithms, so that a model costs the compiler little.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

namespace relata::detail {

/// The members of a model, as pointers to members, in declaration order.
template <auto... Members>
struct member_list {
  static constexpr std::size_t size = sizeof...(Members);
};
/// member_list<Members...>, behind a leading placeholder (RELATA_MODEL writes each member
/// with its comma before it).
template <int Placeholder, auto... Members>
using member_list_of = member_list<Members...>;

/// Base of every navigational member type (has_many<T>, belongs_to<T>, ...).
struct relation_tag {};

template <class P>
struct member_pointer_traits;
template <class T, class C>
struct member_pointer_traits<T C::*> {
  using type = T;
  using owner = C;
};

template <std::size_t I, auto Member>
struct indexed_member {};

template <class Sequence, auto... Members>
struct member_indexer;
template <std::size_t... Is, auto... Members>
struct member_indexer<std::index_sequence<Is...>, Members...> : indexed_member<Is, Members>... {};

template <std::size_t I, auto Member>
constexpr auto pick_member(indexed_member<I, Member>) noexcept {
  return Member;
}

template <class M>
using members_of = decltype(M::relata_members());

template <class M>
constexpr std::size_t member_count = M::relata_member_names.size();

template <auto... Members>
constexpr auto make_indexer(member_list<Members...>) {
  return member_indexer<std::make_index_sequence<sizeof...(Members)>, Members...>{};
}

/// The I-th member pointer of model M.
template <class M, std::size_t I>
constexpr auto member_pointer = pick_member<I>(make_indexer(members_of<M>{}));

/// The declared type of the I-th member of M.
template <class M, std::size_t I>
using member_type =
    typename member_pointer_traits<std::remove_cv_t<decltype(member_pointer<M, I>)>>::type;

template <class T>
constexpr bool is_relation_type = std::is_base_of_v<relation_tag, T>;

template <class M, std::size_t I>
constexpr bool is_relation_member = is_relation_type<member_type<M, I>>;

/// The base of relata::embeds_one and relata::embeds_many (relation/embeds_one.hpp,
/// relation/embeds_many.hpp): stored properties that also have an accessor on the repository.
struct embedded_tag {};
template <class T>
constexpr bool is_embedded_type = std::is_base_of_v<embedded_tag, T>;

/// Whether member I of M (if there is one) is an embedded document.
template <class M, std::size_t I>
constexpr bool is_embedded_member = [] {
  if constexpr (I < member_count<M>) {
    return is_embedded_type<member_type<M, I>>;
  } else {
    return false;
  }
}();

/// Whether a member of type T has an accessor on its model's repository
/// (`customers.orders(id)`, `customers.emails(id)`): relations and embedded documents.
template <class T>
constexpr bool has_accessor = is_relation_type<T> || is_embedded_type<T>;

template <class A, class B>
constexpr bool same_member(A a, B b) noexcept {
  if constexpr (std::is_same_v<A, B>) {
    return a == b;
  } else {
    return false;
  }
}

/// The position of the member `Member` among M's members, or member_count<M> if absent.
template <class M, auto Member, auto... Members>
constexpr std::size_t member_index_impl(member_list<Members...>) noexcept {
  std::size_t index = sizeof...(Members);
  std::size_t i = 0;
  ((same_member(Members, Member) && index == sizeof...(Members) ? (index = i, ++i) : ++i), ...);
  return index;
}
template <class M, auto Member>
constexpr std::size_t member_index = member_index_impl<M, Member>(members_of<M>{});

/// The position of the member named `name`, or member_count<M>.
template <class M>
constexpr std::size_t member_index_by_name(std::string_view name) noexcept {
  const auto& names = M::relata_member_names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  return names.size();
}

/// For each member: whether it is a relation. Indexable at compile time.
template <class M, std::size_t... Is>
constexpr std::array<bool, sizeof...(Is)> relation_flags_impl(std::index_sequence<Is...>) {
  return {is_relation_member<M, Is>...};
}
template <class M>
constexpr auto relation_flags = relation_flags_impl<M>(std::make_index_sequence<member_count<M>>{});

/// Properties are the members that are not relations; this is a member's position among them.
template <class M>
constexpr std::size_t property_index_of_member(std::size_t member) noexcept {
  std::size_t index = 0;
  for (std::size_t i = 0; i < member; ++i) {
    if (!relation_flags<M>[i]) ++index;
  }
  return index;
}

/// Same, among the relations.
template <class M>
constexpr std::size_t relation_index_of_member(std::size_t member) noexcept {
  std::size_t index = 0;
  for (std::size_t i = 0; i < member; ++i) {
    if (relation_flags<M>[i]) ++index;
  }
  return index;
}

template <class M>
constexpr std::size_t property_count = property_index_of_member<M>(member_count<M>);

/// Calls f(std::integral_constant<std::size_t, I>{}) for every member index I.
template <class M, class F>
constexpr void for_each_member(F&& f) {
  [&]<std::size_t... Is>(std::index_sequence<Is...>) {
    (f(std::integral_constant<std::size_t, Is>{}), ...);
  }
  (std::make_index_sequence<member_count<M>>{});
}

}  // namespace relata::detail
