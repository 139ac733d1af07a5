// Models <-> nlohmann::json: lossless round trips for every property type, only loaded
// relations in the output, relations parsed back into navigational members, and input that
// does not fit the model refused with invalid_data naming the model and the property.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/memory.hpp>
#include <relata/relata.hpp>

#include "support/fixtures.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace json_test {

enum class color : std::int16_t { red = 1, green = 2, blue = -3 };

/// A user type stored as an integer number of cents.
struct money {
  std::int64_t cents = 0;
  friend bool operator==(const money&, const money&) = default;
};

}  // namespace json_test

template <>
struct relata::value_traits<json_test::money> {
  using stored_type = std::int64_t;
  static std::int64_t to_stored(const json_test::money& m) { return m.cents; }
  static json_test::money from_stored(std::int64_t cents) { return json_test::money{cents}; }
};

namespace json_test {

using time_point = std::chrono::system_clock::time_point;

struct Everything {
  RELATA_MODEL(Everything,
               (relata::id<std::int64_t>, id),
               (std::int8_t, i8),
               (std::int16_t, i16),
               (std::int32_t, i32),
               (std::int64_t, i64),
               (std::uint8_t, u8),
               (std::uint16_t, u16),
               (std::uint32_t, u32),
               (std::uint64_t, u64),
               (float, f32),
               (double, f64),
               (bool, flag),
               (std::string, text),
               (relata::blob, bytes),
               (time_point, at),
               (color, hue),
               (nlohmann::json, doc),
               (std::vector<std::int64_t>, numbers),
               (std::vector<std::string>, words),
               (std::vector<double>, reals),
               (money, price),
               (std::optional<std::int64_t>, maybe_int),
               (std::optional<double>, maybe_real),
               (std::optional<std::string>, maybe_text),
               (std::optional<relata::blob>, maybe_bytes),
               (std::optional<time_point>, maybe_at),
               (std::optional<color>, maybe_hue),
               (std::optional<money>, maybe_price),
               (std::optional<std::vector<std::string>>, maybe_words),
               (std::optional<nlohmann::json>, maybe_doc));
};

relata::blob bytes(std::initializer_list<int> list) {
  relata::blob out;
  for (int b : list) out.push_back(static_cast<std::byte>(b));
  return out;
}

time_point moment(std::chrono::sys_days day, std::chrono::nanoseconds in_day) {
  return time_point{day} + std::chrono::duration_cast<time_point::duration>(in_day);
}

/// Every member of an Everything equal; NaN equals NaN.
void check_same(const Everything& a, const Everything& b) {
  auto same_real = [](double x, double y) {
    return (std::isnan(x) && std::isnan(y)) || (x == y && std::signbit(x) == std::signbit(y));
  };
  CHECK(a.id == b.id);
  CHECK(a.i8 == b.i8);
  CHECK(a.i16 == b.i16);
  CHECK(a.i32 == b.i32);
  CHECK(a.i64 == b.i64);
  CHECK(a.u8 == b.u8);
  CHECK(a.u16 == b.u16);
  CHECK(a.u32 == b.u32);
  CHECK(a.u64 == b.u64);
  CHECK(same_real(a.f32, b.f32));
  CHECK(same_real(a.f64, b.f64));
  CHECK(a.flag == b.flag);
  CHECK(a.text == b.text);
  CHECK(a.bytes == b.bytes);
  CHECK(a.at == b.at);
  CHECK(a.hue == b.hue);
  CHECK(a.doc == b.doc);
  CHECK(a.numbers == b.numbers);
  CHECK(a.words == b.words);
  REQUIRE(a.reals.size() == b.reals.size());
  for (std::size_t i = 0; i < a.reals.size(); ++i) CHECK(same_real(a.reals[i], b.reals[i]));
  CHECK(a.price == b.price);
  CHECK(a.maybe_int == b.maybe_int);
  CHECK(a.maybe_real.has_value() == b.maybe_real.has_value());
  if (a.maybe_real && b.maybe_real) CHECK(same_real(*a.maybe_real, *b.maybe_real));
  CHECK(a.maybe_text == b.maybe_text);
  CHECK(a.maybe_bytes == b.maybe_bytes);
  CHECK(a.maybe_at == b.maybe_at);
  CHECK(a.maybe_hue == b.maybe_hue);
  CHECK(a.maybe_price == b.maybe_price);
  CHECK(a.maybe_words == b.maybe_words);
  CHECK(a.maybe_doc == b.maybe_doc);
}

Everything full() {
  Everything e;
  e.id = 7;
  e.i8 = std::numeric_limits<std::int8_t>::min();
  e.i16 = std::numeric_limits<std::int16_t>::max();
  e.i32 = std::numeric_limits<std::int32_t>::min();
  e.i64 = std::numeric_limits<std::int64_t>::min();
  e.u8 = std::numeric_limits<std::uint8_t>::max();
  e.u16 = std::numeric_limits<std::uint16_t>::max();
  e.u32 = std::numeric_limits<std::uint32_t>::max();
  e.u64 = std::numeric_limits<std::uint64_t>::max();
  e.f32 = 0.1f;
  e.f64 = 0.1 + 0.2;
  e.flag = true;
  e.text = "h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80 \"quoted\" \\ back\nline";
  e.bytes = bytes({0x00, 0xff, 0x10, 0x00, 0x80});
  e.at = moment(std::chrono::sys_days{std::chrono::year{2024} / 2 / 29},
                12h + 34min + 56s + 123456789ns);
  e.hue = color::blue;
  e.doc = json::parse(R"({"a":[1,{"b":null}],"c":"d","e":{"f":1.5,"g":true}})");
  e.numbers = {
      std::numeric_limits<std::int64_t>::min(), -1, 0, std::numeric_limits<std::int64_t>::max()};
  e.words = {"", "\xc3\xbc", "x y", "[\"not json\"]"};
  e.reals = {1.5, -0.0, std::numeric_limits<double>::denorm_min()};
  e.price = money{-12345};
  e.maybe_int = std::numeric_limits<std::int64_t>::max();
  e.maybe_real = -2.5;
  e.maybe_text = "";
  e.maybe_bytes = relata::blob{};
  e.maybe_at = moment(std::chrono::sys_days{std::chrono::year{1969} / 12 / 31}, 24h - 1ns);
  e.maybe_hue = color::green;
  e.maybe_price = money{0};
  e.maybe_words = std::vector<std::string>{};
  e.maybe_doc = json::array({1, "two", nullptr});
  return e;
}

}  // namespace json_test

