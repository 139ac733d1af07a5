// relata/relation/embeds_one.hpp: embedsOne: one item of a model kept in a column of its
// owner's row (JSON text on SQLite, jsonb on PostgreSQL; NULL when absent), and the repository
// `customers.billing(id)` that reads and writes it.
//
//     (relata::embeds_one<Address>, billing)                 // a std::optional<Address>, stored
//
//     customers.billing(ada.id).create({.street = "1 Main St", .city = "Paris"});
//     customers.billing(ada.id).update({{&Address::city, "London"}});
//     customers.billing(ada.id).unset();
//
// Every write is one compare-and-set of the owner row (detail/embedded.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/detail/embedded.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/value.hpp>

namespace relata {

template <model Owner, model Item>
class embeds_one_repository;

/// One item of model T kept in the owner's row: a std::optional<T> that is stored (the
/// nullable column `migrate` creates) and read with the owner, and whose repository
/// (`customers.billing(id)`) writes it. T needs no id.
template <class T>
class embeds_one : public std::optional<T>, public detail::embedded_tag {
 public:
  using std::optional<T>::optional;
  using std::optional<T>::operator=;
  using target_type = T;
  embeds_one() = default;
  embeds_one(std::optional<T> item) : std::optional<T>(std::move(item)) {}  // NOLINT

  /// `customers.billing(key)`: what repository<Owner>'s accessor returns.
  template <class Owner, class Key>
  static embeds_one_repository<Owner, T> access(const detail::shared_bindings& b,
                                                std::size_t property,
                                                const Key& key) {
    return embeds_one_repository<Owner, T>(
        detail::embedded_place_of<Owner, T>(b, property, key, false));
  }
};

/// The item embedded in one owner. Writes change the owner's document in one atomic step: a
/// refused write leaves it as it was.
template <model Owner, model Item>
class embeds_one_repository {
 public:
  explicit embeds_one_repository(detail::embedded_place place) : place_(std::move(place)) {}

  /// The item; ENTITY_NOT_FOUND when the owner has none.
  Item get() const {
    auto item = find_one();
    if (!item) detail::embedded_item_not_found(place_);
    return std::move(*item);
  }
  /// The item, if the owner has one.
  std::optional<Item> find_one() const {
    entities<Item> items;
    detail::read_embedded(place_, detail::buffer_of(items));
    if (items.empty()) return std::nullopt;
    return std::move(items.front());
  }
  /// Whether the owner has the item.
  bool exists() const { return find_one().has_value(); }

  /// An item, not stored (LoopBack's build).
  Item build(Item data = {}) const { return data; }
  /// Stores the item (an unassigned generated integer id becomes 1); CONSTRAINT_VIOLATION when
  /// the owner has one already (replace it, or unset it first).
  Item create(const Item& item) const {
    Item created;
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      if (!items.empty()) {
        throw constraint_violation(place_.property_name() + " of " +
                                   std::string(place_.owner->name) + " " +
                                   detail::describe_key(place_.key) + " already holds an item");
      }
      created = item;
      detail::assign_embedded_id(place_, items, &created);
      new (items.slot_back()) Item(created);
      items.added_back();
    });
    return created;
  }
  /// Changes properties of the item; ENTITY_NOT_FOUND when the owner has none.
  void update(const changes<Item>& data) const {
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      if (items.empty()) detail::embedded_item_not_found(place_);
      for (const auto& a : data.assignments()) {
        detail::set_property_value(definition_of<Item>(), items.at(0), a.property, a.new_value);
      }
    });
  }
  /// Stores `item` in place of the owner's (or as its first).
  void replace(const Item& item) const {
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      items.clear();
      Item stored = item;
      detail::assign_embedded_id(place_, items, &stored);
      new (items.slot_back()) Item(std::move(stored));
      items.added_back();
    });
  }
  /// Removes the item (the column becomes NULL); returns whether there was one.
  bool unset() const {
    bool had = false;
    detail::modify_embedded(place_, [&](detail::entity_buffer& items) {
      had = !items.empty();
      items.clear();
    });
    return had;
  }

 private:
  detail::embedded_place place_;
};

/// embeds_one<T> is stored as its item's JSON object, NULL when it has none.
template <class T>
struct value_traits<embeds_one<T>> {
  static_assert(detail::check_embedded_item_is_model<T, model<T>>::value);
  using stored_type = std::optional<json_text>;
  static constexpr embedded_document embedded{
      &definition_of<T>, false, &detail::embedded_rows, &detail::narrow_embedded};
  static std::optional<json_text> to_stored(const embeds_one<T>& item) {
    if (!item) return std::nullopt;
    const void* one[] = {&*item};
    return detail::embedded_text(definition_of<T>(), one, false);
  }
  static embeds_one<T> from_stored(std::optional<json_text> document) {
    if (!document) return {};
    entities<T> items;
    detail::embedded_items(definition_of<T>(), *document, detail::buffer_of(items));
    if (items.empty()) return {};
    return embeds_one<T>(std::move(items.front()));
  }
};

}  // namespace relata
