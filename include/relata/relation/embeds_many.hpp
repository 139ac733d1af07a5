// relata/relation/embeds_many.hpp: embedsMany: items of a model kept as an array in one
// column of their owner's row (JSON text on SQLite, jsonb on PostgreSQL), and the repository
// `customers.emails(id)` that reads and writes them.
//
//     struct Email { RELATA_MODEL(Email, (relata::id<std::int64_t>, id), (std::string, address));
//     }; (relata::embeds_many<Email>, emails)                 // a std::vector<Email>, stored
//
//     auto emails = customers.emails(ada.id);
//     emails.create({.address = "ada@example.com"});       // id: the largest + 1
//     emails.find({.where = relata::col(&Email::address).like("%@example.com")});
//     emails.update_by_id(1, {{&Email::address, "ada@lovelace.org"}});
//
// Every write is one compare-and-set of the owner row (detail/embedded.hpp): atomic, and no
// concurrent writer is lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/detail/embedded.hpp>
#include <relata/detail/keys.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/relation/belongs_to.hpp>
#include <relata/relation/traits.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata {

namespace detail {
template <class Item, bool Ok>
struct check_embedded_item_is_model {
  static_assert(Ok, "relata: embeds_one<T> and embeds_many<T> need T declared with RELATA_MODEL");
  static constexpr bool value = Ok;
};
template <class Item, auto Relation, bool Ok>
struct check_embedded_reference {
  static_assert(Ok,
                "relata: add<&Item::relation> and remove<&Item::relation> name a belongs_to "
                "member of the embedded item model");
  static constexpr bool value = Ok;
};
template <class Item, bool Ok>
struct check_embedded_items_have_one_id {
  static_assert(Ok,
                "relata: the items of an embeds_many<T> need an id, one property declared "
                "relata::id<...>: find_by_id, update_by_id and delete_by_id find items by it");
  static constexpr bool value = Ok;
};
template <class Item>
consteval bool has_one_id() {
  if constexpr (model<Item>) {
    return id_members<Item>().count == 1;
  } else {
    return true;  // reported as not a model
  }
}

/// Whether member Member of Item is a belongs_to.
template <class Item, std::size_t Member>
consteval bool is_belongs_to_member() {
  if constexpr (Member < member_count<Item>) {
    if constexpr (relation_flags<Item>[Member]) {
      return std::is_same_v<typename relation_traits_for<Item, Member>::kind, belongs_to_kind>;
    }
  }
  return false;
}
/// The belongs_to member `Relation` of embedded item model Item, by which an embedsMany's add
/// and remove refer to another model.
template <class Item, auto Relation>
struct embedded_reference {
  static constexpr std::size_t member = member_index<Item, Relation>;
  static constexpr bool ok = is_belongs_to_member<Item, member>();
  static_assert(check_embedded_reference<Item, Relation, ok>::value);
  using key_type = typename relation_traits_for<Item, member>::key_from_type;
  static const relation_definition& definition() {
    return definition_of<Item>().relations[relation_index_of_member<Item>(member)];
  }
};

/// The place of an owner's embedded document, from the owner's key.
template <class Owner, class Item, class Key>
embedded_place embedded_place_of(const shared_bindings& b,
                                 std::size_t property,
                                 const Key& key,
                                 bool many) {
  return embedded_place{b,
                        &definition_of<Owner>(),
                        property,
                        id_argument<Owner>(key).values(),
                        &definition_of<Item>(),
                        many};
}
}  // namespace detail

template <model Owner, model Item>
class embeds_many_repository;

/// Items of model T kept in an array in the owner's row: a std::vector<T> that is stored (the
/// column `migrate` creates) and read with the owner, and whose repository
/// (`customers.emails(id)`) writes items one at a time. T needs an id: an unassigned generated
/// integer id is assigned by `create`; an item without one is never stored.
template <class T>
class embeds_many : public std::vector<T>, public detail::embedded_tag {
 public:
  using std::vector<T>::vector;
  using target_type = T;
  embeds_many() = default;
  embeds_many(std::vector<T> items) : std::vector<T>(std::move(items)) {}  // NOLINT

