// relata/rest/detail/query.hpp: a request's query string as the filter JSON LoopBack clients
// mean, in their two styles, with the coercion LoopBack applies.
//
//   ?filter={"where":{"age":{"gte":18}}}                       (URL-encoded JSON)
//   ?filter[where][age][gte]=18&filter[include][0][relation]=orders
//
// The bracket style is the `qs` library's, which LoopBack's REST layer uses: `a[b]=1` is an
// object, `a[0]=x&a[1]=y` and `a[]=x&a[]=y` are arrays, a key given twice is an array of its
// values. Its values are strings: as LoopBack does, a string that holds a number becomes a
// number where the model has a number property (`"18"` for an integer `age`), `"true"` and
// `"false"` become booleans for boolean properties, `fields` values and `exists`, and `limit`,
// `skip` and `offset` become integers. JSON-style filters get the same coercion (LoopBack's
// juggler coerces `{"age": "18"}` too). Anything else is left as it is, for the filter parser
// to refuse with a message that says what is wrong.
//
// Sizes are bounded by the api's json_limits: the query string's length, the nesting of its
// brackets, and the JSON text of a `filter=` (filter_json.hpp's own bounds).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <relata/detail/config.hpp>
#include <relata/filter.hpp>
#include <relata/schema.hpp>

#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_REST)
#include <charconv>
#include <cstdint>
#include <map>
#include <system_error>
#include <utility>
#include <vector>

#include <relata/errors.hpp>
#include <relata/filter_json.hpp>
#endif

