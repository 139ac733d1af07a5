// relata::value (SQL comparison rules, equality, hashing, rendering), the timestamp text
// format, identifier name conversions and the LIKE matcher (detail/like.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <relata/detail/naming.hpp>
#include <relata/detail/time.hpp>
#include <relata/memory.hpp>
#include <relata/relata.hpp>

using relata::value;
using relata::value_kind;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

relata::blob bytes(std::initializer_list<int> list) {
  relata::blob out;
  for (int b : list) out.push_back(static_cast<std::byte>(b));
  return out;
}

relata::timestamp at(std::chrono::sys_days day, std::chrono::nanoseconds in_day = {}) {
  return relata::timestamp{day} + in_day;
}

bool less(const value& a, const value& b) {
  return relata::compare(a, b) == std::partial_ordering::less;
}
bool greater(const value& a, const value& b) {
  return relata::compare(a, b) == std::partial_ordering::greater;
}
bool equivalent(const value& a, const value& b) {
  return relata::compare(a, b) == std::partial_ordering::equivalent;
}
bool unordered(const value& a, const value& b) {
  return relata::compare(a, b) == std::partial_ordering::unordered;
}

std::string snake(std::string_view s) {
  return relata::detail::converted_string(s, relata::naming::snake_case);
}
std::string camel(std::string_view s) {
  return relata::detail::converted_string(s, relata::naming::camel_case);
}
std::string pascal(std::string_view s) {
  return relata::detail::converted_string(s, relata::naming::pascal_case);
}
std::string fk(std::string_view base, relata::naming style, bool plural = false) {
  return std::string(relata::detail::foreign_key_name(base, style, plural).view());
}

bool like(std::string_view text, std::string_view pattern) {
  return relata::detail::like_matches(text, pattern, false);
}
bool ilike(std::string_view text, std::string_view pattern) {
  return relata::detail::like_matches(text, pattern, true);
}

}  // namespace

// --- kinds and accessors ---------------------------------------------------------------------

TEST_CASE("value: each constructor gives its kind", "[value]") {
  CHECK(value{}.kind() == value_kind::null);
  CHECK(value{nullptr}.kind() == value_kind::null);
  CHECK(value{std::int8_t{-3}}.kind() == value_kind::integer);
  CHECK(value{std::uint32_t{7}}.kind() == value_kind::integer);
  CHECK(value{2.5}.kind() == value_kind::real);
  CHECK(value{true}.kind() == value_kind::boolean);
  CHECK(value{"text"}.kind() == value_kind::text);
  CHECK(value{std::string_view("text")}.kind() == value_kind::text);
  CHECK(value{bytes({1, 2})}.kind() == value_kind::blob);
  CHECK(value{relata::timestamp{}}.kind() == value_kind::timestamp);
  CHECK(value{relata::json_text{"{}"}}.kind() == value_kind::json);
  CHECK(value{value::array_type{value{1}}}.kind() == value_kind::array);
  CHECK(value{}.is_null());
  CHECK_FALSE(value{0}.is_null());
}

TEST_CASE("value: accessors read their kind and refuse another with invalid_data", "[value]") {
  CHECK(value{int64_min}.as_integer() == int64_min);
  CHECK(value{std::uint16_t{65535}}.as_integer() == 65535);
  CHECK(value{-1.25}.as_real() == -1.25);
  CHECK(value{int64_max}.as_real() == static_cast<double>(int64_max));  // integers read as real
  CHECK(value{"x"}.as_text() == "x");
  CHECK(value{bytes({0, 255})}.as_blob() == bytes({0, 255}));
  CHECK(value{relata::json_text{"[1]"}}.as_json().text == "[1]");
  CHECK(value{value::array_type{value{1}, value{2}}}.as_array().size() == 2);

  CHECK_THROWS_AS(value{1.5}.as_integer(), relata::invalid_data);
  CHECK_THROWS_AS(value{"1"}.as_integer(), relata::invalid_data);
  CHECK_THROWS_AS(value{1}.as_boolean(), relata::invalid_data);
  CHECK_THROWS_AS(value{}.as_text(), relata::invalid_data);
  CHECK_THROWS_AS(value{"x"}.as_real(), relata::invalid_data);
  CHECK_THROWS_WITH(value{"abc"}.as_integer(),
                    "INVALID_DATA: expected a value of kind integer, got text \"abc\"");
}

