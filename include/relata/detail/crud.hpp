// The untyped core of the repositories: CRUD over type-erased entities, driven by the
// model_definition. Typed facades (repository<M>, the constrained repositories) are thin
// wrappers around these functions, so their code is compiled once, not once per model.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/entity_storage.hpp>
#include <relata/errors.hpp>
#include <relata/query.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// Which datasource holds which model: the repository's own, unless a model was bound
/// elsewhere (`repository::bind<Order>(other_db)`).
class bindings {
 public:
  explicit bindings(datasource& primary) noexcept : primary_(&primary) {}

  datasource& primary() const noexcept { return *primary_; }
  datasource& source_of(const model_definition& m) const noexcept {
    for (const auto& [model, source] : overrides_) {
      if (model == &m) return *source;
    }
    return *primary_;
  }
  void bind(const model_definition& m, datasource& source) {
    for (auto& [model, s] : overrides_) {
      if (model == &m) {
        s = &source;
        return;
      }
    }
    overrides_.emplace_back(&m, &source);
  }

 private:
  datasource* primary_;
  std::vector<std::pair<const model_definition*, datasource*>> overrides_;
};

/// The bindings a repository and its constrained repositories share, immutable once made
/// (binding another model makes a new one). A class rather than a std::shared_ptr so that
/// its copies and destruction are engine functions, not reference counting inlined into
/// every model's repositories.
class shared_bindings {
 public:
  explicit shared_bindings(datasource& primary);
  shared_bindings(const shared_bindings& other) noexcept;
  shared_bindings(shared_bindings&& other) noexcept;
  shared_bindings& operator=(const shared_bindings& other) noexcept;
  shared_bindings& operator=(shared_bindings&& other) noexcept;
  ~shared_bindings();

  const bindings& operator*() const noexcept { return *shared_; }
  const bindings* operator->() const noexcept { return shared_.get(); }
  /// New bindings: these, with model `m` in datasource `source`.
  shared_bindings rebound(const model_definition& m, datasource& source) const;

 private:
  explicit shared_bindings(std::shared_ptr<const bindings> shared) noexcept
      : shared_(std::move(shared)) {}

  std::shared_ptr<const bindings> shared_;
};

void require_primary_key(const model_definition& def);

/// Refuses a key that is not one non-null value per primary-key property of `def`.
void check_key(const model_definition& def, std::span<const value> key);

/// pk1 = v1 AND pk2 = v2 ..., the key checked first.
ast::node_ptr key_condition(const model_definition& def, std::span<const value> key);

/// `property = v`, or `property IS NULL` for a null v.
ast::node_ptr equals(std::size_t property, value v);

/// The given order followed by the primary key (results are then the same on every
/// connector, and pagination is stable).
std::vector<ast::order_term> full_order(const model_definition& def,
                                        std::vector<ast::order_term> order);

std::vector<std::size_t> all_columns(const model_definition& def);

/// Refuses (INVALID_DATA, listing them all) an entity that lacks required properties: left out
/// of the JSON it was read from, or of the fields it was found with (see detail::presence).
/// An entity built in C++ has them all.
void check_required_given(const model_definition& def, const void* entity);

/// Refuses an entity whose navigational members were loaded by an include: writing it would
/// silently drop them (LoopBack refuses too).
void check_no_loaded_relations(const model_definition& def, const void* entity);

/// Refuses assignments to the primary key.
void check_no_key_change(const model_definition& def, std::span<const assignment> changes);

/// The scope a repository<M> applies to every call (see README, "Named scopes and a default
/// scope"): the model's default scope and the named scopes it was narrowed to, merged into one
/// filter (ast::merge_scope), and the sentence naming them in messages.
struct model_scope {
  ast::filter filter;
  /// "the default scope of model Customer", "the scope young_folks of model Customer", "the
  /// default scope and the scopes active, young_folks of model Customer".
  std::string description;
  /// Whether it holds the model's default scope, and the named scopes, in the order applied.
  bool has_default = false;
  std::vector<std::string_view> names;
};

/// A repository's scope: shared and immutable (narrowing makes a new one), null when it has
/// none. A class rather than a std::shared_ptr so that its copies and destruction are engine
/// functions, as shared_bindings' are.
class scope_handle {
 public:
  scope_handle() noexcept = default;
  scope_handle(const scope_handle& other) noexcept;
  scope_handle(scope_handle&& other) noexcept;
  scope_handle& operator=(const scope_handle& other) noexcept;
  scope_handle& operator=(scope_handle&& other) noexcept;
  ~scope_handle();

  /// The scope, or nullptr for none.
  const model_scope* get() const noexcept { return shared_.get(); }

