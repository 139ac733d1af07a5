// CRUD through repository<M>, LoopBack's DefaultCrudRepository surface, on every connector.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include <relata/json.hpp>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using namespace fixtures;
using relata::col;

namespace {

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  world() { migrate_all(*db); }
};

}  // namespace

TEST_CASE("create assigns generated ids in order and returns the entity", "[crud]") {
  world w;
  auto ada = w.customers.create({.name = "Ada", .age = 36});
  auto bob = w.customers.create({.name = "Bob"});
  CHECK(ada.id == 1);
  CHECK(bob.id == 2);
  CHECK(ada.name == "Ada");
  CHECK(ada.age == 36);
  CHECK_FALSE(bob.age.has_value());
}

TEST_CASE("create keeps a caller-supplied value of a generated id", "[crud]") {
  world w;
  auto c = w.customers.create({.id = 40, .name = "Forty"});
  CHECK(c.id == 40);
  auto next = w.customers.create({.name = "Next"});
  CHECK(next.id == 41);
  CHECK(w.customers.find_by_id(40).name == "Forty");
}

TEST_CASE("create with an id that exists is a constraint violation and changes nothing", "[crud]") {
  world w;
  w.customers.create({.id = 1, .name = "Ada"});
  CHECK_THROWS_AS(w.customers.create({.id = 1, .name = "Other"}), relata::constraint_violation);
  CHECK(w.customers.count() == 1);
  CHECK(w.customers.find_by_id(1).name == "Ada");
}

TEST_CASE("create_all is all or nothing", "[crud]") {
  world w;
  auto made = w.customers.create_all({{.name = "A"}, {.name = "B"}, {.name = "C"}});
  REQUIRE(made.size() == 3);
  CHECK(made[0].id == 1);
  CHECK(made[2].id == 3);
  CHECK(w.customers.count() == 3);

  // the second entity collides with an existing id: nothing of the batch remains
  CHECK_THROWS_AS(w.customers.create_all({{.id = 10, .name = "X"}, {.id = 2, .name = "dup"}}),
                  relata::constraint_violation);
  CHECK(w.customers.count() == 3);
  CHECK_FALSE(w.customers.exists(10));
}

TEST_CASE("create_all of thousands, generated and given ids mixed, keeps each row's own id",
          "[crud][bulk]") {
  // Several batches on a connector that writes many rows per statement: every generated id
  // comes back to its own entity, given ids move the generator past them, and a refusal in a
  // late batch leaves nothing of the call.
  world w;
  std::vector<Customer> many;
  for (int i = 0; i < 2500; ++i) {
    Customer c{.name = "c" + std::to_string(i), .age = i};
    if (i % 1000 == 999) c.id = 100000 + i;  // a given id now and then
    many.push_back(c);
  }
  const auto made = w.customers.create_all(many);
  REQUIRE(made.size() == many.size());
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < made.size(); ++i) {
    ids.insert(made[i].id);
    if (i % 1000 == 999) CHECK(made[i].id == 100000 + static_cast<std::int64_t>(i));
  }
  CHECK(ids.size() == made.size());  // all distinct
  for (std::size_t i = 0; i < made.size(); i += 97) {
    const auto back = w.customers.find_by_id(made[i].id);
    CHECK(back.name == made[i].name);
    CHECK(back.age == made[i].age);
  }
  CHECK(w.customers.create({.name = "next"}).id > 102499);  // past every given id

  std::vector<Customer> doomed(2100, Customer{.name = "doomed"});
  doomed[2050].id = made[0].id;  // a duplicate key in the last batch
  CHECK_THROWS_AS(w.customers.create_all(doomed), relata::constraint_violation);
  CHECK(w.customers.count(col(&Customer::name) == "doomed") == 0);
  CHECK(w.customers.count() == made.size() + 1);

  // the same inside one run of given ids (one COPY on PostgreSQL): refused whole, and the
  // datasource goes on
  std::vector<Customer> given;
  for (int i = 0; i < 1500; ++i) given.push_back({.id = 200000 + i, .name = "given"});
  given[1400].id = made[1].id;
  CHECK_THROWS_AS(w.customers.create_all(given), relata::constraint_violation);
  CHECK(w.customers.count(col(&Customer::name) == "given") == 0);
  given[1400].id = 300000;
  CHECK(w.customers.create_all(given).size() == given.size());
  CHECK(w.customers.create({.name = "after"}).id > 300000);
}

TEST_CASE("find returns everything in id order by default", "[crud]") {
  world w;
  w.customers.create_all({{.name = "C"}, {.name = "A"}, {.name = "B"}});
  auto all = w.customers.find();
  REQUIRE(all.size() == 3);
  CHECK(all[0].name == "C");
  CHECK(all[2].name == "B");
}

