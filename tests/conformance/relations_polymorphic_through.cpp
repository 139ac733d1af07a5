// Polymorphic hasManyThrough (LoopBack 4's `@hasMany(..., {through: {polymorphic:
// {discriminator}}})`), on every connector, after LoopBack 4's
// has-many-through.relation.polymorphic and has-many-through-inclusion-resolver.polymorphic
// acceptance scenarios: a Customer's promotions are FreeDelivery and HalfPrice rows, each linked
// by a CustomerPromotionLink that names its model.
//
// Where relata differs: LoopBack passes the model on each call ({polymorphicType: ...}) and
// leaves the link's discriminator to the caller's throughData; relata takes the model as a
// template argument and stamps the discriminator itself (a contradicting one is refused).
// LoopBack's "deletes corresponding through models when the target gets deleted" deletes other
// customers' links with the target; relata refuses, as for every hasManyThrough, and deletes
// nothing. In C++ an include's scope is typed by its model, so a polymorphic include takes one
// per model (relata::on<Model>); in JSON, LoopBack's "scope" for every model works too.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace polymorphic_through_test {

struct Coupon {
  RELATA_MODEL(Coupon,
               (relata::id<std::int64_t>, id),
               (std::int64_t, half_price_id),
               (std::string, code));
};
struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice,
               (relata::id<std::int64_t>, id),
               (std::string, description),
               (relata::has_many<Coupon>, coupons));
};
struct CustomerPromotionLink {
  RELATA_MODEL(CustomerPromotionLink,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::int64_t, promotion_id),
               (std::string, promotiontype),
               (std::optional<std::string>, description));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<std::int64_t>, store_id),
               (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>,
                                 relata::through<CustomerPromotionLink>,
                                 relata::through_key_to<"promotion_id">,
                                 relata::discriminator<"promotiontype">>,
                promotions));
};
struct Store {
  RELATA_MODEL(Store,
               (relata::id<std::int64_t>, id),
               (std::string, city),
               (relata::has_many<Customer>, customers));
};

// Keys by LoopBack's defaults, spelled by the model's naming, and links that go with their
// source.
struct Book {
  RELATA_MODEL(Book, (relata::id<std::int64_t>, id), (std::string, title));
};
struct Disc {
  RELATA_MODEL(Disc, (relata::id<std::int64_t>, id), (std::string, title));
};
struct ShelfItem {
  RELATA_MODEL(ShelfItem,
               (relata::id<std::int64_t>, id),
               (std::int64_t, shelf_id),
               (std::int64_t, items_id),
               (std::string, items_type));
};
struct Shelf {
  RELATA_MODEL(Shelf,
               (relata::id<std::int64_t>, id),
               (relata::has_many<relata::one_of<Book, Disc>,
                                 relata::through<ShelfItem>,
                                 relata::on_delete<relata::delete_rule::cascade>>,
                items));
};

using promotion = std::variant<FreeDelivery, HalfPrice>;

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<FreeDelivery> free_deliveries{*db};
  relata::repository<HalfPrice> half_prices{*db};
  relata::repository<CustomerPromotionLink> links{*db};
  relata::repository<Coupon> coupons{*db};
  relata::repository<Store> stores{*db};
  std::int64_t existing;
  world() {
    relata::migrate<Store, Customer, FreeDelivery, HalfPrice, CustomerPromotionLink, Coupon>(*db);
    existing = customers.create({.name = "a customer"}).id;
  }
  auto promotions(std::int64_t customer) const { return customers.promotions(customer); }
};

std::vector<std::string> descriptions(const std::vector<promotion>& all) {
  std::vector<std::string> out;
  for (const auto& p : all) std::visit([&](const auto& m) { out.push_back(m.description); }, p);
  return out;
}

}  // namespace polymorphic_through_test

using namespace polymorphic_through_test;

