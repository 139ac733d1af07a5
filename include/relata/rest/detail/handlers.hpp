// relata/rest/detail/handlers.hpp: the typed part of the REST core, one handler per exposed
// model and one per relation, each calling relata's own typed API.
//
// How a relation's routes are chosen: never from its kind. The REST core asks what the
// relation's accessor (`repository<M>::related<&M::member>(key)`) returns, at compile time, and
// offers the routes that return type supports, detected with requires expressions:
//
//   the accessor returns ...                         routes under /customers/{id}/<relation>
//   something with find(filter<T>)                   GET (a list)
//   something with get(filter<T>)                    GET (one entity)
//   std::optional<T>                                 GET (one entity, 404 when empty)
//   relata::entities<T>                              GET (a list)
//   something with count(where<T>)                   GET /count
//   something with create(T)                         POST
//   something with patch(changes<T>, where<T>)       PATCH
//   something with delete_all(where<T>)              DELETE
//   something with find_by_id(id, filter<T>)         GET /{fk}
//   something with delete_by_id(id)                  DELETE /{fk}
//   something with link(key, Link) and unlink(key)   PUT and DELETE /rel/{fk}
//   something with add(key) and remove(key)          PUT and DELETE /rel/{fk}
//
// A polymorphic relation (a relata::one_of target) answers with each target as its own model's
// JSON: GET from std::optional<std::variant<...>> (belongsTo), get() (hasOne) or find()
// (hasManyThrough: find<T>() with `?targetType=`); POST and PATCH from create<T> and patch<T>,
// the model T named by `?targetType=`; DELETE from delete_all() (or delete_all<T> with
// `?targetType=`); GET /count from count() (count<T> with `?targetType=`); PUT and DELETE
// /rel/{fk} from link<T> and unlink<T>, `?targetType=` required.
//
// So the constrained repositories (hasMany, hasManyThrough, hasOne, referencesMany) and
// accessors (belongsTo) get their routes, and so did the kinds added after this file was written
// (hasAndBelongsToMany, hasMany and hasOne "as"): a new kind gets routes by offering the same
// method names, with no change here.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include <relata/changes.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/entities.hpp>
#include <relata/filter.hpp>
#include <relata/filter_json.hpp>
#include <relata/json.hpp>
#include <relata/model.hpp>
#include <relata/repository.hpp>
#include <relata/rest/detail/routes.hpp>

