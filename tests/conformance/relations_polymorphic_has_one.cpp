// Polymorphic hasOne (LoopBack 4's `@hasOne(..., {polymorphic: {discriminator}})`), on every
// connector, after LoopBack 4's has-one.relation.polymorphic and
// has-one.inclusion-resolver.polymorphic acceptance scenarios: a Customer's payment method is a
// CreditCard or Cash, in the table the customer's payment_method_type names.
//
// Where relata differs: LoopBack passes the model on each call ({polymorphicType: ...}) and
// leaves the discriminator to the writer; relata's create names the model on the source, in
// the same transaction, and its get reads it there. LoopBack lets a second create through (its
// test is skipped: "we do not enforce referential integrity"); relata refuses it, whatever
// the model, and migrate declares a foreign key from each target model with a unique index.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace polymorphic_has_one_test {

struct CardInfo {
  RELATA_MODEL(CardInfo,
               (relata::id<std::int64_t>, id),
               (std::int64_t, credit_card_id),
               (std::string, card_holder));
};
struct CreditCard {
  RELATA_MODEL(CreditCard,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::optional<std::int64_t>, card_number),
               (relata::has_one<CardInfo>, card_info));
};
struct Cash {
  RELATA_MODEL(Cash,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::optional<std::string>, currency));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<std::string>, payment_method_type),
               (relata::has_one<relata::one_of<CreditCard, Cash>>, payment_method));
};

// Deleting a shop deletes its logo, whatever its model.
struct Svg {
  RELATA_MODEL(Svg, (relata::id<std::int64_t>, id), (std::int64_t, shop_id));
};
struct Png {
  RELATA_MODEL(Png, (relata::id<std::int64_t>, id), (std::int64_t, shop_id));
};
struct Shop {
  RELATA_MODEL(
      Shop,
      (relata::id<std::int64_t>, id),
      (std::optional<std::string>, logo_type),
      (relata::has_one<relata::one_of<Svg, Png>, relata::on_delete<relata::delete_rule::cascade>>,
       logo));
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<CreditCard> cards{*db};
  relata::repository<Cash> cash{*db};
  relata::repository<CardInfo> card_infos{*db};
  world() { relata::migrate<Customer, CreditCard, Cash, CardInfo>(*db); }

  std::optional<std::string> type_of(std::int64_t customer) const {
    return customers.find_by_id(customer).payment_method_type;
  }
};

}  // namespace polymorphic_has_one_test

using namespace polymorphic_has_one_test;

TEST_CASE("polymorphic has_one: keys and discriminator are inferred", "[polymorphic]") {
  const auto& customer = relata::definition_of<Customer>();
  const auto& r = customer.relations.at(0);
  CHECK(r.kind->name() == "hasOne");
  CHECK(r.target_names() == "CreditCard, Cash");
  CHECK(customer.properties[r.key_from].name == "id");
  CHECK(customer.properties[r.discriminator].name == "payment_method_type");
  CHECK(relata::definition_of<CreditCard>().properties[r.target_keys[0]].name == "customer_id");
  CHECK(relata::definition_of<Cash>().properties[r.target_keys[1]].name == "customer_id");
}

TEST_CASE("polymorphic has_one: create stamps the key and names the model on the source",
          "[polymorphic]") {
  world w;
  const auto ada = w.customers.create({.name = "Ada"});
  // LoopBack 4: "can create an instance of the related model"
  const CreditCard card =
      w.customers.payment_method(ada.id).create(CreditCard{.card_number = 4111});
  CHECK(card.customer_id == ada.id);
  CHECK(w.cards.find_by_id(card.id).card_number == 4111);
  CHECK(w.type_of(ada.id) == "CreditCard");

  // one target per source, whatever its model: refused, and nothing changed
  try {
    (void)w.customers.payment_method(ada.id).create(Cash{.currency = "EUR"});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(e.what(), Catch::Contains("payment_method") && Catch::Contains("CreditCard"));
  }
  CHECK(w.cash.count() == 0);
  CHECK(w.type_of(ada.id) == "CreditCard");
  // a key given for another customer is refused
  const auto bob = w.customers.create({.name = "Bob"});
  CHECK_THROWS_AS(w.customers.payment_method(bob.id).create(Cash{.customer_id = ada.id}),
                  relata::constraint_violation);
  CHECK(w.cash.count() == 0);
  // no such customer: not found, nothing written
  CHECK_THROWS_AS(w.customers.payment_method(999).create(Cash{}), relata::entity_not_found);
  CHECK(w.cash.count() == 0);
}

