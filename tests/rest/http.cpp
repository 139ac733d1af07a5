// The example server (examples/rest_server.cpp) over HTTP: started on a free loopback port for
// each test case, on a fresh database (in-memory SQLite, or with RELATA_REST_TEST_POSTGRES a
// fresh schema of the test server), and driven with cpp-httplib's client.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#if defined(RELATA_REST_TEST_POSTGRES)
#include "support/postgres.hpp"
#endif

using nlohmann::json;

namespace {

/// The example server in a child process, stopped (SIGTERM) and reaped when destroyed.
class server {
 public:
  explicit server(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{RELATA_REST_SERVER, "--port", "0"};
#if defined(RELATA_REST_TEST_POSTGRES)
    args.push_back("--postgres");
    args.push_back(relata_test::fresh_postgres_schema());
#endif
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    // Ready when it says where it listens (after binding its socket): no sleeping.
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    const auto colon = line.rfind(':');
    if (line.rfind("listening on http://", 0) != 0 || colon == std::string::npos) {
      stop();
      throw std::runtime_error("the example server did not start: \"" + line + "\"");
    }
    port_ = std::stoi(line.substr(colon + 1));
  }
  server(const server&) = delete;
  server& operator=(const server&) = delete;
  ~server() { stop(); }

  /// A client of this server; paths and query strings are sent exactly as written.
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_url_encode(false);
    c.set_keep_alive(false);
    return c;
  }

 private:
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  pid_t pid_ = -1;
  int port_ = 0;
};

/// A completed exchange: the status and the JSON body (null when empty).
struct answer {
  int status = 0;
  json body;
};

answer done(const httplib::Result& r) {
  REQUIRE(r);
  answer a{r->status, r->body.empty() ? json() : json::parse(r->body)};
  if (a.status >= 400) {
    // every error has LoopBack 4's shape
    REQUIRE(a.body.contains("error"));
    CHECK(a.body["error"]["statusCode"] == a.status);
    CHECK(a.body["error"]["name"].is_string());
    CHECK(a.body["error"]["message"].is_string());
    CHECK(r->get_header_value("Content-Type").rfind("application/json", 0) == 0);
  }
  return a;
}

answer get(httplib::Client& c, const std::string& path) { return done(c.Get(path.c_str())); }
answer post(httplib::Client& c, const std::string& path, const std::string& body) {
  return done(c.Post(path.c_str(), body, "application/json"));
}
answer patch(httplib::Client& c, const std::string& path, const std::string& body) {
  return done(c.Patch(path.c_str(), body, "application/json"));
}
answer put(httplib::Client& c, const std::string& path, const std::string& body = {}) {
  return done(c.Put(path.c_str(), body, "application/json"));
}
answer del(httplib::Client& c, const std::string& path) { return done(c.Delete(path.c_str())); }

std::string encode(const std::string& text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

std::vector<std::string> names(const json& list, const char* key = "name") {
  std::vector<std::string> out;
  for (const auto& e : list) out.push_back(e[key].get<std::string>());
  return out;
}

const json count_1 = {{"count", 1}};
const json count_2 = {{"count", 2}};

}  // namespace

TEST_CASE("model routes over HTTP, with LoopBack 4's status codes") {
  server s;
  auto c = s.client();
  CHECK(names(get(c, "/customers").body) == std::vector<std::string>{"Ada", "Bob"});
  CHECK(get(c, "/customers/count").body == count_2);
  CHECK(get(c, "/customers/1").body["name"] == "Ada");

  const answer created = post(c, "/customers", R"({"name":"Cy","age":40})");
  REQUIRE(created.status == 200);
  CHECK(created.body["id"] == 3);
  CHECK(created.body["tag_ids"] == json::array());

  const answer updated = patch(c, "/customers?where[age][gte]=30", R"({"age":41})");
  CHECK(updated.status == 200);
  CHECK(updated.body == count_2);

  CHECK(patch(c, "/customers/3", R"({"name":"Cyd"})").status == 204);
  CHECK(get(c, "/customers/3").body["name"] == "Cyd");
  CHECK(put(c, "/customers/3", R"({"name":"Cy","tag_ids":[1]})").status == 204);
  const json cy = get(c, "/customers/3").body;
  CHECK(cy["age"].is_null());
  CHECK(cy["tag_ids"] == json::array({1}));
  CHECK(del(c, "/customers/3").status == 204);
  CHECK(get(c, "/customers/3").status == 404);
}

