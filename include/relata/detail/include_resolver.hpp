// The include resolver: loads the relations a filter's `include` names into the relation
// members of the entities found, batched. An include node is one relation at one level of
// nesting; its kind loads it (relation_kind::load, in relation/<kind>.hpp) from the steps
// below, which every kind shares:
//
// 1. the parents' keys: nulls dropped (those parents get an empty result without a query),
//    de-duplicated with a hash set, sorted; no keys, no query;
// 2. the children, read in chunks of keys sized by one chunker, in bind parameters, from the
//    connector's limit minus what the scope's own where needs: ceil(distinct keys / chunk)
//    queries per node, whatever the number of parents. A per-parent limit/skip runs in the
//    same query (ROW_NUMBER() OVER (PARTITION BY key ...)), never as a query per parent and
//    never as a global limit;
// 3. the scope's nested includes, once for all the children of this level; then the keys read
//    only for stitching are cleared;
// 4. stitching: each parent gets its rows in the scope's order, in O(parents + rows) with hash
//    maps; a row that goes to one parent only is moved, any other is copied.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/entity_storage.hpp>
#include <relata/query.hpp>
#include <relata/relation/kind.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// One include node: relation `relation` of `source`, loaded into `parents` (entities of
/// `source`), with `scope` (a filter on the target) applying.
struct include_node {
  const bindings& b;
  const model_definition& source;
  entity_buffer& parents;
  const relation_definition& relation;
  const ast::filter& scope;
  /// What the targets must also meet to be related at all (an "as" relation's discriminator),
  /// beside the scope's where; null: nothing.
  ast::node_ptr match{};
  /// The target model read, when not the relation's target: one of a polymorphic relation's.
  const model_definition* target_model = nullptr;
  /// The include entry (a polymorphic relation's scopes per target model are there).
  const ast::inclusion* entry = nullptr;

  const model_definition& target() const {
    return target_model ? *target_model : relation.target();
  }
  /// Whether the scope slices each parent's targets (limit or skip).
  bool per_parent() const { return scope.limit || scope.skip; }
};

/// The children read for an include node: the rows, and under each key the rows filed under
/// it, in the scope's order.
struct loaded_children {
  explicit loaded_children(const model_definition& target) : rows(*target.entity) {}

  entity_buffer rows;
  std::unordered_map<value, std::vector<std::size_t>> rows_by_key;
  /// The columns read, in row order.
  std::vector<std::size_t> columns;
  /// Columns read only for stitching and nested includes, cleared once they are done.
  std::vector<std::size_t> helper_columns;
  /// Whether the query already applied the scope's limit and skip per key.
  bool sliced = false;
};

/// How the children of one key are sliced in a keyed read. A scope is a whole filter on the
/// target: its skip and limit apply per parent for every relation kind, as in LoopBack 4 (skip
/// 1 of a single target leaves none).
enum class per_key_slice {
  none,   ///< all of them
  scope,  ///< the scope's skip and limit, per key
  first,  ///< the first after the scope's skip and limit (hasOne: its accessor's pick)
};

/// The embedsMany property of `m` named `name` (relation/embeds_many.hpp), or npos: an include
/// of it narrows the items each row holds to those its scope selects.
std::size_t embedded_include(const model_definition& m, std::string_view name);
/// Narrows property `property` (an embedsMany) of every row to the items `scope` selects.
void narrow_embedded_rows(const model_definition& m,
                          entity_buffer& rows,
                          std::size_t property,
                          const ast::filter& scope);

/// The message of unknown relations in an include, listed together (`"path.name" (model M has
/// no such relation)` each); the one text for C++ and JSON filters.
invalid_inclusion_filter unknown_relations(const std::vector<std::string>& unknown);

/// The error of an include of relation `path` (its dotted path in the filter) of model `m`,
/// declared with relata::disable_include; the one text for C++ and JSON filters.
invalid_inclusion_filter include_disabled(const model_definition& m, const std::string& path);

/// Checks every include entry (and, recursively, the includes of their scopes) against the
/// models; throws one invalid_inclusion_filter listing every unknown relation.
void validate_includes(const model_definition& m,
                       std::span<const ast::inclusion> include,
                       std::size_t max_depth = 64);

