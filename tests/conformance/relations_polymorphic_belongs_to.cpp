// Polymorphic belongsTo (LoopBack 4's `@belongsTo(..., {polymorphic: true})`, LoopBack 3's
// `belongsTo('imageable', {polymorphic: true})`), on every connector, after LoopBack 4's
// belongs-to.polymorphic and belongs-to.inclusion-resolver.polymorphic acceptance scenarios:
// a Contact's stakeholder is a Customer or a Supplier, named by stakeholder_type.
//
// Where relata differs: LoopBack's fixture defaults stakeholderType to "Customer"; here the
// discriminator is set by the writer (a model property has no default). A null key or
// discriminator is no stakeholder (LoopBack 4 reports an unknown type "undefined"), and an
// unknown discriminator is INVALID_DATA naming the value and the models, for the accessor and
// the include alike.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace polymorphic_test {

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Order>, orders));
};
struct Supplier {
  RELATA_MODEL(Supplier,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<std::string>, city));
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::string, item));
};
struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::string, label),
               (std::optional<std::int64_t>, account_id),
               (std::optional<std::int64_t>, stakeholder_id),
               (std::optional<std::string>, stakeholder_type),
               (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
};
// Includes over a polymorphic node: an Account's contacts, each with its stakeholder.
struct Account {
  RELATA_MODEL(Account,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Contact>, contacts));
};

// Key and discriminator named by options, camelCase.
struct Note {
  RELATA_MODEL(Note,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, aboutRef),
               (std::optional<std::string>, aboutKind),
               (relata::belongs_to<relata::one_of<Customer, Supplier>,
                                   relata::key_from<"aboutRef">,
                                   relata::discriminator<"aboutKind">>,
                about));
};

// Contact's table as a database relata did not migrate may hold it: without the check on
// its discriminator.
struct LooseContact {
  RELATA_MODEL(LooseContact,
               (relata::id<std::int64_t>, id),
               (std::string, label),
               (std::optional<std::int64_t>, account_id),
               (std::optional<std::int64_t>, stakeholder_id),
               (std::optional<std::string>, stakeholder_type));
  using relata_options = relata::options<relata::table<"Contact">>;
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Supplier> suppliers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<Contact> contacts{*db};
  relata::repository<Account> accounts{*db};
  world() { relata::migrate<Customer, Supplier, Order, Contact, Account>(*db); }

  Contact contact_of(const std::string& label, std::int64_t id, const std::string& type) {
    return contacts.create({.label = label, .stakeholder_id = id, .stakeholder_type = type});
  }
};

/// "Customer Thor", "Supplier Odin", "-" (loaded, none), "?" (not loaded).
std::string describe(const Contact& c) {
  if (!c.stakeholder.loaded()) return "?";
  if (!c.stakeholder.has_value()) return "-";
  return c.stakeholder.visit([](const auto& s) {
    using T = std::decay_t<decltype(s)>;
    return std::string(std::is_same_v<T, Customer> ? "Customer " : "Supplier ") + s.name;
  });
}

std::vector<std::string> describe_all(const relata::entities<Contact>& list) {
  std::vector<std::string> out;
  for (const auto& c : list) out.push_back(c.label + ": " + describe(c));
  return out;
}

using strings = std::vector<std::string>;

}  // namespace polymorphic_test

using namespace polymorphic_test;

TEST_CASE("polymorphic belongs_to: key and discriminator are inferred, or named", "[polymorphic]") {
  const auto& contact = relata::definition_of<Contact>();
  const auto& r = contact.relations.at(0);
  CHECK(r.kind->name() == "belongsTo");
  CHECK(r.polymorphic());
  CHECK(contact.properties[r.key_from].name == "stakeholder_id");
  CHECK(contact.properties[r.discriminator].name == "stakeholder_type");
  CHECK(r.target_names() == "Customer, Supplier");
  const auto& note = relata::definition_of<Note>();
  const auto& about = note.relations.at(0);
  CHECK(note.properties[about.key_from].name == "aboutRef");
  CHECK(note.properties[about.discriminator].name == "aboutKind");
}

