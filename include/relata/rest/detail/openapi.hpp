// relata/rest/detail/openapi.hpp: the OpenAPI 3.0 document of an api, generated from the model
// definitions and the routes that were exposed.
//
// Schemas, per model reachable from an exposed route: `Customer` (what responses hold: every
// property, and each relation as an optional property, present when an include loaded it;
// a relation declared relata::disable_include is never included, so not listed),
// `NewCustomer` (a POST or PUT body: the properties, the required ones being those that are
// neither std::optional nor a database-generated id) and `CustomerPartial` (a PATCH body: any
// of the properties). Property types: integers `integer`/`int64`, floating point
// `number`/`double`, `boolean`, `string`, blobs `string`/`byte` (base64), time points
// `string`/`date-time`, arrays `array` of their element, JSON documents any value;
// std::optional adds `nullable`.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/detail/config.hpp>
#include <relata/rest/detail/routes.hpp>

#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_REST)
#include <set>
#include <string>
#endif

namespace relata::rest::detail {

/// The OpenAPI 3.0 document describing `routes`.
nlohmann::json openapi_document(const std::vector<model_route>& routes,
                                std::string_view title,
                                std::string_view version);

#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_REST)

namespace openapi_detail {

using nlohmann::json;

inline json scalar_schema(value_kind kind) {
  switch (kind) {
    case value_kind::integer:
      return {{"type", "integer"}, {"format", "int64"}};
    case value_kind::real:
      return {{"type", "number"}, {"format", "double"}};
    case value_kind::boolean:
      return {{"type", "boolean"}};
    case value_kind::text:
      return {{"type", "string"}};
    case value_kind::blob:
      return {{"type", "string"}, {"format", "byte"}};
    case value_kind::timestamp:
      return {{"type", "string"}, {"format", "date-time"}};
    default:
      return json::object();  // a JSON document: any value
  }
}

inline json property_schema(const property_definition& p) {
  json schema = p.kind == value_kind::array
                    ? json{{"type", "array"}, {"items", scalar_schema(p.element_kind)}}
                    : scalar_schema(p.kind);
  if (p.nullable && p.kind != value_kind::json) schema["nullable"] = true;
  return schema;
}

inline json schema_ref(std::string_view schema) {
  return {{"$ref", "#/components/schemas/" + std::string(schema)}};
}

inline json json_content(json schema) {
  return {{"application/json", {{"schema", std::move(schema)}}}};
}

/// The three schemas of model `m` (see above) into `schemas`, and those of the models its
/// relations reach.
/// The schema `prefix + target + suffix` of relation r's target: for a polymorphic relation,
/// one of its models' ("NewCard" or "NewCash").
inline json target_schema(const relation_definition& r,
                          std::string_view prefix = {},
                          std::string_view suffix = {}) {
  auto ref = [&](const model_definition& t) {
    return schema_ref(std::string(prefix) + std::string(t.name) + std::string(suffix));
  };
  if (!r.polymorphic()) return ref(r.target());
  json one_of = json::array();
  for (const auto target : r.targets) one_of.push_back(ref(target()));
  return {{"oneOf", std::move(one_of)}};
}

/// `?targetType=`, the model a call on polymorphic relation r is about.
inline json target_type_parameter(const relation_definition& r, bool required) {
  json names = json::array();
  for (const auto target : r.targets) names.push_back(std::string(target().name));
  return {{"name", "targetType"},
          {"in", "query"},
          {"description", "The model of the " + std::string(r.name) + " target"},
          {"required", required},
          {"schema", {{"type", "string"}, {"enum", std::move(names)}}}};
}

inline void add_schemas(const model_definition& m,
                        json& schemas,
                        std::set<const model_definition*>& done) {
  if (!done.insert(&m).second) return;
  const std::string name(m.name);
  json properties = json::object();
  json required = json::array();
  for (std::size_t i = 0; i < m.properties.size(); ++i) {
    const auto& p = m.properties[i];
    properties[std::string(p.name)] = property_schema(p);
    if (m.required(i) && !p.has_default) required.push_back(std::string(p.name));
  }
  json with_relations = properties;
  for (const auto& r : m.relations) {
    if (r.include_disabled) continue;  // an include of it is refused: never in a response
    with_relations[std::string(r.name)] =
        r.to_many ? json{{"type", "array"}, {"items", target_schema(r)}}
                  : json{{"allOf", json::array({target_schema(r)})}, {"nullable", true}};
  }
  schemas[name] = {{"type", "object"},
                   {"title", name},
                   {"properties", std::move(with_relations)},
                   {"additionalProperties", false}};
  json create = {{"type", "object"},
                 {"title", "New" + name},
                 {"description", "A new " + name + " (a POST or PUT body)"},
                 {"properties", properties},
                 {"additionalProperties", false}};
  if (!required.empty()) create["required"] = std::move(required);
  schemas["New" + name] = std::move(create);
  schemas[name + "Partial"] = {{"type", "object"},
                               {"title", name + "Partial"},
                               {"description", "Some properties of a " + name + " (a PATCH body)"},
                               {"properties", std::move(properties)},
                               {"additionalProperties", false}};
  for (const auto& r : m.relations) {
    if (r.polymorphic()) {
      for (const auto target : r.targets) add_schemas(target(), schemas, done);
    } else {
      add_schemas(r.target(), schemas, done);
    }
  }
}

inline json query_parameter(const char* name, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"description", description},
          {"required", false},
          {"content", json_content({{"type", "object"}, {"additionalProperties", true}})}};
}
inline json filter_parameter() {
  return query_parameter("filter",
                         "LoopBack filter: JSON (filter={...}) or brackets (filter[where][a]=1)");
}
inline json where_parameter() {
  return query_parameter("where", "LoopBack where: JSON (where={...}) or brackets (where[a]=1)");
}

