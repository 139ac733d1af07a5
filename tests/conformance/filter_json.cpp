// Filters from untrusted JSON on every connector: malformed and hostile input refused with the
// right error and a message naming the culprit, bounds enforced, values only ever bound, the
// data untouched after every refusal; and JSON filters finding the same rows as the DSL.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using fixtures::Customer;
using fixtures::Order;
using relata::col;
using relata::error_code;

namespace filter_json_test {

/// A model with the property kinds Customer lacks.
struct Doc {
  RELATA_MODEL(Doc,
               (relata::id<std::int64_t>, id),
               (std::optional<nlohmann::json>, payload),
               (std::vector<std::int64_t>, tags),
               (double, total),
               (relata::blob, bytes),
               (std::chrono::system_clock::time_point, at),
               (bool, flag));
};

const std::string injection = "Robert'); DROP TABLE \"Customer\";--";

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<Doc> docs{*db};

  world() {
    fixtures::migrate_all(*db);
    relata::migrate<Doc>(*db);
    customers.create({.name = "Ada", .age = 36});                 // 1
    customers.create({.name = "Bob"});                            // 2
    customers.create({.name = "Cy", .age = 17, .parent_id = 1});  // 3
    customers.create({.name = "Dee", .age = 60});                 // 4
    customers.create({.name = injection, .age = 20});             // 5
    orders.create({.description = "pens", .total = 3.5, .customer_id = 1});
    orders.create({.description = "ink", .total = 1.25, .customer_id = 1});
    orders.create({.description = "book", .total = 12.0, .customer_id = 4});
    docs.create({.payload = nlohmann::json{{"k", 1}}, .tags = {1, 2}, .total = 1.5});
    docs.create({});
  }

  /// Everything stored, as JSON: compared before and after each refusal.
  nlohmann::json snapshot() const {
    return nlohmann::json{
        {"customers", customers.find()}, {"orders", orders.find()}, {"docs", docs.find()}};
  }

  std::vector<std::int64_t> ids(const relata::filter<Customer>& f) const {
    std::vector<std::int64_t> out;
    for (const auto& c : customers.find(f)) out.push_back(c.id);
    return out;
  }
};

/// One input that must be refused.
struct refusal {
  std::string input;
  error_code code;
  std::vector<std::string> fragments;  ///< each must appear in what()
  relata::json_limits limits{};
  bool on_doc = false;  ///< parsed against Doc instead of Customer
};

void check_refused(world& w, const refusal& r) {
  INFO("input: " << r.input);
  const auto before = w.snapshot();
  try {
    if (r.on_doc) {
      (void)w.docs.find(relata::filter<Doc>::from_json(r.input, r.limits));
    } else {
      (void)w.customers.find(relata::filter<Customer>::from_json(r.input, r.limits));
    }
    FAIL("expected " << relata::to_string(r.code));
  } catch (const relata::invalid_filter& e) {
    const std::string what = e.what();
    INFO("what(): " << what);
    CHECK(e.code() == r.code);
    // the exact type: an inclusion error is an invalid_inclusion_filter, the rest are not
    CHECK((dynamic_cast<const relata::invalid_inclusion_filter*>(&e) != nullptr) ==
          (r.code == error_code::invalid_inclusion_filter));
    CHECK_THAT(what, Catch::StartsWith(std::string(relata::to_string(r.code)) + ": "));
    for (const auto& fragment : r.fragments) CHECK_THAT(what, Catch::Contains(fragment));
  }
  CHECK(w.snapshot() == before);
}

void check_all_refused(const std::vector<refusal>& cases) {
  world w;
  for (const auto& r : cases) check_refused(w, r);
  CHECK(w.customers.count() == 5);
  CHECK(w.orders.count() == 3);
  CHECK(w.docs.count() == 2);
}

/// `{"where":{"and":[{"and":[ ... {"age":1} ... ]}]}}` with `levels` and's.
std::string nested_and(std::size_t levels) {
  std::string where = R"({"age":1})";
  for (std::size_t i = 0; i < levels; ++i) where = R"({"and":[)" + where + "]}";
  return R"({"where":)" + where + "}";
}

/// An include of orders -> customer -> orders ... `levels` deep.
std::string nested_include(std::size_t levels) {
  std::string inner;
  for (std::size_t i = levels; i > 0; --i) {
    const std::string relation = i % 2 == 1 ? "orders" : "customer";
    inner = inner.empty()
                ? R"({"relation":")" + relation + R"("})"
                : R"({"relation":")" + relation + R"(","scope":{"include":[)" + inner + "]}}";
  }
  return R"({"include":[)" + inner + "]}";
}

