// LoopBack 3's embedsOne and embedsMany scenarios (loopback-datasource-juggler 7.0.3,
// test/relations.test.js), ported to relata's embedded relations on every connector.
//
// Each LB3 describe is one ordered scenario here (its `it`s share state there, as the
// comments' steps do here). Where relata deliberately differs from LB3, the test asserts
// relata's behaviour and a `// LB3 differs:` comment says how.
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

namespace lb3_embedded {

// --- embedsOne (LB3: Person.embedsOne(Passport), Person.embedsOne(Address)) ------------------

struct Passport {
  RELATA_MODEL(Passport, (std::string, name));
};

struct PostalAddress {
  RELATA_MODEL(PostalAddress, (std::string, street));
};

struct Traveller {
  RELATA_MODEL(Traveller,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_one<Passport>, passport),
               (relata::embeds_one<PostalAddress>, address));
};

/// LB3 "embedsOne - persisted model": a Passport that is also a model with its own table.
struct PersistedPassport {
  RELATA_MODEL(PersistedPassport, (relata::id<std::int64_t>, id), (std::string, name));
};

/// LB3 "embedsOne - generated id": a Passport with a string id.
struct SerialPassport {
  RELATA_MODEL(SerialPassport, (relata::id<std::string>, id), (std::string, name));
};

struct Holder {
  RELATA_MODEL(Holder,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_one<PersistedPassport>, passport),
               (relata::embeds_one<SerialPassport>, serial));
};

// --- embedsMany (LB3: Person.embedsMany(Address), numeric ids) ------------------------------

struct Dwelling {
  RELATA_MODEL(Dwelling, (relata::id<std::int64_t>, id), (std::string, street));
};

struct Resident {
  RELATA_MODEL(Resident,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_many<Dwelling>, addresses));
};

// --- embedsMany - explicit ids (LB3: Address {forceId: false}, string ids) -------------------

struct Premises {
  RELATA_MODEL(Premises, (relata::id<std::string>, id), (std::string, street));
};

struct Tenant {
  RELATA_MODEL(Tenant,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_many<Premises>, addresses));
};

// --- embedsMany - relations, scope and properties (LB3: Category.embedsMany(Link)) -----------

struct Job {
  RELATA_MODEL(Job, (relata::id<std::int64_t>, id), (std::string, name));
};

/// LB3's Link re-uses the job's id as its own and denormalizes the job's name; it refers to
/// the job by that id (what `add` and `remove` go by).
struct JobLink {
  RELATA_MODEL(JobLink,
               (relata::id<std::int64_t, relata::id_generation::supplied>, id),
               (std::string, name),
               (std::string, notes),
               (relata::belongs_to<Job, relata::key_from<"id">>, job));
};

struct Category {
  RELATA_MODEL(Category,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_many<JobLink>, links));
};

// --- embedsMany - polymorphic relations (LB3: Book.embedsMany(Link, {polymorphic: 'linked'})) -

struct Writer {
  RELATA_MODEL(Writer, (relata::id<std::int64_t>, id), (std::string, name));
};

struct Subscriber {
  RELATA_MODEL(Subscriber, (relata::id<std::int64_t>, id), (std::string, name));
};

/// The link to an Author or a Reader, by the discriminator LB3 would have stamped on it.
struct Mention {
  RELATA_MODEL(Mention,
               (relata::id<std::int64_t>, id),
               (std::int64_t, linked_id),
               (std::string, linked_type),
               (std::string, name),
               (std::string, notes));
};

struct Volume {
  RELATA_MODEL(Volume,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::embeds_many<Mention>, people));
};

template <class Item>
std::vector<std::string> streets(const relata::entities<Item>& found) {
  std::vector<std::string> out;
  for (const auto& a : found) out.push_back(a.street);
  return out;
}

template <class Item>
std::vector<std::string> streets(const std::vector<Item>& found) {
  std::vector<std::string> out;
  for (const auto& a : found) out.push_back(a.street);
  return out;
}

}  // namespace lb3_embedded

using namespace lb3_embedded;
using strings = std::vector<std::string>;

// --- embedsOne, LB3 L4364 ---------------------------------------------------------------------

// LB3 L4364 "embedsOne": its 1-2 and 6-8 (declaration, accessor, no default, embedding an
// instance). Left out: "respects property options on the embedded property" (postgresql
// columnName: relata has no per-connector property options), "should setup / have setup a
// custom method on accessor" (no `methods` option), "should not embed an invalid model type"
// (a compile error in C++: embeds_one<Passport> holds a Passport only).
TEST_CASE("lb3 embedsOne: declaration, accessor, no default, embedding an instance",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared using embedsOne method": the owner migrates with both documents.
  relata::migrate<Traveller>(*db);
  relata::repository<Traveller> people{*db};

  // it "should have setup a property and accessor" / "should return an instance with default
  // values"
  // LB3 differs: `default: {name: 'Anonymous'}` gives a new Person a passport; relata has no
  // default item: a new owner has none, in memory and stored.
  const Traveller fresh{};
  CHECK_FALSE(fresh.passport.has_value());
  const auto stored = people.create({.name = "Anon"});
  CHECK_FALSE(people.find_by_id(stored.id).passport.has_value());
  CHECK_FALSE(people.passport(stored.id).exists());

  // it "should behave properly without default or being set"
  CHECK_FALSE(fresh.address.has_value());
  const auto p = people.create({});
  CHECK_FALSE(p.address.has_value());
  CHECK_FALSE(people.address(p.id).find_one().has_value());
  CHECK_THROWS_AS(people.address(p.id).get(), relata::entity_not_found);
  CHECK(nlohmann::json(people.find_by_id(p.id))["address"].is_null());

  // it "should embed a model instance": set on the owner, then stored with it.
  Traveller fred{.name = "Fred"};
  fred.passport = Passport{.name = "Fred"};
  CHECK(fred.passport->name == "Fred");
  const auto created = people.create(fred);
  CHECK(people.passport(created.id).get().name == "Fred");
  CHECK(nlohmann::json(people.find_by_id(created.id))["passport"] ==
        nlohmann::json{{"name", "Fred"}});
}