  /// The default scope of `m` (relata::default_scope), or none.
  static scope_handle default_of(const model_definition& m);
  /// This scope narrowed by `m`'s named scope `name` (the two merged; this one unchanged).
  /// INVALID_FILTER, listing `m`'s scopes, for a name `m` does not have.
  scope_handle narrowed(const model_definition& m, std::string_view name) const;

  /// The caller's filter inside this scope (ast::merge_scope), or as given without a scope.
  ast::filter apply(ast::filter caller) const;
  /// The caller's condition AND the scope's.
  ast::node_ptr apply(const ast::node_ptr& caller) const;

 private:
  std::shared_ptr<const model_scope> shared_;
};

/// Inserts entities, in one transaction when there are several. Through a `scope`, each gets
/// the properties the scope holds to one value (stamp_scope), and one the scope would then not
/// see is refused (check_in_scope), nothing being inserted.
void insert_entities(datasource& source,
                     const model_definition& def,
                     std::span<void* const> entities,
                     const model_scope* scope = nullptr);

// --- writes through a scope (a relation's, or a model's named or default one) -----------------

/// Sets property `property` of `entity` (of `m`) to `expected`, unless the caller gave another
/// value: a property still at its default value (the one a default-constructed entity has)
/// counts as not given. Returns false, changing nothing, for a value the caller gave.
bool stamp_property(const model_definition& m,
                    void* entity,
                    std::size_t property,
                    const value& expected);

/// Stamps on `entity` (of `m`) each property the scope's `where` holds its rows to
/// (ast::required_equalities); a different value the caller gave is CONSTRAINT_VIOLATION,
/// naming the property and `scope` ("the scope of relation orders of model Customer").
void stamp_scope(const model_definition& m,
                 void* entity,
                 const ast::node_ptr& where,
                 std::string_view scope);

/// Refuses (CONSTRAINT_VIOLATION, naming `scope`) an entity just written whose row the scope's
/// `where` does not match: what a write through a scope makes must be seen through it. Run
/// inside the write's transaction, so that the refusal undoes it.
void check_in_scope(datasource& source,
                    const model_definition& m,
                    const void* entity,
                    const ast::node_ptr& where,
                    std::string_view scope);

// --- save and the upsert family (repository::save, upsert, replace_or_create,
// find_or_create, upsert_with_where) ---------------------------------------------------------

/// The unique key that finds `entity`'s stored row: its primary key when the entity has it
/// (a generated key once set, not 0), else the first relata::unique key whose properties the
/// entity has, none of them null; empty when there is none (the entity is new).
std::vector<std::size_t> identifying_key(const model_definition& def, const void* entity);

/// Inserts `entity`, or writes it to the stored row its identifying_key finds: every property
/// when `replace` (the entity must have the required ones), else only those it has (a patch;
/// see detail::presence). The stored row is read back into `entity`. Atomic. Through a
/// `scope`: the entity is stamped with the scope's equalities, a stored row the key finds
/// outside the scope is refused (CONSTRAINT_VIOLATION, nothing written), and so is a result
/// the scope would not see.
void upsert_entity(datasource& source,
                   const model_definition& def,
                   void* entity,
                   bool replace,
                   const model_scope* scope = nullptr);

/// Whether find_or_create found a row (into `entity`) or inserted `entity`; through a `scope`,
/// it finds only rows in the scope and inserts as insert_entities does.
bool find_or_insert(datasource& source,
                    const model_definition& def,
                    const ast::node_ptr& where,
                    void* entity,
                    const model_scope* scope = nullptr);

/// Patches the one row matching `where` with the properties `entity` has, or inserts
/// `entity` when none matches; the stored row is read back into `entity`. More than one
/// match is INVALID_FILTER, and nothing is written. Through a `scope`, it matches only rows in
/// the scope, `entity` is stamped with the scope's equalities, and a result the scope would
/// not see is refused.
void upsert_where(datasource& source,
                  const model_definition& def,
                  const ast::node_ptr& where,
                  void* entity,
                  const model_scope* scope = nullptr);

/// The columns to read for a field selection: the selected ones plus `required` ones (keys a
/// relation needs); `extra` receives the required ones that were not selected, to clear
/// after stitching.
std::vector<std::size_t> select_columns(const model_definition& def,
                                        const ast::field_selection& fields,
                                        std::span<const std::size_t> required,
                                        std::vector<std::size_t>* extra = nullptr);

/// Runs a plain select of `def`, appending the entities to `rows`.
void select_into(datasource& source,
                 const model_definition& def,
                 entity_buffer& rows,
                 const ast::node_ptr& where,
                 std::vector<ast::order_term> order,
                 std::optional<std::uint64_t> limit,
                 std::uint64_t skip,
                 std::vector<std::size_t> columns);

// The writes by id below reach only a row inside `scope` when one is given: a row outside it
// is ENTITY_NOT_FOUND, as if it did not exist.

