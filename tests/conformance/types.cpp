// Every supported property type on every connector: stored and read back equal, filtered
// where that means something, migrate idempotent, and a uint64 the database cannot hold
// refused before anything is written.
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
#include <relata/relata.hpp>

#include "support/backend.hpp"

using namespace std::chrono_literals;
using relata::col;

namespace types_test {

enum class color : std::int16_t { red = 1, green = 2, blue = -3 };

/// A user type, stored as an integer number of cents.
struct money {
  std::int64_t cents = 0;
  friend bool operator==(const money&, const money&) = default;
};

/// A user type stored as text.
struct version {
  int major = 0;
  int minor = 0;
  friend bool operator==(const version&, const version&) = default;
};

}  // namespace types_test

template <>
struct relata::value_traits<types_test::money> {
  using stored_type = std::int64_t;
  static std::int64_t to_stored(const types_test::money& m) { return m.cents; }
  static types_test::money from_stored(std::int64_t cents) { return types_test::money{cents}; }
};

template <>
struct relata::value_traits<types_test::version> {
  using stored_type = std::string;
  static std::string to_stored(const types_test::version& v) {
    return std::to_string(v.major) + "." + std::to_string(v.minor);
  }
  static types_test::version from_stored(const std::string& text) {
    const auto dot = text.find('.');
    return types_test::version{std::stoi(text.substr(0, dot)), std::stoi(text.substr(dot + 1))};
  }
};

namespace types_test {

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
               (money, price),
               (version, release),
               (std::optional<std::int64_t>, maybe_int),
               (std::optional<double>, maybe_real),
               (std::optional<bool>, maybe_flag),
               (std::optional<std::string>, maybe_text),
               (std::optional<relata::blob>, maybe_bytes),
               (std::optional<time_point>, maybe_at),
               (std::optional<color>, maybe_hue),
               (std::optional<nlohmann::json>, maybe_doc),
               (std::optional<std::vector<std::string>>, maybe_words),
               (std::optional<money>, maybe_price));
};

relata::blob bytes(std::initializer_list<int> list) {
  relata::blob out;
  for (int b : list) out.push_back(static_cast<std::byte>(b));
  return out;
}

/// The finest step the connector under test keeps (nanoseconds, or PostgreSQL's
/// microseconds); set by `world`.
std::chrono::nanoseconds tick{1};

/// A time point as the connector stores it: truncated to its resolution.
time_point stored(time_point t) {
  const auto since = std::chrono::floor<std::chrono::nanoseconds>(t - time_point{});
  auto steps = since / tick;
  if (since % tick != std::chrono::nanoseconds::zero() && since < since.zero()) --steps;  // floor
  return time_point{std::chrono::duration_cast<time_point::duration>(steps * tick)};
}

const time_point leap_day =
    time_point{std::chrono::sys_days{std::chrono::year{2024} / 2 / 29}} + 12h + 34min + 56s;

void check_same(const Everything& a, const Everything& b) {
  CHECK(a.id == b.id);
  CHECK(a.i8 == b.i8);
  CHECK(a.i16 == b.i16);
  CHECK(a.i32 == b.i32);
  CHECK(a.i64 == b.i64);
  CHECK(a.u8 == b.u8);
  CHECK(a.u16 == b.u16);
  CHECK(a.u32 == b.u32);
  CHECK(a.u64 == b.u64);
  CHECK(a.f32 == b.f32);
  CHECK(a.f64 == b.f64);
  CHECK(a.flag == b.flag);
  CHECK(a.text == b.text);
  CHECK(a.bytes == b.bytes);
  CHECK(a.at == stored(b.at));  // a: as read back, b: as written
  CHECK(a.hue == b.hue);
  CHECK(a.doc == b.doc);
  CHECK(a.numbers == b.numbers);
  CHECK(a.words == b.words);
  CHECK(a.price == b.price);
  CHECK(a.release == b.release);
  CHECK(a.maybe_int == b.maybe_int);
  CHECK(a.maybe_real == b.maybe_real);
  CHECK(a.maybe_flag == b.maybe_flag);
  CHECK(a.maybe_text == b.maybe_text);
  CHECK(a.maybe_bytes == b.maybe_bytes);
  CHECK(a.maybe_at == (b.maybe_at ? std::optional{stored(*b.maybe_at)} : std::nullopt));
  CHECK(a.maybe_hue == b.maybe_hue);
  CHECK(a.maybe_doc == b.maybe_doc);
  CHECK(a.maybe_words == b.maybe_words);
  CHECK(a.maybe_price == b.maybe_price);
}

