// relata/relation/references_many.hpp: the accessor of a referencesMany relation.
//
//     std::vector<Account> mine = customers.accounts(ada.id);
//
// Returns every referenced target in array order (a key listed twice comes twice); a key that
// points at nothing is dropped. The keys are read in chunks sized by the connector.
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/errors.hpp>
#include <relata/inclusion.hpp>
#include <relata/model.hpp>
#include <relata/relation/belongs_to.hpp>

namespace relata::detail {

/// The referenced targets of the source with key `source_key`, in array order, appended to
/// `out` (entities of the target model).
RELATA_ENGINE_INLINE void references_many_targets(const bindings& b,
                                                  const model_definition& source_model,
                                                  const relation_definition& r,
                                                  std::span<const value> source_key,
                                                  entity_buffer& out);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE void references_many_targets(const bindings& b,
                                                  const model_definition& source_model,
                                                  const relation_definition& r,
                                                  std::span<const value> source_key,
                                                  entity_buffer& out) {
  const auto keys =
      read_property_by_key(b.source_of(source_model), source_model, source_key, r.key_from);
  if (!keys) throw entity_not_found(std::string(source_model.name), describe_key(source_key));
  if (keys->kind() != value_kind::array || keys->as_array().empty()) return;
  const model_definition& target = r.target();
  datasource& source = b.source_of(target);
  entity_buffer found(*target.entity);
  const auto distinct = distinct_keys(keys->as_array());
  for (auto chunk : chunks(distinct, chunk_size(source, 0))) {
    select_into(
        source, target, found, key_in(r.key_to, chunk), {}, std::nullopt, 0, all_columns(target));
  }
  std::unordered_map<value, std::size_t> by_key;
  for (std::size_t i = 0; i < found.size(); ++i) {
    by_key.emplace(property_value(target, found.at(i), r.key_to), i);
  }
  for (const auto& k : keys->as_array()) {
    auto it = by_key.find(k);
    if (it == by_key.end()) continue;
    transfer_entity(target, out.emplace_back(), found.at(it->second), false);
  }
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
