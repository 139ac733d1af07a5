// relata/relation/has_one.hpp: the constrained repository of a hasOne relation.
//
//     customers.address(ada.id).create({.street = "1 Main St"});   // customer_id = ada.id
//     auto home = customers.address(ada.id).get();                 // ENTITY_NOT_FOUND if none
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/constraint.hpp>
#include <relata/detail/crud.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/inclusion.hpp>
#include <relata/model.hpp>

namespace relata {

/// The one target of a source through a hasOne relation.
template <model Target>
class has_one_repository {
 public:
  explicit has_one_repository(detail::relation_scope scope) : scope_(std::move(scope)) {}

  /// Creates the target; refused (CONSTRAINT_VIOLATION) when the source already has one.
  Target create(Target entity) const {
    scope_.constrain(&entity);
    datasource& source = scope_.target_source();
    transaction tx{source};
    if (source.count(scope_.target(), scope_.condition()) > 0) {
      throw constraint_violation(scope_.describe() + " already has a target for key " +
                                 scope_.key.to_string());
    }
    void* one[] = {&entity};
    detail::insert_entities(source, scope_.target(), one);
    tx.commit();
    return entity;
  }
  /// The target (the first by id, as an include picks it); ENTITY_NOT_FOUND when absent.
  Target get(const filter<Target>& f = {}) const {
    auto query = f.lower();
    query.where = ast::make_and(scope_.condition(), query.where);
    query.limit = 1;
    entities<Target> out;
    detail::find_entities(*scope_.bindings, scope_.target(), detail::buffer_of(out), query);
    if (out.empty()) {
      throw entity_not_found(std::string(scope_.target().name),
                             std::string(scope_.target().properties[scope_.relation->key_to].name),
                             scope_.key.to_string());
    }
    return std::move(out.front());
  }
  /// Updates the target (if it matches `w`); the foreign key cannot be changed.
  std::uint64_t patch(const changes<Target>& data, const where<Target>& w = {}) const {
    scope_.check_changes(data.assignments());
    return detail::update_where(scope_.target_source(),
                                scope_.target(),
                                data.assignments(),
                                ast::make_and(scope_.condition(), scope_.local(w)));
  }
  /// Deletes the target (if it matches `w`).
  std::uint64_t delete_all(const where<Target>& w = {}) const {
    return scope_.target_source().remove(scope_.target(),
                                         ast::make_and(scope_.condition(), scope_.local(w)));
  }

 private:
  detail::relation_scope scope_;
};

}  // namespace relata
