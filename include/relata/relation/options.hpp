// relata/relation/options.hpp: the options a relation declaration takes, and how a relation
// member type reads them.
//
//     (relata::has_many<Order, relata::key_to<"buyer_id">>, orders)
//     (relata::has_many<Doctor, relata::through<Appointment>>, doctors)
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

#include <relata/detail/fixed_string.hpp>
#include <relata/schema.hpp>

namespace relata {

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

/// Relation option, for a hasMany or hasOne whose targets may belong to sources of several
/// models (LoopBack 3's polymorphic "as"): the targets hold `<Name>_id` and `<Name>_type`, the
/// type being the source model's name.
///     (relata::has_many<Picture, relata::as<"imageable">>, pictures)
template <detail::fixed_string Name>
struct as {};
/// Relation option: the property naming a polymorphic relation's model (default `<as>_type`,
/// or `<relation>_type` for a polymorphic belongsTo).
template <detail::fixed_string Name>
struct discriminator {};

/// The target of a polymorphic relation: one of these models, named per row by a discriminator.
///     (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder)
template <class... Models>
struct one_of {
  static_assert(sizeof...(Models) >= 2,
                "relata: relata::one_of lists at least two target models (a relation with one "
                "target names it directly)");
};

/// Relation option: what deleting a source does to its targets (hasMany, hasOne) or to its
/// links (hasManyThrough, hasAndBelongsToMany): refuse (the default), delete them, or set their
/// foreign key to null. `migrate` declares it on the foreign key (ON DELETE ...).
///     (relata::has_many<Order, relata::on_delete<relata::delete_rule::cascade>>, orders)
template <delete_rule Rule>
struct on_delete {};

/// Relation option (LoopBack's `disableInclude`): the relation cannot be named in an include.
/// Unlike LoopBack 3, which leaves such an include out silently, relata refuses it: at compile
/// time for `relata::include(&M::relation)`, with INVALID_INCLUSION_FILTER for a name (a C++
/// string, a JSON filter, a REST query). Its accessor and relation filters (relata::some, ...)
/// work as for any relation.
///     (relata::has_many<AuditEntry, relata::disable_include>, audit_log)
struct disable_include {};

/// Relation option (LoopBack's relation `properties`, `{source: target}`): a target created or
/// built through the relation's accessor gets the source's property `From` in its property
/// `To` (for a hasManyThrough, the link does). Both are checked at compile time, and must have
/// one type (the target's may be a std::optional of the source's). The value is stamped like
/// the foreign key: a different value the caller gave is refused (CONSTRAINT_VIOLATION naming
/// the relation and the property); LoopBack 3 overwrites it silently. It is not applied again
/// on update, nor when the source changes.
///     (relata::has_many<Order, relata::copy_property<"region", "region">>, orders)
template <detail::fixed_string From, detail::fixed_string To>
struct copy_property {};

/// Relation option, relata::copy_property as a function: F, a default-constructible callable
/// `void(const Source&, Target&)` (`Link&` for a hasManyThrough), sets what the target takes
/// from its source. The properties it changes are stamped as relata::copy_property stamps
/// its own.
///     struct stamp_region {
///       void operator()(const Customer& c, Order& o) const { o.region = c.region; }
///     };
///     (relata::has_many<Order, relata::properties_from<stamp_region>>, orders)
template <class F>
struct properties_from {};

/// Relation option (LoopBack 3's scopeMethods): methods of the user's own on the relation's
/// accessor. The accessor returns `Methods<R>`, R being what it returns otherwise (the
/// constrained repository); Methods<R> derives publicly from R and uses R's calls.
///     template <class Orders>
///     struct order_methods : Orders {
///       relata::entities<Order> large() const {
///         return this->find({.where = relata::col(&Order::total) > 100.0});
///       }
///     };
///     (relata::has_many<Order, relata::methods<order_methods>>, orders)
///     customers.orders(ada.id).large();
template <template <class> class Methods>
struct methods {};

/// Relation option (LoopBack's relation `scope`): a filter on the target that every read and
/// write through the relation applies. F is a default-constructible callable returning a
/// relata::filter of the target, called once. Its where is AND-ed with a caller's; its order,
/// limit, skip and fields apply when the caller gives none; its include is merged with the
/// caller's (a caller's entry for the same relation wins). A target created through the
/// relation gets the properties the where holds to one value (`status == "open"`), a
/// different value is refused, and one the where would not match is refused too.
///     struct open_orders {
///       relata::filter<Order> operator()() const {
///         return {.where = relata::col(&Order::status) == "open"};
///       }
///     };
///     (relata::has_many<Order, relata::scope<open_orders>>, open_orders)
template <class F>
struct scope {};

namespace detail {

/// Whether a relation's declared target (a model, or one_of several) includes model T.
template <class Target, class T>
inline constexpr bool target_includes = std::is_same_v<Target, T>;
template <class... Models, class T>
inline constexpr bool target_includes<one_of<Models...>, T> = (std::is_same_v<Models, T> || ...);

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

template <fixed_string N>
struct relation_option_info<as<N>> {
  static constexpr bool known = true;
  static constexpr std::string_view as_name = N;
};
template <fixed_string N>
struct relation_option_info<discriminator<N>> {
  static constexpr bool known = true;
  static constexpr std::string_view discriminator = N;
};
template <delete_rule Rule>
struct relation_option_info<on_delete<Rule>> {
  static constexpr bool known = true;
  static constexpr delete_rule rule = Rule;
};
// What copy_property and properties_from copy is read from the options themselves, where the
// models are known (detail/definition.hpp, property_copier).
template <fixed_string From, fixed_string To>
struct relation_option_info<copy_property<From, To>> {
  static constexpr bool known = true;
  static constexpr bool copies = true;
};
template <class F>
struct relation_option_info<properties_from<F>> {
  static constexpr bool known = true;
  static constexpr bool copies = true;
};
template <template <class> class Methods>
struct relation_option_info<methods<Methods>> {
  static constexpr bool known = true;
};
/// Accessor, or Methods<Accessor> when the options hold relata::methods<Methods>.
template <class Accessor, class... Options>
struct apply_methods {
  using type = Accessor;
};
template <class Accessor, class First, class... Rest>
struct apply_methods<Accessor, First, Rest...> : apply_methods<Accessor, Rest...> {};
template <class Accessor, template <class> class Methods, class... Rest>
struct apply_methods<Accessor, methods<Methods>, Rest...> {
  using type = Methods<Accessor>;
};
template <class F>
struct relation_option_info<scope<F>> {
  static constexpr bool known = true;
  using scope_function = F;
};
template <>
struct relation_option_info<disable_include> {
  static constexpr bool known = true;
  static constexpr bool include_disabled = true;
};

/// The type an option gives (Of::get<its relation_option_info>), from the last option that
/// gives one; Acc when none does.
template <class Of, class Acc, class... O>
struct last_given {
  using type = Acc;
};
template <class Of, class Acc, class First, class... Rest>
struct last_given<Of, Acc, First, Rest...> : last_given<Of, Acc, Rest...> {};
template <class Of, class Acc, class First, class... Rest>
requires requires { typename Of::template get<relation_option_info<First>>; }
struct last_given<Of, Acc, First, Rest...>
    : last_given<Of, typename Of::template get<relation_option_info<First>>, Rest...> {};
struct link_of {
  template <class Info>
  using get = typename Info::link;
};
struct scope_function_of {
  template <class Info>
  using get = typename Info::scope_function;
};

/// What a list of relation options says; empty views where an option is absent.
template <class... O>
struct parsed_relation_options {
  static_assert((relation_option_info<O>::known && ...),
                "relata: unknown relation option; relations accept relata::key_from, "
                "relata::key_to, relata::through, relata::through_key_from, "
                "relata::through_key_to, relata::relation_name, relata::as, "
                "relata::discriminator, relata::on_delete, relata::disable_include, "
                "relata::copy_property, relata::properties_from, relata::methods and "
                "relata::scope");

