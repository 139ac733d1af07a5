// save and the upsert family (LoopBack's save, upsert / patchOrCreate, replaceOrCreate,
// findOrCreate, upsertWithWhere) and the unique keys a model declares (relata::unique), on
// every connector: the same rows, the same errors, nothing written by a refused call.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace upsert_test {

struct Account {
  RELATA_MODEL(Account,
               (relata::id<std::int64_t>, id),
               (std::string, email),
               (std::string, name),
               (std::int64_t, logins),
               (std::optional<std::string>, note));
  using relata_options = relata::options<relata::unique<&Account::email>>;
};

// A composite unique key, and a key the caller supplies.
struct Seat {
  RELATA_MODEL(Seat,
               (relata::id<std::string>, code),
               (std::string, hall),
               (std::int64_t, row),
               (std::int64_t, number),
               (std::optional<std::string>, holder));
  using relata_options = relata::options<relata::unique<&Seat::hall, &Seat::row, &Seat::number>>;
};

// Account's table, before its email was declared unique.
struct LooseAccount {
  RELATA_MODEL(LooseAccount,
               (relata::id<std::int64_t>, id),
               (std::string, email),
               (std::string, name),
               (std::int64_t, logins),
               (std::optional<std::string>, note));
  using relata_options = relata::options<relata::table<"Account">>;
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Account> accounts{*db};
  relata::repository<Seat> seats{*db};
  world() { relata::migrate<Account, Seat>(*db); }
};

Account json_account(const char* text) { return nlohmann::json::parse(text).get<Account>(); }

}  // namespace upsert_test

using namespace upsert_test;

TEST_CASE("a declared unique key refuses a second row on every connector", "[upsert]") {
  world w;
  w.accounts.create({.email = "ada@x", .name = "Ada", .logins = 0});
  CHECK_THROWS_AS(w.accounts.create({.email = "ada@x", .name = "Other", .logins = 0}),
                  relata::constraint_violation);
  w.seats.create({.code = "A1", .hall = "main", .row = 1, .number = 1});
  w.seats.create({.code = "A2", .hall = "main", .row = 1, .number = 2});
  w.seats.create({.code = "B1", .hall = "side", .row = 1, .number = 1});
  CHECK_THROWS_AS(w.seats.create({.code = "X", .hall = "main", .row = 1, .number = 2}),
                  relata::constraint_violation);
  // an update into a taken key is refused too, and changes nothing
  w.accounts.create({.email = "bob@x", .name = "Bob", .logins = 0});
  CHECK_THROWS_AS(w.accounts.update_all({{&Account::email, std::string("ada@x")}},
                                        col(&Account::email) == "bob@x"),
                  relata::constraint_violation);
  CHECK(w.accounts.count(col(&Account::email) == "bob@x") == 1);
  CHECK(w.accounts.count() == 2);
  CHECK(w.seats.count() == 3);
}

TEST_CASE("migrate is idempotent with unique keys", "[upsert]") {
  world w;
  relata::migrate<Account, Seat>(*w.db);
  w.accounts.create({.email = "ada@x", .name = "Ada", .logins = 0});
  CHECK_THROWS_AS(w.accounts.create({.email = "ada@x", .name = "Ada", .logins = 0}),
                  relata::constraint_violation);
}

TEST_CASE("migrate refuses a unique key over rows that repeat it", "[upsert]") {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::migrate<LooseAccount>(*db);
  relata::repository<LooseAccount> loose{*db};
  loose.create({.email = "ada@x", .name = "Ada", .logins = 0});
  loose.create({.email = "ada@x", .name = "Twin", .logins = 0});
  CHECK_THROWS_AS(relata::migrate<Account>(*db), relata::constraint_violation);
  CHECK(loose.count() == 2);
  loose.delete_all(col(&LooseAccount::name) == "Twin");
  relata::migrate<Account>(*db);
  CHECK_THROWS_AS(loose.create({.email = "ada@x", .name = "Twin", .logins = 0}),
                  relata::constraint_violation);
}

TEST_CASE("save inserts a new entity and replaces one with an id", "[upsert]") {
  world w;
  auto ada = w.accounts.save({.email = "ada@x", .name = "Ada", .logins = 1});
  CHECK(ada.id != 0);
  CHECK(w.accounts.count() == 1);

  ada.name = "Ada L.";
  ada.note = "vip";
  const auto saved = w.accounts.save(ada);
  CHECK(saved.id == ada.id);
  CHECK(w.accounts.count() == 1);
  CHECK(w.accounts.find_by_id(ada.id).name == "Ada L.");
  CHECK(w.accounts.find_by_id(ada.id).note == std::optional<std::string>("vip"));

  // an id no row has yet: inserted with it
  const auto given = w.accounts.save({.id = 40, .email = "eve@x", .name = "Eve", .logins = 0});
  CHECK(given.id == 40);
  CHECK(w.accounts.find_by_id(40).name == "Eve");
  // generated ids go on past the given one
  CHECK(w.accounts.create({.email = "z@x", .name = "Z", .logins = 0}).id > 40);

  // a new entity (no id) whose unique key is taken is refused: save does not merge by it
  CHECK_THROWS_AS(w.accounts.save({.email = "ada@x", .name = "Imposter", .logins = 0}),
                  relata::constraint_violation);
  CHECK(w.accounts.find_by_id(ada.id).name == "Ada L.");
}

