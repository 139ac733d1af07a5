// relata/changes.hpp: a typed partial update, `{{&Order::total, 4.0}, {&Order::note, "x"}}`.
//
// Setting a member that is not a stored property of the model, or giving a value of the wrong
// type, does not compile. `changes<M>::from_json` (json.hpp) accepts the same from JSON,
// validated against the model.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <relata/connector.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/value.hpp>

namespace relata {

namespace detail {

template <class Property, class Value, bool Ok>
struct check_change_value_type {
  static_assert(Ok,
                "relata: the value's type does not match the property's type in this "
                "change (numbers for numbers, integers for integers, strings for text, "
                "std::nullopt only for std::optional properties)");
  static constexpr bool value = Ok;
};

template <class P, class V>
constexpr bool assignable_value() {
  using W = std::remove_cvref_t<V>;
  if constexpr (std::is_same_v<W, std::nullopt_t>) {
    return is_optional<P>::value;
  } else if constexpr (std::is_same_v<W, P>) {
    return true;
  } else if constexpr (is_optional<W>::value) {
    return is_optional<P>::value && assignable_value<non_optional_t<P>, typename W::value_type>();
  } else {
    return comparable_value<P, W>() && std::is_constructible_v<P, const W&>;
  }
}

}  // namespace detail

/// One `property = value` of a change set on model M.
template <class M>
struct set_property {
  assignment change;

  template <class T, class V>
  set_property(T M::*member, const V& v)  // NOLINT: {&Order::total, 4.0}
      : change{detail::property_index(member), convert<T>(member, v)} {
    static_assert(detail::check_condition_on_property<M, T, !detail::is_relation_type<T>>::value);
  }

 private:
  template <class T, class V>
  static value convert(T M::*member, const V& v) {
    (void)member;
    static_assert(detail::check_change_value_type<T, V, detail::assignable_value<T, V>()>::value);
    if constexpr (std::is_same_v<std::remove_cvref_t<V>, std::nullopt_t>) {
      return value{};
    } else {
      try {
        return detail::to_value(T(v));
      } catch (const detail::conversion_failure& failure) {
        throw invalid_data(
            "property " +
            std::string(definition_of<M>().properties[detail::property_index(member)].name) +
            " of model " + std::string(M::relata_model_name) + ": " + failure.what);
      }
    }
  }
};

/// A partial update of model M: the properties to set and their new values.
template <class M>
class changes {
 public:
  changes() = default;
  changes(std::initializer_list<set_property<M>> list) {  // NOLINT: {{&M::a, 1}, {&M::b, 2}}
    for (const auto& s : list) add(s.change);
  }

  /// Sets one more property.
  template <class T, class V>
  changes& set(T M::*member, const V& v) {
    add(set_property<M>(member, v).change);
    return *this;
  }

  /// A JSON object of property -> value from an untrusted source, validated against M.
  static changes from_json(const nlohmann::json& document);
  static changes from_json(std::string_view text);
  static changes from_json(const char* text) { return from_json(std::string_view(text)); }
  static changes from_json(const std::string& text) { return from_json(std::string_view(text)); }

  const std::vector<assignment>& assignments() const noexcept { return assignments_; }
  bool empty() const noexcept { return assignments_.empty(); }
  /// The new value of `property`, if this change set has one.
  const value* find(std::size_t property) const noexcept {
    for (const auto& a : assignments_) {
      if (a.property == property) return &a.new_value;
    }
    return nullptr;
  }

  /// Adds an already validated assignment (a later one for the same property wins).
  void add(assignment a) {
    for (auto& existing : assignments_) {
      if (existing.property == a.property) {
        existing.new_value = std::move(a.new_value);
        return;
      }
    }
    assignments_.push_back(std::move(a));
  }

 private:
  std::vector<assignment> assignments_;
};

namespace detail {
/// A JSON object of property -> value as validated assignments to properties of `model`.
std::vector<assignment> assignments_from_json(const model_definition& model,
                                              const nlohmann::json& document);
/// The same from JSON text (refused when it is not JSON).
std::vector<assignment> assignments_from_json_text(const model_definition& model,
                                                   std::string_view text);
}  // namespace detail

template <class M>
changes<M> changes<M>::from_json(const nlohmann::json& document) {
  changes<M> out;
  for (auto& a : detail::assignments_from_json(definition_of<M>(), document)) {
    out.add(std::move(a));
  }
  return out;
}

template <class M>
changes<M> changes<M>::from_json(std::string_view text) {
  changes<M> out;
  for (auto& a : detail::assignments_from_json_text(definition_of<M>(), text)) {
    out.add(std::move(a));
  }
  return out;
}

}  // namespace relata

#if RELATA_DEFINE_ENGINE
#include <relata/json.hpp>  // the engine behind from_json
#endif