/// Every property set, to values that are easy to get wrong.
Everything full() {
  Everything e;
  e.i8 = -128;
  e.i16 = 32767;
  e.i32 = std::numeric_limits<std::int32_t>::min();
  e.i64 = std::numeric_limits<std::int64_t>::min();
  e.u8 = 255;
  e.u16 = 65535;
  e.u32 = std::numeric_limits<std::uint32_t>::max();
  e.u64 = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  e.f32 = 0.1f;
  e.f64 = 0.1 + 0.2;
  e.flag = true;
  e.text = "h\xc3\xa9llo \xf0\x9f\x98\x80 'quoted' \"double\" \\ \n\t\r %_ end";
  e.bytes = bytes({0x00, 0xff, 0x00, 0x10, 0x80, 0x7f, 0x00});
  e.at = leap_day + 123456789ns;
  e.hue = color::blue;
  e.doc = nlohmann::json::parse(R"({"a":[1,2.5,{"b":null}],"c":"\u00e9","d":true})");
  e.numbers = {
      std::numeric_limits<std::int64_t>::min(), -1, 0, std::numeric_limits<std::int64_t>::max()};
  e.words = {"", "\xc3\xbc", "with \"quotes\"", "[1,2]", "comma,separated"};
  e.price = money{-12345};
  e.release = version{2, 14};
  e.maybe_int = 0;
  e.maybe_real = -2.5;
  e.maybe_flag = false;
  e.maybe_text = "";
  e.maybe_bytes = relata::blob{};
  e.maybe_at = time_point{} - 1ns;
  e.maybe_hue = color::green;
  e.maybe_doc = nlohmann::json::array({1, "two"});
  e.maybe_words = std::vector<std::string>{};
  e.maybe_price = money{0};
  return e;
}

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Everything> repo{*db};
  world() {
    relata::migrate<Everything>(*db);
    types_test::tick = db->caps().timestamp_resolution;
  }

  std::vector<std::int64_t> match(const relata::where<Everything>& w) const {
    std::vector<std::int64_t> out;
    for (const auto& e : repo.find({.where = w})) out.push_back(e.id);
    CHECK(repo.count(w) == out.size());
    return out;
  }
};

using ids = std::vector<std::int64_t>;

}  // namespace types_test

using types_test::check_same;
using types_test::color;
using types_test::Everything;
using types_test::ids;
using types_test::money;
using types_test::version;
using types_test::world;

// --- round trips -----------------------------------------------------------------------------

TEST_CASE("types: every property type is stored and read back equal", "[types]") {
  world w;
  const auto created = w.repo.create(types_test::full());
  CHECK(created.id == 1);
  auto expected = types_test::full();
  expected.id = 1;
  check_same(w.repo.find_by_id(1), expected);
  const auto all = w.repo.find();
  REQUIRE(all.size() == 1);
  check_same(all[0], expected);
}

TEST_CASE("types: default values and empty optionals are stored and read back equal", "[types]") {
  world w;
  w.repo.create(Everything{});
  Everything expected{};
  expected.id = 1;
  const auto back = w.repo.find_by_id(1);
  check_same(back, expected);
  CHECK(back.doc.is_null());
  CHECK_FALSE(back.maybe_doc.has_value());
  CHECK_FALSE(back.maybe_words.has_value());
}

TEST_CASE("types: the extremes of every integer width", "[types][numbers]") {
  world w;
  Everything low;
  low.i8 = std::numeric_limits<std::int8_t>::min();
  low.i16 = std::numeric_limits<std::int16_t>::min();
  low.i32 = std::numeric_limits<std::int32_t>::min();
  low.i64 = std::numeric_limits<std::int64_t>::min();
  Everything high;
  high.i8 = std::numeric_limits<std::int8_t>::max();
  high.i16 = std::numeric_limits<std::int16_t>::max();
  high.i32 = std::numeric_limits<std::int32_t>::max();
  high.i64 = std::numeric_limits<std::int64_t>::max();
  high.u8 = std::numeric_limits<std::uint8_t>::max();
  high.u16 = std::numeric_limits<std::uint16_t>::max();
  high.u32 = std::numeric_limits<std::uint32_t>::max();
  high.u64 = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  high.maybe_int = std::numeric_limits<std::int64_t>::min();
  low = w.repo.create(low);
  high = w.repo.create(high);
  check_same(w.repo.find_by_id(low.id), low);
  check_same(w.repo.find_by_id(high.id), high);
}

