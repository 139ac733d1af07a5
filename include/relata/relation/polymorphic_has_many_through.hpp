// relata/relation/polymorphic_has_many_through.hpp: a hasManyThrough whose targets are of
// several models (LoopBack 4's `@hasMany(..., {through: {polymorphic: {discriminator}}})`):
// each link row holds a target's key and the name of its model.
//
//     struct CustomerPromotionLink {
//       RELATA_MODEL(CustomerPromotionLink,
//         (relata::id<std::int64_t>, id),
//         (std::int64_t, customer_id),
//         (std::int64_t, promotions_id),                 // a FreeDelivery's or a HalfPrice's id
//         (std::string, promotions_type));               // "FreeDelivery" or "HalfPrice"
//     };
//     struct Customer {
//       RELATA_MODEL(Customer,
//         (relata::id<std::int64_t>, id),
//         (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>,
//                           relata::through<CustomerPromotionLink>>, promotions));
//     };
//
//     auto promotions = customers.promotions(ada.id);
//     promotions.create(FreeDelivery{.description = "free"});   // target + link, naming it
//     promotions.find<HalfPrice>({.where = ...});               // entities<HalfPrice>
//     promotions.find();                 // every one, std::vector<std::variant<FreeDelivery, ...>>
//     promotions.link<HalfPrice>(half.id);
//     customers.find({.include = {"promotions"}});  // links, then one query per model linked
//
// Keys: the source's id (relata::key_from names another), each target's id (relata::key_to
// names a property every target has), and on the link `<source>_id`, `<relation>_id` and the
// discriminator `<relation>_type` (relata::through_key_from, relata::through_key_to and
// relata::discriminator name others). An included relation holds the targets model by model
// in one_of order, each model's in its scope's order (by id by default).
//
// Integrity: the link's key to the source is a foreign key (relata::on_delete rules it); no
// foreign key can refer to several tables, so migrate indexes (discriminator, target key) and
// checks that the discriminator names one of the models. Deleting through the relation
// refuses targets other sources link; a target deleted by its own repository leaves its links,
// which the relation then skips.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/polymorphic.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/entities.hpp>
#include <relata/filter.hpp>
#include <relata/relation/has_many.hpp>
#include <relata/relation/has_many_through.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class polymorphic_has_many_through_kind;

template <bool Ok>
struct check_polymorphic_has_many_has_link {
  static_assert(Ok,
                "relata: a has_many whose targets are of several models (relata::one_of) needs "
                "relata::through<Link>, whose rows name each target's model; for the other "
                "side of a polymorphic belongs_to, declare has_many<Model, relata::as<\"...\">> "
                "on each target model");
  static constexpr bool value = Ok;
};
}  // namespace detail

/// A many-to-many relation whose targets are of the models `Targets` (see above).
template <class... Targets, class... Options>
class has_many<one_of<Targets...>, Options...>
    : public detail::relation_member<detail::polymorphic_has_many_through_kind,
                                     detail::to_many_of_storage<Targets...>,
                                     one_of<Targets...>,
                                     Options...> {
  static_assert(
      detail::check_polymorphic_has_many_has_link<
          !std::is_void_v<typename detail::parsed_relation_options<Options...>::link>>::value);
};

/// The targets, of the models `Targets`, linked to one source through `Link` rows that name
/// each target's model. `TargetKey` is the type of the targets' key the links hold. Calls
/// about one model take it as a template argument: `find<HalfPrice>()`, `link<HalfPrice>(id)`.
template <model Link, class TargetKey, class... Targets>
class polymorphic_has_many_through_repository {
 public:
  using link_type = Link;
  using target_key_type = TargetKey;

  explicit polymorphic_has_many_through_repository(detail::relation_scope scope)
      : scope_(std::move(scope)) {}