inline json id_parameter(const char* name, const model_definition& m) {
  json schema = m.primary_key.size() == 1 ? scalar_schema(m.properties[m.primary_key[0]].kind)
                                          : json{{"type", "string"}};
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"description", "The id of a " + std::string(m.name)},
          {"schema", std::move(schema)}};
}

inline json body(json schema, bool required = true) {
  return {{"required", required}, {"content", json_content(std::move(schema))}};
}

inline json answer(const std::string& description, json schema) {
  return {{"description", description}, {"content", json_content(std::move(schema))}};
}

/// An operation: its id, tag, summary and responses (the error response added).
inline json operation_object(const std::string& id,
                             const std::string& tag,
                             const std::string& summary,
                             json responses) {
  responses["default"] = {{"$ref", "#/components/responses/Error"}};
  return {{"operationId", id},
          {"tags", json::array({tag})},
          {"summary", summary},
          {"responses", std::move(responses)}};
}

inline json with_parameters(json op, json parameters) {
  op["parameters"] = std::move(parameters);
  return op;
}

inline json with_body(json op, json request_body) {
  op["requestBody"] = std::move(request_body);
  return op;
}

inline const json& count_answer() {
  static const json answer_object = answer("How many", schema_ref("Count"));
  return answer_object;
}

inline json no_content(const char* description) { return {{"description", description}}; }

