// relata/inclusion.hpp: the inclusion resolver. Loads the relations named in a filter's
// `include` into the navigational members of the entities found, in batches:
//
// - per include node: collect the parents' keys, drop nulls (those parents get an empty
//   result without SQL), de-duplicate with a hash set, sort; no keys, no query;
// - one chunker sizes every IN list in bind parameters, from the connector's limit minus what
//   the scope's own where needs: ceil(distinct keys / chunk) queries per node, whatever the
//   number of parents;
// - a per-parent limit/skip is one windowed query per chunk (ROW_NUMBER() OVER (PARTITION
//   BY key ...)), never a query per parent and never a global limit;
// - hasManyThrough reads links and targets in one joined query (two when they live in
//   different datasources); stitching is O(parents + rows) with hash maps;
// - nested includes run once per level on all the children, before they are stitched.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/entity.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/sql/generator.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// Checks every include entry (and, recursively, the includes of their scopes) against the
/// models; throws one invalid_inclusion_filter listing every unknown relation.
RELATA_ENGINE_INLINE void validate_includes(const model_definition& m,
                                            std::span<const ast::inclusion> include,
                                            std::size_t max_depth = 64);

/// Splits `keys` into chunks of at most `size` (the one chunker every batched query uses).
RELATA_ENGINE_INLINE std::vector<std::span<const value>> chunks(std::span<const value> keys,
                                                                std::size_t size);

/// How many keys fit in one statement: the connector's limit minus what else it binds.
RELATA_ENGINE_INLINE std::size_t chunk_size(const datasource& source, std::size_t other_parameters);

/// Distinct non-null keys, sorted.
RELATA_ENGINE_INLINE std::vector<value> distinct_keys(std::vector<value> keys);

RELATA_ENGINE_INLINE ast::node_ptr key_in(std::size_t property, std::span<const value> keys);

/// Loads one include entry into `parents` (entities of `source_model`).
RELATA_ENGINE_INLINE void resolve_one(const bindings& b,
                                      const model_definition& source_model,
                                      entity_buffer& parents,
                                      const relation_definition& r,
                                      const ast::filter& scope);

/// Loads every include entry into `rows` (entities of model `m`).
RELATA_ENGINE_INLINE void resolve_includes(const bindings& b,
                                           const model_definition& m,
                                           entity_buffer& rows,
                                           std::span<const ast::inclusion> include);

/// A find: the select, the includes, then the keys fetched only for stitching are cleared.
RELATA_ENGINE_INLINE void find_entities(const bindings& b,
                                        const model_definition& m,
                                        entity_buffer& rows,
                                        const ast::filter& f);

/// find_by_id: the entity of `m` with primary key `key` into `rows`, filter `f` applying;
/// ENTITY_NOT_FOUND when there is none. Without a filter, the connector's select_by_key.
RELATA_ENGINE_INLINE void find_by_key(const bindings& b,
                                      const model_definition& m,
                                      entity_buffer& rows,
                                      std::span<const value> key,
                                      ast::filter f);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE void validate_includes(const model_definition& m,
                                            std::span<const ast::inclusion> include,
                                            std::size_t max_depth) {
  std::vector<std::string> bad;
  auto walk = [&](auto&& self,
                  const model_definition& model,
                  std::span<const ast::inclusion> entries,
                  const std::string& path,
                  std::size_t depth) -> void {
    if (depth > max_depth) {
      throw invalid_inclusion_filter("include is nested deeper than " + std::to_string(max_depth) +
                                     " levels");
    }
    for (const auto& entry : entries) {
      const relation_definition* r = model.find_relation(entry.relation);
      if (!r) {
        bad.push_back("\"" + path + entry.relation + "\" (model " + std::string(model.name) +
                      " has no such relation)");
        continue;
      }
      if (entry.scope) {
        self(self, r->target(), entry.scope->include, path + entry.relation + ".", depth + 1);
      }
    }
  };
  walk(walk, m, include, "", 0);
  if (!bad.empty()) {
    std::string message = "invalid include: unknown relation";
    message += bad.size() > 1 ? "s " : " ";
    for (std::size_t i = 0; i < bad.size(); ++i) {
      if (i) message += ", ";
      message += bad[i];
    }
    throw invalid_inclusion_filter(message);
  }
}

RELATA_ENGINE_INLINE std::vector<std::span<const value>> chunks(std::span<const value> keys,
                                                                std::size_t size) {
  std::vector<std::span<const value>> out;
  for (std::size_t i = 0; i < keys.size(); i += size) {
    out.push_back(keys.subspan(i, std::min(size, keys.size() - i)));
  }
  return out;
}

