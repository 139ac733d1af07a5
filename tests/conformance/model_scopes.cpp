// Named scopes and a default scope on a model (relata::named_scope, relata::default_scope), on
// every connector: what each call through a scope reads and writes, how scopes compose, the
// bypass, and refusals that leave the data unchanged. The scenarios marked "LB3" port
// loopback-datasource-juggler's test/scope.test.js (one ordered scenario per describe).
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace model_scopes_test {

struct active_stations;
struct inactive_stations;
struct flagged_stations;
struct subway_stations;
struct ordered_stations;
struct reverse_stations;
struct top_two_stations;
struct names_only;

// LoopBack 3's Station (scope.test.js), `order` renamed `rank`.
struct Station {
  RELATA_MODEL(Station,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::int64_t, rank),
               (bool, active),
               (bool, flagged),
               (bool, underground));
  using relata_options = relata::options<relata::named_scope<"active", active_stations>,
                                         relata::named_scope<"inactive", inactive_stations>,
                                         relata::named_scope<"flagged", flagged_stations>,
                                         relata::named_scope<"subway", subway_stations>,
                                         relata::named_scope<"ordered", ordered_stations>,
                                         relata::named_scope<"reverse", reverse_stations>,
                                         relata::named_scope<"top_two", top_two_stations>,
                                         relata::named_scope<"names_only", names_only>>;
};
struct active_stations {
  relata::filter<Station> operator()() const { return {.where = col(&Station::active) == true}; }
};
struct inactive_stations {
  relata::filter<Station> operator()() const { return {.where = col(&Station::active) == false}; }
};
struct flagged_stations {
  relata::filter<Station> operator()() const { return {.where = col(&Station::flagged) == true}; }
};
struct subway_stations {
  relata::filter<Station> operator()() const {
    return {.where = col(&Station::underground) == true};
  }
};
struct ordered_stations {
  relata::filter<Station> operator()() const { return {.order = {relata::asc(&Station::rank)}}; }
};
struct reverse_stations {
  relata::filter<Station> operator()() const { return {.order = {relata::desc(&Station::rank)}}; }
};
struct top_two_stations {
  relata::filter<Station> operator()() const {
    return {.order = {relata::desc(&Station::rank)}, .limit = 2};
  }
};

struct names_only {
  relata::filter<Station> operator()() const { return {.fields = relata::only(&Station::name)}; }
};

struct young_folks;
// A scope without an equality: nothing to stamp, but a row must still match it.
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name), (std::int64_t, age));
  using relata_options = relata::options<relata::named_scope<"young_folks", young_folks>>;
};
struct young_folks {
  relata::filter<Customer> operator()() const { return {.where = col(&Customer::age) < 18}; }
};

struct not_deleted;
struct pinned_notes;
// A soft delete: the default scope hides deleted notes.
struct Note {
  RELATA_MODEL(Note,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (bool, deleted),
               (bool, pinned),
               (std::optional<std::string>, body));
  using relata_options = relata::options<relata::unique<&Note::title>,
                                         relata::default_scope<not_deleted>,
                                         relata::named_scope<"pinned", pinned_notes>>;
};
struct not_deleted {
  relata::filter<Note> operator()() const { return {.where = col(&Note::deleted) == false}; }
};
struct pinned_notes {
  relata::filter<Note> operator()() const { return {.where = col(&Note::pinned) == true}; }
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Station> stations{*db};
  relata::repository<Customer> customers{*db};
  relata::repository<Note> notes{*db};
  world() { relata::migrate<Station, Customer, Note>(*db); }
};

std::vector<std::string> names(const relata::entities<Station>& found) {
  std::vector<std::string> out;
  for (const auto& s : found) out.push_back(s.name);
  return out;
}
std::vector<std::string> titles(const relata::entities<Note>& found) {
  std::vector<std::string> out;
  for (const auto& n : found) out.push_back(n.title);
  return out;
}

}  // namespace model_scopes_test

using namespace model_scopes_test;

TEST_CASE("model scopes are declared in the model's definition, by name", "[scopes]") {
  const auto& station = relata::definition_of<Station>();
  REQUIRE(station.named_scopes.size() == 8);
  CHECK(station.named_scopes[0].name == "active");
  CHECK(station.find_scope("subway") != nullptr);
  CHECK(station.find_scope("nope") == nullptr);
  CHECK(station.default_scope == nullptr);
  CHECK(relata::definition_of<Note>().default_scope != nullptr);
  // each scope's filter is lowered once
  CHECK(station.named_scopes[0].filter() == station.named_scopes[0].filter());
}