/// The source properties the includes of `include` read on `m`, beside a find's fields.
std::vector<std::size_t> include_keys(const model_definition& m,
                                      std::span<const ast::inclusion> include);

/// Splits `keys` into chunks of at most `size` (the one chunker every batched query uses).
std::vector<std::span<const value>> chunks(std::span<const value> keys, std::size_t size);

/// How many keys fit in one statement: the connector's limit minus what else it binds.
std::size_t chunk_size(const datasource& source, std::size_t other_parameters);

/// Distinct non-null keys, sorted.
std::vector<value> distinct_keys(std::vector<value> keys);

/// `property IN (keys)`.
ast::node_ptr key_in(std::size_t property, std::span<const value> keys);

/// Every parent starts loaded and empty; returns each parent's value of `property`.
std::vector<value> start_parents(const include_node& node, std::size_t property);

/// Children to be read with the scope's fields, plus `key` and the keys nested includes need.
loaded_children prepare_children(const include_node& node, std::size_t key);

/// Reads the target rows whose `key` is among `keys`, chunked, each filed under its key, into
/// `children` (from prepare_children with the same key).
void read_by_key(const include_node& node,
                 std::size_t key,
                 std::span<const value> keys,
                 per_key_slice slice,
                 loaded_children& children);

/// Loads the scope's nested includes into the children, then clears their helper columns.
void load_nested(const include_node& node, loaded_children& children);

/// Each parent's rows: those filed under its key, sliced by the scope unless `slice` is none
/// (or the query did it already), then the first only for a to-one relation.
std::vector<std::vector<std::size_t>> rows_by_parent_key(const include_node& node,
                                                         const std::vector<value>& parent_keys,
                                                         const loaded_children& children,
                                                         per_key_slice slice);

/// Applies the scope's skip and limit to one parent's rows.
void slice_rows(const ast::filter& scope, std::vector<std::size_t>& rows);

/// Attaches to parent i the rows picked[i]: moved when a row goes to one parent only, copied
/// otherwise.
void attach_children(const include_node& node,
                     loaded_children& children,
                     std::vector<std::vector<std::size_t>>& picked);

/// The load of a relation whose targets' `key_to` equals the parent's `key_from` (hasMany,
/// hasOne, belongsTo): steps 1 to 4 above.
void load_by_key(const include_node& node, per_key_slice slice);

/// The scope an include entry reads relation `r`'s targets with: the entry's own, over the
/// relation's scope and its target's default scope (relation/kind.hpp, scope_filter). A
/// polymorphic relation's scopes are per model (detail/polymorphic.hpp, target_scope).
ast::filter include_scope(const relation_definition& r, const ast::inclusion& entry);

/// Loads one include node: its scope's where is checked to stay in the target's datasource, then
/// the relation's kind loads it.
void load_include(const include_node& node);

/// Loads every include entry into `rows` (entities of model `m`).
void resolve_includes(const bindings& b,
                      const model_definition& m,
                      entity_buffer& rows,
                      std::span<const ast::inclusion> include);

/// A row sink that reads target rows into `children`, filing each under its key: a property
/// of the target (`key_property`), or, with `extra_key_kind` not null, the extra column after
/// the selected ones (a link's key, for a hasManyThrough).
class child_collector final : public row_sink {
 public:
  child_collector(const model_definition& target,
                  loaded_children& children,
                  std::size_t key_property,
                  value_kind extra_key_kind = value_kind::null) noexcept
      : target_(target),
        children_(children),
        key_property_(key_property),
        extra_key_kind_(extra_key_kind) {}

  void on_row(const row& r) override;