TEST_CASE("polymorphic has_one: get returns the target as its model", "[polymorphic]") {
  world w;
  const auto ada = w.customers.create({.name = "Ada"});
  const auto bob = w.customers.create({.name = "Bob"});
  const auto card = w.customers.payment_method(ada.id).create(CreditCard{.card_number = 1});
  w.customers.payment_method(bob.id).create(Cash{.currency = "EUR"});

  // LoopBack 4: "can find instance of the related model"
  const std::variant<CreditCard, Cash> paid = w.customers.payment_method(ada.id).get();
  REQUIRE(std::holds_alternative<CreditCard>(paid));
  CHECK(std::get<CreditCard>(paid).id == card.id);
  const auto bobs = w.customers.payment_method(bob.id).get();
  REQUIRE(std::holds_alternative<Cash>(bobs));
  CHECK(std::get<Cash>(bobs).currency == "EUR");

  // LoopBack 4: "reports EntityNotFound error when related model is deleted"
  w.cards.delete_by_id(card.id);
  CHECK_THROWS_AS(w.customers.payment_method(ada.id).get(), relata::entity_not_found);
  // a source naming no model, and no source at all
  const auto cy = w.customers.create({.name = "Cy"});
  try {
    (void)w.customers.payment_method(cy.id).get();
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK_THAT(e.what(), Catch::Contains("payment_method_type"));
  }
  CHECK_THROWS_AS(w.customers.payment_method(999).get(), relata::entity_not_found);
  // a discriminator naming no model of the relation: migrate's check refuses it (reading one
  // from a table relata did not migrate is INVALID_DATA: the polymorphic belongs_to tests)
  CHECK_THROWS_AS(w.customers.update_by_id(cy.id, {{&Customer::payment_method_type, "Cheque"}}),
                  relata::constraint_violation);
  CHECK_FALSE(w.type_of(cy.id).has_value());
  CHECK_THROWS_AS(w.customers.create({.name = "Di", .payment_method_type = "Cheque"}),
                  relata::constraint_violation);
  CHECK(w.customers.count(col(&Customer::name) == "Di") == 0);
}

TEST_CASE("polymorphic has_one: patch changes the target of its model only", "[polymorphic]") {
  world w;
  const auto bob = w.customers.create({.name = "Bob"});
  const auto alice = w.customers.create({.name = "Alice"});
  w.customers.payment_method(bob.id).create(CreditCard{.card_number = 12345});
  const auto hers = w.customers.payment_method(alice.id).create(CreditCard{.card_number = 67890});

  // LoopBack 4: "can PATCH hasOne instances", "patches the related instance only"
  CHECK(w.customers.payment_method(alice.id).patch<CreditCard>(
            {{&CreditCard::card_number, 7894512}}) == 1);
  CHECK(w.cards.find_by_id(hers.id).card_number == 7894512);
  CHECK(std::get<CreditCard>(w.customers.payment_method(bob.id).get()).card_number == 12345);
  // a patch of another model than the target's changes nothing
  CHECK(w.customers.payment_method(alice.id).patch<Cash>({{&Cash::currency, "USD"}}) == 0);
  // with a condition on the target
  CHECK(w.customers.payment_method(alice.id).patch<CreditCard>(
            {{&CreditCard::card_number, 1}}, col(&CreditCard::card_number) == 0) == 0);
  // LoopBack 4: "throws an error when PATCH tries to change the foreignKey"
  try {
    (void)w.customers.payment_method(alice.id).patch<CreditCard>(
        {{&CreditCard::customer_id, bob.id}});
    FAIL("expected constraint_violation");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(e.what(), Catch::Contains("customer_id cannot be changed"));
  }
}

