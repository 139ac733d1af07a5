// Entities as a REST client sees them, on every connector: JSON has the properties an entity
// has (a find's `fields` leave the others out, as LoopBack does; an entity read from JSON has
// the JSON's keys), and a write refuses an entity that lacks required properties, with the
// model's declared defaults filling what a JSON body may leave out.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace tracker {

struct Comment;

struct Issue {
  RELATA_MODEL(Issue,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::string, body),
               (std::int64_t, author_id),
               (std::chrono::sys_seconds, created_at),
               (std::string, status),
               (std::int64_t, priority),
               (std::optional<std::string>, severity),
               (relata::has_many<Comment>, comments));
  using relata_options = relata::options<relata::default_value<&Issue::status, "open">,
                                         relata::default_value<&Issue::priority, 3>>;
};

struct Person {
  RELATA_MODEL(Person, (relata::id<std::int64_t>, id), (std::string, login), (std::string, email));
};

struct Label {
  RELATA_MODEL(Label,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::vector<std::string>, aliases),
               (nlohmann::json, meta));
};

struct Comment {
  RELATA_MODEL(Comment,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::int64_t, issue_id),
               (std::int64_t, person_id),
               (relata::belongs_to<Person>, person));
};

const auto noon = std::chrono::sys_seconds{std::chrono::sys_days{std::chrono::year{2024} / 3 / 1}} +
                  std::chrono::hours{12};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Issue> issues{*db};
  relata::repository<Person> people{*db};
  relata::repository<Comment> comments{*db};
  Issue crash;
  world() {
    relata::migrate<Issue, Person, Comment>(*db);
    auto ada = people.create({.login = "ada", .email = "ada@example.org"});
    crash = issues.create({.title = "crash",
                           .body = "on start",
                           .author_id = ada.id,
                           .created_at = noon,
                           .status = "open",
                           .priority = 1});
    issues.comments(crash.id).create({.text = "seen it", .person_id = ada.id});
  }
};

}  // namespace tracker

using tracker::Issue;
using tracker::Label;
using tracker::world;

TEST_CASE("entity json: properties a find's fields left out are left out of its JSON",
          "[json][fields][regression]") {
  world w;
  const auto slim = w.issues.find({.fields = relata::only(&Issue::id, &Issue::title)});
  REQUIRE(slim.size() == 1);
  CHECK(nlohmann::json(slim[0]) == nlohmann::json{{"id", w.crash.id.value}, {"title", "crash"}});
  CHECK(relata::dump_json(slim[0]) ==
        R"({"id":)" + std::to_string(w.crash.id.value) + R"(,"title":"crash"})");

  // A nested include limited to `login`: no "id": 0, no keys read only to stitch.
  const auto with_people = w.issues.find(relata::filter<Issue>::from_json(R"({
      "fields": ["title"],
      "include": [{"relation": "comments", "scope": {
          "fields": ["text"],
          "include": [{"relation": "person", "scope": {"fields": ["login"]}}]}}]})"));
  REQUIRE(with_people.size() == 1);
  CHECK(
      nlohmann::json(with_people[0]) ==
      nlohmann::json::parse(
          R"({"title": "crash", "comments": [{"text": "seen it", "person": {"login": "ada"}}]})"));

  // Read back from that JSON, an entity has the keys it had, and the model's declared
  // defaults (as LoopBack applies them when it builds a model from data); nothing else.
  const auto back = nlohmann::json::parse(relata::dump_json(with_people[0])).get<Issue>();
  CHECK(nlohmann::json(back) ==
        nlohmann::json::parse(R"({"title": "crash", "status": "open", "priority": 3,
            "comments": [{"text": "seen it", "person": {"login": "ada"}}]})"));
  const auto again = nlohmann::json::parse(relata::dump_json(back)).get<Issue>();
  CHECK(relata::dump_json(again) == relata::dump_json(back));

  // Everything read, or built in C++: every property.
  CHECK(nlohmann::json(w.issues.find_by_id(w.crash.id)).size() == 8);
  CHECK(nlohmann::json(Issue{.title = "new"}).size() == 8);
}

