// relata/detail/embedded_condition.hpp: relata::some, none and every on the items of an
// embedsMany (relation/embeds_many.hpp): an ast::exists over the outer row's document, which
// the SQL generator reads with the dialect's JSON functions and the memory connector with the
// document's own reader (embedded_document::rows). Apart from detail/embedded.hpp so that the
// filter JSON parser needs no JSON codec of models.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

#include <relata/detail/config.hpp>
#include <relata/errors.hpp>
#include <relata/query.hpp>
#include <relata/relation/kind.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// `quantity` of the items of embedsMany property `property` of `owner` satisfy `where`, a
/// condition on the items' own properties (relation conditions inside it are refused:
/// INVALID_FILTER).
ast::node_ptr embedded_condition(const model_definition& owner,
                                 std::size_t property,
                                 ast::quantifier quantity,
                                 ast::node_ptr where);

#if RELATA_DEFINE_ENGINE

namespace embedded_detail {
/// Refuses in a condition on items what the databases cannot test inside a JSON document:
/// relation conditions (items have no rows to join), and comparisons of properties other than
/// numbers, text and booleans (a timestamp's JSON text is not its column's form).
inline void check_item_condition(const model_definition& item,
                                 const ast::node_ptr& where,
                                 const std::string& property) {
  if (!where) return;
  if (const auto* j = std::get_if<ast::junction>(&where->content)) {
    for (const auto& child : j->children) check_item_condition(item, child, property);
  } else if (const auto* c = std::get_if<ast::comparison>(&where->content)) {
    const property_definition& p = item.properties[c->property];
    switch (p.kind) {
      case value_kind::integer:
      case value_kind::real:
      case value_kind::text:
      case value_kind::boolean:
        return;
      default:
        throw invalid_filter("invalid filter: the condition on the items of " + property +
                             " compares " + std::string(item.name) + "." + std::string(p.name) +
                             ", a " + std::string(to_string(p.kind)) +
                             "; conditions on embedded items compare numbers, text and booleans");
    }
  } else {
    throw invalid_filter("invalid filter: the condition on the items of " + property +
                         " holds a relation condition; items are tested on their own "
                         "properties");
  }
}
}  // namespace embedded_detail

RELATA_ENGINE_INLINE ast::node_ptr embedded_condition(const model_definition& owner,
                                                      std::size_t property,
                                                      ast::quantifier quantity,
                                                      ast::node_ptr where) {
  const property_definition& p = owner.properties[property];
  const model_definition& item = p.codec->embedded->item();
  embedded_detail::check_item_condition(
      item, where, std::string(owner.name) + "." + std::string(p.name));
  return quantified(
      ast::exists{.model = &item, .outer_key = property, .relation = p.name, .embedded = true},
      quantity,
      std::move(where));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