/// UPDATE by id; throws entity_not_found when nothing matched.
void update_by_key(datasource& source,
                   const model_definition& def,
                   std::span<const value> key,
                   std::span<const assignment> changes,
                   const model_scope* scope = nullptr);

/// Every non-key property of `entity`, as assignments (replace).
std::vector<assignment> replacement(const model_definition& def, const void* entity);

/// Replaces the row of `key` with `entity` (its id, if set, must be `key`).
void replace_by_key(datasource& source,
                    const model_definition& def,
                    std::span<const value> key,
                    const void* entity,
                    const model_scope* scope = nullptr);

/// Writes to the row of `entity`'s own id the properties the entity has (detail::presence):
/// all of them for an entity built in C++ or found whole; only those read or given for one
/// found with `fields` or read from JSON, as LoopBack's update(entity) patches the entity's
/// data. An entity without its id (left out) is INVALID_DATA.
void update_entity(datasource& source,
                   const model_definition& def,
                   const void* entity,
                   const model_scope* scope = nullptr);

void delete_by_key(datasource& source,
                   const model_definition& def,
                   std::span<const value> key,
                   const model_scope* scope = nullptr);

std::uint64_t update_where(datasource& source,
                           const model_definition& def,
                           std::span<const assignment> changes,
                           const ast::node_ptr& where);

/// Transactions on two datasources, one when they are the same, for a write to both (the
/// two commits are not atomic across two databases; see README). Committed second, first.
class paired_transaction {
 public:
  paired_transaction(datasource& first, datasource& second) : first_(first) {
    if (&second != &first) second_.emplace(second);
  }
  void commit() {
    if (second_) second_->commit();
    first_.commit();
  }

 private:
  transaction first_;
  std::optional<transaction> second_;
};

/// Reads `properties` of the first row of `m` matching `where`; nothing when none does.
std::optional<std::vector<value>> read_properties(datasource& source,
                                                  const model_definition& m,
                                                  const ast::node_ptr& where,
                                                  std::span<const std::size_t> properties);

/// Reads one property of the entity of `m` with key `key`; nothing when there is no entity.
std::optional<value> read_property_by_key(datasource& source,
                                          const model_definition& m,
                                          std::span<const value> key,
                                          std::size_t property);

/// Refuses a relation condition (an ast::exists, or an ast::membership) whose rows (or link) live
/// in another datasource than `m`: relation conditions run inside one database. Returns `where`.
const ast::node_ptr& local_conditions(const bindings& b,
                                      const model_definition& m,
                                      const ast::node_ptr& where);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE shared_bindings::shared_bindings(datasource& primary)
    : shared_(std::make_shared<const bindings>(primary)) {}
RELATA_ENGINE_INLINE shared_bindings::shared_bindings(const shared_bindings& other) noexcept =
    default;
RELATA_ENGINE_INLINE shared_bindings::shared_bindings(shared_bindings&& other) noexcept = default;
RELATA_ENGINE_INLINE shared_bindings& shared_bindings::operator=(
    const shared_bindings& other) noexcept = default;
RELATA_ENGINE_INLINE shared_bindings& shared_bindings::operator=(shared_bindings&& other) noexcept =
    default;
RELATA_ENGINE_INLINE shared_bindings::~shared_bindings() = default;

RELATA_ENGINE_INLINE shared_bindings shared_bindings::rebound(const model_definition& m,
                                                              datasource& source) const {
  auto copy = std::make_shared<bindings>(*shared_);
  copy->bind(m, source);
  return shared_bindings(std::move(copy));
}

RELATA_ENGINE_INLINE void require_primary_key(const model_definition& def) {
  if (def.primary_key.empty()) {
    throw invalid_data("model " + std::string(def.name) +
                       " has no relata::id member; operations by id need one");
  }
}

RELATA_ENGINE_INLINE void check_key(const model_definition& def, std::span<const value> key) {
  require_primary_key(def);
  if (key.size() != def.primary_key.size()) {
    throw invalid_data("model " + std::string(def.name) + " has a key of " +
                       std::to_string(def.primary_key.size()) + " properties, given " +
                       std::to_string(key.size()));
  }
  for (const auto& part : key) {
    if (part.is_null()) throw invalid_data("a null id for model " + std::string(def.name));
  }
}

RELATA_ENGINE_INLINE ast::node_ptr key_condition(const model_definition& def,
                                                 std::span<const value> key) {
  check_key(def, key);
  return ast::primary_key_equals(def, key);
}

RELATA_ENGINE_INLINE ast::node_ptr equals(std::size_t property, value v) {
  if (v.is_null()) return ast::make(ast::comparison{property, ast::op::is_null, {}});
  return ast::make(ast::comparison{property, ast::op::eq, {std::move(v)}});
}