TEST_CASE("LB3 scope: create through a scope stamps its equalities; chaining", "[scopes]") {
  world w;
  // should define scope with query
  auto s = w.stations.scope<"active">().create({.name = "a"});
  CHECK(s.active);
  CHECK(w.stations.find_by_id(s.id).active);
  // should allow scope chaining
  auto both = w.stations.scope<"active">().scope<"subway">().create({.name = "b"});
  CHECK(both.active);
  CHECK(both.underground);
  // should query all: active.ground and inactive.ground each create one; ground.inactive
  // finds one. (inactive holds active to false, a bool's default, which it stamps too.)
  w.stations.scope<"active">().scope<"subway">().create({.name = "c"});
  w.stations.scope<"inactive">().scope<"subway">().create({.name = "d"});
  CHECK(names(w.stations.scope<"subway">().scope<"inactive">().find()) ==
        std::vector<std::string>{"d"});
}

TEST_CASE("LB3 scope: chained scopes do not change the first one", "[scopes]") {
  // LoopBack 3's Station.active.subway permanently adds subway's where to active's params:
  // afterwards Station.active returns only underground stations. A relata scope is a new
  // repository; the one it was narrowed from is unchanged.
  world w;
  w.stations.create({.name = "surface", .active = true});
  w.stations.create({.name = "tube", .active = true, .underground = true});
  const auto active = w.stations.scope<"active">();
  const auto active_subway = active.scope<"subway">();
  CHECK(names(active_subway.find()) == std::vector<std::string>{"tube"});
  CHECK(names(active.find()) == std::vector<std::string>{"surface", "tube"});
  CHECK(w.stations.count() == 2);
  CHECK(w.stations.current_scope() == nullptr);
  REQUIRE(active_subway.current_scope() != nullptr);
  CHECK(active_subway.current_scope()->description == "the scopes active, subway of model Station");
  CHECK(active.current_scope()->description == "the scope active of model Station");
}

TEST_CASE("LB3 scope: results are not cached", "[scopes]") {
  world w;
  const auto active = w.stations.scope<"active">();
  auto s = active.create({.name = "a"});
  REQUIRE(active.find().size() == 1);
  CHECK(active.find().front().id == s.id);
  // an update through the scope may move a row out of it
  active.update_by_id(s.id, {{&Station::active, false}});
  CHECK(active.find().empty());
  CHECK(w.stations.count() == 1);
}