TEST_CASE("types: floating point values keep their bits", "[types][numbers]") {
  world w;
  const std::vector<double> values{0.1 + 0.2,
                                   1.0 / 3.0,
                                   std::numeric_limits<double>::max(),
                                   std::numeric_limits<double>::lowest(),
                                   std::numeric_limits<double>::min(),
                                   std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::epsilon(),
                                   std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity(),
                                   1e15 + 0.5,
                                   -7.0};
  for (double d : values) {
    Everything e;
    e.f64 = d;
    e.f32 = static_cast<float>(d);
    e.maybe_real = -d;
    e = w.repo.create(e);
    const auto back = w.repo.find_by_id(e.id);
    INFO(d);
    CHECK(back.f64 == d);
    CHECK(back.f32 == static_cast<float>(d));
    CHECK(back.maybe_real == -d);
  }
}

TEST_CASE("types: -0.0 is stored as 0.0 on every connector; JSON keeps its sign",
          "[types][numbers]") {
  // SQLite stores a REAL that is a whole number as an integer, and -0.0 comes back +0.0: rather
  // than lose the sign on one connector, relata writes 0.0 to every one.
  world w;
  Everything e;
  e.f64 = -0.0;
  e.f32 = -0.0F;
  e.maybe_real = -0.0;
  CHECK(std::signbit(nlohmann::json(e)["f64"].get<double>()));
  e = w.repo.create(e);
  const auto back = w.repo.find_by_id(e.id);
  CHECK(back.f64 == 0.0);
  CHECK_FALSE(std::signbit(back.f64));
  CHECK_FALSE(std::signbit(back.f32));
  REQUIRE(back.maybe_real);
  CHECK_FALSE(std::signbit(*back.maybe_real));
  CHECK(w.repo.update_all({{&Everything::f64, -0.0}}) == 1);
  CHECK_FALSE(std::signbit(w.repo.find_by_id(e.id).f64));
  CHECK(w.repo.count(col(&Everything::f64) == -0.0) == 1);  // and -0.0 == 0.0 finds it
}

TEST_CASE("types: blobs, empty and binary, come back byte for byte", "[types][blob]") {
  world w;
  relata::blob all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<std::byte>(255 - b));
  const std::vector<relata::blob> values{relata::blob{},
                                         types_test::bytes({0}),
                                         types_test::bytes({0, 0, 0}),
                                         types_test::bytes({0xde, 0xad, 0x00, 0xbe, 0xef}),
                                         all};
  for (const auto& b : values) {
    Everything e;
    e.bytes = b;
    e.maybe_bytes = b;
    e = w.repo.create(e);
    const auto back = w.repo.find_by_id(e.id);
    CHECK(back.bytes == b);
    REQUIRE(back.maybe_bytes.has_value());  // an empty blob is not NULL
    CHECK(*back.maybe_bytes == b);
  }
}

TEST_CASE("types: time points keep the connector's resolution, before and after the epoch",
          "[types][time]") {
  world w;
  using types_test::time_point;
  const std::vector<time_point> values{
      time_point{},
      time_point{} + 1ns,
      time_point{} - 1ns,
      types_test::leap_day + 999999999ns,
      types_test::leap_day + 100ms,
      types_test::leap_day + 1us,
      time_point{std::chrono::sys_days{std::chrono::year{1900} / 1 / 1}} + 1ns,
      time_point{std::chrono::sys_days{std::chrono::year{2262} / 1 / 1}}};
  for (const auto t : values) {
    Everything e;
    e.at = t;
    e.maybe_at = t;
    e = w.repo.create(e);
    const auto back = w.repo.find_by_id(e.id);
    CHECK(back.at == types_test::stored(t));
    CHECK(back.maybe_at == types_test::stored(t));
  }
}

