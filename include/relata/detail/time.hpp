// Timestamps as text: one format written, several read. Used by SQLite storage, JSON and messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <relata/detail/config.hpp>

namespace relata::detail {

using nanotime = std::chrono::sys_time<std::chrono::nanoseconds>;

/// "YYYY-MM-DD HH:MM:SS[.fraction]" in UTC, the fraction trimmed of trailing zeros so that the
/// text sorts like the time (the integer part has a fixed width). `iso` gives
/// "YYYY-MM-DDTHH:MM:SS[.f]Z".
std::string format_timestamp(nanotime t, bool iso = false);

/// Reads "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.f]]" with ' ' or 'T', and an optional "Z" or
/// "+HH[:MM]" / "-HH[:MM]" offset. Returns nothing when the text is not a timestamp, or names a
/// day outside what a nanosecond time point holds (1677-09-23 to 2262-04-09).
std::optional<nanotime> parse_timestamp(std::string_view text);

#if RELATA_DEFINE_ENGINE

inline void append_digits(std::string& out, std::int64_t value, int width) {
  char buffer[20];
  for (int i = width - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer, static_cast<std::size_t>(width));
}

RELATA_ENGINE_INLINE std::string format_timestamp(nanotime t, bool iso) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day date{day};
  const auto in_day = t - day;
  const auto secs = duration_cast<seconds>(in_day);
  const auto nanos = (in_day - secs).count();
  const hh_mm_ss<seconds> hms{secs};
  std::string out;
  out.reserve(32);
  append_digits(out, static_cast<int>(date.year()), 4);
  out += '-';
  append_digits(out, static_cast<unsigned>(date.month()), 2);
  out += '-';
  append_digits(out, static_cast<unsigned>(date.day()), 2);
  out += iso ? 'T' : ' ';
  append_digits(out, hms.hours().count(), 2);
  out += ':';
  append_digits(out, hms.minutes().count(), 2);
  out += ':';
  append_digits(out, hms.seconds().count(), 2);
  if (nanos != 0) {
    std::string fraction;
    append_digits(fraction, nanos, 9);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    out += '.';
    out += fraction;
  }
  if (iso) out += 'Z';
  return out;
}

RELATA_ENGINE_INLINE std::optional<nanotime> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  auto number = [&](std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos += width;
    out = value;
    return true;
  };
  auto expect = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!number(4, y) || !expect('-') || !number(2, mo) || !expect('-') || !number(2, d)) {
    return std::nullopt;
  }
  const year_month_day date{
      year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  // One day of margin each side, so that the time of day and the offset cannot overflow.
  constexpr auto first_day = floor<days>(nanotime::min()) + days{2};
  constexpr auto last_day = floor<days>(nanotime::max()) - days{2};
  if (sys_days{date} < first_day || sys_days{date} > last_day) return std::nullopt;
  std::int64_t nanos = 0;
  std::int64_t offset_minutes = 0;
  if (pos < text.size()) {
    if (!expect(' ') && !expect('T')) return std::nullopt;
    if (!number(2, h) || !expect(':') || !number(2, mi)) return std::nullopt;
    if (expect(':')) {
      if (!number(2, s)) return std::nullopt;
      if (expect('.')) {
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (digits < 9) {
            nanos = nanos * 10 + (text[pos] - '0');
            ++digits;
          }
          ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 9; ++digits) nanos *= 10;
      }
    }
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;
    if (expect('Z') || expect('z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const bool negative = text[pos] == '-';
      ++pos;
      int oh = 0, om = 0;
      if (!number(2, oh)) return std::nullopt;
      if (expect(':')) {
        if (!number(2, om)) return std::nullopt;
      } else {
        number(2, om);
      }
      offset_minutes = (negative ? -1 : 1) * (oh * 60 + om);
    }
    if (pos != text.size()) return std::nullopt;
  }
  return nanotime{sys_days{date}} + hours{h} + minutes{mi} + seconds{s} + nanoseconds{nanos} -
         minutes{offset_minutes};
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
