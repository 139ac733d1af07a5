// relata/detail/embedded.hpp: what embedsOne and embedsMany (relation/embeds_one.hpp,
// relation/embeds_many.hpp) share: the document's JSON form, the owner row it lives in, and
// the one way it is written.
//
// An embedded document is one property of its owner: JSON text on SQLite, jsonb on PostgreSQL,
// the value itself in memory. Every write through an embedded repository is one
// compare-and-set of that property: read the document, change its items, then
// `UPDATE owner SET doc = new WHERE key = k AND doc = old` (or `doc IS NULL`), again from the
// read when another writer changed it in between. A concurrent writer is never lost, a change
// that throws (a refused id, an invalid item) writes nothing, and no connector needs row locks.
//
// Reads with a filter run the in-memory connector over the items, so that where, order,
// limit, skip and fields mean exactly what they mean on a table.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/embedded_condition.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/entity_storage.hpp>
#include <relata/detail/read_pipeline.hpp>
#include <relata/errors.hpp>
#include <relata/query.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

#if RELATA_DEFINE_ENGINE
#include <relata/json.hpp>
#include <relata/memory.hpp>
#endif

namespace relata::detail {

/// The JSON text of embedded items of model `item`: an array of their objects (`many`), or
/// the one object. Refuses (conversion_failure, which the property's writer turns into
/// invalid_data naming it) an item without a required property (read from JSON that left it
/// out), an item whose generated id was never assigned (0), and two items with one id: no item
/// is ever stored without an id.
json_text embedded_text(const model_definition& item,
                        std::span<const void* const> items,
                        bool many);
/// Appends the items of a stored document to `out` (an array's items; one object's one);
/// conversion_failure when they do not fit `item`.
void embedded_items(const model_definition& item, const json_text& document, entity_buffer& out);

/// The items of stored document `document` (json, or null) as rows of their properties'
/// values (embedded_document::rows); invalid_data when they do not fit `item`.
void embedded_rows(const model_definition& item,
                   const value& document,
                   std::vector<std::vector<value>>& out);

/// Keeps of `document` the items `scope` selects (embedded_document::narrow).
void narrow_embedded(const model_definition& item, value& document, const ast::filter& scope);

/// One owner's document: property `property` of the owner row with key `key`, holding items
/// of model `item` (an array of them when `many`).
struct embedded_place {
  shared_bindings bindings;
  const model_definition* owner;
  std::size_t property;
  std::vector<value> key;
  const model_definition* item;
  bool many;

