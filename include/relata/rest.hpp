// relata/rest.hpp: repositories and their relations over HTTP, with LoopBack 4's routes, query
// strings, status codes and error bodies, and an OpenAPI 3 document.
//
//     relata::rest::api api;
//     api.expose(customers);                                    // /customers, its relations
//     api.expose(orders, {.operations = relata::rest::read_only});
//     relata::rest::response r = api.handle({.method = "GET", .path = "/customers/1/orders",
//                                            .query = "filter[limit]=2"});
//
// The core has no network code: it maps a request (method, path, query string, body) to a
// response (status, JSON body), so it plugs into any HTTP server. <relata/rest/httplib.hpp>
// serves it with cpp-httplib.
//
// Routes, for a model exposed at /customers (LoopBack 4's CRUD controller):
//
//   POST   /customers                  create            200 the entity
//   GET    /customers?filter=          find              200 an array
//   GET    /customers/count?where=     count             200 {"count": n}
//   PATCH  /customers?where=           updateAll         200 {"count": n}
//   GET    /customers/{id}?filter=     findById          200 the entity
//   PATCH  /customers/{id}             updateById        204
//   PUT    /customers/{id}             replaceById       204
//   DELETE /customers/{id}             deleteById        204
//
// and for each of its relations, the routes its accessor supports (rest/detail/handlers.hpp
// says how they are chosen: from the accessor's methods, never from the relation's kind):
//
//   GET    /customers/{id}/orders?filter=      find       200 an array (one entity for a
//                                                         hasOne or belongsTo; 404 if none)
//   GET    /customers/{id}/orders/count?where= count      200 {"count": n}
//   POST   /customers/{id}/orders              create     200 the entity
//   PATCH  /customers/{id}/orders?where=       updateAll  200 {"count": n}
//   DELETE /customers/{id}/orders?where=       deleteAll  200 {"count": n}
//   GET    /customers/{id}/orders/{fk}         findById   200 the entity
//   DELETE /customers/{id}/orders/{fk}         deleteById 204
//   PUT    /patients/{id}/doctors/rel/{fk}     link       204 (LoopBack 3's convention; the
//                                                         optional body: the link's properties)
//   DELETE /patients/{id}/doctors/rel/{fk}     unlink     204 (404 when there was no link)
//
// and GET /openapi.json. Errors are LoopBack 4's body, {"error": {"statusCode", "name",
// "message", "code", "details"}}:
//
//   400 BadRequestError          INVALID_FILTER, INVALID_INCLUSION_FILTER (filter or where),
//                                INVALID_PARAMETER_VALUE (an {id} that does not fit the id's
//                                type), MALFORMED_REQUEST_BODY, MISSING_REQUIRED_BODY
//   401 UnauthorizedError        AUTHENTICATION_REQUIRED (the authorization hook said so)
//   403 ForbiddenError           ACCESS_DENIED (likewise)
//   404 Error                    ENTITY_NOT_FOUND
//   404 NotFoundError            ROUTE_NOT_FOUND (no route: a model, relation or operation
//                                that was not exposed)
//   409 ConflictError            CONSTRAINT_VIOLATION for a unique or primary-key conflict
//   413 PayloadTooLargeError     REQUEST_BODY_TOO_LARGE
//   422 UnprocessableEntityError INVALID_DATA (a body that does not fit the model; details
//                                lists the message), CONSTRAINT_VIOLATION (a foreign key, a
//                                relation constraint)
//   500 InternalServerError      anything else; the message is "Internal Server Error" only
//                                (options::on_internal_error receives the real one)
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/detail/config.hpp>
#include <relata/filter.hpp>
#include <relata/model.hpp>
#include <relata/repository.hpp>
#include <relata/rest/detail/handlers.hpp>
#include <relata/rest/detail/openapi.hpp>
#include <relata/rest/detail/query.hpp>
#include <relata/rest/detail/routes.hpp>

#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_REST)
#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <system_error>

#include <relata/detail/naming.hpp>
#include <relata/errors.hpp>
#include <relata/filter_json.hpp>
#endif

namespace relata::rest {

/// The relations list that means "every relation" (exposure's default).
inline const std::vector<std::string> every_relation{"*"};

/// How a repository is exposed.
struct exposure {
  /// The first path segment; empty: the model's name in plural kebab-case, as LoopBack names
  /// it (Customer -> customers, OrderLine -> order-lines, Address -> addresses).
  std::string path{};
  /// The operations offered, on the model and on its relations.
  operation_set operations = all_operations;
  /// The relations exposed, by name: every_relation (the default), some (`{"orders"}`), or
  /// none (`{}`).
  std::vector<std::string> relations = every_relation;
};

/// An HTTP request, as the server received it.
struct request {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< "/customers/1/orders", percent-encoded
  std::string query;   ///< the query string, without '?', percent-encoded
  std::string body;
  /// Who is asking, as the server knows it (the httplib binding passes the Authorization
  /// header); given to the authorization hook, not interpreted here.
  std::string principal;
};

/// What to answer.
struct response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";  ///< empty for 204
  std::string body;
};