TEST_CASE("polymorphic belongs_to: the accessor returns the target as its model", "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto odin = w.suppliers.create({.name = "Odin", .city = "Asgard"});
  REQUIRE(thor.id == odin.id);  // the same key in two tables: the discriminator decides
  const auto to_thor = w.contact_of("a", thor.id, "Customer");
  const auto to_odin = w.contact_of("b", odin.id, "Supplier");

  // LoopBack 4: "can find customer from contact", "can find supplier from contact"
  std::optional<std::variant<Customer, Supplier>> who = w.contacts.stakeholder(to_thor.id);
  REQUIRE(who.has_value());
  REQUIRE(std::holds_alternative<Customer>(*who));
  CHECK(std::get<Customer>(*who).name == "Thor");
  who = w.contacts.stakeholder(to_odin.id);
  REQUIRE(who.has_value());
  REQUIRE(std::holds_alternative<Supplier>(*who));
  CHECK(std::get<Supplier>(*who).city == "Asgard");
  // the generic form is the same accessor
  CHECK(std::holds_alternative<Supplier>(*w.contacts.related<&Contact::stakeholder>(to_odin.id)));
}

TEST_CASE(
    "polymorphic belongs_to: a null key or discriminator is no target; a missing source "
    "or target is ENTITY_NOT_FOUND",
    "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto no_key = w.contacts.create({.label = "k", .stakeholder_type = "Customer"});
  const auto no_type = w.contacts.create({.label = "t", .stakeholder_id = thor.id});
  CHECK_FALSE(w.contacts.stakeholder(no_key.id).has_value());
  CHECK_FALSE(w.contacts.stakeholder(no_type.id).has_value());
  CHECK_THROWS_AS(w.contacts.stakeholder(999), relata::entity_not_found);
  const auto dangling = w.contact_of("d", thor.id + 100, "Supplier");
  try {
    (void)w.contacts.stakeholder(dangling.id);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK_THAT(e.what(), Catch::Contains("Supplier") && Catch::Contains("stakeholder"));
  }
}

TEST_CASE(
    "polymorphic belongs_to: an unknown discriminator is INVALID_DATA naming the value and "
    "the models",
    "[polymorphic]") {
  struct loose_world {
    std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
    relata::repository<Customer> customers{*db};
    relata::repository<LooseContact> loose{*db};
    relata::repository<Contact> contacts{*db};
    loose_world() { relata::migrate<Customer, Supplier, LooseContact>(*db); }
  } w;
  const auto thor = w.customers.create({.name = "Thor"});
  w.loose.create({.label = "a", .stakeholder_id = thor.id, .stakeholder_type = "Customer"});
  const auto bad =
      w.loose.create({.label = "b", .stakeholder_id = thor.id, .stakeholder_type = "Vendor"});
  auto check_message = [](const relata::invalid_data& e) {
    CHECK_THAT(e.what(),
               Catch::Contains("Vendor") && Catch::Contains("stakeholder_type") &&
                   Catch::Contains("Customer, Supplier") && Catch::Contains("Contact"));
  };
  try {
    (void)w.contacts.stakeholder(bad.id);
    FAIL("expected invalid_data");
  } catch (const relata::invalid_data& e) {
    check_message(e);
  }
  try {
    (void)w.contacts.find({.include = {"stakeholder"}});
    FAIL("expected invalid_data");
  } catch (const relata::invalid_data& e) {
    check_message(e);
  }
  // without the include, the contacts read as they are
  CHECK(w.contacts.count() == 2);
}

TEST_CASE("polymorphic belongs_to: a migrated table refuses a discriminator naming no target",
          "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  CHECK_THROWS_AS(w.contact_of("b", thor.id, "Vendor"), relata::constraint_violation);
  const auto c = w.contact_of("a", thor.id, "Customer");
  CHECK_THROWS_AS(w.contacts.update_all({{&Contact::stakeholder_type, std::string("Vendor")}}),
                  relata::constraint_violation);
  CHECK(w.contacts.find_by_id(c.id).stakeholder_type == std::optional<std::string>("Customer"));
  CHECK(w.contacts.count() == 1);
  // null is allowed: no stakeholder
  w.contacts.update_all({{&Contact::stakeholder_type, std::nullopt}});
  CHECK_FALSE(w.contacts.find_by_id(c.id).stakeholder_type.has_value());
}