TEST_CASE("polymorphic has_one: delete_all deletes the target and clears the discriminator",
          "[polymorphic]") {
  world w;
  const auto bob = w.customers.create({.name = "Bob"});
  const auto alice = w.customers.create({.name = "Alice"});
  const auto brown = w.customers.create({.name = "Brown"});
  w.customers.payment_method(bob.id).create(CreditCard{});
  w.customers.payment_method(alice.id).create(Cash{});
  w.customers.payment_method(brown.id).create(Cash{});

  // LoopBack 4: "deletes the related model instance with wrong type"
  CHECK(w.customers.payment_method(alice.id).delete_all<CreditCard>() == 0);
  CHECK(w.cash.count() == 2);
  CHECK(w.type_of(alice.id) == "Cash");
  // LoopBack 4: "deletes the related model instance only"
  CHECK(w.customers.payment_method(alice.id).delete_all<Cash>() == 1);
  CHECK(w.cash.count() == 1);
  CHECK_FALSE(w.type_of(alice.id).has_value());
  // whatever its model
  CHECK(w.customers.payment_method(bob.id).delete_all() == 1);
  CHECK(w.cards.count() == 0);
  CHECK_FALSE(w.type_of(bob.id).has_value());
  CHECK(w.type_of(brown.id) == "Cash");
  // and the source can have a target of another model now
  w.customers.payment_method(bob.id).create(Cash{});
  CHECK(w.type_of(bob.id) == "Cash");
}

TEST_CASE("polymorphic has_one: include reads one query per model named, scopes per model",
          "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto odin = w.customers.create({.name = "Odin"});
  const auto bella = w.customers.create({.name = "Bella"});
  w.customers.create({.name = "Zed"});  // no payment method
  w.customers.payment_method(thor.id).create(Cash{.currency = "NOK"});
  w.customers.payment_method(odin.id).create(CreditCard{.card_number = 1});
  const auto bellas = w.customers.payment_method(bella.id).create(CreditCard{.card_number = 2});
  w.card_infos.create({.credit_card_id = bellas.id, .card_holder = "bella!"});

  relata_test::query_log log{*w.db};
  const auto all =
      w.customers.find({.order = {relata::asc(&Customer::name)}, .include = {"payment_method"}});
  CHECK(log.selects() == 3);  // customers, credit cards, cash
  REQUIRE(all.size() == 4);
  CHECK(all[0].payment_method.get<CreditCard>()->card_number == 2);  // Bella
  CHECK(all[1].payment_method.get<CreditCard>()->card_number == 1);  // Odin
  CHECK(all[2].payment_method.get<Cash>()->currency == "NOK");       // Thor
  CHECK(all[3].payment_method.loaded());
  CHECK_FALSE(all[3].payment_method.has_value());  // Zed

  // LoopBack 4: "returns a specified instance including its related model instance", with
  // the nested include for credit cards only (targetType)
  const auto found = w.customers.find_by_id(
      bella.id, relata::filter<Customer>::from_json(R"({"include": [{"relation": "payment_method",
          "scope": {"include": [{"relation": "card_info", "targetType": "CreditCard"}]}}]})"));
  const CreditCard* card = found.payment_method.get<CreditCard>();
  REQUIRE(card != nullptr);
  REQUIRE(card->card_info.has_value());
  CHECK(card->card_info->card_holder == "bella!");
  // the same, typed
  const auto typed = w.customers.find_by_id(
      bella.id,
      {.include = {relata::include(&Customer::payment_method,
                                   relata::on<CreditCard>({.include = {"card_info"}}))}});
  REQUIRE(typed.payment_method.get<CreditCard>() != nullptr);
  CHECK(typed.payment_method.get<CreditCard>()->card_info->card_holder == "bella!");
  // targetType names a model of the relation, inside a polymorphic relation's scope only
  CHECK_THROWS_AS(relata::filter<Customer>::from_json(
                      R"({"include": [{"relation": "payment_method", "scope": {"include":
                          [{"relation": "card_info", "targetType": "Cheque"}]}}]})"),
                  relata::invalid_filter);
  CHECK_THROWS_AS(relata::filter<CreditCard>::from_json(
                      R"({"include": [{"relation": "card_info", "targetType": "CreditCard"}]})"),
                  relata::invalid_filter);
  // LoopBack 4: "throws an error if it tries to query nonexistent relation names"
  CHECK_THROWS_AS(w.customers.find({.include = {"home"}}), relata::invalid_inclusion_filter);
}

