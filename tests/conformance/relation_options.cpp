// Relation options beyond keys and deletion, on every connector.
//
// relata::disable_include (LoopBack's disableInclude): LoopBack 3 leaves an include of such a
// relation out of the result without a word, so a caller cannot tell "not allowed" from "none";
// relata refuses it, naming the relation and the model, before any query runs. The relation
// stays usable through its accessor and in relation filters.
//
// relata::copy_property and relata::properties_from (LoopBack 3's relation `properties`): what
// the accessor creates takes values from its source. LoopBack 3 overwrites the caller's data
// with them; relata stamps them like the foreign key, and refuses a caller's value that
// contradicts one. Neither applies again on update.
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

namespace options_test {

struct Entry;
struct Ticket;
struct Account {
  RELATA_MODEL(Account,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Entry, relata::disable_include>, audit_log),
               (relata::has_many<Ticket>, tickets));
};
struct Entry {
  RELATA_MODEL(Entry,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::int64_t, account_id),
               (relata::belongs_to<Account>, account));
};
struct Ticket {
  RELATA_MODEL(Ticket,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::int64_t, account_id),
               (relata::belongs_to<Account>, account));
};

struct bank {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Account> accounts{*db};
  relata::repository<Entry> entries{*db};
  relata::repository<Ticket> tickets{*db};
  Account ada, bob;
  bank() {
    relata::migrate<Account, Entry, Ticket>(*db);
    ada = accounts.create({.name = "ada"});
    bob = accounts.create({.name = "bob"});
    accounts.audit_log(ada.id).create({.text = "opened"});
    accounts.audit_log(ada.id).create({.text = "closed"});
    accounts.tickets(ada.id).create({.title = "help"});
    accounts.tickets(bob.id).create({.title = "again"});
  }
};

/// The message of the invalid_inclusion_filter `f` throws; fails the test if it throws none.
template <class F>
std::string inclusion_error(F&& f) {
  try {
    f();
  } catch (const relata::invalid_inclusion_filter& e) {
    CHECK(e.code() == relata::error_code::invalid_inclusion_filter);
    return e.what();
  }
  FAIL("expected invalid_inclusion_filter");
  return {};
}

// --- copied properties ---------------------------------------------------------------------

struct Purchase;
struct Card;
struct Club;
struct Membership;
struct Memo;
struct Picture;

/// properties_from's function: a memo is signed by its shopper and filed under its region.
struct sign_memo {
  void operator()(const struct Shopper& s, Memo& m) const;
};

struct Shopper {
  RELATA_MODEL(Shopper,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::string, region),
               (std::optional<std::int64_t>, tier),
               (relata::has_many<Purchase,
                                 relata::copy_property<"region", "region">,
                                 relata::copy_property<"tier", "tier">>,
                purchases),
               (relata::has_one<Card, relata::copy_property<"name", "holder">>, card),
               (relata::has_many<Club,
                                 relata::through<Membership>,
                                 relata::copy_property<"region", "region">>,
                clubs),
               (relata::has_many<Memo, relata::properties_from<sign_memo>>, memos),
               (relata::has_many<Picture,
                                 relata::as<"imageable">,
                                 relata::copy_property<"region", "region">>,
                pictures));
};
struct Purchase {
  RELATA_MODEL(Purchase,
               (relata::id<std::int64_t>, id),
               (double, total),
               (std::string, region),
               (std::optional<std::int64_t>, tier),
               (std::int64_t, shopper_id));
};
struct Card {
  RELATA_MODEL(Card,
               (relata::id<std::int64_t>, id),
               (std::string, holder),
               (std::int64_t, shopper_id));
};
struct Club {
  RELATA_MODEL(Club, (relata::id<std::int64_t>, id), (std::string, title));
};
struct Membership {
  RELATA_MODEL(Membership,
               (relata::id<std::int64_t>, id),
               (std::int64_t, shopper_id),
               (std::int64_t, club_id),
               (std::string, region));
};
struct Memo {
  RELATA_MODEL(Memo,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::string, author),
               (std::string, region),
               (std::int64_t, shopper_id));
};

struct Picture {
  RELATA_MODEL(Picture,
               (relata::id<std::int64_t>, id),
               (std::string, url),
               (std::string, region),
               (std::int64_t, imageable_id),
               (std::string, imageable_type));
};