using json_test::check_same;
using json_test::color;
using json_test::Everything;
using json_test::money;

// --- round trips -----------------------------------------------------------------------------

TEST_CASE("json: every property type round-trips losslessly, through text too", "[json]") {
  const Everything e = json_test::full();
  const json j = e;
  check_same(j.get<Everything>(), e);
  check_same(json::parse(j.dump()).get<Everything>(), e);
}

TEST_CASE("json: a default entity round-trips, optionals as null", "[json]") {
  const Everything e{};
  const json j = e;
  CHECK(j["maybe_int"].is_null());
  CHECK(j["maybe_real"].is_null());
  CHECK(j["maybe_text"].is_null());
  CHECK(j["maybe_bytes"].is_null());
  CHECK(j["maybe_at"].is_null());
  CHECK(j["maybe_hue"].is_null());
  CHECK(j["maybe_price"].is_null());
  CHECK(j["maybe_words"].is_null());
  CHECK(j["maybe_doc"].is_null());
  CHECK(j["doc"].is_null());
  CHECK(j["numbers"] == json::array());
  CHECK(j["bytes"] == "");
  CHECK(j["at"] == "1970-01-01T00:00:00Z");
  check_same(json::parse(j.dump()).get<Everything>(), e);
}

TEST_CASE("json: the representation of each property type", "[json]") {
  const json j = json_test::full();
  CHECK(j.size() == Everything::relata_member_names.size());
  CHECK(j["id"] == 7);
  CHECK(j["i8"] == -128);
  CHECK(j["i16"] == 32767);
  CHECK(j["i32"] == -2147483648LL);
  CHECK(j["i64"].is_number_integer());
  CHECK(j["i64"].get<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  CHECK(j["u64"].is_number_unsigned());
  CHECK(j["u64"].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(j["u8"] == 255);
  CHECK(j["flag"] == true);
  CHECK(j["text"] == "h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80 \"quoted\" \\ back\nline");
  CHECK(j["bytes"] == "AP8QAIA=");  // base64 with padding
  CHECK(j["at"] == "2024-02-29T12:34:56.123456789Z");
  CHECK(j["hue"] == -3);  // enums as their integer
  CHECK(j["doc"] == json::parse(R"({"a":[1,{"b":null}],"c":"d","e":{"f":1.5,"g":true}})"));
  CHECK(j["numbers"] == json::parse("[-9223372036854775808,-1,0,9223372036854775807]"));
  CHECK(j["words"] == json::parse(R"(["","ü","x y","[\"not json\"]"])"));
  CHECK(j["price"] == -12345);  // a user type as its stored type
  CHECK(j["maybe_int"] == 9223372036854775807LL);
  CHECK(j["maybe_text"] == "");
  CHECK(j["maybe_bytes"] == "");
  CHECK(j["maybe_at"] == "1969-12-31T23:59:59.999999999Z");
  CHECK(j["maybe_hue"] == 2);
  CHECK(j["maybe_price"] == 0);
  CHECK(j["maybe_words"] == json::array());
  CHECK(j["maybe_doc"] == json::parse(R"([1,"two",null])"));
}

TEST_CASE("json: base64 of blobs of every length, and back", "[json]") {
  const std::vector<std::pair<relata::blob, std::string>> cases{
      {json_test::bytes({}), ""},
      {json_test::bytes({0xff}), "/w=="},
      {json_test::bytes({0xff, 0xfe}), "//4="},
      {json_test::bytes({0x00, 0x00, 0x00}), "AAAA"},
      {json_test::bytes({'M', 'a', 'n', 'y'}), "TWFueQ=="},
  };
  for (const auto& [blob, text] : cases) {
    INFO(text);
    Everything e;
    e.bytes = blob;
    const json j = e;
    CHECK(j["bytes"] == text);
    CHECK(j.get<Everything>().bytes == blob);
  }
  relata::blob all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<std::byte>(b));
  Everything e;
  e.bytes = all;
  CHECK(json::parse(json(e).dump()).get<Everything>().bytes == all);
}

TEST_CASE("json: non-finite doubles and floats as \"NaN\", \"Infinity\", \"-Infinity\"", "[json]") {
  Everything e;
  e.f64 = std::numeric_limits<double>::quiet_NaN();
  e.f32 = -std::numeric_limits<float>::infinity();
  e.maybe_real = std::numeric_limits<double>::infinity();
  e.reals = {std::numeric_limits<double>::infinity(),
             std::numeric_limits<double>::quiet_NaN(),
             -std::numeric_limits<double>::infinity()};
  const json j = e;
  CHECK(j["f64"] == "NaN");
  CHECK(j["f32"] == "-Infinity");
  CHECK(j["maybe_real"] == "Infinity");
  CHECK(j["reals"] == json::parse(R"(["Infinity","NaN","-Infinity"])"));
  const auto back = json::parse(j.dump()).get<Everything>();
  CHECK(std::isnan(back.f64));
  CHECK(back.f32 == -std::numeric_limits<float>::infinity());
  CHECK(back.maybe_real == std::numeric_limits<double>::infinity());
  REQUIRE(back.reals.size() == 3);
  CHECK(back.reals[0] == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(back.reals[1]));
  CHECK(back.reals[2] == -std::numeric_limits<double>::infinity());
}

TEST_CASE("json: doubles keep every bit through text", "[json]") {
  for (double d : {0.1 + 0.2,
                   1.0 / 3.0,
                   -0.0,
                   std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::denorm_min(),
                   std::numeric_limits<double>::epsilon(),
                   9007199254740993.0}) {
    Everything e;
    e.f64 = d;
    const auto back = json::parse(json(e).dump()).get<Everything>();
    CHECK(back.f64 == d);
    CHECK(std::signbit(back.f64) == std::signbit(d));
  }
}

TEST_CASE("json: time points accept other ISO-8601 forms on input", "[json]") {
  const auto expected = json_test::moment(std::chrono::sys_days{std::chrono::year{2024} / 2 / 29},
                                          10h + 34min + 56s + 500ms);
  for (const char* text : {"2024-02-29T10:34:56.5Z",
                           "2024-02-29 10:34:56.500",
                           "2024-02-29T12:34:56.5+02:00",
                           "2024-02-29T07:04:56.5-03:30"}) {
    INFO(text);
    CHECK(json{{"at", text}}.get<Everything>().at == expected);
  }
}

TEST_CASE("json: missing properties keep their default value", "[json]") {
  const auto e = json::parse(R"({"i32": 5, "maybe_text": "x"})").get<Everything>();
  CHECK(e.i32 == 5);
  CHECK(e.maybe_text == "x");
  CHECK(e.id == 0);
  CHECK(e.text.empty());
  CHECK_FALSE(e.maybe_int.has_value());
  CHECK(e.doc.is_null());
}

TEST_CASE("json: an entity read from JSON has the keys the JSON had, and writes only those",
          "[json][regression]") {
  const auto e = json::parse(R"({"i32": 5, "maybe_text": null})").get<Everything>();
  CHECK(json(e) == json::parse(R"({"i32": 5, "maybe_text": null})"));
  CHECK(relata::dump_json(e) == R"({"i32":5,"maybe_text":null})");
  // Copies keep what they have; a default entity has every property.
  const Everything copy = e;
  CHECK(json(copy).size() == 2);
  CHECK(json(Everything{}).contains("text"));
}

// --- refusals --------------------------------------------------------------------------------

namespace {

void check_refused(const json& input, const std::string& fragment) {
  INFO(input.dump());
  try {
    (void)input.get<Everything>();
    FAIL("expected invalid_data containing: " << fragment);
  } catch (const relata::invalid_data& e) {
    CHECK(e.code() == relata::error_code::invalid_data);
    CHECK_THAT(e.what(), Catch::StartsWith("INVALID_DATA: ") && Catch::Contains(fragment));
  }
}

}  // namespace

TEST_CASE("json: get<M>() refuses unknown keys, naming the key and the model", "[json]") {
  check_refused(json::parse(R"({"i32": 1, "i33": 2})"),
                "unknown property \"i33\" on model Everything");
  check_refused(json::parse(R"({"I32": 1})"), "unknown property \"I32\" on model Everything");
  check_refused(json::parse(R"({"name; DROP TABLE x": 1})"),
                "unknown property \"name; DROP TABLE x\" on model Everything");
}

TEST_CASE("json: get<M>() refuses wrong types, naming the property and the model", "[json]") {
  struct refusal {
    const char* input;
    const char* property;
    const char* expected;
  };
  const std::vector<refusal> cases{
      {R"({"i64": "1"})", "i64", "expected an integer"},
      {R"({"i64": 1.5})", "i64", "expected an integer"},
      {R"({"i64": 1.0})", "i64", "expected an integer"},
      {R"({"i64": true})", "i64", "expected an integer"},
      {R"({"i64": 9223372036854775808})",
       "i64",
       "expected an integer in the range of the property's C++ type"},
      {R"({"i8": 128})", "i8", "the integer 128 is outside the range of the property's C++ type"},
      {R"({"i8": -129})", "i8", "the integer -129 is outside the range of the property's C++ type"},
      {R"({"u8": -1})", "u8", "the integer -1 is outside the range of the property's C++ type"},
      {R"({"u8": 256})", "u8", "the integer 256 is outside the range of the property's C++ type"},
      {R"({"u32": 4294967296})",
       "u32",
       "the integer 4294967296 is outside the range of the property's C++ type"},
      {R"({"u64": -1})", "u64", "the integer -1 is outside the range of the property's C++ type"},
      {R"({"f64": "1.5"})", "f64", "expected a number"},
      {R"({"f64": "nan"})", "f64", "expected a number"},
      {R"({"f64": "inf"})", "f64", "expected a number"},
      {R"({"f64": null})", "f64", "null for a property that is not a std::optional"},
      {R"({"flag": 1})", "flag", "expected a boolean"},
      {R"({"flag": "true"})", "flag", "expected a boolean"},
      {R"({"text": 5})", "text", "expected a string"},
      {R"({"text": null})", "text", "null for a property that is not a std::optional"},
      {R"({"text": ["a"]})", "text", "expected a string"},
      {R"({"bytes": "AP8"})", "bytes", "expected a base64 string"},
      {R"({"bytes": "A*8Q"})", "bytes", "expected a base64 string"},
      {R"({"bytes": [0, 255]})", "bytes", "expected a base64 string"},
      {R"({"at": "yesterday"})", "at", "expected an ISO-8601 time string"},
      {R"({"at": "2024-02-30T00:00:00Z"})", "at", "expected an ISO-8601 time string"},
      {R"({"at": 1700000000})", "at", "expected an ISO-8601 time string"},
      {R"({"hue": "blue"})", "hue", "expected an integer"},
      {R"({"hue": 40000})",
       "hue",
       "the integer 40000 is outside the range of the property's C++ type"},
      {R"({"numbers": 5})", "numbers", "expected an array"},
      {R"({"numbers": [1, "2"]})", "numbers", "expected an integer"},
      {R"({"numbers": [1, null]})", "numbers", "an array element is null"},
      {R"({"words": ["a", 1]})", "words", "expected a string"},
      {R"({"words": "a"})", "words", "expected an array"},
      {R"({"price": "12"})", "price", "expected an integer"},
      {R"({"maybe_int": "1"})", "maybe_int", "expected an integer"},
      {R"({"maybe_at": "noon"})", "maybe_at", "expected an ISO-8601 time string"},
      {R"({"maybe_price": 1.5})", "maybe_price", "expected an integer"},
      {R"({"id": "7"})", "id", "expected an integer"},
  };
  for (const auto& c : cases) {
    check_refused(json::parse(c.input),
                  std::string("property ") + c.property + " of model Everything: " + c.expected);
  }
}

TEST_CASE("json: get<M>() refuses a document that is not an object", "[json]") {
  check_refused(json::array(), "model Everything: expected a JSON object");
  check_refused(json(5), "model Everything: expected a JSON object");
  check_refused(json(nullptr), "model Everything: expected a JSON object");
}

// --- relations -------------------------------------------------------------------------------

namespace {

struct shop {
  relata::memory::datasource db;
  relata::repository<fixtures::Customer> customers{db};
  relata::repository<fixtures::Order> orders{db};
  relata::repository<fixtures::Address> addresses{db};
  shop() {
    fixtures::migrate_all(db);
    auto ada = customers.create({.name = "Ada", .age = 36});
    customers.create({.name = "Bob", .parent_id = ada.id});
    orders.create({.description = "pens", .total = 3.5, .customer_id = ada.id});
    orders.create({.description = "ink", .total = 1.25, .customer_id = ada.id});
    addresses.create({.street = "1 Main St", .city = "Zurich", .customer_id = ada.id});
  }
};

}  // namespace

TEST_CASE("json: relations that were not loaded are absent", "[json][relations]") {
  shop s;
  const auto all = s.customers.find();
  const json j = all;
  REQUIRE(j.size() == 2);
  CHECK(j[0] == json::parse(R"({"id":1,"name":"Ada","age":36,"parent_id":null,"account_ids":[]})"));
  CHECK(j[1] == json::parse(R"({"id":2,"name":"Bob","age":null,"parent_id":1,"account_ids":[]})"));
}

TEST_CASE("json: loaded relations appear; empty ones as [] (to-many) or null (to-one)",
          "[json][relations]") {
  shop s;
  const auto all =
      s.customers.find({.include = {"orders", "address", "parent", "children", "accounts"}});
  const json j = all;
  REQUIRE(j.size() == 2);
  const json& ada = j[0];
  CHECK(ada["orders"] == json::parse(R"([{"id":1,"description":"pens","total":3.5,"customer_id":1,
                         "shipment_info":null},
                        {"id":2,"description":"ink","total":1.25,"customer_id":1,
                         "shipment_info":null}])"));
  CHECK(ada["address"] ==
        json::parse(R"({"id":1,"street":"1 Main St","city":"Zurich","customer_id":1})"));
  CHECK(ada["parent"].is_null());  // loaded, no parent
  CHECK(ada["children"] ==
        json::parse(R"([{"id":2,"name":"Bob","age":null,"parent_id":1,"account_ids":[]}])"));
  CHECK(ada["accounts"] == json::array());
  CHECK_FALSE(ada.contains("cart_items"));  // not included

  const json& bob = j[1];
  CHECK(bob["orders"] == json::array());  // loaded, none
  CHECK(bob["address"].is_null());        // loaded, none
  CHECK(bob["children"] == json::array());
  CHECK(bob["parent"]["name"] == "Ada");
  CHECK_FALSE(bob["parent"].contains("orders"));  // the nested entity has no includes
}

TEST_CASE("json: nested includes nest in the output", "[json][relations]") {
  shop s;
  const auto orders = s.orders.find(
      {.include = {relata::include(&fixtures::Order::customer, {.include = {"address"}})}});
  const json j = orders;
  REQUIRE(j.size() == 2);
  CHECK(j[0]["customer"]["name"] == "Ada");
  CHECK(j[0]["customer"]["address"]["city"] == "Zurich");
  CHECK_FALSE(j[0]["customer"].contains("orders"));
  CHECK_FALSE(j[0].contains("items"));
  CHECK_FALSE(j[0].contains("shipment"));
}

TEST_CASE("json: relations in the input are parsed back into loaded navigational members",
          "[json][relations]") {
  const auto c = json::parse(R"({
      "id": 1, "name": "Ada",
      "orders": [{"id": 5, "description": "pens", "total": 3.5, "customer_id": 1,
                  "customer": {"id": 1, "name": "Ada"}}],
      "address": null,
      "parent": {"id": 9, "name": "Eve", "children": []},
      "children": []
    })")
                     .get<fixtures::Customer>();
  REQUIRE(c.orders.loaded());
  REQUIRE(c.orders.size() == 1);
  CHECK(c.orders[0].id == 5);
  CHECK(c.orders[0].total == 3.5);
  REQUIRE(c.orders[0].customer.loaded());
  CHECK(c.orders[0].customer->name == "Ada");
  CHECK_FALSE(c.orders[0].items.loaded());
  CHECK(c.address.loaded());
  CHECK_FALSE(c.address.has_value());
  REQUIRE(c.parent.has_value());
  CHECK(c.parent->name == "Eve");
  CHECK(c.parent->children.loaded());
  CHECK(c.parent->children.empty());
  CHECK(c.children.loaded());
  CHECK(c.children.empty());
  CHECK_FALSE(c.accounts.loaded());
  CHECK_FALSE(c.cart_items.loaded());
}

