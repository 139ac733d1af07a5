// The one mapping between relata's values and JSON. Entities and changes read from and written
// to JSON (json.hpp), filter operands (filter_json.hpp) and SQLite's arrays, stored as JSON text
// (sqlite.hpp), all go through it, so that a value means the same thing everywhere:
//
//   integer    a number (an unsigned one above INT64_MAX is not an integer)
//   real       a number, or "NaN", "Infinity", "-Infinity" (JSON has no such numbers)
//   boolean    true or false
//   text       a string, of UTF-8 (JSON text can hold nothing else; a parsed document can)
//   blob       a base64 string
//   timestamp  a string: ISO-8601 UTC ("2024-05-01T12:00:00.5Z"), or as SQLite stores it
//   json       the document itself
//   array      an array of its elements, each as above; JSON null elements are null values
//
// Only the engine includes it (it needs nlohmann/json.hpp itself).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/detail/config.hpp>
#include <relata/value.hpp>

namespace relata::detail {

/// How timestamps are written: ISO-8601 for JSON documents, SQLite's stored form for arrays
/// kept in SQLite (so that their elements compare with timestamp columns).
enum class json_time : unsigned char { iso, stored };

/// A real as JSON: a number, or "NaN", "Infinity", "-Infinity".
nlohmann::json real_to_json(double d);

/// A timestamp as JSON: ISO-8601 UTC, or SQLite's stored form.
nlohmann::json timestamp_to_json(timestamp t, json_time time = json_time::iso);

/// Bytes as JSON: base64.
nlohmann::json blob_to_json(std::span<const std::byte> bytes);

/// `v` as JSON.
nlohmann::json value_to_json(const value& v, json_time time = json_time::iso);

/// The value of kind `kind` (for an array, with elements of kind `element`, or as the JSON
/// holds them when `element` is null) that `j` holds; nothing when it holds none. A JSON null
/// is never a value here: callers decide what null means.
std::optional<value> value_from_json(const nlohmann::json& j,
                                     value_kind kind,
                                     value_kind element = value_kind::null);

#if RELATA_DEFINE_ENGINE
}  // namespace relata::detail

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <relata/detail/base64.hpp>
#include <relata/detail/time.hpp>
#include <relata/detail/utf8.hpp>

namespace relata::detail {

RELATA_ENGINE_INLINE nlohmann::json real_to_json(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

RELATA_ENGINE_INLINE nlohmann::json timestamp_to_json(timestamp t, json_time time) {
  return format_timestamp(t, time == json_time::iso);
}

RELATA_ENGINE_INLINE nlohmann::json blob_to_json(std::span<const std::byte> bytes) {
  return base64_encode(bytes);
}

RELATA_ENGINE_INLINE nlohmann::json value_to_json(const value& v, json_time time) {
  switch (v.kind()) {
    case value_kind::null:
      return nullptr;
    case value_kind::integer:
      return v.as_integer();
    case value_kind::boolean:
      return v.as_boolean();
    case value_kind::text:
      return v.as_text();
    case value_kind::real:
      return real_to_json(v.as_real());
    case value_kind::timestamp:
      return timestamp_to_json(v.as_timestamp(), time);
    case value_kind::blob:
      return blob_to_json(v.as_blob());
    case value_kind::json: {
      auto j = nlohmann::json::parse(v.as_json().text, nullptr, false);
      return j.is_discarded() ? nlohmann::json(nullptr) : std::move(j);
    }
    case value_kind::array: {
      auto array = nlohmann::json::array();
      for (const auto& e : v.as_array()) array.push_back(value_to_json(e, time));
      return array;
    }
  }
  return nullptr;
}

RELATA_ENGINE_INLINE std::optional<value> value_from_json(const nlohmann::json& j,
                                                          value_kind kind,
                                                          value_kind element) {
  switch (kind) {
    case value_kind::integer:
      if (j.is_number_unsigned()) {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) break;
        return value{static_cast<std::int64_t>(u)};
      }
      if (j.is_number_integer()) return value{j.get<std::int64_t>()};
      break;
    case value_kind::real:
      if (j.is_number()) return value{j.get<double>()};
      if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s == "NaN") return value{std::numeric_limits<double>::quiet_NaN()};
        if (s == "Infinity") return value{std::numeric_limits<double>::infinity()};
        if (s == "-Infinity") return value{-std::numeric_limits<double>::infinity()};
      }
      break;
    case value_kind::boolean:
      if (j.is_boolean()) return value{j.get<bool>()};
      break;
    case value_kind::text:  // JSON text holds only UTF-8; a parsed document may hold any bytes
      if (j.is_string() && valid_utf8(j.get_ref<const std::string&>())) {
        return value{j.get<std::string>()};
      }
      break;
    case value_kind::blob:
      if (j.is_string()) {
        if (auto bytes = base64_decode(j.get_ref<const std::string&>())) return value{*bytes};
      }
      break;
    case value_kind::timestamp:
      if (j.is_string()) {
        if (auto t = parse_timestamp(j.get_ref<const std::string&>())) return value{*t};
      }
      break;
    case value_kind::json:  // callers bound the document's depth (dump() recurses)
      if (!j.is_null()) {
        try {
          return value{json_text{j.dump()}};
        } catch (const nlohmann::json::type_error&) {  // text that is not UTF-8
        }
      }
      break;
    case value_kind::array: {
      if (!j.is_array()) break;
      value::array_type elements;
      elements.reserve(j.size());
      for (const auto& e : j) {
        if (e.is_null()) {
          elements.emplace_back();
          continue;
        }
        const value_kind k = element != value_kind::null ? element
                             : e.is_number_integer()     ? value_kind::integer
                             : e.is_number()             ? value_kind::real
                             : e.is_boolean()            ? value_kind::boolean
                             : e.is_string()             ? value_kind::text
                                                         : value_kind::null;
        if (k == value_kind::null || k == value_kind::array) return std::nullopt;
        auto v = value_from_json(e, k);
        if (!v) return std::nullopt;
        elements.push_back(std::move(*v));
      }
      return value{std::move(elements)};
    }
    case value_kind::null:
      break;
  }
  return std::nullopt;
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::detail
