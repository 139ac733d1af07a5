// relata/relation/references_many.hpp: the referencesMany relation: the member type
// `relata::references_many`, its kind and its constrained repository.
//
//     (std::vector<std::int64_t>, account_ids),
//     (relata::references_many<Account>, accounts)               // this->account_ids
//
//     auto accounts = customers.accounts(ada.id);
//     accounts.add(savings.id);                    // the account must exist; appended
//     accounts.create({.balance = 10});            // account + its key, one transaction
//     relata::entities<Account> mine = accounts;   // find(): every target, in array order
//
// Reads return the referenced targets in array order (a key listed twice comes twice); a key
// that points at nothing is dropped. Every change to the array is one read-modify-write of the
// source row in a transaction that first calls the connector's serialize_writes for the source
// model (PostgreSQL: an advisory lock; SQLite: its write lock, taken at BEGIN), so that two
// writers never lose each other's change.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
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
#include <relata/relation/options.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>

namespace relata {

namespace detail {
class references_many_kind;
}  // namespace detail

/// References to many targets held in an array property of this model (default
/// `<target>_ids`), resolved in array order.
template <class Target, class... Options>
class references_many : public detail::relation_member<detail::references_many_kind,
                                                       detail::to_many_storage<Target>,
                                                       Target,
                                                       Options...> {};

namespace detail {

/// A referencesMany relation of one source row: the row, by its id, whose array of target keys
/// (the relation's key_from) the constrained repository reads and writes.
struct reference_array {
  shared_bindings bindings;              ///< the repository's
  const model_definition* source_model;  ///< the model holding the array
  const relation_definition* relation;   ///< key_from: the array; key_to: what it holds
  std::vector<value> owner;              ///< the source's id

  /// The referenced model.
  const model_definition& target() const { return relation->target(); }
  /// The datasource of the source row (the array).
  datasource& owner_source() const { return bindings->source_of(*source_model); }
  /// The datasource of the targets.
  datasource& target_source() const { return bindings->source_of(target()); }
  /// "the referencesMany relation accounts of Customer 1": for messages.
  std::string describe() const;
};

// The constrained repository's work. Each where is a user's condition on the target; reads and
// writes reach only referenced targets in the relation's scope.

/// The keys the array holds, in order (empty for a null array); ENTITY_NOT_FOUND when the
/// source does not exist.
std::vector<value> referenced_keys(const reference_array& a);
/// The referenced targets matching `query` into `out`: in array order (a key held twice comes
/// twice) unless the query orders, each once then; limit and skip applied after.
void find_referenced(const reference_array& a, entity_buffer& out, ast::filter query);
/// The referenced target with key `key` into `out`; ENTITY_NOT_FOUND when the array does not
/// hold the key (even if the target exists) or the target does not exist.
void find_referenced_by_key(const reference_array& a,
                            const value& key,
                            entity_buffer& out,
                            ast::filter query);
/// The target the array's element `i` refers to into `out`; ENTITY_NOT_FOUND past the end or for
/// a key that points at nothing.
void referenced_at(const reference_array& a, std::size_t i, entity_buffer& out);
/// Whether the array holds `key` and its target exists in the relation's scope.
bool is_referenced(const reference_array& a, const value& key);
/// How many elements of the array refer to a target matching `where` (what find returns).
std::uint64_t count_referenced(const reference_array& a, const ast::node_ptr& where);
/// Appends `key`: its target must exist (ENTITY_NOT_FOUND) in the relation's scope
/// (CONSTRAINT_VIOLATION), and the array must not hold it yet (CONSTRAINT_VIOLATION).
void add_reference(const reference_array& a, const value& key);
/// Removes every occurrence of `key` from the array; returns how many.
std::uint64_t remove_reference(const reference_array& a, const value& key);
/// Empties the array; returns how many keys it held.
std::uint64_t remove_every_reference(const reference_array& a);
/// Creates `target` (stamped with the relation's scope) and appends its key, in one transaction.
void create_referenced(const reference_array& a, void* target);
/// Updates the referenced target with key `key`; ENTITY_NOT_FOUND when the array does not hold
/// it or the target does not exist.
void update_referenced_by_key(const reference_array& a,
                              const value& key,
                              std::span<const assignment> changes);
/// Updates the referenced targets matching `where`; the key the array holds cannot change.
std::uint64_t patch_referenced(const reference_array& a,
                               std::span<const assignment> changes,
                               const ast::node_ptr& where);
/// Removes `key` from the array and deletes its target (if it is in the relation's scope; a key
/// that points at nothing is only removed), in one transaction; ENTITY_NOT_FOUND when the array
/// does not hold it.
void delete_referenced_by_key(const reference_array& a, const value& key);
/// Removes the keys of the referenced targets matching `where` from the array and deletes those
/// targets, in one transaction; returns how many targets were deleted.
std::uint64_t delete_referenced(const reference_array& a, const ast::node_ptr& where);
}  // namespace detail

/// The targets one source references by the keys in its array property. `TargetKey` is the type
/// of the target's key the array holds.
template <model Target, class TargetKey>
class references_many_repository {
 public:
  /// The type of the target's key the array holds.
  using target_key_type = TargetKey;

