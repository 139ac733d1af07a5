// main() of the PostgreSQL test programs: reports "skipped" (exit code 77, CTest's
// SKIP_RETURN_CODE) when the test server is unavailable, never "passed".
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include "support/postgres.hpp"

int main(int argc, char* argv[]) {
  std::string why;
  if (!relata_test::postgres_conninfo(&why)) {
    std::cout << "SKIPPED: " << why << '\n';
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