TEST_CASE("LB3 scope - order: a scope's order, and the caller's winning", "[scopes]") {
  world w;
  w.stations.create({.name = "a", .rank = 1});
  w.stations.create({.name = "b", .rank = 2});
  w.stations.create({.name = "c", .rank = 3});
  // should define scope with default order
  CHECK(names(w.stations.scope<"reverse">().find()) == std::vector<std::string>{"c", "b", "a"});
  // should override default scope order
  CHECK(names(w.stations.scope<"reverse">().find({.order = {relata::asc(&Station::rank)}})) ==
        std::vector<std::string>{"a", "b", "c"});
  // a scope's limit applies when the caller gives none; the caller's wins
  CHECK(names(w.stations.scope<"top_two">().find()) == std::vector<std::string>{"c", "b"});
  CHECK(names(w.stations.scope<"top_two">().find({.limit = 1})) == std::vector<std::string>{"c"});
  // the scope narrowed last is the caller of the one before it: its order wins
  CHECK(names(w.stations.scope<"reverse">().scope<"ordered">().find()) ==
        std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("LB3 scope - filtered count, updateAll and destroyAll", "[scopes]") {
  world w;
  w.stations.create({.name = "b", .rank = 2, .active = false});
  auto a = w.stations.create({.name = "a", .rank = 1, .active = true});
  w.stations.create({.name = "d", .rank = 4, .active = false});
  w.stations.create({.name = "c", .rank = 3, .active = true});
  const auto ordered = w.stations.scope<"ordered">();
  const auto active = w.stations.scope<"active">();
  const auto inactive = w.stations.scope<"inactive">();
  const auto flagged = w.stations.scope<"flagged">();

  SECTION("find all, find one, find by id") {
    CHECK(names(ordered.find()) == std::vector<std::string>{"a", "b", "c", "d"});
    CHECK(active.find_one()->name == "a");
    CHECK(active.find_one({.where = col(&Station::name) == "c"})->name == "c");
    CHECK(!active.find_one({.where = col(&Station::name) == "b"}));
    CHECK(active.find_by_id(a.id).name == "a");
    // LoopBack 3 answers null; relata's find_by_id is ENTITY_NOT_FOUND, as for any missing id
    CHECK_THROWS_AS(inactive.find_by_id(a.id), relata::entity_not_found);
    CHECK(active.exists(a.id));
    CHECK(!inactive.exists(a.id));
  }
  SECTION("count in a scope, filtered or not") {
    CHECK(active.count() == 2);
    CHECK(inactive.count() == 2);
    CHECK(active.count(col(&Station::rank) > 1) == 1);
    CHECK(inactive.count(col(&Station::rank) == 2) == 1);
  }
  SECTION("updateAll through a scope") {
    CHECK(inactive.update_all({{&Station::flagged, true}}) == 2);
    CHECK(flagged.count() == 2);
    CHECK(names(flagged.scope<"ordered">().find()) == std::vector<std::string>{"b", "d"});
  }
  SECTION("filtered updateAll") {
    CHECK(ordered.update_all({{&Station::flagged, true}}, col(&Station::active) == true) == 2);
    CHECK(flagged.count() == 2);
  }
  SECTION("filtered destroyAll") {
    CHECK(ordered.delete_all(col(&Station::active) == false) == 2);
    CHECK(ordered.count() == 2);
    CHECK(inactive.count() == 0);
  }
  SECTION("destroyAll through a scope deletes only its rows") {
    CHECK(inactive.delete_all() == 2);
    CHECK(names(w.stations.find()) == std::vector<std::string>{"a", "c"});
  }
}

TEST_CASE("writes by id through a scope reach only its rows", "[scopes]") {
  world w;
  auto a = w.stations.create({.name = "a", .active = true});
  auto b = w.stations.create({.name = "b", .active = false});
  const auto active = w.stations.scope<"active">();
  CHECK_THROWS_AS(active.update_by_id(b.id, {{&Station::rank, 9}}), relata::entity_not_found);
  auto replaced = b;
  replaced.rank = 9;
  CHECK_THROWS_AS(active.replace_by_id(b.id, replaced), relata::entity_not_found);
  CHECK_THROWS_AS(active.update(replaced), relata::entity_not_found);
  CHECK_THROWS_AS(active.delete_by_id(b.id), relata::entity_not_found);
  CHECK_THROWS_AS(active.remove(b), relata::entity_not_found);
  CHECK(w.stations.find_by_id(b.id).rank == 0);
  CHECK(w.stations.count() == 2);
  active.update_by_id(a.id, {{&Station::rank, 5}});
  CHECK(w.stations.find_by_id(a.id).rank == 5);
  active.delete_by_id(a.id);
  CHECK(names(w.stations.find()) == std::vector<std::string>{"b"});
}

TEST_CASE("create through a scope refuses a contradicting value, writing nothing", "[scopes]") {
  world w;
  const auto inactive = w.stations.scope<"inactive">();
  CHECK_THROWS_WITH(inactive.create({.name = "x", .active = true}),
                    Catch::Contains("Property active of model Station is true") &&
                        Catch::Contains("the scope inactive of model Station holds it to false"));
  CHECK_THROWS_AS(inactive.create_all({{.name = "ok"}, {.name = "bad", .active = true}}),
                  relata::constraint_violation);
  CHECK(w.stations.count() == 0);
  // build stamps without writing
  CHECK(w.stations.scope<"active">().scope<"subway">().build({.name = "x"}).underground);
  CHECK(w.stations.scope<"active">().build().active);
  CHECK(w.stations.count() == 0);
  CHECK_THROWS_AS(inactive.build({.active = true}), relata::constraint_violation);
}

TEST_CASE("a row a scope would not see is refused, nothing written", "[scopes]") {
  world w;
  const auto young = w.customers.scope<"young_folks">();
  auto kid = young.create({.name = "Kid", .age = 9});
  CHECK(young.count() == 1);
  CHECK_THROWS_WITH(young.create({.name = "Ada", .age = 36}),
                    Catch::Contains("does not match the scope young_folks of model Customer"));
  CHECK_THROWS_AS(young.create_all({{.name = "Tim", .age = 3}, {.name = "Bob", .age = 40}}),
                  relata::constraint_violation);
  CHECK(w.customers.count() == 1);
  // the upsert family too
  CHECK_THROWS_AS(young.save({.name = "Eve", .age = 50}), relata::constraint_violation);
  CHECK_THROWS_AS(young.upsert({.id = kid.id, .name = "Kid", .age = 30}),
                  relata::constraint_violation);
  CHECK_THROWS_AS(
      young.upsert_with_where(col(&Customer::name) == "Kid", {.name = "Kid", .age = 30}),
      relata::constraint_violation);
  CHECK_THROWS_AS(young.find_or_create(col(&Customer::name) == "Old", {.name = "Old", .age = 70}),
                  relata::constraint_violation);
  CHECK(w.customers.count() == 1);
  CHECK(w.customers.find_by_id(kid.id).age == 9);
  // an update may move a row out of the scope: it is not a creation
  young.update_by_id(kid.id, {{&Customer::age, std::int64_t{18}}});
  CHECK(young.count() == 0);
}

TEST_CASE("a scope named at run time, as JSON and REST callers name it", "[scopes]") {
  world w;
  w.stations.create({.name = "a", .rank = 1, .active = true});
  w.stations.create({.name = "b", .rank = 2, .active = false});
  const auto f = relata::filter<Station>::from_json(R"({"order": "rank DESC"})");
  CHECK(names(w.stations.scope("active").find(f)) == std::vector<std::string>{"a"});
  CHECK(names(w.stations.scope("ordered").find()) == std::vector<std::string>{"a", "b"});
  CHECK_THROWS_AS(w.stations.scope("nope"), relata::invalid_filter);
  CHECK_THROWS_WITH(w.stations.scope("nope"),
                    Catch::Contains("model Station has no scope named nope") &&
                        Catch::Contains("its scopes: active, inactive, flagged, subway, ordered"));
  CHECK_THROWS_WITH(w.notes.scope("active"), Catch::Contains("its scopes: pinned"));
}

TEST_CASE("a default scope applies to every call, and unscoped() bypasses it", "[scopes]") {
  world w;
  auto kept = w.notes.create({.title = "kept"});
  auto gone = w.notes.create({.title = "gone"});
  CHECK(!kept.deleted);
  // a soft delete: an update moves the row out of the default scope
  w.notes.update_by_id(gone.id, {{&Note::deleted, true}});
  CHECK(titles(w.notes.find()) == std::vector<std::string>{"kept"});
  CHECK(w.notes.count() == 1);
  CHECK(w.notes.find_one({.where = col(&Note::title) == "gone"}) == std::nullopt);
  CHECK_THROWS_AS(w.notes.find_by_id(gone.id), relata::entity_not_found);
  CHECK(!w.notes.exists(gone.id));
  CHECK_THROWS_AS(w.notes.update_by_id(gone.id, {{&Note::pinned, true}}), relata::entity_not_found);
  CHECK_THROWS_AS(w.notes.delete_by_id(gone.id), relata::entity_not_found);
  CHECK(w.notes.update_all({{&Note::pinned, true}}) == 1);
  // the bypass
  const auto all = w.notes.unscoped();
  CHECK(all.current_scope() == nullptr);
  CHECK(titles(all.find()) == std::vector<std::string>{"kept", "gone"});
  CHECK(!all.find_by_id(gone.id).pinned);
  CHECK(all.find_by_id(gone.id).deleted);
  // a repository made later starts from the default scope again
  relata::repository<Note> again{*w.db};
  CHECK(again.count() == 1);
  // a create contradicting the default scope is refused, naming it
  CHECK_THROWS_WITH(w.notes.create({.title = "x", .deleted = true}),
                    Catch::Contains("the default scope of model Note holds it to false"));
  all.create({.title = "x", .deleted = true});
  CHECK(w.notes.delete_all() == 1);
  CHECK(all.count() == 2);
  CHECK(titles(all.find()) == std::vector<std::string>{"gone", "x"});
}

TEST_CASE("named scopes apply inside the default scope", "[scopes]") {
  world w;
  w.notes.create({.title = "a", .pinned = true});
  w.notes.unscoped().create({.title = "b", .deleted = true, .pinned = true});
  w.notes.create({.title = "c"});
  const auto pinned = w.notes.scope<"pinned">();
  CHECK(titles(pinned.find()) == std::vector<std::string>{"a"});
  CHECK(pinned.current_scope()->description ==
        "the default scope and the scope pinned of model Note");
  auto made = pinned.create({.title = "d"});
  CHECK(made.pinned);
  CHECK(!made.deleted);
  CHECK(titles(w.notes.unscoped().scope<"pinned">().find()) ==
        std::vector<std::string>{"a", "b", "d"});
  CHECK_THROWS_WITH(pinned.create({.title = "e", .deleted = true}),
                    Catch::Contains("the default scope and the scope pinned of model Note"));
  CHECK(w.notes.unscoped().count() == 4);
}

TEST_CASE("save and the upsert family through a default scope never reach a hidden row",
          "[scopes]") {
  world w;
  auto hidden = w.notes.unscoped().create({.title = "hidden", .deleted = true, .body = "old"});
  auto shown = w.notes.create({.title = "shown", .body = "old"});

  SECTION("by id") {
    CHECK_THROWS_WITH(w.notes.upsert({.id = hidden.id, .title = "hidden", .body = "new"}),
                      Catch::Contains("is outside the default scope of model Note"));
    CHECK_THROWS_AS(w.notes.replace_or_create({.id = hidden.id, .title = "hidden", .body = "new"}),
                    relata::constraint_violation);
    CHECK_THROWS_AS(w.notes.save({.id = hidden.id, .title = "hidden", .body = "new"}),
                    relata::constraint_violation);
    const auto json = nlohmann::json{{"id", hidden.id.value}, {"body", "new"}};
    CHECK_THROWS_AS(w.notes.upsert(json.get<Note>()), relata::constraint_violation);
  }
  SECTION("by a unique key") {
    CHECK_THROWS_AS(w.notes.upsert({.title = "hidden", .body = "new"}),
                    relata::constraint_violation);
  }
  SECTION("by where") {
    // the hidden row does not match: the where finds nothing, and the insert's title is taken
    CHECK_THROWS_AS(
        w.notes.upsert_with_where(col(&Note::title) == "hidden", {.title = "hidden", .body = "n"}),
        relata::constraint_violation);
    auto [found, created] = w.notes.find_or_create(col(&Note::title) == "hidden", {.title = "h2"});
    CHECK(created);
    CHECK(!found.deleted);
    w.notes.delete_by_id(found.id);
  }
  auto stored = w.notes.unscoped().find_by_id(hidden.id);
  CHECK(stored.deleted);
  CHECK(stored.body == "old");
  CHECK(w.notes.unscoped().count() == 2);

  // rows inside the scope are written as without one
  auto patched = w.notes.upsert({.id = shown.id, .title = "shown", .body = "new"});
  CHECK(patched.body == "new");
  CHECK(!patched.deleted);
  auto patch = nlohmann::json{{"title", "shown"}, {"body", "newer"}}.get<Note>();
  CHECK(w.notes.upsert(patch).body == "newer");
  auto inserted = w.notes.upsert({.title = "fresh"});
  CHECK(!inserted.deleted);
  CHECK(w.notes.save({.title = "saved"}).id != 0);
  auto [found, created] = w.notes.find_or_create(col(&Note::title) == "shown", {.title = "shown"});
  CHECK(!created);
  CHECK(found.id == shown.id);
  CHECK(w.notes.upsert_with_where(col(&Note::title) == "shown", {.title = "shown", .pinned = true})
            .pinned);
  CHECK(w.notes.count() == 3);
}

TEST_CASE("a scope's fields apply when the caller gives none", "[scopes]") {
  world w;
  w.stations.create({.name = "a", .rank = 1});
  const auto slim = w.stations.scope<"names_only">();
  const nlohmann::json found = slim.find().front();
  CHECK(found == nlohmann::json{{"name", "a"}});
  const nlohmann::json ranks = slim.find({.fields = relata::only(&Station::rank)}).front();
  CHECK(ranks == nlohmann::json{{"rank", 1}});
}

TEST_CASE("create_all through a scope stamps every entity", "[scopes]") {
  world w;
  const auto made = w.stations.scope<"active">().scope<"subway">().create_all(
      {{.name = "x"}, {.name = "y", .rank = 2}});
  REQUIRE(made.size() == 2);
  CHECK((made[0].active && made[0].underground && made[1].active && made[1].underground));
  CHECK(w.stations.scope<"active">().scope<"subway">().count() == 2);
}