RELATA_ENGINE_INLINE std::vector<ast::order_term> full_order(const model_definition& def,
                                                             std::vector<ast::order_term> order) {
  for (auto p : def.primary_key) {
    bool present = false;
    for (const auto& t : order) present = present || t.property == p;
    if (!present) order.push_back(ast::order_term{p, false});
  }
  return order;
}

RELATA_ENGINE_INLINE std::vector<std::size_t> all_columns(const model_definition& def) {
  std::vector<std::size_t> columns(def.properties.size());
  for (std::size_t i = 0; i < columns.size(); ++i) columns[i] = i;
  return columns;
}

RELATA_ENGINE_INLINE void check_no_loaded_relations(const model_definition& def,
                                                    const void* entity) {
  for (const auto& r : def.relations) {
    if (r.is_loaded(entity)) {
      throw invalid_data("navigational property " + std::string(r.name) + " of model " +
                         std::string(def.name) +
                         " is loaded; relations are not written with their source. Call "
                         "reset() on it first, or write the related entities through the "
                         "relation");
    }
  }
}

RELATA_ENGINE_INLINE void check_required_given(const model_definition& def, const void* entity) {
  std::string missing;
  for (std::size_t p = 0; p < def.properties.size(); ++p) {
    if (def.present(entity, p) || !def.required(p)) continue;
    if (!missing.empty()) missing += ", ";
    missing += def.properties[p].name;
  }
  if (!missing.empty()) {
    throw invalid_data("model " + std::string(def.name) +
                       ": required properties left out: " + missing +
                       " (the JSON it was read from, or the fields it was found with, did not "
                       "have them)");
  }
}

RELATA_ENGINE_INLINE void check_no_key_change(const model_definition& def,
                                              std::span<const assignment> changes) {
  for (const auto& a : changes) {
    if (a.property >= def.properties.size()) {
      throw invalid_data("model " + std::string(def.name) + " has no property #" +
                         std::to_string(a.property));
    }
    if (def.properties[a.property].is_id) {
      throw invalid_data("property " + std::string(def.properties[a.property].name) + " of model " +
                         std::string(def.name) + " is the id; it cannot be changed by an update");
    }
    if (a.new_value.is_null() && !def.properties[a.property].nullable) {
      throw invalid_data("property " + std::string(def.properties[a.property].name) + " of model " +
                         std::string(def.name) + " is required; it cannot be null");
    }
  }
}

// --- reading rows into entities --------------------------------------------------------------

/// A row sink that appends entities of `def` to `rows`.
class entity_collector final : public row_sink {
 public:
  entity_collector(const model_definition& def,
                   entity_buffer& rows,
                   std::span<const std::size_t> columns) noexcept
      : def_(def), rows_(rows), columns_(columns) {}

  void on_row(const row& r) override {
    void* entity = rows_.emplace_back();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      def_.properties[columns_[c]].read(entity, r, c);
    }
    def_.mark_only(entity, columns_);
  }

 private:
  const model_definition& def_;
  entity_buffer& rows_;
  std::span<const std::size_t> columns_;
};

// --- CRUD ------------------------------------------------------------------------------------

RELATA_ENGINE_INLINE bool stamp_property(const model_definition& m,
                                         void* entity,
                                         std::size_t property,
                                         const value& expected) {
  const value given = property_value(m, entity, property);
  if (given == expected) {
    m.mark(entity, property, true);  // the scope gives it, whatever the JSON left out
    return true;
  }
  owned_entity defaults(*m.entity);
  if (given == property_value(m, defaults.emplace(), property)) {
    set_property_value(m, entity, property, expected);
    return true;
  }
  return false;
}

RELATA_ENGINE_INLINE void stamp_scope(const model_definition& m,
                                      void* entity,
                                      const ast::node_ptr& where,
                                      std::string_view scope) {
  for (const auto& [property, expected] : ast::required_equalities(where)) {
    if (!stamp_property(m, entity, property, expected)) {
      throw constraint_violation("Property " + std::string(m.properties[property].name) +
                                 " of model " + std::string(m.name) + " is " +
                                 property_value(m, entity, property).to_string() + ", but " +
                                 std::string(scope) + " holds it to " + expected.to_string());
    }
  }
}

RELATA_ENGINE_INLINE void check_in_scope(datasource& source,
                                         const model_definition& m,
                                         const void* entity,
                                         const ast::node_ptr& where,
                                         std::string_view scope) {
  if (!where || m.primary_key.empty()) return;
  const auto key = entity_key(m, entity);
  if (source.count(m, ast::make_and(ast::primary_key_equals(m, key), where)) > 0) return;
  throw constraint_violation("the " + std::string(m.name) + " written (" + describe_key(key) +
                             ") does not match " + std::string(scope) +
                             ", which could then not see it");
}