TEST_CASE("polymorphic hasManyThrough: keys and discriminator are named or inferred",
          "[polymorphic][through]") {
  const auto& named = relata::definition_of<Customer>().relations[0];
  CHECK(named.kind->name() == "hasManyThrough");
  CHECK(named.to_many);
  CHECK(named.target_names() == "FreeDelivery, HalfPrice");
  const auto& link = named.through();
  CHECK(link.properties[named.through_key_from].name == "customer_id");
  CHECK(link.properties[named.through_key_to].name == "promotion_id");
  CHECK(link.properties[named.discriminator].name == "promotiontype");
  const auto& inferred = relata::definition_of<Shelf>().relations[0];
  CHECK(inferred.through().properties[inferred.through_key_from].name == "shelf_id");
  CHECK(inferred.through().properties[inferred.through_key_to].name == "items_id");
  CHECK(inferred.through().properties[inferred.discriminator].name == "items_type");
}

TEST_CASE("polymorphic hasManyThrough: create writes the target and a link naming its model",
          "[polymorphic][through]") {
  world w;
  // LoopBack 4: "creates an instance of the related model alone with a through model"
  const auto promo =
      w.promotions(w.existing)
          .create(FreeDelivery{.description = "free delivery"}, {.description = "a through model"});
  CHECK(w.free_deliveries.find_by_id(promo.id).description == "free delivery");
  const auto links = w.links.find();
  REQUIRE(links.size() == 1);
  CHECK(links[0].customer_id == w.existing);
  CHECK(links[0].promotion_id == promo.id);
  CHECK(links[0].promotiontype == "FreeDelivery");
  CHECK(links[0].description == "a through model");

  // A link that names another model, or another customer, is refused; nothing is written.
  CHECK_THROWS_AS(w.promotions(w.existing)
                      .create(HalfPrice{.description = "x"}, {.promotiontype = "FreeDelivery"}),
                  relata::constraint_violation);
  CHECK_THROWS_AS(w.promotions(w.existing)
                      .create(HalfPrice{.description = "x"}, {.customer_id = w.existing + 1}),
                  relata::constraint_violation);
  // A customer that does not exist has no links (the link's foreign key refuses it).
  CHECK_THROWS_AS(w.promotions(w.existing + 100).create(HalfPrice{.description = "x"}),
                  relata::constraint_violation);
  CHECK(w.half_prices.count() == 0);
  CHECK(w.links.count() == 1);
}

TEST_CASE("polymorphic hasManyThrough: find reads this source's targets, by model",
          "[polymorphic][through]") {
  world w;
  // LoopBack 4: "finds instances of the related model"
  const auto free = w.promotions(w.existing).create(FreeDelivery{.description = "mine"});
  w.free_deliveries.create({.description = "someone else's promo"});
  const auto half = w.half_prices.create({.description = "someone else's promo 2"});
  const auto other = w.customers.create({.name = "other"});
  w.promotions(other.id).link<HalfPrice>(half.id);
  // The same id in both tables: a link names the model too.
  REQUIRE(free.id == half.id);

  const auto mine = w.promotions(w.existing).find<FreeDelivery>();
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].description == "mine");
  CHECK(w.promotions(w.existing).find<HalfPrice>().empty());
  CHECK(w.promotions(w.existing).count<HalfPrice>() == 0);
  CHECK(w.promotions(other.id).find<FreeDelivery>().empty());

  w.promotions(w.existing).create(HalfPrice{.description = "half"});
  w.promotions(w.existing).create(FreeDelivery{.description = "another"});
  // every model's, in one_of order, each by id
  CHECK(descriptions(w.promotions(w.existing).find()) ==
        std::vector<std::string>{"mine", "another", "half"});
  CHECK(w.promotions(w.existing).count() == 3);
  CHECK(
      w.promotions(w.existing).count<FreeDelivery>(col(&FreeDelivery::description) == "another") ==
      1);
  const auto filtered = w.promotions(w.existing)
                            .find<FreeDelivery>({.where = col(&FreeDelivery::description) != "mine",
                                                 .order = {relata::desc(&FreeDelivery::id)}});
  REQUIRE(filtered.size() == 1);
  CHECK(filtered[0].description == "another");
}

