// relata/json.hpp: models <-> nlohmann::json, nlohmann::json as a property type, and the
// engine behind relata's JSON readers and writers. relata.hpp leaves it out: it includes
// nlohmann/json.hpp, which most units need not compile (results as JSON text are
// json_text.hpp, filters and changes from JSON text need only nlohmann/json_fwd.hpp).
//
//     nlohmann::json j = customer;              // only loaded relations appear
//     auto c = j.get<Customer>();               // types checked, unknown keys refused
//
// Every property type round-trips exactly: 64-bit integers as numbers, blobs as base64,
// time points as ISO-8601 UTC with nanoseconds, non-finite doubles as "NaN"/"Infinity"/
// "-Infinity". JSON has the properties an entity has: those a find's `fields` left out are
// left out (LoopBack does the same), and an entity read from JSON has the keys the JSON had;
// the others keep their default value, or take the model's relata::default_value. Creating or
// replacing with an entity that lacks a required property is refused (INVALID_DATA listing
// them all); update(entity) writes the properties it has.
//
// The conversion works from the model's runtime definition (each property writes itself into
// a JSON sink and reads itself from a JSON row, as with a database), so it is compiled once,
// not once per model.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/changes.hpp>
#include <relata/detail/config.hpp>
#include <relata/detail/definition.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/json_text.hpp>
#include <relata/model.hpp>
#include <relata/value.hpp>

namespace relata {

/// Bounds on the JSON relata reads and writes outside filters (filters have json_limits):
/// models and entities from JSON, changes from JSON, and nlohmann::json properties written.
/// A document nesting deeper, or text longer, is INVALID_DATA naming the bound. Depth is
/// checked without recursion: nlohmann's dump() and relata's readers recurse per level, and a
/// hostile document 100,000 levels deep would overflow the stack.
inline constexpr std::size_t max_json_depth = 256;           ///< nesting of arrays and objects
inline constexpr std::size_t max_json_text_size = 16 << 20;  ///< bytes of JSON text

namespace detail {

/// `document` refused (invalid_data, with `what` first) when it nests deeper than max_json_depth.
void check_json_depth(const nlohmann::json& document, std::string_view what);
/// The stored text of an nlohmann::json property (conversion_failure when it cannot be stored).
std::string json_property_text(const nlohmann::json& document);

/// The JSON document in `text`, or nothing when it is not JSON.
std::optional<nlohmann::json> parse_json_document(std::string_view text);

/// An entity of `model` as a JSON object: its properties, and its loaded relations.
nlohmann::json entity_to_json(const model_definition& model, const void* entity);
/// Fills `entity` from a JSON object: types checked, unknown keys refused (invalid_data naming
/// the model and property); relations present are loaded.
void entity_from_json(const model_definition& model, const nlohmann::json& document, void* entity);
/// `all`, entities of `model`, as a JSON array of their objects.
nlohmann::json entities_to_json(const model_definition& model, const entity_buffer& all);
/// Replaces `all`'s entities with those of a JSON array of `model`'s objects (left as they were
/// when one is refused).
void entities_from_json(const model_definition& model,
                        const nlohmann::json& document,
                        entity_buffer& all);

template <>
struct json_conversion<nlohmann::json> {
  static void write(nlohmann::json& j, const model_definition& model, const void* entity) {
    j = entity_to_json(model, entity);
  }
  static void read(const nlohmann::json& j, const model_definition& model, void* entity) {
    entity_from_json(model, j, entity);
  }
};

}  // namespace detail

/// nlohmann::json properties are stored as their text (jsonb on PostgreSQL).
template <>
struct value_traits<nlohmann::json> {
  using stored_type = json_text;
  static json_text to_stored(const nlohmann::json& j) {
    return json_text{detail::json_property_text(j)};
  }
  static nlohmann::json from_stored(const json_text& t) {
    auto j = detail::parse_json_document(t.text);
    if (!j) throw detail::conversion_failure{"the stored text is not JSON"};
    return std::move(*j);
  }
};

/// Results as a JSON array of their entities' objects (`nlohmann::json j = found;`). Converted
/// by the engine from M's definition, rather than by nlohmann's code for arrays compiled for
/// every model.
template <class M>
void to_json(nlohmann::json& j, const entities<M>& all) {
  j = detail::entities_to_json(definition_of<M>(), detail::buffer_of(all));
}
/// A JSON array of M's objects as entities (`j.get<relata::entities<M>>()`).
template <class M>
void from_json(const nlohmann::json& j, entities<M>& all) {
  detail::entities_from_json(definition_of<M>(), j, detail::buffer_of(all));
}

/// `document` as JSON text, exactly as `document.dump(indent)` writes it (compact for -1;
/// text that is not UTF-8 is INVALID_DATA, where dump() throws nlohmann's type_error). With
/// RELATA_SEPARATE_COMPILATION it is compiled once, in the engine: nlohmann's serializer is
/// inline code that every translation unit calling dump() compiles again (about 1.5 s at -O2
/// with g++ 12). Takes anything nlohmann::json converts from, such as a std::vector of models
/// (results and entities have json_text.hpp's overloads, which need no nlohmann::json).
std::string dump_json(const nlohmann::json& document, int indent = -1);

}  // namespace relata

