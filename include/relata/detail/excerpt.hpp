// relata/detail/excerpt.hpp: input echoed in error messages, bounded. A message names the
// culprit (a property name, a value, SQL text), but input can be huge (a 100 MB property name)
// or not UTF-8: an excerpt is its start, cut at a character, with bytes that are not UTF-8
// replaced by U+FFFD, and the full size said when cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <relata/detail/utf8.hpp>

namespace relata::detail {

/// How many bytes of input a message echoes at most, by default.
inline constexpr std::size_t excerpt_size = 200;

/// At most `max` bytes of `text` (more only by a "... (N bytes)" ending), as valid UTF-8.
inline std::string excerpt(std::string_view text, std::size_t max = excerpt_size) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_at(text, i);
    const std::string_view piece = n ? text.substr(i, n) : std::string_view("\xef\xbf\xbd");
    if (out.size() + piece.size() > max) {
      return out + "... (" + std::to_string(text.size()) + " bytes)";
    }
    out += piece;
    i += n ? n : 1;
  }
  return out;
}

}  // namespace relata::detail