RELATA_ENGINE_INLINE scope_handle::scope_handle(const scope_handle& other) noexcept = default;
RELATA_ENGINE_INLINE scope_handle::scope_handle(scope_handle&& other) noexcept = default;
RELATA_ENGINE_INLINE scope_handle& scope_handle::operator=(const scope_handle& other) noexcept =
    default;
RELATA_ENGINE_INLINE scope_handle& scope_handle::operator=(scope_handle&& other) noexcept = default;
RELATA_ENGINE_INLINE scope_handle::~scope_handle() = default;

namespace crud {
inline std::string describe_scopes(const model_definition& m,
                                   bool has_default,
                                   std::span<const std::string_view> names) {
  std::string out = "the ";
  if (has_default) out += names.empty() ? "default scope" : "default scope and the ";
  if (names.size() == 1) out += "scope ";
  if (names.size() > 1) out += "scopes ";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out + " of model " + std::string(m.name);
}
}  // namespace crud

RELATA_ENGINE_INLINE scope_handle scope_handle::default_of(const model_definition& m) {
  scope_handle out;
  if (!m.default_scope) return out;
  out.shared_ = std::make_shared<const model_scope>(
      model_scope{*m.default_scope(), crud::describe_scopes(m, true, {}), true, {}});
  return out;
}

RELATA_ENGINE_INLINE scope_handle scope_handle::narrowed(const model_definition& m,
                                                         std::string_view name) const {
  const named_scope_definition* named = m.find_scope(name);
  if (!named) {
    std::string known;
    for (const auto& s : m.named_scopes) known += (known.empty() ? "" : ", ") + std::string(s.name);
    throw invalid_filter("model " + std::string(m.name) + " has no scope named " +
                         std::string(name) + "; " +
                         (known.empty() ? "it has no named scope" : "its scopes: " + known));
  }
  model_scope merged;
  merged.has_default = shared_ && shared_->has_default;
  if (shared_) merged.names = shared_->names;
  merged.names.push_back(named->name);
  merged.filter = shared_ ? ast::merge_scope(shared_->filter, *named->filter()) : *named->filter();
  merged.description = crud::describe_scopes(m, merged.has_default, merged.names);
  scope_handle out;
  out.shared_ = std::make_shared<const model_scope>(std::move(merged));
  return out;
}

RELATA_ENGINE_INLINE ast::filter scope_handle::apply(ast::filter caller) const {
  if (!shared_) return caller;
  return ast::merge_scope(shared_->filter, std::move(caller));
}

RELATA_ENGINE_INLINE ast::node_ptr scope_handle::apply(const ast::node_ptr& caller) const {
  if (!shared_) return caller;
  return ast::make_and(shared_->filter.where, caller);
}

RELATA_ENGINE_INLINE void insert_entities(datasource& source,
                                          const model_definition& def,
                                          std::span<void* const> entities,
                                          const model_scope* scope) {
  for (void* e : entities) {
    check_no_loaded_relations(def, e);
    // Stamped first: the scope may give a required property the caller left out.
    if (scope) stamp_scope(def, e, scope->filter.where, scope->description);
    check_required_given(def, e);
  }
  const bool checked = scope && scope->filter.where;
  if (entities.size() > 1 || checked) {
    transaction tx{source};
    source.insert(def, entities);
    if (checked) {
      for (const void* e : entities)
        check_in_scope(source, def, e, scope->filter.where, scope->description);
    }
    tx.commit();
  } else if (!entities.empty()) {
    source.insert(def, entities);
  }
}

RELATA_ENGINE_INLINE std::vector<std::size_t> identifying_key(const model_definition& def,
                                                              const void* entity) {
  const auto has = [&](std::size_t p) {
    if (!def.present(entity, p)) return false;
    const value v = property_value(def, entity, p);
    return !v.is_null() && !(p == def.generated_key && v == value{0});
  };
  if (!def.primary_key.empty() &&
      std::all_of(def.primary_key.begin(), def.primary_key.end(), has)) {
    return def.primary_key;
  }
  for (const auto& key : def.unique_keys) {
    if (std::all_of(key.begin(), key.end(), has)) return key;
  }
  return {};
}