RELATA_ENGINE_INLINE std::size_t chunk_size(const datasource& source,
                                            std::size_t other_parameters) {
  const capabilities caps = source.caps();
  if (caps.lists_as_arrays) return caps.max_list_size;  // one parameter per list
  const std::size_t limit = caps.max_parameters;
  if (limit <= other_parameters + 1) {
    throw invalid_filter("the include scope needs " + std::to_string(other_parameters) +
                         " bind parameters, which leaves no room for keys (the " +
                         std::string(source.name()) + " limit is " + std::to_string(limit) + ")");
  }
  return limit - other_parameters;
}

RELATA_ENGINE_INLINE std::vector<value> distinct_keys(std::vector<value> keys) {
  std::unordered_set<value> seen;
  seen.reserve(keys.size());
  std::vector<value> out;
  out.reserve(keys.size());
  for (auto& k : keys) {
    if (!k.is_null() && seen.insert(k).second) out.push_back(std::move(k));
  }
  std::sort(out.begin(), out.end(), [](const value& a, const value& b) {
    return compare(a, b) == std::partial_ordering::less;
  });
  return out;
}

RELATA_ENGINE_INLINE ast::node_ptr key_in(std::size_t property, std::span<const value> keys) {
  return ast::make(
      ast::comparison{property, ast::op::inq, std::vector<value>(keys.begin(), keys.end())});
}

/// The children of one include node: the rows read, and for each parent key the rows that
/// belong to it, in the scope's order.
struct loaded_children {
  entity_buffer rows;
  std::unordered_map<value, std::vector<std::size_t>> rows_by_key;
};

/// A sink that reads target rows into `out`, filing each under its key: a property of the
/// target (`key_property`), or the extra column after the selected ones (a link's key).
class child_collector final : public row_sink {
 public:
  child_collector(const model_definition& target,
                  const select_query& q,
                  loaded_children& out,
                  std::size_t key_property,
                  value_kind extra_key_kind)
      : target_(target),
        q_(q),
        out_(out),
        key_property_(key_property),
        extra_key_kind_(extra_key_kind) {}

  void on_row(const row& r) override {
    void* entity = out_.rows.emplace_back();
    for (std::size_t c = 0; c < q_.columns.size(); ++c) {
      target_.properties[q_.columns[c]].read(entity, r, c);
    }
    value key = extra_key_kind_ == value_kind::null ? property_value(target_, entity, key_property_)
                                                    : r.get(q_.columns.size(), extra_key_kind_);
    out_.rows_by_key[std::move(key)].push_back(out_.rows.size() - 1);
  }

 private:
  const model_definition& target_;
  const select_query& q_;
  loaded_children& out_;
  std::size_t key_property_;
  value_kind extra_key_kind_;
};

/// Runs `make_query(chunk)` for every chunk of `keys`, sized for `source`.
template <class MakeQuery>
void for_each_chunk(datasource& source,
                    std::span<const value> keys,
                    std::size_t other_parameters,
                    MakeQuery&& make_query) {
  for (auto chunk : chunks(keys, chunk_size(source, other_parameters))) make_query(chunk);
}

