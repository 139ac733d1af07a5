// Hostile input at every entry point, on every connector: each is refused with a relata error
// of the expected code (never another exception, never a crash), its message names the culprit
// and stays short, and the data is untouched. Filter JSON has its own table (filter_json.cpp);
// here are the other entry points (changes, models and entities from JSON, JSON properties
// written) and the inputs that reach a database.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"
#include "support/fixtures.hpp"

using fixtures::Customer;
using fixtures::Order;
using relata::error_code;

namespace hostile_input_test {

/// A model with a JSON property.
struct Note {
  RELATA_MODEL(Note,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::optional<nlohmann::json>, payload));
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<Note> notes{*db};

  world() {
    fixtures::migrate_all(*db);
    relata::migrate<Note>(*db);
    auto ada = customers.create({.name = "Ada", .age = 36});
    customers.create({.name = "Bob"});
    customers.orders(ada.id).create({.description = "pens", .total = 3.5});
    notes.create({.text = "first", .payload = nlohmann::json{{"k", 1}}});
  }

  /// Everything stored, as JSON: compared before and after each refusal.
  nlohmann::json snapshot() const {
    return nlohmann::json{
        {"customers", customers.find()}, {"orders", orders.find()}, {"notes", notes.find()}};
  }
};

/// One hostile input at one entry point.
struct attack {
  std::string name;
  std::function<void(world&)> run;
  error_code code;
  std::vector<std::string> fragments;  ///< each must appear in what()
};

/// Messages echo input only in part: this much, and a little more for the text around it.
constexpr std::size_t longest_message = 1000;

void check_refused(world& w, const attack& a) {
  INFO("attack: " << a.name);
  const auto before = w.snapshot();
  try {
    a.run(w);
    FAIL("expected " << relata::to_string(a.code));
  } catch (const relata::error& e) {
    const std::string what = e.what();
    INFO("what(): " << what.substr(0, 2 * longest_message));
    CHECK(e.code() == a.code);
    for (const auto& fragment : a.fragments) CHECK_THAT(what, Catch::Contains(fragment));
    CHECK(what.size() <= longest_message);
  } catch (const std::exception& e) {
    FAIL("a foreign exception escaped: " << e.what());
  }
  CHECK(w.snapshot() == before);
}

void check_all_refused(const std::vector<attack>& attacks) {
  world w;
  for (const auto& a : attacks) check_refused(w, a);
}

/// `levels` arrays nested in each other, as text: [[[...]]].
std::string nested_arrays(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

/// A customer whose children nest `levels` deep, as text.
std::string nested_customers(std::size_t levels) {
  std::string text;
  for (std::size_t i = 0; i < levels; ++i) text += R"({"name":"c","children":[)";
  text += R"({"name":"leaf"})";
  for (std::size_t i = 0; i < levels; ++i) text += "]}";
  return text;
}

/// What a JSON document too deep is refused with.
const std::string too_deep = "the JSON document nests deeper than 256 levels";

}  // namespace hostile_input_test

using hostile_input_test::attack;
using hostile_input_test::check_all_refused;
using hostile_input_test::nested_arrays;
using hostile_input_test::nested_customers;
using hostile_input_test::Note;
using hostile_input_test::too_deep;
using hostile_input_test::world;
using ec = relata::error_code;

TEST_CASE("hostile input: JSON nested 100,000 levels deep is refused, not a stack overflow",
          "[hostile][json]") {
  const std::string deep_changes = R"({"payload":)" + nested_arrays(100000) + "}";
  const std::string deep_customer = nested_customers(20000);
  check_all_refused({
      {"changes from text",
       [&](world&) { (void)relata::changes<Note>::from_json(deep_changes); },
       ec::invalid_data,
       {"changes of model Note: ", too_deep}},
      {"changes from a parsed document",
       [&](world&) { (void)relata::changes<Note>::from_json(nlohmann::json::parse(deep_changes)); },
       ec::invalid_data,
       {"changes of model Note: ", too_deep}},
      {"a model from a parsed document",
       [&](world&) { (void)nlohmann::json::parse(deep_customer).get<Customer>(); },
       ec::invalid_data,
       {"model Customer: ", too_deep}},
      {"entities from a parsed document",
       [&](world&) {
         (void)nlohmann::json::parse("[" + deep_customer + "]").get<relata::entities<Customer>>();
       },
       ec::invalid_data,
       {"entities of model Customer: ", too_deep}},
      {"a JSON property written",
       [&](world& w) {
         Note note{.text = "deep"};
         note.payload = nlohmann::json::parse(nested_arrays(100000));
         w.notes.create(std::move(note));
       },
       ec::invalid_data,
       {"property payload of model Note: ", too_deep}},
      {"a filter from a parsed document",
       [&](world& w) {
         (void)w.customers.find(relata::filter<Customer>::from_json(
             nlohmann::json::parse(R"({"where":{"name":)" + nested_arrays(100000) + "}}")));
       },
       ec::invalid_filter,
       {"the filter nests more than 40 levels deep"}},
  });
}