TEST_CASE("upsert updates by id, else by a unique key, else inserts", "[upsert]") {
  world w;
  const auto ada = w.accounts.create({.email = "ada@x", .name = "Ada", .logins = 1});

  SECTION("by id: every property of an entity built in C++") {
    const auto out = w.accounts.upsert({.id = ada.id, .email = "ada@y", .name = "A", .logins = 2});
    CHECK(out.id == ada.id);
    const auto stored = w.accounts.find_by_id(ada.id);
    CHECK(stored.email == "ada@y");
    CHECK(stored.logins == 2);
    CHECK(w.accounts.count() == 1);
  }
  SECTION("by id, an id no row has: inserted") {
    const auto out = w.accounts.upsert({.id = 7, .email = "b@x", .name = "B", .logins = 0});
    CHECK(out.id == 7);
    CHECK(w.accounts.count() == 2);
  }
  SECTION("without an id, by the unique key: the stored id comes back") {
    const auto out = w.accounts.upsert({.email = "ada@x", .name = "Ada 2", .logins = 5});
    CHECK(out.id == ada.id);
    CHECK(out.name == "Ada 2");
    CHECK(w.accounts.find_by_id(ada.id).logins == 5);
    CHECK(w.accounts.count() == 1);
  }
  SECTION("without an id and a new unique key: inserted") {
    const auto out = w.accounts.upsert({.email = "new@x", .name = "N", .logins = 0});
    CHECK(out.id != ada.id);
    CHECK(w.accounts.count() == 2);
  }
  SECTION("patch_or_create is the same call") {
    w.accounts.patch_or_create({.email = "ada@x", .name = "P", .logins = 9});
    CHECK(w.accounts.find_by_id(ada.id).name == "P");
  }
  SECTION("an entity from JSON writes only the properties it has") {
    const auto patch =
        json_account((R"({"id": )" + std::to_string(ada.id) + R"(, "logins": 3})").c_str());
    const auto out = w.accounts.upsert(patch);
    CHECK(out.logins == 3);
    CHECK(out.name == "Ada");  // read back: the stored row, whole
    CHECK(out.email == "ada@x");
    const auto stored = w.accounts.find_by_id(ada.id);
    CHECK(stored.name == "Ada");
    CHECK(stored.logins == 3);
    // by the unique key from JSON
    w.accounts.upsert(json_account(R"({"email": "ada@x", "name": "From JSON"})"));
    CHECK(w.accounts.find_by_id(ada.id).name == "From JSON");
    CHECK(w.accounts.find_by_id(ada.id).logins == 3);
  }
  SECTION("a partial entity that matches nothing must be insertable") {
    CHECK_THROWS_AS(w.accounts.upsert(json_account(R"({"id": 99, "logins": 3})")),
                    relata::invalid_data);
    CHECK(w.accounts.count() == 1);
  }
  SECTION("a conflict on another unique key is refused, and nothing changes") {
    w.accounts.create({.email = "bob@x", .name = "Bob", .logins = 0});
    CHECK_THROWS_AS(w.accounts.upsert({.id = ada.id, .email = "bob@x", .name = "Ada", .logins = 1}),
                    relata::constraint_violation);
    CHECK(w.accounts.find_by_id(ada.id).email == "ada@x");
    CHECK(w.accounts.count() == 2);
  }
}

TEST_CASE("upsert by a composite unique key and a supplied id", "[upsert]") {
  world w;
  w.seats.create({.code = "A1", .hall = "main", .row = 1, .number = 1});
  // by id
  w.seats.upsert({.code = "A1", .hall = "main", .row = 1, .number = 1, .holder = "ada"});
  CHECK(w.seats.find_by_id("A1").holder == std::optional<std::string>("ada"));
  // a new code on a taken seat: the primary key decides, so the seat key conflicts
  CHECK_THROWS_AS(w.seats.upsert({.code = "Z9", .hall = "main", .row = 1, .number = 1}),
                  relata::constraint_violation);
  // an id left out of JSON: found by (hall, row, number)
  const auto seat = w.seats.upsert(
      nlohmann::json::parse(R"({"hall": "main", "row": 1, "number": 1, "holder": "bob"})")
          .get<Seat>());
  CHECK(seat.code == "A1");
  CHECK(w.seats.find_by_id("A1").holder == std::optional<std::string>("bob"));
  CHECK(w.seats.count() == 1);
}

