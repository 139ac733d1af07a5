// relata/relation/has_many_through.hpp: the hasManyThrough relation (targets linked to the
// source by rows of a link model): its kind and its constrained repository. It is declared as a
// has_many with a relata::through option (relation/has_many.hpp).
//
//     (relata::has_many<Doctor, relata::through<Appointment>>, doctors)
//
//     auto doctors = patients.doctors(pat.id);
//     doctors.create({.name = "Dr. Who"}, {.date = "..."});  // target + link, one transaction
//     doctors.link(house.id);                                  // the doctor must exist
//     doctors.unlink(house.id);
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
/// Refuses (CONSTRAINT_VIOLATION) to delete the targets of `r` whose keys are `keys` while link
/// rows of other sources still hold them, naming those links: the link's foreign key would
/// refuse it anyway, in a database's words. LoopBack deletes such links; relata keeps them,
/// unless the relation declares an on_delete rule (which the foreign keys then apply).
void refuse_targets_linked_elsewhere(datasource& link_source,
                                     const relation_definition& r,
                                     std::span<const value> keys);
}  // namespace detail

/// The targets linked to one source through a link model. `TargetKey` is the type of the
/// target's key the links hold.
template <model Target, model Link, class TargetKey>
class has_many_through_repository {
 public:
  using key_type = detail::key_type_t<Target>;

  explicit has_many_through_repository(detail::relation_scope scope) : scope_(std::move(scope)) {}

  /// Creates a target and its link (with `through` as the link's other properties, and those
  /// the relation copies from the source: relata::copy_property), in one transaction.
  Target create(Target entity, Link through = {}) const {
    datasource& target_source = scope_.target_source();
    datasource& link_source = scope_.bindings->source_of(link_model());
    detail::paired_transaction tx{target_source, link_source};
    void* one[] = {&entity};
    detail::insert_entities(target_source, scope_.target(), one);
    const value target_key = detail::property_value(scope_.target(), &entity, relation().key_to);
    insert_link(link_source, std::move(through), target_key);
    tx.commit();
    return entity;
  }
  /// The linked targets matching the filter.
  entities<Target> find(const filter<Target>& f = {}) const {
    entities<Target> out;
    auto query = f.lower();
    query.where = ast::make_and(linked(), query.where);
    detail::find_entities(*scope_.bindings, scope_.target(), detail::buffer_of(out), query);
    return out;
  }
  std::uint64_t count(const where<Target>& w = {}) const {
    return scope_.target_source().count(scope_.target(), ast::make_and(linked(), scope_.local(w)));
  }
  /// Updates the linked targets matching `w`.
  std::uint64_t patch(const changes<Target>& data, const where<Target>& w = {}) const {
    return detail::update_where(scope_.target_source(),
                                scope_.target(),
                                data.assignments(),
                                ast::make_and(linked(), scope_.local(w)));
  }
  /// Deletes the linked targets matching `w` and this source's links to them, in one
  /// transaction. A target another source still links is not deleted, and neither is any
  /// other: CONSTRAINT_VIOLATION names the links that hold it (LoopBack deletes them; unlink
  /// them first).
  std::uint64_t delete_all(const where<Target>& w = {}) const {
    datasource& target_source = scope_.target_source();
    datasource& link_source = scope_.bindings->source_of(link_model());
    const auto keys = linked_target_keys(w);
    if (keys.empty()) return 0;
    detail::paired_transaction tx{target_source, link_source};
    std::uint64_t deleted = 0;
    for (auto chunk : detail::chunks(keys, detail::chunk_size(link_source, 1))) {
      link_source.remove(
          link_model(),
          ast::make_and(link_condition(), detail::key_in(relation().through_key_to, chunk)));
    }
    detail::refuse_targets_linked_elsewhere(link_source, relation(), keys);
    for (auto chunk : detail::chunks(keys, detail::chunk_size(target_source, 0))) {
      deleted += target_source.remove(scope_.target(), detail::key_in(relation().key_to, chunk));
    }
    tx.commit();
    return deleted;
  }
  /// Links an existing target (ENTITY_NOT_FOUND when it does not exist).
  void link(const TargetKey& target_key, Link through = {}) const {
    const value key = detail::to_value(target_key);
    if (scope_.target_source().count(scope_.target(), detail::equals(relation().key_to, key)) ==
        0) {
      throw entity_not_found(std::string(scope_.target().name),
                             std::string(scope_.target().properties[relation().key_to].name),
                             key.to_string());
    }
    insert_link(scope_.bindings->source_of(link_model()), std::move(through), key);
  }
  /// Removes this source's links to a target; returns how many.
  std::uint64_t unlink(const TargetKey& target_key) const {
    const value key = detail::to_value(target_key);
    return scope_.bindings->source_of(link_model())
        .remove(link_model(),
                ast::make_and(link_condition(), detail::equals(relation().through_key_to, key)));
  }
  /// Removes every link of this source; returns how many (0 when there were none).
  std::uint64_t unlink_all() const {
    return scope_.bindings->source_of(link_model()).remove(link_model(), link_condition());
  }

