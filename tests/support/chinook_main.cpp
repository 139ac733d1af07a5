// main() of the Chinook test programs: reports "skipped" (exit code 77, CTest's
// SKIP_RETURN_CODE) when the Chinook scripts are not in RELATA_CHINOOK_DIR, or, for the
// PostgreSQL one (RELATA_CHINOOK_POSTGRES), when the test server is unavailable; never "passed".
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <string>

#include "support/chinook.hpp"
#if defined(RELATA_CHINOOK_POSTGRES)
#include "support/postgres.hpp"
#endif

#if !defined(RELATA_CHINOOK_DIR)
#error "RELATA_CHINOOK_DIR must name the directory of the Chinook scripts"
#endif

namespace relata_test {

std::optional<std::string> chinook_script(std::string_view file, std::string* why) {
  const std::filesystem::path path = std::filesystem::path(RELATA_CHINOOK_DIR) / file;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    if (why) {
      *why = "the Chinook script " + path.string() +
             " is absent (set RELATA_CHINOOK_DIR to the directory of the Chinook scripts, "
             "https://github.com/lerocha/chinook-database)";
    }
    return std::nullopt;
  }
  return path.string();
}

}  // namespace relata_test

int main(int argc, char* argv[]) {
  std::string why;
#if defined(RELATA_CHINOOK_POSTGRES)
  const char* script = "Chinook_PostgreSql.sql";
#else
  const char* script = "Chinook_Sqlite.sql";
#endif
  if (!relata_test::chinook_script(script, &why)) {
    std::cout << "SKIPPED: " << why << '\n';
    return 77;
  }
#if defined(RELATA_CHINOOK_POSTGRES)
  if (!relata_test::postgres_conninfo(&why)) {
    std::cout << "SKIPPED: " << why << '\n';
    return 77;
  }
#endif
  return Catch::Session().run(argc, argv);
}
