#include <relata/postgres.hpp>

#include "support/backend.hpp"
#include "support/postgres.hpp"

namespace relata_test {

std::unique_ptr<relata::datasource> make_datasource() {
  return std::make_unique<relata::postgres::datasource>(fresh_postgres_schema());
}
std::string_view backend_name() { return "postgres"; }
void set_parameter_limit(relata::datasource& db, std::size_t limit) {
  // PostgreSQL binds an IN list as one array parameter: what bounds a chunk is the list size.
  static_cast<relata::postgres::datasource&>(db).set_max_list_size(limit);
}

}  // namespace relata_test