TEST_CASE("value: an error's message() is what() without the code", "[value]") {
  try {
    (void)value{"abc"}.as_integer();
    FAIL("as_integer accepted text");
  } catch (const relata::invalid_data& e) {
    CHECK(e.message() == "expected a value of kind integer, got text \"abc\"");
    CHECK(std::string(e.what()) == "INVALID_DATA: " + std::string(e.message()));
  }
}

// --- compare: SQL's rules --------------------------------------------------------------------

TEST_CASE("compare: integers and reals compare numerically across kinds", "[value][compare]") {
  CHECK(equivalent(value{1}, value{1.0}));
  CHECK(equivalent(value{1.0}, value{1}));
  CHECK(less(value{1}, value{1.5}));
  CHECK(greater(value{2.5}, value{2}));
  CHECK(less(value{-3}, value{-2.999}));
  CHECK(equivalent(value{0.0}, value{-0.0}));
  CHECK(equivalent(value{0}, value{-0.0}));
  CHECK(less(value{5}, value{std::numeric_limits<double>::infinity()}));
  CHECK(greater(value{5}, value{-std::numeric_limits<double>::infinity()}));
}

TEST_CASE("compare: two integers compare exactly, even where doubles cannot tell them apart",
          "[value][compare]") {
  // int64_max and int64_max - 1 are the same double; as integers they differ
  CHECK(greater(value{int64_max}, value{int64_max - 1}));
  CHECK(less(value{int64_min}, value{int64_min + 1}));
  CHECK(less(value{int64_min}, value{int64_max}));
  CHECK(equivalent(value{int64_max}, value{int64_max}));
}

TEST_CASE("compare: null is unordered against everything, itself included", "[value][compare]") {
  const std::vector<value> others{value{},
                                  value{0},
                                  value{0.0},
                                  value{false},
                                  value{""},
                                  value{relata::blob{}},
                                  value{relata::timestamp{}},
                                  value{relata::json_text{"null"}},
                                  value{value::array_type{}}};
  for (const auto& other : others) {
    CHECK(unordered(value{}, other));
    CHECK(unordered(other, value{}));
  }
}

TEST_CASE("compare: text compares bytewise (UTF-8 code point order, uppercase first)",
          "[value][compare]") {
  CHECK(less(value{"B"}, value{"a"}));
  CHECK(less(value{"Z"}, value{"a"}));
  CHECK(less(value{"ab"}, value{"abc"}));
  CHECK(less(value{""}, value{"a"}));
  CHECK(less(value{"z"}, value{"\xc3\xa9"}));                     // z < é (U+00E9)
  CHECK(less(value{"\xc3\x89"}, value{"\xc3\xa9"}));              // É < é
  CHECK(less(value{"\xc3\xa9"}, value{"\xe6\x97\xa5"}));          // é < 日
  CHECK(less(value{"\xe6\x97\xa5"}, value{"\xf0\x9f\x98\x80"}));  // 日 < 😀
  CHECK(equivalent(value{"\xc3\xa9"}, value{"\xc3\xa9"}));
  // composed and decomposed é are different text
  CHECK_FALSE(equivalent(value{"\xc3\xa9"}, value{"e\xcc\x81"}));
}

TEST_CASE("compare: blobs bytewise, a prefix first; booleans false < true; timestamps by time",
          "[value][compare]") {
  CHECK(less(value{bytes({0x00})}, value{bytes({0xff})}));
  CHECK(less(value{bytes({1, 2})}, value{bytes({1, 2, 0})}));
  CHECK(less(value{relata::blob{}}, value{bytes({0})}));
  CHECK(equivalent(value{relata::blob{}}, value{relata::blob{}}));
  CHECK(greater(value{bytes({0x80})}, value{bytes({0x7f, 0xff})}));  // unsigned bytes
  CHECK(less(value{false}, value{true}));
  CHECK(equivalent(value{true}, value{true}));
  const auto t = at(std::chrono::sys_days{2024y / 1 / 1});
  CHECK(less(value{t}, value{t + 1ns}));
  CHECK(greater(value{t}, value{t - 1ns}));
  CHECK(equivalent(value{t}, value{t}));
}

TEST_CASE("compare: values of unrelated kinds are unordered", "[value][compare]") {
  CHECK(unordered(value{1}, value{"1"}));
  CHECK(unordered(value{true}, value{1}));
  CHECK(unordered(value{"a"}, value{bytes({'a'})}));
  CHECK(unordered(value{relata::timestamp{}}, value{"1970-01-01 00:00:00"}));
  CHECK(unordered(value{1.0}, value{false}));
}

