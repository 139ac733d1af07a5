// relata/json.hpp: models <-> nlohmann::json, nlohmann::json as a property type, and
// `changes<M>::from_json`.
//
//     nlohmann::json j = customer;              // only loaded relations appear
//     auto c = j.get<Customer>();               // types checked, unknown keys refused
//
// Every property type round-trips exactly: 64-bit integers as numbers, blobs as base64,
// time points as ISO-8601 UTC with nanoseconds, non-finite doubles as "NaN"/"Infinity"/
// "-Infinity". Missing properties keep their default value.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/changes.hpp>
#include <relata/detail/base64.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/definition.hpp>
#include <relata/detail/reflection.hpp>
#include <relata/detail/time.hpp>
#include <relata/errors.hpp>
#include <relata/model.hpp>
#include <relata/relations.hpp>
#include <relata/value.hpp>

namespace relata {

namespace detail {

/// The JSON document in `text`, or nothing when it is not JSON.
RELATA_ENGINE_INLINE std::optional<nlohmann::json> parse_json_document(std::string_view text);

/// `string "abc"`: a JSON value's type and (shortened) text, for messages.
RELATA_ENGINE_INLINE std::string json_type_name(const nlohmann::json& j);

[[noreturn]] RELATA_ENGINE_INLINE void json_mismatch(const char* expected, const nlohmann::json& j);

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE std::optional<nlohmann::json> parse_json_document(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

RELATA_ENGINE_INLINE std::string json_type_name(const nlohmann::json& j) {
  std::string text = j.dump();
  if (text.size() > 40) text = text.substr(0, 40) + "...";
  return std::string(j.type_name()) + " " + text;
}

[[noreturn]] RELATA_ENGINE_INLINE void json_mismatch(const char* expected,
                                                     const nlohmann::json& j) {
  throw conversion_failure{std::string("expected ") + expected + ", got " + json_type_name(j)};
}
#endif  // RELATA_DEFINE_ENGINE

}  // namespace detail

/// nlohmann::json properties are stored as their text (jsonb on PostgreSQL).
template <>
struct value_traits<nlohmann::json> {
  using stored_type = json_text;
  static json_text to_stored(const nlohmann::json& j) { return json_text{j.dump()}; }
  static nlohmann::json from_stored(const json_text& t) {
    auto j = detail::parse_json_document(t.text);
    if (!j) throw detail::conversion_failure{"the stored text is not JSON"};
    return std::move(*j);
  }
};

namespace detail {

/// A property value as JSON.
template <class T>
nlohmann::json to_json_value(const T& v) {
  if constexpr (is_optional<T>::value) {
    return v ? to_json_value(*v) : nlohmann::json(nullptr);
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    return v;
  } else if constexpr (has_value_traits<T>) {
    return to_json_value(value_traits<T>::to_stored(v));
  } else if constexpr (std::is_same_v<T, bool>) {
    return v;
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<std::underlying_type_t<T>>(v);
  } else if constexpr (std::is_integral_v<T>) {
    return v;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    return v;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v;
  } else if constexpr (std::is_same_v<T, blob>) {
    return base64_encode(v);
  } else if constexpr (is_time_point<T>::value) {
    return format_timestamp(std::chrono::time_point_cast<std::chrono::nanoseconds>(v), true);
  } else if constexpr (std::is_same_v<T, json_text>) {
    auto j = parse_json_document(v.text);
    if (!j) throw conversion_failure{"the stored text is not JSON"};
    return std::move(*j);
  } else if constexpr (is_vector<T>::value) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& e : v) array.push_back(to_json_value(e));
    return array;
  } else {
    static_assert(dependent_false<T>, "relata: this property type has no JSON mapping");
  }
}

/// A property value from JSON, its type checked; throws conversion_failure.
template <class T>
void from_json_value(const nlohmann::json& j, T& out) {
  if constexpr (is_optional<T>::value) {
    if (j.is_null()) {
      out.reset();
    } else {
      from_json_value(j, out.emplace());
    }
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    out = j;
  } else if constexpr (has_value_traits<T>) {
    typename value_traits<T>::stored_type stored{};
    from_json_value(j, stored);
    out = value_traits<T>::from_stored(std::move(stored));
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) json_mismatch("a boolean", j);
    out = j.get<bool>();
  } else if constexpr (std::is_enum_v<T>) {
    std::underlying_type_t<T> raw{};
    from_json_value(j, raw);
    out = static_cast<T>(raw);
  } else if constexpr (std::is_integral_v<T>) {
    if (j.is_number_unsigned()) {
      const auto u = j.get<std::uint64_t>();
      if (!std::in_range<T>(u)) json_mismatch("an integer in the property's range", j);
      out = static_cast<T>(u);
    } else if (j.is_number_integer()) {
      const auto i = j.get<std::int64_t>();
      if (!std::in_range<T>(i)) json_mismatch("an integer in the property's range", j);
      out = static_cast<T>(i);
    } else {
      json_mismatch("an integer", j);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (j.is_number()) {
      out = j.get<T>();
    } else if (j.is_string() && j.get_ref<const std::string&>() == "NaN") {
      out = std::numeric_limits<T>::quiet_NaN();
    } else if (j.is_string() && j.get_ref<const std::string&>() == "Infinity") {
      out = std::numeric_limits<T>::infinity();
    } else if (j.is_string() && j.get_ref<const std::string&>() == "-Infinity") {
      out = -std::numeric_limits<T>::infinity();
    } else {
      json_mismatch("a number", j);
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j.is_string()) json_mismatch("a string", j);
    out = j.get<std::string>();
  } else if constexpr (std::is_same_v<T, blob>) {
    if (!j.is_string()) json_mismatch("a base64 string", j);
    auto bytes = base64_decode(j.get_ref<const std::string&>());
    if (!bytes) json_mismatch("a base64 string", j);
    out = std::move(*bytes);
  } else if constexpr (is_time_point<T>::value) {
    if (!j.is_string()) json_mismatch("an ISO-8601 time string", j);
    auto t = parse_timestamp(j.get_ref<const std::string&>());
    if (!t) json_mismatch("an ISO-8601 time string", j);
    out = std::chrono::time_point_cast<typename T::duration>(*t);
  } else if constexpr (std::is_same_v<T, json_text>) {
    out.text = j.dump();
  } else if constexpr (is_vector<T>::value) {
    if (!j.is_array()) json_mismatch("an array", j);
    out.clear();
    out.reserve(j.size());
    for (const auto& e : j) from_json_value(e, out.emplace_back());
  } else {
    static_assert(dependent_false<T>, "relata: this property type has no JSON mapping");
  }
}

template <class M, std::size_t I>
[[noreturn]] void throw_json_error(const std::string& what) {
  throw invalid_data("property " + std::string(M::relata_member_names[I]) + " of model " +
                     std::string(M::relata_model_name) + ": " + what);
}

template <class Json, class M>
void model_to_json(Json& j, const M& m) {
  nlohmann::json out = nlohmann::json::object();
  for_each_member<M>([&](auto i) {
    const auto& member = m.*member_pointer<M, i.value>;
    const std::string name(M::relata_member_names[i.value]);
    if constexpr (is_relation_member<M, i.value>) {
      if (!member.loaded()) return;  // only loaded relations appear
      if constexpr (requires { member.has_value(); }) {
        out[name] = member.has_value() ? nlohmann::json(*member.get()) : nlohmann::json(nullptr);
      } else {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& target : member) array.push_back(nlohmann::json(target));
        out[name] = std::move(array);
      }
    } else {
      out[name] = to_json_value(member);
    }
  });
  j = std::move(out);
}

