// relata/relation/has_many_through.hpp: the hasManyThrough relation (targets linked to the
// source by rows of a link model): its kind and its constrained repository. It is declared as a
// has_many with a relata::through option (relation/has_many.hpp).
//
//     (relata::has_many<Doctor, relata::through<Appointment>>, doctors)
//
//     auto doctors = patients.doctors(pat.id);
//     doctors.create({.name = "Dr. Who"}, {.date = "..."});  // target + link, one transaction
//     doctors.link(house.id);                                  // the doctor must exist
//     doctors.find_by_id(house.id);                            // ENTITY_NOT_FOUND if not linked
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
/// One target model of a hasManyThrough relation, as its links refer to it: the model, its
/// property the links hold (the relation's key_to), and, for a polymorphic relation
/// (relation/polymorphic_has_many_through.hpp), the name its links' discriminator gives it
/// (null otherwise).
struct linked_model {
  const model_definition* model;
  std::size_t key;
  value type{};
};
/// The relation's target model (t = npos), or its polymorphic target t.
linked_model linked_model_of(const relation_definition& r, std::size_t t = npos);

// The constrained repository's work, for the targets of one model `m` of the relation of
// `scope` (every one of them, for unlink_every). Each where is a user's condition on m.

/// Stamps on `target` the properties the relation's scope holds to one value (a different
/// value given is CONSTRAINT_VIOLATION): a target built to be linked, not written.
void build_linked(const relation_scope& scope, const linked_model& m, void* target);
/// Creates `targets` (built first: build_linked) and, for each, its link `links[i]` (the
/// link's keys and, for a polymorphic relation, its discriminator are set; what the relation
/// copies from its source too), in one transaction: all or none.
void create_linked(const relation_scope& scope,
                   const linked_model& m,
                   std::span<void* const> targets,
                   std::span<void* const> links);
/// Reads the linked targets matching `query` into `out`.
void find_linked(const relation_scope& scope,
                 const linked_model& m,
                 entity_buffer& out,
                 ast::filter query);
/// Appends to `out` the linked target with primary key `key` (the query's where, fields and
/// include apply, its limit and skip do not); ENTITY_NOT_FOUND when this source does not link
/// it (in the relation's scope).
void find_linked_by_key(const relation_scope& scope,
                        const linked_model& m,
                        entity_buffer& out,
                        std::span<const value> key,
                        ast::filter query);
std::uint64_t count_linked(const relation_scope& scope,
                           const linked_model& m,
                           const ast::node_ptr& where);
/// Updates the linked targets matching `where`; their key, which the links hold, cannot change.
std::uint64_t patch_linked(const relation_scope& scope,
                           const linked_model& m,
                           std::span<const assignment> changes,
                           const ast::node_ptr& where);
/// patch_linked for the linked target with primary key `key`; ENTITY_NOT_FOUND when this
/// source does not link it.
void patch_linked_by_key(const relation_scope& scope,
                         const linked_model& m,
                         std::span<const value> key,
                         std::span<const assignment> changes);
/// Deletes the linked targets matching `where` and this source's links to them, in one
/// transaction; CONSTRAINT_VIOLATION, deleting nothing, when another source links one.
std::uint64_t delete_linked(const relation_scope& scope,
                            const linked_model& m,
                            const ast::node_ptr& where);
/// delete_linked for the linked target with primary key `key`; ENTITY_NOT_FOUND when this
/// source does not link it.
void delete_linked_by_key(const relation_scope& scope,
                          const linked_model& m,
                          std::span<const value> key);
/// Links the target of m with key `key` (ENTITY_NOT_FOUND when there is none) by `link`.
void link_target(const relation_scope& scope, const linked_model& m, const value& key, void* link);
/// Whether this source links the target of m with key `key`.
bool is_linked(const relation_scope& scope, const linked_model& m, const value& key);
/// Removes this source's links to the target of m with key `key`; returns how many.
std::uint64_t unlink_target(const relation_scope& scope, const linked_model& m, const value& key);
/// Removes every link of this source, to targets of any model; returns how many.
std::uint64_t unlink_every(const relation_scope& scope);

