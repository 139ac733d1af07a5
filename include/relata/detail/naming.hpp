// Name conversions for inferred keys and column names: snake_case, camelCase, PascalCase.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace relata {

/// How an identifier is spelled when relata derives one (a foreign key, a column name).
enum class naming {
  as_is,        ///< unchanged
  snake_case,   ///< CartItem -> cart_item
  camel_case,   ///< CartItem -> cartItem, cart_item -> cartItem
  pascal_case,  ///< cart_item -> CartItem
};

namespace detail {

constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr char to_lower(char c) noexcept {
  return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char to_upper(char c) noexcept {
  return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

/// Splits `name` into words (on '_' and on case changes: "HTTPServer" -> HTTP, Server) and
/// calls `emit(word_index, character)` for every character of every word.
template <class Emit>
constexpr void for_each_word_char(std::string_view name, Emit&& emit) {
  std::size_t word = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_' || c == '-' || c == ' ') {
      if (in_word) ++word;
      in_word = false;
      continue;
    }
    if (in_word && is_upper(c)) {
      const char prev = name[i - 1];
      const bool next_lower = i + 1 < name.size() && is_lower(name[i + 1]);
      if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && next_lower)) ++word;
    }
    in_word = true;
    emit(word, c);
  }
}

/// Converts `name` to `style`, writing through `out(char)`.
template <class Out>
constexpr void convert_name(std::string_view name, naming style, Out&& out) {
  if (style == naming::as_is) {
    for (char c : name) out(c);
    return;
  }
  std::size_t last_word = static_cast<std::size_t>(-1);
  bool word_start = false;
  for_each_word_char(name, [&](std::size_t word, char c) {
    word_start = word != last_word;
    if (word_start && word > 0 && style == naming::snake_case) out('_');
    last_word = word;
    const bool capital =
        word_start && (style == naming::pascal_case || (style == naming::camel_case && word > 0));
    out(capital ? to_upper(c) : to_lower(c));
  });
}

/// A short constexpr string (names are short; longer ones are cut and then fail to match).
struct name_buffer {
  char data[128]{};
  std::size_t size = 0;
  constexpr void push(char c) noexcept {
    if (size < sizeof(data)) data[size++] = c;
  }
  constexpr void append(std::string_view s) noexcept {
    for (char c : s) push(c);
  }
  constexpr std::string_view view() const noexcept { return {data, size}; }
};

constexpr name_buffer converted(std::string_view name, naming style) {
  name_buffer out;
  convert_name(name, style, [&](char c) { out.push(c); });
  return out;
}

inline std::string converted_string(std::string_view name, naming style) {
  std::string out;
  out.reserve(name.size() + 4);
  convert_name(name, style, [&](char c) { out.push_back(c); });
  return out;
}

/// `base` with one more word, `word` (lower case), in `style` (as_is: snake_case):
/// customer_id, customerId, CustomerId.
constexpr name_buffer suffixed_name(std::string_view base, naming style, std::string_view word) {
  const naming word_style = style == naming::as_is ? naming::snake_case : style;
  name_buffer out = converted(base,
                              word_style == naming::pascal_case  ? naming::pascal_case
                              : word_style == naming::camel_case ? naming::camel_case
                                                                 : naming::snake_case);
  if (word_style == naming::snake_case) {
    out.push('_');
    out.append(word);
  } else {
    for (std::size_t i = 0; i < word.size(); ++i) out.push(i == 0 ? to_upper(word[i]) : word[i]);
  }
  return out;
}

/// The foreign key relata infers from a name: customer_id (snake), customerId (camel, LoopBack).
/// `plural` gives customer_ids / customerIds (referencesMany).
constexpr name_buffer foreign_key_name(std::string_view base, naming style, bool plural = false) {
  name_buffer out = suffixed_name(base, style, "id");
  if (plural) out.push('s');
  return out;
}

/// The discriminator relata infers from a name, the property naming which model a polymorphic
/// key refers to: imageable_type, imageableType.
constexpr name_buffer discriminator_name(std::string_view base, naming style) {
  return suffixed_name(base, style, "type");
}

}  // namespace detail
}  // namespace relata