// LB3 L4364 "embedsOne": its 10-28. Create / get / validate / update / destroy (its 10-17)
// with callbacks and again with promises (its 19-26; relata has one synchronous API: both
// passes run the same calls, each on a new owner), saving an unsaved owner (it 18), and
// saving and destroying through the embedded item (its 27-28).
TEST_CASE("lb3 embedsOne: create, get, validate, update and destroy on the scope",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  relata::migrate<Traveller>(*db);
  relata::repository<Traveller> people{*db};

  const auto scenario = [&](const std::string& renamed) {
    // it "should create an embedded item on scope"
    const auto p = people.create({.name = "Fred"});
    const auto person_id = p.id;
    const auto passport = people.passport(person_id).create({.name = "Fredric"});
    CHECK(passport.name == "Fredric");
    CHECK(people.find_by_id(person_id).passport->name == "Fredric");

    // it "should get an embedded item on scope": get, find_one and the owner agree.
    CHECK(people.passport(person_id).get().name == "Fredric");
    CHECK(people.passport(person_id).find_one()->name == "Fredric");
    CHECK(people.find_by_id(person_id).passport->name == "Fredric");

    // it "should validate an embedded item on scope - on creation"
    // LB3 differs: Passport.name is `required`, so create({}) is a ValidationError. A relata
    // item always has its properties' types; what is checked is the document: an owner read
    // from JSON whose passport has a null name is refused, naming the passport. (One whose
    // passport leaves the name out is not refused yet: reported, not tested here.)
    const nlohmann::json null_name = {{"name", "Fred"}, {"passport", {{"name", nullptr}}}};
    try {
      (void)null_name.get<Traveller>();
      FAIL("a passport with a null name was accepted");
    } catch (const relata::invalid_data& e) {
      CHECK_THAT(e.what(), Catch::Matchers::Contains("passport"));
    }

    // it "should validate an embedded item on scope - on update": passport.name = null.
    nlohmann::json nulled = people.find_by_id(person_id);
    nulled["passport"]["name"] = nullptr;
    CHECK_THROWS_AS(nulled.get<Traveller>(), relata::invalid_data);
    CHECK(people.passport(person_id).get().name == "Fredric");  // nothing was written

    // it "should update an embedded item on scope"
    people.passport(person_id).update({{&Passport::name, renamed}});
    CHECK(people.passport(person_id).get().name == renamed);
    // it "should get an embedded item on scope - verify"
    CHECK(people.find_by_id(person_id).passport->name == renamed);

    // LB3 differs: create on an embedsOne that holds an item replaces it; relata refuses it
    // (CONSTRAINT_VIOLATION) and keeps the item: replace() is the call that replaces.
    CHECK_THROWS_AS(people.passport(person_id).create({.name = "Other"}),
                    relata::constraint_violation);
    CHECK(people.passport(person_id).get().name == renamed);

    // it "should destroy an embedded item on scope": LB3 destroy() is relata's unset().
    CHECK(people.passport(person_id).unset());
    CHECK_FALSE(people.passport(person_id).exists());
    // it "should get an embedded item on scope - verify"
    CHECK_FALSE(people.find_by_id(person_id).passport.has_value());
    CHECK(nlohmann::json(people.find_by_id(person_id))["passport"].is_null());
    return person_id;
  };
  // its 10-17, with callbacks
  const auto first = scenario("Freddy");
  // its 19-26, "... with promises"
  const auto person_id = scenario("Jason");
  CHECK(person_id != first);

  // it "should save an unsaved model" (L4552)
  // LB3 differs: create on a new, unsaved Person saves the Person too. In relata the owner
  // exists first: the scope of an owner that is not stored is refused and creates nothing.
  CHECK_THROWS_AS(people.passport(person_id + 100).create({.name = "Fredric"}),
                  relata::entity_not_found);
  CHECK(people.count() == 2);

  // it "should also save changes when directly saving the embedded model" (L4666)
  // LB3 differs: passport.save() on the embedded instance saves its owner. A relata item is a
  // plain value: the change is written through the scope, here by replace().
  auto passport = people.passport(person_id).create({.name = "Mitsos"});
  passport.name = "Jim";
  CHECK(people.passport(person_id).get().name == "Mitsos");  // not written by itself
  people.passport(person_id).replace(passport);
  CHECK(people.find_by_id(person_id).passport->name == "Jim");

  // it "should delete the embedded document and also update parent" (L4693)
  CHECK(people.passport(person_id).unset());
  CHECK_FALSE(people.find_by_id(person_id).passport.has_value());
  // the other owner was never touched by this one's writes
  CHECK_FALSE(people.find_by_id(first).passport.has_value());
  CHECK(people.find_by_id(first).name == "Fred");
}

