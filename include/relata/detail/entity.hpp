// Reading and writing single properties of type-erased entities, as values (cold paths:
// keys, constraints, generated ids). The hot paths go through property_definition directly.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// Property `property` of `entity` as a value (cold paths: keys, constraints).
inline value property_value(const model_definition& def, const void* entity, std::size_t property) {
  value_builder builder;
  def.properties[property].write(entity, builder);
  return std::move(builder.result);
}

/// Sets property `property` of `entity` from a value (converting as a row would).
inline void set_property_value(const model_definition& def,
                               void* entity,
                               std::size_t property,
                               const value& v) {
  value_row cells{std::span<const value>(&v, 1)};
  def.properties[property].read(entity, cells, 0);
  def.mark(entity, property, true);
}

/// The primary key values of `entity`.
inline std::vector<value> entity_key(const model_definition& def, const void* entity) {
  std::vector<value> key;
  key.reserve(def.primary_key.size());
  for (auto p : def.primary_key) key.push_back(property_value(def, entity, p));
  return key;
}

/// "42", "\"abc\"", or "(1, 2)" for a composite key.
inline std::string describe_key(std::span<const value> key) {
  if (key.size() == 1) return key.front().to_string();
  std::string s = "(";
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i) s += ", ";
    s += key[i].to_string();
  }
  return s + ")";
}

}  // namespace relata::detail