TEST_CASE("types: text, vectors and JSON documents keep every character", "[types][text]") {
  world w;
  Everything e;
  // (no NUL characters: PostgreSQL's text cannot hold them)
  e.text = "  leading and trailing spaces \x01\x1f\x7f  ";
  e.words = {"a\"b", "c\\d", "\xf0\x9f\x98\x80", "\u2028", "null", "\n"};
  e.numbers = {};
  e.doc = nlohmann::json::parse(R"([{"nested":{"deep":[1,[2,[3]]]}},"text",-0.5,null])");
  e.maybe_doc = nlohmann::json(nullptr);  // a JSON null, not an SQL NULL ...
  e.maybe_text = std::string(10000, 'x');
  e = w.repo.create(e);
  const auto back = w.repo.find_by_id(e.id);
  CHECK(back.text == e.text);
  CHECK(back.text.size() == 35);
  CHECK(back.words == e.words);
  CHECK(back.numbers.empty());
  CHECK(back.doc == e.doc);
  CHECK(back.maybe_text == e.maybe_text);
  // ... so it comes back as a document holding null
  REQUIRE(back.maybe_doc.has_value());
  CHECK(back.maybe_doc->is_null());
}

TEST_CASE(
    "types: create_all of more rows than one statement holds stores every type as create does",
    "[types][bulk]") {
  // PostgreSQL writes these in one COPY, as text: each field escaped its own way.
  world w;
  std::vector<Everything> many;
  for (int i = 0; i < 1500; ++i) {
    Everything e = i % 3 == 0 ? types_test::full() : Everything{};
    if (i % 3 == 1) {
      e.text = "\\N";  // COPY's NULL marker, as text
      e.maybe_text = "tab\there\r\nnew line \\ end \\";
      e.words = {"\\N", "NULL", "{", "}", "a,b", " ", "\t", "back\\slash\"quote"};
      e.maybe_words = std::vector<std::string>{"\n\r"};
      e.doc = nlohmann::json::parse(R"({"k":"\\N\t\n","q":"\"","n":null})");
      e.f64 = i % 2 ? std::numeric_limits<double>::infinity()
                    : -std::numeric_limits<double>::infinity();
      e.f32 = -0.0f;
      e.bytes = types_test::bytes({0x5c, 0x09, 0x0a, 0x0d, 0x00, 0x4e});  // \ tab LF CR NUL N
      e.at = types_test::leap_day - 100 * std::chrono::hours{24 * 366};
      e.maybe_at = std::nullopt;
    }
    e.i32 = i;
    many.push_back(e);
  }
  const auto made = w.repo.create_all(many);
  REQUIRE(made.size() == many.size());
  for (std::size_t i = 1; i < made.size(); ++i) CHECK(made[i].id > made[i - 1].id);
  const auto back = w.repo.find({.order = {relata::asc(&Everything::id)}});
  REQUIRE(back.size() == many.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    Everything expected = many[i];
    expected.id = made[i].id;
    check_same(back[i], expected);
  }
}

// --- filters on each type --------------------------------------------------------------------

TEST_CASE("types: filters on integer widths, enums and user types", "[types][filters]") {
  world w;
  Everything a;  // 1
  a.i8 = -5;
  a.u8 = 200;
  a.i16 = -300;
  a.u16 = 60000;
  a.i32 = -70000;
  a.u32 = 4000000000u;
  a.u64 = 9000000000000000000ull;
  a.hue = color::blue;
  a.price = money{500};
  a.release = version{1, 2};
  Everything b;  // 2
  b.i8 = 5;
  b.u8 = 1;
  b.u64 = 1;
  b.hue = color::red;
  b.price = money{-1};
  b.release = version{1, 10};
  b.maybe_hue = color::green;
  b.maybe_price = money{7};
  w.repo.create_all({a, b});

  CHECK(w.match(col(&Everything::i8) < 0) == ids{1});
  CHECK(w.match(col(&Everything::u8) == 200) == ids{1});
  CHECK(w.match(col(&Everything::u8) > 100) == ids{1});
  CHECK(w.match(col(&Everything::i16) == -300) == ids{1});
  CHECK(w.match(col(&Everything::u16) >= 60000) == ids{1});
  CHECK(w.match(col(&Everything::i32) < -1) == ids{1});
  CHECK(w.match(col(&Everything::u32) == 4000000000u) == ids{1});
  CHECK(w.match(col(&Everything::u32) > 3000000000u) == ids{1});
  CHECK(w.match(col(&Everything::u64) == 9000000000000000000ull) == ids{1});
  CHECK(w.match(col(&Everything::u64) < 2u) == ids{2});
  CHECK(w.match(col(&Everything::hue) == color::blue) == ids{1});
  CHECK(w.match(col(&Everything::hue) != color::blue) == ids{2});
  CHECK(w.match(col(&Everything::hue).in({color::red, color::green})) == ids{2});
  CHECK(w.match(col(&Everything::hue) < color::red) == ids{1});  // by the stored integer
  CHECK(w.match(col(&Everything::maybe_hue) == color::green) == ids{2});
  CHECK(w.match(col(&Everything::maybe_hue).is_null()) == ids{1});
  CHECK(w.match(col(&Everything::price) > money{0}) == ids{1});
  CHECK(w.match(col(&Everything::price) == money{-1}) == ids{2});
  CHECK(w.match(col(&Everything::maybe_price) == money{7}) == ids{2});
  CHECK(w.match(col(&Everything::release) == version{1, 10}) == ids{2});
  CHECK(w.match(col(&Everything::release).in({version{1, 2}, version{9, 9}})) == ids{1});
}