TEST_CASE("hostile input: JSON text longer than max_json_text_size is refused before parsing",
          "[hostile][json]") {
  const std::string huge = R"({"text":")" + std::string(relata::max_json_text_size, 'x') + "\"}";
  check_all_refused({
      {"changes from text",
       [&](world&) { (void)relata::changes<Note>::from_json(huge); },
       ec::invalid_data,
       {"changes of model Note: the text is 16777227 bytes; the limit is 16777216"}},
  });
}

TEST_CASE("hostile input: JSON within the depth bound is stored and read back", "[hostile][json]") {
  world w;
  const auto deepest = nlohmann::json::parse(nested_arrays(relata::max_json_depth));
  auto note = w.notes.create({.text = "deep", .payload = deepest});
  CHECK(w.notes.find_by_id(note.id).payload == deepest);
  const auto changes = relata::changes<Note>::from_json(
      R"({"payload":)" + nested_arrays(relata::max_json_depth - 1) + "}");
  CHECK(w.notes.update_all(changes, relata::col(&Note::id) == note.id) == 1);
  const auto customer = nlohmann::json::parse(nested_customers(100)).get<Customer>();
  CHECK(customer.children.size() == 1);
}

TEST_CASE("hostile input: text that is not UTF-8 in a parsed document is refused by relata",
          "[hostile][json][utf8]") {
  const std::string bad = "caf\xc3";  // a cut sequence; JSON text cannot hold it, a document can
  const nlohmann::json name{{"name", bad}};
  const nlohmann::json payload{{"payload", {{"k", bad}}}};
  const nlohmann::json key{{bad, 1}};
  const nlohmann::json age{{"age", bad}};
  check_all_refused({
      {"a filter's value",
       [&](world& w) {
         (void)w.customers.find(
             relata::filter<Customer>::from_json(nlohmann::json{{"where", name}}));
       },
       ec::invalid_filter,
       {"where.name: Customer.name expects UTF-8 text, got "
        "\"caf\xef\xbf\xbd\""}},
      {"a filter's like pattern",
       [&](world& w) {
         (void)w.customers.count(
             relata::where<Customer>::from_json(nlohmann::json{{"name", {{"like", bad + "%"}}}}));
       },
       ec::invalid_filter,
       {"where.name.like must be UTF-8 text"}},
      {"a where's value of the wrong type",
       [&](world& w) { (void)w.customers.count(relata::where<Customer>::from_json(age)); },
       ec::invalid_filter,
       {"expects an integer, got \"caf\xef\xbf\xbd\""}},
      {"a filter's key",
       [&](world& w) { (void)w.customers.count(relata::where<Customer>::from_json(key)); },
       ec::invalid_filter,
       {"unknown property"}},
      {"changes' text value",
       [&](world&) { (void)relata::changes<Customer>::from_json(name); },
       ec::invalid_data,
       {"property name of model Customer: expected UTF-8 text"}},
      {"changes' JSON property",
       [&](world&) { (void)relata::changes<Note>::from_json(payload); },
       ec::invalid_data,
       {"property payload of model Note: the JSON document holds text that is not valid UTF-8"}},
      {"changes' value of the wrong type",
       [&](world&) { (void)relata::changes<Customer>::from_json(age); },
       ec::invalid_data,
       {"property age of model Customer: expected an integer"}},
      {"a model",
       [&](world&) { (void)name.get<Customer>(); },
       ec::invalid_data,
       {"property name of model Customer: expected UTF-8 text"}},
      {"a model's JSON property",
       [&](world&) { (void)payload.get<Note>(); },
       ec::invalid_data,
       {"property payload of model Note: the JSON document holds text that is not valid UTF-8"}},
      {"entities",
       [&](world&) { (void)nlohmann::json::array({name}).get<relata::entities<Customer>>(); },
       ec::invalid_data,
       {"entities of model Customer, element 0: property name of model Customer"}},
      {"a JSON property written",
       [&](world& w) {
         w.notes.create({.text = "x", .payload = nlohmann::json{{"k", bad}}});
       },
       ec::invalid_data,
       {"property payload of model Note: the JSON document holds text that is not valid UTF-8"}},
      {"a JSON property changed",
       [&](world& w) {
         w.notes.update_all({{&Note::payload, std::optional<nlohmann::json>(nlohmann::json(bad))}});
       },
       ec::invalid_data,
       {"property payload of model Note: the JSON document holds text that is not valid UTF-8"}},
      {"an entity written out as JSON text",
       [&](world&) { (void)relata::dump_json(Customer{.name = bad}); },
       ec::invalid_data,
       {"the JSON of model Customer holds text that is not valid UTF-8"}},
  });
}