namespace relata::rest::detail {

/// The parameter `name` ("filter" or "where") of `query` as a JSON document, in either style;
/// null when absent. Throws invalid_filter on malformed input or a bound passed.
nlohmann::json query_parameter(std::string_view query,
                               std::string_view name,
                               const json_limits& limits);

/// The plain parameter `name` of `query` (`?targetType=Card`), decoded; nothing when absent.
/// Throws invalid_filter when it is malformed or given twice.
std::optional<std::string> plain_parameter(std::string_view query, std::string_view name);

/// Coerces the strings of a filter on model `m` as LoopBack does (see above), in place.
void coerce_filter(const model_definition& m, nlohmann::json& filter);
/// Same, for a where on model `m`.
void coerce_where(const model_definition& m, nlohmann::json& where);

/// `%XX` escapes decoded (and `+` as a space when `plus_is_space`); nothing when an escape is
/// malformed or the result is not UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_REST)

namespace query_detail {

[[noreturn]] inline void fail(const std::string& message) {
  throw invalid_filter("invalid query string: " + message);
}

inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    // overlong forms, surrogates and code points past U+10FFFF
    if ((extra == 1 && code < 0x80) || (extra == 2 && code < 0x800) ||
        (extra == 3 && code < 0x10000) || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Whether `key` is a canonical array index ("0", "12"; not "01" or "-1").
inline bool index_key(const std::string& key, std::size_t& index) {
  if (key.empty() || key.size() > 9 || (key.size() > 1 && key[0] == '0')) return false;
  index = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

/// Objects whose keys are all array indexes become arrays, in index order (as qs compacts
/// them), when the greatest index is within `max_index`.
inline void make_arrays(nlohmann::json& j, std::size_t max_index) {
  if (!j.is_object()) return;
  for (auto& [key, child] : j.items()) make_arrays(child, max_index);
  if (j.empty()) return;
  std::map<std::size_t, nlohmann::json*> by_index;
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::size_t index = 0;
    if (!index_key(it.key(), index) || index > max_index) return;
    by_index.emplace(index, &it.value());
  }
  nlohmann::json array = nlohmann::json::array();
  for (auto& [index, child] : by_index) array.push_back(std::move(*child));
  j = std::move(array);
}

/// `[a][b][]` after the parameter's name, as its segments; "" for `[]`.
inline std::vector<std::string> bracket_segments(std::string_view rest, const std::string& key) {
  std::vector<std::string> segments;
  while (!rest.empty()) {
    const auto close = rest.find(']');
    if (rest.front() != '[' || close == std::string_view::npos) {
      fail("malformed brackets in parameter \"" + key + "\"");
    }
    segments.emplace_back(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
  }
  return segments;
}

/// Adds `value` at `segments` under `root` (objects; "" appends). A key given twice becomes
/// an array of its values.
inline void place(nlohmann::json& root,
                  const std::vector<std::string>& segments,
                  std::string value,
                  const std::string& key) {
  nlohmann::json* node = &root;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!node->is_object()) fail("parameter \"" + key + "\" conflicts with an earlier one");
    const std::string segment =
        segments[i].empty() ? std::to_string(node->size()) : segments[i];  // [] appends
    if (i + 1 < segments.size()) {
      auto& child = (*node)[segment];
      if (child.is_null()) child = nlohmann::json::object();
      node = &child;
      continue;
    }
    auto found = node->find(segment);
    if (found == node->end()) {
      (*node)[segment] = std::move(value);
    } else if (found->is_string()) {
      *found = nlohmann::json::array({std::move(*found), std::move(value)});
    } else if (found->is_array()) {
      found->push_back(std::move(value));
    } else {
      fail("parameter \"" + key + "\" conflicts with an earlier one");
    }
  }
}

// --- coercion ----------------------------------------------------------------------------------

inline void coerce_integer(nlohmann::json& v) {
  if (!v.is_string()) return;
  const std::string& s = v.get_ref<const std::string&>();
  const char* first = s.data();
  const char* last = s.data() + s.size();
  std::int64_t n = 0;
  if (s.empty() || (s[0] == '-' && s.size() == 1)) return;
  auto [end, error] = std::from_chars(first, last, n);
  if (error == std::errc{} && end == last) {
    v = n;
    return;
  }
  std::uint64_t u = 0;  // past INT64_MAX: the parser says the property cannot hold it
  auto [uend, uerror] = std::from_chars(first, last, u);
  if (uerror == std::errc{} && uend == last) v = u;
}

inline void coerce_number(nlohmann::json& v) {
  if (!v.is_string()) return;
  const std::string& s = v.get_ref<const std::string&>();
  // digits, a sign, a point and an exponent only: not "nan" or "inf", which from_chars reads
  if (s.empty() || s.find_first_not_of("0123456789+-.eE") != std::string::npos) return;
  double d = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (error == std::errc{} && end == s.data() + s.size()) v = d;
}

inline void coerce_boolean(nlohmann::json& v) {
  if (v == "true") v = true;
  if (v == "false") v = false;
}

/// A string that stands for a value of `kind`, as that value.
inline void coerce_scalar(value_kind kind, nlohmann::json& v) {
  switch (kind) {
    case value_kind::integer:
      coerce_integer(v);
      break;
    case value_kind::real:
      coerce_number(v);
      break;
    case value_kind::boolean:
      coerce_boolean(v);
      break;
    default:
      break;
  }
}

inline void coerce_condition(value_kind kind, nlohmann::json& v) {
  if (!v.is_object()) {
    coerce_scalar(kind, v);
    return;
  }
  for (auto& [op, operand] : v.items()) {
    if (op == "exists") {
      coerce_boolean(operand);
    } else if (operand.is_array()) {
      for (auto& e : operand) coerce_scalar(kind, e);  // inq, nin, between
    } else {
      coerce_scalar(kind, operand);
    }
  }
}

}  // namespace query_detail

RELATA_ENGINE_INLINE std::optional<std::string> percent_decode(std::string_view text,
                                                               bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = query_detail::hex_digit(text[i + 1]);
      const int low = query_detail::hex_digit(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!query_detail::valid_utf8(out)) return std::nullopt;
  return out;
}

RELATA_ENGINE_INLINE std::optional<std::string> plain_parameter(std::string_view query,
                                                                std::string_view name) {
  using namespace query_detail;
  std::optional<std::string> found;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = part.find('=');
    const auto key = percent_decode(part.substr(0, eq), true);
    if (!key || *key != name) continue;
    auto text = percent_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (!text) fail("the value of \"" + *key + "\" is not properly percent-encoded UTF-8");
    if (found) fail("\"" + std::string(name) + "\" is given twice");
    found = std::move(*text);
  }
  return found;
}