  /// A T with the properties the relation's scope holds to one value, not persisted (nor
  /// linked).
  template <class T>
  T build(T data = {}) const {
    static_assert(check_target<T>::value);
    detail::build_linked(scope_, model_of<T>(), &data);
    return data;
  }
  /// Creates several Ts and a link to each (a copy of `through`), in one transaction: all or
  /// none.
  template <class T>
  std::vector<T> create_all(std::vector<T> entities, const Link& through = {}) const {
    static_assert(check_target<T>::value);
    std::vector<Link> links(entities.size(), through);
    std::vector<void*> targets, link_pointers;
    for (std::size_t i = 0; i < entities.size(); ++i) {
      targets.push_back(&entities[i]);
      link_pointers.push_back(&links[i]);
    }
    detail::create_linked(scope_, model_of<T>(), targets, link_pointers);
    return entities;
  }
  /// Creates a T and its link (with `through` as the link's other properties; its keys and
  /// discriminator are set), in one transaction.
  template <class T>
  T create(T entity, Link through = {}) const {
    static_assert(check_target<T>::value);
    void* targets[] = {&entity};
    void* links[] = {&through};
    detail::create_linked(scope_, model_of<T>(), targets, links);
    return entity;
  }
  /// Every linked target, of every model: the models in one_of order, each model's targets by
  /// id (one query per model).
  std::vector<std::variant<Targets...>> find() const {
    std::vector<std::variant<Targets...>> out;
    (
        [&] {
          for (auto& target : find<Targets>()) out.emplace_back(std::move(target));
        }(),
        ...);
    return out;
  }
  /// The linked targets of model T matching the filter.
  template <class T>
  entities<T> find(const filter<T>& f = {}) const {
    static_assert(check_target<T>::value);
    entities<T> out;
    detail::find_linked(scope_, model_of<T>(), detail::buffer_of(out), f.lower());
    return out;
  }
  /// The first linked T matching the filter, if any.
  template <class T>
  std::optional<T> find_one(const filter<T>& f = {}) const {
    static_assert(check_target<T>::value);
    auto query = f.lower();
    query.limit = 1;
    entities<T> out;
    detail::find_linked(scope_, model_of<T>(), detail::buffer_of(out), std::move(query));
    if (out.empty()) return std::nullopt;
    return std::move(out.front());
  }
  /// A linked T, by its id; ENTITY_NOT_FOUND when this source does not link it.
  template <class T>
  T find_by_id(const detail::id_argument<T>& id, const filter<T>& f = {}) const {
    static_assert(check_target<T>::value);
    entities<T> out;
    detail::find_linked_by_key(
        scope_, model_of<T>(), detail::buffer_of(out), id.values(), f.lower());
    return std::move(out.front());
  }
  /// How many targets are linked, of every model.
  std::uint64_t count() const { return (count<Targets>() + ...); }
  /// How many linked targets of model T match `w`.
  template <class T>
  std::uint64_t count(const where<T>& w = {}) const {
    static_assert(check_target<T>::value);
    return detail::count_linked(scope_, model_of<T>(), w.node());
  }
  /// Updates the linked targets of model T matching `w`; their key, which the links hold,
  /// cannot be changed.
  template <class T>
  std::uint64_t patch(const changes<T>& data, const where<T>& w = {}) const {
    static_assert(check_target<T>::value);
    return detail::patch_linked(scope_, model_of<T>(), data.assignments(), w.node());
  }
  /// The same as patch<T> (repository<M>'s name).
  template <class T>
  std::uint64_t update_all(const changes<T>& data, const where<T>& w = {}) const {
    return patch<T>(data, w);
  }
  /// Updates a linked T, by its id; ENTITY_NOT_FOUND when this source does not link it. The
  /// key the links hold cannot be changed.
  template <class T>
  void update_by_id(const detail::id_argument<T>& id, const changes<T>& data) const {
    static_assert(check_target<T>::value);
    detail::patch_linked_by_key(scope_, model_of<T>(), id.values(), data.assignments());
  }
  /// Deletes a linked T, by its id, and this source's links to it, as delete_all<T> does;
  /// ENTITY_NOT_FOUND when this source does not link it.
  template <class T>
  void delete_by_id(const detail::id_argument<T>& id) const {
    static_assert(check_target<T>::value);
    detail::delete_linked_by_key(scope_, model_of<T>(), id.values());
  }
  /// Deletes every linked target, of every model, and this source's links to them, in one
  /// transaction. A target another source still links is not deleted, and neither is any
  /// other: CONSTRAINT_VIOLATION names the links that hold it (LoopBack deletes them).
  std::uint64_t delete_all() const {
    transaction tx{scope_.bindings->source_of(scope_.relation->through())};
    const std::uint64_t deleted = (delete_all<Targets>() + ...);
    tx.commit();
    return deleted;
  }
  /// Deletes the linked targets of model T matching `w` and this source's links to them.
  template <class T>
  std::uint64_t delete_all(const where<T>& w = {}) const {
    static_assert(check_target<T>::value);
    return detail::delete_linked(scope_, model_of<T>(), w.node());
  }
  /// Links an existing T (ENTITY_NOT_FOUND when there is none).
  template <class T>
  void link(const TargetKey& key, Link through = {}) const {
    static_assert(check_target<T>::value);
    detail::link_target(scope_, model_of<T>(), detail::to_value(key), &through);
  }
  /// Whether this source links the T with key `key`.
  template <class T>
  bool exists(const TargetKey& key) const {
    static_assert(check_target<T>::value);
    return detail::is_linked(scope_, model_of<T>(), detail::to_value(key));
  }
  /// Removes this source's links to the T with key `key`; returns how many.
  template <class T>
  std::uint64_t unlink(const TargetKey& key) const {
    static_assert(check_target<T>::value);
    return detail::unlink_target(scope_, model_of<T>(), detail::to_value(key));
  }
  /// Removes every link of this source, to targets of every model; returns how many.
  std::uint64_t unlink_all() const { return detail::unlink_every(scope_); }