std::string long_list(std::size_t n) {
  std::string list = "[";
  for (std::size_t i = 0; i < n; ++i) list += (i ? "," : "") + std::to_string(i);
  return list + "]";
}

}  // namespace filter_json_test

using filter_json_test::check_all_refused;
using filter_json_test::Doc;
using filter_json_test::refusal;
using filter_json_test::world;

using ec = relata::error_code;

// --- refusals --------------------------------------------------------------------------------

TEST_CASE("filter json: unknown properties and operators are named", "[filter_json]") {
  check_all_refused({
      {R"({"where":{"agee":5}})",
       ec::invalid_filter,
       {"invalid filter: unknown property \"agee\" on model Customer"}},
      {R"({"where":{"or":[{"name":"Ada"},{"agee":{"gt":1}}]}})",
       ec::invalid_filter,
       {"unknown property \"agee\" on model Customer", "where.or[1]"}},
      {R"({"where":{"orders":{"some":{"totl":1}}}})",
       ec::invalid_filter,
       {"unknown property \"totl\" on model Order"}},
      {R"({"where":{"age":{"gtx":5}}})",
       ec::invalid_filter,
       {"unknown operator \"gtx\" on property Customer.age"}},
      {R"({"where":{"age":{"regexp":"^1"}}})",
       ec::invalid_filter,
       {"unknown operator \"regexp\" on property Customer.age"}},
      {R"({"where":{"orders":{"any":{}}}})",
       ec::invalid_filter,
       {"unknown relation quantifier \"any\""}},
      {R"({"where":{"orders":{"total":1}}})",
       ec::invalid_filter,
       {"where.orders: unknown relation quantifier \"total\" (some, none or every)"}},
      {R"({"where":{"orders":5}})",
       ec::invalid_filter,
       {"a condition on relation \"orders\" of model Customer is {\"some\": where}"}},
  });
}

TEST_CASE("filter json: operators on the wrong type of property", "[filter_json]") {
  check_all_refused({
      {R"({"where":{"age":{"like":"1%"}}})",
       ec::invalid_filter,
       {"where.age.like: like applies to text properties; Customer.age is integer"}},
      {R"({"where":{"age":{"nilike":"1%"}}})",
       ec::invalid_filter,
       {"nilike applies to text properties; Customer.age is integer"}},
      {R"({"where":{"total":{"ilike":"1%"}}})",
       ec::invalid_filter,
       {"ilike applies to text properties; Doc.total is real"},
       {},
       true},
      {R"({"where":{"account_ids":{"gt":1}}})",
       ec::invalid_filter,
       {"Customer.account_ids is array and can only be tested for null"}},
      {R"({"where":{"account_ids":{"between":[1,2]}}})",
       ec::invalid_filter,
       {"Customer.account_ids is array and can only be tested for null"}},
      {R"({"where":{"account_ids":[1,2]}})",
       ec::invalid_filter,
       {"Customer.account_ids", "can only be tested for null"}},
      {R"({"where":{"tags":{"lte":3}}})",
       ec::invalid_filter,
       {"Doc.tags is array and can only be tested for null"},
       {},
       true},
      {R"({"where":{"payload":{"gt":1}}})",
       ec::invalid_filter,
       {"Doc.payload", "can only be tested for null"},
       {},
       true},
      {R"({"where":{"payload":{"k":1}}})", ec::invalid_filter, {"Doc.payload"}, {}, true},
  });
}

TEST_CASE("filter json: values of the wrong type", "[filter_json]") {
  check_all_refused({
      {R"({"where":{"age":"old"}})",
       ec::invalid_filter,
       {"where.age: Customer.age expects an integer, got \"old\""}},
      {R"({"where":{"age":1.5}})", ec::invalid_filter, {"Customer.age expects an integer"}},
      {R"({"where":{"age":true}})", ec::invalid_filter, {"Customer.age expects an integer"}},
      {R"({"where":{"age":18446744073709551615}})",
       ec::invalid_filter,
       {"Customer.age expects a 64-bit integer"}},
      {R"({"where":{"name":5}})", ec::invalid_filter, {"Customer.name expects a string, got 5"}},
      {R"({"where":{"name":["Ada"]}})", ec::invalid_filter, {"Customer.name expects a string"}},
      {R"({"where":{"name":{"like":5}}})",
       ec::invalid_filter,
       {"where.name.like must be a string pattern"}},
      {R"({"where":{"age":{"inq":5}}})", ec::invalid_filter, {"where.age.inq must be an array"}},
      {R"({"where":{"age":{"nin":[1,"x"]}}})",
       ec::invalid_filter,
       {"where.age.nin[1]: Customer.age expects an integer, got \"x\""}},
      {R"({"where":{"age":{"between":[1]}}})",
       ec::invalid_filter,
       {"where.age.between must be an array of two values"}},
      {R"({"where":{"age":{"between":[1,"z"]}}})", ec::invalid_filter, {"where.age.between[1]"}},
      {R"({"where":{"age":{"exists":"yes"}}})",
       ec::invalid_filter,
       {"where.age.exists must be true or false"}},
      {R"({"where":{"flag":1}})", ec::invalid_filter, {"Doc.flag expects true or false"}, {}, true},
      {R"({"where":{"total":"1.5"}})",
       ec::invalid_filter,
       {"Doc.total expects a number"},
       {},
       true},
      {R"({"where":{"at":"yesterday"}})",
       ec::invalid_filter,
       {"Doc.at expects an ISO-8601 time string"},
       {},
       true},
      {R"({"where":{"at":"2024-01-01'; DROP TABLE \"Doc\"; --"}})",
       ec::invalid_filter,
       {"Doc.at expects an ISO-8601 time string"},
       {},
       true},
      {R"({"where":{"bytes":"not base64!"}})",
       ec::invalid_filter,
       {"Doc.bytes expects a base64 string"},
       {},
       true},
      {R"({"where":{"and":{"name":"Ada"}}})",
       ec::invalid_filter,
       {"where.and must be an array of conditions"}},
      {R"({"where":[{"name":"Ada"}]})", ec::invalid_filter, {"where must be an object"}},
      {R"({"where":"name = 'Ada'"})", ec::invalid_filter, {"where must be an object"}},
  });
}

TEST_CASE("filter json: SQL in property names, operators and order strings is refused",
          "[filter_json][hostile]") {
  check_all_refused({
      {R"({"where":{"name; DROP TABLE \"Customer\"; --":"x"}})",
       ec::invalid_filter,
       {"unknown property \"name; DROP TABLE \"Customer\"; --\" on model Customer"}},
      {R"({"where":{"name\" OR 1=1 --":"x"}})",
       ec::invalid_filter,
       {"unknown property \"name\" OR 1=1 --\" on model Customer"}},
      {R"({"where":{"age":{"gt; DELETE FROM \"Customer\"":1}}})",
       ec::invalid_filter,
       {"unknown operator \"gt; DELETE FROM \"Customer\"\""}},
      {R"({"order":"name; DROP TABLE \"Customer\""})",
       ec::invalid_filter,
       {"order: \"name; DROP TABLE \"Customer\"\" is not of the form \"property [ASC|DESC]\""}},
      {R"({"order":"name) --"})", ec::invalid_filter, {"unknown property \"name)\""}},
      {R"({"order":["name ASC","age DESC; DROP TABLE \"Customer\""]})",
       ec::invalid_filter,
       {"order[1]", "is not of the form"}},
      {R"({"order":"name ASC, age DESC"})", ec::invalid_filter, {"is not of the form"}},
      {R"({"order":"(SELECT 1) DESC"})", ec::invalid_filter, {"is not of the form"}},
      {R"({"order":"(SELECT DESC"})", ec::invalid_filter, {"unknown property \"(SELECT\""}},
      {R"x({"fields":["name, (SELECT 1)"]})x",
       ec::invalid_filter,
       {"unknown property \"name, (SELECT 1)\" on model Customer"}},
      {R"({"include":["orders; DROP TABLE \"Order\""]})",
       ec::invalid_inclusion_filter,
       {"\"orders; DROP TABLE \"Order\"\" (model Customer has no such relation)"}},
  });
}

TEST_CASE("filter json: bad order terms and directions", "[filter_json]") {
  check_all_refused({
      {R"({"order":"name DESCENDING"})",
       ec::invalid_filter,
       {"\"name DESCENDING\" is not of the form \"property [ASC|DESC]\""}},
      {R"({"order":"name SIDEWAYS"})", ec::invalid_filter, {"is not of the form"}},
      {R"({"order":"name ASC DESC"})", ec::invalid_filter, {"is not of the form"}},
      {R"({"order":""})", ec::invalid_filter, {"is not of the form"}},
      {R"({"order":"agee ASC"})",
       ec::invalid_filter,
       {"order: unknown property \"agee\" on model Customer"}},
      {R"({"order":"orders DESC"})", ec::invalid_filter, {"unknown property \"orders\""}},
      {R"({"order":5})", ec::invalid_filter, {"order must be a string"}},
      {R"({"order":[["name"]]})", ec::invalid_filter, {"order[0] must be a string"}},
      {R"({"order":{"name":"ASC"}})", ec::invalid_filter, {"order must be a string"}},
  });
}

TEST_CASE("filter json: negative, fractional or string limit, skip and offset", "[filter_json]") {
  check_all_refused({
      {R"({"limit":-1})", ec::invalid_filter, {"limit must be a non-negative integer, got -1"}},
      {R"({"limit":"10"})",
       ec::invalid_filter,
       {"limit must be a non-negative integer, got \"10\""}},
      {R"({"limit":1.5})", ec::invalid_filter, {"limit must be a non-negative integer, got 1.5"}},
      {R"({"limit":null})", ec::invalid_filter, {"limit must be a non-negative integer"}},
      {R"({"skip":-5})", ec::invalid_filter, {"skip must be a non-negative integer, got -5"}},
      {R"({"skip":"1; DROP TABLE x"})", ec::invalid_filter, {"skip must be a non-negative"}},
      {R"({"offset":"a"})", ec::invalid_filter, {"offset must be a non-negative integer"}},
      {R"({"include":[{"relation":"orders","scope":{"limit":-2}}]})",
       ec::invalid_filter,
       {"orders.limit must be a non-negative integer, got -2"}},
  });
}

TEST_CASE(
    "filter json: limit, skip or offset past 2^63 - 1 is refused naming the key and the bound",
    "[filter_json][regression]") {
  check_all_refused({
      {R"({"limit":9223372036854775808})",
       ec::invalid_filter,
       {"limit is 9223372036854775808", "at most 9223372036854775807"}},
      {R"({"skip":18446744073709551615})", ec::invalid_filter, {"skip is 18446744073709551615"}},
      {R"({"offset":9223372036854775808})", ec::invalid_filter, {"offset is 9223372036854775808"}},
      {R"({"include":[{"relation":"orders","scope":{"skip":9223372036854775808}}]})",
       ec::invalid_filter,
       {"skip is 9223372036854775808"}},
  });
  world w;
  CHECK(w.customers.find(relata::filter<Customer>::from_json(R"({"limit":9223372036854775807})"))
            .size() == 5);
  CHECK(w.customers.find(relata::filter<Customer>::from_json(R"({"skip":9223372036854775807})"))
            .empty());
}

TEST_CASE("filter json: ordering by an array or a JSON document is refused with the DSL's message",
          "[filter_json][regression]") {
  check_all_refused({
      {R"({"order":"tags ASC"})",
       ec::invalid_filter,
       {"order: cannot order by Doc.tags", "arrays and JSON documents can only be tested for null"},
       {},
       true},
      {R"({"order":["total DESC", "payload"]})",
       ec::invalid_filter,
       {"order[1]: cannot order by Doc.payload"},
       {},
       true},
  });
}

TEST_CASE(
    "filter json: a like pattern ending in a lone backslash is refused for every like "
    "operator",
    "[filter_json][like][regression]") {
  for (const std::string op : {"like", "nlike", "ilike", "nilike"}) {
    check_all_refused({
        {R"({"where":{"name":{")" + op + R"(":"Ada\\"}}})",
         ec::invalid_filter,
         {"like pattern for Customer.name ends with a lone \\"}},
    });
  }
  world w;
  CHECK(w.customers
            .find(relata::filter<Customer>::from_json(R"({"where":{"name":{"like":"Ada\\\\"}}})"))
            .empty());
}

TEST_CASE("filter json: unknown keys, bad fields, text that is not a filter", "[filter_json]") {
  check_all_refused({
      {R"({"wher":{"age":1}})", ec::invalid_filter, {"unknown filter key \"wher\""}},
      {R"({"where":{},"sql":"DROP TABLE \"Customer\""})",
       ec::invalid_filter,
       {"unknown filter key \"sql\""}},
      {R"({"include":[{"relation":"orders","scope":{"limt":1}}]})",
       ec::invalid_filter,
       {"unknown filter key \"limt\" in orders"}},
      {R"({"fields":{"orders":true}})",
       ec::invalid_filter,
       {"unknown property \"orders\" on model Customer (it is a relation: use include)"}},
      {R"({"fields":["nam"]})", ec::invalid_filter, {"unknown property \"nam\" on model Customer"}},
      {R"({"fields":{"name":"yes"}})", ec::invalid_filter, {"fields.name must be true or false"}},
      {R"({"fields":[1]})", ec::invalid_filter, {"fields must list property names"}},
      {R"({"fields":"name"})", ec::invalid_filter, {"fields must be an object"}},
      {R"({"where":)", ec::invalid_filter, {"the filter is not valid JSON"}},
      {R"({"where":{"name":"Ada"}} trailing)", ec::invalid_filter, {"not valid JSON"}},
      {"", ec::invalid_filter, {"not valid JSON"}},
      {R"([1,2])", ec::invalid_filter, {"filter must be an object"}},
      {R"("where")", ec::invalid_filter, {"filter must be an object"}},
      {R"({"include":[{"relation":"orders","scop":{}}]})",
       ec::invalid_filter,
       {"include: unknown key \"scop\""}},
      {R"({"include":[{"scope":{}}]})", ec::invalid_filter, {"an entry object needs \"relation\""}},
      {R"({"include":[5]})", ec::invalid_filter, {"include entries are relation names"}},
  });
}