template <class Json, class M>
void model_from_json(const Json& j, M& m) {
  if (!j.is_object()) {
    throw invalid_data("model " + std::string(M::relata_model_name) +
                       ": expected a JSON object, got " + json_type_name(j));
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (member_index_by_name<M>(it.key()) == member_count<M>) {
      throw invalid_data("unknown property \"" + it.key() + "\" on model " +
                         std::string(M::relata_model_name));
    }
  }
  for_each_member<M>([&](auto i) {
    auto found = j.find(std::string(M::relata_member_names[i.value]));
    if (found == j.end()) return;
    auto& member = m.*member_pointer<M, i.value>;
    if constexpr (is_relation_member<M, i.value>) {
      using target = typename member_type<M, i.value>::target_type;
      if constexpr (requires { member.has_value(); }) {
        if (found->is_null()) {
          member.assign_none();
        } else {
          if (!found->is_object())
            throw_json_error<M, i.value>("expected a related entity (an object) or null, got " +
                                         json_type_name(*found));
          member.assign(found->template get<target>());
        }
      } else {
        if (!found->is_array())
          throw_json_error<M, i.value>("expected an array of related entities");
        std::vector<target> targets;
        for (const auto& e : *found) {
          if (!e.is_object())
            throw_json_error<M, i.value>("expected an array of related entities, got an element " +
                                         json_type_name(e));
          targets.push_back(e.template get<target>());
        }
        member.assign(std::move(targets));
      }
    } else {
      try {
        from_json_value(*found, member);
      } catch (const conversion_failure& f) {
        throw_json_error<M, i.value>(f.what);
      }
    }
  });
}

}  // namespace detail

template <class M>
changes<M> changes<M>::from_json(const nlohmann::json& document) {
  if (!document.is_object()) {
    throw invalid_data("changes of model " + std::string(M::relata_model_name) +
                       ": expected a JSON object");
  }
  changes<M> out;
  for (auto it = document.begin(); it != document.end(); ++it) {
    const std::size_t member = detail::member_index_by_name<M>(it.key());
    if (member == detail::member_count<M>) {
      throw invalid_data("unknown property \"" + it.key() + "\" on model " +
                         std::string(M::relata_model_name));
    }
    detail::for_each_member<M>([&](auto i) {
      if (i.value != member) return;
      if constexpr (detail::is_relation_member<M, i.value>) {
        throw invalid_data("\"" + it.key() + "\" is a relation of model " +
                           std::string(M::relata_model_name) +
                           "; write related entities through the relation");
      } else {
        detail::member_type<M, i.value> v{};
        value stored;
        try {
          detail::from_json_value(it.value(), v);
          stored = detail::to_value(v);
        } catch (const detail::conversion_failure& f) {
          detail::throw_json_error<M, i.value>(f.what);
        }
        out.add(assignment{detail::property_index_of_member<M>(i.value), std::move(stored)});
      }
    });
  }
  return out;
}

template <class M>
changes<M> changes<M>::from_json(std::string_view text) {
  auto document = detail::parse_json_document(text);
  if (!document) {
    throw invalid_data("changes of model " + std::string(M::relata_model_name) +
                       ": the text is not valid JSON");
  }
  return from_json(*document);
}

}  // namespace relata