TEST_CASE("compare: arrays are only equal or unordered", "[value][compare]") {
  const value a{value::array_type{value{1}, value{2}}};
  const value b{value::array_type{value{1}, value{3}}};
  CHECK(equivalent(a, value{value::array_type{value{1}, value{2}}}));
  CHECK(unordered(a, b));
}

// --- equality and hashing --------------------------------------------------------------------

TEST_CASE("value equality: same kind and same content", "[value]") {
  CHECK(value{} == value{nullptr});
  CHECK(value{"a"} == value{std::string("a")});
  CHECK(value{std::int8_t{5}} == value{std::int64_t{5}});  // every width is an integer
  CHECK(value{1} != value{1.0});                           // kinds differ
  CHECK(value{1} != value{true});
  CHECK(value{"1"} != value{1});
  CHECK(value{bytes({1, 2})} == value{bytes({1, 2})});
  CHECK(value{bytes({1, 2})} != value{bytes({1, 2, 0})});
  CHECK(value{relata::json_text{"{}"}} != value{"{}"});
  CHECK(value{value::array_type{value{1}}} != value{value::array_type{value{1.0}}});
}

TEST_CASE("std::hash<value>: equal values hash equal, and values work as hash keys", "[value]") {
  const std::hash<value> h;
  CHECK(h(value{42}) == h(value{std::int16_t{42}}));
  CHECK(h(value{"key"}) == h(value{std::string("key")}));
  CHECK(h(value{bytes({1, 2, 3})}) == h(value{bytes({1, 2, 3})}));
  CHECK(h(value{value::array_type{value{1}, value{"a"}}}) ==
        h(value{value::array_type{value{1}, value{"a"}}}));
  CHECK(h(value{}) == h(value{nullptr}));

  std::unordered_set<value> set{value{1}, value{"1"}, value{1.0}, value{true}, value{}};
  CHECK(set.size() == 5);
  set.insert(value{std::uint8_t{1}});
  set.insert(value{std::string("1")});
  CHECK(set.size() == 5);
  CHECK(set.count(value{1}) == 1);
  CHECK(set.count(value{2}) == 0);
}

TEST_CASE("value::to_string renders short texts for messages", "[value]") {
  CHECK(value{}.to_string() == "null");
  CHECK(value{42}.to_string() == "42");
  CHECK(value{int64_min}.to_string() == "-9223372036854775808");
  CHECK(value{true}.to_string() == "true");
  CHECK(value{false}.to_string() == "false");
  CHECK(value{"Ada"}.to_string() == "\"Ada\"");
  CHECK(value{bytes({1, 2, 3})}.to_string() == "<3 bytes>");
  CHECK(value{relata::json_text{"{\"a\":1}"}}.to_string() == "{\"a\":1}");
  CHECK(value{value::array_type{value{1}, value{"x"}, value{}}}.to_string() == "[1,\"x\",null]");
  CHECK(value{value::array_type{}}.to_string() == "[]");
  CHECK(value{at(std::chrono::sys_days{2024y / 2 / 29}, 12h + 1ns)}.to_string() ==
        "2024-02-29T12:00:00.000000001Z");
  CHECK(value{2.5}.to_string().rfind("2.5", 0) == 0);
}

// --- timestamps as text ----------------------------------------------------------------------

TEST_CASE("format_timestamp writes UTC with a fraction trimmed of trailing zeros", "[time]") {
  using relata::detail::format_timestamp;
  const auto day = std::chrono::sys_days{2024y / 2 / 29};
  CHECK(format_timestamp(at(std::chrono::sys_days{1970y / 1 / 1})) == "1970-01-01 00:00:00");
  CHECK(format_timestamp(at(std::chrono::sys_days{1970y / 1 / 1}), true) == "1970-01-01T00:00:00Z");
  CHECK(format_timestamp(at(day, 23h + 59min + 59s)) == "2024-02-29 23:59:59");
  CHECK(format_timestamp(at(day, 500ms)) == "2024-02-29 00:00:00.5");
  CHECK(format_timestamp(at(day, 120ms)) == "2024-02-29 00:00:00.12");
  CHECK(format_timestamp(at(day, 1us)) == "2024-02-29 00:00:00.000001");
  CHECK(format_timestamp(at(day, 1ns)) == "2024-02-29 00:00:00.000000001");
  CHECK(format_timestamp(at(day, 123456789ns), true) == "2024-02-29T00:00:00.123456789Z");
  // nanosecond time points reach 2262
  CHECK(format_timestamp(at(std::chrono::sys_days{2262y / 4 / 11}, 23h + 47min + 16s)) ==
        "2262-04-11 23:47:16");
  // before the epoch
  CHECK(format_timestamp(at(std::chrono::sys_days{1970y / 1 / 1}) - 1ns) ==
        "1969-12-31 23:59:59.999999999");
  CHECK(format_timestamp(at(std::chrono::sys_days{1900y / 3 / 1}, 1h)) == "1900-03-01 01:00:00");
}