 private:
  const relation_definition& relation() const { return *scope_.relation; }
  const model_definition& link_model() const { return relation().through(); }

  /// link.through_key_from = key
  ast::node_ptr link_condition() const {
    return detail::equals(relation().through_key_from, scope_.key);
  }
  /// target.key_to IN (SELECT link.through_key_to FROM link WHERE link.through_key_from = key),
  /// or, when the link lives in another datasource, the linked keys read first.
  ast::node_ptr linked() const {
    if (&scope_.bindings->source_of(link_model()) == &scope_.target_source()) {
      return ast::make(ast::membership{
          relation().key_to, false, &link_model(), relation().through_key_to, link_condition()});
    }
    return detail::key_in(relation().key_to, linked_keys_from_links());
  }
  std::vector<value> linked_keys_from_links() const {
    std::vector<value> keys;
    struct sink final : row_sink {
      std::vector<value>& keys;
      value_kind kind;
      sink(std::vector<value>& k, value_kind vk) : keys(k), kind(vk) {}
      void on_row(const row& r) override { keys.push_back(r.get(0, kind)); }
    } s{keys, link_model().properties[relation().through_key_to].kind};
    select_query q;
    q.model = &link_model();
    q.where = link_condition();
    q.columns = {relation().through_key_to};
    scope_.bindings->source_of(link_model()).select(q, s);
    return detail::distinct_keys(std::move(keys));
  }
  std::vector<value> linked_target_keys(const where<Target>& w) const {
    detail::entity_buffer targets(*scope_.target().entity);
    ast::filter f;
    f.where = ast::make_and(linked(), w.node());
    f.fields.properties = {relation().key_to};
    detail::find_entities(*scope_.bindings, scope_.target(), targets, f);
    std::vector<value> keys;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      keys.push_back(detail::property_value(scope_.target(), targets.at(i), relation().key_to));
    }
    return detail::distinct_keys(std::move(keys));
  }
  void insert_link(datasource& link_source, Link through, const value& target_key) const {
    scope_.constrain_property(link_model(), &through, relation().through_key_from, scope_.key);
    scope_.constrain_property(link_model(), &through, relation().through_key_to, target_key);
    void* one[] = {&through};
    scope_.copy_properties(link_model(), one);
    detail::insert_entities(link_source, link_model(), one);
  }

  detail::relation_scope scope_;
};

namespace detail {

/// hasManyThrough: the targets whose key_to is held by link rows whose through_key_from holds
/// the source's key_from. (hasAndBelongsToMany is the same with a link model relata makes:
/// relation/has_and_belongs_to_many.hpp derives from it.)
class has_many_through_kind : public relation_kind {
 public:
  constexpr has_many_through_kind() noexcept : relation_kind("hasManyThrough") {}

  // Keys (relation/traits.hpp): the source's id and the target's id, each held by a property
  // of the link (`<source>_id`, `<target>_id`).
  static constexpr key_rules rules = key_rules{.key_from = key_rule::source_id,
                                               .key_to = key_rule::target_id,
                                               .through = true,
                                               .on_delete = true,
                                               .copies_properties = true};

