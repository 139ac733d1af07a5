// relata/relation/as.hpp: what the relations declared with relata::as share (LoopBack 3's
// polymorphic hasMany and hasOne, `polymorphic: "imageable"`): their targets may belong to
// sources of several models, so they hold a key and a discriminator naming the source's model,
// stamped on every write and required by every read, include and condition. No foreign key
// can refer to several tables: migrate indexes the key instead. The kinds are in
// relation/has_many_as.hpp and relation/has_one_as.hpp.
#pragma once

#include <string>
#include <utility>

#include <relata/detail/config.hpp>
#include <relata/detail/constraints.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/detail/relation_scope.hpp>
#include <relata/query.hpp>
#include <relata/relation/kind.hpp>
#include <relata/schema.hpp>

namespace relata {

namespace detail {

/// What a relation "as" shares: its targets' discriminator holds the source model's name.
struct discriminated_target {
  /// target.discriminator = <source model name>
  static ast::node_ptr match(const relation_definition& r);
  /// The scope of the source whose key_from is `key`, stamping the discriminator.
  template <class Traits, class Key>
  static relation_scope scope(const relation_access& a, const Key& key) {
    auto s = scope_of<Traits>(a, key);
    s.stamp = value{std::string(a.source.name)};
    return s;
  }
  /// The include, its targets restricted to those naming the parents' model.
  static include_node restricted(const include_node& node);
  /// The relation condition, likewise.
  static ast::node_ptr condition(const relation_definition& r,
                                 ast::quantifier quantity,
                                 ast::node_ptr where);
  /// An index on the key; no foreign key can refer to several tables.
  static void constraints(const relation_definition& r, constraint_builder& out);
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE ast::node_ptr discriminated_target::match(const relation_definition& r) {
  return equals(r.discriminator, value{std::string(r.source)});
}

RELATA_ENGINE_INLINE include_node discriminated_target::restricted(const include_node& node) {
  include_node restricted = node;
  restricted.match = match(node.relation);
  return restricted;
}

RELATA_ENGINE_INLINE ast::node_ptr discriminated_target::condition(const relation_definition& r,
                                                                   ast::quantifier quantity,
                                                                   ast::node_ptr where) {
  return quantified(ast::exists{.model = &r.target(),
                                .key = r.key_to,
                                .outer_key = r.key_from,
                                .scope = ast::make_and(match(r), scope_condition(r, r.target())),
                                .relation = r.name},
                    quantity,
                    std::move(where));
}

RELATA_ENGINE_INLINE void discriminated_target::constraints(const relation_definition& r,
                                                            constraint_builder& out) {
  // The discriminator names the source's model, and any model may declare an "as" relation
  // to this target: an open set, so no CHECK; (discriminator, key) is indexed as the
  // includes and conditions read it.
  out.index(r.target(), {r.discriminator, r.key_to}, false);
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail
}  // namespace relata
