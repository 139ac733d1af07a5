// relata/schema.hpp: the runtime schema. A model_definition describes one model as the engine
// and the connectors see it: its table, its properties (columns, kinds, and type-erased access
// to them in an entity) and its relations (keys, and where their targets are kept in an
// entity). Built once per model from its compile-time declaration (model.hpp, definition_of).
//
// What a relation kind does (loading, conditions, constraints) is not here: each relation
// points at its kind's descriptor (relation/kind.hpp).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/entity_storage.hpp>
#include <relata/value.hpp>

namespace relata {

struct model_definition;
class relation_kind;
namespace ast {
struct filter;  // query.hpp
}  // namespace ast

/// Yields a model's definition; relations hold these so that mutually referring models can
/// be defined in any order.
using definition_getter = const model_definition& (*)();

/// What the engine knows of an embedded document property (relation/embeds_many.hpp): the
/// model of its items, and how to read them, for relation conditions on the items and for the
/// connectors that evaluate those themselves.
struct embedded_document {
  definition_getter item;
  bool many;  ///< an array of items (embedsMany), or one item or NULL (embedsOne)
  /// Appends the items of stored document `document` (json, or null) to `out`, each as the
  /// values of its properties.
  void (*rows)(const model_definition& item,
               const value& document,
               std::vector<std::vector<value>>& out);
  /// Keeps of stored document `document` the items `scope` selects (its where, order, limit,
  /// skip and fields), for an include of the property with a scope.
  void (*narrow)(const model_definition& item, value& document, const ast::filter& scope);
};

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

namespace detail {
/// Which properties of an entity hold a value that was read or given: RELATA_MODEL adds one to
/// every model (`relata_presence`), so that JSON writes only those (LoopBack leaves the rest
/// out). Bit p set: property p was left out, by a find's `fields` or by the JSON the entity
/// was read from (properties past the 64th are always present). Zero, an entity built in C++,
/// has them all. A mask in the entity rather than
/// a side table keeps it with the entity through copies, moves and containers, for 8 bytes and
/// no code per model; it always compares equal, so a user's defaulted == and <=> still compare
/// what they did.
struct presence {
  std::uint64_t absent = 0;
  friend constexpr bool operator==(const presence&, const presence&) noexcept { return true; }
  friend constexpr std::strong_ordering operator<=>(const presence&, const presence&) noexcept {
    return std::strong_ordering::equal;
  }
};
}  // namespace detail

/// How one C++ property type is stored, type-erased: its kind and its conversions, working on
/// the member itself. One per type (`detail::codec_of<T>`), shared by every model using it.
struct value_codec {
  value_kind kind;
  value_kind element_kind;  ///< for arrays: the elements' kind
  bool nullable;            ///< std::optional
  void (*write)(const void* member, value_sink& out);
  void (*read)(void* member, const row& in, std::size_t column);
  void (*clear)(void* member);
  /// Assigns `source` to `target` (two members of type T), moving from it when `move`.
  void (*transfer)(void* target, void* source, bool move);
  /// For an embedded document (relation/embeds_one.hpp, embeds_many.hpp): its items; else null.
  const embedded_document* embedded = nullptr;
};

/// One stored property, with type-erased access to it in an entity of the model.
struct property_definition {
  std::string_view model;  ///< the C++ model name, for messages
  std::string_view name;   ///< the C++ member name
  std::string column;      ///< the database column
  value_kind kind;
  value_kind element_kind;  ///< for arrays: the elements' kind
  bool nullable;            ///< std::optional
  bool is_id;
  bool generated;    ///< the database assigns it
  bool has_default;  ///< relata::default_value gives it `default_value`
  value default_value;
  bool column_given;   ///< named by relata::column (no naming policy applies)
  std::size_t member;  ///< position among all members (properties and relations)
  std::size_t offset;  ///< of the member in an entity
  const value_codec* codec;