// LB3 L4714 "embedsOne - persisted model" [4]: all four its.
// LB3 differs: `options: {persistent: true}` saves the item in Passport's own table first, so
// the embedded passport takes that table's next id (2, 3). relata has no `persistent` option:
// the item lives in the owner's document only, keeps the id it is given, and the item model's
// own table is untouched.
TEST_CASE("lb3 embedsOne - persisted model: the item stays out of its model's table",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared using embedsOne method"
  relata::migrate<Holder, PersistedPassport>(*db);
  relata::repository<Holder> people{*db};
  relata::repository<PersistedPassport> passports{*db};

  // it "should create an item - to offset id"
  const auto wilma = passports.create({.name = "Wilma"});
  CHECK(wilma.id == 1);
  CHECK(wilma.name == "Wilma");

  // it "should create an embedded item on scope"
  const auto fred = people.create({.name = "Fred"});
  const auto fredric = people.passport(fred.id).create({.id = 2, .name = "Fredric"});
  CHECK(fredric.id == 2);
  CHECK(people.find_by_id(fred.id).passport->id == 2);
  CHECK(people.find_by_id(fred.id).passport->name == "Fredric");

  // it "should create an embedded item on scope with promises"
  const auto barney = people.create({.name = "Barney"});
  people.passport(barney.id).create({.id = 3, .name = "Barnabus"});
  CHECK(people.passport(barney.id).get().id == 3);
  CHECK(people.passport(barney.id).get().name == "Barnabus");

  CHECK(passports.count() == 1);
  CHECK_FALSE(passports.exists(2));
  // the table's own sequence was not advanced by the embedded items
  CHECK(passports.create({.name = "Next"}).id == 2);
}

// LB3 L4767 "embedsOne - generated id" [2]: both its.
// LB3 differs: the transient connector generates a 24-hex-digit string id for the embedded
// passport. relata generates only integer ids, and none for an embedsOne's item: a string id
// is the caller's, and is kept.
TEST_CASE("lb3 embedsOne - generated id: a string id is the caller's", "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared using embedsOne method"
  relata::migrate<Holder>(*db);
  relata::repository<Holder> people{*db};
  // it "should create an embedded item on scope"
  const auto fred = people.create({.name = "Fred"});
  const auto passport =
      people.serial(fred.id).create({.id = "5f1e0c2ab3d4e5f6a7b8c9d0", .name = "Fredric"});
  CHECK(passport.id == "5f1e0c2ab3d4e5f6a7b8c9d0");
  CHECK(people.find_by_id(fred.id).serial->id == "5f1e0c2ab3d4e5f6a7b8c9d0");
  CHECK(people.find_by_id(fred.id).serial->name == "Fredric");
}

// --- embedsMany, LB3 L4797 --------------------------------------------------------------------