/// Target key -> the sources linking it, each once, in link order: how an include files
/// targets read by their own key under their parents.
using sources_by_target = std::unordered_map<value, std::vector<value>>;
/// Adds the link from source key `from` to target key `to` (a link missing either is none).
void add_link(sources_by_target& sources_of, const value& from, const value& to);
/// Rows filed by target key, filed instead under every source that links their target, in
/// the order they were read.
std::unordered_map<value, std::vector<std::size_t>> rows_by_source(
    const std::unordered_map<value, std::vector<std::size_t>>& rows_by_target,
    const sources_by_target& sources_of);

/// Refuses (CONSTRAINT_VIOLATION) to delete the targets of `m` whose keys are `keys` while link
/// rows of other sources still hold them, naming those links: the link's foreign key would
/// refuse it anyway, in a database's words (a polymorphic link has none). LoopBack deletes such
/// links; relata keeps them, unless the relation declares an on_delete rule (which the foreign
/// keys then apply).
void refuse_targets_linked_elsewhere(datasource& link_source,
                                     const relation_definition& r,
                                     const linked_model& m,
                                     std::span<const value> keys);
}  // namespace detail

/// The targets linked to one source through a link model. `TargetKey` is the type of the
/// target's key the links hold.
template <model Target, model Link, class TargetKey>
class has_many_through_repository {
 public:
  using key_type = detail::key_type_t<Target>;

  explicit has_many_through_repository(detail::relation_scope scope) : scope_(std::move(scope)) {}

  /// A target with the properties the relation's scope holds to one value, not persisted
  /// (nor linked).
  Target build(Target data = {}) const {
    detail::build_linked(scope_, target(), &data);
    return data;
  }
  /// Creates a target and its link (with `through` as the link's other properties, and those
  /// the relation copies from the source: relata::copy_property), in one transaction.
  Target create(Target entity, Link through = {}) const {
    void* targets[] = {&entity};
    void* links[] = {&through};
    detail::create_linked(scope_, target(), targets, links);
    return entity;
  }
  /// Creates several targets and a link to each (a copy of `through`), in one transaction:
  /// all or none.
  std::vector<Target> create_all(std::vector<Target> entities, const Link& through = {}) const {
    std::vector<Link> links(entities.size(), through);
    std::vector<void*> targets, link_pointers;
    for (std::size_t i = 0; i < entities.size(); ++i) {
      targets.push_back(&entities[i]);
      link_pointers.push_back(&links[i]);
    }
    detail::create_linked(scope_, target(), targets, link_pointers);
    return entities;
  }
  /// The linked targets matching the filter.
  entities<Target> find(const filter<Target>& f = {}) const {
    entities<Target> out;
    detail::find_linked(scope_, target(), detail::buffer_of(out), f.lower());
    return out;
  }
  /// The first linked target matching the filter, if any.
  std::optional<Target> find_one(const filter<Target>& f = {}) const {
    auto query = f.lower();
    query.limit = 1;
    entities<Target> out;
    detail::find_linked(scope_, target(), detail::buffer_of(out), std::move(query));
    if (out.empty()) return std::nullopt;
    return std::move(out.front());
  }
  /// A linked target, by its id; ENTITY_NOT_FOUND when this source does not link it.
  Target find_by_id(const detail::id_argument<Target>& id, const filter<Target>& f = {}) const {
    entities<Target> out;
    detail::find_linked_by_key(scope_, target(), detail::buffer_of(out), id.values(), f.lower());
    return std::move(out.front());
  }
  /// How many linked targets match `w`.
  std::uint64_t count(const where<Target>& w = {}) const {
    return detail::count_linked(scope_, target(), w.node());
  }
  /// Updates a linked target, by its id; ENTITY_NOT_FOUND when this source does not link it.
  /// The key the links hold cannot be changed, as patch refuses.
  void update_by_id(const detail::id_argument<Target>& id, const changes<Target>& data) const {
    detail::patch_linked_by_key(scope_, target(), id.values(), data.assignments());
  }
  /// Updates the linked targets matching `w`; the key the links hold cannot be changed.
  std::uint64_t patch(const changes<Target>& data, const where<Target>& w = {}) const {
    return detail::patch_linked(scope_, target(), data.assignments(), w.node());
  }
  /// The same as patch (repository<M>'s name).
  std::uint64_t update_all(const changes<Target>& data, const where<Target>& w = {}) const {
    return patch(data, w);
  }
  /// Deletes the linked targets matching `w` and this source's links to them, in one
  /// transaction. A target another source still links is not deleted, and neither is any
  /// other: CONSTRAINT_VIOLATION names the links that hold it (LoopBack deletes them; unlink
  /// them first).
  std::uint64_t delete_all(const where<Target>& w = {}) const {
    return detail::delete_linked(scope_, target(), w.node());
  }
  /// Deletes a linked target, by its id, and this source's links to it, as delete_all does
  /// (refused while another source links it); ENTITY_NOT_FOUND when this source does not
  /// link it.
  void delete_by_id(const detail::id_argument<Target>& id) const {
    detail::delete_linked_by_key(scope_, target(), id.values());
  }
  /// Links an existing target (ENTITY_NOT_FOUND when it does not exist).
  void link(const TargetKey& target_key, Link through = {}) const {
    detail::link_target(scope_, target(), detail::to_value(target_key), &through);
  }
  /// Whether this source links a target (LoopBack 3's `exists`).
  bool exists(const TargetKey& target_key) const {
    return detail::is_linked(scope_, target(), detail::to_value(target_key));
  }
  /// Removes this source's links to a target; returns how many.
  std::uint64_t unlink(const TargetKey& target_key) const {
    return detail::unlink_target(scope_, target(), detail::to_value(target_key));
  }
  /// Removes every link of this source; returns how many (0 when there were none).
  std::uint64_t unlink_all() const { return detail::unlink_every(scope_); }