TEST_CASE("polymorphic hasManyThrough: patch updates the linked targets of one model",
          "[polymorphic][through]") {
  world w;
  // LoopBack 4: "patches instances", "patches an instance based on the filter"
  const auto one = w.promotions(w.existing).create(FreeDelivery{.description = "group 1"});
  const auto two = w.promotions(w.existing).create(HalfPrice{.description = "group 1"});
  const auto three = w.promotions(w.existing).create(FreeDelivery{.description = "group 2"});
  w.free_deliveries.create({.description = "group 1"});  // not linked
  CHECK(w.promotions(w.existing).patch<FreeDelivery>({{&FreeDelivery::description, "updated"}}) ==
        2);
  CHECK(w.promotions(w.existing)
            .patch<HalfPrice>({{&HalfPrice::description, "group 2"}},
                              col(&HalfPrice::id) == two.id) == 1);
  CHECK(w.free_deliveries.find_by_id(one.id).description == "updated");
  CHECK(w.free_deliveries.find_by_id(three.id).description == "updated");
  CHECK(w.half_prices.find_by_id(two.id).description == "group 2");
  CHECK(w.free_deliveries.count(col(&FreeDelivery::description) == "group 1") == 1);

  // LoopBack 4: "throws error when query tries to change the target id"
  try {
    w.promotions(w.existing).patch<HalfPrice>({{&HalfPrice::id, two.id + 10}});
    FAIL("the key the links hold was changed");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("Property id cannot be changed"));
  }
  CHECK(w.half_prices.find_by_id(two.id).description == "group 2");
}

TEST_CASE("polymorphic hasManyThrough: delete_all deletes targets and links, or refuses",
          "[polymorphic][through]") {
  world w;
  // LoopBack 4: "deletes many instances and their through models"
  w.promotions(w.existing).create(HalfPrice{.description = "a"});
  w.promotions(w.existing).create(HalfPrice{.description = "b"});
  const auto c = w.promotions(w.existing).create(FreeDelivery{.description = "c"});
  CHECK(w.links.count() == 3);
  // LoopBack 4: "deletes instances based on the filter"
  CHECK(w.promotions(w.existing).delete_all<HalfPrice>(col(&HalfPrice::description) == "z") == 0);
  CHECK(w.promotions(w.existing).delete_all<HalfPrice>(col(&HalfPrice::description) == "a") == 1);
  CHECK(w.half_prices.count() == 1);
  CHECK(w.links.count() == 2);

  // A target another customer links stays, and so does everything else.
  const auto other = w.customers.create({.name = "other"});
  w.promotions(other.id).link<FreeDelivery>(c.id);
  try {
    w.promotions(w.existing).delete_all();
    FAIL("a target other customers link was deleted");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("CustomerPromotionLink"));
  }
  CHECK(w.half_prices.count() == 1);
  CHECK(w.free_deliveries.count() == 1);
  CHECK(w.links.count() == 3);

  w.promotions(other.id).unlink<FreeDelivery>(c.id);
  CHECK(w.promotions(w.existing).delete_all() == 2);
  CHECK(w.half_prices.count() == 0);
  CHECK(w.free_deliveries.count() == 0);
  CHECK(w.links.count() == 0);
}

TEST_CASE("polymorphic hasManyThrough: link, exists, unlink and unlink_all",
          "[polymorphic][through]") {
  world w;
  // LoopBack 4: "links a target model to a source model"
  const auto free = w.free_deliveries.create({.description = "free"});
  const auto half = w.half_prices.create({.description = "half"});
  CHECK(w.promotions(w.existing).find().empty());
  w.promotions(w.existing).link<FreeDelivery>(free.id, {.description = "linked"});
  w.promotions(w.existing).link<HalfPrice>(half.id);
  CHECK(descriptions(w.promotions(w.existing).find()) == std::vector<std::string>{"free", "half"});
  CHECK(w.promotions(w.existing).exists<FreeDelivery>(free.id));
  CHECK_FALSE(w.promotions(w.existing).exists<HalfPrice>(free.id + 100));
  const auto link =
      w.links.find_one({.where = col(&CustomerPromotionLink::promotiontype) == "FreeDelivery"});
  REQUIRE(link);
  CHECK(link->description == "linked");
  // a target that does not exist is not linked
  CHECK_THROWS_AS(w.promotions(w.existing).link<HalfPrice>(half.id + 100),
                  relata::entity_not_found);
  CHECK(w.links.count() == 2);

  // LoopBack 4: "unlinks a target model from a source model": the link goes, the target stays
  CHECK(w.promotions(w.existing).unlink<HalfPrice>(free.id + 100) == 0);
  CHECK(w.promotions(w.existing).unlink<FreeDelivery>(free.id) == 1);
  CHECK_FALSE(w.promotions(w.existing).exists<FreeDelivery>(free.id));
  CHECK(w.free_deliveries.count() == 1);
  CHECK(descriptions(w.promotions(w.existing).find()) == std::vector<std::string>{"half"});
  CHECK(w.promotions(w.existing).unlink_all() == 1);
  CHECK(w.links.count() == 0);
  CHECK(w.half_prices.count() == 1);
}