TEST_CASE("hostile input: a megabyte name or value is echoed in part, naming what it is",
          "[hostile][messages]") {
  const std::string huge(1 << 20, 'n');
  const std::string cut = "... (1048576 bytes)";
  auto where = [](const nlohmann::json& w) { return nlohmann::json{{"where", w}}; };
  auto find = [](world& w, const nlohmann::json& filter) {
    (void)w.customers.find(relata::filter<Customer>::from_json(filter));
  };
  check_all_refused({
      {"a filter key",
       [&](world& w) {
         find(w, {{huge, 1}});
       },
       ec::invalid_filter,
       {"unknown filter key \"nnnn", cut}},
      {"a property",
       [&](world& w) {
         find(w, where({{huge, 1}}));
       },
       ec::invalid_filter,
       {"unknown property \"nnnn", cut + "\" on model Customer"}},
      {"an operator",
       [&](world& w) {
         find(w, where({{"age", {{huge, 1}}}}));
       },
       ec::invalid_filter,
       {"unknown operator \"nnnn", cut + "\" on property Customer.age"}},
      {"a relation quantifier",
       [&](world& w) {
         find(w, where({{"orders", {{huge, nlohmann::json::object()}}}}));
       },
       ec::invalid_filter,
       {"unknown relation quantifier \"nnnn", cut}},
      {"a value of the wrong type",
       [&](world& w) {
         find(w, where({{"age", huge}}));
       },
       ec::invalid_filter,
       {"Customer.age expects an integer, got \"nnnn", cut}},
      {"an order",
       [&](world& w) {
         find(w, {{"order", huge}});
       },
       ec::invalid_filter,
       {"order: unknown property \"nnnn", cut}},
      {"an order of many words",
       [&](world& w) {
         find(w, {{"order", huge + " " + huge + " ASC"}});
       },
       ec::invalid_filter,
       {"is not of the form"}},
      {"a field",
       [&](world& w) {
         find(w, {{"fields", {huge}}});
       },
       ec::invalid_filter,
       {"fields: unknown property \"nnnn", cut}},
      {"a field's flag",
       [&](world& w) {
         find(w, {{"fields", {{huge, 1}}}});
       },
       ec::invalid_filter,
       {"must be true or false"}},
      {"an include",
       [&](world& w) {
         find(w, {{"include", huge}});
       },
       ec::invalid_inclusion_filter,
       {"unknown relation \"nnnn", cut + "\" (model Customer has no such relation)"}},
      {"an include's key",
       [&](world& w) {
         find(w, {{"include", {{{"relation", "orders"}, {huge, 1}}}}});
       },
       ec::invalid_filter,
       {"include: unknown key \"nnnn", cut}},
      {"a changes property",
       [&](world&) {
         (void)relata::changes<Customer>::from_json(nlohmann::json{{huge, 1}});
       },
       ec::invalid_data,
       {"unknown property \"nnnn", cut + "\" on model Customer"}},
      {"a changes value",
       [&](world&) {
         (void)relata::changes<Customer>::from_json(nlohmann::json{{"age", huge}});
       },
       ec::invalid_data,
       {"property age of model Customer: expected an integer, got string \"nnnn"}},
      {"a model property",
       [&](world&) {
         (void)nlohmann::json{{huge, 1}}.get<Customer>();
       },
       ec::invalid_data,
       {"unknown property \"nnnn", cut + "\" on model Customer"}},
  });
}