 private:
  template <class T>
  using check_target =
      detail::check_polymorphic_write_target<T, detail::target_includes<one_of<Targets...>, T>>;
  template <class T>
  detail::linked_model model_of() const {
    return detail::linked_model_of(*scope_.relation, detail::index_of_type<T, Targets...>);
  }

  detail::relation_scope scope_;
};

namespace detail {

/// The keys and checks of a polymorphic hasManyThrough: member `Member` of `Source`, with the
/// link's keys and discriminator.
template <class Source,
          std::size_t Member,
          class Targets = typename member_type<Source, Member>::target_type>
struct polymorphic_through_traits;
template <class Source, std::size_t Member, class... Ts>
struct polymorphic_through_traits<Source, Member, one_of<Ts...>>
    : polymorphic_targets<Source, Member, one_of<Ts...>> {
  using base = polymorphic_targets<Source, Member, one_of<Ts...>>;
  using base::member_name;
  using base::name;
  using base::named_or;
  using base::rules;
  using base::style;
  using typename base::options;
  using typename base::target;
  using link = typename options::link;
  static constexpr bool through_relation = true;

  static_assert(check_relation_target_is_model<link, model<link>>::value);

  // The source's key.
  static constexpr name_buffer key_from_name = named_or(
      options::key_from, inferred_key_name<Source, target>(rules.key_from, name, {}, style));
  static constexpr std::size_t key_from_member = member_index_by_name<Source>(key_from_name.view());
  static constexpr bool key_from_found = key_from_member < member_count<Source>;
  using key_from_type = typename member_key_type<Source, key_from_member>::type;
  static_assert(
      check_key_from_exists<Source, member_name, to_fixed<key_from_name>(), key_from_found>::value);

  // The link's keys and discriminator.
  static constexpr name_buffer through_key_from_name =
      named_or(options::through_key_from, foreign_key_name(Source::relata_model_name, style));
  static constexpr name_buffer through_key_to_name =
      named_or(options::through_key_to, foreign_key_name(name, style));
  static constexpr name_buffer discriminator_name =
      named_or(options::discriminator, detail::discriminator_name(name, style));
  static constexpr std::size_t through_key_from_member =
      member_index_by_name<link>(through_key_from_name.view());
  static constexpr std::size_t through_key_to_member =
      member_index_by_name<link>(through_key_to_name.view());
  static constexpr std::size_t discriminator_member =
      member_index_by_name<link>(discriminator_name.view());
  static constexpr bool through_key_from_found = through_key_from_member < member_count<link>;
  static constexpr bool through_key_to_found = through_key_to_member < member_count<link>;
  static constexpr bool discriminator_found = discriminator_member < member_count<link>;
  using link_from_type = typename member_key_type<link, through_key_from_member>::type;
  using link_to_type = typename member_key_type<link, through_key_to_member>::type;
  static_assert(check_through_key_from_exists<Source,
                                              member_name,
                                              link,
                                              to_fixed<through_key_from_name>(),
                                              through_key_from_found>::value);
  static_assert(check_through_key_to_exists<Source,
                                            member_name,
                                            link,
                                            to_fixed<through_key_to_name>(),
                                            through_key_to_found>::value);
  static_assert(check_discriminator_exists<Source,
                                           member_name,
                                           link,
                                           to_fixed<discriminator_name>(),
                                           discriminator_found>::value);
  static constexpr bool discriminator_is_text = [] {
    if constexpr (discriminator_found) {
      return std::is_same_v<key_value_t<member_type<link, discriminator_member>>, std::string>;
    } else {
      return true;
    }
  }();
  static_assert(check_discriminator_is_text<Source,
                                            member_name,
                                            link,
                                            to_fixed<discriminator_name>(),
                                            discriminator_is_text>::value);
  static_assert(check_key_types_match < Source,
                member_name,
                to_fixed<key_from_name>(),
                link,
                to_fixed<through_key_from_name>(),
                !key_from_found || !through_key_from_found || std::is_same_v < link_from_type,
                key_from_type >> ::value);
  static_assert(base::template check_keys_are<link_to_type, through_key_to_found>());

  static constexpr bool valid = key_from_found && through_key_from_found && through_key_to_found &&
                                discriminator_found && base::targets_valid;

  /// Fills what the relation's definition says of its targets, its link and its keys.
  static consteval void declare_keys(relation_definition& r) {
    base::declare_targets(r);
    r.through = &definition_of<link>;
    if constexpr (valid) {
      r.key_from = property_index_of_member<Source>(key_from_member);
      r.through_key_from = property_index_of_member<link>(through_key_from_member);
      r.through_key_to = property_index_of_member<link>(through_key_to_member);
      r.discriminator = property_index_of_member<link>(discriminator_member);
    }
  }
};

/// hasManyThrough polymorphic: the targets named by the source's link rows, each in the table
/// of the model the link's discriminator names.
class polymorphic_has_many_through_kind final : public relation_kind {
 public:
  constexpr polymorphic_has_many_through_kind() noexcept : relation_kind("hasManyThrough") {}

