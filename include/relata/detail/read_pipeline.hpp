// The read pipeline: what every find runs, whatever the repository that calls it.
//
// How `customers.find({.include = {"orders"}})` travels, file by file:
//
// 1. repository.hpp: repository<Customer>::find lowers the typed filter to the query tree
//    (filter<M>::lower, filter.hpp; the tree is query.hpp) and calls find_entities below with
//    the model's runtime definition (schema.hpp, built by detail/definition.hpp).
// 2. find_entities (here): checks that relation conditions stay in one datasource
//    (detail/crud.hpp), validates the include names (detail/include_resolver.hpp), and reads
//    the customers with the filter's fields plus the keys the includes need.
// 3. detail/crud.hpp: select_into makes a select_query (connector.hpp) and hands it to the
//    datasource; a SQL connector (sqlite.hpp, postgres.hpp) turns it into SQL with
//    sql/generator.hpp and reads each row into an entity through the property codecs.
// 4. detail/include_resolver.hpp: resolve_includes loads each include entry through its
//    relation's kind (relation/has_many.hpp: has_many_kind::load), which reads the orders with
//    `customer_id IN (...)` in chunks and stitches them into each customer's `orders`.
// 5. Back here, the keys read only for the includes are cleared; the entities go back up to
//    the repository as a relata::entities<Customer>.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/crud.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/entity_storage.hpp>
#include <relata/detail/include_resolver.hpp>
#include <relata/errors.hpp>
#include <relata/query.hpp>
#include <relata/schema.hpp>

namespace relata::detail {

/// A find: the select, the includes, then the keys fetched only for the includes are cleared.
void find_entities(const bindings& b,
                   const model_definition& m,
                   entity_buffer& rows,
                   const ast::filter& f);

/// find_by_id: the entity of `m` with primary key `key` into `rows`, filter `f` applying;
/// ENTITY_NOT_FOUND when there is none. Without a filter, the connector's select_by_key.
void find_by_key(const bindings& b,
                 const model_definition& m,
                 entity_buffer& rows,
                 std::span<const value> key,
                 ast::filter f);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE void find_entities(const bindings& b,
                                        const model_definition& m,
                                        entity_buffer& rows,
                                        const ast::filter& f) {
  local_conditions(b, m, f.where);
  if (f.limit) ast::check_row_count(*f.limit, "limit");
  ast::check_row_count(f.skip, "skip");
  validate_includes(m, f.include);
  std::vector<std::size_t> helper_columns;
  auto columns = select_columns(m, f.fields, include_keys(m, f.include), &helper_columns);
  select_into(b.source_of(m), m, rows, f.where, f.order, f.limit, f.skip, std::move(columns));
  resolve_includes(b, m, rows, f.include);
  if (!helper_columns.empty()) {
    const std::size_t n = rows.size();
    for (std::size_t i = 0; i < n; ++i) {
      for (auto p : helper_columns) m.forget(rows.at(i), p);
    }
  }
}

RELATA_ENGINE_INLINE void find_by_key(const bindings& b,
                                      const model_definition& m,
                                      entity_buffer& rows,
                                      std::span<const value> key,
                                      ast::filter f) {
  if (!f.where && f.order.empty() && !f.limit && f.skip == 0 && f.fields.all() &&
      f.include.empty()) {
    check_key(m, key);
    const auto columns = all_columns(m);
    entity_collector collector{m, rows, columns};
    b.source_of(m).select_by_key(m, key, collector);
  } else {
    f.where = ast::make_and(key_condition(m, key), f.where);
    find_entities(b, m, rows, f);
  }
  if (rows.size() == 0) throw entity_not_found(std::string(m.name), describe_key(key));
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