 private:
  const model_definition& target_;
  loaded_children& children_;
  std::size_t key_property_;
  value_kind extra_key_kind_;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE invalid_inclusion_filter
unknown_relations(const std::vector<std::string>& unknown) {
  std::string message = "invalid include: unknown relation";
  message += unknown.size() > 1 ? "s " : " ";
  for (std::size_t i = 0; i < unknown.size(); ++i) {
    if (i) message += ", ";
    message += unknown[i];
  }
  return invalid_inclusion_filter(message);
}

RELATA_ENGINE_INLINE invalid_inclusion_filter include_disabled(const model_definition& m,
                                                               const std::string& path) {
  return invalid_inclusion_filter("invalid include: relation \"" + path + "\" of model " +
                                  std::string(m.name) +
                                  " is declared with disable_include and cannot be included; "
                                  "read it through its accessor");
}

RELATA_ENGINE_INLINE void validate_includes(const model_definition& m,
                                            std::span<const ast::inclusion> include,
                                            std::size_t max_depth) {
  std::vector<std::string> unknown;
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
      if (!r && embedded_include(model, entry.relation) != npos) {
        // Items of an embedded document: a scope on them, with no includes of its own.
        const ast::filter* s = entry.scope.get();
        if (!entry.target_scopes.empty() || (s && !s->include.empty())) {
          throw invalid_inclusion_filter("\"" + path + entry.relation + "\" of model " +
                                         std::string(model.name) +
                                         " is an embedded document: its scope takes no include "
                                         "and no scopes per model");
        }
        if (s) {
          if (s->limit)
            ast::check_row_count(*s->limit, "include " + path + entry.relation + ": limit");
          ast::check_row_count(s->skip, "include " + path + entry.relation + ": skip");
        }
        continue;
      }
      if (!r) {
        unknown.push_back("\"" + path + entry.relation + "\" (model " + std::string(model.name) +
                          " has no such relation)");
        continue;
      }
      if (r->include_disabled) throw include_disabled(model, path + entry.relation);
      const std::string nested_path = path + entry.relation + ".";
      // limit and skip are bounded in every scope, a per-model one too.
      const auto check_bounds = [](const ast::filter& s, const std::string& at) {
        if (s.limit) ast::check_row_count(*s.limit, "include " + at + ": limit");
        ast::check_row_count(s.skip, "include " + at + ": skip");
      };
      if (r->polymorphic()) {
        // One scope cannot hold conditions on several models: each model has its own.
        const ast::filter* s = entry.scope.get();
        if (s && (s->where || !s->order.empty() || s->limit || s->skip ||
                  !s->fields.properties.empty() || !s->include.empty())) {
          throw invalid_inclusion_filter(
              "relation \"" + path + entry.relation + "\" of model " + std::string(model.name) +
              " has targets of several models; give each model its scope (relata::on<Model>(...), "
              "or \"targetScopes\" in JSON)");
        }
        for (const auto& [name, scope] : entry.target_scopes) {
          const std::size_t t = r->target_index(name);
          if (t == npos) {
            unknown.push_back("\"" + nested_path + name + "\" (" + name +
                              " is not a target model of relation " + entry.relation + ")");
          } else if (scope) {
            check_bounds(*scope, nested_path + name);
            self(self, r->targets[t](), scope->include, nested_path, depth + 1);
          }
        }
      } else if (!entry.target_scopes.empty()) {
        throw invalid_inclusion_filter("relation \"" + path + entry.relation + "\" of model " +
                                       std::string(model.name) +
                                       " has targets of one model; give it a scope, not scopes "
                                       "per model");
      } else if (entry.scope) {
        check_bounds(*entry.scope, path + entry.relation);
        self(self, r->target(), entry.scope->include, nested_path, depth + 1);
      }
    }
  };
  walk(walk, m, include, "", 0);
  if (!unknown.empty()) throw unknown_relations(unknown);
}

RELATA_ENGINE_INLINE std::vector<std::size_t> include_keys(
    const model_definition& m, std::span<const ast::inclusion> include) {
  std::vector<std::size_t> keys;
  for (const auto& entry : include) {
    if (const relation_definition* r = m.find_relation(entry.relation)) {
      r->kind->source_keys(*r, keys);
    }
  }
  return keys;
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

RELATA_ENGINE_INLINE void child_collector::on_row(const row& r) {
  void* entity = children_.rows.emplace_back();
  const auto& columns = children_.columns;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    target_.properties[columns[c]].read(entity, r, c);
  }
  target_.mark_only(entity, columns);
  value key = extra_key_kind_ == value_kind::null ? property_value(target_, entity, key_property_)
                                                  : r.get(columns.size(), extra_key_kind_);
  children_.rows_by_key[std::move(key)].push_back(children_.rows.size() - 1);
}