TEST_CASE("filter json: nesting deeper than max_depth is refused; at the limit it is accepted",
          "[filter_json][limits]") {
  using filter_json_test::nested_and;
  world w;
  CHECK(w.ids(relata::filter<Customer>::from_json(nested_and(12))).empty());  // age = 1: no one
  CHECK(w.ids(relata::filter<Customer>::from_json(nlohmann::json::parse(nested_and(12)))) ==
        std::vector<std::int64_t>{});
  filter_json_test::check_refused(
      w, {nested_and(13), ec::invalid_filter, {"nests deeper than 12 levels"}});
  // the same from an already parsed document
  CHECK_THROWS_WITH(relata::filter<Customer>::from_json(nlohmann::json::parse(nested_and(13))),
                    Catch::Contains("nests deeper than 12 levels"));
  filter_json_test::check_refused(
      w, {nested_and(3), ec::invalid_filter, {"nests deeper than 2 levels"}, {.max_depth = 2}});
  CHECK_NOTHROW(relata::filter<Customer>::from_json(nested_and(2), {.max_depth = 2}));
  // relation conditions nest too
  filter_json_test::check_refused(
      w,
      {R"({"where":{"orders":{"some":{"customer":{"some":{"name":"Ada"}}}}}})",
       ec::invalid_filter,
       {"nests deeper than 1 levels"},
       {.max_depth = 1}});
  // JSON text nested deeper than any filter can be is refused before it is parsed
  const std::string deep =
      R"({"where":{"name":)" + std::string(5000, '[') + std::string(5000, ']') + "}}";
  filter_json_test::check_refused(
      w, {deep, ec::invalid_filter, {"the filter nests 5002 levels deep; the limit is 40"}});
  // brackets inside strings do not count
  CHECK(w.ids(relata::filter<Customer>::from_json(R"({"where":{"name":")" + std::string(100, '[') +
                                                  R"("}})"))
            .empty());
}

TEST_CASE("filter json: lists longer than max_list_size are refused", "[filter_json][limits]") {
  using filter_json_test::long_list;
  world w;
  CHECK(w.ids(relata::filter<Customer>::from_json(R"({"where":{"age":{"inq":)" + long_list(1000) +
                                                  "}}}")) == std::vector<std::int64_t>{1, 3, 4, 5});
  check_all_refused({
      {R"({"where":{"age":{"inq":)" + long_list(1001) + "}}}",
       ec::invalid_filter,
       {"where.age.inq has 1001 elements; the limit is 1000"}},
      {R"({"where":{"age":{"nin":[1,2,3,4]}}})",
       ec::invalid_filter,
       {"where.age.nin has 4 elements; the limit is 3"},
       {.max_list_size = 3}},
      {R"({"where":{"or":[{"age":1},{"age":2},{"age":3},{"age":4}]}})",
       ec::invalid_filter,
       {"where.or has 4 elements; the limit is 3"},
       {.max_list_size = 3}},
      {R"({"order":["name","age","id","parent_id"]})",
       ec::invalid_filter,
       {"order has 4 elements; the limit is 3"},
       {.max_list_size = 3}},
      {R"({"fields":["name","age","id","parent_id"]})",
       ec::invalid_filter,
       {"fields has 4 elements; the limit is 3"},
       {.max_list_size = 3}},
  });
}

TEST_CASE("filter json: text longer than max_text_size is refused", "[filter_json][limits]") {
  const std::string filter = R"({"where":{"name":"Ada"}})";  // 24 bytes
  REQUIRE(filter.size() == 24);
  world w;
  CHECK(w.ids(relata::filter<Customer>::from_json(filter, {.max_text_size = 24})) ==
        std::vector<std::int64_t>{1});
  filter_json_test::check_refused(w,
                                  {filter,
                                   ec::invalid_filter,
                                   {"the filter is 24 bytes; the limit is 23"},
                                   {.max_text_size = 23}});
  const std::string big = R"({"where":{"name":")" + std::string(70000, 'x') + R"("}})";
  filter_json_test::check_refused(
      w, {big, ec::invalid_filter, {"the filter is 70021 bytes; the limit is 65536"}});
}

TEST_CASE("filter json: more conditions than max_conditions are refused", "[filter_json][limits]") {
  std::string many = R"({"where":{"or":[)";
  for (int i = 0; i < 501; ++i)
    many += std::string(i ? "," : "") + R"({"age":)" + std::to_string(i) + "}";
  many += "]}}";
  check_all_refused({
      {many, ec::invalid_filter, {"the filter has more than 500 conditions"}},
      {R"({"where":{"name":"a","age":1,"parent_id":2,"id":3}})",
       ec::invalid_filter,
       {"the filter has more than 3 conditions"},
       {.max_conditions = 3}},
      {R"({"where":{"age":{"gt":1,"lt":5,"neq":3,"exists":true}}})",
       ec::invalid_filter,
       {"the filter has more than 3 conditions"},
       {.max_conditions = 3}},
      {R"({"include":[{"relation":"orders","scope":{"where":{"total":1,"id":2}}}],
          "where":{"name":"a","age":1}})",
       ec::invalid_filter,
       {"the filter has more than 3 conditions"},
       {.max_conditions = 3}},
  });
  world w;
  CHECK_NOTHROW(relata::filter<Customer>::from_json(
      R"({"where":{"name":"a","age":1,"parent_id":2}})", {.max_conditions = 3}));
}

TEST_CASE("filter json: every unknown include is listed in one invalid_inclusion_filter",
          "[filter_json][include]") {
  check_all_refused({
      {R"({"include":["orders","ordres",{"relation":"adress"},
                      {"relation":"orders","scope":{"include":["itemz","customer","custmer"]}}]})",
       ec::invalid_inclusion_filter,
       {"INVALID_INCLUSION_FILTER: invalid include: unknown relations ",
        "\"ordres\" (model Customer has no such relation)",
        "\"adress\" (model Customer has no such relation)",
        "\"orders.itemz\" (model Order has no such relation)",
        "\"orders.custmer\" (model Order has no such relation)"}},
      {R"({"include":"ordres"})",
       ec::invalid_inclusion_filter,
       {"invalid include: unknown relation \"ordres\" (model Customer has no such relation)"}},
      {R"({"include":["name"]})",
       ec::invalid_inclusion_filter,
       {"\"name\" (model Customer has no such relation)"}},
  });
}

TEST_CASE("filter json: an unknown include from the C++ DSL is refused the same way",
          "[filter_json][include]") {
  world w;
  try {
    (void)w.customers.find({.include = {"orders", "ordres", "adress"}});
    FAIL("expected invalid_inclusion_filter");
  } catch (const relata::invalid_inclusion_filter& e) {
    CHECK(e.code() == ec::invalid_inclusion_filter);
    CHECK_THAT(e.what(),
               Catch::Contains("unknown relations") && Catch::Contains("\"ordres\"") &&
                   Catch::Contains("\"adress\"") && !Catch::Contains("\"orders\""));
  }
}

TEST_CASE("filter json: include nesting deeper than max_include_depth is refused",
          "[filter_json][include][limits]") {
  using filter_json_test::nested_include;
  world w;
  // four levels are accepted
  const auto four = w.customers.find(relata::filter<Customer>::from_json(nested_include(4)));
  REQUIRE(four.size() == 5);
  REQUIRE(four[0].orders.size() == 2);
  CHECK(four[0].orders[0].customer->orders.size() == 2);
  filter_json_test::check_refused(
      w,
      {nested_include(5),
       ec::invalid_filter,
       {"orders.customer.orders.customer.include nests deeper than 4 levels"}});
  filter_json_test::check_refused(w,
                                  {nested_include(2),
                                   ec::invalid_filter,
                                   {"nests deeper than 1 levels"},
                                   {.max_include_depth = 1}});
  filter_json_test::check_refused(w,
                                  {R"({"include":["orders","address","parent"]})",
                                   ec::invalid_filter,
                                   {"the filter has more than 2 includes"},
                                   {.max_includes = 2}});
}

// --- hostile values are bound ----------------------------------------------------------------