  /// What the relation's accessor returns, given what it returns without relata::methods.
  template <class Accessor>
  using accessor_with_methods = typename apply_methods<Accessor, O...>::type;

  /// Whether relata::copy_property or relata::properties_from was given.
  static constexpr bool copies_properties = (requires { relation_option_info<O>::copies; } || ...);
  /// Whether relata::disable_include was given.
  static constexpr bool include_disabled =
      (requires { relation_option_info<O>::include_disabled; } || ...);

  /// Whether relata::on_delete was given, and its rule (restrict when not).
  static constexpr bool on_delete_given = (requires { relation_option_info<O>::rule; } || ...);
  static constexpr delete_rule on_delete = [] {
    delete_rule rule = delete_rule::restrict;
    (
        (void)[&] {
          if constexpr (requires { relation_option_info<O>::rule; })
            rule = relation_option_info<O>::rule;
        }(),
        ...);
    return rule;
  }();

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
  RELATA_DETAIL_OPTION_VALUE(as_name)
  RELATA_DETAIL_OPTION_VALUE(discriminator)
#undef RELATA_DETAIL_OPTION_VALUE

  /// The link model, or void.
  using link = typename last_given<link_of, void, O...>::type;
  /// relata::scope's function, or void.
  using scope_function = typename last_given<scope_function_of, void, O...>::type;
};

}  // namespace detail
}  // namespace relata
