// migrate against tables that exist already, on every connector: a model that gained a
// property its table lacks is an error naming the column (never the column's own name read
// as a string, SQLite's legacy quoting), an existing table that differs from its model is
// refused with every difference listed, and autoupdate adds what it safely can.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace drift {

/// The table as first migrated.
struct IssueV1 {
  RELATA_MODEL(IssueV1, (relata::id<std::int64_t>, id), (std::string, title));
  using relata_options = relata::options<relata::table<"drift_issues">>;
};

/// The model after it gained an optional property.
struct IssueV2 {
  RELATA_MODEL(IssueV2,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::optional<std::string>, severity));
  using relata_options = relata::options<relata::table<"drift_issues">>;
};

/// A model that differs in ways autoupdate cannot repair, and in one it can.
struct IssueV3 {
  RELATA_MODEL(IssueV3,
               (relata::id<std::int64_t>, id),
               (std::int64_t, title),
               (std::string, severity),
               (std::optional<std::string>, note));
  using relata_options = relata::options<relata::table<"drift_issues">>;
};

}  // namespace drift

using namespace drift;

TEST_CASE("migration: a column missing from its table is an error naming it, not its own name",
          "[migrate][regression]") {
  auto db = relata_test::make_datasource();
  relata::migrate<IssueV1>(*db);
  relata::repository<IssueV1>{*db}.create({.title = "crash"});
  relata::repository<IssueV2> issues{*db};
  CHECK_THROWS_WITH(issues.find(), Catch::Contains("severity"));
  CHECK_THROWS_WITH(issues.count(col(&IssueV2::severity) == "severity"),
                    Catch::Contains("severity"));
}

TEST_CASE(
    "migration: an existing table that differs from its model is refused, every "
    "difference listed",
    "[migrate][regression]") {
  auto db = relata_test::make_datasource();
  relata::migrate<IssueV1>(*db);
  relata::repository<IssueV1>{*db}.create({.title = "crash"});
  try {
    relata::migrate<IssueV3>(*db);
    FAIL("expected schema_mismatch");
  } catch (const relata::schema_mismatch& e) {
    CHECK(e.code() == relata::error_code::schema_mismatch);
    REQUIRE(e.differences().size() == 3);
    CHECK(e.differences()[0].table == "drift_issues");
    CHECK(e.differences()[0].column == "title");
    CHECK(e.differences()[0].expected.find("NOT NULL") != std::string::npos);
    CHECK(e.differences()[0].found.find("NOT NULL") != std::string::npos);
    CHECK(e.differences()[1].column == "severity");
    CHECK(e.differences()[1].found == "no such column");
    CHECK(e.differences()[2].column == "note");
    CHECK(e.differences()[2].found == "no such column");
    const std::string message = e.what();
    CHECK(message.find("table drift_issues, column title: expected ") != std::string::npos);
    CHECK(message.find("column severity: expected ") != std::string::npos);
    CHECK(message.find("column note: expected ") != std::string::npos);
  }
  // Nothing changed: the old model still reads its row.
  CHECK(relata::repository<IssueV1>{*db}.count() == 1);
}

TEST_CASE("migration: autoupdate adds missing nullable columns and keeps the rows",
          "[migrate][regression]") {
  auto db = relata_test::make_datasource();
  relata::migrate<IssueV1>(*db);
  auto first = relata::repository<IssueV1>{*db}.create({.title = "crash"});
  CHECK_THROWS_AS(relata::migrate<IssueV2>(*db), relata::schema_mismatch);

  relata::migrate<IssueV2>(*db, {.autoupdate = true});
  relata::repository<IssueV2> issues{*db};
  const auto old = issues.find_by_id(first.id);
  CHECK(old.title == "crash");
  CHECK(old.severity == std::nullopt);
  auto added = issues.create({.title = "hang", .severity = "high"});
  CHECK(issues.find_by_id(added.id).severity == std::optional<std::string>("high"));
  CHECK(issues.count(col(&IssueV2::severity) == "severity") == 0);
  // Now the table fits: migrating again changes nothing and refuses nothing.
  relata::migrate<IssueV2>(*db);
  CHECK(issues.count() == 2);
}

TEST_CASE("migration: autoupdate refuses what it cannot add, and adds nothing then",
          "[migrate][regression]") {
  auto db = relata_test::make_datasource();
  relata::migrate<IssueV1>(*db);
  try {
    relata::migrate<IssueV3>(*db, {.autoupdate = true});
    FAIL("expected schema_mismatch");
  } catch (const relata::schema_mismatch& e) {
    REQUIRE(e.differences().size() == 2);  // `note` could be added; the others cannot
    CHECK(e.differences()[0].column == "title");
    CHECK(e.differences()[1].column == "severity");
  }
  relata::repository<IssueV1> issues{*db};
  issues.create({.title = "still the old table"});
  CHECK(issues.count() == 1);
}