  /// `customers.emails(key)`: what repository<Owner>'s accessor returns.
  template <class Owner, class Key>
  static embeds_many_repository<Owner, T> access(const detail::shared_bindings& b,
                                                 std::size_t property,
                                                 const Key& key) {
    return embeds_many_repository<Owner, T>(
        detail::embedded_place_of<Owner, T>(b, property, key, true));
  }
  /// What relata::some, none and every build on the items (filter.hpp).
  static ast::node_ptr item_condition(const model_definition& owner,
                                      std::size_t property,
                                      ast::quantifier quantity,
                                      ast::node_ptr where) {
    return detail::embedded_condition(owner, property, quantity, std::move(where));
  }
};

/// The items embedded in one owner. Reads take filters as a repository's do (where, order,
/// limit, skip, fields); without an order, items come in the document's order. Writes change
/// the owner's document in one atomic step: a refused write leaves it as it was.
template <model Owner, model Item>
class embeds_many_repository {
 public:
  explicit embeds_many_repository(detail::embedded_place place) : place_(std::move(place)) {}

  /// The items matching the filter.
  entities<Item> find(const filter<Item>& f = {}) const {
    entities<Item> out;
    detail::find_embedded(place_, detail::buffer_of(out), f.lower());
    return out;
  }
  /// The first item matching the filter, if any.
  std::optional<Item> find_one(filter<Item> f = {}) const {
    f.limit = 1;
    auto found = find(f);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }
  /// The item with id `id`; ENTITY_NOT_FOUND when the owner has none.
  Item find_by_id(const detail::id_argument<Item>& id) const {
    auto items = all();
    const auto at = position(items, id);
    if (at == npos) detail::embedded_item_not_found(place_, "id", id.values().front().to_string());
    return std::move(items[at]);
  }
  /// Whether the owner has an item with id `id`.
  bool exists(const detail::id_argument<Item>& id) const { return position(all(), id) != npos; }
  /// How many items match `w`.
  std::uint64_t count(const where<Item>& w = {}) const {
    return detail::count_embedded(place_, w.node());
  }
  /// The item at `index` in the document's order; ENTITY_NOT_FOUND past the end.
  Item at(std::size_t index) const {
    auto items = all();
    if (index >= items.size()) {
      detail::embedded_item_not_found(place_, "position", std::to_string(index));
    }
    return std::move(items[index]);
  }

