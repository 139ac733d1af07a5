// The REST core without network: relata::rest::api::handle on the quickstart's models in an
// in-memory SQLite database, exposed as examples/rest_server.cpp exposes them.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>
#include <relata/json.hpp>
#include <relata/relata.hpp>
#include <relata/rest.hpp>
#include <relata/sqlite.hpp>

#include "quickstart_api.hpp"

namespace rest = relata::rest;
using nlohmann::json;

namespace {

/// The quickstart's data behind an api.
struct shop {
  relata::sqlite::datasource db{":memory:"};
  rest::api api;

  explicit shop(rest::options settings = {}) : api(std::move(settings)) {
    relata::migrate<Customer, Order, Address, Tag, Patient, Doctor, Appointment>(db);
    seed_quickstart(db);
    expose_quickstart(api, db);
  }

  rest::response call(std::string method,
                      std::string path,
                      std::string query = {},
                      std::string body = {},
                      std::string principal = {}) const {
    return api.handle({std::move(method),
                       std::move(path),
                       std::move(query),
                       std::move(body),
                       std::move(principal)});
  }
  json get(std::string path, std::string query = {}) const {
    auto r = call("GET", std::move(path), std::move(query));
    INFO(r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  }
  std::uint64_t orders() { return relata::repository<Order>{db}.count(); }
};

/// The error object of a LoopBack error response, checked to have its shape.
json error_of(const rest::response& r) {
  INFO(r.body);
  const json body = json::parse(r.body);
  REQUIRE(body.contains("error"));
  const json& e = body["error"];
  CHECK(e["statusCode"] == r.status);
  CHECK(e["name"].is_string());
  CHECK(e["message"].is_string());
  return e;
}

std::vector<std::string> names(const json& list, const char* key = "name") {
  std::vector<std::string> out;
  for (const auto& e : list) out.push_back(e[key].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("default paths are LoopBack's: plural kebab-case") {
  CHECK(rest::detail::default_path("Customer") == "customers");
  CHECK(rest::detail::default_path("OrderLine") == "order-lines");
  CHECK(rest::detail::default_path("Address") == "addresses");
  CHECK(rest::detail::default_path("Category") == "categories");
  CHECK(rest::detail::default_path("Day") == "days");
  CHECK(rest::detail::default_path("Box") == "boxes");
}

TEST_CASE(
    "model routes: find, count, findById, create, updateAll, updateById, replaceById, "
    "deleteById") {
  shop s;
  CHECK(names(s.get("/customers")) == std::vector<std::string>{"Ada", "Bob"});
  CHECK(s.get("/customers/count") == json{{"count", 2}});
  CHECK(s.get("/customers/2")["name"] == "Bob");

  auto created = s.call("POST", "/customers", "", R"({"name": "Cy", "age": 40})");
  REQUIRE(created.status == 200);
  CHECK(json::parse(created.body)["id"] == 3);
  CHECK(s.get("/customers/3")["age"] == 40);

  auto patched = s.call("PATCH", "/customers", R"(where={"age":{"gte":30}})", R"({"age": 50})");
  REQUIRE(patched.status == 200);
  CHECK(json::parse(patched.body) == json{{"count", 2}});
  CHECK(s.get("/customers/1")["age"] == 50);
  CHECK(s.get("/customers/2")["age"] == 17);

  auto one = s.call("PATCH", "/customers/2", "", R"({"name": "Robert"})");
  CHECK(one.status == 204);
  CHECK(one.body.empty());
  CHECK(s.get("/customers/2")["name"] == "Robert");

  auto replaced = s.call("PUT", "/customers/2", "", R"({"name": "Bobby", "tag_ids": [1]})");
  CHECK(replaced.status == 204);
  const json bobby = s.get("/customers/2");
  CHECK(bobby["name"] == "Bobby");
  CHECK(bobby["age"].is_null());  // replaced: every property
  CHECK(bobby["tag_ids"] == json::array({1}));

  CHECK(s.call("DELETE", "/customers/3").status == 204);
  CHECK(s.call("GET", "/customers/3").status == 404);
  CHECK(s.get("/customers/count") == json{{"count", 2}});
}

TEST_CASE("filters in the query string: JSON and brackets, with LoopBack's coercion") {
  shop s;
  const json by_json = s.get("/customers", R"(filter={"where":{"age":{"gte":18}}})");
  CHECK(names(by_json) == std::vector<std::string>{"Ada"});
  // URL-encoded JSON, as a browser sends it
  CHECK(names(s.get("/customers",
                    "filter=%7B%22where%22%3A%7B%22age%22%3A%7B%22gte%22%3A18%7D%7D%7D")) ==
        std::vector<std::string>{"Ada"});
  // brackets: "18" is coerced to a number for the integer property age
  CHECK(names(s.get("/customers", "filter[where][age][gte]=18")) ==
        std::vector<std::string>{"Ada"});
  CHECK(names(s.get("/customers", "filter[where][name]=Bob")) == std::vector<std::string>{"Bob"});
  CHECK(names(s.get("/customers", "filter[order]=name%20DESC&filter[limit]=1")) ==
        std::vector<std::string>{"Bob"});
  CHECK(names(s.get("/customers", "filter[order][0]=age+DESC&filter[skip]=1")) ==
        std::vector<std::string>{"Bob"});
  CHECK(names(s.get("/customers", "filter[where][id][inq][0]=2&filter[where][id][inq][1]=9")) ==
        std::vector<std::string>{"Bob"});
  CHECK(names(s.get("/customers", "filter[where][id][inq][]=1&filter[where][id][inq][]=2")) ==
        std::vector<std::string>{"Ada", "Bob"});
  // JSON style gets the same coercion, as LoopBack's juggler does
  CHECK(names(s.get("/customers", R"(filter={"where":{"age":"17"}})")) ==
        std::vector<std::string>{"Bob"});
  // or/and in brackets
  CHECK(names(s.get("/customers",
                    "filter[where][or][0][name]=Bob&filter[where][or][1][age][gt]=30")) ==
        std::vector<std::string>{"Ada", "Bob"});
  // fields: "false" is a boolean
  const json slim = s.get("/customers", "filter[fields][age]=false&filter[limit]=1");
  REQUIRE(slim.size() == 1);
  CHECK(slim[0].contains("name"));

  // include, both styles; a scope's strings are coerced on the target model
  const json with_orders =
      s.get("/customers",
            "filter[include][0][relation]=orders&filter[include][0][scope][where][total][gt]=2");
  REQUIRE(with_orders.size() == 2);
  CHECK(names(with_orders[0]["orders"], "description") ==
        std::vector<std::string>{"pens", "paper"});
  CHECK(with_orders[1]["orders"].empty());
  const json included = s.get("/customers", R"(filter={"include":["orders","address","tags"]})");
  CHECK(included[0]["address"]["street"] == "12 St James's Square");
  CHECK(included[0]["tags"][0]["label"] == "vip");
  CHECK(included[1]["address"].is_null());

  // where= for count
  CHECK(s.get("/customers/count", "where[age][lt]=18") == json{{"count", 1}});
  CHECK(s.get("/customers/count", R"(where={"name":{"like":"A%25"}})") == json{{"count", 1}});
  // other parameters are ignored, as LoopBack does
  CHECK(s.get("/customers/count", "access_token=x&filters=1") == json{{"count", 2}});
}

TEST_CASE("hasMany routes: find, count, create, patch, delete, findById, deleteById") {
  shop s;
  CHECK(names(s.get("/customers/1/orders"), "description") ==
        std::vector<std::string>{"pens", "paper"});
  CHECK(names(s.get("/customers/1/orders", "filter[where][total][gt]=5"), "description") ==
        std::vector<std::string>{"paper"});
  CHECK(s.get("/customers/1/orders/count") == json{{"count", 2}});
  CHECK(s.get("/customers/1/orders/count", "where[total][lt]=5") == json{{"count", 1}});

  auto created = s.call("POST", "/customers/2/orders", "", R"({"description":"pad","total":6})");
  REQUIRE(created.status == 200);
  const json pad = json::parse(created.body);
  CHECK(pad["customer_id"] == 2);
  CHECK(pad["id"] == 4);

  auto patched = s.call("PATCH", "/customers/1/orders", "where[total][lt]=5", R"({"total": 4})");
  REQUIRE(patched.status == 200);
  CHECK(json::parse(patched.body) == json{{"count", 1}});
  CHECK(s.get("/customers/1/orders/1")["total"] == 4.0);
  // another customer's order is not found through this one
  CHECK(s.call("GET", "/customers/1/orders/3").status == 404);
  CHECK(s.call("DELETE", "/customers/1/orders/3").status == 404);
  CHECK(s.call("DELETE", "/customers/1/orders/2").status == 204);

  auto deleted = s.call("DELETE", "/customers/1/orders");
  REQUIRE(deleted.status == 200);
  CHECK(json::parse(deleted.body) == json{{"count", 1}});
  CHECK(s.get("/customers/2/orders/count") == json{{"count", 2}});
}

TEST_CASE("hasOne, belongsTo, referencesMany and hasManyThrough routes") {
  shop s;
  // hasOne
  CHECK(s.get("/customers/1/address")["street"] == "12 St James's Square");
  CHECK(error_of(s.call("GET", "/customers/2/address"))["code"] == "ENTITY_NOT_FOUND");
  REQUIRE(s.call("POST", "/customers/2/address", "", R"({"street":"1 Main St"})").status == 200);
  const auto second = s.call("POST", "/customers/2/address", "", R"({"street":"2 Main St"})");
  CHECK(second.status == 422);
  CHECK(error_of(second)["code"] == "CONSTRAINT_VIOLATION");
  CHECK(
      json::parse(s.call("PATCH", "/customers/2/address", "", R"({"street":"3 Main St"})").body) ==
      json{{"count", 1}});
  CHECK(s.get("/customers/2/address")["street"] == "3 Main St");
  CHECK(json::parse(s.call("DELETE", "/customers/2/address").body) == json{{"count", 1}});
  // hasOne has the method set (issue 23): count and the by-id routes, confined to the source
  CHECK(s.get("/customers/2/address/count") == json{{"count", 0}});
  CHECK(s.get("/customers/1/address/count") == json{{"count", 1}});
  const auto home = s.get("/customers/1/address");
  const auto home_path = "/customers/1/address/" + home["id"].dump();
  CHECK(s.get(home_path)["street"] == "12 St James's Square");
  CHECK(error_of(s.call("GET", "/customers/2/address/" + home["id"].dump()))["code"] ==
        "ENTITY_NOT_FOUND");

  // belongsTo: GET only
  CHECK(s.get("/orders/3/customer")["name"] == "Bob");
  CHECK(s.call("POST", "/orders/3/customer", "", R"({"name":"X"})").status == 404);
  CHECK(error_of(s.call("GET", "/orders/99/customer"))["code"] == "ENTITY_NOT_FOUND");

  // referencesMany: the array's targets; PUT and DELETE .../rel/{fk} add and remove a key
  CHECK(names(s.get("/customers/1/tags"), "label") == std::vector<std::string>{"vip"});
  CHECK(s.get("/customers/2/tags").empty());
  CHECK(s.call("PUT", "/customers/2/tags/rel/1").status == 204);
  CHECK(names(s.get("/customers/2/tags"), "label") == std::vector<std::string>{"vip"});
  CHECK(error_of(s.call("PUT", "/customers/2/tags/rel/1"))["code"] == "CONSTRAINT_VIOLATION");
  CHECK(s.call("PUT", "/customers/2/tags/rel/99").status == 404);  // the tag must exist
  CHECK(s.get("/customers/2/tags/count") == json{{"count", 1}});
  CHECK(s.get("/customers/2/tags/1")["label"] == "vip");
  CHECK(s.call("DELETE", "/customers/2/tags/rel/1").status == 204);
  CHECK(s.call("DELETE", "/customers/2/tags/rel/1").status == 404);  // no longer held
  CHECK(s.call("GET", "/customers/2/tags/1").status == 404);         // not referenced
  CHECK(s.get("/tags").size() == 1);                                 // the tag stays

  // hasManyThrough: link and unlink by LoopBack 3's /rel/{fk}
  CHECK(names(s.get("/patients/1/doctors")) == std::vector<std::string>{"Dr House"});
  CHECK(s.call("PUT", "/patients/1/doctors/rel/2", "", R"({"reason":"check-up"})").status == 204);
  CHECK(names(s.get("/patients/1/doctors")) == std::vector<std::string>{"Dr House", "Dr Watson"});
  CHECK(s.call("PUT", "/patients/1/doctors/rel/99").status == 404);  // the doctor must exist
  CHECK(s.call("DELETE", "/patients/1/doctors/rel/1").status == 204);
  CHECK(s.call("DELETE", "/patients/1/doctors/rel/1").status == 404);  // no link left
  CHECK(s.get("/patients/1/doctors/count") == json{{"count", 1}});
  auto created = s.call("POST", "/patients/1/doctors", "", R"({"name":"Dr Quinn"})");
  REQUIRE(created.status == 200);
  CHECK(s.get("/patients/1/doctors/count") == json{{"count", 2}});
}

TEST_CASE("what was not exposed has no route") {
  shop s;
  CHECK(error_of(s.call("GET", "/appointments"))["code"] == "ROUTE_NOT_FOUND");
  CHECK(s.call("GET", "/addresses").status == 404);
  CHECK(s.call("GET", "/doctors/1/patients").status == 404);  // Doctor: no relations
  CHECK(s.get("/tags").size() == 1);                          // Tag: read-only
  CHECK(s.call("POST", "/tags", "", R"({"label":"new"})").status == 404);
  CHECK(s.call("DELETE", "/tags/1").status == 404);
  CHECK(s.call("HEAD", "/customers").status == 404);
  CHECK(s.call("GET", "/customers/1/orders/1/extra").status == 404);
  CHECK(s.call("GET", "/customers/1/nothing").status == 404);
}

TEST_CASE("exposing only some operations and relations") {
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Customer, Order, Address, Tag, Patient, Doctor, Appointment>(db);
  seed_quickstart(db);
  rest::api api;
  api.expose(relata::repository<Customer>{db},
             {.path = "clients",
              .operations = {rest::operation::find, rest::operation::create},
              .relations = {"orders"}});
  auto call = [&](const char* method, const char* path) {
    return api.handle({method, path, "", R"({"name":"Z"})", ""}).status;
  };
  CHECK(call("GET", "/clients") == 200);
  CHECK(call("GET", "/customers") == 404);
  CHECK(call("GET", "/clients/count") == 404);
  CHECK(call("GET", "/clients/1") == 404);
  CHECK(call("GET", "/clients/1/orders") == 200);
  CHECK(call("POST", "/clients/1/orders") == 422);  // reached the route: the body lacks total?
  CHECK(call("GET", "/clients/1/address") == 404);
  CHECK(call("DELETE", "/clients/1/orders") == 404);
  CHECK_THROWS_AS(api.expose(relata::repository<Order>{db}, {.path = "clients"}),
                  std::invalid_argument);
  CHECK_THROWS_AS(api.expose(relata::repository<Order>{db}, {.relations = {"nope"}}),
                  std::invalid_argument);
}

TEST_CASE("errors: LoopBack 4's statuses and bodies") {
  shop s;
  const auto missing = s.call("GET", "/customers/99");
  CHECK(missing.status == 404);
  CHECK(error_of(missing)["code"] == "ENTITY_NOT_FOUND");
  CHECK(error_of(missing)["name"] == "Error");

  const auto bad_filter = s.call("GET", "/customers", R"(filter={"where":{"agee":1}})");
  CHECK(bad_filter.status == 400);
  CHECK(error_of(bad_filter)["code"] == "INVALID_FILTER");
  CHECK(error_of(bad_filter)["name"] == "BadRequestError");
  CHECK(error_of(s.call("GET", "/customers", R"(filter={"include":["nope"]})"))["code"] ==
        "INVALID_INCLUSION_FILTER");
  CHECK(s.call("GET", "/customers", "filter[where][age][gte]=old").status == 400);
  CHECK(s.call("GET", "/customers", "filter={not json").status == 400);
  CHECK(s.call("GET", "/customers", "filter[limit]=-1").status == 400);
  CHECK(s.call("GET", "/customers", R"(filter={}&filter[limit]=1)").status == 400);
  CHECK(s.call("GET", "/customers", "filter[where=1").status == 400);
  CHECK(s.call("GET", "/customers", "filter=%ZZ").status == 400);
  CHECK(s.call("GET", "/customers", "filter[where][name]=%FF").status == 400);  // not UTF-8

  const auto bad_id = s.call("GET", "/customers/abc");
  CHECK(bad_id.status == 400);
  CHECK(error_of(bad_id)["code"] == "INVALID_PARAMETER_VALUE");
  CHECK(s.call("GET", "/customers/1.5").status == 400);
  CHECK(s.call("GET", "/customers/99999999999999999999").status == 400);
  CHECK(s.call("GET", "/customers/abc/orders").status == 400);
  CHECK(s.call("GET", "/customers/1/orders/x").status == 400);

  const auto malformed = s.call("POST", "/customers", "", "{\"name\": ");
  CHECK(malformed.status == 400);
  CHECK(error_of(malformed)["code"] == "MALFORMED_REQUEST_BODY");
  CHECK(error_of(s.call("POST", "/customers"))["code"] == "MISSING_REQUIRED_BODY");

  const auto wrong_type = s.call("POST", "/customers", "", R"({"name": 12})");
  CHECK(wrong_type.status == 422);
  const json invalid = error_of(wrong_type);
  CHECK(invalid["code"] == "INVALID_DATA");
  CHECK(invalid["name"] == "UnprocessableEntityError");
  CHECK(invalid["details"].is_array());
  CHECK(s.call("POST", "/customers", "", R"({"name": "x", "nope": 1})").status == 422);
  CHECK(s.call("POST", "/customers", "", R"([1, 2])").status == 422);
  CHECK(s.call("POST", "/customers", "", R"({"name":"x","orders":[]})").status == 422);
  CHECK(s.call("PATCH", "/customers/1", "", R"({"id": 5})").status == 422);
  CHECK(s.call("PUT", "/customers/1", "", R"({"id": 2, "name": "x"})").status == 422);

  // a foreign key a client got wrong
  const auto moved =
      s.call("POST", "/customers/1/orders", "", R"({"description":"x","total":1,"customer_id":2})");
  CHECK(moved.status == 422);
  CHECK(error_of(moved)["code"] == "CONSTRAINT_VIOLATION");
  CHECK(s.call("POST", "/orders", "", R"({"description":"x","total":1,"customer_id":99})").status ==
        422);
  // a unique conflict: 409
  const auto twice = s.call("POST", "/customers", "", R"({"id": 1, "name": "again"})");
  CHECK(twice.status == 409);
  CHECK(error_of(twice)["code"] == "CONSTRAINT_VIOLATION");
  CHECK(error_of(twice)["name"] == "ConflictError");
}

TEST_CASE("a POST body missing a required property is 422, as in LoopBack") {
  // LoopBack 4 validates the body against the model's schema; relata refuses an entity read
  // from JSON without its required properties (INVALID_DATA listing them).
  shop s;
  const auto r = s.call("POST", "/customers/1/orders", "", R"({"description":"no total"})");
  CHECK(r.status == 422);
  CHECK(error_of(r)["code"] == "INVALID_DATA");
  CHECK_THAT(error_of(r)["message"].get<std::string>(), Catch::Contains("total"));
  CHECK(s.orders() == 3);
}

TEST_CASE("a 500 leaks nothing and reaches on_internal_error") {
  std::string logged;
  rest::options settings;
  settings.on_internal_error = [&](const rest::request&, std::string_view what) { logged = what; };
  shop s{settings};
  s.db.execute("DROP TABLE Appointment");
  const auto r = s.call("GET", "/patients/1/doctors");
  CHECK(r.status == 500);
  const json e = error_of(r);
  CHECK(e["message"] == "Internal Server Error");
  CHECK(r.body.find("Appointment") == std::string::npos);
  CHECK(logged.find("Appointment") != std::string::npos);
}

TEST_CASE("the authorization hook decides before anything is read or changed") {
  std::vector<std::string> asked;
  rest::options settings;
  settings.authorize = [&](const rest::access& a) {
    asked.push_back(std::string(a.model) + "." + std::string(a.relation) + "." +
                    std::string(rest::to_string(a.op)) + "(" + std::string(a.id) + "," +
                    std::string(a.fk) + ")");
    if (a.principal.empty()) return rest::decision::unauthenticated;
    if (a.principal != "admin" && !rest::read_only.contains(a.op)) return rest::decision::forbidden;
    return rest::decision::allow;
  };
  shop s{settings};
  const auto anonymous =
      s.call("POST", "/customers/1/orders", "", R"({"description":"x","total":1})");
  CHECK(anonymous.status == 401);
  CHECK(error_of(anonymous)["name"] == "UnauthorizedError");
  const auto reader =
      s.call("POST", "/customers/1/orders", "", R"({"description":"x","total":1})", "reader");
  CHECK(reader.status == 403);
  CHECK(error_of(reader)["code"] == "ACCESS_DENIED");
  CHECK(s.orders() == 3);
  CHECK(s.call("DELETE", "/patients/1/doctors/rel/1", "", "", "reader").status == 403);
  CHECK(s.call("GET", "/customers/1/orders", "", "", "reader").status == 200);
  CHECK(s.call("POST", "/customers/1/orders", "", R"({"description":"x","total":1})", "admin")
            .status == 200);
  CHECK(asked == std::vector<std::string>{"Customer.orders.create(1,)",
                                          "Customer.orders.create(1,)",
                                          "Patient.doctors.unlink(1,1)",
                                          "Customer.orders.find(1,)",
                                          "Customer.orders.create(1,)"});
}

TEST_CASE("hostile inputs get a 4xx and change nothing") {
  rest::options settings;
  settings.max_body_size = 1024;
  shop s{settings};
  const auto huge = s.call("POST", "/customers/1/orders", "", std::string(2000, ' '));
  CHECK(huge.status == 413);
  CHECK(error_of(huge)["name"] == "PayloadTooLargeError");
  const auto deep = s.call("POST", "/customers", "", std::string(100, '[') + std::string(100, ']'));
  CHECK(deep.status == 400);
  CHECK(s.call("GET", "/customers", "filter=" + std::string(100, '[') + std::string(100, ']'))
            .status == 400);
  std::string deep_brackets = "filter";
  for (int i = 0; i < 100; ++i) deep_brackets += "[where]";
  CHECK(s.call("GET", "/customers", deep_brackets + "=1").status == 400);
  CHECK(s.call("GET", "/customers", std::string(300 * 1024, 'a')).status == 400);
  std::string many = "filter={\"where\":{\"id\":{\"inq\":[";
  for (int i = 0; i < 2000; ++i) many += (i ? "," : "") + std::to_string(i);
  CHECK(s.call("GET", "/customers", many + "]}}}").status == 400);
  // SQL in values is a value
  CHECK(s.get("/customers", "filter[where][name]=x'%20OR%201=1--").empty());
  CHECK(s.call("PATCH", "/customers", R"(where={"name":"x' OR 1=1 --"})", R"({"age": 1})").status ==
        200);
  CHECK(s.call("GET", "/customers/1%2F..%2F2").status == 400);
  CHECK(s.call("DELETE", "/customers/1/orders", R"(where={"total":{"gt":"x"}})").status == 400);
  CHECK(s.orders() == 3);
  CHECK(s.get("/customers/count") == json{{"count", 2}});
  CHECK(s.get("/customers/1")["age"] == 36);
}

TEST_CASE("GET /openapi.json describes the models and the exposed routes") {
  shop s;
  const json doc = s.get("/openapi.json");
  CHECK(doc["openapi"] == "3.0.3");
  const json& schemas = doc["components"]["schemas"];
  const json& customer = schemas["Customer"];
  CHECK(customer["properties"]["id"] == json{{"type", "integer"}, {"format", "int64"}});
  CHECK(customer["properties"]["age"]["nullable"] == true);
  CHECK(customer["properties"]["tag_ids"]["type"] == "array");
  CHECK(customer["properties"]["orders"]["items"]["$ref"] == "#/components/schemas/Order");
  CHECK(schemas["NewCustomer"]["required"] == json::array({"name"}));
  CHECK(schemas["NewOrder"]["required"] == json::array({"description", "total", "customer_id"}));
  CHECK(schemas.contains("AppointmentPartial"));  // the link's body
  const json& paths = doc["paths"];
  CHECK(paths["/customers"].contains("post"));
  CHECK(paths["/customers/{id}"].contains("put"));
  CHECK(paths["/customers/{id}/orders"]["get"]["operationId"] == "Customer.orders.find");
  CHECK(paths["/customers/{id}/address"]["get"]["responses"]["200"]["content"]["application/json"]
             ["schema"]["$ref"] == "#/components/schemas/Address");
  CHECK(paths["/patients/{id}/doctors/rel/{fk}"].contains("put"));
  CHECK(paths["/customers/{id}/tags/rel/{fk}"].contains("delete"));
  CHECK(!paths["/customers/{id}/tags/rel/{fk}"]["put"].contains("requestBody"));
  CHECK(paths["/orders/{id}/customer"].size() == 2);  // parameters and get
  CHECK(!paths.contains("/appointments"));
  CHECK(paths["/tags"].size() == 1);  // get only
  CHECK(!paths.contains("/doctors/{id}/patients"));
}

namespace later {
struct Label;
struct Picture;
struct Post {
  RELATA_MODEL(Post,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (relata::has_and_belongs_to_many<Label>, labels),
               (relata::has_many<Picture, relata::as<"imageable">>, pictures));
};
struct Label {
  RELATA_MODEL(Label,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (relata::has_and_belongs_to_many<Post>, posts));
};
struct Picture {
  RELATA_MODEL(Picture,
               (relata::id<std::int64_t>, id),
               (std::string, url),
               (std::int64_t, imageable_id),
               (std::string, imageable_type));
};
}  // namespace later

TEST_CASE("relation kinds added after the REST core get routes from their accessors") {
  // hasAndBelongsToMany and hasMany "as" came after rest.hpp was written: their accessors offer
  // the methods the routes need, and nothing in the REST core names them.
  using namespace later;
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Post, Label, Picture>(db);
  rest::api api;
  api.expose(relata::repository<Post>{db});
  api.expose(relata::repository<Label>{db});
  auto call = [&](const char* method, const char* path, std::string body = {}) {
    return api.handle({method, path, "", std::move(body), ""});
  };
  REQUIRE(call("POST", "/posts", R"({"title":"hello"})").status == 200);
  REQUIRE(call("POST", "/labels", R"({"text":"old"})").status == 200);
  // hasAndBelongsToMany: create (target and link), link, unlink, from both sides
  const auto news = call("POST", "/posts/1/labels", R"({"text":"news"})");
  REQUIRE(news.status == 200);
  CHECK(json::parse(news.body)["id"] == 2);
  CHECK(call("PUT", "/posts/1/labels/rel/1").status == 204);
  CHECK(json::parse(call("GET", "/posts/1/labels/count").body) == json{{"count", 2}});
  CHECK(names(json::parse(call("GET", "/labels/1/posts").body), "title") ==
        std::vector<std::string>{"hello"});
  CHECK(call("DELETE", "/posts/1/labels/rel/2").status == 204);
  CHECK(names(json::parse(call("GET", "/posts/1/labels").body), "text") ==
        std::vector<std::string>{"old"});
  // hasMany "as": the discriminator is set by the relation
  const auto picture = call("POST", "/posts/1/pictures", R"({"url":"a.png"})");
  REQUIRE(picture.status == 200);
  CHECK(json::parse(picture.body)["imageable_type"] == "Post");
  CHECK(json::parse(call("GET", "/posts/1/pictures").body).size() == 1);
  const json doc = api.openapi();
  CHECK(doc["paths"].contains("/posts/{id}/labels/rel/{fk}"));
  CHECK(doc["paths"].contains("/posts/{id}/pictures/{fk}"));
}

namespace no_include {
struct Entry;
struct Account {
  RELATA_MODEL(Account,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Entry, relata::disable_include>, audit_log),
               (relata::has_many<Entry, relata::key_to<"account_id">>, entries));
};
struct Entry {
  RELATA_MODEL(Entry,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::int64_t, account_id));
};
}  // namespace no_include

TEST_CASE("disable_include: not in the OpenAPI schema, refused in a filter, routes still served") {
  using namespace no_include;
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Account, Entry>(db);
  rest::api api;
  api.expose(relata::repository<Account>{db});
  auto call = [&](const char* method, const char* path, std::string query = {}) {
    return api.handle({method, path, std::move(query), "", ""});
  };
  REQUIRE(api.handle({"POST", "/accounts", "", R"({"name":"ada"})", ""}).status == 200);
  REQUIRE(api.handle({"POST", "/accounts/1/audit_log", "", R"({"text":"opened"})", ""}).status ==
          200);
  // a response never holds it, so its schema does not list it; the other relation stays
  const json doc = api.openapi();
  const json& account = doc["components"]["schemas"]["Account"]["properties"];
  CHECK_FALSE(account.contains("audit_log"));
  CHECK(account["entries"]["items"]["$ref"] == "#/components/schemas/Entry");
  // its routes are served
  CHECK(doc["paths"].contains("/accounts/{id}/audit_log"));
  CHECK(json::parse(call("GET", "/accounts/1/audit_log").body).size() == 1);
  // an include of it is a 400 naming it, the other include works
  const auto refused = call("GET", "/accounts", R"(filter={"include":["audit_log"]})");
  CHECK(refused.status == 400);
  CHECK(error_of(refused)["code"] == "INVALID_INCLUSION_FILTER");
  CHECK_THAT(error_of(refused)["message"].get<std::string>(),
             Catch::Contains("relation \"audit_log\" of model Account"));
  const json with_entries = json::parse(call("GET", "/accounts", "filter[include]=entries").body);
  CHECK(with_entries.at(0)["entries"].size() == 1);
}

namespace copied {
struct Purchase;
struct Shopper {
  RELATA_MODEL(Shopper,
               (relata::id<std::int64_t>, id),
               (std::string, region),
               (relata::has_many<Purchase, relata::copy_property<"region", "region">>, purchases));
};
struct Purchase {
  RELATA_MODEL(Purchase,
               (relata::id<std::int64_t>, id),
               (double, total),
               (std::string, region),
               (std::int64_t, shopper_id));
};
}  // namespace copied

TEST_CASE("copy_property: a POST through the relation takes the source's value, or is 422") {
  using namespace copied;
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Shopper, Purchase>(db);
  rest::api api;
  api.expose(relata::repository<Shopper>{db});
  auto post = [&](const char* path, std::string body) {
    return api.handle({"POST", path, "", std::move(body), ""});
  };
  REQUIRE(post("/shoppers", R"({"region":"eu"})").status == 200);
  const auto made = post("/shoppers/1/purchases", R"({"total":2.5})");
  REQUIRE(made.status == 200);
  CHECK(json::parse(made.body)["region"] == "eu");
  CHECK(relata::repository<Purchase>{db}.find_by_id(std::int64_t{1}).region == "eu");
  const auto refused = post("/shoppers/1/purchases", R"({"total":1,"region":"us"})");
  CHECK(refused.status == 422);
  CHECK(error_of(refused)["code"] == "CONSTRAINT_VIOLATION");
  CHECK_THAT(error_of(refused)["message"].get<std::string>(),
             Catch::Contains("region") && Catch::Contains("purchases"));
  CHECK(relata::repository<Purchase>{db}.count() == 1);
}

namespace polymorphic {
struct Card {
  RELATA_MODEL(Card,
               (relata::id<std::int64_t>, id),
               (std::int64_t, buyer_id),
               (std::string, number));
};
struct Cash {
  RELATA_MODEL(Cash,
               (relata::id<std::int64_t>, id),
               (std::int64_t, buyer_id),
               (std::string, currency));
};
struct Buyer {
  RELATA_MODEL(Buyer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<std::string>, payment_type),
               (relata::has_one<relata::one_of<Card, Cash>>, payment));
};
struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, party_id),
               (std::optional<std::string>, party_type),
               (relata::belongs_to<relata::one_of<Card, Cash>>, party));
};
}  // namespace polymorphic

