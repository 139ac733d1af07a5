// The constraints a set of models implies, derived once from their relations: foreign keys,
// indexes on foreign-key columns, unique keys. SQL connectors turn them into DDL; the memory
// connector enforces them itself, so that every connector refuses the same writes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/model.hpp>

namespace relata::detail {

/// `model.property` references `referenced.referenced_property` (the referenced side is a
/// single-column primary key, so the reference is enforceable).
struct foreign_key {
  const model_definition* model;
  std::size_t property;
  const model_definition* referenced;
  std::size_t referenced_property;

  friend bool operator==(const foreign_key&, const foreign_key&) = default;
};

/// A column that needs an index: a foreign-key column (unique for a hasOne).
struct key_index {
  const model_definition* model;
  std::size_t property;
  bool unique;

  friend bool operator==(const key_index&, const key_index&) = default;
};

struct schema_constraints {
  std::vector<foreign_key> foreign_keys;
  std::vector<key_index> indexes;

  /// The foreign keys declared on `m`'s table.
  std::vector<const foreign_key*> foreign_keys_of(const model_definition& m) const {
    std::vector<const foreign_key*> out;
    for (const auto& fk : foreign_keys) {
      if (fk.model == &m) out.push_back(&fk);
    }
    return out;
  }
};

RELATA_ENGINE_INLINE bool is_single_primary_key(const model_definition& m, std::size_t property);

/// The constraints among `models`: only references between models of the set become foreign
/// keys (a model bound to another database cannot be referenced by this one).
RELATA_ENGINE_INLINE schema_constraints
derive_constraints(std::span<const model_definition* const> models);

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE bool is_single_primary_key(const model_definition& m, std::size_t property) {
  return m.primary_key.size() == 1 && m.primary_key.front() == property;
}

RELATA_ENGINE_INLINE schema_constraints
derive_constraints(std::span<const model_definition* const> models) {
  schema_constraints out;
  auto in_set = [&](const model_definition* m) {
    return std::find(models.begin(), models.end(), m) != models.end();
  };
  auto add_fk =
      [&](const model_definition* m, std::size_t p, const model_definition* ref, std::size_t rp) {
        if (!in_set(m) || !in_set(ref) || !is_single_primary_key(*ref, rp)) return;
        foreign_key fk{m, p, ref, rp};
        if (std::find(out.foreign_keys.begin(), out.foreign_keys.end(), fk) ==
            out.foreign_keys.end()) {
          out.foreign_keys.push_back(fk);
        }
      };
  auto add_index = [&](const model_definition* m, std::size_t p, bool unique) {
    if (!in_set(m) || is_single_primary_key(*m, p)) return;
    for (auto& existing : out.indexes) {
      if (existing.model == m && existing.property == p) {
        existing.unique = existing.unique || unique;
        return;
      }
    }
    out.indexes.push_back(key_index{m, p, unique});
  };
  for (const model_definition* source : models) {
    for (const auto& r : source->relations) {
      const model_definition* target = &r.target();
      switch (r.kind) {
        case relation_kind::has_many:
        case relation_kind::has_one:
          add_fk(target, r.key_to, source, r.key_from);
          add_index(target, r.key_to, r.kind == relation_kind::has_one);
          break;
        case relation_kind::belongs_to:
          add_fk(source, r.key_from, target, r.key_to);
          add_index(source, r.key_from, false);
          break;
        case relation_kind::has_many_through: {
          const model_definition* link = &r.through();
          add_fk(link, r.through_key_from, source, r.key_from);
          add_fk(link, r.through_key_to, target, r.key_to);
          add_index(link, r.through_key_from, false);
          add_index(link, r.through_key_to, false);
          break;
        }
        case relation_kind::references_many:
          break;  // an array: nothing to enforce
      }
    }
  }
  return out;
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
