#include <relata/memory.hpp>

#include "support/backend.hpp"

namespace relata_test {

std::unique_ptr<relata::datasource> make_datasource() {
  return std::make_unique<relata::memory::datasource>();
}
std::string_view backend_name() { return "memory"; }
void set_parameter_limit(relata::datasource& db, std::size_t limit) {
  static_cast<relata::memory::datasource&>(db).set_max_parameters(limit);
}

}  // namespace relata_test