TEST_CASE("replace_or_create replaces every property, or inserts", "[upsert]") {
  world w;
  const auto ada =
      w.accounts.create({.email = "ada@x", .name = "Ada", .logins = 1, .note = "keep?"});
  w.accounts.replace_or_create({.id = ada.id, .email = "ada@x", .name = "R", .logins = 2});
  const auto stored = w.accounts.find_by_id(ada.id);
  CHECK(stored.name == "R");
  CHECK_FALSE(stored.note.has_value());  // replaced: the note is gone
  w.accounts.replace_or_create({.id = 12, .email = "c@x", .name = "C", .logins = 0});
  CHECK(w.accounts.count() == 2);
  // from JSON, a property left out is replaced too (its value in the entity: null here), as
  // replace_by_id does; an upsert would have kept it
  w.accounts.update_by_id(12, {{&Account::note, std::string("old")}});
  const auto replaced = w.accounts.replace_or_create(
      json_account(R"({"id": 12, "email": "c@x", "name": "C2", "logins": 1})"));
  CHECK_FALSE(replaced.note.has_value());
  CHECK_FALSE(w.accounts.find_by_id(12).note.has_value());
  // by the unique key, from JSON, the same
  w.accounts.update_by_id(12, {{&Account::note, std::string("old")}});
  w.accounts.replace_or_create(json_account(R"({"email": "c@x", "name": "C3", "logins": 2})"));
  CHECK_FALSE(w.accounts.find_by_id(12).note.has_value());
  CHECK(w.accounts.find_by_id(12).name == "C3");
  w.accounts.update_by_id(12, {{&Account::note, std::string("kept")}});
  w.accounts.upsert(json_account(R"({"email": "c@x", "logins": 3})"));
  CHECK(w.accounts.find_by_id(12).note == std::optional<std::string>("kept"));
  // a replacement must be whole
  CHECK_THROWS_AS(w.accounts.replace_or_create(json_account(R"({"id": 12, "logins": 9})")),
                  relata::invalid_data);
  CHECK(w.accounts.find_by_id(12).logins == 3);
}

TEST_CASE("find_or_create finds the first match, or creates once", "[upsert]") {
  world w;
  const auto first = w.accounts.find_or_create(col(&Account::email) == "ada@x",
                                               {.email = "ada@x", .name = "Ada", .logins = 0});
  CHECK(first.created);
  CHECK(first.entity.id != 0);
  const auto again = w.accounts.find_or_create(col(&Account::email) == "ada@x",
                                               {.email = "ada@x", .name = "Other", .logins = 9});
  CHECK_FALSE(again.created);
  CHECK(again.entity.id == first.entity.id);
  CHECK(again.entity.name == "Ada");  // the stored one, not the data
  CHECK(w.accounts.count() == 1);
  // a where that matches several: the first in id order
  w.accounts.create({.email = "b@x", .name = "Ada", .logins = 0});
  const auto several = w.accounts.find_or_create(col(&Account::name) == "Ada",
                                                 {.email = "c@x", .name = "Ada", .logins = 0});
  CHECK_FALSE(several.created);
  CHECK(several.entity.id == first.entity.id);
  // a refused insert leaves nothing behind
  CHECK_THROWS_AS(w.accounts.find_or_create(col(&Account::name) == "Nobody",
                                            {.email = "ada@x", .name = "Nobody", .logins = 0}),
                  relata::constraint_violation);
  CHECK(w.accounts.count() == 2);
}

TEST_CASE("upsert_with_where updates the one match, inserts when none, refuses several",
          "[upsert]") {
  world w;
  const auto ada = w.accounts.create({.email = "ada@x", .name = "Ada", .logins = 1});
  const auto out = w.accounts.upsert_with_where(col(&Account::name) == "Ada",
                                                json_account(R"({"logins": 8, "note": "seen"})"));
  CHECK(out.id == ada.id);
  CHECK(out.email == "ada@x");
  CHECK(out.logins == 8);
  CHECK(w.accounts.find_by_id(ada.id).note == std::optional<std::string>("seen"));

  const auto created = w.accounts.upsert_with_where(col(&Account::name) == "Bob",
                                                    {.email = "bob@x", .name = "Bob", .logins = 0});
  CHECK(created.id != ada.id);
  CHECK(w.accounts.count() == 2);

  w.accounts.create({.email = "bob2@x", .name = "Bob", .logins = 0});
  CHECK_THROWS_AS(
      w.accounts.upsert_with_where(col(&Account::name) == "Bob", json_account(R"({"logins": 5})")),
      relata::invalid_filter);
  CHECK(w.accounts.count(col(&Account::logins) == 5) == 0);
  // the match's id cannot be changed through it
  CHECK_THROWS_AS(
      w.accounts.upsert_with_where(col(&Account::name) == "Ada",
                                   {.id = 999, .email = "ada@x", .name = "Ada", .logins = 0}),
      relata::invalid_data);
  CHECK(w.accounts.exists(ada.id));
}

TEST_CASE("upserts inside a transaction roll back with it", "[upsert]") {
  world w;
  const auto ada = w.accounts.create({.email = "ada@x", .name = "Ada", .logins = 1});
  {
    relata::transaction tx{*w.db};
    w.accounts.upsert({.email = "ada@x", .name = "Changed", .logins = 2});
    w.accounts.upsert({.email = "new@x", .name = "New", .logins = 0});
    w.accounts.find_or_create(col(&Account::email) == "f@x",
                              {.email = "f@x", .name = "F", .logins = 0});
    tx.rollback();
  }
  CHECK(w.accounts.find_by_id(ada.id).name == "Ada");
  CHECK(w.accounts.count() == 1);
}
