// relata/migrate.hpp: creates the tables of models, with their foreign keys and indexes.
//
//     relata::migrate<Customer, Order, Address>(db);
//
// Creates what is missing: tables (columns typed from the properties, NOT NULL unless
// std::optional, the primary key, autoincrement for generated ids), FOREIGN KEY constraints
// from the relations among the models given, an index on every foreign-key column (unique
// for a hasOne), and the link tables of hasAndBelongsToMany relations among them. Idempotent.
// An existing table is compared with its model first: one that lacks columns, or has a column
// of another type, is refused with a SCHEMA_MISMATCH listing every difference;
// `migrate_options{.autoupdate = true}` adds the missing nullable columns.
#pragma once

#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/definition.hpp>
#include <relata/model.hpp>
#include <relata/relation/kind.hpp>
#include <relata/schema.hpp>

namespace relata {

namespace detail {
/// `models` and the models their relations bring (hasAndBelongsToMany's links) when both ends
/// of the relation are among them, each once.
std::vector<const model_definition*> with_implied_models(
    std::span<const model_definition* const> models);
}  // namespace detail

/// Creates the missing tables, foreign keys and indexes of `Models` in `source`, and those of
/// the link models their hasAndBelongsToMany relations make, after checking that the existing
/// tables fit them (see migrate_options). Migrate the models of one database
/// together: foreign keys are created between the models given.
template <model... Models>
void migrate(datasource& source, const migrate_options& options = {}) {
  const std::array<const model_definition*, sizeof...(Models)> models{&definition_of<Models>()...};
  source.migrate(detail::with_implied_models(models), options);
}

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE std::vector<const model_definition*> detail::with_implied_models(
    std::span<const model_definition* const> models) {
  std::vector<const model_definition*> out(models.begin(), models.end());
  auto given = [&](const model_definition* m) {
    return std::find(models.begin(), models.end(), m) != models.end();
  };
  for (const model_definition* m : models) {
    for (const auto& r : m->relations) {
      if (!given(&r.target())) continue;
      std::vector<const model_definition*> implied;
      r.kind->implied_models(r, implied);
      for (const auto* i : implied) {
        if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
      }
    }
  }
  return out;
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata
