// relata REST example: the quickstart's models over HTTP, LoopBack 4's way (relata/rest.hpp),
// served by cpp-httplib.
//
//   build/examples/rest_server [--port N] [--host ADDRESS] [--database FILE]
//                              [--postgres CONNINFO] [--token SECRET] [--threads N] [--no-seed]
//
// Port 3000 on 127.0.0.1 by default; port 0 picks a free one. It prints
// "listening on http://ADDRESS:PORT" once it accepts connections. The database is SQLite (in
// memory by default, or FILE), or PostgreSQL with --postgres. The quickstart's data is added to
// an empty database unless --no-seed is given. With --token, requests that change data need
// "Authorization: Bearer SECRET" (401 without one, 403 with another): the authorization hook.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <relata/relata.hpp>
#include <relata/rest.hpp>
#include <relata/rest/httplib.hpp>
#include <relata/sqlite.hpp>
#if defined(RELATA_EXAMPLE_POSTGRES)
#include <relata/postgres.hpp>
#endif

#include "quickstart_api.hpp"
#include "quickstart_models.hpp"

namespace {

httplib::Server* running = nullptr;

extern "C" void stop_server(int) {
  if (running) running->stop();
}

struct settings {
  std::string host = "127.0.0.1";
  int port = 3000;
  std::string database = ":memory:";
  std::string postgres;
  std::string token;
  int threads = 0;
  bool seed = true;
};

std::optional<settings> parse_arguments(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--no-seed") {
      s.seed = false;
      continue;
    }
    if (i + 1 >= argc) return std::nullopt;
    const std::string value = argv[++i];
    if (arg == "--port") {
      s.port = std::atoi(value.c_str());
    } else if (arg == "--host") {
      s.host = value;
    } else if (arg == "--database") {
      s.database = value;
    } else if (arg == "--postgres") {
      s.postgres = value;
    } else if (arg == "--token") {
      s.token = value;
    } else if (arg == "--threads") {
      s.threads = std::atoi(value.c_str());
    } else {
      return std::nullopt;
    }
  }
  return s;
}

int serve(relata::datasource& db, const settings& s, bool one_connection) {
  relata::migrate<Customer, Order, Address, Tag, Patient, Doctor, Appointment>(db);
  if (s.seed) seed_quickstart(db);

  relata::rest::options options;
  options.title = "relata quickstart";
  options.on_internal_error = [](const relata::rest::request& r, std::string_view what) {
    std::cerr << r.method << ' ' << r.path << ": " << what << '\n';
  };
  if (!s.token.empty()) {
    // Reads are public; writes need the token.
    options.authorize = [expected = "Bearer " + s.token](const relata::rest::access& a) {
      if (relata::rest::read_only.contains(a.op)) return relata::rest::decision::allow;
      if (a.principal.empty()) return relata::rest::decision::unauthenticated;
      return a.principal == expected ? relata::rest::decision::allow
                                     : relata::rest::decision::forbidden;
    };
  }

  relata::rest::api api{options};
  expose_quickstart(api, db);

  httplib::Server server;
  if (one_connection || s.threads > 0) {
    // An SQLite datasource is one connection: one request at a time. (httplib serves a
    // connection on one thread while it is kept alive.)
    const int threads = one_connection ? 1 : s.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  }
  relata::rest::mount(server, api);
  server.set_keep_alive_max_count(1000);  // httplib's default closes a connection every 5 requests

  const int port = s.port == 0 ? server.bind_to_any_port(s.host)
                               : (server.bind_to_port(s.host, s.port) ? s.port : -1);
  if (port < 0) {
    std::cerr << "rest_server: cannot listen on " << s.host << ':' << s.port << '\n';
    return 1;
  }
  running = &server;
  std::signal(SIGINT, stop_server);
  std::signal(SIGTERM, stop_server);
  std::cout << "listening on http://" << s.host << ':' << port << std::endl;
  return server.listen_after_bind() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto s = parse_arguments(argc, argv);
  if (!s) {
    std::cerr << "usage: rest_server [--port N] [--host ADDRESS] [--database FILE] "
                 "[--postgres CONNINFO] [--token SECRET] [--threads N] [--no-seed]\n";
    return 2;
  }
  try {
    if (!s->postgres.empty()) {
#if defined(RELATA_EXAMPLE_POSTGRES)
      relata::postgres::datasource db{s->postgres,
                                      {.pool_size = s->threads > 0 ? std::size_t(s->threads) : 8}};
      return serve(db, *s, false);
#else
      std::cerr << "rest_server: built without PostgreSQL (relata::postgres)\n";
      return 2;
#endif
    }
    relata::sqlite::datasource db{s->database};
    return serve(db, *s, true);
  } catch (const std::exception& e) {
    std::cerr << "rest_server: " << e.what() << '\n';
    return 1;
  }
}
