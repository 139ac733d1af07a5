// relata/relation/belongs_to.hpp: the accessor of a belongsTo relation.
//
//     std::optional<Customer> owner = orders.customer(pens.id);
//
// The source missing is ENTITY_NOT_FOUND; a null foreign key is an empty result; a key that
// points at nothing is ENTITY_NOT_FOUND naming the target and the key.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <relata/connector.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/inclusion.hpp>
#include <relata/model.hpp>

namespace relata::detail {

/// Reads one property of the entity of `m` with key `key`; nothing when there is no entity.
RELATA_ENGINE_INLINE std::optional<value> read_property_by_key(datasource& source,
                                                               const model_definition& m,
                                                               std::span<const value> key,
                                                               std::size_t property);

/// The belongsTo target of the source with key `source_key`, into `out` (entities of the
/// target model); false for a null foreign key.
RELATA_ENGINE_INLINE bool belongs_to_target(const bindings& b,
                                            const model_definition& source_model,
                                            const relation_definition& r,
                                            std::span<const value> source_key,
                                            entity_buffer& out);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE std::optional<value> read_property_by_key(datasource& source,
                                                               const model_definition& m,
                                                               std::span<const value> key,
                                                               std::size_t property) {
  struct one final : row_sink {
    const property_definition& p;
    std::optional<value> result;
    explicit one(const property_definition& d) : p(d) {}
    void on_row(const row& r) override { result = r.get(0, p.kind, p.element_kind); }
  } sink{m.properties[property]};
  select_query q;
  q.model = &m;
  q.where = key_condition(m, key);
  q.columns = {property};
  q.limit = 1;
  source.select(q, sink);
  return sink.result;
}

RELATA_ENGINE_INLINE bool belongs_to_target(const bindings& b,
                                            const model_definition& source_model,
                                            const relation_definition& r,
                                            std::span<const value> source_key,
                                            entity_buffer& out) {
  const auto key =
      read_property_by_key(b.source_of(source_model), source_model, source_key, r.key_from);
  if (!key) throw entity_not_found(std::string(source_model.name), describe_key(source_key));
  if (key->is_null()) return false;
  const model_definition& target = r.target();
  ast::filter f;
  f.where = equals(r.key_to, *key);
  f.limit = 1;
  find_entities(b, target, out, f);
  if (out.empty()) {
    throw entity_not_found(std::string(target.name),
                           std::string(target.properties[r.key_to].name),
                           key->to_string() + " (the " + std::string(r.name) + " of " +
                               std::string(source_model.name) + " " + describe_key(source_key) +
                               ")");
  }
  return true;
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
