// A datasource's naming policy: one set of models on databases with different conventions.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

namespace naming_test {

struct TrackItem;

struct MediaType {
  RELATA_MODEL(MediaType,
               (relata::id<std::int64_t>, media_type_id),
               (std::string, name),
               (relata::has_many<TrackItem, relata::key_to<"media_type_id">>, tracks));
};

struct TrackItem {
  RELATA_MODEL(TrackItem,
               (relata::id<std::int64_t>, track_item_id),
               (std::string, unit_name),
               (std::int64_t, media_type_id),
               (relata::belongs_to<MediaType, relata::key_from<"media_type_id">>, media_type));
  // an explicit name is the database's name whatever the policy
  using relata_options = relata::options<relata::column<&TrackItem::unit_name, "label">>;
};

/// The names SQLite reports for a table's columns.
std::vector<std::string> columns_of(relata::sqlite::datasource& db, const std::string& table) {
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  const std::string sql = "SELECT name FROM pragma_table_info(?)";
  REQUIRE(sqlite3_prepare_v2(db.native_handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  return out;
}

}  // namespace naming_test

using namespace naming_test;

TEST_CASE("naming policy: tables and columns follow the datasource's convention", "[naming]") {
  relata::sqlite::datasource pascal{
      ":memory:",
      {.names = {.tables = relata::naming::as_is, .columns = relata::naming::pascal_case}}};
  relata::sqlite::datasource snake{
      ":memory:",
      {.names = {.tables = relata::naming::snake_case, .columns = relata::naming::as_is}}};
  relata::migrate<MediaType, TrackItem>(pascal);
  relata::migrate<MediaType, TrackItem>(snake);

  CHECK(columns_of(pascal, "MediaType") == std::vector<std::string>{"MediaTypeId", "Name"});
  CHECK(columns_of(pascal, "TrackItem") ==
        std::vector<std::string>{"TrackItemId", "label", "MediaTypeId"});
  CHECK(columns_of(snake, "media_type") == std::vector<std::string>{"media_type_id", "name"});
  CHECK(columns_of(snake, "track_item") ==
        std::vector<std::string>{"track_item_id", "label", "media_type_id"});

  for (relata::sqlite::datasource* db : {&pascal, &snake}) {
    relata::repository<MediaType> types{*db};
    relata::repository<TrackItem> tracks{*db};
    auto mp3 = types.create({.name = "MP3"});
    types.tracks(mp3.media_type_id).create({.unit_name = "one"});
    tracks.create({.unit_name = "two", .media_type_id = mp3.media_type_id});
    const auto all = types.find({.include = {"tracks"}});
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].tracks.size() == 2);
    CHECK(all[0].tracks[1].unit_name == "two");
    CHECK(tracks.media_type(all[0].tracks[0].track_item_id)->name == "MP3");
    CHECK(tracks.count(relata::col(&TrackItem::unit_name).like("t%")) == 1);
  }
}

TEST_CASE("naming policy: the SQL text uses the policy's names", "[naming][sql]") {
  relata::sql::sqlite_dialect dialect;
  relata::sql::generator snake{dialect, {.tables = relata::naming::snake_case}};
  relata::sql::generator plain{dialect};
  const auto& def = relata::definition_of<MediaType>();
  CHECK(snake.table(def) == "media_type");
  CHECK(plain.table(def) == "MediaType");
  CHECK(snake.count(def, nullptr).text == "SELECT COUNT(*) FROM \"media_type\"");
}
