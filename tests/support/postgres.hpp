// The throwaway PostgreSQL server of the tests (started by CTest, see postgres_server.sh).
#pragma once

#include <optional>
#include <string>

namespace relata_test {

/// The connection string of the test server, or nothing (with the reason in `why`) when
/// PostgreSQL tests cannot run here.
std::optional<std::string> postgres_conninfo(std::string* why = nullptr);

/// A connection string to a fresh, empty schema of the test server.
std::string fresh_postgres_schema();

}  // namespace relata_test