RELATA_ENGINE_INLINE void resolve_one(const bindings& b,
                                      const model_definition& source_model,
                                      entity_buffer& parents,
                                      const relation_definition& r,
                                      const ast::filter& scope) {
  local_conditions(b, r.target(), scope.where);
  const std::size_t parent_count = parents.size();
  const model_definition& target = r.target();
  const bool references = r.kind == relation_kind::references_many;

  // 1. The parents' keys (referencesMany: every element of every array). Parents start
  //    loaded and empty.
  std::vector<value> parent_keys(parent_count);
  std::vector<value> all;
  all.reserve(parent_count);
  for (std::size_t i = 0; i < parent_count; ++i) {
    void* p = parents.at(i);
    r.set_empty(p);
    parent_keys[i] = property_value(source_model, p, r.key_from);
    if (!references) {
      all.push_back(parent_keys[i]);
    } else if (parent_keys[i].kind() == value_kind::array) {
      for (const auto& e : parent_keys[i].as_array()) all.push_back(e);
    }
  }
  const std::vector<value> keys = distinct_keys(std::move(all));
  if (keys.empty()) return;  // no keys, no query

  // 2. What to read of the target: the scope's fields, plus the keys stitching and nested
  //    includes need (cleared afterwards when the scope did not select them).
  std::vector<std::size_t> required{r.key_to};
  for (const auto& nested : scope.include) {
    if (const auto* nr = target.find_relation(nested.relation)) required.push_back(nr->key_from);
  }
  std::vector<std::size_t> extra;
  const auto columns = select_columns(target, scope.fields, required, &extra);

  const bool to_one = r.kind == relation_kind::belongs_to || r.kind == relation_kind::has_one;
  const bool per_parent = !to_one && (scope.limit || scope.skip);
  datasource& target_source = b.source_of(target);
  const bool windows = target_source.caps().window_functions;
  const auto order = full_order(target, scope.order);
  loaded_children children{entity_buffer(*target.entity), {}};
  children.rows_by_key.reserve(keys.size());
  bool sliced_by_query = false;

  if (r.kind == relation_kind::has_many_through) {
    const model_definition& link = r.through();
    datasource& link_source = b.source_of(link);
    if (&link_source == &target_source && target_source.caps().joins) {
      // One joined query per chunk: each target with the source key of each distinct link.
      const bool window = per_parent && windows;
      sliced_by_query = window;
      for_each_chunk(
          target_source,
          keys,
          sql::parameter_count(scope.where) + (window ? 2 : 0),
          [&](std::span<const value> chunk) {
            select_query q;
            q.model = &target;
            q.where = scope.where;
            q.order = order;
            q.columns = columns;
            q.through = through_join{&link,
                                     r.through_key_to,
                                     r.key_to,
                                     r.through_key_from,
                                     key_in(r.through_key_from, chunk)};
            if (window) {
              q.window = per_key_window{r.through_key_from, true, scope.limit, scope.skip};
            }
            child_collector sink{
                target, q, children, r.key_to, link.properties[r.through_key_from].kind};
            target_source.select(q, sink);
          });
    } else {
      // Links and targets in different datasources: read the distinct links, then the
      // targets, and file each target under every source that links it.
      std::unordered_map<value, std::vector<value>> sources_of;  // target key -> source keys
      std::vector<value> target_keys;
      struct link_sink final : row_sink {
        std::vector<std::pair<value, value>> pairs;
        value_kind from_kind, to_kind;
        link_sink(value_kind f, value_kind t) : from_kind(f), to_kind(t) {}
        void on_row(const row& row) override {
          pairs.emplace_back(row.get(0, from_kind), row.get(1, to_kind));
        }
      } links{link.properties[r.through_key_from].kind, link.properties[r.through_key_to].kind};
      for_each_chunk(link_source, keys, 0, [&](std::span<const value> chunk) {
        select_query q;
        q.model = &link;
        q.where = key_in(r.through_key_from, chunk);
        q.columns = {r.through_key_from, r.through_key_to};
        q.order = full_order(link, {});
        link_source.select(q, links);
      });
      std::unordered_set<value> seen_targets;
      for (auto& [from, to] : links.pairs) {
        if (from.is_null() || to.is_null()) continue;
        auto& sources = sources_of[to];
        if (std::find(sources.begin(), sources.end(), from) == sources.end()) {
          sources.push_back(from);
        }
        target_keys.push_back(to);
      }
      target_keys = distinct_keys(std::move(target_keys));
      loaded_children targets{entity_buffer(*target.entity), {}};
      for_each_chunk(target_source,
                     target_keys,
                     sql::parameter_count(scope.where),
                     [&](std::span<const value> chunk) {
                       select_query q;
                       q.model = &target;
                       q.where = ast::make_and(scope.where, key_in(r.key_to, chunk));
                       q.order = order;
                       q.columns = columns;
                       child_collector sink{target, q, targets, r.key_to, value_kind::null};
                       target_source.select(q, sink);
                     });
      // Re-file the targets (kept in query order) under their sources.
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
  } else {
    // hasMany, hasOne, belongsTo, referencesMany: WHERE key_to IN (chunk) AND scope.where.
    // A hasOne keeps the first row per key in the query (the row its accessor returns).
    const bool window = windows && ((per_parent && r.kind == relation_kind::has_many) ||
                                    r.kind == relation_kind::has_one);
    sliced_by_query = window && r.kind == relation_kind::has_many;
    for_each_chunk(target_source,
                   keys,
                   sql::parameter_count(scope.where) + (window ? 2 : 0),
                   [&](std::span<const value> chunk) {
                     select_query q;
                     q.model = &target;
                     q.where = ast::make_and(scope.where, key_in(r.key_to, chunk));
                     q.order = order;
                     q.columns = columns;
                     if (window) {
                       q.window = r.kind == relation_kind::has_one
                                      ? per_key_window{r.key_to, false, 1, 0}
                                      : per_key_window{r.key_to, false, scope.limit, scope.skip};
                     }
                     child_collector sink{target, q, children, r.key_to, value_kind::null};
                     target_source.select(q, sink);
                   });
  }

  // 3. Nested includes, once for all the children of this level; then the helper keys go.
  const std::size_t child_count = children.rows.size();
  for (const auto& nested : scope.include) {
    const ast::filter nested_scope = nested.scope ? *nested.scope : ast::filter{};
    resolve_one(b, target, children.rows, *target.find_relation(nested.relation), nested_scope);
  }
  for (std::size_t i = 0; i < child_count && !extra.empty(); ++i) {
    for (auto p : extra) target.properties[p].clear(children.rows.at(i));
  }

  // 4. Stitch. Per parent: its rows in order, sliced when the query could not; a row used by
  //    exactly one parent is moved, any other is copied.
  const bool slice = per_parent && !sliced_by_query;
  const std::size_t limit = scope.limit ? static_cast<std::size_t>(*scope.limit) : SIZE_MAX;
  const std::size_t skip = static_cast<std::size_t>(scope.skip);
  std::vector<std::vector<std::size_t>> picked(parent_count);
  std::vector<std::uint32_t> uses(child_count, 0);
  for (std::size_t i = 0; i < parent_count; ++i) {
    const value& k = parent_keys[i];
    auto& rows = picked[i];
    if (references) {
      if (k.kind() != value_kind::array) continue;
      if (scope.order.empty()) {
        // Array order; a key that points at nothing is dropped.
        for (const auto& e : k.as_array()) {
          auto it = children.rows_by_key.find(e);
          if (it != children.rows_by_key.end()) rows.push_back(it->second.front());
        }
      } else {
        // The scope's order: the rows, in query order, that the array references.
        std::unordered_set<value> wanted(k.as_array().begin(), k.as_array().end());
        for (const auto& key : wanted) {
          auto it = children.rows_by_key.find(key);
          if (it != children.rows_by_key.end()) rows.push_back(it->second.front());
        }
        std::sort(rows.begin(), rows.end());
      }
    } else if (!k.is_null()) {
      auto it = children.rows_by_key.find(k);
      if (it != children.rows_by_key.end()) rows = it->second;
    }
    if (to_one && rows.size() > 1) rows.erase(rows.begin() + 1, rows.end());
    if (slice || (references && per_parent)) {
      const std::size_t from = std::min(skip, rows.size());
      const std::size_t to = limit == SIZE_MAX ? rows.size() : std::min(rows.size(), from + limit);
      rows = std::vector<std::size_t>(rows.begin() + static_cast<std::ptrdiff_t>(from),
                                      rows.begin() + static_cast<std::ptrdiff_t>(to));
    }
    for (auto row : rows) ++uses[row];
  }
  // The index is done with: free it before the parents' vectors grow (peak memory).
  children.rows_by_key = {};
  for (std::size_t i = 0; i < parent_count; ++i) {
    void* p = parents.at(i);
    r.reserve(p, picked[i].size());
    for (auto row : picked[i]) r.attach(p, children.rows.at(row), uses[row] == 1);
    std::vector<std::size_t>().swap(picked[i]);
  }
}

RELATA_ENGINE_INLINE void resolve_includes(const bindings& b,
                                           const model_definition& m,
                                           entity_buffer& rows,
                                           std::span<const ast::inclusion> include) {
  if (include.empty() || rows.size() == 0) return;
  for (const auto& entry : include) {
    const relation_definition* r = m.find_relation(entry.relation);
    const ast::filter scope = entry.scope ? *entry.scope : ast::filter{};
    resolve_one(b, m, rows, *r, scope);
  }
}

RELATA_ENGINE_INLINE void find_entities(const bindings& b,
                                        const model_definition& m,
                                        entity_buffer& rows,
                                        const ast::filter& f) {
  local_conditions(b, m, f.where);
  validate_includes(m, f.include);
  std::vector<std::size_t> required;
  for (const auto& entry : f.include) required.push_back(m.find_relation(entry.relation)->key_from);
  std::vector<std::size_t> extra;
  auto columns = select_columns(m, f.fields, required, &extra);
  select_into(b.source_of(m), m, rows, f.where, f.order, f.limit, f.skip, std::move(columns));
  resolve_includes(b, m, rows, f.include);
  if (!extra.empty()) {
    const std::size_t n = rows.size();
    for (std::size_t i = 0; i < n; ++i) {
      for (auto p : extra) m.properties[p].clear(rows.at(i));
    }
  }
}

RELATA_ENGINE_INLINE void find_by_key(const bindings& b,
                                      const model_definition& m,
                                      entity_buffer& rows,
                                      std::span<const value> key,
                                      ast::filter f) {
  if (!f.where && f.order.empty() && !f.limit && f.skip == 0 && f.fields.all() &&
      f.include.empty()) {
    check_key(m, key);
    const auto columns = all_columns(m);
    entity_collector collector{m, rows, columns};
    b.source_of(m).select_by_key(m, key, collector);
  } else {
    f.where = ast::make_and(key_condition(m, key), f.where);
    find_entities(b, m, rows, f);
  }
  if (rows.size() == 0) throw entity_not_found(std::string(m.name), describe_key(key));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