inline void add_model_paths(const model_route& route, json& paths) {
  const model_definition& m = *route.model;
  const std::string name(m.name);
  const std::string base = "/" + route.path;
  const operation_set ops = route.operations;
  auto op_id = [&](operation op) { return name + "." + std::string(to_string(op)); };

  json collection = json::object();
  if (ops.contains(operation::create)) {
    collection["post"] =
        with_body(operation_object(op_id(operation::create),
                                   name,
                                   "Create a " + name,
                                   {{"200", answer("The created " + name, schema_ref(name))}}),
                  body(schema_ref("New" + name)));
  }
  if (ops.contains(operation::find)) {
    collection["get"] = with_parameters(
        operation_object(
            op_id(operation::find),
            name,
            "Find " + name + " entities",
            {{"200",
              answer("The matching entities", {{"type", "array"}, {"items", schema_ref(name)}})}}),
        json::array({filter_parameter()}));
  }
  if (ops.contains(operation::update_all)) {
    collection["patch"] = with_body(
        with_parameters(operation_object(op_id(operation::update_all),
                                         name,
                                         "Update the " + name + " entities matching where",
                                         {{"200", count_answer()}}),
                        json::array({where_parameter()})),
        body(schema_ref(name + "Partial")));
  }
  if (!collection.empty()) paths[base] = std::move(collection);

  if (ops.contains(operation::count)) {
    paths[base + "/count"]["get"] =
        with_parameters(operation_object(op_id(operation::count),
                                         name,
                                         "Count the " + name + " entities matching where",
                                         {{"200", count_answer()}}),
                        json::array({where_parameter()}));
  }

  json item = json::object();
  if (ops.contains(operation::find_by_id)) {
    item["get"] =
        with_parameters(operation_object(op_id(operation::find_by_id),
                                         name,
                                         "Find a " + name + " by id",
                                         {{"200", answer("The " + name, schema_ref(name))}}),
                        json::array({filter_parameter()}));
  }
  if (ops.contains(operation::update_by_id)) {
    item["patch"] = with_body(operation_object(op_id(operation::update_by_id),
                                               name,
                                               "Update some properties of a " + name,
                                               {{"204", no_content("Updated")}}),
                              body(schema_ref(name + "Partial")));
  }
  if (ops.contains(operation::replace_by_id)) {
    item["put"] = with_body(operation_object(op_id(operation::replace_by_id),
                                             name,
                                             "Replace a " + name,
                                             {{"204", no_content("Replaced")}}),
                            body(schema_ref("New" + name)));
  }
  if (ops.contains(operation::delete_by_id)) {
    item["delete"] = operation_object(
        op_id(operation::delete_by_id), name, "Delete a " + name, {{"204", no_content("Deleted")}});
  }
  if (!item.empty()) {
    item["parameters"] = json::array({id_parameter("id", m)});
    paths[base + "/{id}"] = std::move(item);
  }
}

inline void add_relation_paths(const model_route& route, const relation_route& rel, json& paths) {
  const model_definition& m = *route.model;
  const relation_definition& r = *rel.relation;
  const std::string source(m.name);
  const std::string target = r.polymorphic() ? r.target_names() : std::string(r.target().name);
  const std::string relation(r.name);
  const std::string base = "/" + route.path + "/{id}/" + relation;
  const operation_set ops = rel.operations;
  auto op_id = [&](operation op) {
    return source + "." + relation + "." + std::string(to_string(op));
  };
  const std::string of = " of the " + source;
  const json source_id = id_parameter("id", m);

  // A polymorphic relation's calls name the target's model with ?targetType= instead of
  // taking a filter: required to write, optional to delete.
  const bool polymorphic = r.polymorphic();
  auto parameters = [&](json p, bool target_type_required) {
    json all = json::array();
    if (!p.is_null()) all.push_back(std::move(p));
    if (polymorphic) all.push_back(target_type_parameter(r, target_type_required));
    return all;
  };
  json collection = json::object();
  if (ops.contains(operation::find)) {
    json shape = rel.find_returns_list ? json{{"type", "array"}, {"items", target_schema(r)}}
                                       : target_schema(r);
    json get = operation_object(
        op_id(operation::find),
        source,
        "The " + relation + of,
        {{"200",
          answer(rel.find_returns_list ? "The related entities" : "The related entity",
                 std::move(shape))}});
    // A polymorphic list takes ?targetType= (one model's targets), a polymorphic target none.
    collection["get"] =
        !polymorphic ? with_parameters(std::move(get), parameters(filter_parameter(), false))
        : rel.find_returns_list ? with_parameters(std::move(get), parameters(nullptr, false))
                                : std::move(get);
  }
  if (ops.contains(operation::create)) {
    collection["post"] = with_body(
        with_parameters(
            operation_object(op_id(operation::create),
                             source,
                             "Create a " + target + " in the " + relation + of,
                             {{"200", answer("The created " + target, target_schema(r))}}),
            parameters(nullptr, true)),
        body(target_schema(r, "New")));
  }
  if (ops.contains(operation::update_all)) {
    collection["patch"] = with_body(
        with_parameters(operation_object(op_id(operation::update_all),
                                         source,
                                         "Update the " + relation + of + " matching where",
                                         {{"200", count_answer()}}),
                        parameters(where_parameter(), true)),
        body(target_schema(r, {}, "Partial")));
  }
  if (ops.contains(operation::delete_all)) {
    collection["delete"] =
        with_parameters(operation_object(op_id(operation::delete_all),
                                         source,
                                         "Delete the " + relation + of + " matching where",
                                         {{"200", count_answer()}}),
                        parameters(where_parameter(), false));
  }
  if (!collection.empty()) {
    collection["parameters"] = json::array({source_id});
    paths[base] = std::move(collection);
  }
  if (ops.contains(operation::count)) {
    paths[base + "/count"] = {
        {"parameters", json::array({source_id})},
        {"get",
         with_parameters(operation_object(op_id(operation::count),
                                          source,
                                          "Count the " + relation + of + " matching where",
                                          {{"200", count_answer()}}),
                         parameters(where_parameter(), false))}};
  }
  json item = json::object();
  if (ops.contains(operation::find_by_id)) {
    item["get"] =
        with_parameters(operation_object(op_id(operation::find_by_id),
                                         source,
                                         "One of the " + relation + of,
                                         {{"200", answer("The " + target, schema_ref(target))}}),
                        json::array({filter_parameter()}));
  }
  if (ops.contains(operation::delete_by_id)) {
    item["delete"] = operation_object(op_id(operation::delete_by_id),
                                      source,
                                      "Delete one of the " + relation + of,
                                      {{"204", no_content("Deleted")}});
  }
  if (!item.empty()) {
    item["parameters"] = json::array({source_id, id_parameter("fk", r.target())});
    paths[base + "/{fk}"] = std::move(item);
  }
  json link = json::object();
  if (ops.contains(operation::link)) {
    json op = operation_object(
        op_id(operation::link),
        source,
        "Link a " + target + " to the " + relation + of + " (the body: properties of the link)",
        {{"204", no_content("Linked")}});
    if (rel.link_model) {
      op = with_body(std::move(op),
                     body(schema_ref(std::string(rel.link_model->name) + "Partial"), false));
    }
    if (polymorphic) op = with_parameters(std::move(op), parameters(nullptr, true));
    link["put"] = std::move(op);
  }
  if (ops.contains(operation::unlink)) {
    json op = operation_object(op_id(operation::unlink),
                               source,
                               "Unlink a " + target + " from the " + relation + of,
                               {{"204", no_content("Unlinked")}});
    if (polymorphic) op = with_parameters(std::move(op), parameters(nullptr, true));
    link["delete"] = std::move(op);
  }
  if (!link.empty()) {
    link["parameters"] = json::array({source_id, id_parameter("fk", r.target())});
    paths[base + "/rel/{fk}"] = std::move(link);
  }
}

}  // namespace openapi_detail

