// relata/decimal.hpp: relata::decimal<Scale>, an exact fixed-point number for the NUMERIC(p, s)
// columns of existing schemas (prices, totals).
//
//     (relata::decimal<2>, unit_price)        // NUMERIC(10,2): 0.99 is 99 cents, exactly
//
// A decimal holds an integer count of 10^-Scale units. It is stored through value_traits as a
// double (SQLite keeps NUMERIC values as REAL; PostgreSQL reads a numeric as its text and
// converts a bound float8 into the column's numeric), and rounded back to the nearest unit when
// read: exact for values of up to 15 significant digits, which covers NUMERIC(15, s). Sums and
// comparisons on decimals are then exact in C++, whatever the database did with the digits.
// relata's own DDL (`migrate`) declares a decimal column as a floating-point one.
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <relata/value.hpp>

namespace relata {

namespace detail {
constexpr std::int64_t power_of_ten(unsigned n) noexcept {
  std::int64_t r = 1;
  while (n-- > 0) r *= 10;
  return r;
}
}  // namespace detail

/// An exact decimal number with `Scale` digits after the point (decimal<2>: cents).
template <unsigned Scale>
class decimal {
  static_assert(Scale <= 15, "relata: a decimal keeps at most 15 digits after the point");

 public:
  static constexpr unsigned scale = Scale;
  /// How many units make 1 (100 for decimal<2>).
  static constexpr std::int64_t one = detail::power_of_ten(Scale);

  constexpr decimal() noexcept = default;

  /// The decimal of `units` units of 10^-Scale (decimal<2>::from_units(199) is 1.99).
  static constexpr decimal from_units(std::int64_t units) noexcept {
    decimal d;
    d.units_ = units;
    return d;
  }
  /// The nearest decimal to `v`, or nothing when `v` is not finite or out of range.
  static std::optional<decimal> from_double(double v) noexcept {
    const double scaled = std::round(v * static_cast<double>(one));
    // 2^62: well inside int64, and past the digits a double holds exactly anyway
    if (!std::isfinite(scaled) || std::fabs(scaled) > 4611686018427387904.0) return std::nullopt;
    return from_units(static_cast<std::int64_t>(scaled));
  }
  /// "12.34", "-0.5", "7": at most `Scale` digits after the point; nothing when the text is
  /// not such a number.
  static constexpr std::optional<decimal> parse(std::string_view text) noexcept {
    std::size_t i = 0;
    const bool negative = !text.empty() && (text[0] == '-' || text[0] == '+');
    if (negative) i = 1;
    const bool minus = negative && text[0] == '-';
    std::int64_t units = 0;
    unsigned digits = 0, decimals = 0;
    bool point = false;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '.' && !point) {
        point = true;
        continue;
      }
      if (c < '0' || c > '9') return std::nullopt;
      if (point && ++decimals > Scale) return std::nullopt;
      if (++digits > 18) return std::nullopt;
      units = units * 10 + (c - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; decimals < Scale; ++decimals) {
      if (units > std::numeric_limits<std::int64_t>::max() / 10) return std::nullopt;
      units *= 10;
    }
    return from_units(minus ? -units : units);
  }

  /// The count of 10^-Scale units.
  constexpr std::int64_t units() const noexcept { return units_; }
  /// The nearest double.
  double to_double() const noexcept {
    return static_cast<double>(units_) / static_cast<double>(one);
  }
  /// "12.34": exactly `Scale` digits after the point.
  std::string to_string() const {
    const std::uint64_t magnitude =
        units_ < 0 ? 0 - static_cast<std::uint64_t>(units_) : static_cast<std::uint64_t>(units_);
    std::string digits = std::to_string(magnitude);
    if (digits.size() <= Scale) digits.insert(0, Scale + 1 - digits.size(), '0');
    if constexpr (Scale > 0) digits.insert(digits.size() - Scale, 1, '.');
    return units_ < 0 ? "-" + digits : digits;
  }

  friend constexpr decimal operator+(decimal a, decimal b) noexcept {
    return from_units(a.units_ + b.units_);
  }
  friend constexpr decimal operator-(decimal a, decimal b) noexcept {
    return from_units(a.units_ - b.units_);
  }
  friend constexpr decimal operator*(decimal a, std::int64_t n) noexcept {
    return from_units(a.units_ * n);
  }
  friend constexpr decimal operator*(std::int64_t n, decimal a) noexcept { return a * n; }
  constexpr decimal& operator+=(decimal b) noexcept { return *this = *this + b; }
  constexpr decimal& operator-=(decimal b) noexcept { return *this = *this - b; }

  friend constexpr bool operator==(const decimal&, const decimal&) = default;
  friend constexpr auto operator<=>(const decimal&, const decimal&) = default;
  friend std::ostream& operator<<(std::ostream& os, const decimal& d) {
    return os << d.to_string();
  }

 private:
  std::int64_t units_ = 0;
};

/// A decimal is stored as the nearest double and read back to the nearest unit.
template <unsigned Scale>
struct value_traits<decimal<Scale>> {
  using stored_type = double;
  static double to_stored(const decimal<Scale>& d) noexcept { return d.to_double(); }
  static decimal<Scale> from_stored(double v) {
    auto d = decimal<Scale>::from_double(v);
    if (!d) {
      throw detail::conversion_failure{"the stored number " + std::to_string(v) +
                                       " is not a decimal with " + std::to_string(Scale) +
                                       " digits after the point in range"};
    }
    return *d;
  }
};

}  // namespace relata
