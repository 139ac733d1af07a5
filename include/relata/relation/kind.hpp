// relata/relation/kind.hpp: what a relation kind is, for the engine. A kind (hasMany,
// belongsTo, ...) lives in one file, relation/<kind>.hpp, as one class deriving from
// relation_kind:
//
// - at compile time, its key rules (relation/traits.hpp reads them) and its accessor (what
//   `repository.<relation>(key)` returns);
// - at run time, through the virtual functions below: how an include of it is loaded, the
//   condition `some` / `none` / `every` builds from it, and the constraints `migrate` creates
//   for it.
//
// Every relation_definition points at its kind's one instance (`kind_instance<K>`). The include
// resolver, the relation conditions and the schema code ask it; nothing outside relation/ looks
// at which kind a relation is. A new kind is its own file, included by relations.hpp.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/query.hpp>
#include <relata/schema.hpp>

namespace relata {

namespace detail {
struct include_node;       // detail/include_resolver.hpp
class constraint_builder;  // detail/constraints.hpp
}  // namespace detail

/// A relation kind at run time. Its instance is a constant (`detail::kind_instance<K>`), so a
/// model's definition can point at it from its compile-time declaration.
class relation_kind {
 public:
  /// The kind's name in messages: "hasMany", "belongsTo", ...
  std::string_view name() const noexcept { return name_; }

  /// The properties of the source an include of `r` reads to find its targets (whatever the
  /// include's `fields` say): by default its key_from.
  virtual void source_keys(const relation_definition& r, std::vector<std::size_t>& out) const;

  /// Loads the targets of an include node into its parents, batched (see
  /// detail/include_resolver.hpp for the steps every kind shares).
  virtual void load(const detail::include_node& node) const = 0;

  /// The condition "`quantity` related row of the outer row matches `where`" (a null `where`
  /// matches any row), in the query tree's own terms (ast::exists, comparisons, junctions), so
  /// that connectors evaluate it without knowing relations.
  virtual ast::node_ptr condition(const relation_definition& r,
                                  ast::quantifier quantity,
                                  ast::node_ptr where) const = 0;

  /// The same, for a polymorphic relation's targets of model `target` only (`where` is on that
  /// model): `relata::some(&Contact::stakeholder, relata::on<Customer>(...))`. A kind with one
  /// target model answers condition().
  virtual ast::node_ptr condition_on(const relation_definition& r,
                                     const model_definition& target,
                                     ast::quantifier quantity,
                                     ast::node_ptr where) const;

  /// Declares the foreign keys and indexes `migrate` creates for `r`, a relation of `source`.
  virtual void constraints(const relation_definition& r,
                           const model_definition& source,
                           detail::constraint_builder& out) const = 0;

  /// The models `r` brings that no one declares, which `migrate` creates with the models it is
  /// given (hasAndBelongsToMany's link); none by default.
  virtual void implied_models(const relation_definition& r,
                              std::vector<const model_definition*>& out) const;

 protected:
  constexpr explicit relation_kind(std::string_view name) noexcept : name_(name) {}
  ~relation_kind() = default;

 private:
  std::string_view name_;
};

namespace detail {

/// The one instance of relation kind K.
template <class K>
inline constexpr K kind_instance{};

/// `quantity` of the rows `matched` selects satisfy `where`: some (EXISTS), none (NOT
/// EXISTS), every (NOT EXISTS a row for which `where` is not true; without a `where`, an empty
/// AND: always true). `matched.where` and its flags are set here.
ast::node_ptr quantified(ast::exists matched, ast::quantifier quantity, ast::node_ptr where);

/// The scope of `r`'s targets of model `target` (the relation's target, or one of a polymorphic
/// relation's): the target model's default scope (relata::default_scope), with the relation's
/// own (relata::scope) over it (ast::merge_scope). Every read and write through the relation
/// applies it; empty when neither exists.
ast::filter scope_filter(const relation_definition& r, const model_definition& target);
/// Its where alone: what a row of `target` must meet to be related through `r` at all; null
/// when nothing.
ast::node_ptr scope_condition(const relation_definition& r, const model_definition& target);

/// `quantity` of the targets whose key_to equals the outer row's key_from satisfy `where`: the
/// condition of the relations keyed that way (hasMany, hasOne, belongsTo).
ast::node_ptr keyed_condition(const relation_definition& r,
                              ast::quantifier quantity,
                              ast::node_ptr where);

}  // namespace detail

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE void relation_kind::source_keys(const relation_definition& r,
                                                     std::vector<std::size_t>& out) const {
  out.push_back(r.key_from);
}

RELATA_ENGINE_INLINE ast::node_ptr relation_kind::condition_on(const relation_definition& r,
                                                               const model_definition&,
                                                               ast::quantifier quantity,
                                                               ast::node_ptr where) const {
  return condition(r, quantity, std::move(where));
}

RELATA_ENGINE_INLINE void relation_kind::implied_models(
    const relation_definition&, std::vector<const model_definition*>&) const {}

RELATA_ENGINE_INLINE ast::node_ptr detail::quantified(ast::exists matched,
                                                      ast::quantifier quantity,
                                                      ast::node_ptr where) {
  if (quantity == ast::quantifier::every && !where) {
    return ast::make(ast::junction{true, {}});  // every row matches "any row": always true
  }
  matched.where = std::move(where);
  matched.negated = quantity != ast::quantifier::some;
  matched.where_not_true = quantity == ast::quantifier::every;
  return ast::make(std::move(matched));
}

RELATA_ENGINE_INLINE ast::filter detail::scope_filter(const relation_definition& r,
                                                      const model_definition& target) {
  ast::filter scope;
  if (target.default_scope) scope = *target.default_scope();
  if (r.scope) scope = ast::merge_scope(scope, *r.scope());
  return scope;
}

RELATA_ENGINE_INLINE ast::node_ptr detail::scope_condition(const relation_definition& r,
                                                           const model_definition& target) {
  ast::node_ptr where;
  if (target.default_scope) where = target.default_scope()->where;
  if (r.scope) where = ast::make_and(where, r.scope()->where);
  return where;
}

RELATA_ENGINE_INLINE ast::node_ptr detail::keyed_condition(const relation_definition& r,
                                                           ast::quantifier quantity,
                                                           ast::node_ptr where) {
  return quantified(ast::exists{.model = &r.target(),
                                .key = r.key_to,
                                .outer_key = r.key_from,
                                .scope = scope_condition(r, r.target()),
                                .relation = r.name},
                    quantity,
                    std::move(where));
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata
