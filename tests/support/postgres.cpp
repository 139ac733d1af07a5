#include "support/postgres.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <unistd.h>

#include <relata/postgres.hpp>

namespace relata_test {

std::optional<std::string> postgres_conninfo(std::string* why) {
  const char* state = std::getenv("RELATA_TEST_POSTGRES_STATE");
  if (!state) {
    if (why) *why = "RELATA_TEST_POSTGRES_STATE is not set (run the tests through ctest)";
    return std::nullopt;
  }
  std::ifstream in{state};
  std::string line;
  if (!std::getline(in, line) || line.empty()) {
    if (why) *why = std::string("no test server state in ") + state;
    return std::nullopt;
  }
  if (line.rfind("unavailable", 0) == 0) {
    if (why) *why = line;
    return std::nullopt;
  }
  return line;
}

std::string fresh_postgres_schema() {
  std::string why;
  auto conninfo = postgres_conninfo(&why);
  if (!conninfo) throw std::runtime_error("PostgreSQL test server unavailable: " + why);
  static relata::postgres::datasource admin{*conninfo, {.pool_size = 1}};
  static std::atomic<int> counter{0};
  // test programs run in parallel against one server: the process id keeps them apart
  const std::string schema =
      "relata_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  admin.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  return *conninfo + " options='-c search_path=" + schema + "'";
}

}  // namespace relata_test