TEST_CASE("polymorphic hasManyThrough: include reads the links, then one query per model",
          "[polymorphic][through]") {
  world w;
  const auto ada = w.customers.create({.name = "Ada"});
  const auto bob = w.customers.create({.name = "Bob"});
  const auto cy = w.customers.create({.name = "Cy"});  // FreeDelivery only
  const auto shared = w.promotions(ada.id).create(HalfPrice{.description = "shared"});
  w.promotions(bob.id).link<HalfPrice>(shared.id);
  w.promotions(ada.id).create(FreeDelivery{.description = "ada free"});
  w.promotions(ada.id).create(HalfPrice{.description = "ada half"});
  w.promotions(cy.id).create(FreeDelivery{.description = "cy free"});
  w.coupons.create({.half_price_id = shared.id, .code = "SAVE"});

  relata_test::query_log log{*w.db};
  const auto all =
      w.customers.find({.order = {relata::asc(&Customer::id)}, .include = {"promotions"}});
  CHECK(log.selects() == 4);  // customers, links, free deliveries, half prices
  REQUIRE(all.size() == 4);   // "a customer", Ada, Bob, Cy
  CHECK(all[0].promotions.loaded());
  CHECK(all[0].promotions.empty());
  const auto& adas = all[1].promotions;
  REQUIRE(adas.size() == 3);
  CHECK(adas.holds<FreeDelivery>(0));
  CHECK(adas.get<FreeDelivery>(0)->description == "ada free");
  CHECK(adas.get<HalfPrice>(1)->description == "shared");
  CHECK(adas.get<HalfPrice>(2)->description == "ada half");
  CHECK(adas.get<HalfPrice>(0) == nullptr);
  CHECK(descriptions(all[2].promotions.value()) == std::vector<std::string>{"shared"});
  CHECK(descriptions(all[3].promotions.value()) == std::vector<std::string>{"cy free"});
  // a copy holds copies
  const Customer copy = all[1];
  CHECK(copy.promotions.size() == 3);
  CHECK(copy.promotions.get<HalfPrice>(2)->description == "ada half");
  // only the models linked are read
  log.clear();
  w.customers.find({.where = col(&Customer::id) == cy.id, .include = {"promotions"}});
  CHECK(log.selects() == 3);

  // a scope per model: its where, order and per-parent limit, and includes under it
  log.clear();
  const auto scoped = w.customers.find(
      {.where = col(&Customer::id) == ada.id || col(&Customer::id) == bob.id,
       .order = {relata::asc(&Customer::name)},
       .include = {relata::include(
           &Customer::promotions,
           relata::on<HalfPrice>(
               {.order = {relata::desc(&HalfPrice::id)}, .limit = 1, .include = {"coupons"}}),
           relata::on<FreeDelivery>(
               {.where = col(&FreeDelivery::description) == "nothing matches"}))}});
  CHECK(log.selects() == 5);  // customers, links, free deliveries, half prices, coupons
  REQUIRE(scoped.size() == 2);
  REQUIRE(scoped[0].promotions.size() == 1);  // Ada: her newest HalfPrice only
  CHECK(scoped[0].promotions.get<HalfPrice>(0)->description == "ada half");
  CHECK(scoped[0].promotions.get<HalfPrice>(0)->coupons.empty());
  REQUIRE(scoped[1].promotions.size() == 1);  // Bob
  CHECK(scoped[1].promotions.get<HalfPrice>(0)->coupons.size() == 1);

  // the same from JSON, with LoopBack 4's targetType on the nested include
  const auto from_json = w.customers.find_by_id(
      bob.id, relata::filter<Customer>::from_json(R"({"include": [{"relation": "promotions",
          "scope": {"include": [{"relation": "coupons", "targetType": "HalfPrice"}]}}]})"));
  REQUIRE(from_json.promotions.size() == 1);
  CHECK(from_json.promotions.get<HalfPrice>(0)->coupons[0].code == "SAVE");

  // under another include: stores, their customers, their promotions
  const auto oslo = w.stores.create({.city = "Oslo"});
  w.customers.update_all({{&Customer::store_id, oslo.id}},
                         col(&Customer::id) == ada.id || col(&Customer::id) == cy.id);
  log.clear();
  const auto stores =
      w.stores.find({.include = {relata::include(
                         &Store::customers,
                         {.order = {relata::asc(&Customer::name)}, .include = {"promotions"}})}});
  CHECK(log.selects() == 5);  // stores, customers, links, free deliveries, half prices
  REQUIRE(stores.size() == 1);
  REQUIRE(stores[0].customers.size() == 2);
  CHECK(stores[0].customers[0].promotions.size() == 3);  // Ada
  CHECK(descriptions(stores[0].customers[1].promotions.value()) ==
        std::vector<std::string>{"cy free"});

  // as JSON: each target as its own model's object
  const auto json = nlohmann::json::parse(relata::dump_json(all[2]));  // Bob
  CHECK(json["promotions"] == nlohmann::json::parse(R"([{"id": )" + std::to_string(shared.id) +
                                                    R"(, "description": "shared"}])"));
  // ... which does not say each one's model: reading it back is refused, clearly
  try {
    (void)json.get<Customer>();
    FAIL("a polymorphic to-many relation was read from JSON");
  } catch (const relata::invalid_data& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("promotions"));
  }
}

