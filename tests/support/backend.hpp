// The connector a conformance executable runs against. The suite is compiled once; each
// backend_*.cpp defines these for its connector and is linked with it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <relata/connector.hpp>

namespace relata_test {

/// A fresh, empty database of the backend under test.
std::unique_ptr<relata::datasource> make_datasource();

/// "memory", "sqlite", "postgres".
std::string_view backend_name();

/// Lowers the bind-parameter limit of `db` (for chunking tests).
void set_parameter_limit(relata::datasource& db, std::size_t limit);

/// Counts the queries a datasource runs, while alive.
class query_log {
 public:
  explicit query_log(relata::datasource& db) : db_(db) {
    db_.observe([this](const relata::query_event& e) { statements.emplace_back(e.text); });
  }
  ~query_log() { db_.observe({}); }
  query_log(const query_log&) = delete;
  query_log& operator=(const query_log&) = delete;

  /// Queries that read (SELECT ...), the ones batching is about.
  std::size_t selects() const {
    std::size_t n = 0;
    for (const auto& s : statements) n += s.rfind("SELECT", 0) == 0;
    return n;
  }
  void clear() { statements.clear(); }

  std::vector<std::string> statements;

 private:
  relata::datasource& db_;
};

}  // namespace relata_test