RELATA_ENGINE_INLINE nlohmann::json openapi_document(const std::vector<model_route>& routes,
                                                     std::string_view title,
                                                     std::string_view version) {
  using namespace openapi_detail;
  json schemas = json::object();
  std::set<const model_definition*> done;
  json paths = json::object();
  for (const auto& route : routes) {
    add_schemas(*route.model, schemas, done);
    add_model_paths(route, paths);
    for (const auto& rel : route.relations) {
      if (rel.link_model) add_schemas(*rel.link_model, schemas, done);
      add_relation_paths(route, rel, paths);
    }
  }
  schemas["Count"] = {{"type", "object"},
                      {"properties", {{"count", {{"type", "integer"}, {"format", "int64"}}}}},
                      {"required", json::array({"count"})}};
  schemas["Error"] = {{"type", "object"},
                      {"required", json::array({"error"})},
                      {"properties",
                       {{"error",
                         {{"type", "object"},
                          {"required", json::array({"statusCode", "name", "message"})},
                          {"properties",
                           {{"statusCode", {{"type", "integer"}}},
                            {"name", {{"type", "string"}}},
                            {"message", {{"type", "string"}}},
                            {"code", {{"type", "string"}}},
                            {"details", {{"type", "array"}, {"items", json::object()}}}}}}}}}};
  return {{"openapi", "3.0.3"},
          {"info", {{"title", std::string(title)}, {"version", std::string(version)}}},
          {"paths", std::move(paths)},
          {"components",
           {{"schemas", std::move(schemas)},
            {"responses",
             {{"Error",
               {{"description",
                 "An error, as LoopBack 4 answers it: {\"error\": {statusCode, name, message, "
                 "code, details}}"},
                {"content", json_content(schema_ref("Error"))}}}}}}}};
}

#endif  // RELATA_DEFINE_ENGINE || RELATA_ENGINE_REST

}  // namespace relata::rest::detail