namespace relata::rest::detail {

using relata::detail::key_type_t;

// --- what an accessor offers ------------------------------------------------------------------

template <class A, class T>
concept finds_list = requires(const A& a, const filter<T>& f) {
  { a.find(f) } -> std::same_as<entities<T>>;
};
template <class A, class T>
concept gets_one = requires(const A& a, const filter<T>& f) {
  { a.get(f) } -> std::same_as<T>;
};
template <class A, class T>
concept counts = requires(const A& a, const where<T>& w) {
  { a.count(w) } -> std::convertible_to<std::uint64_t>;
};
template <class A, class T>
concept creates = requires(const A& a, T entity) {
  { a.create(std::move(entity)) } -> std::same_as<T>;
};
template <class A, class T>
concept patches = requires(const A& a, const changes<T>& c, const where<T>& w) {
  { a.patch(c, w) } -> std::convertible_to<std::uint64_t>;
};
template <class A, class T>
concept deletes_all = requires(const A& a, const where<T>& w) {
  { a.delete_all(w) } -> std::convertible_to<std::uint64_t>;
};
template <class A, class T>
concept finds_by_id = requires(const A& a, const key_type_t<T>& id, const filter<T>& f) {
  { a.find_by_id(id, f) } -> std::same_as<T>;
};
template <class A, class T>
concept deletes_by_id = requires(const A& a, const key_type_t<T>& id) {
  a.delete_by_id(id);
};

/// The parameters of `link(const Key&, Link) const`.
template <class F>
struct link_signature {
  static constexpr bool found = false;
};
template <class A, class Key, class Link>
struct link_signature<void (A::*)(const Key&, Link) const> {
  static constexpr bool found = true;
  using key = Key;
  using link_model = Link;
};
template <class A>
concept links = requires {
  &A::link;
}
&&link_signature<decltype(&A::link)>::found&& requires(
    const A& a, const typename link_signature<decltype(&A::link)>::key& k) {
  { a.unlink(k) } -> std::convertible_to<std::uint64_t>;
};

/// References held by the source (referencesMany): add(key) and remove(key), PUT and DELETE
/// /rel/{fk} as link and unlink are.
template <class A>
concept references = requires(const A& a, const typename A::target_key_type& k) {
  a.add(k);
  { a.remove(k) } -> std::convertible_to<std::uint64_t>;
};

template <class T>
struct is_entities : std::false_type {};
template <class T>
struct is_entities<entities<T>> : std::true_type {};

template <class T>
struct is_tuple : std::false_type {};
template <class... T>
struct is_tuple<std::tuple<T...>> : std::true_type {};

/// Whether by-id routes exist for M: one id, of a type a path segment can hold.
template <class M>
constexpr bool single_key =
    !std::is_same_v<key_type_t<M>, relata::detail::no_key> && !is_tuple<key_type_t<M>>::value;

template <class M, std::size_t I>
using target_of = typename relata::detail::member_type<M, I>::target_type;

/// What `repository<M>::related<&M::member>(id)` returns.
template <class M, std::size_t I>
using accessor_of = decltype(std::declval<const repository<M>&>()
                                 .template related<relata::detail::member_pointer<M, I>>(
                                     std::declval<const key_type_t<M>&>()));

/// Whether T is a polymorphic relation's target list, relata::one_of<...>.
template <class T>
struct is_one_of : std::false_type {};
template <class... Ts>
struct is_one_of<one_of<Ts...>> : std::true_type {
  using variant = std::variant<Ts...>;
  using first = std::tuple_element_t<0, std::tuple<Ts...>>;
};

template <class A, class T>
concept gets_variant = requires(const A& a) {
  { a.get() } -> std::same_as<typename is_one_of<T>::variant>;
};
template <class A, class T>
concept creates_polymorphic = requires(const A& a, typename is_one_of<T>::first entity) {
  a.template create<typename is_one_of<T>::first>(std::move(entity));
};
template <class A, class T>
concept patches_polymorphic = requires(const A& a, const changes<typename is_one_of<T>::first>& c) {
  { a.template patch<typename is_one_of<T>::first>(c) } -> std::convertible_to<std::uint64_t>;
};
template <class A>
concept deletes_target = requires(const A& a) {
  { a.delete_all() } -> std::convertible_to<std::uint64_t>;
};
template <class A, class T>
concept finds_variants = requires(const A& a) {
  { a.find() } -> std::same_as<std::vector<typename is_one_of<T>::variant>>;
};
template <class A, class T>
concept counts_polymorphic = requires(const A& a) {
  { a.count() } -> std::convertible_to<std::uint64_t>;
  { a.template count<typename is_one_of<T>::first>() } -> std::convertible_to<std::uint64_t>;
};
template <class A, class T>
concept links_polymorphic = requires(const A& a, const typename A::target_key_type& k) {
  a.template link<typename is_one_of<T>::first>(k);
  { a.template unlink<typename is_one_of<T>::first>(k) } -> std::convertible_to<std::uint64_t>;
};

/// The operations of a polymorphic relation's accessor A, over the models of T (a one_of).
template <class A, class T>
consteval operation_set polymorphic_operations() {
  operation_set s;
  if (gets_variant<A, T> || finds_variants<A, T> ||
      std::is_same_v<A, std::optional<typename is_one_of<T>::variant>>) {
    s.insert(operation::find);
  }
  if (counts_polymorphic<A, T>) s.insert(operation::count);
  if (links_polymorphic<A, T>) s.insert(operation::link).insert(operation::unlink);
  if (creates_polymorphic<A, T>) s.insert(operation::create);
  if (patches_polymorphic<A, T>) s.insert(operation::update_all);
  if (deletes_target<A>) s.insert(operation::delete_all);
  return s;
}

/// The operations the accessor of relation member I of M offers.
template <class M, std::size_t I>
consteval operation_set relation_operations() {
  using A = accessor_of<M, I>;
  using T = target_of<M, I>;
  if constexpr (is_one_of<T>::value) {
    return polymorphic_operations<A, T>();
  } else {
    operation_set s;
    if (finds_list<A, T> || gets_one<A, T> || std::is_same_v<A, std::optional<T>> ||
        std::is_same_v<A, entities<T>>) {
      s.insert(operation::find);
    }
    if (counts<A, T>) s.insert(operation::count);
    if (creates<A, T>) s.insert(operation::create);
    if (patches<A, T>) s.insert(operation::update_all);
    if (deletes_all<A, T>) s.insert(operation::delete_all);
    if (single_key<T> && finds_by_id<A, T>) s.insert(operation::find_by_id);
    if (single_key<T> && deletes_by_id<A, T>) s.insert(operation::delete_by_id);
    if (links<A> || references<A>) s.insert(operation::link).insert(operation::unlink);
    return s;
  }
}

// --- converting a call's parts -------------------------------------------------------------

/// A path parameter as key type K (400 when it does not fit, e.g. past an int32 id's range).
template <class K>
K key_of(const value& v, std::string_view name) {
  try {
    return relata::detail::from_value<K>(v);
  } catch (const relata::detail::conversion_failure&) {
    invalid_parameter(name, v);
  }
}

template <class M>
filter<M> filter_of(const call& c) {
  return c.filter.is_null() ? filter<M>{} : filter<M>::from_json(c.filter, *c.limits);
}
template <class M>
where<M> where_of(const call& c) {
  return c.where.is_null() ? where<M>{} : where<M>::from_json(c.where, *c.limits);
}
/// The body as an entity, through the model's own JSON conversion (json.hpp): what
/// `c.body.get<M>()` calls, reached for every model, including those relata makes (a
/// hasAndBelongsToMany's link) which have no friend to_json / from_json.
template <class M>
M entity_of(const call& c) {
  M entity{};
  relata::detail::model_from_json(c.body, entity);
  return entity;
}

template <class T>
reply one(const T& entity) {
  return reply{200, relata::dump_json(entity)};
}
template <class T>
reply list(const entities<T>& all) {
  return reply{200, relata::dump_json(all)};
}

/// A polymorphic relation's target, as its own model's JSON.
template <class... Ts>
reply one(const std::variant<Ts...>& target) {
  return std::visit([](const auto& t) { return one(t); }, target);
}
/// A polymorphic relation's targets, each as its own model's JSON.
template <class... Ts>
reply list(const std::vector<std::variant<Ts...>>& all) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& target : all) {
    std::visit(
        [&out]<class T>(const T& t) {
          out.push_back(relata::detail::entity_to_json(definition_of<T>(), &t));
        },
        target);
  }
  return reply{200, relata::dump_json(out)};
}

