// A string usable as a template argument: relata::key_to<"buyer_id">.
#pragma once

#include <cstddef>
#include <string_view>

namespace relata::detail {

template <std::size_t N>
struct fixed_string {
  char data[N]{};  // with the terminating NUL

  constexpr fixed_string() noexcept = default;
  constexpr fixed_string(const char (&text)[N]) noexcept {  // NOLINT: implicit on purpose
    for (std::size_t i = 0; i < N; ++i) data[i] = text[i];
  }
  constexpr std::string_view view() const noexcept { return {data, N - 1}; }
  constexpr operator std::string_view() const noexcept { return view(); }  // NOLINT
};

}  // namespace relata::detail