/// What the authorization hook decides about.
struct access {
  std::string_view principal;  ///< request::principal
  std::string_view model;      ///< the model of the route's first segment: "Customer"
  std::string_view relation;   ///< the relation, or empty: "orders"
  operation op;
  std::string_view id;  ///< the {id} of the path, decoded, or empty
  std::string_view fk;  ///< the {fk} of the path, decoded, or empty
  const request& original;
};

/// The authorization hook's answer.
enum class decision {
  allow,
  unauthenticated,  ///< 401: who is asking is not known
  forbidden,        ///< 403: they may not do this
};

/// An api's settings.
struct options {
  /// Larger request bodies are refused with 413, unread by the binding.
  std::size_t max_body_size = 1024 * 1024;
  /// Deeper request bodies (nested objects and arrays) are refused with 400.
  std::size_t max_body_depth = 32;
  /// Bounds of the filter and where of a query string (and of its length).
  json_limits limits{};
  /// Called before a route runs; nothing is read or changed when it denies. None: allow all.
  std::function<decision(const access&)> authorize;
  /// Called with a 500's real message (which the response does not show), for logging.
  std::function<void(const request&, std::string_view what)> on_internal_error;
  /// The OpenAPI document's info.
  std::string title = "relata";
  std::string version = "1.0.0";
};

/// Repositories exposed over HTTP: routes, query strings, errors and OpenAPI as LoopBack 4.
/// Expose every repository first, then serve: `handle` is const and may run concurrently when
/// the repositories' datasources allow it (PostgreSQL's pool does; an SQLite datasource is one
/// connection, to be used from one thread at a time).
class api {
 public:
  explicit api(options settings = {});

  /// Exposes a repository (a copy of the handle is kept) and its relations at /<path>.
  /// Throws std::invalid_argument for a path already taken or a relation M does not have.
  template <model M>
  api& expose(const repository<M>& repo, exposure how = {}) {
    add(detail::model_route_of(repo), std::move(how));
    return *this;
  }

  /// The response to a request.
  response handle(const request& r) const;
  /// The OpenAPI 3.0 document of what is exposed (what GET /openapi.json answers).
  nlohmann::json openapi() const;
  /// The settings.
  const options& settings() const noexcept { return settings_; }

 private:
  struct match;
  void add(detail::model_route route, exposure how);
  response dispatch(const request& r) const;
  bool find_route(const request& r, match& m) const;

  options settings_;
  std::vector<detail::model_route> routes_;
};

namespace detail {

/// LoopBack's default path of a model: plural, kebab-case ("OrderLine" -> "order-lines").
std::string default_path(std::string_view model_name);

/// An error answered as is (a route's own 4xx).
struct http_error {
  int status;
  std::string name;
  std::string code;
  std::string message;
};

/// A LoopBack 4 error response.
response error_response(int status,
                        std::string_view name,
                        std::string_view code,
                        std::string_view message,
                        const nlohmann::json* details = nullptr);

}  // namespace detail

// --- engine ------------------------------------------------------------------------------------
#if RELATA_DEFINE_ENGINE || defined(RELATA_ENGINE_REST)

struct api::match {
  const detail::model_route* route = nullptr;
  const detail::relation_route* relation = nullptr;
  operation op{};
  std::string id;
  std::string fk;
  bool openapi = false;
};