// --- handlers ----------------------------------------------------------------------------------

/// The routes of a model: /customers, /customers/count, /customers/{id}.
template <class M>
reply model_handler(const void* repository_ptr, const call& c) {
  const auto& repo = *static_cast<const repository<M>*>(repository_ptr);
  switch (c.op) {
    case operation::find:
      return list(repo.find(filter_of<M>(c)));
    case operation::count:
      return count_reply(repo.count(where_of<M>(c)));
    case operation::create:
      return one(repo.create(entity_of<M>(c)));
    case operation::update_all:
      return count_reply(repo.update_all(changes<M>::from_json(c.body), where_of<M>(c)));
    default:
      break;
  }
  if constexpr (single_key<M>) {
    const auto id = key_of<key_type_t<M>>(c.id, "id");
    switch (c.op) {
      case operation::find_by_id:
        return one(repo.find_by_id(id, filter_of<M>(c)));
      case operation::update_by_id:
        repo.update_by_id(id, changes<M>::from_json(c.body));
        return no_content();
      case operation::replace_by_id:
        repo.replace_by_id(id, entity_of<M>(c));
        return no_content();
      case operation::delete_by_id:
        repo.delete_by_id(id);
        return no_content();
      default:
        break;
    }
  }
  return reply{404, {}};  // not reached: routes exist only for what model_operations offers
}

/// The routes a model's repository offers.
template <class M>
consteval operation_set model_operations() {
  operation_set s{operation::find, operation::count, operation::create, operation::update_all};
  if (single_key<M>) {
    s = s | operation_set{operation::find_by_id,
                          operation::update_by_id,
                          operation::replace_by_id,
                          operation::delete_by_id};
  }
  return s;
}

/// Calls `f.template operator()<T>()` for the model T of `Ts` that `?targetType=` named; a
/// 400 naming the models when none was given.
template <class... Ts, class F>
reply with_target_type(const relation_definition& r, const call& c, F&& f) {
  if (c.target_type >= sizeof...(Ts)) missing_target_type(r);
  reply out;
  std::size_t i = 0;
  ((i++ == c.target_type ? (out = f.template operator()<Ts>(), true) : false) || ...);
  return out;
}