  explicit references_many_repository(detail::reference_array array) : array_(std::move(array)) {}

  /// Creates a target and appends its key to the array, in one transaction.
  Target create(Target entity) const {
    detail::create_referenced(array_, &entity);
    return entity;
  }
  /// Appends the key of an existing target (ENTITY_NOT_FOUND when there is none); a key the
  /// array holds already is CONSTRAINT_VIOLATION, the array unchanged.
  void add(const TargetKey& key) const { detail::add_reference(array_, detail::to_value(key)); }
  /// Appends the key of `entity`, as add(key).
  void add(const Target& entity) const {
    detail::add_reference(
        array_, detail::property_value(array_.target(), &entity, array_.relation->key_to));
  }
  /// Removes a key from the array; returns how many times it was there (0: nothing written).
  std::uint64_t remove(const TargetKey& key) const {
    return detail::remove_reference(array_, detail::to_value(key));
  }
  /// Empties the array (the targets stay); returns how many keys it held.
  std::uint64_t remove_all() const { return detail::remove_every_reference(array_); }
  /// The referenced targets matching the filter, in array order unless it orders.
  entities<Target> find(const filter<Target>& f = {}) const {
    entities<Target> out;
    detail::find_referenced(array_, detail::buffer_of(out), f.lower());
    return out;
  }
  /// Every referenced target, in array order: `entities<Account> mine = customers.accounts(id)`.
  operator entities<Target>() const { return find(); }  // NOLINT: reads as the targets
  /// The first referenced target matching the filter, or nothing.
  std::optional<Target> find_one(const filter<Target>& f = {}) const {
    auto query = f.lower();
    query.limit = 1;
    entities<Target> out;
    detail::find_referenced(array_, detail::buffer_of(out), std::move(query));
    if (out.empty()) return std::nullopt;
    return std::move(out.front());
  }
  /// The referenced target with this key; ENTITY_NOT_FOUND when the array does not hold it.
  Target find_by_id(const TargetKey& key, const filter<Target>& f = {}) const {
    entities<Target> out;
    detail::find_referenced_by_key(
        array_, detail::to_value(key), detail::buffer_of(out), f.lower());
    return std::move(out.front());
  }
  /// The target of the array's i-th key; ENTITY_NOT_FOUND past the end or for a dangling key.
  Target at(std::size_t i) const {
    entities<Target> out;
    detail::referenced_at(array_, i, detail::buffer_of(out));
    return std::move(out.front());
  }
  /// Whether the array holds the key and its target exists (what find_by_id finds).
  bool exists(const TargetKey& key) const {
    return detail::is_referenced(array_, detail::to_value(key));
  }
  /// How many referenced targets match `w` (a key held twice counts twice, as find lists it).
  std::uint64_t count(const where<Target>& w = {}) const {
    return detail::count_referenced(array_, w.node());
  }
  /// Updates the referenced target with this key; ENTITY_NOT_FOUND when the array does not
  /// hold it.
  void update_by_id(const TargetKey& key, const changes<Target>& data) const {
    detail::update_referenced_by_key(array_, detail::to_value(key), data.assignments());
  }
  /// Updates the referenced targets matching `w`; the key the array holds cannot change.
  std::uint64_t update_all(const changes<Target>& data, const where<Target>& w = {}) const {
    return detail::patch_referenced(array_, data.assignments(), w.node());
  }
  /// As update_all.
  std::uint64_t patch(const changes<Target>& data, const where<Target>& w = {}) const {
    return update_all(data, w);
  }
  /// Removes the key from the array and deletes its target, in one transaction;
  /// ENTITY_NOT_FOUND when the array does not hold it.
  void delete_by_id(const TargetKey& key) const {
    detail::delete_referenced_by_key(array_, detail::to_value(key));
  }
  /// Deletes the referenced targets matching `w` and removes their keys from the array, in one
  /// transaction; returns how many were deleted. Other targets are never touched.
  std::uint64_t delete_all(const where<Target>& w = {}) const {
    return detail::delete_referenced(array_, w.node());
  }

