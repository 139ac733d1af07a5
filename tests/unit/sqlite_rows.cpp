// Reading SQLite rows: the getters refuse a NULL themselves (asking the cell's type only when a
// read gives 0, 0.0 or nothing), so a NULL in a column whose property is not a std::optional
// is an error naming the property, while zeros and empty values read as themselves.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

namespace rows_test {

enum class level : std::int32_t { low, high };

struct Reading {
  RELATA_MODEL(Reading,
               (relata::id<std::int64_t>, id),
               (std::int64_t, count),
               (double, ratio),
               (bool, flag),
               (std::string, label),
               (relata::blob, bytes),
               (relata::timestamp, at),
               (level, grade),
               (std::vector<std::int64_t>, numbers));
};

/// The same table, every column optional.
struct LooseReading {
  RELATA_MODEL(LooseReading,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, count),
               (std::optional<double>, ratio),
               (std::optional<bool>, flag),
               (std::optional<std::string>, label),
               (std::optional<relata::blob>, bytes),
               (std::optional<relata::timestamp>, at),
               (std::optional<level>, grade),
               (std::optional<std::vector<std::int64_t>>, numbers));
  using relata_options = relata::options<relata::table<"Reading">>;
};

}  // namespace rows_test

using rows_test::LooseReading;
using rows_test::Reading;

TEST_CASE("sqlite rows: zeros and empty values read as themselves", "[sqlite][null]") {
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<LooseReading>(db);
  db.execute(
      "INSERT INTO \"Reading\" VALUES (1, 0, 0.0, 0, '', x'', '1970-01-01 00:00:00', 0, '[]')");
  relata::repository<Reading> readings{db};
  const auto r = readings.find_by_id(1);
  CHECK(r.count == 0);
  CHECK(r.ratio == 0.0);
  CHECK_FALSE(r.flag);
  CHECK(r.label.empty());
  CHECK(r.bytes.empty());
  CHECK(r.at == relata::timestamp{});
  CHECK(r.grade == rows_test::level::low);
  CHECK(r.numbers.empty());
}

TEST_CASE("sqlite rows: a NULL for a property that is not optional is an error naming it",
          "[sqlite][null]") {
  const std::vector<std::string> columns{
      "count", "ratio", "flag", "label", "bytes", "at", "grade", "numbers"};
  for (const auto& column : columns) {
    INFO(column);
    relata::sqlite::datasource db{":memory:"};
    relata::migrate<LooseReading>(db);
    db.execute(
        "INSERT INTO \"Reading\" VALUES (1, 1, 1.5, 1, 'a', x'01', '2024-01-01 00:00:00', 1, "
        "'[1]')");
    db.execute("UPDATE \"Reading\" SET \"" + column + "\" = NULL");
    relata::repository<Reading> readings{db};
    const std::string expected = "property " + column +
                                 " of model Reading: the database holds NULL but the property "
                                 "is not a std::optional";
    CHECK_THROWS_MATCHES(readings.find_by_id(1),
                         relata::invalid_data,
                         Catch::Matchers::Message("INVALID_DATA: " + expected));
    CHECK_THROWS_MATCHES(readings.find(),
                         relata::invalid_data,
                         Catch::Matchers::Message("INVALID_DATA: " + expected));
    // the optional model reads it as nothing
    relata::repository<LooseReading> loose{db};
    const auto r = loose.find_by_id(1);
    CHECK((column != "count" || !r.count));
    CHECK((column != "label" || !r.label));
    CHECK((column != "bytes" || !r.bytes));
    CHECK((column != "at" || !r.at));
  }
}