 private:
  detail::linked_model target() const { return detail::linked_model_of(*scope_.relation); }

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
RELATA_ENGINE_INLINE linked_model linked_model_of(const relation_definition& r, std::size_t t) {
  if (t == npos) return linked_model{&r.target(), r.key_to};
  return linked_model{&r.targets[t](), r.target_keys[t], value(std::string(r.targets[t]().name))};
}

namespace through_detail {
/// This source's links to targets of m: link.through_key_from = key (and the discriminator
/// names m's model).
inline ast::node_ptr links_of(const relation_scope& scope, const linked_model& m) {
  auto links = equals(scope.relation->through_key_from, scope.key);
  if (!m.type.is_null())
    links = ast::make_and(links, equals(scope.relation->discriminator, m.type));
  return links;
}

/// The rows of m this source links: m.key IN (SELECT link.through_key_to FROM link WHERE
/// links_of), or, when the link lives in another datasource, the linked keys read first.
inline ast::node_ptr linked_rows(const relation_scope& scope, const linked_model& m) {
  const relation_definition& r = *scope.relation;
  const model_definition& link = r.through();
  datasource& link_source = scope.bindings->source_of(link);
  if (&link_source == &scope.bindings->source_of(*m.model)) {
    return ast::make(ast::membership{m.key, false, &link, r.through_key_to, links_of(scope, m)});
  }
  std::vector<value> keys;
  struct sink final : row_sink {
    std::vector<value>& keys;
    value_kind kind;
    sink(std::vector<value>& k, value_kind vk) : keys(k), kind(vk) {}
    void on_row(const row& row) override { keys.push_back(row.get(0, kind)); }
  } read{keys, link.properties[r.through_key_to].kind};
  select_query q;
  q.model = &link;
  q.where = links_of(scope, m);
  q.columns = {r.through_key_to};
  link_source.select(q, read);
  return key_in(m.key, distinct_keys(std::move(keys)));
}

/// The targets of m this source links, in the relation's scope.
inline ast::node_ptr linked(const relation_scope& scope, const linked_model& m) {
  return ast::make_and(linked_rows(scope, m), scope_condition(*scope.relation, *m.model));
}

/// The keys of the linked targets of m matching `where`.
inline std::vector<value> linked_keys(const relation_scope& scope,
                                      const linked_model& m,
                                      const ast::node_ptr& where) {
  entity_buffer targets(*m.model->entity);
  ast::filter f;
  f.where = ast::make_and(linked(scope, m), where);
  f.fields.properties = {m.key};
  find_entities(*scope.bindings, *m.model, targets, f);
  std::vector<value> keys;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    keys.push_back(property_value(*m.model, targets.at(i), m.key));
  }
  return distinct_keys(std::move(keys));
}

/// A caller's query on the targets of m, over the relation's scope (and m's default scope),
/// confined to the targets this source links.
inline ast::filter linked_query(const relation_scope& scope,
                                const linked_model& m,
                                ast::filter query) {
  const relation_definition& r = *scope.relation;
  if (r.scope || m.model->default_scope) {
    query = ast::merge_scope(scope_filter(r, *m.model), std::move(query));
  }
  query.where = ast::make_and(linked_rows(scope, m), query.where);
  return query;
}

/// Inserts `link` (keys, discriminator and copied properties stamped) to the target of m with
/// key `target_key`.
inline void insert_link(const relation_scope& scope,
                        const linked_model& m,
                        void* link,
                        const value& target_key) {
  const relation_definition& r = *scope.relation;
  const model_definition& link_model = r.through();
  scope.constrain_property(link_model, link, r.through_key_from, scope.key);
  scope.constrain_property(link_model, link, r.through_key_to, target_key);
  if (!m.type.is_null()) scope.constrain_property(link_model, link, r.discriminator, m.type);
  void* one[] = {link};
  scope.copy_properties(link_model, one);
  insert_entities(scope.bindings->source_of(link_model), link_model, one);
}
}  // namespace through_detail