TEST_CASE("relation routes over HTTP: every kind the quickstart has") {
  server s;
  auto c = s.client();
  // hasMany
  CHECK(names(get(c, "/customers/1/orders").body, "description") ==
        std::vector<std::string>{"pens", "paper"});
  CHECK(get(c, "/customers/1/orders/count?where[total][gt]=5").body == count_1);
  const answer pad = post(c, "/customers/2/orders", R"({"description":"pad","total":6})");
  REQUIRE(pad.status == 200);
  CHECK(pad.body["customer_id"] == 2);
  CHECK(patch(c, "/customers/2/orders?where[total][gt]=5", R"({"total":7.5})").body == count_1);
  CHECK(get(c, "/customers/2/orders/4").body["total"] == 7.5);
  CHECK(get(c, "/customers/1/orders/4").status == 404);
  CHECK(del(c, "/customers/2/orders/4").status == 204);
  CHECK(del(c, "/customers/2/orders").body == count_1);
  CHECK(get(c, "/customers/2/orders").body == json::array());

  // hasOne
  CHECK(get(c, "/customers/1/address").body["street"] == "12 St James's Square");
  CHECK(post(c, "/customers/2/address", R"({"street":"1 Main St"})").status == 200);
  CHECK(post(c, "/customers/2/address", R"({"street":"2 Main St"})").status == 422);
  CHECK(patch(c, "/customers/2/address", R"({"street":"3 Main St"})").body == count_1);
  CHECK(del(c, "/customers/2/address").body == count_1);
  CHECK(get(c, "/customers/2/address").status == 404);

  // belongsTo and referencesMany
  CHECK(get(c, "/orders/1/customer").body["name"] == "Ada");
  CHECK(names(get(c, "/customers/1/tags").body, "label") == std::vector<std::string>{"vip"});

  // hasManyThrough
  CHECK(put(c, "/patients/1/doctors/rel/2", R"({"reason":"check-up"})").status == 204);
  CHECK(names(get(c, "/patients/1/doctors?filter[order]=name%20DESC").body) ==
        std::vector<std::string>{"Dr Watson", "Dr House"});
  CHECK(put(c, "/patients/1/doctors/rel/42").status == 404);
  CHECK(del(c, "/patients/1/doctors/rel/1").status == 204);
  CHECK(get(c, "/patients/1/doctors/count").body == count_1);
  CHECK(post(c, "/patients/1/doctors", R"({"name":"Dr Quinn"})").status == 200);
  CHECK(get(c, "/patients/1/doctors/count").body == count_2);
}

TEST_CASE("query strings over HTTP: URL-encoded JSON and brackets") {
  server s;
  auto c = s.client();
  const std::string json_filter =
      R"({"where":{"age":{"gte":18}},"include":[{"relation":"orders","scope":{"order":["total DESC"],"limit":1}}]})";
  const json by_json = get(c, "/customers?filter=" + encode(json_filter)).body;
  REQUIRE(by_json.size() == 1);
  CHECK(by_json[0]["orders"].size() == 1);
  CHECK(by_json[0]["orders"][0]["description"] == "paper");

  const json by_brackets =
      get(c,
          "/customers?filter[where][age][gte]=18&filter[include][0][relation]=orders"
          "&filter[include][0][scope][order]=total%20DESC&filter[include][0][scope][limit]=1")
          .body;
  CHECK(by_brackets == by_json);
  CHECK(get(c, "/customers/count?where=" + encode(R"({"name":{"like":"B%"}})")).body == count_1);
  CHECK(get(c, "/customers?filter[where][name][inq][]=Ada&filter[where][name][inq][]=Cy")
            .body.size() == 1);
}

TEST_CASE("errors over HTTP: statuses and LoopBack 4's error bodies") {
  server s;
  auto c = s.client();
  CHECK(get(c, "/nothing").body["error"]["code"] == "ROUTE_NOT_FOUND");
  CHECK(get(c, "/appointments").status == 404);
  CHECK(get(c, "/customers/99").body["error"]["code"] == "ENTITY_NOT_FOUND");
  CHECK(get(c, "/customers/x").body["error"]["code"] == "INVALID_PARAMETER_VALUE");
  const answer bad_filter = get(c, "/customers?filter[where][agee]=1");
  CHECK(bad_filter.status == 400);
  CHECK(bad_filter.body["error"]["code"] == "INVALID_FILTER");
  CHECK(get(c, "/customers?filter=" + encode(R"({"include":["nope"]})")).body["error"]["code"] ==
        "INVALID_INCLUSION_FILTER");
  CHECK(post(c, "/customers", "{").body["error"]["code"] == "MALFORMED_REQUEST_BODY");
  const answer invalid = post(c, "/customers", R"({"name":["not","a","string"]})");
  CHECK(invalid.status == 422);
  CHECK(invalid.body["error"]["code"] == "INVALID_DATA");
  CHECK(invalid.body["error"]["details"].is_array());
  CHECK(post(c, "/orders", R"({"description":"x","total":1,"customer_id":99})").status == 422);
  const answer conflict = post(c, "/customers", R"({"id":1,"name":"again"})");
  CHECK(conflict.status == 409);
  CHECK(conflict.body["error"]["name"] == "ConflictError");
  // past the body limit (1 MiB): refused by the server before it is read
  const answer huge = post(c, "/customers", R"({"name":")" + std::string(2 << 20, 'a') + "\"}");
  CHECK(huge.status == 413);
  CHECK(huge.body["error"]["name"] == "PayloadTooLargeError");
  CHECK(get(c, "/customers/count").body == count_2);
}

