// The constraints a set of models implies, derived once from their relations: foreign keys,
// indexes on foreign-key columns, unique keys. Each relation's kind declares its own
// (relation_kind::constraints); SQL connectors turn them into DDL, and the memory connector
// enforces them itself, so that every connector refuses the same writes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/relation/kind.hpp>
#include <relata/schema.hpp>

namespace relata::detail {

/// `model.property` references `referenced.referenced_property` (the referenced side is a
/// single-column primary key, so the reference is enforceable).
struct foreign_key {
  const model_definition* model;
  std::size_t property;
  const model_definition* referenced;
  std::size_t referenced_property;
  /// What deleting a referenced row does to the rows referring to it.
  delete_rule on_delete = delete_rule::restrict;

  friend bool operator==(const foreign_key&, const foreign_key&) = default;
  /// The same column referring to the same key (whatever the rule).
  bool same_reference(const foreign_key& other) const noexcept {
    return model == other.model && property == other.property && referenced == other.referenced &&
           referenced_property == other.referenced_property;
  }
};

/// Columns that need an index: a foreign-key column (unique for a hasOne), or a model's
/// declared unique key (relata::unique).
struct key_index {
  const model_definition* model;
  std::vector<std::size_t> properties;  ///< in index order
  bool unique;

  friend bool operator==(const key_index&, const key_index&) = default;
};

/// A column that holds one of a closed set of texts, or null: the discriminator of a
/// polymorphic relation whose target models are declared on it (a CHECK constraint).
struct allowed_values {
  const model_definition* model;
  std::size_t property;
  std::vector<std::string> values;

  friend bool operator==(const allowed_values&, const allowed_values&) = default;
};

struct schema_constraints {
  std::vector<foreign_key> foreign_keys;
  std::vector<key_index> indexes;
  std::vector<allowed_values> checks;

  /// The foreign keys declared on `m`'s table.
  std::vector<const foreign_key*> foreign_keys_of(const model_definition& m) const {
    std::vector<const foreign_key*> out;
    for (const auto& fk : foreign_keys) {
      if (fk.model == &m) out.push_back(&fk);
    }
    return out;
  }
};

/// What relation kinds declare their constraints to: it keeps only those among the models
/// being migrated (a model bound to another database cannot be referenced by this one), and
/// each once.
class constraint_builder {
 public:
  constraint_builder(std::span<const model_definition* const> models, schema_constraints& out)
      : models_(models), out_(out) {}

  /// `m.property` references `referenced.referenced_property`, when that is a single-column
  /// primary key. Two relations declaring one reference (a hasMany and its belongsTo) make one
  /// foreign key, with the rule one of them gave beside restrict.
  void foreign_key(const model_definition& m,
                   std::size_t property,
                   const model_definition& referenced,
                   std::size_t referenced_property,
                   delete_rule on_delete = delete_rule::restrict);
  /// `m.property` is indexed (uniquely when `unique`), unless it is the primary key.
  void index(const model_definition& m, std::size_t property, bool unique);
  /// `m.properties` are indexed together (uniquely when `unique`), unless they are the
  /// primary key.
  void index(const model_definition& m, std::vector<std::size_t> properties, bool unique);
  /// `m.property` holds one of `values`, or null. Two relations sharing the column leave it
  /// the values both allow.
  void allow(const model_definition& m, std::size_t property, std::vector<std::string> values);

 private:
  bool migrated(const model_definition& m) const {
    return std::find(models_.begin(), models_.end(), &m) != models_.end();
  }

  std::span<const model_definition* const> models_;
  schema_constraints& out_;
};

bool is_single_primary_key(const model_definition& m, std::size_t property);

/// The constraints among `models`, as their relations' kinds declare them.
schema_constraints derive_constraints(std::span<const model_definition* const> models);

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE bool is_single_primary_key(const model_definition& m, std::size_t property) {
  return m.primary_key.size() == 1 && m.primary_key.front() == property;
}

RELATA_ENGINE_INLINE void constraint_builder::foreign_key(const model_definition& m,
                                                          std::size_t property,
                                                          const model_definition& referenced,
                                                          std::size_t referenced_property,
                                                          delete_rule on_delete) {
  if (!migrated(m) || !migrated(referenced) ||
      !is_single_primary_key(referenced, referenced_property)) {
    return;
  }
  const detail::foreign_key fk{&m, property, &referenced, referenced_property, on_delete};
  for (auto& existing : out_.foreign_keys) {
    if (!existing.same_reference(fk)) continue;
    if (existing.on_delete == delete_rule::restrict) existing.on_delete = on_delete;
    return;
  }
  out_.foreign_keys.push_back(fk);
}

RELATA_ENGINE_INLINE void constraint_builder::index(const model_definition& m,
                                                    std::size_t property,
                                                    bool unique) {
  index(m, std::vector<std::size_t>{property}, unique);
}

RELATA_ENGINE_INLINE void constraint_builder::index(const model_definition& m,
                                                    std::vector<std::size_t> properties,
                                                    bool unique) {
  const auto same_columns = [](std::vector<std::size_t> a, std::vector<std::size_t> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
  };
  if (!migrated(m) || same_columns(properties, m.primary_key)) return;
  for (auto& existing : out_.indexes) {
    if (existing.model == &m && same_columns(existing.properties, properties)) {
      existing.unique = existing.unique || unique;
      return;
    }
  }
  out_.indexes.push_back(key_index{&m, std::move(properties), unique});
}

RELATA_ENGINE_INLINE void constraint_builder::allow(const model_definition& m,
                                                    std::size_t property,
                                                    std::vector<std::string> values) {
  if (!migrated(m)) return;
  for (auto& existing : out_.checks) {
    if (existing.model != &m || existing.property != property) continue;
    std::erase_if(existing.values, [&](const std::string& v) {
      return std::find(values.begin(), values.end(), v) == values.end();
    });
    return;
  }
  out_.checks.push_back(allowed_values{&m, property, std::move(values)});
}

RELATA_ENGINE_INLINE schema_constraints
derive_constraints(std::span<const model_definition* const> models) {
  schema_constraints out;
  constraint_builder builder{models, out};
  for (const model_definition* source : models) {
    for (const auto& r : source->relations) r.kind->constraints(r, *source, builder);
    for (const auto& key : source->unique_keys) builder.index(*source, key, true);
  }
  return out;
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