// LB3 L4797 "embedsMany" [23]: 20 its. Left out: "respects property options on the embedded
// property" (postgresql dataType: no per-connector property options), "should pass options
// when removed by id" and "... by where" (relata's calls take no per-call options for
// observers; the items those its create and remove leave nothing behind).
TEST_CASE("lb3 embedsMany: create, find, filter, update and remove items on the scope",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared"
  relata::migrate<Resident>(*db);
  relata::repository<Resident> people{*db};

  // it "should have setup embedded accessor/scope"
  const Resident fresh{.name = "Fred"};
  CHECK(fresh.addresses.empty());

  // it "should create embedded items on scope"
  const auto fred = people.create({.name = "Fred"});
  auto list = people.addresses(fred.id);
  const auto address1 = list.create({.street = "Street 1"});
  CHECK(address1.id == 1);  // LB3: should.exist(address1.id); both are max + 1 for a number
  CHECK(address1.street == "Street 1");

  // it "should create embedded items on scope" (again)
  const auto address2 = list.create({.street = "Street 2"});
  CHECK(address2.id == 2);
  CHECK(address2.street == "Street 2");

  // it "should return embedded items from scope": the scope and the owner agree, in order.
  const auto addresses = list.find();
  REQUIRE(addresses.size() == 2);
  CHECK(addresses[0].id == address1.id);
  CHECK(addresses[0].street == "Street 1");
  CHECK(addresses[1].id == address2.id);
  CHECK(addresses[1].street == "Street 2");
  CHECK(streets(people.find_by_id(fred.id).addresses) == strings{"Street 1", "Street 2"});
  // LB3 differs: count() queries Address's own (transient) datasource, giving 0 (#258);
  // relata counts the owner's items.
  CHECK(list.count() == 2);
  // LB3 differs: the scope honours where only; relata's find takes order, limit and skip too.
  CHECK(streets(list.find({.order = {relata::desc(&Dwelling::street)}, .limit = 1})) ==
        strings{"Street 2"});

  // it "should filter embedded items on scope"
  const auto filtered = list.find({.where = col(&Dwelling::street) == "Street 2"});
  REQUIRE(filtered.size() == 1);
  CHECK(filtered[0].id == address2.id);
  CHECK(filtered[0].street == "Street 2");

  // it "should validate embedded items"
  // LB3 differs: `validatesPresenceOf('street')` refuses create({}), but LB3 pushes the bad
  // item first, so it stays in the owner and the next save fails. relata has no presence
  // validators; what it refuses (here an id another item has) leaves the owner as it was.
  const nlohmann::json before = people.find_by_id(fred.id);
  CHECK_THROWS_AS(list.create({.id = address1.id, .street = "Invalid"}),
                  relata::constraint_violation);
  CHECK(nlohmann::json(people.find_by_id(fred.id)) == before);

  // it "should find embedded items by id"
  CHECK(list.find_by_id(address2.id).id == address2.id);
  CHECK(list.find_by_id(address2.id).street == "Street 2");

  // it "should check if item exists"
  CHECK(list.exists(address2.id));
  CHECK_FALSE(list.exists(99));

  // it "should update embedded items by id"
  list.update_by_id(address2.id, {{&Dwelling::street, "New Street"}});
  CHECK(list.find_by_id(address2.id).street == "New Street");

  // it "should validate the update of embedded items"
  // LB3 differs: updateById({street: null}) fails validation after it has already changed the
  // in-memory item. relata refuses a change it cannot make (here of the id) before writing
  // anything.
  CHECK_THROWS_AS(list.update_by_id(address2.id, {{&Dwelling::id, 7}}), relata::error);
  CHECK(list.exists(address2.id));
  CHECK_FALSE(list.exists(7));

  // it "should find embedded items by id - verify"
  CHECK(list.find_by_id(address2.id).street == "New Street");

  // it "should have accessors: at, get, set" (get is find_by_id, set is update_by_id)
  // LB3 differs: set() changes the owner in memory only (it is not saved); relata writes.
  CHECK(list.at(0).id == address1.id);
  CHECK(list.find_by_id(address1.id).id == address1.id);
  list.update_by_id(address1.id, {{&Dwelling::street, "Changed 1"}});
  CHECK(people.find_by_id(fred.id).addresses[0].street == "Changed 1");
  CHECK(list.at(1).id == address2.id);
  CHECK(list.find_by_id(address2.id).id == address2.id);
  list.update_by_id(address2.id, {{&Dwelling::street, "Changed 2"}});
  CHECK(people.find_by_id(fred.id).addresses[1].street == "Changed 2");

  // it "should remove embedded items by id"
  CHECK(people.find_by_id(fred.id).addresses.size() == 2);
  list.delete_by_id(address1.id);
  CHECK(list.count() == 1);
  CHECK_THROWS_AS(list.delete_by_id(address1.id), relata::entity_not_found);

  // it "should have removed embedded items - verify"
  CHECK(people.find_by_id(fred.id).addresses.size() == 1);
  CHECK(people.find_by_id(fred.id).addresses[0].id == address2.id);

  // it "should create embedded items on scope" (the third)
  // ids are max + 1 over the items there now: address1's id (1) is not reused
  const auto address3 = list.create({.street = "Street 3"});
  CHECK(address3.street == "Street 3");
  CHECK(address3.id == 3);

  // it "should remove embedded items - filtered"
  CHECK(people.find_by_id(fred.id).addresses.size() == 2);
  CHECK(list.delete_all(col(&Dwelling::street) == "Street 3") == 1);
  CHECK(streets(people.find_by_id(fred.id).addresses) == strings{"Changed 2"});

  // it "should remove all embedded items"
  CHECK(list.delete_all() == 1);
  CHECK(list.count() == 0);

  // it "should have removed all embedded items - verify"
  CHECK(people.find_by_id(fred.id).addresses.empty());

  // it "should save an unsaved model"
  // LB3 differs: create on a new, unsaved Person saves the Person. In relata the owner exists
  // first; the scope of one that is not stored creates nothing.
  CHECK_THROWS_AS(people.addresses(fred.id + 1).create({.street = "Street 4"}),
                  relata::entity_not_found);
  CHECK(people.count() == 1);
}

