// relata::decimal<Scale>: exact fixed-point numbers for NUMERIC(p, s) columns.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <relata/decimal.hpp>
#include <relata/json.hpp>
#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

namespace decimal_test {

using money = relata::decimal<2>;

struct Price {
  RELATA_MODEL(Price,
               (relata::id<std::int64_t>, id),
               (money, amount),
               (std::optional<relata::decimal<4>>, rate));
};

}  // namespace decimal_test

using decimal_test::money;
using decimal_test::Price;

TEST_CASE("decimal: text in and out", "[decimal]") {
  CHECK(money::parse("0.99")->units() == 99);
  CHECK(money::parse("12")->units() == 1200);
  CHECK(money::parse("-1.5")->units() == -150);
  CHECK(money::parse("+3.07")->units() == 307);
  CHECK(money::parse(".5")->units() == 50);
  CHECK_FALSE(money::parse("0.999"));  // more digits than the scale
  CHECK_FALSE(money::parse(""));
  CHECK_FALSE(money::parse("-"));
  CHECK_FALSE(money::parse("1.2.3"));
  CHECK_FALSE(money::parse("1e3"));
  CHECK_FALSE(money::parse("99999999999999999999"));
  CHECK(money::from_units(99).to_string() == "0.99");
  CHECK(money::from_units(-1).to_string() == "-0.01");
  CHECK(money::from_units(123456789).to_string() == "1234567.89");
  CHECK(relata::decimal<0>::from_units(7).to_string() == "7");
  CHECK(relata::decimal<3>::from_units(-12).to_string() == "-0.012");
  CHECK(money::from_units(std::numeric_limits<std::int64_t>::min()).to_string() ==
        "-92233720368547758.08");
}

TEST_CASE("decimal: doubles round to the nearest unit", "[decimal]") {
  CHECK(money::from_double(0.99)->units() == 99);
  CHECK(money::from_double(1.98 + 0.99)->units() == 297);  // 2.9699999999999998
  CHECK(money::from_double(-0.005)->units() == -1);        // half away from zero
  CHECK(money::from_double(9999999999999.99)->units() == 999999999999999);
  CHECK_FALSE(money::from_double(std::numeric_limits<double>::infinity()));
  CHECK_FALSE(money::from_double(std::numeric_limits<double>::quiet_NaN()));
  CHECK_FALSE(money::from_double(1e300));
  CHECK(money::from_units(99).to_double() == 0.99);
}

TEST_CASE("decimal: arithmetic and order are exact", "[decimal]") {
  money sum;
  for (int i = 0; i < 10; ++i) sum += money::from_units(10);  // 0.1 ten times
  CHECK(sum == money::from_units(100));
  CHECK(money::from_units(99) * 3 == money::from_units(297));
  CHECK(money::from_units(5) - money::from_units(7) == money::from_units(-2));
  CHECK(money::from_units(5) < money::from_units(7));
}

TEST_CASE("decimal: stored, filtered and serialised exactly", "[decimal]") {
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Price>(db);
  relata::repository<Price> prices{db};
  prices.create({.amount = *money::parse("0.10"), .rate = relata::decimal<4>::from_units(1)});
  prices.create({.amount = *money::parse("1234567.89")});
  prices.create({.amount = money::from_units(-1)});
  const auto all = prices.find({.order = {relata::asc(&Price::id)}});
  REQUIRE(all.size() == 3);
  CHECK(all[0].amount.units() == 10);
  CHECK(all[0].rate->to_string() == "0.0001");
  CHECK(all[1].amount.to_string() == "1234567.89");
  CHECK_FALSE(all[1].rate.has_value());
  CHECK(all[2].amount.units() == -1);
  CHECK(prices.count(relata::col(&Price::amount) > money::from_units(0)) == 2);
  CHECK(prices.count(relata::col(&Price::amount) == *money::parse("0.1")) == 1);
  const nlohmann::json j = all[0];
  CHECK(j.at("amount") == 0.1);
  CHECK(j.get<Price>().amount == money::from_units(10));
}