  /// Writes this property of `entity` into `out`; throws invalid_data naming it.
  void write(const void* entity, value_sink& out) const;
  /// Reads column `column` of `in` into this property of `entity`; throws invalid_data naming
  /// it (a NULL for a non-optional property, an integer that does not fit).
  void read(void* entity, const row& in, std::size_t column) const;
  /// Resets this property of `entity` to its default value.
  void clear(void* entity) const { codec->clear(static_cast<char*>(entity) + offset); }

 private:
  [[noreturn]] void fail(const std::string& what) const;
};

/// What deleting a row does to the rows that refer to it by a foreign key: refuse the delete
/// (the default), delete them too, or set their key to null.
enum class delete_rule : unsigned char { restrict, cascade, set_null };

/// One relation, resolved: its kind, and the keys that join the source to the target
/// (through a link model for a hasManyThrough).
struct relation_definition {
  std::string_view name;
  /// The declaring (source) model's name.
  std::string_view source;
  /// What the kind does at run time (relation/kind.hpp).
  const relation_kind* kind;
  definition_getter target;
  std::size_t key_from;                 ///< property of the source
  std::size_t key_to;                   ///< property of the target
  definition_getter through = nullptr;  ///< the link model of a hasManyThrough
  std::size_t through_key_from = npos;  ///< link property holding the source's key_from
  std::size_t through_key_to = npos;    ///< link property holding the target's key_to
  std::size_t member;                   ///< position among the source's members
  std::size_t offset;                   ///< of the relation member in an entity
  /// Where, in a source entity, the relation member keeps its targets (a
  /// detail::entity_buffer when `to_many`, a detail::mixed_entities when it is also
  /// polymorphic, else a detail::owned_entity) and its "loaded"
  /// flag: the engine works on them directly, the same code for every model.
  std::size_t targets_offset;
  std::size_t loaded_offset;
  /// Whether the member holds any number of targets, not at most one (from its C++ type).
  bool to_many;
  /// What deleting a source does to its targets (or to its links, through a link model).
  delete_rule on_delete = delete_rule::restrict;
  /// Declared with relata::disable_include: an include naming it is refused.
  bool include_disabled = false;
  /// What relata::copy_property and relata::properties_from take from a source entity into
  /// an entity the relation's accessor creates (a target; a hasManyThrough's link); null:
  /// nothing.
  void (*copy_properties)(const void* source, void* target) = nullptr;
  /// The properties relata::copy_property names on what it copies into, stamped even when
  /// the copied value is the property's default (npos entries: another option's place).
  std::span<const std::size_t> copied_properties{};
  /// The relation's own scope (relata::scope), a filter on the target that every read and
  /// write through the relation applies (ast::merge_scope); null: none.
  const ast::filter* (*scope)() = nullptr;
  /// The property naming which model a polymorphic key refers to, or npos: on the target for
  /// an "as" relation (holding the source model's name), on the source for a polymorphic
  /// belongsTo (holding the target model's name).
  std::size_t discriminator = npos;
  /// A polymorphic relation's target models (its target is one of them), in declaration
  /// order, and the property of each that its key refers to; empty otherwise (`target` and
  /// `key_to` then). `target` is the first of them.
  std::span<const definition_getter> targets{};
  std::span<const std::size_t> target_keys{};
  /// Where a polymorphic to-one member keeps the position in `targets` of its target's model.
  std::size_t index_offset = npos;