  /// "Customer.emails", for messages.
  std::string property_name() const;
  datasource& source() const;
};

/// The owner's items, appended to `out`; ENTITY_NOT_FOUND when there is no such owner.
void read_embedded(const embedded_place& place, entity_buffer& out);
/// The owner's items matching `query` (where, order, limit, skip, fields), in `out`.
void find_embedded(const embedded_place& place, entity_buffer& out, const ast::filter& query);
/// How many of the owner's items match `where`.
std::uint64_t count_embedded(const embedded_place& place, const ast::node_ptr& where);
/// Positions in `items` (an embedsMany's, each with an id of its own) of the ones matching
/// `where` (every one for a null `where`).
std::vector<std::size_t> matching_embedded(const model_definition& item,
                                           const entity_buffer& items,
                                           const ast::node_ptr& where);
/// The position of the item with id `id` in `items`; npos when none has it.
std::size_t embedded_position(const model_definition& item,
                              const entity_buffer& items,
                              const value& id);
/// Gives `entity`, about to join `items`, its id: max + 1 for an unassigned generated integer
/// id (1 for an embedsOne's item); refuses (CONSTRAINT_VIOLATION) an id another item has.
/// Nothing for an item model without a single id.
void assign_embedded_id(const embedded_place& place, const entity_buffer& items, void* entity);

/// Makes `entity` (an item about to be added) refer to the target of `r`, a belongsTo of the
/// item model, with key `key`: sets its key_from; ENTITY_NOT_FOUND when there is no such
/// target (in the relation's scope).
void refer_embedded(const embedded_place& place,
                    const relation_definition& r,
                    const value& key,
                    void* entity);
/// Positions of the items that refer to the target with key `key` through `r`.
std::vector<std::size_t> referring_embedded(const model_definition& item,
                                            const entity_buffer& items,
                                            const relation_definition& r,
                                            const value& key);

/// Applies `change` to the owner's items and writes them back in one compare-and-set of the
/// owner row, again while other writers get in between. `change` may throw: nothing is then
/// written. ENTITY_NOT_FOUND when there is no such owner.
void modify_embedded(const embedded_place& place,
                     const std::function<void(entity_buffer& items)>& change);

/// ENTITY_NOT_FOUND for the item of `place` with `key` `value` ("id", "3"; "position", "5"),
/// or (an empty `key`) for an embedsOne's missing item.
[[noreturn]] void embedded_item_not_found(const embedded_place& place,
                                          std::string_view key = {},
                                          const std::string& value = {});

#if RELATA_DEFINE_ENGINE

namespace embedded_detail {
/// Whether an item's generated id still has its unassigned value.
inline bool unassigned_id(const model_definition& item, const void* entity) {
  if (item.primary_key.size() != 1) return false;
  const property_definition& id = item.properties[item.primary_key.front()];
  if (!id.generated) return false;
  const value v = property_value(item, entity, item.primary_key.front());
  return v.is_null() || (v.kind() == value_kind::integer && v.as_integer() == 0);
}

inline value id_of(const model_definition& item, const void* entity) {
  return property_value(item, entity, item.primary_key.front());
}

/// The in-memory database the filters on items run in: the items, as rows of their model.
struct scratch {
  memory::datasource db;
  shared_bindings bindings{db};
  // Reads the items' properties (their ids are assigned: nothing is written back to them).
  scratch(const model_definition& item, const entity_buffer& items) {
    std::vector<void*> rows;
    for (std::size_t i = 0; i < items.size(); ++i) rows.push_back(items.at(i));
    if (!rows.empty()) db.insert(item, rows);
  }
};
}  // namespace embedded_detail

RELATA_ENGINE_INLINE json_text embedded_text(const model_definition& item,
                                             std::span<const void* const> items,
                                             bool many) {
  const bool keyed = item.primary_key.size() == 1;
  std::unordered_set<value> ids;
  nlohmann::json array = nlohmann::json::array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string which = many ? "item " + std::to_string(i) : std::string("the item");
    try {
      check_required_given(item, items[i]);
    } catch (const error& e) {
      throw conversion_failure{which + ": " + e.what()};
    }
    if (keyed) {
      if (embedded_detail::unassigned_id(item, items[i])) {
        throw conversion_failure{which +
                                 " has no id; create items through the relation, which assigns "
                                 "one, or give each an id"};
      }
      const value id = embedded_detail::id_of(item, items[i]);
      if (!ids.insert(id).second) {
        throw conversion_failure{"two items have the id " + id.to_string()};
      }
    }
    if (!many) return json_text{json_property_text(entity_to_json(item, items[i]))};
    array.push_back(entity_to_json(item, items[i]));
  }
  return json_text{json_property_text(array)};
}

RELATA_ENGINE_INLINE void embedded_items(const model_definition& item,
                                         const json_text& document,
                                         entity_buffer& out) {
  auto parsed = parse_json_document(document.text);
  if (!parsed) throw conversion_failure{"the stored document is not JSON"};
  try {
    if (parsed->is_array()) {
      entities_from_json(item, *parsed, out);
    } else if (!parsed->is_null()) {
      entity_from_json(item, *parsed, out.emplace_back());
    }
  } catch (const error& e) {
    throw conversion_failure{std::string(item.name) + ": " + e.what()};
  }
}

RELATA_ENGINE_INLINE void embedded_rows(const model_definition& item,
                                        const value& document,
                                        std::vector<std::vector<value>>& out) {
  if (document.is_null()) return;
  entity_buffer items(*item.entity);
  try {
    embedded_items(item, document.as_json(), items);
  } catch (const conversion_failure& e) {
    throw invalid_data("an embedded document of " + std::string(item.name) + " items: " + e.what);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto& row = out.emplace_back();
    for (std::size_t p = 0; p < item.properties.size(); ++p) {
      row.push_back(property_value(item, items.at(i), p));
    }
  }
}

RELATA_ENGINE_INLINE std::string embedded_place::property_name() const {
  return std::string(owner->name) + "." + std::string(owner->properties[property].name);
}

