#include <relata/sqlite.hpp>

#include "support/backend.hpp"

namespace relata_test {

std::unique_ptr<relata::datasource> make_datasource() {
  return std::make_unique<relata::sqlite::datasource>(":memory:");
}
std::string_view backend_name() { return "sqlite"; }
void set_parameter_limit(relata::datasource& db, std::size_t limit) {
  sqlite3_limit(static_cast<relata::sqlite::datasource&>(db).native_handle(),
                SQLITE_LIMIT_VARIABLE_NUMBER,
                static_cast<int>(limit));
}

}  // namespace relata_test