TEST_CASE(
    "entity json: a write refuses an entity whose JSON left out required properties, "
    "listing them all",
    "[json][required][regression]") {
  world w;
  const auto before = w.issues.count();
  const auto partial = nlohmann::json::parse(R"({"body": "no title"})").get<Issue>();
  CHECK_THROWS_WITH(w.issues.create(partial),
                    Catch::Contains("INVALID_DATA: model Issue: required properties left out: "
                                    "title, author_id, created_at"));
  CHECK_THROWS_AS(w.issues.create_all({partial}), relata::invalid_data);
  CHECK_THROWS_AS(w.issues.replace_by_id(w.crash.id, partial), relata::invalid_data);
  CHECK(w.issues.count() == before);
  CHECK(w.issues.find_by_id(w.crash.id).title == "crash");

  // Declared defaults fill what the body leaves out; optional properties are null; a
  // generated id is assigned.
  const auto full = nlohmann::json::parse(
                        R"({"title": "hang", "body": "", "author_id": 1,
                            "created_at": "2024-03-01T12:00:00Z"})")
                        .get<Issue>();
  CHECK(full.status == "open");
  CHECK(full.priority == 3);
  const auto created = w.issues.create(full);
  // What create returns has the generated id and the keys it was given (a POST's response).
  auto expected = nlohmann::json::parse(R"({"title": "hang", "body": "", "author_id": 1,
      "created_at": "2024-03-01T12:00:00Z", "status": "open", "priority": 3})");
  expected["id"] = created.id.value;
  CHECK(nlohmann::json(created) == expected);
  const auto stored = w.issues.find_by_id(created.id);
  CHECK(stored.status == "open");
  CHECK(stored.priority == 3);
  CHECK_FALSE(stored.severity.has_value());

  // A key the relation gives need not be in the body.
  const auto comment = w.issues.comments(created.id)
                           .create(nlohmann::json::parse(R"({"text": "me too", "person_id": 1})")
                                       .get<tracker::Comment>());
  CHECK(w.comments.find_by_id(comment.id).issue_id == created.id);
  CHECK_THROWS_WITH(
      w.issues.comments(created.id)
          .create(nlohmann::json::parse(R"({"text": "who?"})").get<tracker::Comment>()),
      Catch::Contains("required properties left out: person_id"));

  // Partial updates are partial: exempt.
  w.issues.update_by_id(created.id, relata::changes<Issue>::from_json(R"({"title": "hung"})"));
  CHECK(w.issues.find_by_id(created.id).title == "hung");
}

TEST_CASE(
    "entity json: update writes only the properties an entity has; replace_by_id refuses one "
    "that lacks required ones",
    "[json][required][regression]") {
  world w;
  w.issues.update_by_id(w.crash.id, {{&Issue::severity, std::string("high")}});
  auto slim = w.issues.find_by_id(w.crash.id, {.fields = relata::only(&Issue::id, &Issue::title)});
  slim.title = "renamed";
  w.issues.update(slim);  // LoopBack's update(entity): a patch of the entity's data
  auto stored = w.issues.find_by_id(w.crash.id);
  CHECK(stored.title == "renamed");
  CHECK(stored.body == "on start");
  CHECK(stored.priority == 1);
  CHECK(stored.severity == "high");  // optional, left out: not overwritten with null

  // The same for an entity read from JSON.
  w.issues.update(nlohmann::json::parse(R"({"id": )" + std::to_string(w.crash.id.value) +
                                        R"(, "body": "always"})")
                      .get<Issue>());
  stored = w.issues.find_by_id(w.crash.id);
  CHECK(stored.body == "always");
  CHECK(stored.title == "renamed");
  // Declared defaults fill what the JSON left out, and are written like the values given (a
  // partial update from JSON is changes<M>::from_json); optional properties stay.
  CHECK(stored.status == "open");
  CHECK(stored.priority == 3);
  CHECK(stored.severity == "high");

  // Without its id, an update has nothing to go by.
  const auto no_id = w.issues.find_by_id(w.crash.id, {.fields = relata::only(&Issue::title)});
  CHECK_THROWS_WITH(w.issues.update(no_id),
                    Catch::Contains("INVALID_DATA: model Issue: an update needs the entity's id, "
                                    "and id was left out"));

  // replace_by_id replaces: the required properties must be there.
  CHECK_THROWS_WITH(w.issues.replace_by_id(w.crash.id, slim),
                    Catch::Contains("required properties left out: body, author_id, created_at, "
                                    "status, priority"));
  CHECK(w.issues.find_by_id(w.crash.id).body == "always");
}

TEST_CASE("entity json: arrays and JSON documents are not required; left out, they are [] and null",
          "[json][required]") {
  auto db = relata_test::make_datasource();
  relata::migrate<Label>(*db);
  relata::repository<Label> labels{*db};
  const auto made = labels.create(nlohmann::json::parse(R"({"name": "bug"})").get<Label>());
  const auto back = labels.find_by_id(made.id);
  CHECK(back.aliases.empty());
  CHECK(back.meta.is_null());
  // the name still is
  CHECK_THROWS_WITH(labels.create(nlohmann::json::parse(R"({"aliases": ["x"]})").get<Label>()),
                    Catch::Contains("required properties left out: name"));
}