TEST_CASE("hostile input: a database error echoes its statement in part", "[hostile][messages]") {
  world w;
  // 300,000 values: past SQLite's bind limit (250,000 as Debian builds it), where memory and
  // PostgreSQL answer.
  std::vector<std::int64_t> ids(300000);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i) + 100;
  std::uint64_t found = 0;
  try {
    found = w.customers.count(relata::col(&Customer::id).in(ids));
  } catch (const relata::error& e) {
    INFO(std::string(e.what()).substr(0, 2000));
    CHECK_THAT(e.what(), Catch::Contains("(in: SELECT COUNT(*) FROM"));
    CHECK(std::string(e.what()).size() <= hostile_input_test::longest_message);
  }
  CHECK(found == 0);
}

namespace hostile_input_test {

/// `{"and": [{"id": {"nin": [...]}}, ...]}`: `lists` lists of `size` ids none of which exists.
nlohmann::json nin_lists(std::size_t lists, std::size_t size) {
  auto all = nlohmann::json::array();
  for (std::size_t l = 0; l < lists; ++l) {
    auto ids = nlohmann::json::array();
    for (std::size_t i = 0; i < size; ++i) ids.push_back(1000 + l * size + i);
    all.push_back({{"id", {{"nin", ids}}}});
  }
  return {{"and", all}};
}

}  // namespace hostile_input_test

TEST_CASE("hostile input: filters past SQLite's own limits are refused on every connector",
          "[hostile][limits]") {
  using hostile_input_test::nin_lists;
  const std::string pattern(50000, 'x');
  check_all_refused({
      {"a 50,000-byte like pattern",
       [&](world& w) {
         (void)w.customers.count(
             relata::where<Customer>::from_json(R"({"name":{"like":")" + pattern + R"("}})"));
       },
       ec::invalid_filter,
       {"where.name.like: the pattern is 50000 bytes; the limit is 10000"}},
      {"300 nin lists of 1,000 values",
       [&](world& w) {
         (void)w.customers.count(relata::where<Customer>::from_json(nin_lists(300, 1000)));
       },
       ec::invalid_filter,
       {"the filter compares more than 10000 values"}},
  });
}

TEST_CASE("hostile input: filters at the default limits run on every connector",
          "[hostile][limits]") {
  using hostile_input_test::nin_lists;
  world w;
  const relata::json_limits defaults;
  const std::string pattern = "%" + std::string(defaults.max_pattern_size - 2, 'x') + "%";
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            nlohmann::json{{"name", {{"like", pattern}}}})) == 0);
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            nlohmann::json{{"name", {{"ilike", pattern}}}})) == 0);
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            nin_lists(defaults.max_values / defaults.max_list_size, defaults.max_list_size))) == 2);
}

TEST_CASE("hostile input: a NUL in a like pattern is refused, not cut short by SQLite",
          "[hostile][like]") {
  // SQLite would read "%" alone and match every customer; memory would match none.
  const std::string pattern("%\0zzz", 5);
  const std::string fragment = "the like pattern for Customer.name holds a NUL character";
  check_all_refused({
      {"from JSON text",
       [&](world& w) {
         (void)w.customers.count(
             relata::where<Customer>::from_json(R"({"name":{"like":"%\u0000zzz"}})"));
       },
       ec::invalid_filter,
       {fragment}},
      {"from a parsed document, ilike",
       [&](world& w) {
         (void)w.customers.count(
             relata::where<Customer>::from_json(nlohmann::json{{"name", {{"ilike", pattern}}}}));
       },
       ec::invalid_filter,
       {fragment}},
      {"from C++",
       [&](world& w) { (void)w.customers.count(relata::col(&Customer::name).like(pattern)); },
       ec::invalid_filter,
       {fragment}},
      {"from C++, negated",
       [&](world& w) { (void)w.customers.count(relata::col(&Customer::name).not_ilike(pattern)); },
       ec::invalid_filter,
       {fragment}},
  });
}