TEST_CASE("polymorphic relations: the target as its model's JSON, its model named by targetType") {
  using namespace polymorphic;
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Buyer, Card, Cash, Contact>(db);
  rest::api api;
  api.expose(relata::repository<Buyer>{db});
  api.expose(relata::repository<Contact>{db});
  auto call =
      [&](const char* method, const char* path, const char* query = "", std::string body = {}) {
        return api.handle({method, path, query, std::move(body), ""});
      };
  auto error_of = [](const rest::response& r) { return json::parse(r.body)["error"]; };
  REQUIRE(call("POST", "/buyers", "", R"({"name":"Ada"})").status == 200);
  REQUIRE(call("POST", "/buyers", "", R"({"name":"Bob"})").status == 200);

  // hasOne one_of: POST names the model; the source's discriminator follows
  const auto missing = call("POST", "/buyers/1/payment", "", R"({"number":"4111"})");
  CHECK(missing.status == 400);
  CHECK_THAT(error_of(missing)["message"].get<std::string>(),
             Catch::Contains("targetType") && Catch::Contains("Card, Cash"));
  const auto unknown = call("POST", "/buyers/1/payment", "targetType=Cheque", R"({})");
  CHECK(unknown.status == 400);
  CHECK_THAT(error_of(unknown)["message"].get<std::string>(), Catch::Contains("Cheque"));
  const auto card = call("POST", "/buyers/1/payment", "targetType=Card", R"({"number":"4111"})");
  REQUIRE(card.status == 200);
  CHECK(json::parse(card.body)["buyer_id"] == 1);
  CHECK(json::parse(call("GET", "/buyers/1").body)["payment_type"] == "Card");
  REQUIRE(call("POST", "/buyers/2/payment", "targetType=Cash", R"({"currency":"EUR"})").status ==
          200);
  // GET answers the target as its own model
  CHECK(json::parse(call("GET", "/buyers/1/payment").body)["number"] == "4111");
  CHECK(json::parse(call("GET", "/buyers/2/payment").body)["currency"] == "EUR");
  // a filter would be ignored: refused
  CHECK(call("GET", "/buyers/1/payment", "filter[fields][number]=true").status == 400);
  // PATCH touches the target only if it is of the model named
  CHECK(json::parse(
            call("PATCH", "/buyers/1/payment", "targetType=Cash", R"({"currency":"USD"})").body) ==
        json{{"count", 0}});
  CHECK(json::parse(
            call("PATCH", "/buyers/1/payment", "targetType=Card", R"({"number":"4242"})").body) ==
        json{{"count", 1}});
  CHECK(json::parse(call("GET", "/buyers/1/payment").body)["number"] == "4242");
  CHECK(call("PATCH", "/buyers/1/payment", "", R"({"number":"1"})").status == 400);
  // DELETE, whatever the model; or of the model named, with a where
  CHECK(json::parse(call("DELETE", "/buyers/2/payment", "targetType=Card").body) ==
        json{{"count", 0}});
  CHECK(call("DELETE", "/buyers/2/payment", "where[currency]=EUR").status == 400);
  CHECK(json::parse(
            call("DELETE", "/buyers/2/payment", "targetType=Cash&where[currency]=EUR").body) ==
        json{{"count", 1}});
  CHECK(json::parse(call("DELETE", "/buyers/1/payment").body) == json{{"count", 1}});
  CHECK(call("GET", "/buyers/1/payment").status == 404);
  CHECK(json::parse(call("GET", "/buyers/1").body)["payment_type"].is_null());

  // belongsTo one_of: GET only, the target as its model; 404 without one
  relata::repository<Cash> cash{db};
  const auto euros = cash.create({.buyer_id = 1, .currency = "NOK"});
  REQUIRE(call("POST",
               "/contacts",
               "",
               R"({"party_id":)" + std::to_string(euros.id) + R"(,"party_type":"Cash"})")
              .status == 200);
  REQUIRE(call("POST", "/contacts", "", R"({})").status == 200);
  CHECK(json::parse(call("GET", "/contacts/1/party").body)["currency"] == "NOK");
  CHECK(call("GET", "/contacts/2/party").status == 404);
  CHECK(call("POST", "/contacts/1/party", "targetType=Cash", R"({})").status == 404);

  // bracket-style strings are coerced per model: in a relation condition and targetScopes
  REQUIRE(call("POST", "/buyers/2/payment", "targetType=Card", R"({"number":"77"})").status == 200);
  CHECK(names(json::parse(call("GET",
                               "/buyers",
                               "filter[where][payment][some][Card][id][gte]=1&"
                               "filter[include][0][relation]=payment&"
                               "filter[include][0][targetScopes][Card][where][id][gte]=1")
                              .body)) == std::vector<std::string>{"Bob"});

  // OpenAPI: oneOf the models, and targetType where a call names one
  const json doc = api.openapi();
  const json& payment = doc["paths"]["/buyers/{id}/payment"];
  CHECK(
      payment["get"]["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"].size() ==
      2);
  const json& post_parameters = payment["post"]["parameters"];
  REQUIRE(post_parameters.size() == 1);
  CHECK(post_parameters[0]["name"] == "targetType");
  CHECK(post_parameters[0]["required"] == true);
  CHECK(post_parameters[0]["schema"]["enum"] == json::array({"Card", "Cash"}));
  CHECK(doc["components"]["schemas"].contains("NewCash"));
  CHECK(doc["paths"]["/contacts/{id}/party"].size() == 2);  // parameters and get
}