RELATA_ENGINE_INLINE void build_linked(const relation_scope& scope,
                                       const linked_model& m,
                                       void* target) {
  stamp_scope(*m.model,
              target,
              scope_condition(*scope.relation, *m.model),
              "the scope of " + scope.describe());
}

RELATA_ENGINE_INLINE void create_linked(const relation_scope& scope,
                                        const linked_model& m,
                                        std::span<void* const> targets,
                                        std::span<void* const> links) {
  datasource& target_source = scope.bindings->source_of(*m.model);
  const auto in_scope = scope_condition(*scope.relation, *m.model);
  const std::string scope_name = "the scope of " + scope.describe();
  for (void* target : targets) build_linked(scope, m, target);
  paired_transaction tx{target_source, scope.bindings->source_of(scope.relation->through())};
  insert_entities(target_source, *m.model, targets);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    check_in_scope(target_source, *m.model, targets[i], in_scope, scope_name);
    through_detail::insert_link(scope, m, links[i], property_value(*m.model, targets[i], m.key));
  }
  tx.commit();
}

RELATA_ENGINE_INLINE void find_linked(const relation_scope& scope,
                                      const linked_model& m,
                                      entity_buffer& out,
                                      ast::filter query) {
  find_entities(*scope.bindings, *m.model, out, through_detail::linked_query(scope, m, query));
}

RELATA_ENGINE_INLINE void find_linked_by_key(const relation_scope& scope,
                                             const linked_model& m,
                                             entity_buffer& out,
                                             std::span<const value> key,
                                             ast::filter query) {
  auto q = through_detail::linked_query(scope, m, std::move(query));
  q.limit.reset();  // one row by id: the scope's slice would miss it
  q.skip = 0;
  q.where = ast::make_and(key_condition(*m.model, key), q.where);
  const std::size_t before = out.size();
  find_entities(*scope.bindings, *m.model, out, q);
  if (out.size() == before) throw entity_not_found(std::string(m.model->name), describe_key(key));
}