  /// `patients.doctors(key)`: a has_many_through_repository for the source with key `key`.
  template <class Traits, class Key>
  static auto access(const relation_access& a, const Key& key) {
    return has_many_through_repository<typename Traits::target,
                                       typename Traits::link,
                                       typename Traits::key_to_type>(scope_of<Traits>(a, key));
  }

  /// Links and targets in one joined query per chunk of source keys (two steps when the link
  /// lives in another datasource); a scope's limit and skip apply per parent.
  void load(const include_node& node) const override;
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// Foreign keys from the link to both sides, and an index on each.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;

 protected:
  constexpr explicit has_many_through_kind(std::string_view name) noexcept : relation_kind(name) {}

 private:
  /// The targets of `keys`' links with the link's source key, one joined query per chunk.
  static void read_joined(const include_node& node,
                          std::span<const value> keys,
                          loaded_children& children);
  /// Links and targets in two datasources: the distinct links, then the targets, each filed
  /// under every source that links it.
  static void read_through_links(const include_node& node,
                                 std::span<const value> keys,
                                 loaded_children& children);
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE void refuse_targets_linked_elsewhere(datasource& link_source,
                                                          const relation_definition& r,
                                                          std::span<const value> keys) {
  // A relation declared with an on_delete rule says what becomes of those links itself.
  if (r.on_delete != delete_rule::restrict) return;
  const model_definition& link = r.through();
  struct link_reader final : row_sink {
    const model_definition& link;
    std::size_t source_key;
    std::size_t target_key;
    std::size_t listed = 0;
    std::size_t total = 0;
    std::string pairs;
    link_reader(const model_definition& l, std::size_t from, std::size_t to)
        : link(l), source_key(from), target_key(to) {}
    void on_row(const row& r) override {
      if (++total > 10) return;  // enough to say which
      if (listed++) pairs += ", ";
      pairs += r.get(0, link.properties[source_key].kind).to_string() + " -> " +
               r.get(1, link.properties[target_key].kind).to_string();
    }
  } links{link, r.through_key_from, r.through_key_to};
  for (auto chunk : chunks(keys, chunk_size(link_source, 0))) {
    select_query q;
    q.model = &link;
    q.where = key_in(r.through_key_to, chunk);
    q.order = full_order(link, {});
    q.columns = {r.through_key_from, r.through_key_to};
    link_source.select(q, links);
  }
  if (links.total == 0) return;
  const model_definition& target = r.target();
  throw constraint_violation("cannot delete " + std::string(target.name) + " targets of " +
                             std::string(r.name) +
                             " that other sources still link: " + std::to_string(links.total) +
                             " " + std::string(link.name) + " row" + (links.total > 1 ? "s" : "") +
                             " (" + std::string(link.properties[r.through_key_from].name) + " -> " +
                             std::string(link.properties[r.through_key_to].name) + ": " +
                             links.pairs + (links.total > links.listed ? ", ..." : "") +
                             "); unlink them first (LoopBack would delete those links)");
}

RELATA_ENGINE_INLINE void has_many_through_kind::load(const include_node& node) const {
  const relation_definition& r = node.relation;
  const auto parent_keys = start_parents(node, r.key_from);
  const auto keys = distinct_keys(parent_keys);
  if (keys.empty()) return;  // no keys, no query
  auto children = prepare_children(node, r.key_to);
  datasource& target_source = node.b.source_of(node.target());
  if (&node.b.source_of(r.through()) == &target_source && target_source.caps().joins) {
    read_joined(node, keys, children);
  } else {
    read_through_links(node, keys, children);
  }
  load_nested(node, children);
  auto picked = rows_by_parent_key(
      node, parent_keys, children, node.per_parent() ? per_key_slice::scope : per_key_slice::none);
  attach_children(node, children, picked);
}

RELATA_ENGINE_INLINE void has_many_through_kind::read_joined(const include_node& node,
                                                             std::span<const value> keys,
                                                             loaded_children& children) {
  const relation_definition& r = node.relation;
  const model_definition& target = node.target();
  const model_definition& link = r.through();
  datasource& source = node.b.source_of(target);
  const bool window = node.per_parent() && source.caps().window_functions;
  children.sliced = window;
  children.rows_by_key.reserve(keys.size());
  const auto order = full_order(target, node.scope.order);
  const std::size_t other_parameters = ast::parameter_count(node.scope.where) + (window ? 2 : 0);
  for (auto chunk : chunks(keys, chunk_size(source, other_parameters))) {
    select_query q;
    q.model = &target;
    q.where = node.scope.where;
    q.order = order;
    q.columns = children.columns;
    q.through = through_join{
        &link, r.through_key_to, r.key_to, r.through_key_from, key_in(r.through_key_from, chunk)};
    if (window) {
      q.window = per_key_window{r.through_key_from, true, node.scope.limit, node.scope.skip};
    }
    child_collector sink{target, children, r.key_to, link.properties[r.through_key_from].kind};
    source.select(q, sink);
  }
}

RELATA_ENGINE_INLINE void has_many_through_kind::read_through_links(const include_node& node,
                                                                    std::span<const value> keys,
                                                                    loaded_children& children) {
  const relation_definition& r = node.relation;
  const model_definition& target = node.target();
  const model_definition& link = r.through();
  datasource& link_source = node.b.source_of(link);
  struct link_sink final : row_sink {
    std::vector<std::pair<value, value>> pairs;
    value_kind from_kind, to_kind;
    link_sink(value_kind f, value_kind t) : from_kind(f), to_kind(t) {}
    void on_row(const row& row) override {
      pairs.emplace_back(row.get(0, from_kind), row.get(1, to_kind));
    }
  } links{link.properties[r.through_key_from].kind, link.properties[r.through_key_to].kind};
  for (auto chunk : chunks(keys, chunk_size(link_source, 0))) {
    select_query q;
    q.model = &link;
    q.where = key_in(r.through_key_from, chunk);
    q.columns = {r.through_key_from, r.through_key_to};
    q.order = full_order(link, {});
    link_source.select(q, links);
  }
  std::unordered_map<value, std::vector<value>> sources_of;  // target key -> source keys
  std::vector<value> target_keys;
  for (auto& [from, to] : links.pairs) {
    if (from.is_null() || to.is_null()) continue;
    auto& sources = sources_of[to];
    if (std::find(sources.begin(), sources.end(), from) == sources.end()) sources.push_back(from);
    target_keys.push_back(to);
  }
  target_keys = distinct_keys(std::move(target_keys));
  // The targets, read as a keyed read of their own, then re-filed (in query order) under
  // their sources.
  loaded_children targets{target};
  targets.columns = children.columns;
  read_by_key(node, r.key_to, target_keys, per_key_slice::none, targets);
  std::vector<std::pair<std::size_t, const value*>> ordered;
  for (const auto& [key, rows] : targets.rows_by_key) {
    for (auto row : rows) ordered.emplace_back(row, &key);
  }
  std::sort(ordered.begin(), ordered.end());
  for (const auto& [row, key] : ordered) {
    for (const auto& from : sources_of[*key]) children.rows_by_key[from].push_back(row);
  }
  children.rows = std::move(targets.rows);
}

RELATA_ENGINE_INLINE ast::node_ptr has_many_through_kind::condition(const relation_definition& r,
                                                                    ast::quantifier quantity,
                                                                    ast::node_ptr where) const {
  return quantified(ast::exists{.model = &r.target(),
                                .key = r.key_to,
                                .outer_key = r.key_from,
                                .link = &r.through(),
                                .link_source = r.through_key_from,
                                .link_target = r.through_key_to,
                                .relation = r.name},
                    quantity,
                    std::move(where));
}

RELATA_ENGINE_INLINE void has_many_through_kind::constraints(const relation_definition& r,
                                                             const model_definition& source,
                                                             constraint_builder& out) const {
  const model_definition& link = r.through();
  // A rule deletes the links (a link without one of its ends means nothing), never the target.
  out.foreign_key(link, r.through_key_from, source, r.key_from, r.on_delete);
  out.foreign_key(link, r.through_key_to, r.target(), r.key_to, r.on_delete);
  out.index(link, r.through_key_from, false);
  out.index(link, r.through_key_to, false);
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