TEST_CASE("filter json: SQL in values is bound as data: no match, nothing dropped",
          "[filter_json][hostile]") {
  world w;
  const auto before = w.snapshot();
  const std::vector<std::string> harmless{
      R"({"where":{"name":"x'; DROP TABLE \"Customer\"; --"}})",
      R"({"where":{"name":{"neq":"x'; DELETE FROM \"Order\"; --"},"age":{"lt":0}}})",
      R"({"where":{"name":{"like":"%' OR '1'='1"}}})",
      R"({"where":{"name":{"ilike":"%\" OR 1=1 --"}}})",
      R"({"where":{"name":{"inq":["a' OR 'a'='a", "\"); DROP TABLE \"Order\"; --"]}}})",
      R"({"where":{"or":[{"name":"' OR 1=1 --"},{"name":{"like":"'; VACUUM; --%"}}]}})",
      R"({"where":{"orders":{"some":{"description":"x') OR ('1'='1"}}}})",
  };
  for (const auto& text : harmless) {
    INFO(text);
    CHECK(w.ids(relata::filter<Customer>::from_json(text)).empty());
    CHECK(w.customers.count(
              relata::where<Customer>::from_json(nlohmann::json::parse(text)["where"])) == 0);
  }
  CHECK(w.snapshot() == before);
  CHECK(w.customers.count() == 5);
  CHECK(w.orders.count() == 3);

  // a stored value that looks like SQL is found exactly, as text
  CHECK(w.ids(relata::filter<Customer>::from_json(nlohmann::json{
            {"where", {{"name", filter_json_test::injection}}}})) == std::vector<std::int64_t>{5});
  CHECK(w.ids(relata::filter<Customer>::from_json(
            R"({"where":{"name":{"like":"Robert'); DROP%"}}})")) == std::vector<std::int64_t>{5});
  CHECK(w.customers.count() == 5);
}

// --- JSON and the DSL agree ------------------------------------------------------------------

namespace {

struct equivalent {
  std::string json;
  relata::filter<Customer> dsl;
  std::vector<std::int64_t> expected;
};

}  // namespace

TEST_CASE("filter json: JSON filters and DSL filters return the same rows", "[filter_json]") {
  using relata::asc;
  using relata::desc;
  world w;
  const std::vector<equivalent> cases{
      {R"({"where":{"age":{"gte":18}}})", {.where = col(&Customer::age) >= 18}, {1, 4, 5}},
      {R"({"where":{"or":[{"name":"Bob"},{"age":{"lt":18}}]}})",
       {.where = col(&Customer::name) == "Bob" || col(&Customer::age) < 18},
       {2, 3}},
      {R"({"where":{"age":null}})", {.where = col(&Customer::age) == std::nullopt}, {2}},
      {R"({"where":{"age":{"eq":null}}})", {.where = col(&Customer::age).is_null()}, {2}},
      {R"({"where":{"age":{"neq":null}}})",
       {.where = col(&Customer::age).is_not_null()},
       {1, 3, 4, 5}},
      {R"({"where":{"age":{"exists":false}}})", {.where = col(&Customer::age).exists(false)}, {2}},
      {R"({"where":{"age":{"neq":36}}})", {.where = col(&Customer::age) != 36}, {3, 4, 5}},
      {R"({"where":{"age":{"nin":[36,60]}}})",
       {.where = col(&Customer::age).not_in({36, 60})},
       {3, 5}},
      {R"({"where":{"age":{"inq":[]}}})", {.where = col(&Customer::age).in({})}, {}},
      {R"({"where":{"age":{"nin":[]}}})",
       {.where = col(&Customer::age).not_in({})},
       {1, 2, 3, 4, 5}},
      {R"({"where":{"name":{"nlike":"B%"}},"order":["age DESC","name ASC"],"limit":2,"skip":1})",
       {.where = col(&Customer::name).not_like("B%"),
        .order = {desc(&Customer::age), asc(&Customer::name)},
        .limit = 2,
        .skip = 1},
       {1, 5}},
      {R"({"where":{"age":{"between":[17,36]}},"order":"name DESC"})",
       {.where = col(&Customer::age).between(17, 36), .order = {desc(&Customer::name)}},
       {5, 3, 1}},
      {R"({"where":{"name":{"ilike":"%E%"}}})",
       {.where = col(&Customer::name).ilike("%E%")},
       {4, 5}},
      {R"({"where":{"and":[]}})", {.where = relata::always<Customer>()}, {1, 2, 3, 4, 5}},
      {R"({"where":{}})", {}, {1, 2, 3, 4, 5}},
      {R"({"where":{"or":[]}})", {.where = col(&Customer::id).in({})}, {}},
      {R"({"where":{"or":[{},{"age":1}]}})", {.where = relata::where<Customer>{}}, {1, 2, 3, 4, 5}},
      {R"({"where":{"and":[{},{"age":{"gt":30}}]}})", {.where = col(&Customer::age) > 30}, {1, 4}},
      {R"({"where":{"name":"Ada","age":36}})",
       {.where = col(&Customer::name) == "Ada" && col(&Customer::age) == 36},
       {1}},
      {R"({"where":{"age":{"gt":10,"lt":40}}})",
       {.where = col(&Customer::age) > 10 && col(&Customer::age) < 40},
       {1, 3, 5}},
      {R"({"where":{"and":[{"or":[{"age":17},{"age":60}]},{"or":[{"name":"Cy"},{"name":"Dee"}]}]}})",
       {.where = (col(&Customer::age) == 17 || col(&Customer::age) == 60) &&
                 (col(&Customer::name) == "Cy" || col(&Customer::name) == "Dee")},
       {3, 4}},
      {R"({"where":{"orders":{"some":{"total":{"gt":2}}}}})",
       {.where = relata::some(&Customer::orders, col(&Order::total) > 2.0)},
       {1, 4}},
      {R"({"where":{"orders":{"none":{}}}})",
       {.where = relata::none(&Customer::orders)},
       {2, 3, 5}},
      {R"({"where":{"orders":{"every":{"total":{"gt":2}}}}})",
       {.where = relata::every(&Customer::orders, col(&Order::total) > 2.0)},
       {2, 3, 4, 5}},
      {R"({"where":{"parent_id":1}})", {.where = col(&Customer::parent_id) == 1}, {3}},
      {R"({"where":{"id":3}})", {.where = col(&Customer::id) == 3}, {3}},
      {R"({"where":{"account_ids":{"exists":true}}})",
       {.where = col(&Customer::account_ids).is_not_null()},
       {1, 2, 3, 4, 5}},
      {R"({"fields":{"name":true}})", {.fields = relata::only(&Customer::name)}, {0, 0, 0, 0, 0}},
      {R"({"fields":{"age":false}})", {.fields = relata::except(&Customer::age)}, {1, 2, 3, 4, 5}},
      {R"({"fields":["id","age"]})",
       {.fields = relata::only(&Customer::id, &Customer::age)},
       {1, 2, 3, 4, 5}},
      {R"({"offset":3})", {.skip = 3}, {4, 5}},
      {R"({"limit":0})", {.limit = 0}, {}},
      {R"({"order":"age"})", {.order = {asc(&Customer::age)}}, {2, 3, 5, 1, 4}},
      {R"({"order":["name desc"]})", {.order = {desc(&Customer::name)}}, {5, 4, 3, 2, 1}},
      {R"({"order":"  age   DESC "})", {.order = {desc(&Customer::age)}}, {4, 1, 5, 3, 2}},
      {R"({"where":{"id":{"inq":[1,4]}},
           "include":[{"relation":"orders","scope":{"order":["total DESC"],"limit":1}}]})",
       {.where = col(&Customer::id).in({1, 4}),
        .include = {relata::include(&Customer::orders,
                                    {.order = {desc(&Order::total)}, .limit = 1})}},
       {1, 4}},
      {R"({"include":["parent",{"relation":"children"}]})",
       {.include = {"parent", "children"}},
       {1, 2, 3, 4, 5}},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    const auto from_json = w.customers.find(relata::filter<Customer>::from_json(c.json));
    const auto from_dsl = w.customers.find(c.dsl);
    std::vector<std::int64_t> ids;
    for (const auto& e : from_json) ids.push_back(e.id);
    CHECK(ids == c.expected);
    CHECK(nlohmann::json(from_json) == nlohmann::json(from_dsl));
  }
}

TEST_CASE("filter json: where<M>::from_json builds the same condition as the DSL",
          "[filter_json]") {
  world w;
  CHECK(w.customers.count(relata::where<Customer>::from_json(R"({"age":{"gte":18}})")) == 3);
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            nlohmann::json{{"name", {{"inq", {"Ada", "Bob"}}}}})) == 2);
  CHECK(w.customers.count(relata::where<Customer>::from_json("{}")) == 5);
  CHECK_THROWS_AS(relata::where<Customer>::from_json(R"({"agee":1})"), relata::invalid_filter);
  CHECK_THROWS_WITH(relata::where<Customer>::from_json(R"({"where":{"age":1}})"),
                    Catch::Contains("unknown property \"where\" on model Customer"));
  // JSON documents are tested for NULL with the null operators
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"payload":null})")) == 1);
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"payload":{"neq":null}})")) == 1);
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"payload":{"exists":true}})")) == 1);
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"tags":{"exists":true}})")) == 2);
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"total":{"gt":1}})")) == 1);
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"flag":false})")) == 2);
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"at":"1970-01-01T00:00:00Z"})")) == 2);
  CHECK(w.docs.count(relata::where<Doc>::from_json(R"({"bytes":""})")) == 2);
}