RELATA_ENGINE_INLINE datasource& embedded_place::source() const {
  return bindings->source_of(*owner);
}

namespace embedded_detail {
/// The owner's stored document (null when absent); ENTITY_NOT_FOUND without an owner.
inline value read_document(const embedded_place& place) {
  auto document = read_property_by_key(place.source(), *place.owner, place.key, place.property);
  if (!document) throw entity_not_found(std::string(place.owner->name), describe_key(place.key));
  return std::move(*document);
}

inline void decode(const embedded_place& place, const value& document, entity_buffer& out) {
  if (document.is_null()) return;
  try {
    embedded_items(*place.item, document.as_json(), out);
  } catch (const conversion_failure& e) {
    throw invalid_data(place.property_name() + ": " + e.what);
  }
}
}  // namespace embedded_detail

RELATA_ENGINE_INLINE void read_embedded(const embedded_place& place, entity_buffer& out) {
  embedded_detail::decode(place, embedded_detail::read_document(place), out);
}

namespace embedded_detail {
/// The items `query` selects of `items` (where, order, limit, skip, fields; without an order,
/// the document's), into `out`.
inline void select_items(const model_definition& item,
                         const entity_buffer& items,
                         const ast::filter& query,
                         entity_buffer& out,
                         std::string_view property) {
  if (!query.include.empty()) {
    throw invalid_inclusion_filter(std::string(property) + ": embedded items take no include");
  }
  scratch scratch(item, items);
  select_query q;
  q.model = &item;
  q.where = query.where;
  // Without an order, the document's (the scratch table keeps insertion order).
  if (!query.order.empty()) q.order = full_order(item, query.order);
  q.limit = query.limit;
  q.skip = query.skip;
  q.columns = select_columns(item, query.fields, {}, nullptr);
  entity_collector collector{item, out, q.columns};
  scratch.db.select(q, collector);
}
}  // namespace embedded_detail

RELATA_ENGINE_INLINE void find_embedded(const embedded_place& place,
                                        entity_buffer& out,
                                        const ast::filter& query) {
  entity_buffer items(*place.item->entity);
  read_embedded(place, items);
  embedded_detail::select_items(*place.item, items, query, out, place.property_name());
}

RELATA_ENGINE_INLINE void narrow_embedded(const model_definition& item,
                                          value& document,
                                          const ast::filter& scope) {
  if (document.is_null()) return;
  entity_buffer items(*item.entity);
  entity_buffer kept(*item.entity);
  try {
    embedded_items(item, document.as_json(), items);
    embedded_detail::select_items(item, items, scope, kept, item.name);
    // Items read with fields may lack their ids: what is read is not checked as a write is.
    nlohmann::json array = nlohmann::json::array();
    for (std::size_t i = 0; i < kept.size(); ++i) array.push_back(entity_to_json(item, kept.at(i)));
    document = value(json_text{json_property_text(array)});
  } catch (const conversion_failure& e) {
    throw invalid_data("an embedded document of " + std::string(item.name) + " items: " + e.what);
  }
}

RELATA_ENGINE_INLINE std::uint64_t count_embedded(const embedded_place& place,
                                                  const ast::node_ptr& where) {
  entity_buffer items(*place.item->entity);
  read_embedded(place, items);
  return matching_embedded(*place.item, items, where).size();
}

RELATA_ENGINE_INLINE std::vector<std::size_t> matching_embedded(const model_definition& item,
                                                                const entity_buffer& items,
                                                                const ast::node_ptr& where) {
  std::vector<std::size_t> positions;
  if (where == nullptr) {
    for (std::size_t i = 0; i < items.size(); ++i) positions.push_back(i);
    return positions;
  }
  // The ids of the matching items, read from one scratch table of them (an embedsMany's
  // items have ids of their own: what is stored never lacks one or shares one).
  ast::filter ids;
  ids.where = where;
  ids.fields = ast::field_selection(item.primary_key, false);
  entity_buffer matched(*item.entity);
  embedded_detail::select_items(item, items, ids, matched, item.name);
  std::unordered_set<value> wanted;
  for (std::size_t i = 0; i < matched.size(); ++i) {
    wanted.insert(embedded_detail::id_of(item, matched.at(i)));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (wanted.contains(embedded_detail::id_of(item, items.at(i)))) positions.push_back(i);
  }
  return positions;
}