  bool is_loaded(const void* source) const {
    return *reinterpret_cast<const bool*>(static_cast<const char*>(source) + loaded_offset);
  }
  /// Back to "not loaded", with no targets.
  void unload(void* source) const;
  /// Marks the relation loaded and empty (to-many: no items; to-one: none).
  void set_empty(void* source) const;
  /// Adds a target (an entity of `model`, the target model or one of a polymorphic
  /// relation's) to the loaded relation: appended to a to-many, set for a to-one. Moves from
  /// `target` when `move` is true.
  void attach(void* source, const model_definition& model, void* target, bool move) const;
  /// Moves the whole relation member of `source` (targets and flag) into that of `target`.
  void take(void* target, void* source) const;
  /// Room for `count` more targets in a to-many relation, before attaching them; no-op
  /// otherwise.
  void reserve(void* source, std::size_t count) const;
  /// The loaded targets of `source`: calls f(target, its model, context) for each.
  void for_each_loaded(void* source,
                       void (*f)(void* target, const model_definition& model, void* context),
                       void* context) const;
  /// Whether the target is one of several models (`targets`).
  bool polymorphic() const noexcept { return !targets.empty(); }
  /// The position in `targets` of the model named `model_name`, or npos.
  std::size_t target_index(std::string_view model_name) const;
  /// "Customer, Supplier": the names of `targets`, for messages.
  std::string target_names() const;

 private:
  bool& loaded(void* source) const {
    return *reinterpret_cast<bool*>(static_cast<char*>(source) + loaded_offset);
  }
  detail::entity_buffer& many(void* source) const {
    return *reinterpret_cast<detail::entity_buffer*>(static_cast<char*>(source) + targets_offset);
  }
  /// A polymorphic to-many relation's targets.
  detail::mixed_entities& mixed(void* source) const {
    return *reinterpret_cast<detail::mixed_entities*>(static_cast<char*>(source) + targets_offset);
  }
  detail::owned_entity& one(void* source) const {
    return *reinterpret_cast<detail::owned_entity*>(static_cast<char*>(source) + targets_offset);
  }
  std::size_t& index(void* source) const {
    return *reinterpret_cast<std::size_t*>(static_cast<char*>(source) + index_offset);
  }
};

/// One of a model's named scopes (relata::named_scope): its name, and its filter, lowered once.
struct named_scope_definition {
  std::string_view name;
  const ast::filter* (*filter)();
};

/// The runtime description of a model that connectors and the relation engine work from.
/// Built once per model from its compile-time declaration (see `definition_of`).
struct model_definition {
  std::string_view name;     ///< the C++ model name
  std::string table;         ///< the database table
  bool table_given = false;  ///< named by relata::table (no naming policy applies)
  std::vector<property_definition> properties;
  std::vector<relation_definition> relations;
  std::vector<std::size_t> primary_key;  ///< property indexes
  std::size_t generated_key = npos;      ///< the property the database assigns, if any
  const entity_ops* entity = nullptr;    ///< constructs, copies, destroys its entities
  std::size_t presence_offset = npos;    ///< of the entity's detail::presence
  /// Its unique keys (relata::unique), each a list of property indexes in declared order.
  std::vector<std::vector<std::size_t>> unique_keys;
  /// Its default scope (relata::default_scope), a filter every query on the model applies,
  /// and every relation targeting it; null: none.
  const ast::filter* (*default_scope)() = nullptr;
  /// Its named scopes (relata::named_scope), in declaration order: what
  /// `repository::scope(name)` finds by name.
  std::span<const named_scope_definition> named_scopes{};