TEST_CASE("json: entities with loaded relations round-trip through JSON", "[json][relations]") {
  shop s;
  const auto all = s.customers.find({.include = {"orders", "address", "parent", "children"}});
  const json j = all;
  const auto back = json::parse(j.dump()).get<std::vector<fixtures::Customer>>();
  CHECK(json(back) == j);
}

TEST_CASE("json: entities convert to and from a JSON array", "[json][relations]") {
  shop s;
  const auto all = s.customers.find({.include = {"orders", "parent"}});
  const json j = all;
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[0] == json(all[0]));
  CHECK(j[1]["parent"]["name"] == "Ada");

  const auto back = j.get<relata::entities<fixtures::Customer>>();
  REQUIRE(back.size() == 2);
  CHECK(back[0].name == "Ada");
  CHECK(back[0].orders.size() == 2);
  CHECK(back[1].parent->name == "Ada");
  CHECK(json(back) == j);

  CHECK(json(relata::entities<fixtures::Customer>{}) == json::array());
}

TEST_CASE("json: dump_json writes the text dump() writes", "[json][relations]") {
  shop s;
  const auto all = s.customers.find({.include = {"orders", "parent"}});
  CHECK(relata::dump_json(all) == json(all).dump());
  CHECK(relata::dump_json(all, 2) == json(all).dump(2));
  CHECK(relata::dump_json(all[0], 4) == json(all[0]).dump(4));
  CHECK(relata::dump_json(json::parse(R"({"a":[1,2.5,"x",null]})")) == R"({"a":[1,2.5,"x",null]})");
  // invalid UTF-8 is refused, not written, with a relata error (dump() throws nlohmann's)
  CHECK_THROWS_AS(relata::dump_json(json("\xff")), relata::invalid_data);
}