RELATA_ENGINE_INLINE std::vector<value> start_parents(const include_node& node,
                                                      std::size_t property) {
  const std::size_t count = node.parents.size();
  std::vector<value> keys(count);
  for (std::size_t i = 0; i < count; ++i) {
    void* parent = node.parents.at(i);
    node.relation.set_empty(parent);
    keys[i] = property_value(node.source, parent, property);
  }
  return keys;
}

RELATA_ENGINE_INLINE loaded_children prepare_children(const include_node& node, std::size_t key) {
  const model_definition& target = node.target();
  std::vector<std::size_t> required{key};
  const auto nested = include_keys(target, node.scope.include);
  required.insert(required.end(), nested.begin(), nested.end());
  loaded_children children{target};
  children.columns = select_columns(target, node.scope.fields, required, &children.helper_columns);
  return children;
}

RELATA_ENGINE_INLINE void read_by_key(const include_node& node,
                                      std::size_t key,
                                      std::span<const value> keys,
                                      per_key_slice slice,
                                      loaded_children& children) {
  const model_definition& target = node.target();
  datasource& source = node.b.source_of(target);
  const bool window = slice != per_key_slice::none && source.caps().window_functions;
  children.sliced = window;
  children.rows_by_key.reserve(keys.size());
  const auto order = full_order(target, node.scope.order);
  const std::size_t other_parameters =
      ast::parameter_count(node.scope.where) + ast::parameter_count(node.match) + (window ? 2 : 0);
  for (auto chunk : chunks(keys, chunk_size(source, other_parameters))) {
    select_query q;
    q.model = &target;
    q.where = ast::make_and(ast::make_and(node.scope.where, node.match), key_in(key, chunk));
    q.order = order;
    q.columns = children.columns;
    if (window) {
      const bool none_wanted = node.scope.limit && *node.scope.limit == 0;
      q.window = slice == per_key_slice::first
                     ? per_key_window{key, false, none_wanted ? 0 : 1, node.scope.skip}
                     : per_key_window{key, false, node.scope.limit, node.scope.skip};
    }
    child_collector sink{target, children, key};
    source.select(q, sink);
  }
}

RELATA_ENGINE_INLINE ast::filter include_scope(const relation_definition& r,
                                               const ast::inclusion& entry) {
  ast::filter given = entry.scope ? *entry.scope : ast::filter{};
  if (r.polymorphic() || (!r.scope && !r.target().default_scope)) return given;
  ast::filter scope = scope_filter(r, r.target());
  validate_includes(r.target(), scope.include);  // names, unlike a typed include's
  return ast::merge_scope(scope, std::move(given));
}

RELATA_ENGINE_INLINE void load_nested(const include_node& node, loaded_children& children) {
  const model_definition& target = node.target();
  const std::size_t count = children.rows.size();
  for (const auto& nested : node.scope.include) {
    if (const std::size_t p = embedded_include(target, nested.relation); p != npos) {
      if (nested.scope) narrow_embedded_rows(target, children.rows, p, *nested.scope);
      continue;
    }
    const relation_definition& r = *target.find_relation(nested.relation);
    const ast::filter nested_scope = include_scope(r, nested);
    load_include(
        include_node{node.b, target, children.rows, r, nested_scope, {}, nullptr, &nested});
  }
  for (std::size_t i = 0; i < count && !children.helper_columns.empty(); ++i) {
    for (auto p : children.helper_columns) target.forget(children.rows.at(i), p);
  }
}

RELATA_ENGINE_INLINE void slice_rows(const ast::filter& scope, std::vector<std::size_t>& rows) {
  const std::size_t skip = static_cast<std::size_t>(scope.skip);
  const std::size_t from = std::min(skip, rows.size());
  const std::size_t to =
      scope.limit ? std::min<std::size_t>(rows.size(), from + *scope.limit) : rows.size();
  rows = std::vector<std::size_t>(rows.begin() + static_cast<std::ptrdiff_t>(from),
                                  rows.begin() + static_cast<std::ptrdiff_t>(to));
}