RELATA_ENGINE_INLINE std::size_t embedded_position(const model_definition& item,
                                                   const entity_buffer& items,
                                                   const value& id) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (embedded_detail::id_of(item, items.at(i)) == id) return i;
  }
  return npos;
}

RELATA_ENGINE_INLINE void assign_embedded_id(const embedded_place& place,
                                             const entity_buffer& items,
                                             void* entity) {
  const model_definition& item = *place.item;
  if (item.primary_key.size() != 1) return;
  if (embedded_detail::unassigned_id(item, entity)) {
    std::int64_t top = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const value id = embedded_detail::id_of(item, items.at(i));
      if (id.kind() == value_kind::integer) top = std::max(top, id.as_integer());
    }
    set_property_value(item, entity, item.primary_key.front(), value(top + 1));
    return;
  }
  const value id = embedded_detail::id_of(item, entity);
  if (embedded_position(item, items, id) != npos) {
    throw constraint_violation(place.property_name() + " of " + std::string(place.owner->name) +
                               " " + describe_key(place.key) + " already has an item with id " +
                               id.to_string());
  }
}

RELATA_ENGINE_INLINE void refer_embedded(const embedded_place& place,
                                         const relation_definition& r,
                                         const value& key,
                                         void* entity) {
  const model_definition& target = r.target();
  const ast::node_ptr exists = ast::make_and(equals(r.key_to, key), scope_condition(r, target));
  if (place.bindings->source_of(target).count(target, exists) == 0) {
    throw entity_not_found(
        std::string(target.name), std::string(target.properties[r.key_to].name), key.to_string());
  }
  set_property_value(*place.item, entity, r.key_from, key);
}

RELATA_ENGINE_INLINE std::vector<std::size_t> referring_embedded(const model_definition& item,
                                                                 const entity_buffer& items,
                                                                 const relation_definition& r,
                                                                 const value& key) {
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (property_value(item, items.at(i), r.key_from) == key) positions.push_back(i);
  }
  return positions;
}

RELATA_ENGINE_INLINE void modify_embedded(const embedded_place& place,
                                          const std::function<void(entity_buffer& items)>& change) {
  datasource& source = place.source();
  const std::string name = place.property_name();
  std::optional<value> missed;  // the document the last compare-and-set did not find
  for (;;) {
    value old_document = embedded_detail::read_document(place);
    if (missed && *missed == old_document) {
      // Unchanged, yet not matched: the connector cannot compare the document; retrying would
      // never end.
      throw connector_error("relata: the compare-and-set of " + name + " of " +
                            std::string(place.owner->name) + " " + describe_key(place.key) +
                            " did not match its unchanged document");
    }
    entity_buffer items(*place.item->entity);
    embedded_detail::decode(place, old_document, items);
    change(items);
    std::vector<const void*> pointers;
    for (std::size_t i = 0; i < items.size(); ++i) pointers.push_back(items.at(i));
    value new_document;  // an embedsOne without its item: NULL
    if (place.many || !pointers.empty()) {
      try {
        new_document = value(embedded_text(*place.item, pointers, place.many));
      } catch (const conversion_failure& e) {
        throw invalid_data(name + ": " + e.what);
      }
    }
    const ast::node_ptr unchanged = equals(place.property, old_document);
    const assignment set{place.property, std::move(new_document)};
    if (update_where(source,
                     *place.owner,
                     std::span(&set, 1),
                     ast::make_and(key_condition(*place.owner, place.key), unchanged)) > 0) {
      return;
    }
    // Another writer changed the document (or removed the owner): read it again.
    missed = std::move(old_document);
  }
}

RELATA_ENGINE_INLINE void embedded_item_not_found(const embedded_place& place,
                                                  std::string_view key,
                                                  const std::string& value) {
  const std::string items = std::string(place.item->name) + " in " + place.property_name();
  if (key.empty()) throw entity_not_found(items, "owner", describe_key(place.key));
  throw entity_not_found(
      items + " of " + std::string(place.owner->name) + " " + describe_key(place.key),
      std::string(key),
      value);
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