namespace crud {
/// Reads the row of `m` matching `where` (one at most: a unique key) into `entity`.
inline bool read_back(datasource& source,
                      const model_definition& m,
                      const ast::node_ptr& where,
                      void* entity) {
  whole_row_reader reader{m, entity};
  source.select(whole_rows_select(m, where), reader);
  return reader.rows() > 0;
}

/// Writes `entity` to the row its identifying `key` finds, or inserts it: upsert_entity
/// without a scope.
inline void upsert_by_key(datasource& source,
                          const model_definition& def,
                          void* entity,
                          bool replace,
                          const std::vector<std::size_t>& key) {
  // A replacement writes every property (one left out of JSON takes its value in the
  // entity: null, its default), as replace_by_id does; a patch only those the entity has.
  std::vector<std::size_t> update;
  bool complete = true;
  for (std::size_t p = 0; p < def.properties.size(); ++p) {
    if (p == def.generated_key || std::find(key.begin(), key.end(), p) != key.end()) continue;
    if (replace || def.present(entity, p)) {
      update.push_back(p);
    } else {
      complete = false;
    }
  }
  if (complete) {
    // Every column has its value: one INSERT ... ON CONFLICT (a database checks NOT NULL
    // before conflicts, so a patch missing required properties takes the path below).
    source.upsert(def, key, update, entity);
    return;
  }
  std::vector<value> values;
  for (auto p : key) values.push_back(property_value(def, entity, p));
  const auto where = ast::properties_equal(key, values);
  std::vector<assignment> changes;
  for (auto p : update) changes.push_back({p, property_value(def, entity, p)});
  transaction tx{source};
  source.serialize_writes(def);
  const bool stored =
      changes.empty() ? source.count(def, where) > 0 : source.update(def, changes, where) > 0;
  if (stored) {
    crud::read_back(source, def, where, entity);
  } else {
    void* one[] = {entity};
    insert_entities(source, def, one);  // INVALID_DATA when it lacks required properties
  }
  tx.commit();
}
}  // namespace crud

RELATA_ENGINE_INLINE void upsert_entity(datasource& source,
                                        const model_definition& def,
                                        void* entity,
                                        bool replace,
                                        const model_scope* scope) {
  check_no_loaded_relations(def, entity);
  if (scope) stamp_scope(def, entity, scope->filter.where, scope->description);
  if (replace) check_required_given(def, entity);
  const auto key = identifying_key(def, entity);
  if (key.empty()) {
    void* one[] = {entity};
    insert_entities(source, def, one, scope);
    return;
  }
  if (!scope || !scope->filter.where) {
    crud::upsert_by_key(source, def, entity, replace, key);
    return;
  }
  // The row the key finds must be inside the scope: a write through a scope never reaches a
  // row the scope hides (under a soft-delete default scope, an upsert does not bring a
  // deleted row back).
  transaction tx{source};
  source.serialize_writes(def);
  std::vector<value> values;
  for (auto p : key) values.push_back(property_value(def, entity, p));
  const auto found = ast::properties_equal(key, values);
  if (source.count(def, found) > 0 &&
      source.count(def, ast::make_and(found, scope->filter.where)) == 0) {
    std::string names;
    for (auto p : key) names += (names.empty() ? "" : ", ") + std::string(def.properties[p].name);
    throw constraint_violation("the " + std::string(def.name) + " with " + names + " " +
                               describe_key(values) + " is outside " + scope->description +
                               ", which a write through it cannot reach");
  }
  crud::upsert_by_key(source, def, entity, replace, key);
  check_in_scope(source, def, entity, scope->filter.where, scope->description);
  tx.commit();
}

RELATA_ENGINE_INLINE bool find_or_insert(datasource& source,
                                         const model_definition& def,
                                         const ast::node_ptr& where,
                                         void* entity,
                                         const model_scope* scope) {
  check_no_loaded_relations(def, entity);
  transaction tx{source};
  source.serialize_writes(def);
  select_query q =
      whole_rows_select(def, scope ? ast::make_and(scope->filter.where, where) : where);
  q.order = full_order(def, {});
  q.limit = 1;
  whole_row_reader reader{def, entity};
  source.select(q, reader);
  if (reader.rows() == 0) {
    void* one[] = {entity};
    insert_entities(source, def, one, scope);
  }
  tx.commit();
  return reader.rows() == 0;
}

RELATA_ENGINE_INLINE void upsert_where(datasource& source,
                                       const model_definition& def,
                                       const ast::node_ptr& where,
                                       void* entity,
                                       const model_scope* scope) {
  check_no_loaded_relations(def, entity);
  require_primary_key(def);
  if (scope) stamp_scope(def, entity, scope->filter.where, scope->description);
  transaction tx{source};
  source.serialize_writes(def);
  struct keys_reader final : row_sink {
    const model_definition& def;
    std::vector<std::vector<value>> keys;
    explicit keys_reader(const model_definition& d) : def(d) {}
    void on_row(const row& r) override {
      auto& key = keys.emplace_back();
      for (std::size_t c = 0; c < def.primary_key.size(); ++c) {
        key.push_back(r.get(c, def.properties[def.primary_key[c]].kind));
      }
    }
  } matched{def};
  select_query q;
  q.model = &def;
  q.where = scope ? ast::make_and(scope->filter.where, where) : where;
  q.order = full_order(def, {});
  q.limit = 2;
  q.columns = def.primary_key;
  source.select(q, matched);
  if (matched.keys.size() > 1) {
    throw invalid_filter("upsert_with_where: the where matches more than one " +
                         std::string(def.name) + "; it updates one at most");
  }
  if (matched.keys.empty()) {
    void* one[] = {entity};
    insert_entities(source, def, one, scope);
  } else {
    const auto& key = matched.keys.front();
    std::vector<assignment> changes;
    for (std::size_t p = 0; p < def.properties.size(); ++p) {
      if (!def.present(entity, p)) continue;
      value v = property_value(def, entity, p);
      if (p == def.generated_key && v == value{0}) continue;  // unset
      changes.push_back({p, std::move(v)});
    }
    update_by_key(source, def, key, changes);  // refuses a change of the row's id
    crud::read_back(source, def, key_condition(def, key), entity);
    if (scope) check_in_scope(source, def, entity, scope->filter.where, scope->description);
  }
  tx.commit();
}