RELATA_ENGINE_INLINE std::vector<std::vector<std::size_t>> rows_by_parent_key(
    const include_node& node,
    const std::vector<value>& parent_keys,
    const loaded_children& children,
    per_key_slice slice) {
  std::vector<std::vector<std::size_t>> picked(parent_keys.size());
  for (std::size_t i = 0; i < parent_keys.size(); ++i) {
    const value& k = parent_keys[i];
    if (k.is_null()) continue;
    auto it = children.rows_by_key.find(k);
    if (it == children.rows_by_key.end()) continue;
    auto& rows = picked[i];
    rows = it->second;
    if (slice != per_key_slice::none && !children.sliced) slice_rows(node.scope, rows);
    if (!node.relation.to_many && rows.size() > 1) rows.erase(rows.begin() + 1, rows.end());
  }
  return picked;
}

RELATA_ENGINE_INLINE void attach_children(const include_node& node,
                                          loaded_children& children,
                                          std::vector<std::vector<std::size_t>>& picked) {
  std::vector<std::uint32_t> uses(children.rows.size(), 0);
  for (const auto& rows : picked) {
    for (auto row : rows) ++uses[row];
  }
  // The index is done with: free it before the parents' relations grow (peak memory).
  children.rows_by_key = {};
  const relation_definition& r = node.relation;
  for (std::size_t i = 0; i < picked.size(); ++i) {
    void* parent = node.parents.at(i);
    r.reserve(parent, picked[i].size());
    for (auto row : picked[i]) {
      r.attach(parent, node.target(), children.rows.at(row), uses[row] == 1);
    }
    std::vector<std::size_t>().swap(picked[i]);
  }
}

RELATA_ENGINE_INLINE void load_by_key(const include_node& node, per_key_slice slice) {
  const relation_definition& r = node.relation;
  const auto parent_keys = start_parents(node, r.key_from);
  const auto keys = distinct_keys(parent_keys);
  if (keys.empty()) return;  // no keys, no query
  auto children = prepare_children(node, r.key_to);
  read_by_key(node, r.key_to, keys, slice, children);
  load_nested(node, children);
  auto picked = rows_by_parent_key(node, parent_keys, children, slice);
  attach_children(node, children, picked);
}

RELATA_ENGINE_INLINE void resolve_includes(const bindings& b,
                                           const model_definition& m,
                                           entity_buffer& rows,
                                           std::span<const ast::inclusion> include) {
  if (include.empty() || rows.size() == 0) return;
  for (const auto& entry : include) {
    if (const std::size_t p = embedded_include(m, entry.relation); p != npos) {
      if (entry.scope) narrow_embedded_rows(m, rows, p, *entry.scope);
      continue;
    }
    const relation_definition& r = *m.find_relation(entry.relation);
    const ast::filter scope = include_scope(r, entry);
    load_include(include_node{b, m, rows, r, scope, {}, nullptr, &entry});
  }
}

RELATA_ENGINE_INLINE std::size_t embedded_include(const model_definition& m,
                                                  std::string_view name) {
  if (m.find_relation(name)) return npos;
  const std::size_t p = m.find_property(name);
  if (p == npos) return npos;
  const embedded_document* items = m.properties[p].codec->embedded;
  return items && items->many ? p : npos;
}

RELATA_ENGINE_INLINE void narrow_embedded_rows(const model_definition& m,
                                               entity_buffer& rows,
                                               std::size_t property,
                                               const ast::filter& scope) {
  const embedded_document& items = *m.properties[property].codec->embedded;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!m.present(rows.at(i), property)) continue;  // left out by fields
    value document = property_value(m, rows.at(i), property);
    items.narrow(items.item(), document, scope);
    set_property_value(m, rows.at(i), property, document);
  }
}

RELATA_ENGINE_INLINE void load_include(const include_node& node) {
  local_conditions(node.b, node.target(), node.scope.where);
  node.relation.kind->load(node);
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