TEST_CASE("polymorphic hasManyThrough: a scope for every model, or one per model",
          "[polymorphic][through]") {
  // LoopBack 4: "honours field scope when returning a model": in JSON, an include's "scope"
  // holds for every model (checked against each), "targetScopes" for one.
  world w;
  const auto link = w.customers.create({.name = "Link"});
  const auto zelda = w.customers.create({.name = "Zelda"});
  w.promotions(link.id).create(HalfPrice{.description = "master sword"});
  w.promotions(zelda.id).create(FreeDelivery{.description = "shield"});
  w.promotions(zelda.id).create(HalfPrice{.description = "hat"});
  w.promotions(zelda.id).create(HalfPrice{.description = "boots"});
  auto find = [&](const char* include) {
    return nlohmann::json::parse(relata::dump_json(w.customers.find(
        relata::filter<Customer>::from_json(R"({"where": {"name": {"inq": ["Link", "Zelda"]}},
            "order": ["name ASC"], "include": )" +
                                            std::string(include) + "}"))));
  };
  auto json = find(R"([{"relation": "promotions", "scope": {"fields": {"id": false}}}])");
  CHECK(json[0]["promotions"] == nlohmann::json::parse(R"([{"description": "master sword"}])"));
  CHECK(json[1]["promotions"] ==
        nlohmann::json::parse(
            R"([{"description": "shield"}, {"description": "hat"}, {"description": "boots"}])"));
  // a limit in that scope holds per parent and per model
  json = find(R"([{"relation": "promotions", "scope": {"fields": {"id": false}, "limit": 1}}])");
  CHECK(json[1]["promotions"] ==
        nlohmann::json::parse(R"([{"description": "shield"}, {"description": "hat"}])"));
  // one model's scope only
  json = find(R"([{"relation": "promotions", "targetScopes": {
      "HalfPrice": {"fields": {"id": false}, "where": {"description": {"neq": "hat"}}}}}])");
  CHECK(json[1]["promotions"][0]["description"] == "shield");
  CHECK(json[1]["promotions"][0].contains("id"));
  CHECK(json[1]["promotions"][1] == nlohmann::json::parse(R"({"description": "boots"})"));
  CHECK(json[1]["promotions"].size() == 2);
}