#if RELATA_DEFINE_ENGINE

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include <relata/detail/crud.hpp>
#include <relata/detail/entity.hpp>
#include <relata/detail/excerpt.hpp>
#include <relata/detail/json_depth.hpp>
#include <relata/detail/json_excerpt.hpp>
#include <relata/detail/json_value.hpp>
#include <relata/detail/utf8.hpp>

namespace relata::detail {
/// dump(), with text that is not UTF-8 refused by a relata error (nlohmann throws its own).
template <class Failure>
std::string dump_utf8(const nlohmann::json& document, int indent, std::string_view what) {
  try {
    return document.dump(indent);
  } catch (const nlohmann::json::type_error&) {
    throw Failure{std::string(what) + " holds text that is not valid UTF-8"};
  }
}
}  // namespace relata::detail

namespace relata {
RELATA_ENGINE_INLINE std::string dump_json(const nlohmann::json& document, int indent) {
  return detail::dump_utf8<invalid_data>(document, indent, "the JSON document");
}
}  // namespace relata

namespace relata::detail {

RELATA_ENGINE_INLINE std::string entity_json_text(const model_definition& model,
                                                  const void* entity,
                                                  int indent) {
  return dump_utf8<invalid_data>(
      entity_to_json(model, entity), indent, "the JSON of model " + std::string(model.name));
}

RELATA_ENGINE_INLINE std::string entities_json_text(const model_definition& model,
                                                    const entity_buffer& all,
                                                    int indent) {
  return dump_utf8<invalid_data>(
      entities_to_json(model, all), indent, "the JSON of model " + std::string(model.name));
}

RELATA_ENGINE_INLINE std::optional<nlohmann::json> parse_json_document(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

RELATA_ENGINE_INLINE std::string json_property_text(const nlohmann::json& document) {
  if (nests_deeper_than(document, max_json_depth)) {
    throw conversion_failure{"the JSON document nests deeper than " +
                             std::to_string(max_json_depth) + " levels (relata::max_json_depth)"};
  }
  return dump_utf8<conversion_failure>(document, -1, "the JSON document");
}

RELATA_ENGINE_INLINE void check_json_depth(const nlohmann::json& document, std::string_view what) {
  if (nests_deeper_than(document, max_json_depth)) {
    throw invalid_data(std::string(what) + ": the JSON document nests deeper than " +
                       std::to_string(max_json_depth) + " levels (relata::max_json_depth)");
  }
}

/// `string "abc"`: a JSON value's type and (shortened) text, for messages.
inline std::string json_type_name(const nlohmann::json& j) {
  return std::string(j.type_name()) + " " + json_excerpt(j, 40);
}

[[noreturn]] inline void json_mismatch(const char* expected, const nlohmann::json& j) {
  throw conversion_failure{std::string("expected ") + expected + ", got " + json_type_name(j)};
}

/// A value sink that builds the JSON of one property.
class json_sink final : public value_sink {
 public:
  void put_null() override { result = nullptr; }
  void put_integer(std::int64_t v) override { result = v; }
  void put_unsigned(std::uint64_t v) override { result = v; }  // JSON keeps every uint64
  void put_real(double v) override { result = real_to_json(v); }
  bool keeps_nan() const noexcept override { return true; }
  void put_boolean(bool v) override { result = v; }
  void put_text(std::string_view v) override { result = std::string(v); }
  void put_blob(std::span<const std::byte> v) override { result = blob_to_json(v); }
  void put_timestamp(timestamp v) override { result = timestamp_to_json(v); }
  void put_json(std::string_view text) override {
    auto j = parse_json_document(text);
    result = j ? std::move(*j) : nlohmann::json(nullptr);
  }
  void put_array(std::span<const value> elements, value_kind) override {
    result = nlohmann::json::array();
    for (const auto& e : elements) result.push_back(value_to_json(e));
  }
  nlohmann::json result;
};

/// One JSON value read as a row of one column, with JSON's types checked.
class json_row final : public row {
 public:
  explicit json_row(const nlohmann::json& j) noexcept : j_(j) {}

  bool is_null(std::size_t) const override { return j_.is_null() && !expects_json_; }
  std::uint64_t get_unsigned(std::size_t c) const override {
    if (j_.is_number_unsigned()) return j_.get<std::uint64_t>();
    return row::get_unsigned(c);
  }
  std::int64_t get_integer(std::size_t) const override {
    if (auto v = value_from_json(j_, value_kind::integer)) return v->as_integer();
    json_mismatch(j_.is_number_unsigned() ? "an integer in the range of the property's C++ type"
                                          : "an integer",
                  j_);
  }
  double get_real(std::size_t) const override {
    return read(value_kind::real, "a number").as_real();
  }
  bool get_boolean(std::size_t) const override {
    return read(value_kind::boolean, "a boolean").as_boolean();
  }
  std::string_view get_text(std::size_t) const override {
    if (expects_json_) {  // a json property: its document as text
      text_ = dump_utf8<conversion_failure>(j_, -1, "the JSON document");
      return text_;
    }
    // JSON text cannot hold other bytes; a parsed document can
    if (!j_.is_string()) json_mismatch("a string", j_);
    if (!valid_utf8(j_.get_ref<const std::string&>())) json_mismatch("UTF-8 text", j_);
    return j_.get_ref<const std::string&>();
  }
  std::span<const std::byte> get_blob(std::size_t) const override {
    bytes_ = read(value_kind::blob, "a base64 string").as_blob();
    return bytes_;
  }
  timestamp get_timestamp(std::size_t) const override {
    return read(value_kind::timestamp, "an ISO-8601 time string").as_timestamp();
  }
  std::vector<value> get_array(std::size_t, value_kind element) const override {
    if (!j_.is_array()) json_mismatch("an array", j_);
    for (const auto& e : j_) {
      if (!e.is_null() && !value_from_json(e, element)) {
        json_mismatch(element_expectation(element), e);
      }
    }
    return value_from_json(j_, value_kind::array, element)->as_array();
  }

  /// A json property reads the whole document as text, and a JSON null is a document (not
  /// an absent value) unless the property is optional.
  void expect_json(bool yes) noexcept { expects_json_ = yes; }

 private:
  /// The value of `kind` the JSON holds, or the mismatch naming what was `expected`.
  value read(value_kind kind, const char* expected) const {
    auto v = value_from_json(j_, kind);
    if (!v) json_mismatch(expected, j_);
    return std::move(*v);
  }
  static const char* element_expectation(value_kind element) {
    switch (element) {
      case value_kind::integer:
        return "an integer";
      case value_kind::real:
        return "a number";
      case value_kind::boolean:
        return "a boolean";
      case value_kind::timestamp:
        return "an ISO-8601 time string";
      default:
        return "a string";
    }
  }

  const nlohmann::json& j_;
  bool expects_json_ = false;
  mutable std::string text_;
  mutable std::vector<std::byte> bytes_;
};

[[noreturn]] inline void invalid_json_data(const model_definition& model,
                                           std::string_view member,
                                           const std::string& what) {
  throw invalid_data("property " + std::string(member) + " of model " + std::string(model.name) +
                     ": " + what);
}

/// Reads property `p` of `entity` from JSON `j`.
inline void read_json_property(const model_definition& model,
                               std::size_t p,
                               const nlohmann::json& j,
                               void* entity) {
  if (j.is_null() && !model.properties[p].nullable &&
      model.properties[p].kind != value_kind::json) {
    invalid_json_data(
        model, model.properties[p].name, "null for a property that is not a std::optional");
  }
  json_row cell{j};
  cell.expect_json(model.properties[p].kind == value_kind::json &&
                   !(model.properties[p].nullable && j.is_null()));
  model.properties[p].read(entity, cell, 0);  // throws invalid_data naming the property
}

/// entity_from_json without the depth check, which the entry points make once.
RELATA_ENGINE_INLINE void read_entity_json(const model_definition& model,
                                           const nlohmann::json& document,
                                           void* entity);

RELATA_ENGINE_INLINE nlohmann::json entity_to_json(const model_definition& model,
                                                   const void* entity) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < model.properties.size(); ++i) {
    if (!model.present(entity, i)) continue;  // left out by fields or by the JSON it came from
    const auto& p = model.properties[i];
    json_sink sink;
    p.write(entity, sink);
    out[std::string(p.name)] = std::move(sink.result);
  }
  for (const auto& r : model.relations) {
    if (!r.is_loaded(entity)) continue;  // only loaded relations appear
    nlohmann::json value = r.to_many ? nlohmann::json::array() : nlohmann::json(nullptr);
    r.for_each_loaded(
        const_cast<void*>(entity),
        [](void* target, const model_definition& target_model, void* context) {
          auto* json = static_cast<nlohmann::json*>(context);
          auto j = entity_to_json(target_model, target);
          if (json->is_array()) {
            json->push_back(std::move(j));
          } else {
            *json = std::move(j);
          }
        },
        &value);
    out[std::string(r.name)] = std::move(value);
  }
  return out;
}