RELATA_ENGINE_INLINE std::vector<std::size_t> select_columns(const model_definition& def,
                                                             const ast::field_selection& fields,
                                                             std::span<const std::size_t> required,
                                                             std::vector<std::size_t>* extra) {
  if (fields.all()) return all_columns(def);
  std::vector<std::size_t> columns;
  for (std::size_t p = 0; p < def.properties.size(); ++p) {
    if (fields.selects(p)) columns.push_back(p);
  }
  for (auto p : required) {
    bool present = false;
    for (auto c : columns) present = present || c == p;
    if (!present) {
      columns.push_back(p);
      if (extra) extra->push_back(p);
    }
  }
  if (columns.empty() && !def.properties.empty()) {
    // Fields that leave out every property still find the rows, on every connector: one
    // column is read to have a row to read (a SELECT of no columns is not SQL), then dropped.
    const std::size_t p = def.primary_key.empty() ? 0 : def.primary_key.front();
    columns.push_back(p);
    if (extra) extra->push_back(p);
  }
  return columns;
}

RELATA_ENGINE_INLINE void select_into(datasource& source,
                                      const model_definition& def,
                                      entity_buffer& rows,
                                      const ast::node_ptr& where,
                                      std::vector<ast::order_term> order,
                                      std::optional<std::uint64_t> limit,
                                      std::uint64_t skip,
                                      std::vector<std::size_t> columns) {
  select_query q;
  q.model = &def;
  q.where = where;
  q.order = full_order(def, std::move(order));
  q.limit = limit;
  q.skip = skip;
  q.columns = std::move(columns);
  entity_collector collector{def, rows, q.columns};
  source.select(q, collector);
}

RELATA_ENGINE_INLINE void update_by_key(datasource& source,
                                        const model_definition& def,
                                        std::span<const value> key,
                                        std::span<const assignment> given,
                                        const model_scope* scope) {
  // An id equal to the target's is not a change (a JSON round trip of an entity carries it):
  // left out; a different one is refused below.
  std::vector<assignment> changes;
  changes.reserve(given.size());
  for (const auto& a : given) {
    bool same_id = false;
    for (std::size_t i = 0; i < def.primary_key.size() && i < key.size(); ++i) {
      same_id = same_id || (def.primary_key[i] == a.property && a.new_value == key[i]);
    }
    if (!same_id) changes.push_back(a);
  }
  check_no_key_change(def, changes);
  const auto where =
      scope ? ast::make_and(key_condition(def, key), scope->filter.where) : key_condition(def, key);
  if (changes.empty()) {
    if (source.count(def, where) == 0) {
      throw entity_not_found(std::string(def.name), describe_key(key));
    }
    return;
  }
  if (source.update(def, changes, where) == 0) {
    throw entity_not_found(std::string(def.name), describe_key(key));
  }
}

RELATA_ENGINE_INLINE std::vector<assignment> replacement(const model_definition& def,
                                                         const void* entity) {
  std::vector<assignment> changes;
  for (std::size_t p = 0; p < def.properties.size(); ++p) {
    if (!def.properties[p].is_id) changes.push_back({p, property_value(def, entity, p)});
  }
  return changes;
}

RELATA_ENGINE_INLINE void replace_by_key(datasource& source,
                                         const model_definition& def,
                                         std::span<const value> key,
                                         const void* entity,
                                         const model_scope* scope) {
  check_no_loaded_relations(def, entity);
  check_required_given(def, entity);
  const auto own = entity_key(def, entity);
  for (std::size_t i = 0; i < own.size(); ++i) {
    const auto& p = def.properties[def.primary_key[i]];
    const bool unset = p.generated && own[i] == value{0};
    if (!unset && !(own[i] == key[i])) {
      throw invalid_data("the entity's id " + describe_key(own) + " differs from the id " +
                         describe_key(key) + " it replaces (model " + std::string(def.name) + ")");
    }
  }
  const auto changes = replacement(def, entity);
  update_by_key(source, def, key, changes, scope);
}