TEST_CASE("find_one returns the first match or nothing", "[crud]") {
  world w;
  w.customers.create_all({{.name = "A", .age = 10}, {.name = "B", .age = 20}});
  auto b = w.customers.find_one({.where = col(&Customer::age) > 15});
  REQUIRE(b);
  CHECK(b->name == "B");
  CHECK_FALSE(w.customers.find_one({.where = col(&Customer::age) > 50}));
}

TEST_CASE("find_by_id finds, applies the filter, and reports a missing id", "[crud]") {
  world w;
  auto ada = w.customers.create({.name = "Ada", .age = 36});
  CHECK(w.customers.find_by_id(ada.id).name == "Ada");

  try {
    w.customers.find_by_id(99);
    FAIL("expected entity_not_found");
  } catch (const relata::entity_not_found& e) {
    CHECK(e.code() == relata::error_code::entity_not_found);
    CHECK(e.model() == "Customer");
    CHECK(e.id() == "99");
    CHECK(std::string(e.what()) == "ENTITY_NOT_FOUND: Entity not found: Customer with id 99");
  }
  // the filter's where applies too
  CHECK_THROWS_AS(w.customers.find_by_id(ada.id, {.where = col(&Customer::age) < 30}),
                  relata::entity_not_found);
  auto only_name = w.customers.find_by_id(ada.id, {.fields = relata::only(&Customer::name)});
  CHECK(only_name.name == "Ada");
  CHECK_FALSE(only_name.age.has_value());
}

TEST_CASE("count and exists", "[crud]") {
  world w;
  w.customers.create_all({{.name = "A", .age = 10}, {.name = "B", .age = 20}, {.name = "C"}});
  CHECK(w.customers.count() == 3);
  CHECK(w.customers.count(col(&Customer::age) >= 10) == 2);
  CHECK(w.customers.count(col(&Customer::age) == std::nullopt) == 1);
  CHECK(w.customers.exists(2));
  CHECK_FALSE(w.customers.exists(4));
}

TEST_CASE("update_by_id changes only the given properties", "[crud]") {
  world w;
  auto ada = w.customers.create({.name = "Ada", .age = 36});
  w.customers.update_by_id(ada.id, {{&Customer::age, 37}});
  auto again = w.customers.find_by_id(ada.id);
  CHECK(again.name == "Ada");
  CHECK(again.age == 37);
  w.customers.update_by_id(ada.id, {{&Customer::age, std::nullopt}});
  CHECK_FALSE(w.customers.find_by_id(ada.id).age.has_value());
  CHECK_THROWS_AS(w.customers.update_by_id(42, {{&Customer::name, "x"}}), relata::entity_not_found);
}

TEST_CASE("update_by_id refuses to change the id", "[crud]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  CHECK_THROWS_AS(w.customers.update_by_id(ada.id, {{&Customer::id, 5}}), relata::invalid_data);
  CHECK(w.customers.exists(ada.id));
}

TEST_CASE("update_by_id accepts the target's own id in the data: a JSON round trip writes back",
          "[crud][json][regression]") {
  world w;
  auto ada = w.customers.create({.name = "Ada", .age = 36});
  auto bob = w.customers.create({.name = "Bob"});
  w.customers.update_by_id(ada.id, {{&Customer::id, ada.id}, {&Customer::age, 37}});
  CHECK(w.customers.find_by_id(ada.id).age == 37);
  // The entity's JSON, edited and sent back as a partial update.
  nlohmann::json body = w.customers.find_by_id(ada.id);
  body["name"] = "Ada L.";
  body.erase("account_ids");
  w.customers.update_by_id(ada.id, relata::changes<Customer>::from_json(body));
  CHECK(w.customers.find_by_id(ada.id).name == "Ada L.");
  // A different id is still a change of id: refused, nothing written.
  CHECK_THROWS_WITH(
      w.customers.update_by_id(ada.id, {{&Customer::id, bob.id}, {&Customer::age, 1}}),
      Catch::Contains("property id of model Customer is the id"));
  CHECK(w.customers.find_by_id(ada.id).age == 37);
  // An update of nothing but the same id changes nothing, and still finds the target.
  w.customers.update_by_id(ada.id, {{&Customer::id, ada.id}});
  CHECK_THROWS_AS(w.customers.update_by_id(99, {{&Customer::id, 99}}), relata::entity_not_found);
}