TEST_CASE("polymorphic hasManyThrough: a link naming no model of the relation is an error",
          "[polymorphic][through]") {
  // migrate's check constraint on SQL databases, the memory connector's own check
  world w;
  CHECK_THROWS_AS(
      w.links.create({.customer_id = w.existing, .promotion_id = 1, .promotiontype = "Gift"}),
      relata::constraint_violation);
  CHECK(w.links.count() == 0);
}

TEST_CASE("polymorphic hasManyThrough: some, none and every test targets through their links",
          "[polymorphic][through]") {
  world w;
  const auto ada = w.customers.create({.name = "Ada"});
  const auto bob = w.customers.create({.name = "Bob"});
  w.promotions(ada.id).create(HalfPrice{.description = "50%"});
  w.promotions(ada.id).create(FreeDelivery{.description = "free"});
  w.promotions(bob.id).create(FreeDelivery{.description = "free"});
  const auto stray = w.half_prices.create({.description = "50%"});  // nobody's
  using relata::on;
  // "a customer", Ada, Bob
  CHECK(w.customers.count(relata::some(&Customer::promotions)) == 2);
  CHECK(w.customers.count(relata::none(&Customer::promotions)) == 1);
  CHECK(w.customers.count(relata::some(&Customer::promotions, on<HalfPrice>())) == 1);
  CHECK(w.customers.count(relata::none(&Customer::promotions, on<HalfPrice>())) == 2);
  CHECK(w.customers.count(relata::some(
            &Customer::promotions, on<FreeDelivery>(col(&FreeDelivery::description) == "free"))) ==
        2);
  CHECK(w.customers.count(relata::every(
            &Customer::promotions, on<HalfPrice>(col(&HalfPrice::description) == "50%"))) == 3);
  w.promotions(bob.id).link<HalfPrice>(stray.id);
  w.half_prices.update_all({{&HalfPrice::description, "10%"}}, col(&HalfPrice::id) == stray.id);
  CHECK(w.customers.count(relata::every(
            &Customer::promotions, on<HalfPrice>(col(&HalfPrice::description) == "50%"))) == 2);
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            R"({"promotions": {"some": {"HalfPrice": {"description": "10%"}}}})")) == 1);
  const auto found =
      w.customers.find({.where = relata::some(&Customer::promotions,
                                              on<HalfPrice>(col(&HalfPrice::id) == stray.id))});
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == "Bob");
}

TEST_CASE("polymorphic hasManyThrough: migrate keys the link to the source; on_delete rules it",
          "[polymorphic][through]") {
  world w;
  const auto ada = w.customers.create({.name = "Ada"});
  w.promotions(ada.id).create(FreeDelivery{.description = "free"});
  // restrict (the default): a customer with links stays
  CHECK_THROWS_AS(w.customers.delete_by_id(ada.id), relata::constraint_violation);
  CHECK(w.customers.count() == 2);
  CHECK(w.links.count() == 1);

  // cascade: the links go with their source; the targets stay
  auto db = relata_test::make_datasource();
  relata::migrate<Shelf, Book, Disc, ShelfItem>(*db);
  relata::repository<Shelf> shelves{*db};
  const auto shelf = shelves.create({});
  const auto book = shelves.items(shelf.id).create(Book{.title = "Dune"});
  shelves.items(shelf.id).create(Disc{.title = "Blue"});
  CHECK(shelves.items(shelf.id).count() == 2);
  CHECK(shelves.items(shelf.id).find<Book>()[0].id == book.id);
  shelves.delete_by_id(shelf.id);
  CHECK(relata::repository<ShelfItem>{*db}.count() == 0);
  CHECK(relata::repository<Book>{*db}.count() == 1);
  CHECK(relata::repository<Disc>{*db}.count() == 1);
}