// LB3 L5113 "embedsMany - omit default value for embedded item" [5]: all five its.
TEST_CASE("lb3 embedsMany - omit default value: no option, and build stores nothing",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared"
  // LB3 differs: there is no omitDefaultEmbeddedItem option; an owner without items always has
  // an empty list.
  relata::migrate<Resident>(*db);
  relata::repository<Resident> people{*db};

  // it "should not set default value for embedded item"
  // LB3 differs: with the option, a new Person's addresses are undefined; in relata they are an
  // empty list, written as [] in the owner's JSON.
  const Resident fresh{.name = "Fred"};
  CHECK(fresh.addresses.empty());
  const auto fred = people.create({.name = "Fred"});
  CHECK(nlohmann::json(people.find_by_id(fred.id))["addresses"] == nlohmann::json::array());

  // it "should create embedded items on scope"
  const auto address = people.addresses(fred.id).create({.street = "Street 1"});
  CHECK(address.id == 1);
  CHECK(address.street == "Street 1");
  CHECK(people.find_by_id(fred.id).addresses.size() == 1);

  // it "should build embedded items"
  // LB3 differs: build() pushes the item onto the owner's list (3 items, unsaved). relata's
  // build only makes the item: it is not in the owner until created or written with it.
  const auto home = people.addresses(fred.id).build({.id = 10, .street = "Home"});
  CHECK(home.street == "Home");
  CHECK(people.addresses(fred.id).count() == 1);
  CHECK(people.find_by_id(fred.id).addresses.size() == 1);

  // it "should not create embedded from attributes - relation name"
  // LB3 differs: LB3 ignores the relation name `addressList` in the data; relata reads an owner
  // from its properties, and refuses a property it does not have.
  const auto wilma = nlohmann::json::parse(
      R"({"name": "Wilma", "addressList": [{"id": 1, "street": "Home Street"}]})");
  CHECK_THROWS_AS(wilma.get<Resident>(), relata::invalid_data);
  CHECK(people.count() == 1);
}

// LB3 L5178 "embedsMany - numeric ids + forceId" [2]: both its.
TEST_CASE("lb3 embedsMany - numeric ids + forceId: ids are max + 1, a given id is kept",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared" (LB3: {options: {forceId: true}})
  relata::migrate<Resident>(*db);
  relata::repository<Resident> people{*db};

  // it "should create embedded items on scope"
  const auto fred = people.create({.name = "Fred"});
  auto list = people.addresses(fred.id);
  CHECK(list.create({.street = "Street 1"}).id == 1);
  CHECK(list.create({.street = "Street 2"}).id == 2);
  // LB3 differs: forceId discards the caller's id 12345 and gives 3. relata has no forceId:
  // a given id is kept, and the next generated one is past it.
  CHECK(list.create({.id = 12345, .street = "Street 3"}).id == 12345);
  CHECK(list.create({.street = "Street 4"}).id == 12346);
  CHECK(list.find_by_id(12345).street == "Street 3");
}

// LB3 L5212 "embedsMany - explicit ids" [14]: all fourteen its.
TEST_CASE("lb3 embedsMany - explicit ids: string ids the caller gives", "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared" (LB3: Address {forceId: false})
  relata::migrate<Tenant>(*db);
  relata::repository<Tenant> people{*db};

  // it "should create embedded items on scope"
  const auto fred = people.create({.name = "Fred"});
  auto list = people.addresses(fred.id);
  CHECK(list.create({.id = "home", .street = "Street 1"}).id == "home");
  const auto work = list.create({.id = "work", .street = "Work Street 2"});
  CHECK(work.id == "work");
  CHECK(work.street == "Work Street 2");

  // it "should find embedded items by id"
  CHECK(list.find_by_id("work").id == "work");
  CHECK(list.find_by_id("work").street == "Work Street 2");

  // it "should check for duplicate ids"
  // LB3: a ValidationError (addresses: uniqueness). relata: CONSTRAINT_VIOLATION, and nothing
  // is left behind.
  CHECK_THROWS_AS(list.create({.id = "home", .street = "Invalid"}), relata::constraint_violation);
  CHECK(list.count() == 2);
  CHECK(list.find_by_id("home").street == "Street 1");

  // it "should update embedded items by id"
  list.update_by_id("home", {{&Premises::street, "New Street"}});
  CHECK(list.find_by_id("home").id == "home");
  CHECK(list.find_by_id("home").street == "New Street");

  // it "should remove embedded items by id"
  CHECK(people.find_by_id(fred.id).addresses.size() == 2);
  list.delete_by_id("home");
  CHECK(list.count() == 1);

  // it "should have embedded items - verify"
  CHECK(people.find_by_id(fred.id).addresses.size() == 1);
  CHECK(people.find_by_id(fred.id).addresses[0].id == "work");

  // it "should validate all embedded items"
  // LB3 differs: LB3 refuses the owner because an item's street is blank (presence). relata has
  // no presence validators; it refuses an owner whose items share an id (INVALID_DATA), and one
  // whose item does not fit its model, naming the property.
  CHECK_THROWS_AS(people.create({.name = "Wilma",
                                 .addresses = {{.id = "home", .street = "Home Street"},
                                               {.id = "home", .street = ""}}}),
                  relata::invalid_data);
  const auto bad = nlohmann::json::parse(
      R"({"name": "Wilma", "addresses": [{"id": "home", "street": "Home Street"},
                                         {"id": "work", "street": null}]})");
  try {
    (void)bad.get<Tenant>();
    FAIL("an item with a null street was accepted");
  } catch (const relata::invalid_data& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("addresses"));
  }
  CHECK(people.count() == 1);

  // it "should build embedded items": added to the owner, then the owner saved.
  auto wilma = people.create({.name = "Wilma"});
  wilma.addresses.push_back(people.addresses(wilma.id).build({.id = "home", .street = "Home"}));
  wilma.addresses.push_back(people.addresses(wilma.id).build({.id = "work", .street = "Work"}));
  CHECK(wilma.addresses.size() == 2);
  CHECK(people.addresses(wilma.id).count() == 0);  // built, not stored
  people.save(wilma);

  // it "should have embedded items - verify"
  {
    const auto found = people.find_one({.where = col(&Tenant::name) == "Wilma"});
    REQUIRE(found.has_value());
    CHECK(found->name == "Wilma");
    REQUIRE(found->addresses.size() == 2);
    CHECK(found->addresses[0].id == "home");
    CHECK(found->addresses[0].street == "Home");
    CHECK(found->addresses[1].id == "work");
    CHECK(found->addresses[1].street == "Work");
  }

  // it "should have accessors: at, get, set"
  // LB3 differs: set('home', {id: 'den'}) renames the item (in memory). relata never changes an
  // item's id: update_by_id and replace_by_id refuse it and the item keeps its id.
  auto wilmas = people.addresses(wilma.id);
  CHECK(wilmas.at(0).id == "home");
  CHECK(wilmas.find_by_id("home").id == "home");
  CHECK_THROWS_AS(wilmas.update_by_id("home", {{&Premises::id, "den"}}), relata::error);
  CHECK_THROWS_AS(wilmas.replace_by_id("home", {.id = "den", .street = "Home"}),
                  relata::constraint_violation);
  CHECK(wilmas.at(1).id == "work");
  CHECK(wilmas.find_by_id("work").id == "work");
  CHECK_FALSE(wilmas.exists("den"));
  CHECK(wilmas.at(0).id == "home");

  // it "should create embedded from attributes - property name"
  const auto wilma2 = people.create({.name = "Wilma",
                                     .addresses = {{.id = "home", .street = "Home Street"},
                                                   {.id = "work", .street = "Work Street"}}});
  CHECK(people.addresses(wilma2.id).at(0).id == "home");
  CHECK(people.addresses(wilma2.id).at(1).id == "work");

  // it "should not create embedded from attributes - relation name"
  // LB3 differs: LB3 ignores `addressList` and creates Wilma without items; relata refuses a
  // property the owner does not have.
  const auto by_relation_name = nlohmann::json::parse(
      R"({"name": "Wilma", "addressList": [{"id": "home", "street": "Home Street"}]})");
  CHECK_THROWS_AS(by_relation_name.get<Tenant>(), relata::invalid_data);

  // it "should create embedded items with auto-generated id"
  // LB3 differs: the transient connector generates a 24-hex-digit string id. relata generates
  // only integer ids: a string id is the caller's, and is kept.
  const auto wilma3 = people.create({.name = "Wilma"});
  const auto generated =
      people.addresses(wilma3.id).create({.id = "5f1e0c2ab3d4e5f6a7b8c9d0", .street = "Home"});
  CHECK(generated.id == "5f1e0c2ab3d4e5f6a7b8c9d0");
  CHECK(people.addresses(wilma3.id).find_by_id("5f1e0c2ab3d4e5f6a7b8c9d0").street == "Home");
}