RELATA_ENGINE_INLINE std::uint64_t count_linked(const relation_scope& scope,
                                                const linked_model& m,
                                                const ast::node_ptr& where) {
  return scope.bindings->source_of(*m.model).count(
      *m.model,
      ast::make_and(through_detail::linked(scope, m),
                    local_conditions(*scope.bindings, *m.model, where)));
}

RELATA_ENGINE_INLINE std::uint64_t patch_linked(const relation_scope& scope,
                                                const linked_model& m,
                                                std::span<const assignment> changes,
                                                const ast::node_ptr& where) {
  for (const auto& a : changes) {
    // Links hold the key: a new one would leave them behind (a polymorphic link has no foreign
    // key to refuse it).
    if (a.property == m.key) {
      throw constraint_violation("Property " + std::string(m.model->properties[m.key].name) +
                                 " cannot be changed: " + scope.describe() +
                                 " links its targets by it");
    }
  }
  return update_where(scope.bindings->source_of(*m.model),
                      *m.model,
                      changes,
                      ast::make_and(through_detail::linked(scope, m),
                                    local_conditions(*scope.bindings, *m.model, where)));
}

RELATA_ENGINE_INLINE void patch_linked_by_key(const relation_scope& scope,
                                              const linked_model& m,
                                              std::span<const value> key,
                                              std::span<const assignment> changes) {
  // With no change, patch_linked counts: 0 is a target this source does not link.
  if (patch_linked(scope, m, changes, key_condition(*m.model, key)) == 0) {
    throw entity_not_found(std::string(m.model->name), describe_key(key));
  }
}

RELATA_ENGINE_INLINE std::uint64_t delete_linked(const relation_scope& scope,
                                                 const linked_model& m,
                                                 const ast::node_ptr& where) {
  const relation_definition& r = *scope.relation;
  datasource& target_source = scope.bindings->source_of(*m.model);
  datasource& link_source = scope.bindings->source_of(r.through());
  const auto keys =
      through_detail::linked_keys(scope, m, local_conditions(*scope.bindings, *m.model, where));
  if (keys.empty()) return 0;
  paired_transaction tx{target_source, link_source};
  std::uint64_t deleted = 0;
  const auto links = through_detail::links_of(scope, m);
  for (auto chunk : chunks(keys, chunk_size(link_source, ast::parameter_count(links)))) {
    link_source.remove(r.through(), ast::make_and(links, key_in(r.through_key_to, chunk)));
  }
  refuse_targets_linked_elsewhere(link_source, r, m, keys);
  for (auto chunk : chunks(keys, chunk_size(target_source, 0))) {
    deleted += target_source.remove(*m.model, key_in(m.key, chunk));
  }
  tx.commit();
  return deleted;
}

RELATA_ENGINE_INLINE void delete_linked_by_key(const relation_scope& scope,
                                               const linked_model& m,
                                               std::span<const value> key) {
  if (delete_linked(scope, m, key_condition(*m.model, key)) == 0) {
    throw entity_not_found(std::string(m.model->name), describe_key(key));
  }
}

RELATA_ENGINE_INLINE void link_target(const relation_scope& scope,
                                      const linked_model& m,
                                      const value& key,
                                      void* link) {
  datasource& target_source = scope.bindings->source_of(*m.model);
  const auto in_scope = scope_condition(*scope.relation, *m.model);
  if (target_source.count(*m.model, ast::make_and(equals(m.key, key), in_scope)) == 0) {
    // Linked, a target outside the scope would be a link the relation cannot see.
    if (in_scope && target_source.count(*m.model, equals(m.key, key)) > 0) {
      throw constraint_violation("the " + std::string(m.model->name) + " with " +
                                 std::string(m.model->properties[m.key].name) + " " +
                                 key.to_string() + " does not match the scope of " +
                                 scope.describe() + ", which could then not see it");
    }
    throw entity_not_found(
        std::string(m.model->name), std::string(m.model->properties[m.key].name), key.to_string());
  }
  through_detail::insert_link(scope, m, link, key);
}

