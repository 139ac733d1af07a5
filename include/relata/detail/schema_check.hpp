// How `migrate` compares an existing table with its model, the same way for every connector.
// A connector reads its catalog (a SQL connection runs its dialect's catalog query; the memory
// connector knows its tables) into `existing_column`s and says which found types hold a
// property's values unchanged (`column_judge`); the comparison and the error are here, once.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/errors.hpp>
#include <relata/schema.hpp>

namespace relata::detail {

/// A column of an existing table.
struct existing_column {
  std::string name;
  std::string type;
  bool nullable;
};

/// How a connector judges the columns it finds.
class column_judge {
 public:
  /// The type it would create for the property (without NULL-ness): "TEXT", "BIGINT" ...
  virtual std::string expected_type(const property_definition& property) const = 0;
  /// Whether a column of type `found` holds the property's values without changing them.
  virtual bool compatible(const property_definition& property, std::string_view found) const = 0;

 protected:
  ~column_judge() = default;
};

/// One difference between a table and its model, and whether `autoupdate` may repair it.
struct column_difference {
  schema_difference difference;
  const model_definition* model;
  std::size_t property;
  /// A missing nullable column: adding it changes no existing row.
  bool addable;
};

/// The differences between the existing table `table` (its columns `found`, not empty) and
/// model `m`, whose property i is column `columns[i]`: columns missing, of a type that does
/// not hold the property's values, or NOT NULL where the property may be null. A nullable
/// column for a required property is accepted (reading a NULL is an error naming it), and so
/// are columns the model does not have.
void compare_table(std::string_view table,
                   const model_definition& m,
                   std::span<const std::string> columns,
                   std::span<const existing_column> found,
                   const column_judge& judge,
                   std::vector<column_difference>& out);

/// Throws one schema_mismatch listing every difference, unless there are none, or
/// `autoupdate` is set and every one is addable.
void refuse_differences(std::span<const column_difference> differences, bool autoupdate);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE void compare_table(std::string_view table,
                                        const model_definition& m,
                                        std::span<const std::string> columns,
                                        std::span<const existing_column> found,
                                        const column_judge& judge,
                                        std::vector<column_difference>& out) {
  for (std::size_t p = 0; p < m.properties.size(); ++p) {
    const property_definition& property = m.properties[p];
    const std::string expected =
        judge.expected_type(property) + (property.nullable ? "" : " NOT NULL");
    const existing_column* column = nullptr;
    for (const auto& c : found) {
      if (c.name == columns[p]) column = &c;
    }
    auto differ = [&](std::string what, bool addable) {
      out.push_back(column_difference{
          schema_difference{std::string(table), columns[p], expected, std::move(what)},
          &m,
          p,
          addable});
    };
    if (!column) {
      differ("no such column", property.nullable);
      continue;
    }
    const std::string found_type = column->type + (column->nullable ? "" : " NOT NULL");
    if (!judge.compatible(property, column->type)) {
      differ(found_type, false);
    } else if (property.nullable && !column->nullable) {
      differ(found_type, false);
    }
  }
}

RELATA_ENGINE_INLINE void refuse_differences(std::span<const column_difference> differences,
                                             bool autoupdate) {
  bool refused = false;
  for (const auto& d : differences) refused = refused || !autoupdate || !d.addable;
  if (!refused) return;
  std::vector<schema_difference> listed;
  for (const auto& d : differences) {
    if (!autoupdate || !d.addable) listed.push_back(d.difference);
  }
  throw schema_mismatch(std::move(listed));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
