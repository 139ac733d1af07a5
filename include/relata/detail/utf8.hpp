// relata/detail/utf8.hpp: UTF-8 as JSON text requires it (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). A parsed nlohmann::json may hold any bytes in its
// strings, where JSON text cannot; relata refuses them as JSON text would be.
#pragma once

#include <cstddef>
#include <string_view>

namespace relata::detail {

/// The length of the valid UTF-8 sequence starting at `text[i]`, or 0 when it is not one.
constexpr std::size_t utf8_sequence_at(std::string_view text, std::size_t i) noexcept {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if (c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xbf)) return 0;
  }
  return length;
}

/// Whether `text` is valid UTF-8.
constexpr bool valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_at(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace relata::detail