RELATA_ENGINE_INLINE void update_entity(datasource& source,
                                        const model_definition& def,
                                        const void* entity,
                                        const model_scope* scope) {
  check_no_loaded_relations(def, entity);
  std::string missing;
  for (auto p : def.primary_key) {
    if (def.present(entity, p)) continue;
    if (!missing.empty()) missing += ", ";
    missing += def.properties[p].name;
  }
  if (!missing.empty()) {
    throw invalid_data("model " + std::string(def.name) + ": an update needs the entity's id, " +
                       "and " + missing +
                       " was left out (by the fields it was found with, or by its JSON)");
  }
  std::vector<assignment> changes;
  for (std::size_t p = 0; p < def.properties.size(); ++p) {
    if (!def.properties[p].is_id && def.present(entity, p)) {
      changes.push_back({p, property_value(def, entity, p)});
    }
  }
  update_by_key(source, def, entity_key(def, entity), changes, scope);
}

RELATA_ENGINE_INLINE void delete_by_key(datasource& source,
                                        const model_definition& def,
                                        std::span<const value> key,
                                        const model_scope* scope) {
  const auto where =
      scope ? ast::make_and(key_condition(def, key), scope->filter.where) : key_condition(def, key);
  if (source.remove(def, where) == 0) {
    throw entity_not_found(std::string(def.name), describe_key(key));
  }
}

RELATA_ENGINE_INLINE std::uint64_t update_where(datasource& source,
                                                const model_definition& def,
                                                std::span<const assignment> changes,
                                                const ast::node_ptr& where) {
  check_no_key_change(def, changes);
  if (changes.empty()) return source.count(def, where);
  return source.update(def, changes, where);
}

RELATA_ENGINE_INLINE std::optional<std::vector<value>> read_properties(
    datasource& source,
    const model_definition& m,
    const ast::node_ptr& where,
    std::span<const std::size_t> properties) {
  struct first_row final : row_sink {
    const model_definition& m;
    std::span<const std::size_t> properties;
    std::optional<std::vector<value>> result;
    first_row(const model_definition& model, std::span<const std::size_t> read)
        : m(model), properties(read) {}
    void on_row(const row& r) override {
      auto& values = result.emplace();
      for (std::size_t i = 0; i < properties.size(); ++i) {
        const auto& p = m.properties[properties[i]];
        values.push_back(r.get(i, p.kind, p.element_kind));
      }
    }
  } sink{m, properties};
  select_query q;
  q.model = &m;
  q.where = where;
  q.columns.assign(properties.begin(), properties.end());
  q.limit = 1;
  source.select(q, sink);
  return std::move(sink.result);
}

RELATA_ENGINE_INLINE std::optional<value> read_property_by_key(datasource& source,
                                                               const model_definition& m,
                                                               std::span<const value> key,
                                                               std::size_t property) {
  const std::size_t read[] = {property};
  auto values = read_properties(source, m, key_condition(m, key), read);
  if (!values) return std::nullopt;
  return std::move(values->front());
}

RELATA_ENGINE_INLINE const ast::node_ptr& local_conditions(const bindings& b,
                                                           const model_definition& m,
                                                           const ast::node_ptr& where) {
  if (!where) return where;
  datasource& home = b.source_of(m);
  if (const auto* j = std::get_if<ast::junction>(&where->content)) {
    for (const auto& child : j->children) local_conditions(b, m, child);
  } else if (const auto* e = std::get_if<ast::exists>(&where->content)) {
    if (e->embedded) return where;  // items of a row of m: no other table, no relation inside
    const bool apart =
        &b.source_of(*e->model) != &home || (e->link && &b.source_of(*e->link) != &home);
    if (apart) {
      throw invalid_filter("invalid filter: the condition on relation " + std::string(e->relation) +
                           " of model " + std::string(m.name) + " reaches " +
                           std::string(e->model->name) +
                           (e->link ? " (through " + std::string(e->link->name) + ")" : "") +
                           ", which lives in another datasource; relation conditions run "
                           "inside one database");
    }
    local_conditions(b, *e->model, e->scope);
    local_conditions(b, *e->model, e->where);
  } else if (const auto* in = std::get_if<ast::membership>(&where->content)) {
    if (&b.source_of(*in->model) != &home) {
      throw invalid_filter("invalid filter: a condition on model " + std::string(m.name) +
                           " reaches " + std::string(in->model->name) +
                           ", which lives in another datasource; relation conditions run "
                           "inside one database");
    }
    local_conditions(b, *in->model, in->where);
  }
  return where;
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