TEST_CASE("polymorphic belongs_to: include reads one query per target model referenced",
          "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto odin = w.suppliers.create({.name = "Odin"});
  const auto bella = w.suppliers.create({.name = "Bella"});
  w.contact_of("1", thor.id, "Customer");
  w.contact_of("2", odin.id, "Supplier");
  w.contact_of("3", bella.id, "Supplier");
  w.contacts.create({.label = "4"});                              // no stakeholder
  w.contacts.create({.label = "5", .stakeholder_id = bella.id});  // no type
  w.contact_of("6", thor.id + 100, "Customer");                   // dangling
  w.contact_of("7", thor.id, "Customer");                         // shares Thor

  relata_test::query_log log{*w.db};
  const auto all =
      w.contacts.find({.order = {relata::asc(&Contact::label)}, .include = {"stakeholder"}});
  CHECK(log.selects() == 3);  // contacts, customers, suppliers
  CHECK(describe_all(all) == strings{"1: Customer Thor",
                                     "2: Supplier Odin",
                                     "3: Supplier Bella",
                                     "4: -",
                                     "5: -",
                                     "6: -",
                                     "7: Customer Thor"});
  REQUIRE(all[1].stakeholder.holds<Supplier>());
  CHECK(all[1].stakeholder.get<Supplier>()->name == "Odin");
  CHECK(all[1].stakeholder.get<Customer>() == nullptr);
  CHECK(all[1].stakeholder.index() == 1);
  CHECK(all[3].stakeholder.index() == decltype(all[3].stakeholder)::none);
  CHECK_THROWS_AS(all[3].stakeholder.value(), relata::not_loaded);

  // only suppliers referenced: no query for customers
  log.clear();
  const auto suppliers_only = w.contacts.find(
      {.where = col(&Contact::stakeholder_type) == "Supplier", .include = {"stakeholder"}});
  CHECK(log.selects() == 2);
  CHECK(suppliers_only.size() == 2);
  // nothing referenced: no query beyond the contacts
  log.clear();
  (void)w.contacts.find({.where = col(&Contact::label) == "4", .include = {"stakeholder"}});
  CHECK(log.selects() == 1);

  // find_by_id with the include (LoopBack: "returns a specified instance including its related
  // model instances")
  const auto two = w.contacts.find({.where = col(&Contact::label) == "2"}).at(0);
  const auto found = w.contacts.find_by_id(two.id, {.include = {"stakeholder"}});
  CHECK(describe(found) == "Supplier Odin");
  // unknown relation names are reported as such (LoopBack: "throws an error if it tries to
  // query nonexistent relation names")
  CHECK_THROWS_AS(w.contacts.find({.include = {"shipment"}}), relata::invalid_inclusion_filter);
}

