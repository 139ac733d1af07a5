// SQLite errors name their result code: every primary and extended code of the sqlite3.h
// relata is compiled with, read from that header here, has its own name as native_code().
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <relata/sqlite.hpp>

namespace {

/// Every result code sqlite3.h defines, by name: primary ones (`#define SQLITE_BUSY 5 ...`, up to
/// SQLITE_DONE) and extended ones (`#define SQLITE_IOERR_FSYNC (SQLITE_IOERR | (4<<8))`).
std::map<std::string, int> result_codes_in_header() {
  std::ifstream in{RELATA_SQLITE3_HEADER};
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string header = text.str();
  std::map<std::string, int> codes;
  const std::regex primary{R"(#define (SQLITE_[A-Z_]+) +(\d+) +/\*)"};
  for (std::sregex_iterator it{header.begin(), header.end(), primary}, end; it != end; ++it) {
    codes[(*it)[1]] = std::stoi((*it)[2]);
    if ((*it)[1] == "SQLITE_DONE") break;  // later plain numbers are not result codes
  }
  const std::regex extended{R"(#define (SQLITE_[A-Z_]+) +\((SQLITE_[A-Z]+) *\| *\((\d+)<<8\)\))"};
  for (std::sregex_iterator it{header.begin(), header.end(), extended}, end; it != end; ++it) {
    REQUIRE(codes.count((*it)[2]) == 1);
    codes[(*it)[1]] = codes[(*it)[2]] | (std::stoi((*it)[3]) << 8);
  }
  return codes;
}

}  // namespace

TEST_CASE("sqlite errors: every result code of sqlite3.h has its name", "[sqlite][errors]") {
  const auto codes = result_codes_in_header();
  CHECK(codes.size() > 100);
  CHECK(codes.at("SQLITE_IOERR_WRITE") == SQLITE_IOERR_WRITE);
  for (const auto& [name, code] : codes) {
    INFO(name << " = " << code);
    CHECK(relata::sqlite::detail::code_name(code) == name);
  }
}

TEST_CASE("sqlite errors: a code newer than the header says its primary name and number",
          "[sqlite][errors]") {
  CHECK(relata::sqlite::detail::code_name(SQLITE_IOERR | (200 << 8)) ==
        "SQLITE_IOERR (result code 51210)");
  CHECK(relata::sqlite::detail::code_name(250) == "SQLITE (result code 250)");
}