TEST_CASE("parse_timestamp accepts date only, ' ' or 'T', fractions of 1 to 9 digits, offsets",
          "[time]") {
  using relata::detail::parse_timestamp;
  const auto day = std::chrono::sys_days{2024y / 2 / 29};
  CHECK(parse_timestamp("2024-02-29") == at(day));
  CHECK(parse_timestamp("2024-02-29 13:14") == at(day, 13h + 14min));
  CHECK(parse_timestamp("2024-02-29T13:14") == at(day, 13h + 14min));
  CHECK(parse_timestamp("2024-02-29 13:14:15") == at(day, 13h + 14min + 15s));
  CHECK(parse_timestamp("2024-02-29T13:14:15") == at(day, 13h + 14min + 15s));
  CHECK(parse_timestamp("2024-02-29T13:14:15.5") == at(day, 13h + 14min + 15s + 500ms));
  CHECK(parse_timestamp("2024-02-29T13:14:15.05") == at(day, 13h + 14min + 15s + 50ms));
  CHECK(parse_timestamp("2024-02-29T13:14:15.000001") == at(day, 13h + 14min + 15s + 1us));
  CHECK(parse_timestamp("2024-02-29T13:14:15.123456789") ==
        at(day, 13h + 14min + 15s + 123456789ns));
  CHECK(parse_timestamp("2024-02-29T13:14:15.000000001Z") == at(day, 13h + 14min + 15s + 1ns));
  CHECK(parse_timestamp("2024-02-29T13:14:15Z") == at(day, 13h + 14min + 15s));
  CHECK(parse_timestamp("2024-02-29T13:14:15z") == at(day, 13h + 14min + 15s));
  // offsets: local time minus the offset is UTC
  CHECK(parse_timestamp("2024-02-29T13:14:15+02") == at(day, 11h + 14min + 15s));
  CHECK(parse_timestamp("2024-02-29T13:14:15+02:00") == at(day, 11h + 14min + 15s));
  CHECK(parse_timestamp("2024-02-29T13:14:15-05:30") == at(day, 18h + 44min + 15s));
  CHECK(parse_timestamp("2024-02-29T01:00:00+05:30") == at(day, -4h - 30min));
  CHECK(parse_timestamp("2024-02-29T23:00:00-02:00") ==
        at(std::chrono::sys_days{2024y / 3 / 1}, 1h));
  CHECK(parse_timestamp("2024-02-29T13:14:15.25+01:00") == at(day, 12h + 14min + 15s + 250ms));
}

TEST_CASE("parse_timestamp refuses text that is not a timestamp", "[time]") {
  using relata::detail::parse_timestamp;
  for (const char* bad : {"",
                          "2024",
                          "2024-02",
                          "24-02-29",
                          "2024-2-29",
                          "2024/02/29",
                          "2024-02-30",
                          "2023-02-29",
                          "2024-13-01",
                          "2024-00-10",
                          "2024-02-29 ",
                          "2024-02-29X13:14",
                          "2024-02-29 13",
                          "2024-02-29 24:00",
                          "2024-02-29 13:60",
                          "2024-02-29 13:14:15.",
                          "2024-02-29 13:14:15.x",
                          "2024-02-29 13:14:15Zjunk",
                          "2024-02-29 13:14:15+",
                          "2024-02-29 13:14:15 UTC",
                          "2024-02-29Z",
                          "yesterday",
                          "2024-02-29'; DROP TABLE x; --"}) {
    INFO(bad);
    CHECK_FALSE(parse_timestamp(bad).has_value());
  }
}

