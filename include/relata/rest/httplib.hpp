// relata/rest/httplib.hpp: serves a relata::rest::api with cpp-httplib (Debian's
// libcpp-httplib-dev; the CMake target relata::rest_httplib).
//
//     relata::rest::api api;
//     api.expose(customers);
//     httplib::Server server;
//     relata::rest::mount(server, api);
//     server.listen("127.0.0.1", 3000);
//
// Every path and method goes to api.handle (routes the server had before are matched first).
// The Authorization header
// is passed as the request's principal. A body larger than the api's max_body_size is refused
// by httplib before it is read, with the api's 413 body.
#pragma once

#include <string>
#include <string_view>

#include <httplib.h>

#include <relata/rest.hpp>

namespace relata::rest {

/// The api's request for an httplib request: the raw (still percent-encoded) path and query.
inline request to_request(const httplib::Request& in) {
  const std::string_view target = in.target;
  const auto question = target.find('?');
  request out;
  out.method = in.method;
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  out.body = in.body;
  out.principal = in.get_header_value("Authorization");
  return out;
}

/// Writes the api's response into an httplib response.
inline void to_response(const response& answer, httplib::Response& out) {
  out.status = answer.status;
  if (answer.status != 204) out.set_content(answer.body, answer.content_type.c_str());
}

/// Routes every request of `server` to `api`, which must outlive the server.
inline void mount(httplib::Server& server, const api& api) {
  server.set_payload_max_length(api.settings().max_body_size);
  // httplib writes a response's headers and body separately: with Nagle's algorithm and the
  // client's delayed ACK, every response would wait about 40 ms.
  server.set_tcp_nodelay(true);
  // One handler per method, for every path: httplib reads a body only for a matched route.
  const auto handle = [&api](const httplib::Request& in, httplib::Response& out) {
    to_response(api.handle(to_request(in)), out);
  };
  server.Get(".*", handle);
  server.Post(".*", handle);
  server.Put(".*", handle);
  server.Patch(".*", handle);
  server.Delete(".*", handle);
  server.Options(".*", handle);
  // What httplib answers itself (a body past the limit, a malformed request): the api's
  // error body, unless the api wrote the response.
  server.set_error_handler([](const httplib::Request&, httplib::Response& out) {
    if (!out.body.empty()) return;
    const bool too_large = out.status == 413;
    to_response(detail::error_response(out.status,
                                       too_large ? "PayloadTooLargeError" : "Error",
                                       too_large ? "REQUEST_BODY_TOO_LARGE" : "",
                                       too_large ? "The request body is too large"
                                                 : "The request was refused by the server"),
                out);
  });
}

}  // namespace relata::rest