TEST_CASE("polymorphic has_one: some and none test the target of the model named",
          "[polymorphic]") {
  world w;
  const auto thor = w.customers.create({.name = "Thor"});
  const auto odin = w.customers.create({.name = "Odin"});
  w.customers.create({.name = "Zed"});
  w.customers.payment_method(thor.id).create(Cash{.currency = "NOK"});
  w.customers.payment_method(odin.id).create(CreditCard{.card_number = 1});
  using relata::on;
  CHECK(w.customers.count(relata::some(&Customer::payment_method)) == 2);
  CHECK(w.customers.count(relata::none(&Customer::payment_method)) == 1);
  CHECK(w.customers.count(
            relata::some(&Customer::payment_method, on<Cash>(col(&Cash::currency) == "NOK"))) == 1);
  CHECK(w.customers.count(relata::some(&Customer::payment_method,
                                       on<CreditCard>(col(&CreditCard::card_number) == 2))) == 0);
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            R"({"payment_method": {"some": {"CreditCard": {"card_number": 1}}}})")) == 1);
}

TEST_CASE("polymorphic has_one: every target model refers to the source by a foreign key",
          "[polymorphic]") {
  world w;
  const auto ada = w.customers.create({.name = "Ada"});
  w.customers.payment_method(ada.id).create(Cash{});
  // restrict (the default): a customer with a payment method stays
  CHECK_THROWS_AS(w.customers.delete_by_id(ada.id), relata::constraint_violation);
  CHECK(w.customers.count() == 1);
  CHECK(w.cash.count() == 1);

  // cascade: the target goes with the source, whatever its model
  auto db = relata_test::make_datasource();
  relata::migrate<Shop, Svg, Png>(*db);
  relata::repository<Shop> shops{*db};
  const auto a = shops.create({});
  const auto b = shops.create({});
  shops.logo(a.id).create(Svg{});
  shops.logo(b.id).create(Png{});
  shops.delete_by_id(a.id);
  CHECK(relata::repository<Svg>{*db}.count() == 0);
  CHECK(relata::repository<Png>{*db}.count() == 1);
  shops.delete_by_id(b.id);
  CHECK(relata::repository<Png>{*db}.count() == 0);
}

TEST_CASE("polymorphic has_one: find_one, exists, count and build", "[polymorphic][has_one]") {
  using namespace polymorphic_has_one_test;
  world w;
  const auto ada = w.customers.create({.name = "Ada"});
  auto payment = w.customers.payment_method(ada.id);
  CHECK_FALSE(payment.find_one().has_value());
  CHECK_FALSE(payment.exists());
  CHECK(payment.count() == 0);

  const Cash drafted = payment.build<Cash>({.currency = "EUR"});
  CHECK(drafted.customer_id == ada.id);
  CHECK(drafted.id == 0);
  CHECK(w.cash.count() == 0);  // build stores nothing
  CHECK_THROWS_AS(payment.build<Cash>({.customer_id = ada.id + 1}), relata::constraint_violation);

  payment.create<Cash>({.currency = "EUR"});
  const auto found = payment.find_one();
  REQUIRE(found.has_value());
  REQUIRE(std::holds_alternative<Cash>(*found));
  CHECK(std::get<Cash>(*found).currency == "EUR");
  CHECK(payment.exists());
  CHECK(payment.count() == 1);
  CHECK_THROWS_AS(w.customers.payment_method(404).find_one(), relata::entity_not_found);
}