namespace polymorphic_through {
struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice, (relata::id<std::int64_t>, id), (std::string, description));
};
struct PromotionLink {
  RELATA_MODEL(PromotionLink,
               (relata::id<std::int64_t>, id),
               (std::int64_t, shopper_id),
               (std::int64_t, promotions_id),
               (std::string, promotions_type),
               (std::optional<std::string>, note));
};
struct Shopper {
  RELATA_MODEL(
      Shopper,
      (relata::id<std::int64_t>, id),
      (std::string, name),
      (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>, relata::through<PromotionLink>>,
       promotions));
};
}  // namespace polymorphic_through

TEST_CASE("polymorphic hasManyThrough routes: lists of mixed models, targetType per model") {
  using namespace polymorphic_through;
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Shopper, FreeDelivery, HalfPrice, PromotionLink>(db);
  rest::api api;
  api.expose(relata::repository<Shopper>{db});
  auto call =
      [&](const char* method, const char* path, const char* query = "", std::string body = {}) {
        return api.handle({method, path, query, std::move(body), ""});
      };
  REQUIRE(call("POST", "/shoppers", "", R"({"name":"Ada"})").status == 200);
  // POST names the model; the link names it too
  CHECK(call("POST", "/shoppers/1/promotions", "", R"({"description":"free"})").status == 400);
  REQUIRE(
      call("POST", "/shoppers/1/promotions", "targetType=FreeDelivery", R"({"description":"free"})")
          .status == 200);
  REQUIRE(
      call("POST", "/shoppers/1/promotions", "targetType=HalfPrice", R"({"description":"half"})")
          .status == 200);
  CHECK(relata::repository<PromotionLink>{db}.find()[1].promotions_type == "HalfPrice");
  // GET: every target as its own model, or one model's
  CHECK(json::parse(call("GET", "/shoppers/1/promotions").body) ==
        json::parse(R"([{"id":1,"description":"free"},{"id":1,"description":"half"}])"));
  CHECK(json::parse(call("GET", "/shoppers/1/promotions", "targetType=HalfPrice").body) ==
        json::parse(R"([{"id":1,"description":"half"}])"));
  // count: all, or one model's matching a where
  CHECK(json::parse(call("GET", "/shoppers/1/promotions/count").body) == json{{"count", 2}});
  CHECK(json::parse(call("GET",
                         "/shoppers/1/promotions/count",
                         "targetType=FreeDelivery&where[description]=free")
                        .body) == json{{"count", 1}});
  CHECK(call("GET", "/shoppers/1/promotions/count", "where[description]=free").status == 400);
  // PATCH one model's
  CHECK(json::parse(call("PATCH",
                         "/shoppers/1/promotions",
                         "targetType=HalfPrice",
                         R"({"description":"half off"})")
                        .body) == json{{"count", 1}});
  // unlink and link, the model named; the body is the link's properties
  CHECK(call("DELETE", "/shoppers/1/promotions/rel/1").status == 400);
  CHECK(call("DELETE", "/shoppers/1/promotions/rel/1", "targetType=HalfPrice").status == 204);
  CHECK(call("DELETE", "/shoppers/1/promotions/rel/1", "targetType=HalfPrice").status == 404);
  CHECK(call("PUT", "/shoppers/1/promotions/rel/1", "targetType=HalfPrice", R"({"note":"back"})")
            .status == 204);
  CHECK(call("PUT", "/shoppers/1/promotions/rel/9", "targetType=HalfPrice").status == 404);
  CHECK(relata::repository<PromotionLink>{db}.find()[1].note == "back");
  // DELETE every target and its links
  CHECK(json::parse(call("DELETE", "/shoppers/1/promotions").body) == json{{"count", 2}});
  CHECK(json::parse(call("GET", "/shoppers/1/promotions").body) == json::array());

  const json doc = api.openapi();
  const json& promotions = doc["paths"]["/shoppers/{id}/promotions"];
  CHECK(promotions["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"] ==
        "array");
  CHECK(promotions["get"]["parameters"][0]["name"] == "targetType");
  CHECK(doc["paths"]["/shoppers/{id}/promotions/rel/{fk}"]["put"]["parameters"][0]["required"] ==
        true);
}

namespace rest_scopes {
struct not_deleted;
struct pinned_memos;
// A soft delete behind REST: the default scope hides deleted memos.
struct Memo {
  RELATA_MODEL(
      Memo, (relata::id<std::int64_t>, id), (std::string, title), (bool, deleted), (bool, pinned));
  using relata_options = relata::options<relata::default_scope<not_deleted>,
                                         relata::named_scope<"pinned", pinned_memos>>;
};
struct not_deleted {
  relata::filter<Memo> operator()() const {
    return {.where = relata::col(&Memo::deleted) == false};
  }
};
struct pinned_memos {
  relata::filter<Memo> operator()() const { return {.where = relata::col(&Memo::pinned) == true}; }
};
}  // namespace rest_scopes

TEST_CASE("a repository's scopes apply to its routes: default, named, unscoped") {
  using rest_scopes::Memo;
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Memo>(db);
  relata::repository<Memo> memos{db};
  memos.create({.title = "kept"});
  const auto gone = memos.unscoped().create({.title = "gone", .deleted = true, .pinned = true});
  rest::api api;
  api.expose(memos);
  api.expose(memos.scope<"pinned">(), {.path = "pinned-memos"});
  api.expose(memos.unscoped(), {.path = "all-memos"});
  const auto call = [&](std::string method, std::string path, std::string body = {}) {
    return api.handle({std::move(method), std::move(path), {}, std::move(body), {}});
  };
  const auto id = std::to_string(gone.id.value);
  CHECK(names(json::parse(call("GET", "/memos").body), "title") ==
        std::vector<std::string>{"kept"});
  CHECK(json::parse(call("GET", "/memos/count").body) == json{{"count", 1}});
  CHECK(call("GET", "/memos/" + id).status == 404);
  CHECK(call("PATCH", "/memos/" + id, R"({"title":"back"})").status == 404);
  CHECK(call("DELETE", "/memos/" + id).status == 404);
  CHECK(call("POST", "/memos", R"({"title":"x","deleted":true})").status == 422);
  // a named scope served at its own path: read and create through it
  CHECK(json::parse(call("GET", "/pinned-memos").body) == json::array());
  const auto made = call("POST", "/pinned-memos", R"({"title":"new"})");
  INFO(made.body);
  REQUIRE(made.status == 200);
  CHECK(json::parse(made.body)["pinned"] == true);
  CHECK(names(json::parse(call("GET", "/pinned-memos").body), "title") ==
        std::vector<std::string>{"new"});
  // the bypass
  CHECK(names(json::parse(call("GET", "/all-memos").body), "title") ==
        std::vector<std::string>{"kept", "gone", "new"});
  CHECK(memos.unscoped().find_by_id(gone.id).title == "gone");
}