TEST_CASE("the authorization hook over HTTP: 401, 403, and nothing changed") {
  server s{{"--token", "s3cret"}};
  auto c = s.client();
  CHECK(get(c, "/customers/1/orders").status == 200);  // reads are public
  const std::string order = R"({"description":"x","total":1})";
  const answer anonymous = post(c, "/customers/1/orders", order);
  CHECK(anonymous.status == 401);
  CHECK(anonymous.body["error"]["name"] == "UnauthorizedError");
  c.set_bearer_token_auth("wrong");
  const answer wrong = post(c, "/customers/1/orders", order);
  CHECK(wrong.status == 403);
  CHECK(wrong.body["error"]["name"] == "ForbiddenError");
  CHECK(del(c, "/customers/1").status == 403);
  CHECK(get(c, "/customers/1/orders/count").body == count_2);
  c.set_bearer_token_auth("s3cret");
  CHECK(post(c, "/customers/1/orders", order).status == 200);
  CHECK(get(c, "/customers/1/orders/count").body == json{{"count", 3}});
}

TEST_CASE("hostile input over HTTP: a 4xx, and the data unchanged") {
  server s;
  auto c = s.client();
  // from the filter JSON conformance tests: SQL in names, operators and order terms
  const std::vector<std::string> refused{
      R"({"where":{"name; DROP TABLE \"Customer\"; --":"x"}})",
      R"({"where":{"name\" OR 1=1 --":"x"}})",
      R"({"where":{"age":{"gt; DELETE FROM \"Customer\"":1}}})",
      R"({"order":"name; DROP TABLE \"Customer\""})",
      R"({"order":["name ASC","age DESC; DROP TABLE \"Customer\""]})",
      R"({"order":"(SELECT 1) DESC"})",
      R"x({"fields":["name, (SELECT 1)"]})x",
      R"({"include":["orders; DROP TABLE \"Order\""]})",
      R"({"limit":"1; DROP TABLE x"})",
      R"({"where":{"and":{"name":"Ada"}}})",
      R"({"where":"name = 'Ada'"})",
  };
  for (const auto& filter : refused) {
    INFO(filter);
    CHECK(get(c, "/customers?filter=" + encode(filter)).status == 400);
  }
  // SQL in values is data: no match
  const std::vector<std::string> harmless{
      R"({"name":"x'; DROP TABLE \"Customer\"; --"})",
      R"({"name":{"like":"%' OR '1'='1"}})",
      R"({"or":[{"name":"' OR 1=1 --"},{"name":{"like":"'; VACUUM; --%"}}]})",
      R"({"orders":{"some":{"description":"x') OR ('1'='1"}}})",
  };
  for (const auto& where : harmless) {
    INFO(where);
    CHECK(get(c, "/customers?filter=" + encode(R"({"where":)" + where + "}")).body ==
          json::array());
    CHECK(patch(c, "/customers?where=" + encode(where), R"({"age":1})").body == json{{"count", 0}});
  }
  CHECK(del(c,
            "/customers/1/orders?where=" +
                encode(R"({"description":"x'; DROP TABLE \"Order\"; --"})"))
            .body == json{{"count", 0}});
  CHECK(get(c, "/customers/1%27%20OR%201=1").status == 400);
  CHECK(post(c, "/customers", std::string(5000, '[') + std::string(5000, ']')).status == 400);
  CHECK(get(c, "/customers/count").body == count_2);
  CHECK(get(c, "/customers/1/orders/count").body == count_2);
  CHECK(get(c, "/customers/1").body["age"] == 36);
}

TEST_CASE("GET /openapi.json is a valid OpenAPI 3 document") {
  server s;
  auto c = s.client();
  const answer doc = get(c, "/openapi.json");
  REQUIRE(doc.status == 200);
  CHECK(doc.body["paths"].contains("/customers/{id}/orders/count"));
  char path[] = "/tmp/relata-openapi-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(path) << doc.body.dump(2);
  const std::string command =
      std::string("perl ") + RELATA_REST_VALIDATOR + " " + path + " > " + path + ".out 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream out(std::string(path) + ".out");
  const std::string errors((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  INFO(errors);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::remove(path);
  std::remove((std::string(path) + ".out").c_str());
}
