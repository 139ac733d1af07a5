// The Chinook tests' view of a database: relata's datasource on it, and plain SQL on the same
// database through its own client library (sqlite3 / libpq), to compute the expected answers
// without relata. tests/support/chinook_suite.hpp holds the test cases; tests/unit/chinook.cpp
// (SQLite) and tests/unit/postgres_chinook.cpp (PostgreSQL) each define `chinook_database()`.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <relata/connector.hpp>

namespace relata_test {

/// The path of a Chinook script (Chinook_Sqlite.sql, Chinook_PostgreSql.sql) in the build's
/// RELATA_CHINOOK_DIR, or nothing (with the reason in `why`) when it is not there.
std::optional<std::string> chinook_script(std::string_view file, std::string* why = nullptr);

/// A cell as text; NULL is nothing.
using cell = std::optional<std::string>;
using rows = std::vector<std::vector<cell>>;

class chinook_db {
 public:
  virtual ~chinook_db() = default;

  /// relata's datasource on the database, with the naming policy of its script.
  virtual relata::datasource& db() = 0;
  /// Runs `sql` with the database's own client library: every cell as text (integers in
  /// decimal, NUMERIC as a decimal number, DATETIME as "YYYY-MM-DD HH:MM:SS").
  virtual rows query(const std::string& sql) = 0;
  /// The database's (quoted) identifier for what the SQLite script calls `pascal`.
  virtual std::string identifier(std::string_view pascal) const = 0;
  /// Caps how many keys one include query carries: SQLite's bind-parameter limit,
  /// PostgreSQL's IN-list (array) size. 0 restores the default.
  virtual void limit_keys(std::size_t keys) = 0;
  /// How many keys one include query carries now, when it binds `other` parameters besides.
  virtual std::size_t chunk(std::size_t other) const = 0;
  /// An empty database of the same kind, with the same naming policy.
  virtual std::unique_ptr<chinook_db> empty() = 0;
  /// A query of the database's catalog giving, for each column of table `pascal` in order,
  /// its name, 1 for NOT NULL (else 0), and its position in the primary key (0: none).
  virtual std::string catalog(std::string_view pascal) const = 0;

  /// `sql` with every {Name} replaced by the database's identifier for Name.
  std::string sql(std::string_view text) const {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '{') {
        const std::size_t end = text.find('}', i);
        out += identifier(text.substr(i + 1, end - i - 1));
        i = end;
      } else {
        out += text[i];
      }
    }
    return out;
  }
  /// Runs a {Name} template.
  rows run(std::string_view text) { return query(sql(text)); }
  /// The single integer a {Name} template returns.
  std::int64_t scalar(std::string_view text) {
    const auto r = run(text);
    if (r.size() != 1 || r[0].size() != 1 || !r[0][0]) return -1;
    return std::stoll(*r[0][0]);
  }
};

/// The database under test, loaded once per test program.
chinook_db& chinook_database();

/// AlbumId -> album_id: PostgreSQL's names (and the models' member names) for the SQLite
/// script's. Deliberately not relata's converter: the tests' expectations do not depend on it.
inline std::string snake(std::string_view pascal) {
  std::string out;
  for (std::size_t i = 0; i < pascal.size(); ++i) {
    const char c = pascal[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

/// "0.99" -> 99: a NUMERIC(10,2) (or a sum of them) as whole cents.
inline std::int64_t cents(const std::string& text) { return std::llround(std::stod(text) * 100); }

}  // namespace relata_test