RELATA_ENGINE_INLINE nlohmann::json entities_to_json(const model_definition& model,
                                                     const entity_buffer& all) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < all.size(); ++i) out.push_back(entity_to_json(model, all.at(i)));
  return out;
}

RELATA_ENGINE_INLINE void entities_from_json(const model_definition& model,
                                             const nlohmann::json& document,
                                             entity_buffer& all) {
  if (!document.is_array()) {
    throw invalid_data("entities of model " + std::string(model.name) +
                       ": expected a JSON array, got " + json_type_name(document));
  }
  check_json_depth(document, "entities of model " + std::string(model.name));
  entity_buffer read(*model.entity);
  read.reserve(document.size());
  for (std::size_t i = 0; i < document.size(); ++i) {
    try {
      read_entity_json(model, document[i], read.emplace_back());
    } catch (const invalid_data& e) {
      // which element, for arrays of more than a few
      throw invalid_data("entities of model " + std::string(model.name) + ", element " +
                         std::to_string(i) + ": " + std::string(e.message()));
    }
  }
  all.swap(read);
}

/// The model of a polymorphic to-one relation's target: the one its discriminator, on the
/// source entity, names.
inline const model_definition& polymorphic_target(const model_definition& model,
                                                  const relation_definition& r,
                                                  const void* entity) {
  const value name = property_value(model, entity, r.discriminator);
  const std::size_t t = name.kind() == value_kind::text ? r.target_index(name.as_text()) : npos;
  if (t == npos) {
    invalid_json_data(model,
                      r.name,
                      "the related entity's model is named by " +
                          std::string(model.properties[r.discriminator].name) + ", which holds " +
                          name.to_string() + ", not one of " + r.target_names());
  }
  return r.targets[t]();
}

