// The LIKE pattern language, once for every connector: the filters check patterns with it, the
// SQL generator writes its escape character into every LIKE, and the memory connector matches
// with it.
//
//   %   any run of characters, the empty one included
//   _   exactly one character (a UTF-8 sequence, not a byte)
//   \   makes the next character literal: \% \_ \\ ; before any other character it is that
//       character. A pattern ending in a lone \ escapes nothing: INVALID_FILTER.
//   anything else matches itself: bytewise for like / nlike, ASCII letters folded for
//   ilike / nilike.
//   A NUL character is refused (INVALID_FILTER): SQLite's LIKE ends the pattern there,
//   PostgreSQL text cannot hold one, so it could not mean the same on every connector.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <relata/detail/config.hpp>
#include <relata/errors.hpp>
#include <relata/schema.hpp>

namespace relata::detail {

/// The escape character of every LIKE pattern (`... LIKE ? ESCAPE '\'`).
inline constexpr char like_escape = '\\';

/// Throws INVALID_FILTER when `pattern` is not a pattern of the language above, naming the
/// property `property` of `m` it was to match.
void check_like_pattern(std::string_view pattern, const model_definition& m, std::size_t property);

/// Appends ` ESCAPE '\'`: what every SQL LIKE of relata ends with.
void append_like_escape(std::string& sql);

/// Whether `text` matches `pattern`; `insensitive` folds ASCII letters (ilike).
bool like_matches(std::string_view text, std::string_view pattern, bool insensitive);

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE void check_like_pattern(std::string_view pattern,
                                             const model_definition& m,
                                             std::size_t property) {
  if (pattern.find('\0') != std::string_view::npos) {
    throw invalid_filter("invalid filter: the like pattern for " + m.describe(property) +
                         " holds a NUL character, which a pattern cannot hold");
  }
  std::size_t escapes = 0;  // the backslashes that end the pattern
  while (escapes < pattern.size() && pattern[pattern.size() - 1 - escapes] == like_escape) {
    ++escapes;
  }
  if (escapes % 2 == 1) {
    throw invalid_filter("invalid filter: the like pattern for " + m.describe(property) +
                         " ends with a lone \\, which escapes nothing (write \\\\ for a "
                         "backslash)");
  }
}

RELATA_ENGINE_INLINE void append_like_escape(std::string& sql) {
  sql += " ESCAPE '";
  sql += like_escape;
  sql += '\'';
}

namespace like_detail {
inline std::size_t utf8_length(unsigned char lead) noexcept {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xe) return 3;
  if ((lead >> 3) == 0x1e) return 4;
  return 1;
}

inline char fold(char c, bool insensitive) noexcept {
  return insensitive && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace like_detail

RELATA_ENGINE_INLINE bool like_matches(std::string_view text,
                                       std::string_view pattern,
                                       bool insensitive) {
  using like_detail::fold;
  using like_detail::utf8_length;
  std::size_t t = 0, p = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      if (pattern[p] == '_') {
        t += utf8_length(static_cast<unsigned char>(text[t]));
        ++p;
        continue;
      }
      std::size_t literal = p;
      if (pattern[p] == like_escape && p + 1 < pattern.size()) literal = p + 1;
      const std::size_t n = utf8_length(static_cast<unsigned char>(pattern[literal]));
      bool same = literal + n <= pattern.size() && t + n <= text.size();
      for (std::size_t i = 0; same && i < n; ++i) {
        same = fold(text[t + i], insensitive) == fold(pattern[literal + i], insensitive);
      }
      if (same) {
        t += n;
        p = literal + n;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    star_t += utf8_length(static_cast<unsigned char>(text[star_t]));
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