TEST_CASE("json: entities from JSON that is not an array of the model are refused whole",
          "[json][relations]") {
  relata::entities<fixtures::Customer> kept{fixtures::Customer{.name = "Ada"}};
  CHECK_THROWS_WITH(from_json(json::parse(R"({"name": "Bob"})"), kept),
                    Catch::Contains("entities of model Customer: expected a JSON array"));
  CHECK_THROWS_WITH(from_json(json::parse(R"([{"name": "Bob"}, {"name": 5}])"), kept),
                    Catch::Contains("property name of model Customer"));
  CHECK_THROWS_WITH(
      from_json(json::parse(R"([{"name": "Bob"}, {"name": 5}])"), kept),
      Catch::Contains("entities of model Customer, element 1: property name of model Customer"));
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].name == "Ada");
}

TEST_CASE("json: a relation of the wrong shape is refused, naming it", "[json][relations]") {
  CHECK_THROWS_WITH(
      json::parse(R"({"orders": 5})").get<fixtures::Customer>(),
      Catch::Contains("property orders of model Customer: expected an array of related entities"));
  CHECK_THROWS_WITH(json::parse(R"({"orders": [{"total": "x"}]})").get<fixtures::Customer>(),
                    Catch::Contains("property total of model Order: expected a number"));
  CHECK_THROWS_WITH(json::parse(R"({"orders": [{"totl": 1}]})").get<fixtures::Customer>(),
                    Catch::Contains("unknown property \"totl\" on model Order"));
  CHECK_THROWS_WITH(json::parse(R"({"orders": [5]})").get<fixtures::Customer>(),
                    Catch::Contains("property orders of model Customer: expected an array of "
                                    "related entities"));
  CHECK_THROWS_WITH(json::parse(R"({"parent": 5})").get<fixtures::Customer>(),
                    Catch::Contains("property parent of model Customer: expected a related "
                                    "entity (an object) or null"));
  CHECK_THROWS_WITH(json::parse(R"({"parent": [1]})").get<fixtures::Customer>(),
                    Catch::Contains("property parent of model Customer"));
  CHECK_THROWS_AS(json::parse(R"({"address": "x"})").get<fixtures::Customer>(),
                  relata::invalid_data);
}