TEST_CASE("format_timestamp and parse_timestamp round-trip to the nanosecond", "[time]") {
  using relata::detail::format_timestamp;
  using relata::detail::parse_timestamp;
  const auto day = std::chrono::sys_days{2024y / 2 / 29};
  for (const auto t : {at(day),
                       at(day, 1ns),
                       at(day, 999999999ns),
                       at(day, 13h + 14min + 15s + 100ms),
                       at(day, 23h + 59min + 59s + 10us),
                       at(std::chrono::sys_days{1970y / 1 / 1}) - 1ns,
                       at(std::chrono::sys_days{1677y / 9 / 23}),
                       at(std::chrono::sys_days{2262y / 4 / 9}, 24h - 1ns),
                       at(std::chrono::sys_days{2200y / 12 / 31}, 24h - 1ns)}) {
    const auto plain = format_timestamp(t);
    const auto iso = format_timestamp(t, true);
    INFO(iso);
    CHECK(parse_timestamp(plain) == t);
    CHECK(parse_timestamp(iso) == t);
  }
}

TEST_CASE("parse_timestamp refuses days a nanosecond time point cannot hold", "[time]") {
  using relata::detail::parse_timestamp;
  for (const auto* far :
       {"1000-01-01", "1677-09-22 23:59:59", "2262-04-10", "9999-12-31 23:59:59Z"}) {
    INFO(far);
    CHECK_FALSE(parse_timestamp(far).has_value());
  }
  CHECK(parse_timestamp("1677-09-23").has_value());
  CHECK(parse_timestamp("2262-04-09 23:59:59.999999999").has_value());
}

TEST_CASE("formatted timestamps (stored form) sort as text in time order", "[time]") {
  using relata::detail::format_timestamp;
  const auto base = at(std::chrono::sys_days{2024y / 2 / 29}, 12h);
  std::vector<relata::timestamp> times{base,
                                       base + 1ns,
                                       base + 10ns,
                                       base + 100ns,
                                       base + 1us,
                                       base + 50ms,
                                       base + 100ms,
                                       base + 100ms + 1ns,
                                       base + 999999999ns,
                                       base + 1s,
                                       base + 1s + 5ms,
                                       base + 10s,
                                       base + 1min,
                                       base + 11h + 59min + 59s + 999ms,
                                       base - 1ns,
                                       base - 1s,
                                       base - 1s + 1ns,
                                       at(std::chrono::sys_days{1678y / 1 / 1}),
                                       at(std::chrono::sys_days{1970y / 1 / 1}) - 1ns,
                                       at(std::chrono::sys_days{2200y / 1 / 1})};
  std::sort(times.begin(), times.end());
  // the stored form (not the ISO one, whose 'Z' sorts after a fraction's '.')
  for (std::size_t i = 1; i < times.size(); ++i) {
    const auto before = format_timestamp(times[i - 1]);
    const auto after = format_timestamp(times[i]);
    INFO(before << " then " << after);
    CHECK(before < after);
  }
}

// --- name conversions ------------------------------------------------------------------------

TEST_CASE("converted_string: snake_case", "[naming]") {
  CHECK(snake("CartItem") == "cart_item");
  CHECK(snake("cartItem") == "cart_item");
  CHECK(snake("cart_item") == "cart_item");
  CHECK(snake("Customer") == "customer");
  CHECK(snake("customerId") == "customer_id");
  CHECK(snake("HTTPServer") == "http_server");
  CHECK(snake("userID") == "user_id");
  CHECK(snake("ID") == "id");
  CHECK(snake("AlbumId") == "album_id");
  CHECK(snake("order2Item") == "order2_item");
  CHECK(snake("cart-item") == "cart_item");
  CHECK(snake("__cart__item__") == "cart_item");
  CHECK(snake("") == "");
}

TEST_CASE("converted_string: camelCase and PascalCase", "[naming]") {
  CHECK(camel("cart_item") == "cartItem");
  CHECK(camel("CartItem") == "cartItem");
  CHECK(camel("Customer") == "customer");
  CHECK(camel("customer_id") == "customerId");
  CHECK(camel("HTTPServer") == "httpServer");
  CHECK(camel("user_id") == "userId");
  CHECK(camel("cartItem") == "cartItem");
  CHECK(pascal("cart_item") == "CartItem");
  CHECK(pascal("cartItem") == "CartItem");
  CHECK(pascal("customer") == "Customer");
  CHECK(pascal("album_id") == "AlbumId");
  CHECK(pascal("HTTPServer") == "HttpServer");
  CHECK(relata::detail::converted_string("Any_Name-x", relata::naming::as_is) == "Any_Name-x");
}