// LB3 L5380 "embedsMany - persisted model" [10]: 9 its. Left out: "should validate embedded
// items on scope - street" (a presence validator: relata has none, and an item read from JSON
// that leaves a required property out is not refused yet: reported, not tested here).
// LB3 differs: `options: {persistent: true}` saves each created item in Address's own table,
// so an item created on the scope takes that table's next id (5). relata has no `persistent`
// option: items live in the owner's document, a given id is kept, a generated one is the
// document's largest + 1, and the item model's own table is untouched.
TEST_CASE("lb3 embedsMany - persisted model: items stay out of their model's table",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared"
  relata::migrate<Resident, Dwelling>(*db);
  relata::repository<Resident> people{*db};
  relata::repository<Dwelling> addresses{*db};

  // its "should create individual items (0)" to "(3)"
  CHECK(addresses.create({.street = "Street 0"}).id == 1);
  const auto address1 = addresses.create({.street = "Street 1"});
  CHECK(address1.id == 2);
  const auto address2 = addresses.create({.street = "Street 2"});
  CHECK(address2.id == 3);
  CHECK(addresses.create({.street = "Street 3"}).id == 4);

  // it "should add embedded items on scope": the table's items, with their ids.
  const auto fred = people.create({.name = "Fred"});
  auto list = people.addresses(fred.id);
  const auto added1 = list.create(address1);
  CHECK(added1.id == 2);
  CHECK(added1.street == "Street 1");
  const auto added2 = list.create(address2);
  CHECK(added2.id == 3);
  CHECK(added2.street == "Street 2");

  // it "should create embedded items on scope"
  // LB3 differs: 5, the Address table's next id; relata: the document's largest id + 1.
  const auto address4 = list.create({.street = "Street 4"});
  CHECK(address4.id == 4);
  CHECK(address4.street == "Street 4");

  // it "should have embedded items on scope"
  CHECK(streets(list.find()) == strings{"Street 1", "Street 2", "Street 4"});
  CHECK(addresses.count() == 4);  // the table has only its own four
  CHECK(addresses.find_by_id(4).street == "Street 3");

  // it "should validate embedded items on scope - id": an item without an id gets one.
  const auto wilma = people.create({.name = "Wilma"});
  const auto unnumbered = people.addresses(wilma.id).create({.street = "Street 1"});
  CHECK(unnumbered.street == "Street 1");
  CHECK(unnumbered.id == 1);
}