RELATA_ENGINE_INLINE bool is_linked(const relation_scope& scope,
                                    const linked_model& m,
                                    const value& key) {
  const relation_definition& r = *scope.relation;
  return scope.bindings->source_of(r.through())
             .count(r.through(),
                    ast::make_and(through_detail::links_of(scope, m),
                                  equals(r.through_key_to, key))) > 0;
}

RELATA_ENGINE_INLINE std::uint64_t unlink_target(const relation_scope& scope,
                                                 const linked_model& m,
                                                 const value& key) {
  const relation_definition& r = *scope.relation;
  return scope.bindings->source_of(r.through())
      .remove(r.through(),
              ast::make_and(through_detail::links_of(scope, m), equals(r.through_key_to, key)));
}

RELATA_ENGINE_INLINE std::uint64_t unlink_every(const relation_scope& scope) {
  const relation_definition& r = *scope.relation;
  return scope.bindings->source_of(r.through())
      .remove(r.through(), equals(r.through_key_from, scope.key));
}

RELATA_ENGINE_INLINE void add_link(sources_by_target& sources_of,
                                   const value& from,
                                   const value& to) {
  if (from.is_null() || to.is_null()) return;
  auto& sources = sources_of[to];
  if (std::find(sources.begin(), sources.end(), from) == sources.end()) sources.push_back(from);
}

RELATA_ENGINE_INLINE std::unordered_map<value, std::vector<std::size_t>> rows_by_source(
    const std::unordered_map<value, std::vector<std::size_t>>& rows_by_target,
    const sources_by_target& sources_of) {
  std::vector<std::pair<std::size_t, const value*>> ordered;  // (row, its target key)
  for (const auto& [key, rows] : rows_by_target) {
    for (auto row : rows) ordered.emplace_back(row, &key);
  }
  std::sort(ordered.begin(), ordered.end());
  std::unordered_map<value, std::vector<std::size_t>> out;
  for (const auto& [row, key] : ordered) {
    const auto sources = sources_of.find(*key);
    if (sources == sources_of.end()) continue;
    for (const auto& from : sources->second) out[from].push_back(row);
  }
  return out;
}

RELATA_ENGINE_INLINE void refuse_targets_linked_elsewhere(datasource& link_source,
                                                          const relation_definition& r,
                                                          const linked_model& m,
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
  const auto of_model = m.type.is_null() ? ast::node_ptr{} : equals(r.discriminator, m.type);
  for (auto chunk : chunks(keys, chunk_size(link_source, ast::parameter_count(of_model)))) {
    select_query q;
    q.model = &link;
    q.where = ast::make_and(of_model, key_in(r.through_key_to, chunk));
    q.order = full_order(link, {});
    q.columns = {r.through_key_from, r.through_key_to};
    link_source.select(q, links);
  }
  if (links.total == 0) return;
  throw constraint_violation("cannot delete " + std::string(m.model->name) + " targets of " +
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
  sources_by_target sources_of;
  std::vector<value> target_keys;
  for (auto& [from, to] : links.pairs) {
    add_link(sources_of, from, to);
    if (!from.is_null() && !to.is_null()) target_keys.push_back(to);
  }
  target_keys = distinct_keys(std::move(target_keys));
  // The targets, read as a keyed read of their own, then re-filed (in query order) under
  // their sources.
  loaded_children targets{target};
  targets.columns = children.columns;
  read_by_key(node, r.key_to, target_keys, per_key_slice::none, targets);
  children.rows_by_key = rows_by_source(targets.rows_by_key, sources_of);
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
                                .scope = scope_condition(r, r.target()),
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
