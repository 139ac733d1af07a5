// relata/json_text.hpp: results and entities as JSON text, `relata::dump_json(found, 2)`.
//
// The text is written by the engine from the model's definition, so a unit that only prints
// JSON does not compile nlohmann/json (about 0.7 s of g++ -O2 per unit, and more for its
// serializer). Converting models to and from nlohmann::json values, and nlohmann::json
// properties, are <relata/json.hpp>.
#pragma once

#include <string>

#include <relata/detail/config.hpp>
#include <relata/detail/definition.hpp>
#include <relata/entities.hpp>
#include <relata/model.hpp>

namespace relata {

namespace detail {
/// The JSON text of an entity of `model` and of entities of `model` (json.hpp's
/// entity_to_json and entities_to_json, dumped with `indent` as nlohmann::json::dump does).
std::string entity_json_text(const model_definition& model, const void* entity, int indent);
std::string entities_json_text(const model_definition& model, const entity_buffer& all, int indent);
}  // namespace detail

/// Results as JSON text: an array of their entities' objects, each with its properties and its
/// loaded relations (`std::cout << relata::dump_json(customers.find(), 2)`). Compact for -1.
template <class M>
std::string dump_json(const entities<M>& all, int indent = -1) {
  return detail::entities_json_text(definition_of<M>(), detail::buffer_of(all), indent);
}
/// An entity as JSON text: its properties and its loaded relations.
template <model M>
std::string dump_json(const M& entity, int indent = -1) {
  return detail::entity_json_text(definition_of<M>(), &entity, indent);
}

}  // namespace relata

#if RELATA_DEFINE_ENGINE
#include <relata/json.hpp>  // the engine behind dump_json
#endif