RELATA_ENGINE_INLINE nlohmann::json query_parameter(std::string_view query,
                                                    std::string_view name,
                                                    const json_limits& limits) {
  using namespace query_detail;
  // Percent-encoding at most triples a filter's text.
  if (query.size() > 3 * limits.max_text_size) {
    fail("the query string is " + std::to_string(query.size()) + " bytes; the limit is " +
         std::to_string(3 * limits.max_text_size));
  }
  const std::size_t max_segments = 2 * (limits.max_depth + limits.max_include_depth) + 8;
  std::optional<nlohmann::json> whole;                 // name={json}
  nlohmann::json brackets = nlohmann::json::object();  // name[...]=...
  bool any_brackets = false;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    const std::string_view raw_key = part.substr(0, eq);
    // The parameter's name is plain text: decode only parameters that may be ours.
    if (raw_key.substr(0, name.size()) != name && raw_key.find('%') == std::string_view::npos) {
      continue;
    }
    auto key = percent_decode(raw_key, true);
    if (!key) fail("a parameter name is not properly percent-encoded UTF-8");
    if (key->compare(0, name.size(), name) != 0) continue;
    const std::string_view rest = std::string_view(*key).substr(name.size());
    if (!rest.empty() && rest.front() != '[') continue;  // another parameter ("filters")
    auto text = percent_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (!text) fail("the value of \"" + *key + "\" is not properly percent-encoded UTF-8");
    if (rest.empty()) {
      if (whole) fail("\"" + std::string(name) + "\" is given twice");
      whole = relata::detail::parse_filter_text(*text, limits);
      continue;
    }
    const auto segments = bracket_segments(rest, *key);
    if (segments.size() > max_segments) {
      fail("\"" + *key + "\" nests " + std::to_string(segments.size()) +
           " levels deep; the limit is " + std::to_string(max_segments));
    }
    place(brackets, segments, std::move(*text), *key);
    any_brackets = true;
  }
  if (whole && any_brackets) {
    fail("\"" + std::string(name) + "\" is given both as JSON and in brackets");
  }
  if (whole) return std::move(*whole);
  if (!any_brackets) return nullptr;
  make_arrays(brackets, limits.max_list_size);
  return brackets;
}

RELATA_ENGINE_INLINE void coerce_where(const model_definition& m, nlohmann::json& where) {
  if (!where.is_object()) return;
  for (auto& [key, v] : where.items()) {
    if (key == "and" || key == "or") {
      if (v.is_array()) {
        for (auto& e : v) coerce_where(m, e);
      }
    } else if (const std::size_t p = m.find_property(key); p != npos) {
      query_detail::coerce_condition(m.properties[p].kind, v);
    } else if (const relation_definition* r = m.find_relation(key); r && v.is_object()) {
      for (auto& [quantifier, inner] : v.items()) {
        if (!r->polymorphic()) {
          coerce_where(r->target(), inner);
        } else if (inner.is_object()) {  // {"some": {"Card": {...}}}: a where per model
          for (auto& [model, per_model] : inner.items()) {
            const std::size_t t = r->target_index(model);
            if (t != npos) coerce_where(r->targets[t](), per_model);
          }
        }
      }
    }
  }
}

RELATA_ENGINE_INLINE void coerce_filter(const model_definition& m, nlohmann::json& filter) {
  if (!filter.is_object()) return;
  for (auto& [key, v] : filter.items()) {
    if (key == "limit" || key == "skip" || key == "offset") {
      query_detail::coerce_integer(v);
    } else if (key == "where") {
      coerce_where(m, v);
    } else if (key == "fields" && v.is_object()) {
      for (auto& [field, shown] : v.items()) query_detail::coerce_boolean(shown);
    } else if (key == "include") {
      auto coerce_entry = [&](nlohmann::json& entry) {
        if (!entry.is_object()) return;
        auto relation = entry.find("relation");
        auto scope = entry.find("scope");
        if (relation == entry.end() || !relation->is_string()) return;
        const relation_definition* r = m.find_relation(relation->get<std::string>());
        if (!r) return;
        if (!r->polymorphic()) {
          if (scope != entry.end()) coerce_filter(r->target(), *scope);
          return;
        }
        // A polymorphic relation's "scope" holds for every model (whose property types may
        // differ): left as given. Its "targetScopes" are per model.
        auto per_model = entry.find("targetScopes");
        if (per_model == entry.end() || !per_model->is_object()) return;
        for (auto& [model, target_scope] : per_model->items()) {
          const std::size_t t = r->target_index(model);
          if (t != npos) coerce_filter(r->targets[t](), target_scope);
        }
      };
      if (v.is_array()) {
        for (auto& e : v) coerce_entry(e);
      } else {
        coerce_entry(v);
      }
    }
  }
}

#endif  // RELATA_DEFINE_ENGINE || RELATA_ENGINE_REST

}  // namespace relata::rest::detail