  /// An item, not stored (LoopBack's build).
  Item build(Item data = {}) const { return data; }
  /// Adds an item: an unassigned generated integer id becomes the largest id + 1; an id
  /// another item has is refused (CONSTRAINT_VIOLATION).
  Item create(const Item& item) const {
    Item created;
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      created = item;  // again from the caller's item when another writer got in first
      add(items, created);
    });
    return created;
  }
  /// Adds several items, in one write: all or none.
  std::vector<Item> create_all(const std::vector<Item>& added) const {
    std::vector<Item> created;
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      created = added;
      for (auto& item : created) add(items, item);
    });
    return created;
  }
  /// Adds an item that refers to another model (LoopBack 3's embedsMany `add`): `Relation` is a
  /// belongs_to member of the item model, whose key is set to `key`; the target must exist
  /// (ENTITY_NOT_FOUND otherwise). `people.links(id).add<&Link::book>(book.id, {.note = "x"})`
  template <auto Relation>
  Item add(const typename detail::embedded_reference<Item, Relation>::key_type& key,
           Item data = {}) const {
    const value k = detail::to_value(key);
    detail::refer_embedded(
        place_, detail::embedded_reference<Item, Relation>::definition(), k, &data);
    return create(data);
  }
  /// Removes the items that refer to the target with key `key` through belongs_to member
  /// `Relation` (LoopBack 3's `remove`); returns how many.
  template <auto Relation>
  std::uint64_t remove(
      const typename detail::embedded_reference<Item, Relation>::key_type& key) const {
    const value k = detail::to_value(key);
    std::uint64_t removed = 0;
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      const auto referring =
          detail::referring_embedded(definition_of<Item>(),
                                     items,
                                     detail::embedded_reference<Item, Relation>::definition(),
                                     k);
      for (auto i = referring.rbegin(); i != referring.rend(); ++i) items.erase(*i, *i + 1);
      removed = referring.size();
    });
    return removed;
  }

  /// Changes the item with id `id` (not its id); ENTITY_NOT_FOUND when there is none.
  void update_by_id(const detail::id_argument<Item>& id, const changes<Item>& data) const {
    detail::check_no_key_change(definition_of<Item>(), data.assignments());
    detail::modify_embedded(
        place_, [&](detail::entity_buffer& items) { apply(data, items.at(found(items, id))); });
  }
  /// Replaces the item with id `id`; `item`'s id must be it, or unassigned (CONSTRAINT_VIOLATION
  /// otherwise).
  void replace_by_id(const detail::id_argument<Item>& id, Item item) const {
    const model_definition& def = definition_of<Item>();
    const value key = id.values().front();
    const value given = detail::property_value(def, &item, id_property());
    const Item unassigned{};
    if (given != key && given != detail::property_value(def, &unassigned, id_property())) {
      throw constraint_violation(place_.property_name() + ": replace_by_id(" + key.to_string() +
                                 ") was given an item with id " + given.to_string());
    }
    detail::set_property_value(def, &item, id_property(), key);
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      *static_cast<Item*>(items.at(found(items, id))) = item;
    });
  }
  /// Changes the items matching `w` (not their ids); returns how many.
  std::uint64_t update_all(const changes<Item>& data, const where<Item>& w = {}) const {
    detail::check_no_key_change(definition_of<Item>(), data.assignments());
    std::uint64_t changed = 0;
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      const auto matching = detail::matching_embedded(definition_of<Item>(), items, w.node());
      for (auto i : matching) apply(data, items.at(i));
      changed = matching.size();
    });
    return changed;
  }
  /// update_all, by LoopBack 4's name for it on relations.
  std::uint64_t patch(const changes<Item>& data, const where<Item>& w = {}) const {
    return update_all(data, w);
  }
  /// Removes the item with id `id`; ENTITY_NOT_FOUND when there is none.
  void delete_by_id(const detail::id_argument<Item>& id) const {
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      const auto at = found(items, id);
      items.erase(at, at + 1);
    });
  }
  /// Removes the items matching `w`; returns how many.
  std::uint64_t delete_all(const where<Item>& w = {}) const {
    std::uint64_t removed = 0;
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      const auto matching = detail::matching_embedded(definition_of<Item>(), items, w.node());
      for (auto i = matching.rbegin(); i != matching.rend(); ++i) items.erase(*i, *i + 1);
      removed = matching.size();
    });
    return removed;
  }

 private:
  static std::size_t id_property() { return definition_of<Item>().primary_key.front(); }
  entities<Item> all() const {
    entities<Item> out;
    detail::read_embedded(place_, detail::buffer_of(out));
    return out;
  }
  static std::size_t position(const entities<Item>& items, const detail::id_argument<Item>& id) {
    return detail::embedded_position(
        definition_of<Item>(), detail::buffer_of(items), id.values().front());
  }
  std::size_t found(const detail::entity_buffer& items, const detail::id_argument<Item>& id) const {
    const auto at = detail::embedded_position(definition_of<Item>(), items, id.values().front());
    if (at == npos) detail::embedded_item_not_found(place_, "id", id.values().front().to_string());
    return at;
  }
  void add(detail::entity_buffer& items, Item& item) const {
    detail::assign_embedded_id(place_, items, &item);
    new (items.slot_back()) Item(item);
    items.added_back();
  }
  static void apply(const changes<Item>& data, void* item) {
    for (const auto& a : data.assignments()) {
      detail::set_property_value(definition_of<Item>(), item, a.property, a.new_value);
    }
  }

  detail::embedded_place place_;
};

/// embeds_many<T> is stored as the JSON array of its items (NULL reads as none).
template <class T>
struct value_traits<embeds_many<T>> {
  static_assert(detail::check_embedded_item_is_model<T, model<T>>::value);
  static_assert(detail::check_embedded_items_have_one_id<T, detail::has_one_id<T>()>::value);
  using stored_type = std::optional<json_text>;
  static constexpr embedded_document embedded{
      &definition_of<T>, true, &detail::embedded_rows, &detail::narrow_embedded};
  static json_text to_stored(const embeds_many<T>& items) {
    std::vector<const void*> pointers;
    pointers.reserve(items.size());
    for (const auto& item : items) pointers.push_back(&item);
    return detail::embedded_text(definition_of<T>(), pointers, true);
  }
  static embeds_many<T> from_stored(std::optional<json_text> document) {
    embeds_many<T> out;
    if (!document) return out;
    entities<T> items;
    detail::embedded_items(definition_of<T>(), *document, detail::buffer_of(items));
    out.reserve(items.size());
    for (auto& item : items) out.push_back(std::move(item));
    return out;
  }
};

}  // namespace relata