TEST_CASE("types: filters on floats, doubles, booleans and text", "[types][filters]") {
  world w;
  Everything a;
  a.f32 = 0.1f;
  a.f64 = 1.5;
  a.flag = true;
  a.text = "\xc3\xa9t\xc3\xa9";
  a.maybe_flag = true;
  Everything b;
  b.f32 = -2.0f;
  b.f64 = -1.5;
  b.flag = false;
  b.text = "ete";
  w.repo.create_all({a, b});
  CHECK(w.match(col(&Everything::f32) == 0.1f) == ids{1});
  CHECK(w.match(col(&Everything::f32) < 0) == ids{2});
  CHECK(w.match(col(&Everything::f64) > 0.0) == ids{1});
  CHECK(w.match(col(&Everything::f64).between(-2, -1)) == ids{2});
  CHECK(w.match(col(&Everything::flag) == true) == ids{1});
  CHECK(w.match(col(&Everything::flag) == false) == ids{2});
  CHECK(w.match(col(&Everything::maybe_flag) == true) == ids{1});
  CHECK(w.match(col(&Everything::maybe_flag).is_null()) == ids{2});
  CHECK(w.match(col(&Everything::text) == "\xc3\xa9t\xc3\xa9") == ids{1});
  CHECK(w.match(col(&Everything::text).like("_t_")) == ids{1, 2});
  CHECK(w.match(col(&Everything::text) > "z") == ids{1});
}

TEST_CASE("types: filters on blobs and time points", "[types][filters]") {
  world w;
  Everything a;
  a.bytes = types_test::bytes({0x00, 0x01});
  a.at = types_test::leap_day + types_test::tick;
  a.maybe_bytes = relata::blob{};
  Everything b;
  b.bytes = types_test::bytes({0x00, 0x01, 0x00});
  b.at = types_test::leap_day;
  Everything c;
  c.bytes = types_test::bytes({0xff});
  c.at = types_test::leap_day - types_test::tick;
  w.repo.create_all({a, b, c});
  CHECK(w.match(col(&Everything::bytes) == types_test::bytes({0x00, 0x01})) == ids{1});
  CHECK(w.match(col(&Everything::bytes) == types_test::bytes({0x00, 0x01, 0x00})) == ids{2});
  CHECK(w.match(col(&Everything::bytes) > types_test::bytes({0x00, 0x01})) == ids{2, 3});
  CHECK(w.match(col(&Everything::bytes) < types_test::bytes({0x80})) == ids{1, 2});
  CHECK(w.match(col(&Everything::maybe_bytes) == relata::blob{}) == ids{1});
  CHECK(w.match(col(&Everything::maybe_bytes).is_null()) == ids{2, 3});
  CHECK(w.match(col(&Everything::at) == types_test::leap_day) == ids{2});
  CHECK(w.match(col(&Everything::at) > types_test::leap_day) == ids{1});
  CHECK(w.match(col(&Everything::at) <= types_test::leap_day) == ids{2, 3});
  CHECK(w.match(col(&Everything::at)
                    .between(types_test::leap_day - types_test::tick,
                             types_test::leap_day + types_test::tick)) == ids{1, 2, 3});
  CHECK(w.match(col(&Everything::maybe_at).is_null()) == ids{1, 2, 3});
  const auto ordered = w.repo.find({.order = {relata::asc(&Everything::at)}});
  REQUIRE(ordered.size() == 3);
  CHECK(ordered[0].id == 3);
  CHECK(ordered[1].id == 2);
  CHECK(ordered[2].id == 1);
}