  /// Whether property `property` of `entity` was read or given (see detail::presence).
  bool present(const void* entity, std::size_t property) const noexcept {
    return presence_offset == npos || (presence_of(entity).absent & presence_bit(property)) == 0;
  }
  /// Marks property `property` of `entity` as read or given, or as left out.
  void mark(void* entity, std::size_t property, bool is_present) const noexcept {
    if (presence_offset == npos) return;
    auto& mask = presence_of(entity).absent;
    const std::uint64_t bit = presence_bit(property);
    mask = is_present ? (mask & ~bit) : (mask | bit);
  }
  /// Marks every property of `entity` as read or given.
  void mark_all(void* entity) const noexcept {
    if (presence_offset != npos) presence_of(entity).absent = 0;
  }
  /// Marks `properties` of `entity` as read, and every other property as left out.
  void mark_only(void* entity, std::span<const std::size_t> read) const noexcept {
    if (presence_offset == npos) return;
    std::uint64_t absent =
        properties.size() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << properties.size()) - 1;
    for (auto p : read) absent &= ~presence_bit(p);
    presence_of(entity).absent = absent;
  }
  /// Property `property`'s bit in a detail::presence mask: none past the 64th property, which
  /// is always present (read by every find, written to every JSON).
  static constexpr std::uint64_t presence_bit(std::size_t property) noexcept {
    return property < 64 ? std::uint64_t{1} << property : 0;
  }
  /// Property `property` of `entity` back to its default value, and left out.
  void forget(void* entity, std::size_t property) const {
    properties[property].clear(entity);
    mark(entity, property, false);
  }
  /// Whether a write needs property `property` of an entity given: not optional, not an id
  /// the database assigns, and not an array or a JSON document, whose empty value ([] and
  /// null) is a value, not a placeholder (LoopBack does not require them either). (Reading
  /// JSON fills the declared defaults, so what a JSON body must have is these, less those with
  /// a relata::default_value.)
  bool required(std::size_t property) const noexcept {
    const auto& p = properties[property];
    return !p.nullable && !p.generated && p.kind != value_kind::array && p.kind != value_kind::json;
  }

  /// Index of the property named `property_name` (C++ member name), or npos.
  std::size_t find_property(std::string_view property_name) const noexcept {
    for (std::size_t i = 0; i < properties.size(); ++i) {
      if (properties[i].name == property_name) return i;
    }
    return npos;
  }
  /// The relation named `relation_name`, or nullptr.
  const relation_definition* find_relation(std::string_view relation_name) const noexcept {
    for (const auto& r : relations) {
      if (r.name == relation_name) return &r;
    }
    return nullptr;
  }
  /// The named scope called `scope_name`, or nullptr.
  const named_scope_definition* find_scope(std::string_view scope_name) const noexcept {
    for (const auto& s : named_scopes) {
      if (s.name == scope_name) return &s;
    }
    return nullptr;
  }
  /// "Customer.name": for messages.
  std::string describe(std::size_t property) const;

 private:
  detail::presence& presence_of(void* entity) const noexcept {
    return *reinterpret_cast<detail::presence*>(static_cast<char*>(entity) + presence_offset);
  }
  const detail::presence& presence_of(const void* entity) const noexcept {
    return *reinterpret_cast<const detail::presence*>(static_cast<const char*>(entity) +
                                                      presence_offset);
  }
};

/// Makes `target`, a default entity of model `m`, equal to `source`: properties and loaded
/// relations, recursively; moves from `source` when `move`.
void transfer_entity(const model_definition& m, void* target, void* source, bool move);

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE void property_definition::write(const void* entity, value_sink& out) const {
  try {
    codec->write(static_cast<const char*>(entity) + offset, out);
  } catch (const detail::conversion_failure& failure) {
    fail(failure.what);
  }
}

RELATA_ENGINE_INLINE void property_definition::read(void* entity,
                                                    const row& in,
                                                    std::size_t column) const {
  if (!nullable && !in.getters_refuse_null() && in.is_null(column)) {
    fail(detail::null_for_required);
  }
  try {
    codec->read(static_cast<char*>(entity) + offset, in, column);
  } catch (const detail::conversion_failure& failure) {
    fail(failure.what);
  } catch (const invalid_data& failure) {
    fail(std::string(failure.message()));
  }
}

RELATA_ENGINE_INLINE void property_definition::fail(const std::string& what) const {
  throw invalid_data("property " + std::string(name) + " of model " + std::string(model) + ": " +
                     what);
}

RELATA_ENGINE_INLINE std::string model_definition::describe(std::size_t property) const {
  return std::string(name) + "." + std::string(properties[property].name);
}