// LB3 L5505 "embedsMany - relations, scope and properties" [16]: all 16 its.
// LB3 differs throughout: the embedded Link's belongsTo Job copies the job's id and name into
// the link (`properties`), and the relation's `scope: {include: 'job'}` loads the job. In
// relata the item's belongs_to serves add and remove (`add<&JobLink::job>(job.id, data)` checks
// the job exists); the caller copies the name, finds the job by the link's id, and an include
// on the items is refused.
TEST_CASE("lb3 embedsMany - relations, scope and properties: links to jobs", "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared"
  relata::migrate<Category, Job>(*db);
  relata::repository<Category> categories{*db};
  relata::repository<Job> jobs{*db};
  jobs.create({.name = "Job 0"});  // offset ids

  // it "should setup related items"
  const auto job1 = jobs.create({.name = "Job 1"});
  const auto job2 = jobs.create({.name = "Job 2"});
  const auto job3 = jobs.create({.name = "Job 3"});
  CHECK(job1.id == 2);

  // it "should associate items on scope": build links, then save the category.
  auto cat = categories.create({.name = "Category A"});
  auto items = categories.links(cat.id);
  cat.links.push_back(items.build({.id = job1.id, .name = job1.name}));
  cat.links.push_back(items.build({.id = job2.id, .name = job2.name}));
  cat = categories.save(cat);
  CHECK(items.at(0).id == job1.id);
  CHECK(items.at(0).name == job1.name);
  CHECK(items.at(1).id == job2.id);
  CHECK(items.at(1).name == job2.name);

  // it "should include related items on scope"
  CHECK(categories.find_by_id(cat.id).links.size() == 2);
  CHECK(items.at(0).id == job1.id);
  CHECK(items.at(0).name == job1.name);
  CHECK(items.at(1).id == job2.id);
  CHECK(items.at(1).name == job2.name);
  CHECK(jobs.find_by_id(items.at(1).id).name == "Job 2");  // the job a link names
  CHECK_THROWS_AS(items.find({.include = {"job"}}), relata::invalid_inclusion_filter);
  // the categories that link a job, found by a condition on their items
  CHECK(categories.count(relata::some(&Category::links, col(&JobLink::id) == job2.id)) == 1);

  // it "should remove embedded items by id"
  CHECK(categories.find_by_id(cat.id).links.size() == 2);
  items.delete_by_id(job1.id);
  CHECK(categories.find_by_id(cat.id).links.size() == 1);

  // it "should find items on scope"
  CHECK(items.count() == 1);
  CHECK(items.at(0).id == job2.id);
  CHECK(items.at(0).name == job2.name);
  CHECK(jobs.find_by_id(items.at(0).id).name == "Job 2");

  // it "should add related items to scope": the job must exist; its id becomes the link's.
  CHECK_THROWS_AS(items.add<&JobLink::job>(404), relata::entity_not_found);
  items.add<&JobLink::job>(job3.id, {.name = job3.name});

  // it "should find items on scope" (L5643)
  CHECK(categories.find_by_id(cat.id).links.size() == 2);
  CHECK(items.at(0).id == job2.id);
  CHECK(items.at(0).name == job2.name);
  CHECK(items.at(1).id == job3.id);
  CHECK(items.at(1).name == job3.name);

  // it "should remove embedded items by reference id"
  CHECK(items.remove<&JobLink::job>(job2.id) == 1);

  // it "should have removed embedded items by reference id"
  CHECK(items.count() == 1);
  CHECK(items.at(0).id == job3.id);
  CHECK(jobs.exists(job2.id));  // the job stays

  // it "should create items on scope": the job is created, its id and name go into the link.
  auto category = categories.create({.name = "Category B"});
  auto b_items = categories.links(category.id);
  auto link = b_items.build({.notes = "Some notes..."});
  const auto job = jobs.create({.name = "Job 1"});
  link.id = job.id;
  link.name = job.name;
  b_items.create(link);
  category = categories.find_by_id(category.id);
  REQUIRE(category.links.size() == 1);
  CHECK(category.links[0].id == job.id);
  CHECK(category.links[0].name == "Job 1");
  CHECK(category.links[0].notes == "Some notes...");
  CHECK(b_items.at(0).id == category.links[0].id);

  // it "should find items on scope" (L5699)
  {
    const nlohmann::json found = categories.find_by_id(category.id);
    CHECK(found["name"] == "Category B");
    CHECK(found["links"] ==
          nlohmann::json::array(
              {{{"id", job.id.value}, {"name", "Job 1"}, {"notes", "Some notes..."}}}));
    const auto all = b_items.find();
    REQUIRE(all.size() == 1);
    CHECK(jobs.find_by_id(all[0].id).name == "Job 1");  // the actual value
  }

  // it "should update items on scope - and save parent"
  b_items.update_by_id(b_items.at(0).id, {{&JobLink::notes, "Updated notes..."}});
  CHECK(b_items.find_by_id(job.id).notes == "Updated notes...");

  // it "should find items on scope - verify update"
  {
    const nlohmann::json found = categories.find_by_id(category.id);
    CHECK(found["name"] == "Category B");
    CHECK(found["links"] ==
          nlohmann::json::array(
              {{{"id", job.id.value}, {"name", "Job 1"}, {"notes", "Updated notes..."}}}));
  }

  // it "should remove items from scope - and save parent"
  // LB3 destroys the item through the item (cat.items.at(0).destroy()); relata by its id.
  b_items.delete_by_id(b_items.at(0).id);
  CHECK(b_items.count() == 0);

  // it "should find items on scope - verify destroy"
  category = categories.find_by_id(category.id);
  CHECK(category.name == "Category B");
  CHECK(category.links.empty());
  CHECK(jobs.exists(job.id));                    // the job itself stays
  CHECK(categories.links(cat.id).count() == 1);  // Category A untouched
}