TEST_CASE("types: JSON documents and arrays are tested for null", "[types][filters]") {
  world w;
  Everything a;
  a.maybe_doc = nlohmann::json{{"k", 1}};
  a.maybe_words = std::vector<std::string>{"x"};
  Everything b;
  w.repo.create_all({a, b});
  CHECK(w.match(col(&Everything::maybe_doc).is_not_null()) == ids{1});
  CHECK(w.match(col(&Everything::maybe_doc) == std::nullopt) == ids{2});
  CHECK(w.match(col(&Everything::maybe_words).exists()) == ids{1});
  CHECK(w.match(col(&Everything::maybe_words).exists(false)) == ids{2});
  CHECK(w.match(col(&Everything::doc).is_null()).empty());  // a JSON null is not SQL NULL
}

// --- migrate ---------------------------------------------------------------------------------

TEST_CASE("types: migrate is idempotent and keeps the data", "[types][migrate]") {
  world w;
  w.repo.create(types_test::full());
  relata::migrate<Everything>(*w.db);
  relata::migrate<Everything>(*w.db);
  REQUIRE(w.repo.count() == 1);
  auto expected = types_test::full();
  expected.id = 1;
  check_same(w.repo.find_by_id(1), expected);
  // ids keep counting after a second migrate
  CHECK(w.repo.create(Everything{}).id == 2);
}

// --- uint64 above INT64_MAX ------------------------------------------------------------------

TEST_CASE("types: a uint64 above INT64_MAX is refused with invalid_data; nothing is stored",
          "[types][numbers]") {
  world w;
  w.repo.create(Everything{});  // id 1
  const std::uint64_t too_big =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  Everything bad;
  bad.u64 = too_big;

  auto check_refusal = [&](auto&& action) {
    try {
      action();
      FAIL("expected invalid_data");
    } catch (const relata::invalid_data& e) {
      CHECK(e.code() == relata::error_code::invalid_data);
      CHECK_THAT(e.what(),
                 Catch::StartsWith("INVALID_DATA: ") &&
                     Catch::Contains("property u64 of model Everything") &&
                     Catch::Contains("9223372036854775808"));
    }
  };

  check_refusal([&] { w.repo.create(bad); });
  CHECK(w.repo.count() == 1);

  // the second entity is the bad one: the first is not kept either
  check_refusal([&] { w.repo.create_all({Everything{}, bad}); });
  CHECK(w.repo.count() == 1);

  check_refusal([&] { w.repo.replace_by_id(1, bad); });
  check_refusal([&] { w.repo.update(Everything{.id = 1, .u64 = too_big}); });
  CHECK(w.repo.find_by_id(1).u64 == 0);

  // as a change, from C++ or from JSON
  check_refusal([&] { w.repo.update_by_id(1, {{&Everything::u64, too_big}}); });
  check_refusal([&] {
    w.repo.update_by_id(1,
                        relata::changes<Everything>::from_json(R"({"u64": 9223372036854775808})"));
  });
  check_refusal([&] { w.repo.update_all({{&Everything::u64, too_big}}); });
  CHECK(w.repo.find_by_id(1).u64 == 0);

  // as a filter operand: the filter cannot be built
  CHECK_THROWS_MATCHES(
      w.repo.find({.where = col(&Everything::u64) == too_big}),
      relata::invalid_filter,
      Catch::Matchers::Predicate<relata::invalid_filter>([](const relata::invalid_filter& e) {
        return e.code() == relata::error_code::invalid_filter &&
               std::string(e.what()).find("Everything.u64") != std::string::npos;
      }));

  // the largest value that fits is accepted
  bad.u64 = too_big - 1;
  CHECK(w.repo.create(bad).u64 == too_big - 1);
  CHECK(w.repo.count() == 2);
}

namespace types_test {

/// Doubles in an array (JSON text on SQLite, double precision[] on PostgreSQL).
struct Readings {
  RELATA_MODEL(Readings, (relata::id<std::int64_t>, id), (std::vector<double>, values));
};

}  // namespace types_test