TEST_CASE("polymorphic belongs_to: includes nest under and over the polymorphic node",
          "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto odin = w.suppliers.create({.name = "Odin", .city = "Asgard"});
  w.customers.orders(thor.id).create({.item = "hammer"});
  w.customers.orders(thor.id).create({.item = "cape"});
  w.contact_of("a", thor.id, "Customer");
  w.contact_of("b", odin.id, "Supplier");

  // under: the customers' orders, through a scope for the Customer targets only
  relata_test::query_log log{*w.db};
  const auto all = w.contacts.find(
      {.order = {relata::asc(&Contact::label)},
       .include = {relata::include(
           &Contact::stakeholder,
           relata::on<Customer>({.include = {relata::include(
                                     &Customer::orders, {.order = {relata::desc(&Order::item)}})}}),
           relata::on<Supplier>({.fields = relata::only(&Supplier::name)}))}});
  CHECK(log.selects() == 4);  // contacts, customers, their orders, suppliers
  REQUIRE(all.size() == 2);
  const Customer* c = all[0].stakeholder.get<Customer>();
  REQUIRE(c != nullptr);
  REQUIRE(c->orders.loaded());
  REQUIRE(c->orders.size() == 2);
  CHECK(c->orders[0].item == "hammer");
  CHECK(c->orders[1].item == "cape");
  const Supplier* s = all[1].stakeholder.get<Supplier>();
  REQUIRE(s != nullptr);
  CHECK(s->name == "Odin");
  CHECK_FALSE(s->city.has_value());  // fields: name only

  // the same from JSON: "scope" applies to every target model, "targetScopes" to one
  const auto from_json = w.contacts.find(relata::filter<Contact>::from_json(R"({
      "order": ["label ASC"],
      "include": [{"relation": "stakeholder",
                   "scope": {"fields": ["id", "name"]},
                   "targetScopes": {"Customer": {"include": [
                       {"relation": "orders", "scope": {"order": ["item DESC"]}}]}}}]})"));
  REQUIRE(from_json.size() == 2);
  REQUIRE(from_json[0].stakeholder.get<Customer>() != nullptr);
  CHECK(from_json[0].stakeholder.get<Customer>()->orders.size() == 2);
  REQUIRE(from_json[1].stakeholder.get<Supplier>() != nullptr);
  CHECK_FALSE(from_json[1].stakeholder.get<Supplier>()->city.has_value());

  // over: an account's contacts, each with its stakeholder
  const auto acme = w.accounts.create({.name = "Acme"});
  w.contacts.update_all({{&Contact::account_id, acme.id}});
  log.clear();
  const auto accounts =
      w.accounts.find({.include = {relata::include(&Account::contacts,
                                                   {.order = {relata::asc(&Contact::label)},
                                                    .include = {"stakeholder"}})}});
  CHECK(log.selects() == 4);  // accounts, contacts, customers, suppliers
  REQUIRE(accounts.size() == 1);
  REQUIRE(accounts[0].contacts.size() == 2);
  CHECK(describe(accounts[0].contacts[0]) == "Customer Thor");
  CHECK(describe(accounts[0].contacts[1]) == "Supplier Odin");
}

TEST_CASE(
    "polymorphic belongs_to: a scope for several models at once is refused unless it "
    "holds for each",
    "[polymorphic]") {
  world w;
  // a where on a property only customers have
  CHECK_THROWS_AS(relata::filter<Contact>::from_json(
                      R"({"include": [{"relation": "stakeholder",
                                       "scope": {"where": {"city": "Asgard"}}}]})"),
                  relata::invalid_filter);
  // targetScopes names models of the relation only
  try {
    (void)relata::filter<Contact>::from_json(
        R"({"include": [{"relation": "stakeholder", "targetScopes": {"Vendor": {}}}]})");
    FAIL("expected invalid_filter");
  } catch (const relata::invalid_filter& e) {
    CHECK_THAT(e.what(), Catch::Contains("Vendor") && Catch::Contains("Customer, Supplier"));
  }
  // targetScopes is for polymorphic relations
  CHECK_THROWS_AS(relata::filter<Customer>::from_json(
                      R"({"include": [{"relation": "orders", "targetScopes": {"Order": {}}}]})"),
                  relata::invalid_filter);
}