inline void sign_memo::operator()(const Shopper& s, Memo& m) const {
  m.author = s.name;
  m.region = s.region;
}

struct market {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Shopper> shoppers{*db};
  relata::repository<Purchase> purchases{*db};
  relata::repository<Card> cards{*db};
  relata::repository<Club> clubs{*db};
  relata::repository<Membership> memberships{*db};
  relata::repository<Memo> memos{*db};
  relata::repository<Picture> pictures{*db};
  Shopper eve, sam;
  market() {
    relata::migrate<Shopper, Purchase, Card, Club, Membership, Memo, Picture>(*db);
    eve = shoppers.create({.name = "eve", .region = "eu", .tier = 2});
    sam = shoppers.create({.name = "sam", .region = "us"});
  }
};

/// The message of the constraint_violation `f` throws; fails the test if it throws none.
template <class F>
std::string refusal(F&& f) {
  try {
    f();
  } catch (const relata::constraint_violation& e) {
    CHECK(e.code() == relata::error_code::constraint_violation);
    return e.what();
  }
  FAIL("expected constraint_violation");
  return {};
}

}  // namespace options_test

using namespace options_test;

TEST_CASE("disable_include: an include naming the relation is refused, before any query",
          "[relation_options][disable_include]") {
  bank b;
  relata_test::query_log log(*b.db);
  const std::string what = inclusion_error([&] {
    (void)b.accounts.find({.include = {"tickets", "audit_log"}});
  });
  CHECK_THAT(what, Catch::StartsWith("INVALID_INCLUSION_FILTER: "));
  CHECK_THAT(what, Catch::Contains("relation \"audit_log\" of model Account"));
  CHECK_THAT(what, Catch::Contains("disable_include"));
  CHECK(log.statements.empty());

  // find_by_id and find_one take the same path
  CHECK_THROWS_AS(b.accounts.find_by_id(b.ada.id, {.include = {"audit_log"}}),
                  relata::invalid_inclusion_filter);
  CHECK_THROWS_AS(b.accounts.find_one({.include = {"audit_log"}}),
                  relata::invalid_inclusion_filter);
  CHECK(log.statements.empty());
}

TEST_CASE("disable_include: refused when nested in another relation's scope, with its path",
          "[relation_options][disable_include]") {
  bank b;
  const std::string what = inclusion_error([&] {
    (void)b.tickets.find(
        {.include = {relata::include(&Ticket::account, {.include = {"tickets", "audit_log"}})}});
  });
  CHECK_THAT(what, Catch::Contains("relation \"account.audit_log\" of model Account"));
  // through a constrained repository's find too
  CHECK_THROWS_AS(b.accounts.tickets(b.ada.id).find(
                      {.include = {relata::include(&Ticket::account, {.include = {"audit_log"}})}}),
                  relata::invalid_inclusion_filter);
}

TEST_CASE("disable_include: a JSON filter naming the relation is refused when parsed",
          "[relation_options][disable_include]") {
  bank b;
  const std::string top = inclusion_error(
      [&] { (void)relata::filter<Account>::from_json(R"({"include":["audit_log"]})"); });
  CHECK_THAT(top, Catch::Contains("relation \"audit_log\" of model Account"));
  const std::string object = inclusion_error([&] {
    (void)relata::filter<Account>::from_json(
        R"({"include":[{"relation":"audit_log","scope":{"limit":1}}]})");
  });
  CHECK_THAT(object, Catch::Contains("relation \"audit_log\" of model Account"));
  const std::string nested = inclusion_error([&] {
    (void)b.tickets.find(relata::filter<Ticket>::from_json(
        R"({"include":{"relation":"account","scope":{"include":"audit_log"}}})"));
  });
  CHECK_THAT(nested, Catch::Contains("relation \"account.audit_log\" of model Account"));
}