TEST_CASE("foreign_key_name: the key relata infers in each naming style", "[naming]") {
  using relata::naming;
  CHECK(fk("Customer", naming::snake_case) == "customer_id");
  CHECK(fk("CartItem", naming::snake_case) == "cart_item_id");
  CHECK(fk("Customer", naming::camel_case) == "customerId");
  CHECK(fk("CartItem", naming::camel_case) == "cartItemId");
  CHECK(fk("Customer", naming::pascal_case) == "CustomerId");
  CHECK(fk("cart_item", naming::pascal_case) == "CartItemId");
  CHECK(fk("CartItem", naming::as_is) == "cart_item_id");  // as_is infers snake_case
  CHECK(fk("Account", naming::snake_case, true) == "account_ids");
  CHECK(fk("Account", naming::camel_case, true) == "accountIds");
  static_assert(relata::detail::foreign_key_name("Customer", relata::naming::snake_case).view() ==
                "customer_id");
}

// --- the memory connector's LIKE -------------------------------------------------------------

TEST_CASE("memory like: literals, % and _", "[like]") {
  CHECK(like("abc", "abc"));
  CHECK_FALSE(like("abc", "ab"));
  CHECK_FALSE(like("ab", "abc"));
  CHECK(like("abc", "a%"));
  CHECK(like("abc", "%c"));
  CHECK(like("abc", "%b%"));
  CHECK(like("abc", "%"));
  CHECK(like("abc", "%%"));
  CHECK(like("", "%"));
  CHECK(like("", ""));
  CHECK_FALSE(like("a", ""));
  CHECK_FALSE(like("", "_"));
  CHECK(like("abc", "_bc"));
  CHECK(like("abc", "a_c"));
  CHECK(like("abc", "___"));
  CHECK_FALSE(like("abc", "__"));
  CHECK_FALSE(like("abc", "____"));
  CHECK(like("aXbYbZc", "a%b%c"));
  CHECK(like("abcb", "a%b"));
  CHECK_FALSE(like("abc", "a%b"));
  CHECK(like("mississippi", "%iss%ipp_"));
  CHECK_FALSE(like("mississippi", "%iss%ipp"));
}

TEST_CASE("memory like: backslash escapes %, _ and itself", "[like]") {
  CHECK(like("50%", "50\\%"));
  CHECK_FALSE(like("50x", "50\\%"));
  CHECK_FALSE(like("500", "50\\%"));
  CHECK(like("50% off", "50\\%%"));
  CHECK(like("a_b", "a\\_b"));
  CHECK_FALSE(like("axb", "a\\_b"));
  CHECK(like("a\\b", "a\\\\b"));
  CHECK_FALSE(like("ab", "a\\\\b"));
  CHECK_FALSE(like("a\\\\b", "a\\\\b"));
  CHECK(like("100%_\\", "%\\%\\_\\\\"));
  CHECK(like("abc", "\\a\\b\\c"));  // an escaped ordinary character is itself
}

TEST_CASE("memory like: _ matches one UTF-8 character, whatever its length", "[like]") {
  CHECK(like("caf\xc3\xa9", "caf_"));  // é: 2 bytes
  CHECK_FALSE(like("caf\xc3\xa9", "caf__"));
  CHECK(like("\xe6\x97\xa5\xe6\x9c\xac", "__"));  // 日本: 3 bytes each
  CHECK_FALSE(like("\xe6\x97\xa5\xe6\x9c\xac", "_"));
  CHECK_FALSE(like("\xe6\x97\xa5\xe6\x9c\xac", "___"));
  CHECK(like("\xf0\x9f\x98\x80", "_"));  // 😀: 4 bytes
  CHECK(like("x\xf0\x9f\x98\x80y", "x_y"));
  CHECK(like("\xe6\x97\xa5\xe6\x9c\xac", "%\xe6\x9c\xac"));
  CHECK(like("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5%"));
  CHECK(
      like("a\xc3\xa9"
           "b",
           "%_b"));
  CHECK_FALSE(like("\xe6\x97\xa5", "\xe6\x9c\xac"));
}

TEST_CASE("memory like: case-sensitive; ilike folds ASCII letters only", "[like]") {
  CHECK_FALSE(like("ABC", "abc"));
  CHECK_FALSE(like("abc", "A%"));
  CHECK(ilike("ABC", "abc"));
  CHECK(ilike("abc", "A%"));
  CHECK(ilike("Apple Pie", "%PIE"));
  CHECK(ilike("x_Y", "X\\_y"));
  CHECK_FALSE(ilike("x_Y", "X\\_z"));
  // É (U+00C9) and é (U+00E9) are not folded
  CHECK_FALSE(
      ilike("\xc3\x89"
            "cole",
            "\xc3\xa9"
            "cole"));
  CHECK(
      ilike("\xc3\x89"
            "COLE",
            "\xc3\x89"
            "cole"));
}