RELATA_ENGINE_INLINE void transfer_entity(const model_definition& m,
                                          void* target,
                                          void* source,
                                          bool move) {
  char* const to = static_cast<char*>(target);
  char* const from = static_cast<char*>(source);
  for (const auto& p : m.properties) p.codec->transfer(to + p.offset, from + p.offset, move);
  if (m.presence_offset != npos) {
    *reinterpret_cast<detail::presence*>(to + m.presence_offset) =
        *reinterpret_cast<const detail::presence*>(from + m.presence_offset);
  }
  for (const auto& r : m.relations) {
    if (move) {
      r.take(target, source);
    } else if (r.is_loaded(source)) {
      r.set_empty(target);
      struct copy_into {
        const relation_definition* relation;
        void* target;
      } context{&r, target};
      r.for_each_loaded(
          source,
          [](void* child, const model_definition& model, void* c) {
            auto& cx = *static_cast<copy_into*>(c);
            cx.relation->attach(cx.target, model, child, false);
          },
          &context);
    }
  }
}

RELATA_ENGINE_INLINE void relation_definition::unload(void* source) const {
  if (to_many && polymorphic()) {
    mixed(source).clear();
  } else if (to_many) {
    many(source).clear();
  } else {
    one(source).reset();
  }
  loaded(source) = false;
}

RELATA_ENGINE_INLINE void relation_definition::set_empty(void* source) const {
  unload(source);
  loaded(source) = true;
}

RELATA_ENGINE_INLINE void relation_definition::attach(void* source,
                                                      const model_definition& model,
                                                      void* target_entity,
                                                      bool move) const {
  void* added = nullptr;
  if (to_many && polymorphic()) {
    added = mixed(source).emplace_back(*model.entity, target_index(model.name));
  } else if (to_many) {
    added = many(source).emplace_back();
  } else if (index_offset != npos) {
    added = one(source).emplace(*model.entity);
    index(source) = target_index(model.name);
  } else {
    added = one(source).emplace();
  }
  loaded(source) = true;
  transfer_entity(model, added, target_entity, move);
}

RELATA_ENGINE_INLINE void relation_definition::take(void* target_entity, void* source) const {
  if (to_many && polymorphic()) {
    mixed(target_entity) = std::move(mixed(source));
  } else if (to_many) {
    many(target_entity) = std::move(many(source));
  } else {
    one(target_entity) = std::move(one(source));
    if (index_offset != npos) index(target_entity) = index(source);
  }
  loaded(target_entity) = loaded(source);
}

RELATA_ENGINE_INLINE void relation_definition::reserve(void* source, std::size_t count) const {
  if (to_many && polymorphic()) {
    mixed(source).reserve(mixed(source).size() + count);
  } else if (to_many) {
    many(source).reserve(many(source).size() + count);
  }
}

RELATA_ENGINE_INLINE void relation_definition::for_each_loaded(
    void* source, void (*f)(void*, const model_definition&, void*), void* context) const {
  if (!is_loaded(source)) return;
  if (to_many && polymorphic()) {
    auto& held = mixed(source);
    for (std::size_t i = 0; i < held.size(); ++i) f(held.at(i), targets[held.model(i)](), context);
  } else if (to_many) {
    auto& held = many(source);
    for (std::size_t i = 0; i < held.size(); ++i) f(held.at(i), target(), context);
  } else if (void* held = one(source).get()) {
    f(held, index_offset != npos ? targets[index(source)]() : target(), context);
  }
}

RELATA_ENGINE_INLINE std::size_t relation_definition::target_index(
    std::string_view model_name) const {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets[i]().name == model_name) return i;
  }
  return npos;
}

RELATA_ENGINE_INLINE std::string relation_definition::target_names() const {
  std::string out;
  for (const auto& t : targets) out += (out.empty() ? "" : ", ") + std::string(t().name);
  return out;
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata
