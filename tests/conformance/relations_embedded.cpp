// embedsOne and embedsMany (`customers.billing(id)`, `customers.emails(id)`), after the
// embedsOne and embedsMany scenarios of LoopBack 3's test/relations.test.js, on every connector:
// documents kept in a column of the owner's row, their items' ids, filters on the items, and
// every refused write leaving the owner exactly as it was.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/relation/embeds_one.hpp>

#include "support/backend.hpp"

using relata::col;

namespace embedded_test {

struct Email {
  RELATA_MODEL(Email,
               (relata::id<std::int64_t>, id),
               (std::string, address),
               (bool, verified),
               (std::optional<std::string>, label));
};

struct Address {
  RELATA_MODEL(Address, (std::string, street), (std::string, city), (std::int64_t, zip));
};

/// Items whose ids the caller gives (a string id is never generated).
struct Phone {
  RELATA_MODEL(Phone, (relata::id<std::string>, number), (std::string, kind));
};

struct Owner {
  RELATA_MODEL(Owner,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_one<Address>, billing),
               (relata::embeds_many<Email>, emails),
               (relata::embeds_many<Phone>, phones));
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Owner> owners{*db};
  Owner ada, bob;
  world() {
    relata::migrate<Owner>(*db);
    ada = owners.create({.name = "Ada"});
    bob = owners.create({.name = "Bob"});
  }
  /// The stored owner, as JSON: what a refused write must leave unchanged.
  nlohmann::json stored(std::int64_t id) const { return owners.find_by_id(id); }
};

std::vector<std::string> addresses(const relata::entities<Email>& found) {
  std::vector<std::string> out;
  for (const auto& e : found) out.push_back(e.address);
  return out;
}

}  // namespace embedded_test

using namespace embedded_test;

// --- embedsMany ----------------------------------------------------------------------------

TEST_CASE("embeds_many: create assigns ids (the largest + 1) and the items live in the owner",
          "[embedded]") {
  world w;
  auto emails = w.owners.emails(w.ada.id);
  const auto first = emails.create({.address = "ada@example.com"});
  const auto second = emails.create({.address = "ada@lovelace.org"});
  CHECK(first.id == 1);
  CHECK(second.id == 2);
  // A given id is kept; the next generated one is past it.
  CHECK(emails.create({.id = 10, .address = "ten@x"}).id == 10);
  CHECK(emails.create({.address = "next@x"}).id == 11);

  // Read with the owner, in every find, without an include.
  const Owner ada = w.owners.find_by_id(w.ada.id);
  REQUIRE(ada.emails.size() == 4);
  CHECK(ada.emails[0].address == "ada@example.com");
  CHECK(ada.emails[3].id == 11);
  // Another owner's document is its own: ids start again.
  CHECK(w.owners.emails(w.bob.id).create({.address = "bob@x"}).id == 1);
  CHECK(w.owners.find_by_id(w.ada.id).emails.size() == 4);
  CHECK(w.owners.find_by_id(w.bob.id).emails.size() == 1);
}

TEST_CASE("embeds_many: find takes where, order, limit, skip and fields", "[embedded]") {
  world w;
  auto emails = w.owners.emails(w.ada.id);
  emails.create({.address = "c@x", .verified = true});
  emails.create({.address = "a@x"});
  emails.create({.address = "b@x", .verified = true});
  emails.create({.address = "d@y", .verified = true});

  // No order: the document's order.
  CHECK(addresses(emails.find()) == std::vector<std::string>{"c@x", "a@x", "b@x", "d@y"});
  CHECK(addresses(emails.find({.where = col(&Email::verified) == true})) ==
        std::vector<std::string>{"c@x", "b@x", "d@y"});
  CHECK(addresses(emails.find({.order = {relata::asc(&Email::address)}})) ==
        std::vector<std::string>{"a@x", "b@x", "c@x", "d@y"});
  CHECK(addresses(emails.find({.where = col(&Email::address).like("%@x"),
                               .order = {relata::desc(&Email::address)},
                               .limit = 2,
                               .skip = 1})) == std::vector<std::string>{"b@x", "a@x"});
  const auto slim = emails.find({.fields = relata::only(&Email::address)});
  REQUIRE(slim.size() == 4);
  CHECK(slim[0].address == "c@x");
  CHECK(slim[0].id == 0);  // not read
  CHECK(emails.find_one({.where = col(&Email::address) == "b@x"})->id == 3);
  CHECK_FALSE(emails.find_one({.where = col(&Email::address) == "none"}).has_value());

  CHECK(emails.count() == 4);
  CHECK(emails.count(col(&Email::verified) == false) == 1);
  CHECK(emails.find_by_id(3).address == "b@x");
  CHECK(emails.exists(4));
  CHECK_FALSE(emails.exists(5));
  CHECK(emails.at(1).address == "a@x");
  CHECK_THROWS_AS(emails.at(4), relata::entity_not_found);
  CHECK_THROWS_AS(emails.find_by_id(5), relata::entity_not_found);
  // Items are the owner's: bob has none of them.
  CHECK(w.owners.emails(w.bob.id).count() == 0);
  CHECK_THROWS_AS(w.owners.emails(w.bob.id).find_by_id(1), relata::entity_not_found);
}

TEST_CASE("embeds_many: updates, replacement and deletes change only their items", "[embedded]") {
  world w;
  auto emails = w.owners.emails(w.ada.id);
  emails.create({.address = "a@x"});
  emails.create({.address = "b@x"});
  emails.create({.address = "c@y"});

  emails.update_by_id(2, {{&Email::verified, true}, {&Email::label, "work"}});
  const auto two = emails.find_by_id(2);
  CHECK(two.verified);
  CHECK(two.label == "work");
  CHECK(two.address == "b@x");

  emails.replace_by_id(1, {.address = "new@x"});  // the id comes from the call
  CHECK(emails.find_by_id(1).address == "new@x");
  CHECK_FALSE(emails.find_by_id(1).verified);

  CHECK(emails.update_all({{&Email::label, "x"}}, col(&Email::address).like("%@x")) == 2);
  CHECK(emails.patch({{&Email::verified, true}}) == 3);
  CHECK(emails.count(col(&Email::label) == "x") == 2);
  CHECK(emails.count(col(&Email::verified) == true) == 3);

  emails.delete_by_id(1);
  CHECK(addresses(emails.find()) == std::vector<std::string>{"b@x", "c@y"});
  CHECK(emails.delete_all(col(&Email::address) == "c@y") == 1);
  CHECK(addresses(emails.find()) == std::vector<std::string>{"b@x"});
  CHECK(emails.delete_all() == 1);
  CHECK(emails.count() == 0);
  CHECK(w.owners.find_by_id(w.ada.id).emails.empty());
}

TEST_CASE("embeds_many: a refused write leaves the owner as it was", "[embedded]") {
  world w;
  auto emails = w.owners.emails(w.ada.id);
  emails.create({.address = "a@x"});
  emails.create({.address = "b@x"});
  const auto before = w.stored(w.ada.id);

  SECTION("an id another item has") {
    CHECK_THROWS_AS(emails.create({.id = 2, .address = "dup"}), relata::constraint_violation);
  }
  SECTION("create_all is all or none") {
    CHECK_THROWS_AS(emails.create_all({{.address = "ok"}, {.id = 1, .address = "dup"}}),
                    relata::constraint_violation);
  }
  SECTION("changing an item's id") {
    CHECK_THROWS_AS(emails.update_by_id(1, {{&Email::id, 7}}), relata::error);
    CHECK_THROWS_AS(emails.update_all({{&Email::id, 7}}), relata::error);
  }
  SECTION("replacing with an item of another id") {
    CHECK_THROWS_AS(emails.replace_by_id(1, {.id = 2, .address = "b"}),
                    relata::constraint_violation);
  }
  SECTION("an item the owner does not have") {
    CHECK_THROWS_AS(emails.update_by_id(9, {{&Email::address, "z"}}), relata::entity_not_found);
    CHECK_THROWS_AS(emails.replace_by_id(9, {.address = "z"}), relata::entity_not_found);
    CHECK_THROWS_AS(emails.delete_by_id(9), relata::entity_not_found);
  }
  SECTION("an owner that does not exist") {
    auto nobody = w.owners.emails(404);
    CHECK_THROWS_AS(nobody.create({.address = "z"}), relata::entity_not_found);
    CHECK_THROWS_AS(nobody.find(), relata::entity_not_found);
    CHECK_THROWS_AS(nobody.count(), relata::entity_not_found);
    CHECK(w.owners.count() == 2);
  }
  SECTION("the owner written directly with an item that has no id, or two with one id") {
    Owner changed = w.owners.find_by_id(w.ada.id);
    changed.emails.push_back({.address = "no id"});
    CHECK_THROWS_AS(w.owners.replace_by_id(w.ada.id, changed), relata::invalid_data);
    changed.emails.back().id = 1;
    CHECK_THROWS_AS(w.owners.replace_by_id(w.ada.id, changed), relata::invalid_data);
    CHECK_THROWS_AS(w.owners.create({.name = "Cy", .emails = {{.address = "no id"}}}),
                    relata::invalid_data);
    CHECK(w.owners.count() == 2);
  }
  CHECK(w.stored(w.ada.id) == before);
}

TEST_CASE("embeds_many: items the owner is written with keep their ids", "[embedded]") {
  world w;
  auto cy = w.owners.create(
      {.name = "Cy", .emails = {{.id = 5, .address = "five@x"}, {.id = 2, .address = "two@x"}}});
  auto emails = w.owners.emails(cy.id);
  CHECK(emails.find_by_id(5).address == "five@x");
  CHECK(emails.create({.address = "six@x"}).id == 6);
  CHECK(addresses(emails.find()) == std::vector<std::string>{"five@x", "two@x", "six@x"});
}

TEST_CASE("embeds_many: ids the caller gives", "[embedded]") {
  world w;
  auto phones = w.owners.phones(w.ada.id);
  phones.create({.number = "+33 1", .kind = "home"});
  phones.create({.number = "+44 2", .kind = "work"});
  CHECK_THROWS_AS(phones.create({.number = "+33 1", .kind = "again"}),
                  relata::constraint_violation);
  CHECK(phones.find_by_id("+44 2").kind == "work");
  phones.update_by_id("+33 1", {{&Phone::kind, "mobile"}});
  CHECK(phones.find_by_id("+33 1").kind == "mobile");
  phones.delete_by_id("+33 1");
  CHECK(phones.count() == 1);
}

// --- embedsOne -----------------------------------------------------------------------------

TEST_CASE("embeds_one: create, get, update, replace and unset", "[embedded]") {
  world w;
  auto billing = w.owners.billing(w.ada.id);
  CHECK_FALSE(billing.exists());
  CHECK_FALSE(billing.find_one().has_value());
  CHECK_THROWS_AS(billing.get(), relata::entity_not_found);
  CHECK_FALSE(w.owners.find_by_id(w.ada.id).billing.has_value());

  billing.create({.street = "1 Main St", .city = "Paris", .zip = 75001});
  CHECK(billing.exists());
  CHECK(billing.get().city == "Paris");
  CHECK(w.owners.find_by_id(w.ada.id).billing->street == "1 Main St");

  billing.update({{&Address::city, "London"}});
  CHECK(billing.get().city == "London");
  CHECK(billing.get().street == "1 Main St");

  billing.replace({.street = "2 High St", .city = "Oxford"});
  CHECK(billing.get().street == "2 High St");
  CHECK(billing.get().zip == 0);

  CHECK(billing.unset());
  CHECK_FALSE(billing.unset());
  CHECK_FALSE(billing.exists());
  CHECK_FALSE(w.owners.find_by_id(w.ada.id).billing.has_value());
  // replace on an owner without one stores it
  billing.replace({.street = "3 Low St"});
  CHECK(billing.get().street == "3 Low St");
  CHECK_FALSE(w.owners.billing(w.bob.id).exists());
}

TEST_CASE("embeds_one: a refused write leaves the owner as it was", "[embedded]") {
  world w;
  SECTION("update without an item") {
    const auto before = w.stored(w.ada.id);
    CHECK_THROWS_AS(w.owners.billing(w.ada.id).update({{&Address::city, "x"}}),
                    relata::entity_not_found);
    CHECK(w.stored(w.ada.id) == before);
  }
  SECTION("a second create") {
    w.owners.billing(w.ada.id).create({.street = "first"});
    const auto before = w.stored(w.ada.id);
    CHECK_THROWS_AS(w.owners.billing(w.ada.id).create({.street = "second"}),
                    relata::constraint_violation);
    CHECK(w.stored(w.ada.id) == before);
  }
  SECTION("an owner that does not exist") {
    CHECK_THROWS_AS(w.owners.billing(404).create({.street = "x"}), relata::entity_not_found);
    CHECK(w.owners.count() == 2);
  }
}

// --- the owner -----------------------------------------------------------------------------

TEST_CASE("embedded documents: fields leave them out, JSON carries them", "[embedded]") {
  world w;
  w.owners.emails(w.ada.id).create({.address = "a@x"});
  w.owners.billing(w.ada.id).create({.street = "1 Main St", .city = "Paris"});

  const auto slim = w.owners.find(
      {.where = col(&Owner::id) == w.ada.id, .fields = relata::only(&Owner::id, &Owner::name)});
  REQUIRE(slim.size() == 1);
  CHECK(slim[0].emails.empty());
  CHECK_FALSE(slim[0].billing.has_value());

  const nlohmann::json j = w.owners.find_by_id(w.ada.id);
  CHECK(j["billing"]["city"] == "Paris");
  CHECK(j["emails"][0]["address"] == "a@x");
  CHECK(j["emails"][0]["id"] == 1);

  // Back from JSON, into a new owner: the items keep their ids.
  auto copy = j.get<Owner>();
  copy.id = 0;
  copy.name = "Copy";
  const auto stored = w.owners.create(copy);
  CHECK(w.owners.emails(stored.id).find_by_id(1).address == "a@x");
  CHECK(w.owners.billing(stored.id).get().city == "Paris");

  // An item that does not fit its model is refused, naming the property.
  nlohmann::json bad = j;
  bad["emails"][0]["verified"] = "yes";
  try {
    (void)bad.get<Owner>();
    FAIL("an item of the wrong type was accepted");
  } catch (const relata::invalid_data& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("emails"));
  }
}

// --- conditions on the items -----------------------------------------------------------------

TEST_CASE("embeds_many: some, none and every test the items, in C++ and in JSON", "[embedded]") {
  world w;
  const auto cy = w.owners.create({.name = "Cy"});  // no items
  w.owners.emails(w.ada.id).create({.address = "a@x", .verified = true});
  w.owners.emails(w.ada.id).create({.address = "a@y", .label = "work"});
  w.owners.emails(w.bob.id).create({.address = "b@x", .verified = true});
  auto names = [&](const relata::where<Owner>& where) {
    std::vector<std::string> out;
    for (const auto& o : w.owners.find({.where = where, .order = {relata::asc(&Owner::id)}})) {
      out.push_back(o.name);
    }
    return out;
  };
  using names_t = std::vector<std::string>;
  CHECK(names(relata::some(&Owner::emails, col(&Email::verified) == false)) == names_t{"Ada"});
  CHECK(names(relata::some(&Owner::emails)) == names_t{"Ada", "Bob"});
  CHECK(names(relata::none(&Owner::emails)) == names_t{"Cy"});
  CHECK(names(relata::none(&Owner::emails, col(&Email::address).like("%@y"))) ==
        names_t{"Bob", "Cy"});
  // every: true without items; an item whose label is NULL does not satisfy label == "work"
  CHECK(names(relata::every(&Owner::emails, col(&Email::verified) == true)) ==
        names_t{"Bob", "Cy"});
  CHECK(names(relata::every(&Owner::emails, col(&Email::label) == "work")) == names_t{"Cy"});
  CHECK(names(relata::some(&Owner::emails,
                           col(&Email::id).in({2, 7}) && col(&Email::label).is_not_null())) ==
        names_t{"Ada"});
  CHECK(names(relata::some(&Owner::emails, col(&Email::address).ilike("B@%"))) == names_t{"Bob"});
  // combined with the owner's own properties, and counted
  CHECK(names(col(&Owner::name) != "Ada" && relata::some(&Owner::emails)) == names_t{"Bob"});
  CHECK(w.owners.count(relata::some(&Owner::emails, col(&Email::verified) == true)) == 2);
  (void)cy;

  const auto from_json = relata::filter<Owner>::from_json(
      R"({"where": {"emails": {"some": {"address": {"like": "%@y"}}}}})");
  CHECK(names(from_json.where) == names_t{"Ada"});
  const auto every_json =
      relata::filter<Owner>::from_json(R"({"where": {"emails": {"every": {"verified": true}}}})");
  CHECK(names(every_json.where) == names_t{"Bob", "Cy"});
  CHECK_THROWS_AS(relata::filter<Owner>::from_json(R"({"where": {"emails": {"most": {}}}})"),
                  relata::invalid_filter);
  CHECK_THROWS_AS(
      relata::filter<Owner>::from_json(R"({"where": {"emails": {"some": {"nope": 1}}}})"),
      relata::invalid_filter);
}

namespace embedded_test {
struct Visit {
  RELATA_MODEL(Visit,
               (relata::id<std::int64_t>, id),
               (std::chrono::sys_seconds, at),
               (std::vector<std::int64_t>, rooms));
};
struct Guest {
  RELATA_MODEL(Guest, (relata::id<std::int64_t>, id), (relata::embeds_many<Visit>, visits));
};
}  // namespace embedded_test

TEST_CASE("embeds_many: conditions on items refuse what a JSON document cannot compare",
          "[embedded]") {
  const auto at = std::chrono::sys_seconds{std::chrono::seconds{1700000000}};
  try {
    (void)relata::some(&Guest::visits, col(&Visit::at) > at);
    FAIL("a timestamp comparison inside items was accepted");
  } catch (const relata::invalid_filter& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("Guest.visits"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("Visit.at"));
  }
  // Items are stored with such properties all the same.
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::migrate<Guest>(*db);
  relata::repository<Guest> guests{*db};
  const auto g = guests.create({});
  guests.visits(g.id).create({.at = at, .rooms = {1, 2}});
  const auto stored = guests.visits(g.id).find_by_id(1);
  CHECK(stored.at == at);
  CHECK(stored.rooms == std::vector<std::int64_t>{1, 2});
}

// --- items that refer to another model -------------------------------------------------------

namespace embedded_test {
struct Book {
  RELATA_MODEL(Book, (relata::id<std::int64_t>, id), (std::string, title));
};
struct Reading {
  RELATA_MODEL(Reading,
               (relata::id<std::int64_t>, id),
               (std::int64_t, book_id),
               (std::string, note),
               (relata::belongs_to<Book>, book));
};
struct Reader {
  RELATA_MODEL(Reader,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_many<Reading>, readings));
};
}  // namespace embedded_test

TEST_CASE("embeds_many: add and remove items that refer to another model", "[embedded]") {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::migrate<Reader, Book>(*db);
  relata::repository<Reader> readers{*db};
  relata::repository<Book> books{*db};
  const auto ada = readers.create({.name = "Ada"});
  const auto dune = books.create({.title = "Dune"});
  const auto emma = books.create({.title = "Emma"});
  auto readings = readers.readings(ada.id);

  const auto first = readings.add<&Reading::book>(dune.id, {.note = "summer"});
  CHECK(first.id == 1);
  CHECK(first.book_id == dune.id);
  CHECK(first.note == "summer");
  readings.add<&Reading::book>(emma.id);
  readings.add<&Reading::book>(dune.id, {.note = "again"});
  CHECK(readings.count(col(&Reading::book_id) == dune.id) == 2);

  // A target that does not exist: refused, nothing added.
  CHECK_THROWS_AS(readings.add<&Reading::book>(404), relata::entity_not_found);
  CHECK(readings.count() == 3);

  CHECK(readings.remove<&Reading::book>(dune.id) == 2);
  CHECK(readings.remove<&Reading::book>(dune.id) == 0);
  const auto left = readings.find();
  REQUIRE(left.size() == 1);
  CHECK(left[0].book_id == emma.id);
  CHECK(books.count() == 2);  // remove takes the items away, never the books
}

// --- an include's scope on the items -----------------------------------------------------------

namespace embedded_test {
struct Player;
struct Team {
  RELATA_MODEL(Team,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Player>, players));
};
struct Player {
  RELATA_MODEL(Player,
               (relata::id<std::int64_t>, id),
               (std::int64_t, team_id),
               (relata::embeds_many<Email>, emails));
};
}  // namespace embedded_test

TEST_CASE("embeds_many: an include's scope narrows the items each row holds", "[embedded]") {
  world w;
  auto emails = w.owners.emails(w.ada.id);
  emails.create({.address = "c@x", .verified = true});
  emails.create({.address = "a@x"});
  emails.create({.address = "b@x", .verified = true});
  w.owners.emails(w.bob.id).create({.address = "z@x", .verified = true});

  const auto found =
      w.owners.find({.where = col(&Owner::id) == w.ada.id,
                     .include = {relata::include(&Owner::emails,
                                                 {.where = col(&Email::verified) == true,
                                                  .order = {relata::desc(&Email::address)},
                                                  .limit = 1})}});
  REQUIRE(found.size() == 1);
  REQUIRE(found[0].emails.size() == 1);
  CHECK(found[0].emails[0].address == "c@x");
  // The stored document is untouched: an include only reads.
  CHECK(emails.count() == 3);

  // JSON: per row, with fields; an entry without a scope changes nothing.
  const auto per_row = w.owners.find(relata::filter<Owner>::from_json(
      R"({"order": ["id ASC"], "include": [{"relation": "emails",
          "scope": {"where": {"verified": true}, "fields": ["address"]}}]})"));
  REQUIRE(per_row.size() == 2);
  REQUIRE(per_row[0].emails.size() == 2);
  CHECK(per_row[0].emails[1].address == "b@x");
  CHECK(per_row[0].emails[1].id == 0);  // not among the fields
  CHECK(per_row[1].emails.size() == 1);
  CHECK(w.owners.find(relata::filter<Owner>::from_json(R"({"include": ["emails"]})"))[0]
            .emails.size() == 3);

  // Left out by fields: the include does not bring it back.
  const auto slim = w.owners.find({.fields = relata::only(&Owner::id),
                                   .include = {relata::include(&Owner::emails, {.limit = 1})}});
  CHECK(slim[0].emails.empty());

  // Items have no relations to include.
  CHECK_THROWS_AS(w.owners.find(relata::filter<Owner>::from_json(
                      R"({"include": [{"relation": "emails", "scope": {"include": ["x"]}}]})")),
                  relata::invalid_filter);
}

TEST_CASE("embeds_many: a nested include narrows the items of included rows", "[embedded]") {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::migrate<Team, Player>(*db);
  relata::repository<Team> teams{*db};
  relata::repository<Player> players{*db};
  const auto red = teams.create({.name = "red"});
  const auto p = teams.players(red.id).create({});
  players.emails(p.id).create({.address = "one@x"});
  players.emails(p.id).create({.address = "two@x", .verified = true});

  const auto found = teams.find(relata::filter<Team>::from_json(
      R"({"include": [{"relation": "players", "scope": {"include": [{"relation": "emails",
          "scope": {"where": {"verified": true}}}]}}]})"));
  REQUIRE(found.size() == 1);
  REQUIRE(found[0].players.value().size() == 1);
  const auto& player_emails = found[0].players.value()[0].emails;
  REQUIRE(player_emails.size() == 1);
  CHECK(player_emails[0].address == "two@x");
}

// --- items that leave out required properties --------------------------------------------------

TEST_CASE("embedded documents: an item read from JSON without a required property is refused",
          "[embedded]") {
  world w;
  auto emails = w.owners.emails(w.ada.id);
  emails.create({.address = "a@x"});
  const auto before = w.stored(w.ada.id);
  const auto no_address = nlohmann::json{{"verified", true}}.get<Email>();  // address left out
  const auto no_street = nlohmann::json{{"city", "Paris"}}.get<Address>();

  CHECK_THROWS_AS(emails.create(no_address), relata::invalid_data);
  CHECK_THROWS_AS(emails.replace_by_id(1, no_address), relata::invalid_data);
  CHECK_THROWS_AS(w.owners.billing(w.ada.id).create(no_street), relata::invalid_data);
  CHECK_THROWS_AS(w.owners.billing(w.ada.id).replace(no_street), relata::invalid_data);
  CHECK_THROWS_AS(
      w.owners.create(
          nlohmann::json::parse(R"({"name": "F", "billing": {"city": "Paris"}})").get<Owner>()),
      relata::invalid_data);
  CHECK_THROWS_AS(
      w.owners.create(
          nlohmann::json::parse(R"({"name": "F", "emails": [{"id": 1}]})").get<Owner>()),
      relata::invalid_data);
  CHECK(w.stored(w.ada.id) == before);
  CHECK(w.owners.count() == 2);
}

namespace embedded_test {
struct Passport {
  RELATA_MODEL(Passport, (relata::id<std::int64_t>, id), (std::string, number));
};
struct Traveller {
  RELATA_MODEL(Traveller, (relata::id<std::int64_t>, id), (relata::embeds_one<Passport>, passport));
};
}  // namespace embedded_test

TEST_CASE("embeds_one: an item with a generated id gets one, and is never stored without",
          "[embedded]") {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::migrate<Traveller>(*db);
  relata::repository<Traveller> travellers{*db};
  const auto t = travellers.create({});
  CHECK(travellers.passport(t.id).create({.number = "X1"}).id == 1);
  travellers.passport(t.id).replace({.number = "X2"});
  CHECK(travellers.passport(t.id).get().id == 1);
  CHECK(travellers.passport(t.id).get().number == "X2");
  CHECK_THROWS_AS(travellers.create({.passport = Passport{.number = "no id"}}),
                  relata::invalid_data);
  CHECK(travellers.create({.passport = Passport{.id = 7, .number = "given"}}).passport->id == 7);
}