TEST_CASE("disable_include: the accessor, relation filters and other includes still work",
          "[relation_options][disable_include]") {
  bank b;
  // the constrained repository reads and writes the relation
  auto log = b.accounts.audit_log(b.ada.id);
  CHECK(log.count() == 2);
  CHECK(log.find({.order = {relata::asc(&Entry::text)}}).at(0).text == "closed");
  CHECK(b.accounts.audit_log(b.bob.id).count() == 0);
  // a relation filter on it
  const auto audited = b.accounts.find({.where = relata::some(&Account::audit_log)});
  REQUIRE(audited.size() == 1);
  CHECK(audited.at(0).name == "ada");
  CHECK(b.accounts.count(relata::none(&Account::audit_log, col(&Entry::text) == "opened")) == 1);
  // the model's other relations, and the inverse relation, include as usual
  const auto with_tickets =
      b.accounts.find({.order = {relata::asc(&Account::id)}, .include = {"tickets"}});
  REQUIRE(with_tickets.size() == 2);
  CHECK(with_tickets.at(0).tickets.size() == 1);
  CHECK_FALSE(with_tickets.at(0).audit_log.loaded());
  const auto entries = b.entries.find({.include = {relata::include(&Entry::account)}});
  REQUIRE(entries.size() == 2);
  CHECK(entries.at(0).account->name == "ada");
}

TEST_CASE("copy_property: a hasMany create stamps the source's values, stored",
          "[relation_options][properties]") {
  market m;
  const auto p = m.shoppers.purchases(m.eve.id).create({.total = 3.5});
  CHECK(p.region == "eu");
  CHECK(p.tier == 2);
  CHECK(p.shopper_id == m.eve.id);
  const auto stored = m.purchases.find_by_id(p.id);
  CHECK(stored.region == "eu");
  CHECK(stored.tier == 2);
  // another source, another stamp: sam has no tier, so none is copied
  const auto q = m.shoppers.purchases(m.sam.id).create({.total = 1.0});
  CHECK(m.purchases.find_by_id(q.id).region == "us");
  CHECK(m.purchases.find_by_id(q.id).tier == std::nullopt);
}

TEST_CASE("copy_property: the same value is accepted, a different one refused, nothing written",
          "[relation_options][properties]") {
  market m;
  auto purchases = m.shoppers.purchases(m.eve.id);
  CHECK(purchases.create({.total = 1.0, .region = "eu", .tier = 2}).region == "eu");
  const std::string what = refusal([&] { (void)purchases.create({.total = 2.0, .region = "us"}); });
  CHECK_THAT(what, Catch::Contains("Property region cannot be changed"));
  CHECK_THAT(what, Catch::Contains("relation purchases of model Shopper"));
  CHECK_THAT(refusal([&] { (void)purchases.create({.total = 2.0, .tier = 3}); }),
             Catch::Contains("Property tier"));
  // create_all refuses the whole batch for one bad entity
  CHECK_THROWS_AS(purchases.create_all({{.total = 4.0}, {.total = 5.0, .region = "asia"}}),
                  relata::constraint_violation);
  CHECK(m.purchases.count() == 1);
}

TEST_CASE("copy_property: create_all and build stamp every entity, reading the source once",
          "[relation_options][properties]") {
  market m;
  relata_test::query_log log(*m.db);
  const auto made = m.shoppers.purchases(m.eve.id).create_all({{.total = 1.0}, {.total = 2.0}});
  CHECK(log.selects() == 1);
  REQUIRE(made.size() == 2);
  CHECK(made[0].region == "eu");
  CHECK(made[1].region == "eu");
  CHECK(m.purchases.count(col(&Purchase::region) == "eu") == 2);
  // build stamps without writing
  const auto built = m.shoppers.purchases(m.sam.id).build({.total = 9.0});
  CHECK(built.region == "us");
  CHECK(built.shopper_id == m.sam.id);
  CHECK(m.purchases.count() == 2);
}

TEST_CASE("copy_property: not applied on update, nor when the source changes",
          "[relation_options][properties]") {
  market m;
  const auto p = m.shoppers.purchases(m.eve.id).create({.total = 1.0});
  // a patch through the relation may change a copied property (LoopBack 3 likewise)
  CHECK(m.shoppers.purchases(m.eve.id).patch({{&Purchase::region, std::string("us")}}) == 1);
  CHECK(m.purchases.find_by_id(p.id).region == "us");
  // the source's new value reaches new targets only
  m.shoppers.update_by_id(m.eve.id, {{&Shopper::region, std::string("asia")}});
  CHECK(m.purchases.find_by_id(p.id).region == "us");
  CHECK(m.shoppers.purchases(m.eve.id).create({.total = 2.0}).region == "asia");
}