TEST_CASE("polymorphic belongs_to: some, none and every test the row's own target",
          "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto odin = w.suppliers.create({.name = "Odin"});  // same id as Thor
  REQUIRE(thor.id == odin.id);
  w.contact_of("c", thor.id, "Customer");
  w.contact_of("s", odin.id, "Supplier");
  w.contacts.create({.label = "none"});
  w.contact_of("dangling", thor.id + 100, "Customer");

  auto labels = [&](const relata::where<Contact>& where) {
    strings out;
    for (const auto& c :
         w.contacts.find({.where = where, .order = {relata::asc(&Contact::label)}})) {
      out.push_back(c.label);
    }
    return out;
  };
  using relata::on;
  // any target, whatever its model
  CHECK(labels(relata::some(&Contact::stakeholder)) == strings{"c", "s"});
  CHECK(labels(relata::none(&Contact::stakeholder)) == strings{"dangling", "none"});
  // a target of one model: Odin's id is Thor's, but a Supplier named Odin is no Customer
  CHECK(labels(relata::some(&Contact::stakeholder, on<Customer>(col(&Customer::name) == "Thor"))) ==
        strings{"c"});
  CHECK(labels(relata::some(&Contact::stakeholder, on<Customer>(col(&Customer::name) == "Odin")))
            .empty());
  CHECK(labels(relata::some(&Contact::stakeholder, on<Supplier>())) == strings{"s"});
  CHECK(labels(relata::none(&Contact::stakeholder, on<Customer>(col(&Customer::name) == "Thor"))) ==
        strings{"dangling", "none", "s"});
  // every target of model Customer is named Loki: true for rows whose target is no Customer
  CHECK(
      labels(relata::every(&Contact::stakeholder, on<Customer>(col(&Customer::name) == "Loki"))) ==
      strings{"dangling", "none", "s"});
  CHECK(
      labels(relata::every(&Contact::stakeholder, on<Customer>(col(&Customer::name) == "Thor"))) ==
      strings{"c", "dangling", "none", "s"});

  // the same from JSON: a where per model, by name
  auto json_labels = [&](const char* where) {
    return labels(relata::where<Contact>::from_json(where));
  };
  CHECK(json_labels(R"({"stakeholder": {"some": {}}})") == strings{"c", "s"});
  CHECK(json_labels(R"({"stakeholder": {"some": {"Customer": {"name": "Thor"}}}})") ==
        strings{"c"});
  CHECK(json_labels(R"({"stakeholder": {"some": {"Customer": {"name": "Thor"},
                                                  "Supplier": {"name": "Odin"}}}})") ==
        strings{"c", "s"});
  CHECK(json_labels(R"({"stakeholder": {"none": {"Supplier": {}}}})") ==
        strings{"c", "dangling", "none"});
  try {
    (void)relata::where<Contact>::from_json(R"({"stakeholder": {"some": {"name": "Thor"}}})");
    FAIL("expected invalid_filter");
  } catch (const relata::invalid_filter& e) {
    CHECK_THAT(e.what(), Catch::Contains("\"name\"") && Catch::Contains("Customer, Supplier"));
  }
  // a count agrees with find
  CHECK(w.contacts.count(relata::some(&Contact::stakeholder, on<Supplier>())) == 1);
}

TEST_CASE("polymorphic belongs_to: JSON carries the target as its model, both ways",
          "[polymorphic]") {
  world w;
  const auto odin = w.suppliers.create({.name = "Odin", .city = "Asgard"});
  w.contact_of("s", odin.id, "Supplier");
  const auto all = w.contacts.find({.include = {"stakeholder"}});
  const nlohmann::json json = all;
  REQUIRE(json.size() == 1);
  CHECK(json[0]["stakeholder"]["city"] == "Asgard");
  const auto back = json.get<relata::entities<Contact>>();
  REQUIRE(back.size() == 1);
  REQUIRE(back[0].stakeholder.holds<Supplier>());
  CHECK(back[0].stakeholder.get<Supplier>()->city == "Asgard");
  // a document whose discriminator names no target model is refused, naming it
  auto bad = json[0];
  bad["stakeholder_type"] = "Vendor";
  try {
    (void)bad.get<Contact>();
    FAIL("expected invalid_data");
  } catch (const relata::invalid_data& e) {
    CHECK_THAT(e.what(), Catch::Contains("Vendor") && Catch::Contains("Customer, Supplier"));
  }
}

TEST_CASE(
    "polymorphic belongs_to: migrate indexes (type, key) and checks the type; no foreign "
    "key is declared",
    "[polymorphic]") {
  const relata::model_definition* models[] = {&relata::definition_of<Customer>(),
                                              &relata::definition_of<Supplier>(),
                                              &relata::definition_of<Contact>()};
  const auto constraints = relata::detail::derive_constraints(models);
  const auto& contact = relata::definition_of<Contact>();
  CHECK(constraints.foreign_keys_of(contact).empty());
  bool indexed = false;
  for (const auto& i : constraints.indexes) {
    indexed = indexed || (i.model == &contact && i.properties.size() == 2 &&
                          contact.properties[i.properties[0]].name == "stakeholder_type" &&
                          contact.properties[i.properties[1]].name == "stakeholder_id");
  }
  CHECK(indexed);
  REQUIRE(constraints.checks.size() == 1);
  CHECK(constraints.checks[0].model == &contact);
  CHECK(contact.properties[constraints.checks[0].property].name == "stakeholder_type");
  CHECK(constraints.checks[0].values == std::vector<std::string>{"Customer", "Supplier"});
  // deleting a customer a contact refers to is not refused (no foreign key can say so): the
  // contact's stakeholder is then missing, and reads as such
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto c = w.contact_of("c", thor.id, "Customer");
  w.customers.delete_by_id(thor.id);
  CHECK_THROWS_AS(w.contacts.stakeholder(c.id), relata::entity_not_found);
  CHECK(describe(w.contacts.find({.include = {"stakeholder"}}).at(0)) == "-");
}

