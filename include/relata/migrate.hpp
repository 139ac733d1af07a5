// relata/migrate.hpp: creates the tables of models, with their foreign keys and indexes.
//
//     relata::migrate<Customer, Order, Address>(db);
//
// Creates what is missing: tables (columns typed from the properties, NOT NULL unless
// std::optional, the primary key, autoincrement for generated ids), FOREIGN KEY constraints
// from the relations among the models given, an index on every foreign-key column (unique
// for a hasOne). Idempotent. An existing table is compared with its model first: one that lacks
// columns, or has a column of another type, is refused with a SCHEMA_MISMATCH listing every
// difference; `migrate_options{.autoupdate = true}` adds the missing nullable columns.
#pragma once

#include <array>

#include <relata/connector.hpp>
#include <relata/detail/definition.hpp>
#include <relata/model.hpp>

namespace relata {

/// Creates the missing tables, foreign keys and indexes of `Models` in `source`, after checking
/// that the existing tables fit them (see migrate_options). Migrate the models of one database
/// together: foreign keys are created between the models given.
template <model... Models>
void migrate(datasource& source, const migrate_options& options = {}) {
  const std::array<const model_definition*, sizeof...(Models)> models{&definition_of<Models>()...};
  source.migrate(models, options);
}

}  // namespace relata