/// The routes of a polymorphic relation, whose targets are of the models of `one_of<Ts...>`.
template <class A, class... Ts>
reply polymorphic_call(const A& accessor,
                       const relation_definition& r,
                       const std::string& source_name,
                       const call& c,
                       std::type_identity<one_of<Ts...>>) {
  using T = one_of<Ts...>;
  switch (c.op) {
    case operation::find:
      if constexpr (gets_variant<A, T>) {
        return one(accessor.get());
      } else if constexpr (finds_variants<A, T>) {
        if (c.target_type >= sizeof...(Ts)) return list(accessor.find());
        return with_target_type<Ts...>(
            r, c, [&]<class U>() { return list(accessor.template find<U>()); });
      } else if constexpr (std::is_same_v<A, std::optional<std::variant<Ts...>>>) {
        if (!accessor) {
          throw entity_not_found(r.target_names(),
                                 "none (the " + std::string(r.name) + " of " + source_name + " " +
                                     c.id.to_string() + ")");
        }
        return one(*accessor);
      }
      break;
    case operation::count:
      if constexpr (counts_polymorphic<A, T>) {
        // A where is on one model's properties: it needs ?targetType=.
        if (c.target_type >= sizeof...(Ts) && c.where.is_null()) {
          return count_reply(accessor.count());
        }
        return with_target_type<Ts...>(r, c, [&]<class U>() {
          return count_reply(accessor.template count<U>(where_of<U>(c)));
        });
      }
      break;
    case operation::link:
    case operation::unlink:
      if constexpr (links_polymorphic<A, T>) {
        return with_target_type<Ts...>(r, c, [&]<class U>() {
          using link_model = typename A::link_type;
          const auto key = key_of<typename A::target_key_type>(c.fk, "fk");
          if (c.op == operation::link) {
            accessor.template link<U>(key,
                                      c.body.is_null() ? link_model{} : entity_of<link_model>(c));
          } else if (accessor.template unlink<U>(key) == 0) {
            throw entity_not_found(std::string(definition_of<U>().name),
                                   c.fk.to_string() + " (no link from " + c.id.to_string() + ")");
          }
          return no_content();
        });
      }
      break;
    case operation::create:
      if constexpr (creates_polymorphic<A, T>) {
        return with_target_type<Ts...>(
            r, c, [&]<class U>() { return one(accessor.template create<U>(entity_of<U>(c))); });
      }
      break;
    case operation::update_all:
      if constexpr (patches_polymorphic<A, T>) {
        return with_target_type<Ts...>(r, c, [&]<class U>() {
          return count_reply(
              accessor.template patch<U>(changes<U>::from_json(c.body), where_of<U>(c)));
        });
      }
      break;
    case operation::delete_all:
      if constexpr (deletes_target<A>) {
        if (c.target_type >= sizeof...(Ts) && c.where.is_null()) {
          return count_reply(accessor.delete_all());
        }
        return with_target_type<Ts...>(r, c, [&]<class U>() {
          return count_reply(accessor.template delete_all<U>(where_of<U>(c)));
        });
      }
      break;
    default:
      break;
  }
  return reply{404, {}};  // not reached: routes exist only for what relation_operations offers
}