TEST_CASE("types: infinities in an array of doubles are kept on every connector, NaN refused",
          "[types][real]") {
  using types_test::Readings;
  world w;
  relata::migrate<Readings>(*w.db);
  relata::repository<Readings> readings{*w.db};
  const double inf = std::numeric_limits<double>::infinity();
  const auto stored = readings.create({.values = {1.5, inf, -inf, -2.0}});
  CHECK(readings.find_by_id(stored.id).values == std::vector<double>{1.5, inf, -inf, -2.0});
  CHECK(readings.update_all({{&Readings::values, std::vector<double>{-inf}}}) == 1);
  CHECK(readings.find_by_id(stored.id).values == std::vector<double>{-inf});
  CHECK_THROWS_WITH(readings.create({.values = {std::numeric_limits<double>::quiet_NaN()}}),
                    Catch::Contains("NaN cannot be stored"));
  CHECK(readings.count() == 1);
}

TEST_CASE("types: NaN is refused on every connector, infinities are kept", "[types][real]") {
  world w;
  Everything e;
  e.f64 = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(w.repo.create(e),
                    Catch::Contains("property f64 of model Everything") &&
                        Catch::Contains("NaN cannot be stored"));
  e.f64 = 1;
  e.maybe_real = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(w.repo.create(e), relata::invalid_data);
  CHECK(w.repo.count() == 0);
  e.maybe_real = -std::numeric_limits<double>::infinity();
  e.f64 = std::numeric_limits<double>::infinity();
  e = w.repo.create(e);
  const auto back = w.repo.find_by_id(e.id);
  CHECK(back.f64 == std::numeric_limits<double>::infinity());
  CHECK(back.maybe_real == -std::numeric_limits<double>::infinity());
  CHECK_THROWS_AS(col(&Everything::f64) == std::numeric_limits<double>::quiet_NaN(),
                  relata::invalid_filter);
}

namespace types_test {

struct Arrays {
  RELATA_MODEL(Arrays,
               (relata::id<std::int64_t>, id),
               (std::vector<double>, reals),
               (std::vector<std::int64_t>, integers),
               (std::vector<bool>, flags),
               (std::vector<std::string>, words),
               (std::vector<time_point>, times),
               (std::optional<std::vector<double>>, maybe_reals));
};

}  // namespace types_test

TEST_CASE("types: arrays keep their extreme values on every connector and in JSON",
          "[types][array]") {
  using types_test::Arrays;
  using types_test::stored;
  auto db = relata_test::make_datasource();
  relata::migrate<Arrays>(*db);
  types_test::tick = db->caps().timestamp_resolution;
  relata::repository<Arrays> repo{*db};
  constexpr double inf = std::numeric_limits<double>::infinity();
  Arrays extreme;
  extreme.reals = {inf,
                   -inf,
                   std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::denorm_min(),
                   -0.5,
                   0.1 + 0.2};
  extreme.integers = {
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 0};
  extreme.flags = {true, false};
  extreme.words = {"", "\xc3\xa9\xf0\x9f\x98\x80", "\"quoted\" \\ [1]", "NaN", "Infinity"};
  extreme.times = {types_test::leap_day + 123456789ns, types_test::time_point{} - 1ns};
  extreme.maybe_reals = std::vector<double>{-inf};
  const Arrays empty;  // empty arrays and an absent optional

  for (const Arrays& written : {extreme, empty}) {
    const auto id = repo.create(written).id;
    const auto back = repo.find_by_id(id);
    CHECK(back.reals == written.reals);
    CHECK(back.integers == written.integers);
    CHECK(back.flags == written.flags);
    CHECK(back.words == written.words);
    REQUIRE(back.times.size() == written.times.size());
    for (std::size_t i = 0; i < back.times.size(); ++i) {
      CHECK(back.times[i] == stored(written.times[i]));
    }
    CHECK(back.maybe_reals == written.maybe_reals);

    // and through JSON, the same values
    const auto again = nlohmann::json::parse(relata::dump_json(back)).get<Arrays>();
    CHECK(again.reals == back.reals);
    CHECK(again.integers == back.integers);
    CHECK(again.flags == back.flags);
    CHECK(again.words == back.words);
    CHECK(again.times == back.times);
    CHECK(again.maybe_reals == back.maybe_reals);
  }
}