TEST_CASE("replace_by_id replaces every property", "[crud]") {
  world w;
  auto ada = w.customers.create({.name = "Ada", .age = 36});
  w.customers.replace_by_id(ada.id, {.name = "Augusta"});
  auto again = w.customers.find_by_id(ada.id);
  CHECK(again.name == "Augusta");
  CHECK_FALSE(again.age.has_value());
  CHECK_THROWS_AS(w.customers.replace_by_id(9, {.name = "x"}), relata::entity_not_found);
  // an entity carrying another id is refused
  CHECK_THROWS_AS(w.customers.replace_by_id(ada.id, {.id = 7, .name = "x"}), relata::invalid_data);
  CHECK(w.customers.find_by_id(ada.id).name == "Augusta");
}

TEST_CASE("update and remove take the entity's own id", "[crud]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  ada.age = 50;
  w.customers.update(ada);
  CHECK(w.customers.find_by_id(ada.id).age == 50);
  w.customers.remove(ada);
  CHECK_FALSE(w.customers.exists(ada.id));
  CHECK_THROWS_AS(w.customers.remove(ada), relata::entity_not_found);
}

TEST_CASE("update_all returns the number of rows changed", "[crud]") {
  world w;
  w.customers.create_all(
      {{.name = "A", .age = 10}, {.name = "B", .age = 20}, {.name = "C", .age = 30}});
  CHECK(w.customers.update_all({{&Customer::name, "old"}}, col(&Customer::age) >= 20) == 2);
  CHECK(w.customers.count(col(&Customer::name) == "old") == 2);
  CHECK(w.customers.update_all({{&Customer::name, "none"}}, col(&Customer::age) > 100) == 0);
  CHECK(w.customers.update_all({{&Customer::age, 1}}) == 3);
}

TEST_CASE("delete_by_id and delete_all", "[crud]") {
  world w;
  w.customers.create_all(
      {{.name = "A", .age = 10}, {.name = "B", .age = 20}, {.name = "C", .age = 30}});
  w.customers.delete_by_id(1);
  CHECK_FALSE(w.customers.exists(1));
  CHECK_THROWS_AS(w.customers.delete_by_id(1), relata::entity_not_found);
  CHECK(w.customers.delete_all(col(&Customer::age) > 25) == 1);
  CHECK(w.customers.delete_all(col(&Customer::age) > 25) == 0);
  CHECK(w.customers.delete_all() == 1);
  CHECK(w.customers.count() == 0);
}

TEST_CASE("partial updates are accepted from JSON, validated", "[crud][json]") {
  world w;
  auto ada = w.customers.create({.name = "Ada", .age = 36});
  w.customers.update_by_id(ada.id, relata::changes<Customer>::from_json(R"({"age": 40})"));
  CHECK(w.customers.find_by_id(ada.id).age == 40);
  CHECK_THROWS_WITH(relata::changes<Customer>::from_json(R"({"agee": 1})"),
                    Catch::Contains("unknown property \"agee\" on model Customer"));
  CHECK_THROWS_WITH(
      relata::changes<Customer>::from_json(R"({"age": "old"})"),
      Catch::Contains("property age of model Customer") && Catch::Contains("expected an integer"));
  CHECK_THROWS_WITH(relata::changes<Customer>::from_json(R"({"orders": []})"),
                    Catch::Contains("relation"));
  CHECK(w.customers.find_by_id(ada.id).age == 40);
}

TEST_CASE("writing an entity whose relations were loaded is refused", "[crud][relations]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  w.customers.orders(ada.id).create({.description = "pens", .total = 1});
  auto loaded = w.customers.find_by_id(ada.id, {.include = {"orders"}});
  REQUIRE(loaded.orders.loaded());
  loaded.name = "changed";
  CHECK_THROWS_WITH(w.customers.update(loaded),
                    Catch::Contains("navigational property orders of model Customer"));
  CHECK(w.customers.find_by_id(ada.id).name == "Ada");
  loaded.orders.reset();
  w.customers.update(loaded);
  CHECK(w.customers.find_by_id(ada.id).name == "changed");
}

TEST_CASE("remove refuses an entity whose relations were loaded, as every write does",
          "[crud][relations][regression]") {
  world w;
  auto ada = w.customers.create({.name = "Ada"});
  auto loaded = w.customers.find_by_id(ada.id, {.include = {"address"}});
  CHECK_THROWS_WITH(w.customers.remove(loaded),
                    Catch::Contains("navigational property address of model Customer") &&
                        Catch::Contains("is loaded"));
  CHECK(w.customers.exists(ada.id));
  loaded.address.reset();
  w.customers.remove(loaded);
  CHECK_FALSE(w.customers.exists(ada.id));
}