namespace detail {

RELATA_ENGINE_INLINE reply count_reply(std::uint64_t n) {
  return reply{200, "{\"count\":" + std::to_string(n) + "}"};
}

RELATA_ENGINE_INLINE void invalid_parameter(std::string_view name, const value& v) {
  throw http_error{
      400,
      "BadRequestError",
      "INVALID_PARAMETER_VALUE",
      "Invalid data " + v.to_string() + " for parameter \"" + std::string(name) + "\""};
}

RELATA_ENGINE_INLINE void missing_target_type(const relation_definition& r) {
  throw http_error{400,
                   "BadRequestError",
                   "MISSING_REQUIRED_PARAMETER",
                   "The " + std::string(r.name) +
                       " relation is polymorphic: name the target's model with ?targetType= (" +
                       r.target_names() + ")"};
}

RELATA_ENGINE_INLINE std::string default_path(std::string_view model_name) {
  std::string path = relata::detail::converted_string(model_name, naming::snake_case);
  std::replace(path.begin(), path.end(), '_', '-');
  auto ends_with = [&](std::string_view s) {
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  const bool consonant_y =
      ends_with("y") && path.size() > 1 &&
      std::string_view("aeiou").find(path[path.size() - 2]) == std::string_view::npos;
  if (consonant_y) {
    path.replace(path.size() - 1, 1, "ies");
  } else if (ends_with("s") || ends_with("x") || ends_with("z") || ends_with("ch") ||
             ends_with("sh")) {
    path += "es";
  } else {
    path += "s";
  }
  return path;
}

RELATA_ENGINE_INLINE response error_response(int status,
                                             std::string_view name,
                                             std::string_view code,
                                             std::string_view message,
                                             const nlohmann::json* details) {
  nlohmann::json error = {
      {"statusCode", status}, {"name", std::string(name)}, {"message", std::string(message)}};
  if (!code.empty()) error["code"] = std::string(code);
  if (details) error["details"] = *details;
  // Messages may quote a client's bytes: never fail on them.
  return response{status,
                  "application/json; charset=utf-8",
                  nlohmann::json{{"error", std::move(error)}}.dump(
                      -1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

/// The key of model `m` in a path segment, as a value of its id's kind; nothing when the
/// segment cannot be one.
inline std::optional<value> key_from_segment(const model_definition& m, const std::string& text) {
  if (m.primary_key.size() != 1) return std::nullopt;
  switch (m.properties[m.primary_key[0]].kind) {
    case value_kind::integer: {
      std::int64_t n = 0;
      const char* end = text.data() + text.size();
      auto [last, error] = std::from_chars(text.data(), end, n);
      if (text.empty() || error != std::errc{} || last != end) return std::nullopt;
      return value(n);
    }
    case value_kind::text:
      return value(text);
    default:
      return std::nullopt;
  }
}

inline bool takes_filter(operation op) {
  return op == operation::find || op == operation::find_by_id;
}
inline bool takes_where(operation op) {
  return op == operation::count || op == operation::update_all || op == operation::delete_all;
}
inline bool needs_body(operation op) {
  return op == operation::create || op == operation::update_all || op == operation::update_by_id ||
         op == operation::replace_by_id;
}

inline bool unique_conflict(const error& e) {
  const std::string& native = e.native_code();
  return native == "SQLITE_CONSTRAINT_UNIQUE" || native == "SQLITE_CONSTRAINT_PRIMARYKEY" ||
         native == "23505";
}

/// relata's typed errors as LoopBack 4's statuses and bodies (see the table at the top).
inline response relata_error_response(const error& e) {
  const std::string code(to_string(e.code()));
  switch (e.code()) {
    case error_code::entity_not_found:
      return error_response(404, "Error", code, e.message());
    case error_code::invalid_filter:
    case error_code::invalid_inclusion_filter:
      return error_response(400, "BadRequestError", code, e.message());
    case error_code::invalid_data: {
      const nlohmann::json details =
          nlohmann::json::array({{{"code", code}, {"message", std::string(e.message())}}});
      return error_response(422, "UnprocessableEntityError", code, e.message(), &details);
    }
    case error_code::constraint_violation:
      if (unique_conflict(e)) return error_response(409, "ConflictError", code, e.message());
      return error_response(422, "UnprocessableEntityError", code, e.message());
    default:
      return error_response(500, "InternalServerError", "", "Internal Server Error");
  }
}

}  // namespace detail

RELATA_ENGINE_INLINE api::api(options settings) : settings_(std::move(settings)) {}

RELATA_ENGINE_INLINE void api::add(detail::model_route route, exposure how) {
  route.path = how.path.empty() ? detail::default_path(route.model->name) : std::move(how.path);
  if (route.path.empty() || route.path.find('/') != std::string::npos ||
      route.path == "openapi.json") {
    throw std::invalid_argument("relata::rest: \"" + route.path + "\" cannot be a model's path");
  }
  for (const auto& existing : routes_) {
    if (existing.path == route.path) {
      throw std::invalid_argument("relata::rest: the path /" + route.path + " is taken by " +
                                  std::string(existing.model->name));
    }
  }
  const bool every = how.relations == every_relation;
  if (!every) {
    for (const auto& name : how.relations) {
      if (!route.model->find_relation(name)) {
        throw std::invalid_argument("relata::rest: model " + std::string(route.model->name) +
                                    " has no relation \"" + name + "\"");
      }
    }
  }
  route.operations = route.operations & how.operations;
  std::vector<detail::relation_route> kept;
  for (auto& r : route.relations) {
    const bool listed =
        every || std::find(how.relations.begin(), how.relations.end(), r.relation->name) !=
                     how.relations.end();
    r.operations = r.operations & how.operations;
    if (listed && !r.operations.empty()) kept.push_back(std::move(r));
  }
  route.relations = std::move(kept);
  routes_.push_back(std::move(route));
}

RELATA_ENGINE_INLINE nlohmann::json api::openapi() const {
  return detail::openapi_document(routes_, settings_.title, settings_.version);
}

RELATA_ENGINE_INLINE bool api::find_route(const request& r, match& m) const {
  std::string_view path = r.path;
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::vector<std::string> segments;
  while (!path.empty() || segments.empty()) {
    const auto slash = path.find('/');
    auto segment = rest::detail::percent_decode(path.substr(0, slash), false);
    if (!segment) {
      throw detail::http_error{400,
                               "BadRequestError",
                               "INVALID_PARAMETER_VALUE",
                               "The path is not percent-encoded UTF-8"};
    }
    segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (segments.size() > 5) return false;
  }
  const std::string& method = r.method;
  if (segments.size() == 1 && segments[0] == "openapi.json" && method == "GET") {
    m.openapi = true;
    return true;
  }
  for (const auto& route : routes_) {
    if (route.path == segments[0]) m.route = &route;
  }
  if (!m.route) return false;
  auto pick = [&](std::initializer_list<std::pair<const char*, operation>> choices,
                  operation_set offered) {
    for (const auto& [verb, op] : choices) {
      if (method == verb && offered.contains(op)) {
        m.op = op;
        return true;
      }
    }
    return false;
  };
  const operation_set model_ops = m.route->operations;
  switch (segments.size()) {
    case 1:
      return pick(
          {{"GET", operation::find}, {"POST", operation::create}, {"PATCH", operation::update_all}},
          model_ops);
    case 2:
      if (segments[1] == "count" && pick({{"GET", operation::count}}, model_ops)) return true;
      m.id = segments[1];
      return pick({{"GET", operation::find_by_id},
                   {"PATCH", operation::update_by_id},
                   {"PUT", operation::replace_by_id},
                   {"DELETE", operation::delete_by_id}},
                  model_ops);
    default:
      break;
  }
  m.id = segments[1];
  for (const auto& rel : m.route->relations) {
    if (rel.relation->name == segments[2]) m.relation = &rel;
  }
  if (!m.relation) return false;
  const operation_set ops = m.relation->operations;
  switch (segments.size()) {
    case 3:
      return pick({{"GET", operation::find},
                   {"POST", operation::create},
                   {"PATCH", operation::update_all},
                   {"DELETE", operation::delete_all}},
                  ops);
    case 4:
      if (segments[3] == "count" && pick({{"GET", operation::count}}, ops)) return true;
      m.fk = segments[3];
      return pick({{"GET", operation::find_by_id}, {"DELETE", operation::delete_by_id}}, ops);
    case 5:
      if (segments[3] != "rel") return false;
      m.fk = segments[4];
      return pick({{"PUT", operation::link}, {"DELETE", operation::unlink}}, ops);
    default:
      return false;
  }
}

RELATA_ENGINE_INLINE response api::dispatch(const request& r) const {
  using detail::http_error;
  if (r.body.size() > settings_.max_body_size) {
    throw http_error{413,
                     "PayloadTooLargeError",
                     "REQUEST_BODY_TOO_LARGE",
                     "The request body is " + std::to_string(r.body.size()) +
                         " bytes; the limit is " + std::to_string(settings_.max_body_size)};
  }
  match m;
  if (!find_route(r, m)) {
    throw http_error{404,
                     "NotFoundError",
                     "ROUTE_NOT_FOUND",
                     "Endpoint \"" + r.method + " " + r.path + "\" not found."};
  }
  if (m.openapi) return response{200, "application/json; charset=utf-8", openapi().dump()};

  const model_definition& source = *m.route->model;
  if (settings_.authorize) {
    const access who{r.principal,
                     source.name,
                     m.relation ? m.relation->relation->name : std::string_view{},
                     m.op,
                     m.id,
                     m.fk,
                     r};
    switch (settings_.authorize(who)) {
      case decision::allow:
        break;
      case decision::unauthenticated:
        throw http_error{
            401, "UnauthorizedError", "AUTHENTICATION_REQUIRED", "Authentication required"};
      case decision::forbidden:
        throw http_error{403, "ForbiddenError", "ACCESS_DENIED", "Access denied"};
    }
  }

  detail::call c;
  c.op = m.op;
  c.limits = &settings_.limits;
  auto parse_key = [](const model_definition& model, const std::string& text, const char* name) {
    auto key = detail::key_from_segment(model, text);
    if (!key) {
      throw http_error{400,
                       "BadRequestError",
                       "INVALID_PARAMETER_VALUE",
                       "Invalid data \"" + text + "\" for parameter \"" + name + "\""};
    }
    return std::move(*key);
  };
  if (!m.id.empty() || m.relation || m.op == operation::find_by_id)
    c.id = parse_key(source, m.id, "id");
  const relation_definition* relation = m.relation ? m.relation->relation : nullptr;
  // A polymorphic relation's reads and writes name the target's model with ?targetType=.
  if (relation && relation->polymorphic()) {
    if (const auto name = detail::plain_parameter(r.query, "targetType")) {
      c.target_type = relation->target_index(*name);
      if (c.target_type >= relation->targets.size()) {
        throw http_error{400,
                         "BadRequestError",
                         "INVALID_PARAMETER_VALUE",
                         "Invalid data \"" + *name + "\" for parameter \"targetType\": the " +
                             std::string(relation->name) + " relation's models are " +
                             relation->target_names()};
      }
    }
    if (detail::takes_filter(m.op) &&
        !detail::query_parameter(r.query, "filter", settings_.limits).is_null()) {
      throw http_error{400,
                       "BadRequestError",
                       "INVALID_PARAMETER_VALUE",
                       "The " + std::string(relation->name) +
                           " relation is polymorphic: its GET takes no filter (include it from "
                           "the source with a scope per model instead)"};
    }
  }
  const model_definition& target =
      !relation ? source
      : relation->polymorphic() && c.target_type < relation->targets.size()
          ? relation->targets[c.target_type]()
          : relation->target();
  if (m.op == operation::link || m.op == operation::unlink ||
      (m.relation && (m.op == operation::find_by_id || m.op == operation::delete_by_id))) {
    c.fk = parse_key(target, m.fk, "fk");
  }
  if (detail::takes_filter(m.op)) {
    c.filter = detail::query_parameter(r.query, "filter", settings_.limits);
    detail::coerce_filter(target, c.filter);
  } else if (detail::takes_where(m.op)) {
    c.where = detail::query_parameter(r.query, "where", settings_.limits);
    detail::coerce_where(target, c.where);
  }
  const bool body_optional = m.op == operation::link;
  if (detail::needs_body(m.op) || (body_optional && !r.body.empty())) {
    if (r.body.empty()) {
      throw http_error{400, "BadRequestError", "MISSING_REQUIRED_BODY", "Request body is required"};
    }
    if (relata::detail::json_nesting_depth(r.body) > settings_.max_body_depth) {
      throw http_error{400,
                       "BadRequestError",
                       "MALFORMED_REQUEST_BODY",
                       "The request body nests deeper than " +
                           std::to_string(settings_.max_body_depth) + " levels"};
    }
    auto body = relata::detail::parse_json_document(r.body);
    if (!body) {
      throw http_error{
          400, "BadRequestError", "MALFORMED_REQUEST_BODY", "The request body is not valid JSON"};
    }
    c.body = std::move(*body);
  }

  const detail::handler run = m.relation ? m.relation->handle : m.route->handle;
  detail::reply answer = run(m.route->repository.get(), c);
  if (answer.status == 204) return response{204, {}, {}};
  return response{answer.status, "application/json; charset=utf-8", std::move(answer.body)};
}

RELATA_ENGINE_INLINE response api::handle(const request& r) const {
  auto internal = [&](std::string_view what) {
    if (settings_.on_internal_error) {
      try {
        settings_.on_internal_error(r, what);
      } catch (...) {
        // a failing logger must not turn a 500 into a crash
      }
    }
    return detail::error_response(500, "InternalServerError", "", "Internal Server Error");
  };
  try {
    return dispatch(r);
  } catch (const detail::http_error& e) {
    return detail::error_response(e.status, e.name, e.code, e.message);
  } catch (const error& e) {
    response answer = detail::relata_error_response(e);
    if (answer.status == 500) return internal(e.what());
    return answer;
  } catch (const std::exception& e) {
    return internal(e.what());
  } catch (...) {
    return internal("an exception that is not a std::exception");
  }
}

#endif  // RELATA_DEFINE_ENGINE || RELATA_ENGINE_REST

}  // namespace relata::rest