TEST_CASE("copy_property: a source that does not exist is ENTITY_NOT_FOUND, nothing written",
          "[relation_options][properties]") {
  market m;
  CHECK_THROWS_AS(m.shoppers.purchases(std::int64_t{999}).create({.total = 1.0}),
                  relata::entity_not_found);
  CHECK(m.purchases.count() == 0);
}

TEST_CASE("copy_property: a relation without one reads no source",
          "[relation_options][properties]") {
  bank b;
  relata_test::query_log log(*b.db);
  b.accounts.tickets(b.ada.id).create({.title = "more"});
  CHECK(log.selects() == 0);
}

TEST_CASE("copy_property: a hasOne create stamps its target", "[relation_options][properties]") {
  market m;
  CHECK_THAT(refusal([&] { (void)m.shoppers.card(m.eve.id).create({.holder = "mallory"}); }),
             Catch::Contains("Property holder") && Catch::Contains("relation card"));
  CHECK(m.cards.count() == 0);
  const auto card = m.shoppers.card(m.eve.id).create({});
  CHECK(card.holder == "eve");
  CHECK(m.shoppers.card(m.eve.id).get().holder == "eve");
}

TEST_CASE("copy_property: a hasManyThrough stamps the link, on create and on link",
          "[relation_options][properties]") {
  market m;
  const auto chess = m.shoppers.clubs(m.eve.id).create({.title = "chess"});
  const auto go = m.clubs.create({.title = "go"});
  m.shoppers.clubs(m.sam.id).link(go.id);
  CHECK(m.memberships.count(col(&Membership::region) == "eu" &&
                            col(&Membership::club_id) == chess.id) == 1);
  CHECK(m.memberships.count(col(&Membership::region) == "us" &&
                            col(&Membership::club_id) == go.id) == 1);
  // a link body that contradicts the source is refused, and the target is not left behind
  CHECK_THAT(refusal([&] {
               (void)m.shoppers.clubs(m.eve.id).create({.title = "poker"}, {.region = "us"});
             }),
             Catch::Contains("Property region") && Catch::Contains("relation clubs"));
  CHECK(m.clubs.count() == 2);
  CHECK(m.memberships.count() == 2);
}

TEST_CASE("properties_from: the function's values are stamped as copy_property's",
          "[relation_options][properties]") {
  market m;
  const auto memo = m.shoppers.memos(m.sam.id).create({.text = "hi"});
  CHECK(memo.author == "sam");
  CHECK(memo.region == "us");
  CHECK(m.memos.find_by_id(memo.id).author == "sam");
  CHECK(m.shoppers.memos(m.sam.id).create({.text = "again", .author = "sam"}).author == "sam");
  CHECK_THAT(refusal([&] { (void)m.shoppers.memos(m.sam.id).create({.author = "eve"}); }),
             Catch::Contains("Property author") && Catch::Contains("relation memos"));
  CHECK(m.memos.count() == 2);
}

TEST_CASE("copy_property: a copied value equal to the default still counts as given",
          "[relation_options][properties]") {
  market m;
  // JSON that leaves out region (required) and tier; the source's region is the default ""
  const auto blank = m.shoppers.create({.name = "blank", .region = ""});
  const auto data = nlohmann::json::parse(R"({"total": 1.5})").get<Purchase>();
  const auto made = m.shoppers.purchases(blank.id).create(data);
  CHECK(m.purchases.find_by_id(made.id).region.empty());
  CHECK(m.purchases.find_by_id(made.id).shopper_id == blank.id);
}

TEST_CASE("copy_property: a hasMany \"as\" stamps its discriminator and the copied values",
          "[relation_options][properties]") {
  market m;
  const auto picture = m.shoppers.pictures(m.sam.id).create({.url = "sam.png"});
  const auto stored = m.pictures.find_by_id(picture.id);
  CHECK(stored.region == "us");
  CHECK(stored.imageable_type == "Shopper");
  CHECK(stored.imageable_id == m.sam.id);
  CHECK_THAT(
      refusal([&] { (void)m.shoppers.pictures(m.sam.id).create({.url = "x", .region = "eu"}); }),
      Catch::Contains("Property region") && Catch::Contains("relation pictures"));
  CHECK(m.pictures.count() == 1);
}
