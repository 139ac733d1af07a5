// The query observer on every connector: it sees the queries that fail as well as those that
// succeed, with the error, and the bound values when it asks for them (blobs elided).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;

namespace observer_test {

struct Picture {
  RELATA_MODEL(Picture,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (relata::blob, bytes));
};

struct Narrow {
  RELATA_MODEL(Narrow, (relata::id<std::int64_t>, id), (std::string, title));
  using relata_options = relata::options<relata::table<"observed">>;
};

/// Narrow's table as a model that gained a property.
struct Wide {
  RELATA_MODEL(Wide,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::optional<std::string>, extra));
  using relata_options = relata::options<relata::table<"observed">>;
};

struct seen {
  std::string text;
  std::string error;
  std::vector<std::string> values;
};

/// Records every event while alive.
struct recorder {
  relata::datasource& db;
  std::vector<seen> events;
  recorder(relata::datasource& source, relata::observe_options options = {}) : db(source) {
    db.observe(
        [this](const relata::query_event& e) {
          CHECK(e.failed() == !e.error.empty());
          events.push_back(seen{std::string(e.text),
                                std::string(e.error),
                                std::vector<std::string>(e.values.begin(), e.values.end())});
        },
        options);
  }
  ~recorder() { db.observe({}); }
  recorder(const recorder&) = delete;
  recorder& operator=(const recorder&) = delete;
};

}  // namespace observer_test

using observer_test::Picture;
using observer_test::recorder;

TEST_CASE("observer: a statement that fails is reported with its error, then thrown",
          "[observer][regression]") {
  auto db = relata_test::make_datasource();
  migrate_all(*db);
  relata::repository<Order> orders{*db};
  recorder log{*db};
  CHECK_THROWS_AS(orders.create({.description = "orphan", .total = 1, .customer_id = 999}),
                  relata::constraint_violation);
  REQUIRE_FALSE(log.events.empty());
  const auto& failed = log.events.back();
  CHECK(failed.text.find("INSERT") != std::string::npos);
  CHECK_THAT(failed.error, Catch::Contains("foreign key", Catch::CaseSensitive::No));
  CHECK(failed.values.empty());  // not asked for

  log.events.clear();
  relata::repository<Customer> customers{*db};
  auto ada = customers.create({.name = "Ada"});
  orders.create({.description = "pens", .total = 1, .customer_id = ada.id});
  CHECK_THROWS_AS(customers.delete_by_id(ada.id), relata::constraint_violation);
  REQUIRE_FALSE(log.events.empty());
  CHECK(log.events.back().text.find("DELETE") != std::string::npos);
  CHECK_FALSE(log.events.back().error.empty());
  for (std::size_t i = 0; i + 1 < log.events.size(); ++i) CHECK(log.events[i].error.empty());
}

TEST_CASE("observer: a statement on a column missing from its table is reported as failed",
          "[observer][regression]") {
  auto db = relata_test::make_datasource();
  relata::migrate<observer_test::Narrow>(*db);
  relata::repository<observer_test::Wide> wide{*db};
  recorder log{*db};
  CHECK_THROWS_WITH(wide.find(), Catch::Contains("extra"));
  if (relata_test::backend_name() == "memory") return;  // refused before any statement
  REQUIRE(log.events.size() == 1);
  CHECK(log.events[0].text.find("SELECT") == 0);
  CHECK(log.events[0].error.find("extra") != std::string::npos);
}

TEST_CASE("observer: the bound values, when asked for, blobs elided", "[observer][regression]") {
  auto db = relata_test::make_datasource();
  relata::migrate<Picture>(*db);
  relata::repository<Picture> pictures{*db};
  recorder log{*db, {.values = true}};
  auto p = pictures.create({.title = "sunset", .bytes = relata::blob(2048)});
  REQUIRE_FALSE(log.events.empty());
  const auto& insert = log.events.back();
  CHECK(insert.error.empty());
  CHECK(std::find(insert.values.begin(), insert.values.end(), "\"sunset\"") != insert.values.end());
  CHECK(std::find(insert.values.begin(), insert.values.end(), "<blob: 2048 bytes>") !=
        insert.values.end());

  log.events.clear();
  (void)pictures.find({.where = relata::col(&Picture::title) == "sunset"});
  REQUIRE(log.events.size() == 1);
  if (relata_test::backend_name() != "memory") {
    CHECK(log.events[0].values == std::vector<std::string>{"\"sunset\""});
  }
  CHECK(pictures.find_by_id(p.id).title == "sunset");
}