  static constexpr key_rules rules = key_rules{.key_from = key_rule::source_id,
                                               .key_to = key_rule::target_id,
                                               .through = true,
                                               .on_delete = true,
                                               .copies_properties = true};
  template <class Source, std::size_t Member>
  using traits = polymorphic_through_traits<Source, Member>;

  /// `customers.promotions(key)`: a polymorphic_has_many_through_repository for the source with
  /// key `key`.
  template <class Traits, class Key>
  static auto access(const relation_access& a, const Key& key) {
    return [&]<class... Ts>(std::variant<Ts...>*) {
      return polymorphic_has_many_through_repository<typename Traits::link,
                                                     typename Traits::link_to_type,
                                                     Ts...>(scope_of<Traits>(a, key));
    }(static_cast<typename Traits::variant*>(nullptr));
  }

  /// The links of every parent, one query per chunk of source keys; then the targets grouped
  /// by model, one keyed read per model linked (per chunk), each with that model's scope, whose
  /// limit and skip apply per parent.
  void load(const include_node& node) const override;
  /// Some (none, every) target, whatever its model.
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// Targets of model `target` only: a link naming it, to a row that matches.
  ast::node_ptr condition_on(const relation_definition& r,
                             const model_definition& target,
                             ast::quantifier quantity,
                             ast::node_ptr where) const override;
  /// A foreign key from the link to the source, an index on it, an index on (discriminator,
  /// target key), and the discriminator's allowed values.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE void polymorphic_has_many_through_kind::load(const include_node& node) const {
  const relation_definition& r = node.relation;
  const model_definition& link = r.through();
  const auto parent_keys = start_parents(node, r.key_from);
  const auto keys = distinct_keys(parent_keys);
  if (keys.empty()) return;  // no keys, no query
  struct link_sink final : row_sink {
    struct entry {
      value from, to, type;
    };
    std::vector<entry> links;
    value_kind from_kind, to_kind;
    link_sink(value_kind f, value_kind t) : from_kind(f), to_kind(t) {}
    void on_row(const row& row) override {
      links.push_back({row.get(0, from_kind), row.get(1, to_kind), row.get(2, value_kind::text)});
    }
  } read{link.properties[r.through_key_from].kind, link.properties[r.through_key_to].kind};
  datasource& link_source = node.b.source_of(link);
  for (auto chunk : chunks(keys, chunk_size(link_source, 0))) {
    select_query q;
    q.model = &link;
    q.where = key_in(r.through_key_from, chunk);
    q.columns = {r.through_key_from, r.through_key_to, r.discriminator};
    q.order = full_order(link, {});
    link_source.select(q, read);
  }
  // Per model: the keys linked, and under each the sources linking it.
  std::vector<sources_by_target> sources_of(r.targets.size());
  std::vector<std::vector<value>> linked(r.targets.size());
  for (auto& l : read.links) {
    if (l.from.is_null() || l.to.is_null() || l.type.is_null()) continue;
    const std::size_t t = named_target(link, r, l.type);
    add_link(sources_of[t], l.from, l.to);
    linked[t].push_back(std::move(l.to));
  }
  for (std::size_t t = 0; t < r.targets.size(); ++t) {
    const auto target_keys = distinct_keys(std::move(linked[t]));
    if (target_keys.empty()) continue;  // no link names this model: no query
    const model_definition& target = r.targets[t]();
    const ast::filter model_scope = target_scope(r, node.entry, target);
    const include_node for_model{node.b, node.source, node.parents, r, model_scope, {}, &target};
    local_conditions(node.b, target, for_model.scope.where);
    auto children = prepare_children(for_model, r.target_keys[t]);
    read_by_key(for_model, r.target_keys[t], target_keys, per_key_slice::none, children);
    load_nested(for_model, children);
    // Re-filed under their sources, in the scope's order.
    children.rows_by_key = rows_by_source(children.rows_by_key, sources_of[t]);
    auto picked =
        rows_by_parent_key(for_model,
                           parent_keys,
                           children,
                           for_model.per_parent() ? per_key_slice::scope : per_key_slice::none);
    attach_children(for_model, children, picked);
  }
}

RELATA_ENGINE_INLINE ast::node_ptr polymorphic_has_many_through_kind::condition(
    const relation_definition& r, ast::quantifier quantity, ast::node_ptr where) const {
  return any_target_condition(*this, r, quantity, std::move(where));
}

RELATA_ENGINE_INLINE ast::node_ptr polymorphic_has_many_through_kind::condition_on(
    const relation_definition& r,
    const model_definition& target,
    ast::quantifier quantity,
    ast::node_ptr where) const {
  if (quantity == ast::quantifier::every && !where) return ast::make(ast::junction{true, {}});
  const std::size_t t = r.target_index(target.name);
  const auto in_scope = scope_condition(r, target);
  // Links whose target key is among the rows of `target` (in the relation's scope) matching
  // `also` (any row: a link to a missing row links nothing).
  auto to_rows = [&](ast::node_ptr also) {
    return ast::make(ast::membership{
        r.through_key_to, false, &target, r.target_keys[t], ast::make_and(in_scope, also)});
  };
  // The source's links naming `target` (to a row in scope, when there is a scope).
  ast::exists links{.model = &r.through(),
                    .key = r.through_key_from,
                    .outer_key = r.key_from,
                    .scope = ast::make_and(equals(r.discriminator, value(std::string(target.name))),
                                           in_scope ? to_rows(nullptr) : nullptr),
                    .relation = r.name};
  if (quantity == ast::quantifier::every)
    return quantified(std::move(links), quantity, to_rows(where));
  links.where = to_rows(std::move(where));
  links.negated = quantity == ast::quantifier::none;
  return ast::make(std::move(links));
}

RELATA_ENGINE_INLINE void polymorphic_has_many_through_kind::constraints(
    const relation_definition& r, const model_definition& source, constraint_builder& out) const {
  const model_definition& link = r.through();
  // A rule deletes the links with their source; no foreign key can refer to the targets'
  // several tables, so their (model, key) pairs are indexed as the includes read them.
  out.foreign_key(link, r.through_key_from, source, r.key_from, r.on_delete);
  out.index(link, r.through_key_from, false);
  out.index(link, {r.discriminator, r.through_key_to}, false);
  out.allow(link, r.discriminator, polymorphic_target_names(r));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