/// Reads relation `r` of `entity` (of `model`) from JSON `v`: the related entities, loaded.
inline void read_json_relation(const model_definition& model,
                               const relation_definition& r,
                               const nlohmann::json& v,
                               void* entity) {
  const bool to_one = !r.to_many;
  if (r.to_many && r.polymorphic()) {
    // The links name each target's model; an array of objects does not.
    invalid_json_data(model,
                      r.name,
                      "its targets are of several models (" + r.target_names() +
                          ") and JSON does not say which each is: load them with an include");
  }
  r.set_empty(entity);
  if (to_one && v.is_null()) return;
  if (to_one && !v.is_object()) {
    invalid_json_data(
        model, r.name, "expected a related entity (an object) or null, got " + json_type_name(v));
  }
  if (!to_one && !v.is_array()) {
    invalid_json_data(
        model, r.name, "expected an array of related entities, got " + json_type_name(v));
  }
  const model_definition& target =
      r.index_offset != npos ? polymorphic_target(model, r, entity) : r.target();
  entity_buffer targets(*target.entity);
  auto load = [&](const nlohmann::json& e) {
    if (!e.is_object()) {
      invalid_json_data(
          model,
          r.name,
          "expected an array of related entities, got an element " + json_type_name(e));
    }
    read_entity_json(target, e, targets.emplace_back());
  };
  if (to_one) {
    load(v);
  } else {
    for (const auto& e : v) load(e);
  }
  for (std::size_t i = 0; i < targets.size(); ++i) r.attach(entity, target, targets.at(i), true);
}