// LB3 L5766 "embedsMany - polymorphic relations" [5, 1 pending]: all five its.
// LB3 differs: `polymorphic: 'linked'` gives each Link a linkedId and a linkedType and a
// belongsTo the Author or Reader, whose name it copies, and `scope: {include: 'linked'}` loads
// them. relata has no polymorphic embedsMany: the item carries its discriminator as ordinary
// properties, the caller copies the name and resolves the target, and conditions on the
// items select the owners that link a given model.
TEST_CASE("lb3 embedsMany - polymorphic relations: a discriminator on the items",
          "[embedded][lb3]") {
  auto db = relata_test::make_datasource();
  // it "can be declared"
  relata::migrate<Volume, Writer, Subscriber>(*db);
  relata::repository<Volume> books{*db};
  relata::repository<Writer> authors{*db};
  relata::repository<Subscriber> readers{*db};

  // it "should setup related items"
  const auto person1 = authors.create({.name = "Author 1"});
  readers.create({.name = "Reader 0"});  // offset ids: the two targets' ids differ
  const auto person2 = readers.create({.name = "Reader 1"});
  REQUIRE(person2.id != person1.id);

  // it "should create items on scope": two links built, then the book saved with them.
  // (The owner's write refuses items without ids, so they are created through the scope,
  // which numbers them 1 and 2 as LB3's save does.)
  const auto book = books.create({.name = "Book"});
  auto people = books.people(book.id);
  auto link1 = people.build({.notes = "Something ..."});
  link1.linked_id = person1.id;
  link1.linked_type = "Writer";
  link1.name = person1.name;
  auto link2 = people.build({});
  link2.linked_id = person2.id;
  link2.linked_type = "Subscriber";
  link2.name = person2.name;
  // LB3 differs: LB3's save numbers unnumbered items; relata refuses writing the owner with an
  // item whose generated id is unassigned, and create_all numbers them.
  auto unsaved = books.find_by_id(book.id);
  unsaved.people = {link1, link2};
  CHECK_THROWS_AS(books.save(unsaved), relata::invalid_data);
  CHECK(people.count() == 0);
  const auto created = people.create_all({link1, link2});
  REQUIRE(created.size() == 2);
  CHECK(created[0].id == 1);
  CHECK(created[0].linked_id == person1.id);
  CHECK(created[0].linked_type == "Writer");
  CHECK(created[0].name == "Author 1");
  CHECK(created[1].id == 2);
  CHECK(created[1].linked_id == person2.id);
  CHECK(created[1].linked_type == "Subscriber");
  CHECK(created[1].name == "Reader 1");

  // it "should include related items on scope"
  const auto found = books.find_one();
  REQUIRE(found.has_value());
  REQUIRE(found->people.size() == 2);
  CHECK(found->people[0].id == 1);
  CHECK(found->people[0].linked_id == person1.id);
  CHECK(found->people[0].linked_type == "Writer");
  CHECK(found->people[0].notes == "Something ...");
  CHECK(found->people[1].id == 2);
  CHECK(found->people[1].linked_type == "Subscriber");
  // the targets, resolved by the discriminator
  CHECK(authors.find_by_id(people.at(0).linked_id).name == "Author 1");
  CHECK(readers.find_by_id(people.at(1).linked_id).name == "Reader 1");
  CHECK(books.count(relata::some(&Volume::people,
                                 col(&Mention::linked_type) == "Writer" &&
                                     col(&Mention::linked_id) == person1.id)) == 1);
  CHECK(books.count(relata::some(&Volume::people,
                                 col(&Mention::linked_type) == "Writer" &&
                                     col(&Mention::linked_id) == person2.id)) == 0);

  // it "should include nested related items on scope" (pending in LB3 without include support)
  // LB3 differs: Book.find({include: 'people'}) nests each link's target. The items come with
  // the book without an include; an include on the items is refused.
  const nlohmann::json obj = books.find_by_id(book.id);
  REQUIRE(obj["people"].size() == 2);
  CHECK(obj["people"][0]["name"] == "Author 1");
  CHECK(obj["people"][0]["notes"] == "Something ...");
  CHECK(obj["people"][1]["name"] == "Reader 1");
  CHECK_THROWS_AS(people.find({.include = {"linked"}}), relata::invalid_inclusion_filter);
}
