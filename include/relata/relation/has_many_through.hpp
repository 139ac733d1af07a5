// relata/relation/has_many_through.hpp: the constrained repository of a hasManyThrough
// relation (targets linked to the source by rows of a link model).
//
//     auto doctors = patients.doctors(pat.id);
//     doctors.create({.name = "Dr. Who"}, {.date = "..."});  // target + link, one transaction
//     doctors.link(house.id);                                  // the doctor must exist
//     doctors.unlink(house.id);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/detail/constraint.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/keys.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/filter.hpp>
#include <relata/inclusion.hpp>
#include <relata/model.hpp>

namespace relata {

/// The targets linked to one source through a link model. `TargetKey` is the type of the
/// target's key the links hold.
template <model Target, model Link, class TargetKey>
class has_many_through_repository {
 public:
  using key_type = detail::key_type_t<Target>;

  explicit has_many_through_repository(detail::relation_scope scope) : scope_(std::move(scope)) {}

  /// Creates a target and its link (with `through` as the link's other properties), in one
  /// transaction.
  Target create(Target entity, Link through = {}) const {
    datasource& target_source = scope_.target_source();
    datasource& link_source = scope_.bindings->source_of(link_model());
    transaction target_tx{target_source};
    std::optional<transaction> link_tx;  // not atomic across two databases; see README
    if (&link_source != &target_source) link_tx.emplace(link_source);
    void* one[] = {&entity};
    detail::insert_entities(target_source, scope_.target(), one);
    const value target_key = detail::property_value(scope_.target(), &entity, relation().key_to);
    insert_link(link_source, std::move(through), target_key);
    if (link_tx) link_tx->commit();
    target_tx.commit();
    return entity;
  }
  /// The linked targets matching the filter.
  entities<Target> find(const filter<Target>& f = {}) const {
    entities<Target> out;
    auto query = f.lower();
    query.where = ast::make_and(linked(), query.where);
    detail::find_entities(*scope_.bindings, scope_.target(), detail::buffer_of(out), query);
    return out;
  }
  std::uint64_t count(const where<Target>& w = {}) const {
    return scope_.target_source().count(scope_.target(), ast::make_and(linked(), scope_.local(w)));
  }
  /// Updates the linked targets matching `w`.
  std::uint64_t patch(const changes<Target>& data, const where<Target>& w = {}) const {
    return detail::update_where(scope_.target_source(),
                                scope_.target(),
                                data.assignments(),
                                ast::make_and(linked(), scope_.local(w)));
  }
  /// Deletes the linked targets matching `w` and this source's links to them, in one
  /// transaction. A target another source still links is refused by its foreign key and
  /// nothing is deleted.
  std::uint64_t delete_all(const where<Target>& w = {}) const {
    datasource& target_source = scope_.target_source();
    datasource& link_source = scope_.bindings->source_of(link_model());
    const auto keys = linked_target_keys(w);
    if (keys.empty()) return 0;
    transaction target_tx{target_source};
    std::optional<transaction> link_tx;
    if (&link_source != &target_source) link_tx.emplace(link_source);
    std::uint64_t deleted = 0;
    for (auto chunk : detail::chunks(keys, detail::chunk_size(link_source, 1))) {
      link_source.remove(
          link_model(),
          ast::make_and(link_condition(), detail::key_in(relation().through_key_to, chunk)));
    }
    for (auto chunk : detail::chunks(keys, detail::chunk_size(target_source, 0))) {
      deleted += target_source.remove(scope_.target(), detail::key_in(relation().key_to, chunk));
    }
    if (link_tx) link_tx->commit();
    target_tx.commit();
    return deleted;
  }
  /// Links an existing target (ENTITY_NOT_FOUND when it does not exist).
  void link(const TargetKey& target_key, Link through = {}) const {
    const value key = detail::to_value(target_key);
    if (scope_.target_source().count(scope_.target(), detail::equals(relation().key_to, key)) ==
        0) {
      throw entity_not_found(std::string(scope_.target().name),
                             std::string(scope_.target().properties[relation().key_to].name),
                             key.to_string());
    }
    insert_link(scope_.bindings->source_of(link_model()), std::move(through), key);
  }
  /// Removes this source's links to a target; returns how many.
  std::uint64_t unlink(const TargetKey& target_key) const {
    const value key = detail::to_value(target_key);
    return scope_.bindings->source_of(link_model())
        .remove(link_model(),
                ast::make_and(link_condition(), detail::equals(relation().through_key_to, key)));
  }
  /// Removes every link of this source; returns how many (0 when there were none).
  std::uint64_t unlink_all() const {
    return scope_.bindings->source_of(link_model()).remove(link_model(), link_condition());
  }

 private:
  const relation_definition& relation() const { return *scope_.relation; }
  const model_definition& link_model() const { return relation().through(); }

  /// link.through_key_from = key
  ast::node_ptr link_condition() const {
    return detail::equals(relation().through_key_from, scope_.key);
  }
  /// target.key_to IN (SELECT link.through_key_to FROM link WHERE link.through_key_from = key),
  /// or, when the link lives in another datasource, the linked keys read first.
  ast::node_ptr linked() const {
    if (&scope_.bindings->source_of(link_model()) == &scope_.target_source()) {
      return ast::make(ast::membership{
          relation().key_to, false, &link_model(), relation().through_key_to, link_condition()});
    }
    return detail::key_in(relation().key_to, linked_keys_from_links());
  }
  std::vector<value> linked_keys_from_links() const {
    std::vector<value> keys;
    struct sink final : row_sink {
      std::vector<value>& keys;
      value_kind kind;
      sink(std::vector<value>& k, value_kind vk) : keys(k), kind(vk) {}
      void on_row(const row& r) override { keys.push_back(r.get(0, kind)); }
    } s{keys, link_model().properties[relation().through_key_to].kind};
    select_query q;
    q.model = &link_model();
    q.where = link_condition();
    q.columns = {relation().through_key_to};
    scope_.bindings->source_of(link_model()).select(q, s);
    return detail::distinct_keys(std::move(keys));
  }
  std::vector<value> linked_target_keys(const where<Target>& w) const {
    detail::entity_buffer targets(*scope_.target().entity);
    ast::filter f;
    f.where = ast::make_and(linked(), w.node());
    f.fields.properties = {relation().key_to};
    detail::find_entities(*scope_.bindings, scope_.target(), targets, f);
    std::vector<value> keys;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      keys.push_back(detail::property_value(scope_.target(), targets.at(i), relation().key_to));
    }
    return detail::distinct_keys(std::move(keys));
  }
  void insert_link(datasource& link_source, Link through, const value& target_key) const {
    scope_.constrain_property(link_model(), &through, relation().through_key_from, scope_.key);
    scope_.constrain_property(link_model(), &through, relation().through_key_to, target_key);
    void* one[] = {&through};
    detail::insert_entities(link_source, link_model(), one);
  }

  detail::relation_scope scope_;
};

}  // namespace relata