RELATA_ENGINE_INLINE void entity_from_json(const model_definition& model,
                                           const nlohmann::json& document,
                                           void* entity) {
  check_json_depth(document, "model " + std::string(model.name));
  read_entity_json(model, document, entity);
}

RELATA_ENGINE_INLINE void read_entity_json(const model_definition& model,
                                           const nlohmann::json& document,
                                           void* entity) {
  if (!document.is_object()) {
    throw invalid_data("model " + std::string(model.name) + ": expected a JSON object, got " +
                       json_type_name(document));
  }
  std::vector<bool> given(model.properties.size());  // the properties the document has
  // Properties first: a polymorphic relation's target model is named by one of them.
  for (auto it = document.begin(); it != document.end(); ++it) {
    if (const std::size_t p = model.find_property(it.key()); p != npos) {
      read_json_property(model, p, it.value(), entity);
      given[p] = true;
    } else if (!model.find_relation(it.key())) {
      throw invalid_data("unknown property \"" + excerpt(it.key()) + "\" on model " +
                         std::string(model.name));
    }
  }
  for (auto it = document.begin(); it != document.end(); ++it) {
    if (const relation_definition* r = model.find_relation(it.key())) {
      read_json_relation(model, *r, it.value(), entity);
    }
  }
  // The entity has the keys the JSON had, and the declared defaults of those it left out.
  for (std::size_t p = 0; p < model.properties.size(); ++p) {
    if (given[p]) {
      model.mark(entity, p, true);
    } else if (model.properties[p].has_default) {
      set_property_value(model, entity, p, model.properties[p].default_value);
    } else {
      model.forget(entity, p);
    }
  }
}

RELATA_ENGINE_INLINE std::vector<assignment> assignments_from_json_text(
    const model_definition& model, std::string_view text) {
  const std::string what = "changes of model " + std::string(model.name);
  if (text.size() > max_json_text_size) {
    throw invalid_data(what + ": the text is " + std::to_string(text.size()) +
                       " bytes; the limit is " + std::to_string(max_json_text_size) +
                       " (relata::max_json_text_size)");
  }
  auto document = parse_json_document(text);
  if (!document) throw invalid_data(what + ": the text is not valid JSON");
  return assignments_from_json(model, *document);
}

RELATA_ENGINE_INLINE std::vector<assignment> assignments_from_json(const model_definition& model,
                                                                   const nlohmann::json& document) {
  if (!document.is_object()) {
    throw invalid_data("changes of model " + std::string(model.name) + ": expected a JSON object");
  }
  check_json_depth(document, "changes of model " + std::string(model.name));
  std::vector<assignment> out;
  entity_buffer scratch(
      *model.entity);  // values are converted through a property of a scratch entity
  void* entity = scratch.emplace_back();
  for (auto it = document.begin(); it != document.end(); ++it) {
    const std::size_t p = model.find_property(it.key());
    if (p == npos) {
      if (model.find_relation(it.key())) {
        throw invalid_data("\"" + it.key() + "\" is a relation of model " +
                           std::string(model.name) +
                           "; write related entities through the relation");
      }
      throw invalid_data("unknown property \"" + excerpt(it.key()) + "\" on model " +
                         std::string(model.name));
    }
    read_json_property(model, p, it.value(), entity);
    out.push_back(assignment{p, property_value(model, entity, p)});
  }
  return out;
}

}  // namespace relata::detail

#endif  // RELATA_DEFINE_ENGINE