/// The routes of relation member I of M: /customers/{id}/orders...
template <class M, std::size_t I>
reply relation_handler(const void* repository_ptr, const call& c) {
  using A = accessor_of<M, I>;
  using T = target_of<M, I>;
  const auto& repo = *static_cast<const repository<M>*>(repository_ptr);
  const auto source = key_of<key_type_t<M>>(c.id, "id");
  // For belongsTo, the accessor's call is the read itself.
  A accessor = repo.template related<relata::detail::member_pointer<M, I>>(source);
  if constexpr (is_one_of<T>::value) {
    return polymorphic_call(
        accessor,
        definition_of<M>().relations[relata::detail::relation_index_of_member<M>(I)],
        std::string(definition_of<M>().name),
        c,
        std::type_identity<T>{});
  } else {
    switch (c.op) {
      case operation::find:
        if constexpr (finds_list<A, T>) {
          return list(accessor.find(filter_of<T>(c)));
        } else if constexpr (gets_one<A, T>) {
          return one(accessor.get(filter_of<T>(c)));
        } else if constexpr (std::is_same_v<A, std::optional<T>>) {
          if (!accessor) {
            const relation_definition& r =
                definition_of<M>().relations[relata::detail::relation_index_of_member<M>(I)];
            throw entity_not_found(std::string(r.target().name),
                                   "none (the " + std::string(r.name) + " of " +
                                       std::string(definition_of<M>().name) + " " +
                                       c.id.to_string() + ")");
          }
          return one(*accessor);
        } else if constexpr (is_entities<A>::value) {
          return list(accessor);
        }
        break;
      case operation::count:
        if constexpr (counts<A, T>) return count_reply(accessor.count(where_of<T>(c)));
        break;
      case operation::create:
        if constexpr (creates<A, T>) return one(accessor.create(entity_of<T>(c)));
        break;
      case operation::update_all:
        if constexpr (patches<A, T>) {
          return count_reply(accessor.patch(changes<T>::from_json(c.body), where_of<T>(c)));
        }
        break;
      case operation::delete_all:
        if constexpr (deletes_all<A, T>) return count_reply(accessor.delete_all(where_of<T>(c)));
        break;
      case operation::find_by_id:
        if constexpr (single_key<T> && finds_by_id<A, T>) {
          return one(accessor.find_by_id(key_of<key_type_t<T>>(c.fk, "fk"), filter_of<T>(c)));
        }
        break;
      case operation::delete_by_id:
        if constexpr (single_key<T> && deletes_by_id<A, T>) {
          accessor.delete_by_id(key_of<key_type_t<T>>(c.fk, "fk"));
          return no_content();
        }
        break;
      case operation::link:
      case operation::unlink:
        if constexpr (links<A>) {
          using signature = link_signature<decltype(&A::link)>;
          const auto key = key_of<std::remove_cvref_t<typename signature::key>>(c.fk, "fk");
          if (c.op == operation::link) {
            using link_model = std::remove_cvref_t<typename signature::link_model>;
            accessor.link(key, c.body.is_null() ? link_model{} : entity_of<link_model>(c));
          } else if (accessor.unlink(key) == 0) {
            throw entity_not_found(std::string(definition_of<T>().name),
                                   c.fk.to_string() + " (no link from " + c.id.to_string() + ")");
          }
          return no_content();
        } else if constexpr (references<A>) {
          const auto key = key_of<typename A::target_key_type>(c.fk, "fk");
          if (c.op == operation::link) {
            accessor.add(key);
          } else if (accessor.remove(key) == 0) {
            throw entity_not_found(
                std::string(definition_of<T>().name),
                c.fk.to_string() + " (not referenced by " + c.id.to_string() + ")");
          }
          return no_content();
        }
        break;
      default:
        break;
    }
    return reply{404, {}};  // not reached: routes exist only for what relation_operations offers
  }
}

/// The route of relation member I of M.
template <class M, std::size_t I>
relation_route relation_route_of() {
  using A = accessor_of<M, I>;
  using T = target_of<M, I>;
  relation_route r;
  r.relation = &definition_of<M>().relations[relata::detail::relation_index_of_member<M>(I)];
  r.operations = relation_operations<M, I>();
  r.handle = &relation_handler<M, I>;
  if constexpr (!is_one_of<T>::value) {
    r.find_returns_list = finds_list<A, T> || is_entities<A>::value;
  } else {
    r.find_returns_list = finds_variants<A, T>;
    if constexpr (links_polymorphic<A, T>) r.link_model = &definition_of<typename A::link_type>();
  }
  if constexpr (links<A>) {
    using link_model = std::remove_cvref_t<typename link_signature<decltype(&A::link)>::link_model>;
    r.link_model = &definition_of<link_model>();
  }
  return r;
}

/// The routes of a repository of M, and of each of its relations.
template <class M>
model_route model_route_of(const repository<M>& repo) {
  model_route route;
  route.model = &definition_of<M>();
  route.operations = model_operations<M>();
  route.repository = std::make_shared<const repository<M>>(repo);
  route.handle = &model_handler<M>;
  if constexpr (single_key<M>) {
    relata::detail::for_each_member<M>([&](auto member) {
      constexpr std::size_t I = decltype(member)::value;
      if constexpr (relata::detail::is_relation_member<M, I>) {
        route.relations.push_back(relation_route_of<M, I>());
      }
    });
  }
  return route;
}

}  // namespace relata::rest::detail