// --- what issue 18 pins, on a polymorphic relation too ----------------------------------------

TEST_CASE(
    "polymorphic belongs_to: a model's scope's limit and skip apply per parent, as for a "
    "belongsTo",
    "[polymorphic][limit][regression]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto odin = w.suppliers.create({.name = "Odin", .city = "Asgard"});
  w.contact_of("a", thor.id, "Customer");
  w.contact_of("b", odin.id, "Supplier");
  w.contact_of("c", thor.id, "Customer");
  constexpr std::uint64_t top = 9223372036854775807ULL;  // 2^63 - 1
  auto described = [&](relata::filter<Customer> customer, relata::filter<Supplier> supplier) {
    return describe_all(
        w.contacts.find({.order = {relata::asc(&Contact::label)},
                         .include = {relata::include(&Contact::stakeholder,
                                                     relata::on<Customer>(std::move(customer)),
                                                     relata::on<Supplier>(std::move(supplier)))}}));
  };
  // skip 1 of a single target leaves none; limit 0 too; each parent on its own
  CHECK(described({.skip = 1}, {}) == strings{"a: -", "b: Supplier Odin", "c: -"});
  CHECK(described({}, {.limit = 0}) == strings{"a: Customer Thor", "b: -", "c: Customer Thor"});
  CHECK(described({.limit = 1}, {.limit = 1}) ==
        strings{"a: Customer Thor", "b: Supplier Odin", "c: Customer Thor"});
  // the extremes of the range
  CHECK(described({.limit = top, .skip = 0}, {.limit = top}) ==
        strings{"a: Customer Thor", "b: Supplier Odin", "c: Customer Thor"});
  CHECK(described({.limit = top, .skip = top}, {.skip = top}) == strings{"a: -", "b: -", "c: -"});
  CHECK_THROWS_WITH(described({.limit = top + 1}, {}),
                    Catch::Contains("include stakeholder.Customer: limit"));
  // the same from JSON, per model
  const auto json = w.contacts.find(relata::filter<Contact>::from_json(R"({
      "order": ["label ASC"],
      "include": [{"relation": "stakeholder",
                   "targetScopes": {"Customer": {"skip": 1}, "Supplier": {"limit": 1}}}]})"));
  CHECK(describe_all(json) == strings{"a: -", "b: Supplier Odin", "c: -"});
}

TEST_CASE(
    "polymorphic belongs_to: reading it unloaded throws NOT_LOADED naming the model and the "
    "relation; its JSON has only the properties read",
    "[polymorphic][json][regression]") {
  world w;
  const auto odin = w.suppliers.create({.name = "Odin", .city = "Asgard"});
  w.contact_of("b", odin.id, "Supplier");
  const auto plain = w.contacts.find();
  REQUIRE(plain.size() == 1);
  const auto& member = plain[0].stakeholder;
  CHECK_FALSE(member.loaded());
  CHECK_THROWS_WITH(member.has_value(),
                    Catch::Contains("NOT_LOADED: relation stakeholder of model Contact was not "
                                    "loaded"));
  CHECK_THROWS_AS(member.index(), relata::not_loaded);
  CHECK_THROWS_AS(member.holds<Supplier>(), relata::not_loaded);
  CHECK_THROWS_AS(member.get<Supplier>(), relata::not_loaded);
  CHECK_THROWS_AS(member.value(), relata::not_loaded);
  CHECK_THROWS_AS(member.visit([](const auto& s) { return s.id.value; }), relata::not_loaded);

  const auto slim =
      w.contacts.find({.fields = relata::only(&Contact::label),
                       .include = {relata::include(
                           &Contact::stakeholder,
                           relata::on<Customer>(relata::filter<Customer>{}),
                           relata::on<Supplier>({.fields = relata::only(&Supplier::name)}))}});
  REQUIRE(slim.size() == 1);
  CHECK(nlohmann::json(slim[0]) ==
        nlohmann::json::parse(R"({"label": "b", "stakeholder": {"name": "Odin"}})"));
}