 private:
  detail::reference_array array_;
};

namespace detail {

/// referencesMany: the targets whose key_to (their id by default) is an element of the
/// source's key_from array.
class references_many_kind final : public relation_kind {
 public:
  constexpr references_many_kind() noexcept : relation_kind("referencesMany") {}

  // Keys (relation/traits.hpp): key_from `<target>_ids`, an array on the source; key_to the
  // target's id.
  static constexpr key_rules rules = key_rules{.key_from = key_rule::target_foreign_keys,
                                               .key_to = key_rule::target_id,
                                               .key_from_is_array = true};

  /// `customers.accounts(id)`: a references_many_repository for the source with id `id`.
  template <class Traits, class Key>
  static auto access(const relation_access& a, const Key& key) {
    return references_many_repository<typename Traits::target, typename Traits::key_to_type>(
        reference_array{a.bindings,
                        &a.source,
                        &a.relation,
                        id_argument<typename Traits::source>(key).values()});
  }

  /// Keyed by every element of every parent's array; each parent's targets in array order
  /// (in the scope's order when it has one), sliced per parent.
  void load(const include_node& node) const override;
  ast::node_ptr condition(const relation_definition& r,
                          ast::quantifier quantity,
                          ast::node_ptr where) const override;
  /// None: an array cannot be a foreign key.
  void constraints(const relation_definition& r,
                   const model_definition& source,
                   constraint_builder& out) const override;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE std::string reference_array::describe() const {
  return "the referencesMany relation " + std::string(relation->name) + " of " +
         std::string(source_model->name) + " " + describe_key(owner);
}

namespace references_detail {
/// The keys of the targets of `a` among `keys` (distinct) that match `where` and the relation's
/// scope, read in chunks.
inline std::unordered_set<value> matching(const reference_array& a,
                                          std::span<const value> keys,
                                          const ast::node_ptr& where) {
  const model_definition& target = a.target();
  const std::size_t key = a.relation->key_to;
  datasource& source = a.target_source();
  const auto condition = ast::make_and(scope_condition(*a.relation, target),
                                       local_conditions(*a.bindings, target, where));
  struct sink final : row_sink {
    std::unordered_set<value>& keys;
    const property_definition& p;
    sink(std::unordered_set<value>& k, const property_definition& pd) : keys(k), p(pd) {}
    void on_row(const row& r) override { keys.insert(r.get(0, p.kind, p.element_kind)); }
  };
  std::unordered_set<value> out;
  sink read{out, target.properties[key]};
  for (auto chunk : chunks(keys, chunk_size(source, ast::parameter_count(condition)))) {
    select_query q;
    q.model = &target;
    q.where = ast::make_and(condition, key_in(key, chunk));
    q.columns = {key};
    source.select(q, read);
  }
  return out;
}

/// Starts a change of the array: makes other writers of the source model wait (inside the
/// caller's transaction), then reads the array as it is now.
inline std::vector<value> lock(const reference_array& a) {
  a.owner_source().serialize_writes(*a.source_model);
  return referenced_keys(a);
}

/// Writes the array `keys` to the source row.
inline void store(const reference_array& a, std::vector<value> keys) {
  const assignment set[] = {{a.relation->key_from, value(std::move(keys))}};
  update_by_key(a.owner_source(), *a.source_model, a.owner, set);
}

inline bool holds(const std::vector<value>& keys, const value& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

/// ENTITY_NOT_FOUND for a key the array of `a` does not hold.
[[noreturn]] inline void not_referenced(const reference_array& a, const value& key) {
  throw entity_not_found(std::string(a.target().name),
                         std::string(a.target().properties[a.relation->key_to].name),
                         key.to_string() + " (not referenced by " + a.describe() + ")");
}

/// Refuses a change of the key the array holds: it would leave the array behind.
inline void check_changes(const reference_array& a, std::span<const assignment> changes) {
  for (const auto& c : changes) {
    if (c.property == a.relation->key_to) {
      throw constraint_violation("Property " + std::string(a.target().properties[c.property].name) +
                                 " cannot be changed: " + a.describe() + " refers to it");
    }
  }
}
}  // namespace references_detail

RELATA_ENGINE_INLINE std::vector<value> referenced_keys(const reference_array& a) {
  auto keys =
      read_property_by_key(a.owner_source(), *a.source_model, a.owner, a.relation->key_from);
  if (!keys) throw entity_not_found(std::string(a.source_model->name), describe_key(a.owner));
  if (keys->kind() != value_kind::array) return {};
  return keys->as_array();
}

RELATA_ENGINE_INLINE void find_referenced(const reference_array& a,
                                          entity_buffer& out,
                                          ast::filter query) {
  const auto keys = referenced_keys(a);
  if (keys.empty()) return;
  const relation_definition& r = *a.relation;
  const model_definition& target = a.target();
  datasource& source = a.target_source();
  if (r.scope || target.default_scope) {
    query = ast::merge_scope(scope_filter(r, target), std::move(query));
  }
  const auto distinct = distinct_keys(keys);
  const std::size_t size = chunk_size(source, ast::parameter_count(query.where));
  if (!query.order.empty()) {
    // The query's order: one query, limit and skip in it; each target once.
    if (distinct.size() > size) {
      throw invalid_filter("invalid filter: an order over the " + std::to_string(distinct.size()) +
                           " targets of " + a.describe() + ", more than one query binds (" +
                           std::to_string(size) + ")");
    }
    query.where = ast::make_and(query.where, key_in(r.key_to, distinct));
    find_entities(*a.bindings, target, out, query);
    return;
  }
  // Array order: read the targets (the key among their fields), then list them by the array.
  const bool key_read = query.fields.selects(r.key_to);
  if (!key_read) {
    auto& listed = query.fields.properties;
    if (query.fields.exclude) {
      listed.erase(std::remove(listed.begin(), listed.end(), r.key_to), listed.end());
    } else {
      listed.push_back(r.key_to);
    }
  }
  entity_buffer found(*target.entity);
  const auto limit = query.limit;
  const auto skip = query.skip;
  query.limit.reset();
  query.skip = 0;
  const auto where = query.where;
  for (auto chunk : chunks(distinct, size)) {
    query.where = ast::make_and(where, key_in(r.key_to, chunk));
    find_entities(*a.bindings, target, found, query);
  }
  std::unordered_map<value, std::size_t> by_key;
  for (std::size_t i = 0; i < found.size(); ++i) {
    by_key.emplace(property_value(target, found.at(i), r.key_to), i);
  }
  std::vector<std::size_t> rows;
  for (const auto& k : keys) {
    auto it = by_key.find(k);
    if (it != by_key.end()) rows.push_back(it->second);
  }
  ast::filter slice;
  slice.limit = limit;
  slice.skip = skip;
  slice_rows(slice, rows);
  for (auto row : rows) {
    void* entity = out.emplace_back();
    transfer_entity(target, entity, found.at(row), false);
    if (!key_read) target.forget(entity, r.key_to);
  }
}

RELATA_ENGINE_INLINE void find_referenced_by_key(const reference_array& a,
                                                 const value& key,
                                                 entity_buffer& out,
                                                 ast::filter query) {
  if (!references_detail::holds(referenced_keys(a), key)) references_detail::not_referenced(a, key);
  const relation_definition& r = *a.relation;
  const model_definition& target = a.target();
  if (r.scope || target.default_scope) {
    query = ast::merge_scope(scope_filter(r, target), std::move(query));
  }
  query.limit.reset();  // one row by key: the scope's slice would miss it
  query.skip = 0;
  query.where = ast::make_and(equals(r.key_to, key), query.where);
  find_entities(*a.bindings, target, out, query);
  if (out.size() == 0) {
    throw entity_not_found(
        std::string(target.name), std::string(target.properties[r.key_to].name), key.to_string());
  }
}

RELATA_ENGINE_INLINE void referenced_at(const reference_array& a,
                                        std::size_t i,
                                        entity_buffer& out) {
  const auto keys = referenced_keys(a);
  if (i >= keys.size()) {
    throw entity_not_found(std::string(a.target().name),
                           "position " + std::to_string(i) + " of " + a.describe() +
                               ", which holds " + std::to_string(keys.size()) + " keys");
  }
  find_referenced_by_key(a, keys[i], out, {});
}

RELATA_ENGINE_INLINE bool is_referenced(const reference_array& a, const value& key) {
  if (!references_detail::holds(referenced_keys(a), key)) return false;
  const value one[] = {key};
  return !references_detail::matching(a, one, {}).empty();
}

RELATA_ENGINE_INLINE std::uint64_t count_referenced(const reference_array& a,
                                                    const ast::node_ptr& where) {
  const auto keys = referenced_keys(a);
  if (keys.empty()) return 0;
  const auto found = references_detail::matching(a, distinct_keys(keys), where);
  return static_cast<std::uint64_t>(
      std::count_if(keys.begin(), keys.end(), [&](const value& k) { return found.contains(k); }));
}

RELATA_ENGINE_INLINE void add_reference(const reference_array& a, const value& key) {
  const model_definition& target = a.target();
  const std::size_t key_to = a.relation->key_to;
  transaction tx{a.owner_source()};
  auto keys = references_detail::lock(a);
  if (references_detail::holds(keys, key)) {
    throw constraint_violation("the " + std::string(target.name) + " with " +
                               std::string(target.properties[key_to].name) + " " + key.to_string() +
                               " is already referenced by " + a.describe());
  }
  datasource& target_source = a.target_source();
  const auto in_scope = scope_condition(*a.relation, target);
  if (target_source.count(target, ast::make_and(equals(key_to, key), in_scope)) == 0) {
    // Referenced, a target outside the scope would be a key the relation cannot see.
    if (in_scope && target_source.count(target, equals(key_to, key)) > 0) {
      throw constraint_violation("the " + std::string(target.name) + " with " +
                                 std::string(target.properties[key_to].name) + " " +
                                 key.to_string() + " does not match the scope of " + a.describe() +
                                 ", which could then not see it");
    }
    throw entity_not_found(
        std::string(target.name), std::string(target.properties[key_to].name), key.to_string());
  }
  keys.push_back(key);
  references_detail::store(a, std::move(keys));
  tx.commit();
}

RELATA_ENGINE_INLINE std::uint64_t remove_reference(const reference_array& a, const value& key) {
  transaction tx{a.owner_source()};
  auto keys = references_detail::lock(a);
  const auto removed = std::erase(keys, key);
  if (removed == 0) return 0;
  references_detail::store(a, std::move(keys));
  tx.commit();
  return removed;
}

RELATA_ENGINE_INLINE std::uint64_t remove_every_reference(const reference_array& a) {
  transaction tx{a.owner_source()};
  const auto keys = references_detail::lock(a);
  if (keys.empty()) return 0;
  references_detail::store(a, {});
  tx.commit();
  return keys.size();
}

RELATA_ENGINE_INLINE void create_referenced(const reference_array& a, void* target) {
  const model_definition& m = a.target();
  datasource& target_source = a.target_source();
  const auto in_scope = scope_condition(*a.relation, m);
  const std::string scope_name = "the scope of " + a.describe();
  stamp_scope(m, target, in_scope, scope_name);
  paired_transaction tx{target_source, a.owner_source()};
  auto keys = references_detail::lock(a);  // the source first: none, nothing inserted
  void* one[] = {target};
  insert_entities(target_source, m, one);
  check_in_scope(target_source, m, target, in_scope, scope_name);
  keys.push_back(property_value(m, target, a.relation->key_to));
  references_detail::store(a, std::move(keys));
  tx.commit();
}

RELATA_ENGINE_INLINE void update_referenced_by_key(const reference_array& a,
                                                   const value& key,
                                                   std::span<const assignment> changes) {
  references_detail::check_changes(a, changes);
  if (!references_detail::holds(referenced_keys(a), key)) references_detail::not_referenced(a, key);
  const model_definition& target = a.target();
  const auto where =
      ast::make_and(equals(a.relation->key_to, key), scope_condition(*a.relation, target));
  if (update_where(a.target_source(), target, changes, where) == 0) {
    throw entity_not_found(std::string(target.name),
                           std::string(target.properties[a.relation->key_to].name),
                           key.to_string());
  }
}

RELATA_ENGINE_INLINE std::uint64_t patch_referenced(const reference_array& a,
                                                    std::span<const assignment> changes,
                                                    const ast::node_ptr& where) {
  references_detail::check_changes(a, changes);
  const auto keys = distinct_keys(referenced_keys(a));
  const model_definition& target = a.target();
  datasource& source = a.target_source();
  const auto condition = ast::make_and(scope_condition(*a.relation, target),
                                       local_conditions(*a.bindings, target, where));
  std::uint64_t changed = 0;
  transaction tx{source};
  for (auto chunk : chunks(keys, chunk_size(source, ast::parameter_count(condition)))) {
    changed += update_where(
        source, target, changes, ast::make_and(condition, key_in(a.relation->key_to, chunk)));
  }
  tx.commit();
  return changed;
}

RELATA_ENGINE_INLINE void delete_referenced_by_key(const reference_array& a, const value& key) {
  const model_definition& target = a.target();
  datasource& target_source = a.target_source();
  paired_transaction tx{target_source, a.owner_source()};
  auto keys = references_detail::lock(a);
  if (std::erase(keys, key) == 0) references_detail::not_referenced(a, key);
  references_detail::store(a, std::move(keys));
  target_source.remove(
      target, ast::make_and(equals(a.relation->key_to, key), scope_condition(*a.relation, target)));
  tx.commit();
}

RELATA_ENGINE_INLINE std::uint64_t delete_referenced(const reference_array& a,
                                                     const ast::node_ptr& where) {
  const model_definition& target = a.target();
  datasource& target_source = a.target_source();
  paired_transaction tx{target_source, a.owner_source()};
  auto keys = references_detail::lock(a);
  if (keys.empty()) return 0;
  const auto doomed = references_detail::matching(a, distinct_keys(keys), where);
  if (doomed.empty()) return 0;
  std::erase_if(keys, [&](const value& k) { return doomed.contains(k); });
  references_detail::store(a, std::move(keys));
  const std::vector<value> gone(doomed.begin(), doomed.end());
  std::uint64_t deleted = 0;
  for (auto chunk : chunks(gone, chunk_size(target_source, 0))) {
    deleted += target_source.remove(target, key_in(a.relation->key_to, chunk));
  }
  tx.commit();
  return deleted;
}

RELATA_ENGINE_INLINE void references_many_kind::load(const include_node& node) const {
  const relation_definition& r = node.relation;
  const auto arrays = start_parents(node, r.key_from);
  std::vector<value> all;
  for (const auto& array : arrays) {
    if (array.kind() != value_kind::array) continue;
    all.insert(all.end(), array.as_array().begin(), array.as_array().end());
  }
  const auto keys = distinct_keys(std::move(all));
  if (keys.empty()) return;  // no keys, no query
  auto children = prepare_children(node, r.key_to);
  read_by_key(node, r.key_to, keys, per_key_slice::none, children);
  load_nested(node, children);
  std::vector<std::vector<std::size_t>> picked(arrays.size());
  for (std::size_t i = 0; i < arrays.size(); ++i) {
    if (arrays[i].kind() != value_kind::array) continue;
    const auto& elements = arrays[i].as_array();
    auto& rows = picked[i];
    if (node.scope.order.empty()) {
      // Array order; a key that points at nothing is dropped.
      for (const auto& e : elements) {
        auto it = children.rows_by_key.find(e);
        if (it != children.rows_by_key.end()) rows.push_back(it->second.front());
      }
    } else {
      // The scope's order: the rows, in query order, that the array references.
      const std::unordered_set<value> wanted(elements.begin(), elements.end());
      for (const auto& key : wanted) {
        auto it = children.rows_by_key.find(key);
        if (it != children.rows_by_key.end()) rows.push_back(it->second.front());
      }
      std::sort(rows.begin(), rows.end());
    }
    if (node.per_parent()) slice_rows(node.scope, rows);
  }
  attach_children(node, children, picked);
}

RELATA_ENGINE_INLINE ast::node_ptr references_many_kind::condition(const relation_definition& r,
                                                                   ast::quantifier quantity,
                                                                   ast::node_ptr where) const {
  return quantified(ast::exists{.model = &r.target(),
                                .key = r.key_to,
                                .outer_key = r.key_from,
                                .outer_is_array = true,
                                .scope = scope_condition(r, r.target()),
                                .relation = r.name},
                    quantity,
                    std::move(where));
}

RELATA_ENGINE_INLINE void references_many_kind::constraints(const relation_definition&,
                                                            const model_definition&,
                                                            constraint_builder&) const {}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
