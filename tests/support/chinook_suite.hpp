// The Chinook test cases, run on every database that loads a Chinook script (included once by
// tests/unit/chinook.cpp and tests/unit/postgres_chinook.cpp, which define chinook_database()).
//
// examples/chinook's models and queries against the sample database's own schema: every
// relation relata loads (each hasMany, belongsTo, hasManyThrough, both directions of the self
// relation) is compared with the same answer computed by plain SQL on the same database
// through its own client library: the exact rows of parents and children, counts and sums per
// parent. Query counts are asserted through the query observer: 1 + one query per include node
// per chunk of keys.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "chinook_models.hpp"
#include "chinook_queries.hpp"
#include "support/chinook.hpp"

namespace chinook_suite {

using relata_test::cell;
using relata_test::chinook_db;
using relata_test::rows;
using relata_test::snake;

// --- the schema, as the SQLite script declares it ------------------------------------------

enum class kind { integer, text, money, datetime };

struct column {
  const char* name;  ///< as in the SQLite script
  kind type;
  std::string member{};  ///< the model's member (and JSON key): snake(name)
};

struct table {
  const char* name;
  std::vector<column> columns;
  std::vector<const char*> key;
};

inline const std::vector<table>& tables() {
  static const std::vector<table> all = [] {
    std::vector<table> out{
        {"Artist", {{"ArtistId", kind::integer}, {"Name", kind::text}}, {"ArtistId"}},
        {"Album",
         {{"AlbumId", kind::integer}, {"Title", kind::text}, {"ArtistId", kind::integer}},
         {"AlbumId"}},
        {"Genre", {{"GenreId", kind::integer}, {"Name", kind::text}}, {"GenreId"}},
        {"MediaType", {{"MediaTypeId", kind::integer}, {"Name", kind::text}}, {"MediaTypeId"}},
        {"Track",
         {{"TrackId", kind::integer},
          {"Name", kind::text},
          {"AlbumId", kind::integer},
          {"MediaTypeId", kind::integer},
          {"GenreId", kind::integer},
          {"Composer", kind::text},
          {"Milliseconds", kind::integer},
          {"Bytes", kind::integer},
          {"UnitPrice", kind::money}},
         {"TrackId"}},
        {"Playlist", {{"PlaylistId", kind::integer}, {"Name", kind::text}}, {"PlaylistId"}},
        {"PlaylistTrack",
         {{"PlaylistId", kind::integer}, {"TrackId", kind::integer}},
         {"PlaylistId", "TrackId"}},
        {"Employee",
         {{"EmployeeId", kind::integer},
          {"LastName", kind::text},
          {"FirstName", kind::text},
          {"Title", kind::text},
          {"ReportsTo", kind::integer},
          {"BirthDate", kind::datetime},
          {"HireDate", kind::datetime},
          {"Address", kind::text},
          {"City", kind::text},
          {"State", kind::text},
          {"Country", kind::text},
          {"PostalCode", kind::text},
          {"Phone", kind::text},
          {"Fax", kind::text},
          {"Email", kind::text}},
         {"EmployeeId"}},
        {"Customer",
         {{"CustomerId", kind::integer},
          {"FirstName", kind::text},
          {"LastName", kind::text},
          {"Company", kind::text},
          {"Address", kind::text},
          {"City", kind::text},
          {"State", kind::text},
          {"Country", kind::text},
          {"PostalCode", kind::text},
          {"Phone", kind::text},
          {"Fax", kind::text},
          {"Email", kind::text},
          {"SupportRepId", kind::integer}},
         {"CustomerId"}},
        {"Invoice",
         {{"InvoiceId", kind::integer},
          {"CustomerId", kind::integer},
          {"InvoiceDate", kind::datetime},
          {"BillingAddress", kind::text},
          {"BillingCity", kind::text},
          {"BillingState", kind::text},
          {"BillingCountry", kind::text},
          {"BillingPostalCode", kind::text},
          {"Total", kind::money}},
         {"InvoiceId"}},
        {"InvoiceLine",
         {{"InvoiceLineId", kind::integer},
          {"InvoiceId", kind::integer},
          {"TrackId", kind::integer},
          {"UnitPrice", kind::money},
          {"Quantity", kind::integer}},
         {"InvoiceLineId"}},
    };
    for (auto& t : out) {
      for (auto& c : t.columns) c.member = snake(c.name);
    }
    return out;
  }();
  return all;
}

inline const table& table_named(std::string_view name) {
  for (const auto& t : tables()) {
    if (t.name == name) return t;
  }
  throw std::logic_error("no table " + std::string(name));
}

// --- rows: from SQL, and from relata's entities (through their JSON) ------------------------

/// A cell of `type` as the database's client library gives it, normalised: money in cents,
/// times as "YYYY-MM-DD HH:MM:SS".
inline cell normal_sql(const cell& c, kind type) {
  if (!c) return c;
  switch (type) {
    case kind::money:
      return std::to_string(relata_test::cents(*c));
    case kind::datetime:
      return c->substr(0, 19);
    default:
      return c;
  }
}

/// A property of an entity's JSON, normalised as normal_sql does.
inline cell normal_json(const nlohmann::json& j, kind type) {
  if (j.is_null()) return std::nullopt;
  switch (type) {
    case kind::integer:
      return std::to_string(j.get<std::int64_t>());
    case kind::text:
      return j.get<std::string>();
    case kind::money:
      return std::to_string(std::llround(j.get<double>() * 100));
    case kind::datetime: {
      const auto iso = j.get<std::string>();  // 2009-01-01T00:00:00Z
      return iso.size() == 20 ? iso.substr(0, 10) + " " + iso.substr(11, 8) : "bad time " + iso;
    }
  }
  return std::nullopt;
}

inline std::string describe(const std::vector<cell>& row) {
  std::string out = "(";
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out += ", ";
    out += row[i] ? "'" + *row[i] + "'" : "NULL";
  }
  return out + ")";
}

inline std::string describe(const rows& r) {
  std::string out = std::to_string(r.size()) + " rows";
  for (std::size_t i = 0; i < r.size() && i < 5; ++i) out += "\n  " + describe(r[i]);
  if (r.size() > 5) out += "\n  ...";
  return out;
}

/// "c.{A}, c.{B}, ...": the columns of `t`, qualified.
inline std::string select_list(const table& t, const char* alias = "c") {
  std::string out;
  for (const auto& c : t.columns) {
    if (!out.empty()) out += ", ";
    out += std::string(alias) + ".{" + c.name + "}";
  }
  return out;
}

/// " ORDER BY c.{Key1}, c.{Key2}".
inline std::string key_order(const table& t, const char* alias = "c") {
  std::string out;
  for (const auto* k : t.key)
    out += (out.empty() ? " ORDER BY " : ", ") + std::string(alias) + ".{" + k + "}";
  return out;
}

/// The rows of `t` a {Name} template selects (its columns first, `extra` leading columns
/// kept as they are), normalised.
inline rows sql_rows(chinook_db& d, const table& t, std::string_view sql, std::size_t extra = 0) {
  rows out = d.run(sql);
  for (auto& r : out) {
    REQUIRE(r.size() == extra + t.columns.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      r[extra + i] = normal_sql(r[extra + i], t.columns[i].type);
    }
  }
  return out;
}

/// Every row of table `t` matching `where` (a {Name} condition on alias c), in key order.
inline rows table_rows(chinook_db& d, const table& t, const std::string& where = "") {
  return sql_rows(d,
                  t,
                  "SELECT " + select_list(t) + " FROM {" + t.name + "} AS c" +
                      (where.empty() ? "" : " WHERE " + where) + key_order(t));
}

/// The row of one entity (its JSON), normalised; checks that the JSON holds every column and,
/// besides them, only the relations in `loaded` (only loaded relations appear).
inline std::vector<cell> entity_row(const nlohmann::json& e,
                                    const table& t,
                                    const std::set<std::string>& loaded = {}) {
  REQUIRE(e.is_object());
  std::vector<cell> out;
  out.reserve(t.columns.size());
  for (const auto& c : t.columns) {
    const auto it = e.find(c.member);
    if (it == e.end()) FAIL(t.name << " JSON without " << c.member << ": " << e.dump());
    out.push_back(normal_json(*it, c.type));
  }
  bool relations_ok = e.size() == t.columns.size() + loaded.size();
  for (const auto& r : loaded) relations_ok = relations_ok && e.contains(r);
  if (!relations_ok) {
    std::set<std::string> keys;
    for (const auto& item : e.items()) keys.insert(item.key());
    std::set<std::string> expected_keys = loaded;
    for (const auto& c : t.columns) expected_keys.insert(c.member);
    INFO(t.name << " JSON: " << e.dump().substr(0, 300));
    CHECK(keys == expected_keys);
  }
  return out;
}

/// The rows of entities (a JSON array), normalised.
inline rows entity_rows(const nlohmann::json& entities,
                        const table& t,
                        const std::set<std::string>& loaded = {}) {
  REQUIRE(entities.is_array());
  rows out;
  for (const auto& e : entities) out.push_back(entity_row(e, t, loaded));
  return out;
}

/// The value of key column(s) of a row of `t`: "3", or "1|3402" for a composite key.
inline std::string key_of(const std::vector<cell>& row, const table& t, std::size_t offset = 0) {
  std::string out;
  for (const auto* k : t.key) {
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (std::string_view(t.columns[i].name) == k) {
        if (!out.empty()) out += '|';
        out += row[offset + i].value_or("NULL");
      }
    }
  }
  return out;
}

/// How many include queries `keys` distinct keys take, `chunk` keys per query.
inline std::size_t batches(std::int64_t keys, std::size_t chunk) {
  REQUIRE(chunk > 0);
  return (static_cast<std::size_t>(keys) + chunk - 1) / chunk;
}

/// Counts the queries a datasource runs while alive.
class query_counter {
 public:
  explicit query_counter(relata::datasource& db) : db_(db) {
    db_.observe([this](const relata::query_event&) { ++count; });
  }
  ~query_counter() { db_.observe({}); }
  query_counter(const query_counter&) = delete;
  query_counter& operator=(const query_counter&) = delete;
  std::size_t count = 0;

 private:
  relata::datasource& db_;
};

/// Lowers the keys per include query for a scope.
class key_limit {
 public:
  key_limit(chinook_db& d, std::size_t keys) : d_(d) { d_.limit_keys(keys); }
  ~key_limit() { d_.limit_keys(0); }
  key_limit(const key_limit&) = delete;
  key_limit& operator=(const key_limit&) = delete;

 private:
  chinook_db& d_;
};

// --- every relation --------------------------------------------------------------------------

/// Every entity of M with one relation included, as JSON.
template <class M>
nlohmann::json find_all_including(relata::datasource& db, const char* relation) {
  relata::repository<M> repository{db};
  return repository.find({.include = {relation}});
}

/// One relation of the Chinook models, and how plain SQL reaches its targets.
struct relation_case {
  const char* source;    ///< the source table
  const char* relation;  ///< the relation's name
  bool to_one;
  const char* target;  ///< the target table
  const char* join;    ///< from `{source} AS p` to the targets, aliased c
  const char* key;     ///< the source column whose values the include collects
  const char* sum;     ///< a target column to sum per source, or nullptr
  nlohmann::json (*find)(relata::datasource&, const char*);
};

inline const std::vector<relation_case>& relation_cases() {
  using namespace chinook;
  static const std::vector<relation_case> all{
      {"Artist",
       "albums",
       false,
       "Album",
       "JOIN {Album} AS c ON c.{ArtistId} = p.{ArtistId}",
       "ArtistId",
       nullptr,
       &find_all_including<Artist>},
      {"Album",
       "artist",
       true,
       "Artist",
       "JOIN {Artist} AS c ON c.{ArtistId} = p.{ArtistId}",
       "ArtistId",
       nullptr,
       &find_all_including<Album>},
      {"Album",
       "tracks",
       false,
       "Track",
       "JOIN {Track} AS c ON c.{AlbumId} = p.{AlbumId}",
       "AlbumId",
       "Milliseconds",
       &find_all_including<Album>},
      {"Genre",
       "tracks",
       false,
       "Track",
       "JOIN {Track} AS c ON c.{GenreId} = p.{GenreId}",
       "GenreId",
       "Bytes",
       &find_all_including<Genre>},
      {"MediaType",
       "tracks",
       false,
       "Track",
       "JOIN {Track} AS c ON c.{MediaTypeId} = p.{MediaTypeId}",
       "MediaTypeId",
       "Milliseconds",
       &find_all_including<MediaType>},
      {"Track",
       "album",
       true,
       "Album",
       "JOIN {Album} AS c ON c.{AlbumId} = p.{AlbumId}",
       "AlbumId",
       nullptr,
       &find_all_including<Track>},
      {"Track",
       "genre",
       true,
       "Genre",
       "JOIN {Genre} AS c ON c.{GenreId} = p.{GenreId}",
       "GenreId",
       nullptr,
       &find_all_including<Track>},
      {"Track",
       "media_type",
       true,
       "MediaType",
       "JOIN {MediaType} AS c ON c.{MediaTypeId} = p.{MediaTypeId}",
       "MediaTypeId",
       nullptr,
       &find_all_including<Track>},
      {"Track",
       "invoice_lines",
       false,
       "InvoiceLine",
       "JOIN {InvoiceLine} AS c ON c.{TrackId} = p.{TrackId}",
       "TrackId",
       "UnitPrice",
       &find_all_including<Track>},
      {"Track",
       "playlists",
       false,
       "Playlist",
       "JOIN {PlaylistTrack} AS l ON l.{TrackId} = p.{TrackId} "
       "JOIN {Playlist} AS c ON c.{PlaylistId} = l.{PlaylistId}",
       "TrackId",
       nullptr,
       &find_all_including<Track>},
      {"Playlist",
       "tracks",
       false,
       "Track",
       "JOIN {PlaylistTrack} AS l ON l.{PlaylistId} = p.{PlaylistId} "
       "JOIN {Track} AS c ON c.{TrackId} = l.{TrackId}",
       "PlaylistId",
       "Milliseconds",
       &find_all_including<Playlist>},
      {"PlaylistTrack",
       "playlist",
       true,
       "Playlist",
       "JOIN {Playlist} AS c ON c.{PlaylistId} = p.{PlaylistId}",
       "PlaylistId",
       nullptr,
       &find_all_including<PlaylistTrack>},
      {"PlaylistTrack",
       "track",
       true,
       "Track",
       "JOIN {Track} AS c ON c.{TrackId} = p.{TrackId}",
       "TrackId",
       "Milliseconds",
       &find_all_including<PlaylistTrack>},
      {"Employee",
       "manager",
       true,
       "Employee",
       "JOIN {Employee} AS c ON c.{EmployeeId} = p.{ReportsTo}",
       "ReportsTo",
       nullptr,
       &find_all_including<Employee>},
      {"Employee",
       "reports",
       false,
       "Employee",
       "JOIN {Employee} AS c ON c.{ReportsTo} = p.{EmployeeId}",
       "EmployeeId",
       nullptr,
       &find_all_including<Employee>},
      {"Employee",
       "customers",
       false,
       "Customer",
       "JOIN {Customer} AS c ON c.{SupportRepId} = p.{EmployeeId}",
       "EmployeeId",
       nullptr,
       &find_all_including<Employee>},
      {"Customer",
       "support_rep",
       true,
       "Employee",
       "JOIN {Employee} AS c ON c.{EmployeeId} = p.{SupportRepId}",
       "SupportRepId",
       nullptr,
       &find_all_including<Customer>},
      {"Customer",
       "invoices",
       false,
       "Invoice",
       "JOIN {Invoice} AS c ON c.{CustomerId} = p.{CustomerId}",
       "CustomerId",
       "Total",
       &find_all_including<Customer>},
      {"Invoice",
       "customer",
       true,
       "Customer",
       "JOIN {Customer} AS c ON c.{CustomerId} = p.{CustomerId}",
       "CustomerId",
       nullptr,
       &find_all_including<Invoice>},
      {"Invoice",
       "lines",
       false,
       "InvoiceLine",
       "JOIN {InvoiceLine} AS c ON c.{InvoiceId} = p.{InvoiceId}",
       "InvoiceId",
       "UnitPrice",
       &find_all_including<Invoice>},
      {"InvoiceLine",
       "invoice",
       true,
       "Invoice",
       "JOIN {Invoice} AS c ON c.{InvoiceId} = p.{InvoiceId}",
       "InvoiceId",
       "Total",
       &find_all_including<InvoiceLine>},
      {"InvoiceLine",
       "track",
       true,
       "Track",
       "JOIN {Track} AS c ON c.{TrackId} = p.{TrackId}",
       "TrackId",
       "Milliseconds",
       &find_all_including<InvoiceLine>},
  };
  return all;
}

/// " p.{K1}, p.{K2}": the source's key columns.
inline std::string source_key_list(const table& t) {
  std::string out;
  for (const auto* k : t.key) out += (out.empty() ? "p.{" : ", p.{") + std::string(k) + "}";
  return out;
}

/// Loads every source with the relation included, and compares with plain SQL: the sources'
/// rows, each source's targets (rows, count, sum), and the number of queries.
inline void check_relation(chinook_db& d, const relation_case& rc) {
  INFO("relation " << rc.source << "." << rc.relation);
  const table& source = table_named(rc.source);
  const table& target = table_named(rc.target);

  nlohmann::json found;
  std::size_t queries = 0;
  {
    query_counter counter{d.db()};
    found = rc.find(d.db(), rc.relation);
    queries = counter.count;
  }

  // the sources, exactly
  const rows sources = entity_rows(found, source, {rc.relation});
  const rows expected_sources = table_rows(d, source);
  REQUIRE(sources.size() == expected_sources.size());
  CHECK(sources == expected_sources);

  // one query for the sources, one per chunk of distinct non-null keys
  const auto keys = d.scalar("SELECT COUNT(DISTINCT p.{" + std::string(rc.key) + "}) FROM {" +
                             rc.source + "} AS p");
  REQUIRE(keys > 0);
  CHECK(queries == 1 + batches(keys, d.chunk(0)));

  // the targets of each source, exactly, in key order
  std::map<std::string, rows> actual;
  for (std::size_t i = 0; i < found.size(); ++i) {
    const auto& related = found[i].at(rc.relation);
    rows targets;
    if (rc.to_one) {
      if (!related.is_null()) targets.push_back(entity_row(related, target));
    } else {
      targets = entity_rows(related, target);
    }
    if (!targets.empty()) actual[key_of(sources[i], source)] = std::move(targets);
  }
  const std::string from = " FROM {" + std::string(rc.source) + "} AS p " + rc.join;
  const std::string source_keys = source_key_list(source);
  std::map<std::string, rows> expected;
  for (auto& r :
       sql_rows(d,
                target,
                "SELECT " + source_keys + ", " + select_list(target) + from + " ORDER BY " +
                    source_keys + ", " + key_order(target).substr(10),  // without " ORDER BY "
                source.key.size())) {
    std::string key;
    for (std::size_t i = 0; i < source.key.size(); ++i) {
      key += (i ? "|" : "") + r[i].value_or("NULL");
    }
    expected[key].emplace_back(r.begin() + static_cast<std::ptrdiff_t>(source.key.size()), r.end());
  }
  CHECK(actual.size() == expected.size());
  std::size_t differing = 0;
  for (const auto& [key, targets] : expected) {
    const auto it = actual.find(key);
    const rows none;
    const rows& got = it == actual.end() ? none : it->second;
    if (got != targets && ++differing <= 3) {
      INFO("source " << key << ": relata gives " << describe(got) << "\nSQL gives "
                     << describe(targets));
      CHECK(got == targets);
    }
  }
  CHECK(differing == 0);

  // counts and sums per source, from SQL's own aggregates
  std::string aggregates = "SELECT " + source_keys + ", COUNT(*)";
  if (rc.sum) aggregates += ", SUM(c.{" + std::string(rc.sum) + "})";
  aggregates += from + " GROUP BY " + source_keys;
  const auto sum_type =
      rc.sum ? std::find_if(target.columns.begin(),
                            target.columns.end(),
                            [&](const column& c) { return std::string_view(c.name) == rc.sum; })
                   ->type
             : kind::integer;
  std::size_t checked = 0;
  for (const auto& r : d.run(aggregates)) {
    std::string key;
    for (std::size_t i = 0; i < source.key.size(); ++i) {
      key += (i ? "|" : "") + r[i].value_or("NULL");
    }
    const auto it = actual.find(key);
    REQUIRE(it != actual.end());
    const rows& got = it->second;
    CHECK(std::to_string(got.size()) == r[source.key.size()].value_or("NULL"));
    if (rc.sum) {
      std::size_t column = 0;
      while (std::string_view(target.columns[column].name) != rc.sum) ++column;
      std::int64_t sum = 0;
      bool any = false;
      for (const auto& t : got) {
        if (t[column]) {
          sum += std::stoll(*t[column]);  // cents for money
          any = true;
        }
      }
      const cell& expected_sum = r[source.key.size() + 1];
      REQUIRE(any == expected_sum.has_value());
      if (any) {
        const std::int64_t want =
            sum_type == kind::money ? relata_test::cents(*expected_sum) : std::stoll(*expected_sum);
        INFO("sum of " << rc.target << "." << rc.sum << " for " << key);
        CHECK(sum == want);
      }
    }
    ++checked;
  }
  CHECK(checked == expected.size());
}

}  // namespace chinook_suite

// --- the test cases --------------------------------------------------------------------------

TEST_CASE("chinook: the relation cases cover every relation the models declare", "[chinook]") {
  using namespace chinook;
  std::set<std::string> declared;
  for (const relata::model_definition* m : {&relata::definition_of<Artist>(),
                                            &relata::definition_of<Album>(),
                                            &relata::definition_of<Genre>(),
                                            &relata::definition_of<MediaType>(),
                                            &relata::definition_of<Track>(),
                                            &relata::definition_of<Playlist>(),
                                            &relata::definition_of<PlaylistTrack>(),
                                            &relata::definition_of<Employee>(),
                                            &relata::definition_of<Customer>(),
                                            &relata::definition_of<Invoice>(),
                                            &relata::definition_of<InvoiceLine>()}) {
    for (const auto& r : m->relations)
      declared.insert(std::string(m->name) + "." + std::string(r.name));
  }
  std::set<std::string> tested;
  for (const auto& rc : chinook_suite::relation_cases()) {
    tested.insert(std::string(rc.source) + "." + rc.relation);
  }
  CHECK(tested == declared);
  CHECK(declared.size() == 22);
}

TEST_CASE("chinook: the models' properties are the tables' columns", "[chinook]") {
  using namespace chinook_suite;
  auto& d = relata_test::chinook_database();
  for (const auto& t : tables()) {
    INFO("table " << t.name);
    // a query naming every column fails if the table lacks one; relata reads them all
    const auto expected = table_rows(d, t);
    CHECK(expected.size() ==
          static_cast<std::size_t>(d.scalar("SELECT COUNT(*) FROM {" + std::string(t.name) + "}")));
    CHECK_FALSE(expected.empty());
  }
}

TEST_CASE("chinook: every relation, loaded by one include, matches plain SQL", "[chinook]") {
  using namespace chinook_suite;
  auto& d = relata_test::chinook_database();
  for (const auto& rc : relation_cases()) check_relation(d, rc);
}

TEST_CASE("chinook: every relation, loaded in chunks of 100 keys, matches plain SQL",
          "[chinook][chunks]") {
  using namespace chinook_suite;
  auto& d = relata_test::chinook_database();
  key_limit limit{d, 100};
  REQUIRE(d.chunk(0) == 100);
  for (const auto& rc : relation_cases()) check_relation(d, rc);
}

TEST_CASE("chinook: each invoice's lines add up to its total, exactly", "[chinook][decimal]") {
  using namespace chinook;
  auto& d = relata_test::chinook_database();
  relata::repository<Invoice> invoices{d.db()};
  const auto all = invoices.find({.include = {"lines"}});
  REQUIRE(all.size() == 412);
  std::map<std::int64_t, std::int64_t> sql_totals;  // invoice -> cents of SUM(price * quantity)
  for (const auto& r : d.run("SELECT {InvoiceId}, SUM({UnitPrice} * {Quantity}) FROM "
                             "{InvoiceLine} GROUP BY {InvoiceId}")) {
    sql_totals[std::stoll(*r[0])] = relata_test::cents(*r[1]);
  }
  money grand_total;
  std::size_t mismatches = 0;
  for (const auto& invoice : all) {
    money sum;
    for (const auto& line : invoice.lines) sum += line.unit_price * line.quantity;
    mismatches += sum != invoice.total;
    CHECK(sum.units() == sql_totals.at(invoice.invoice_id));
    grand_total += invoice.total;
  }
  CHECK(mismatches == 0);
  CHECK(grand_total.units() ==
        relata_test::cents(*d.run("SELECT SUM({Total}) FROM {Invoice}")[0][0]));
}

TEST_CASE("chinook: track milliseconds per album, and invoice totals per customer",
          "[chinook][decimal]") {
  using namespace chinook;
  auto& d = relata_test::chinook_database();
  relata::repository<Album> albums{d.db()};
  std::map<std::int64_t, std::int64_t> album_ms;
  for (const auto& r :
       d.run("SELECT {AlbumId}, SUM({Milliseconds}) FROM {Track} GROUP BY {AlbumId}")) {
    album_ms[std::stoll(*r[0])] = std::stoll(*r[1]);
  }
  std::size_t albums_seen = 0;
  for (const auto& album : albums.find({.include = {"tracks"}})) {
    std::int64_t ms = 0;
    for (const auto& t : album.tracks) ms += t.milliseconds;
    CHECK(ms == album_ms.at(album.album_id));
    ++albums_seen;
  }
  CHECK(albums_seen == album_ms.size());

  relata::repository<Customer> customers{d.db()};
  std::map<std::int64_t, std::int64_t> spent;
  for (const auto& r :
       d.run("SELECT {CustomerId}, SUM({Total}) FROM {Invoice} GROUP BY {CustomerId}")) {
    spent[std::stoll(*r[0])] = relata_test::cents(*r[1]);
  }
  const auto all = customers.find({.include = {"invoices"}});
  REQUIRE(all.size() == spent.size());
  for (const auto& c : all) {
    money total;
    for (const auto& i : c.invoices) total += i.total;
    CHECK(total.units() == spent.at(c.customer_id));
  }
}

namespace chinook_suite {

/// The example's first query, checked against SQL; returns the queries it ran.
inline void check_artist(chinook_db& d, std::int64_t artist_id) {
  INFO("artist " << artist_id);
  const auto& artist = table_named("Artist");
  const auto& album = table_named("Album");
  const auto& track = table_named("Track");
  std::size_t queries = 0;
  nlohmann::json found;
  {
    query_counter counter{d.db()};
    found = chinook::artist_albums_tracks(d.db(), artist_id);
    queries = counter.count;
  }
  const auto id = std::to_string(artist_id);
  CHECK(entity_rows(found, artist, {"albums"}) == table_rows(d, artist, "c.{ArtistId} = " + id));
  std::size_t album_count = 0;
  for (const auto& a : found) {
    const auto albums = entity_rows(a.at("albums"), album, {"tracks"});
    CHECK(albums == table_rows(d, album, "c.{ArtistId} = " + id));
    album_count += albums.size();
    for (std::size_t i = 0; i < albums.size(); ++i) {
      CHECK(entity_rows(a.at("albums")[i].at("tracks"), track) ==
            table_rows(d, track, "c.{AlbumId} = " + *albums[i][0]));
    }
  }
  const std::size_t expected_queries =
      1 + batches(static_cast<std::int64_t>(found.size()), d.chunk(0)) +
      batches(static_cast<std::int64_t>(album_count), d.chunk(0));
  CHECK(queries == expected_queries);
}

inline void check_playlist(chinook_db& d, std::int64_t playlist_id) {
  INFO("playlist " << playlist_id);
  const auto& playlist = table_named("Playlist");
  const auto& track = table_named("Track");
  const auto& genre = table_named("Genre");
  std::size_t queries = 0;
  nlohmann::json found;
  {
    query_counter counter{d.db()};
    found = chinook::playlist_tracks_genres(d.db(), playlist_id);
    queries = counter.count;
  }
  const auto id = std::to_string(playlist_id);
  CHECK(entity_rows(found, playlist, {"tracks"}) ==
        table_rows(d, playlist, "c.{PlaylistId} = " + id));
  REQUIRE(found.size() == 1);
  const auto tracks = entity_rows(found[0].at("tracks"), track, {"genre"});
  CHECK(tracks == sql_rows(d,
                           track,
                           "SELECT " + select_list(track) +
                               " FROM {PlaylistTrack} AS l JOIN {Track} AS c ON c.{TrackId} = "
                               "l.{TrackId} WHERE l.{PlaylistId} = " +
                               id + key_order(track)));
  std::set<std::string> genres;
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const auto& g = found[0].at("tracks")[i].at("genre");
    const auto expected = table_rows(d, genre, "c.{GenreId} = " + tracks[i][4].value_or("NULL"));
    if (g.is_null()) {
      CHECK(expected.empty());
    } else {
      CHECK(rows{entity_row(g, genre)} == expected);
    }
    if (tracks[i][4]) genres.insert(*tracks[i][4]);
  }
  CHECK(queries ==
        1 + batches(1, d.chunk(0)) +
            (tracks.empty() ? 0 : batches(static_cast<std::int64_t>(genres.size()), d.chunk(0))));
}

inline void check_team(chinook_db& d,
                       std::int64_t employee_id,
                       std::optional<std::uint64_t> invoices_per_customer) {
  INFO("employee " << employee_id << ", invoices per customer "
                   << (invoices_per_customer ? std::to_string(*invoices_per_customer) : "all"));
  const auto& employee = table_named("Employee");
  const auto& customer = table_named("Customer");
  const auto& invoice = table_named("Invoice");
  std::size_t queries = 0;
  nlohmann::json found;
  {
    query_counter counter{d.db()};
    found = chinook::team_invoices(d.db(), employee_id, invoices_per_customer);
    queries = counter.count;
  }
  const auto id = std::to_string(employee_id);
  CHECK(entity_rows(found, employee, {"reports"}) ==
        table_rows(d, employee, "c.{EmployeeId} = " + id));
  REQUIRE(found.size() == 1);
  const auto reports = entity_rows(found[0].at("reports"), employee, {"customers"});
  CHECK(reports == table_rows(d, employee, "c.{ReportsTo} = " + id));
  std::size_t customer_count = 0;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    const auto& report = found[0].at("reports")[r];
    const auto customers = entity_rows(report.at("customers"), customer, {"invoices"});
    CHECK(customers == table_rows(d, customer, "c.{SupportRepId} = " + *reports[r][0]));
    customer_count += customers.size();
    for (std::size_t c = 0; c < customers.size(); ++c) {
      // the latest invoices first, by plain SQL, one customer at a time
      std::string sql = "SELECT " + select_list(invoice) +
                        " FROM {Invoice} AS c WHERE c.{CustomerId} = " + *customers[c][0] +
                        " ORDER BY c.{InvoiceDate} DESC, c.{InvoiceId}";
      if (invoices_per_customer) sql += " LIMIT " + std::to_string(*invoices_per_customer);
      CHECK(entity_rows(report.at("customers")[c].at("invoices"), invoice) ==
            sql_rows(d, invoice, sql));
    }
  }
  // the per-customer limit is a window in the query: two more parameters per invoice query
  const std::size_t invoice_chunk = d.chunk(invoices_per_customer ? 2 : 0);
  CHECK(queries == 1 + batches(1, d.chunk(0)) +
                       batches(static_cast<std::int64_t>(reports.size()), d.chunk(0)) +
                       batches(static_cast<std::int64_t>(customer_count), invoice_chunk));
}

}  // namespace chinook_suite

TEST_CASE("chinook example: an artist with albums with tracks, for every artist", "[chinook]") {
  auto& d = relata_test::chinook_database();
  const auto artists = d.run("SELECT {ArtistId} FROM {Artist} ORDER BY {ArtistId}");
  REQUIRE(artists.size() == 275);
  for (const auto& a : artists) chinook_suite::check_artist(d, std::stoll(*a[0]));
  chinook_suite::check_artist(d, 100000);  // none: one query
  // an artist without albums: no album keys, no track query
  const auto lonely = d.scalar(
      "SELECT MIN(a.{ArtistId}) FROM {Artist} AS a WHERE NOT EXISTS (SELECT 1 FROM {Album} AS b "
      "WHERE b.{ArtistId} = a.{ArtistId})");
  REQUIRE(lonely > 0);
  chinook_suite::check_artist(d, lonely);
}

TEST_CASE("chinook example: a playlist with its tracks and their genres, for every playlist",
          "[chinook]") {
  auto& d = relata_test::chinook_database();
  const auto playlists = d.run("SELECT {PlaylistId} FROM {Playlist} ORDER BY {PlaylistId}");
  REQUIRE(playlists.size() == 18);
  for (const auto& p : playlists) chinook_suite::check_playlist(d, std::stoll(*p[0]));
}

TEST_CASE("chinook example: an employee's reports and their customers' invoices", "[chinook]") {
  auto& d = relata_test::chinook_database();
  const auto employees = d.run("SELECT {EmployeeId} FROM {Employee} ORDER BY {EmployeeId}");
  REQUIRE(employees.size() == 8);
  for (const auto& e : employees) {
    chinook_suite::check_team(d, std::stoll(*e[0]), std::nullopt);
    chinook_suite::check_team(d, std::stoll(*e[0]), 2);
  }
}

TEST_CASE("chinook example: the nested includes in small chunks", "[chinook][chunks]") {
  using namespace chinook_suite;
  auto& d = relata_test::chinook_database();
  // 4 keys per query: 2 for the windowed invoices on SQLite (the window binds 2 parameters)
  key_limit limit{d, 4};
  check_artist(d, 90);  // 21 albums: 6 track queries
  check_artist(d, 22);
  check_playlist(d, 1);  // 3290 tracks of 25 genres
  check_playlist(d, 16);
  check_team(d, 2, std::nullopt);  // 3 reports, 59 customers
  check_team(d, 2, 1);
  check_team(d, 1, 3);  // reports without customers: no invoice query
}

TEST_CASE("chinook: relation accessors and the composite key", "[chinook]") {
  using namespace chinook;
  using relata::col;
  auto& d = relata_test::chinook_database();
  relata::repository<Artist> artists{d.db()};
  relata::repository<Track> tracks{d.db()};
  relata::repository<Playlist> playlists{d.db()};
  relata::repository<PlaylistTrack> links{d.db()};
  relata::repository<Employee> employees{d.db()};
  relata::repository<Customer> customers{d.db()};

  // hasMany and belongsTo accessors
  CHECK(artists.albums(90).count() ==
        static_cast<std::uint64_t>(d.scalar("SELECT COUNT(*) FROM {Album} WHERE {ArtistId} = 90")));
  CHECK(tracks.album(1)->title == "For Those About To Rock We Salute You");
  CHECK(customers.support_rep(1)->employee_id == d.scalar("SELECT {SupportRepId} FROM {Customer} "
                                                          "WHERE {CustomerId} = 1"));
  // the self relation, both ways
  CHECK(employees.manager(3)->first_name == "Nancy");
  CHECK_FALSE(employees.manager(1).has_value());  // the general manager reports to no one
  std::vector<std::int64_t> reports;
  for (const auto& e : employees.reports(2).find()) reports.push_back(e.employee_id);
  std::vector<std::int64_t> expected_reports;
  for (const auto& r : d.run("SELECT {EmployeeId} FROM {Employee} WHERE {ReportsTo} = 2 ORDER BY "
                             "{EmployeeId}")) {
    expected_reports.push_back(std::stoll(*r[0]));
  }
  CHECK(reports == expected_reports);
  CHECK(employees.customers(3).count() ==
        static_cast<std::uint64_t>(
            d.scalar("SELECT COUNT(*) FROM {Customer} WHERE {SupportRepId} = 3")));

  // hasManyThrough, both directions, with a condition on the target
  CHECK(playlists.tracks(1).count() ==
        static_cast<std::uint64_t>(d.scalar("SELECT COUNT(*) FROM {PlaylistTrack} WHERE "
                                            "{PlaylistId} = 1")));
  CHECK(playlists.tracks(1).count(col(&Track::milliseconds) > 300000) ==
        static_cast<std::uint64_t>(
            d.scalar("SELECT COUNT(*) FROM {PlaylistTrack} AS l JOIN {Track} AS t ON "
                     "t.{TrackId} = l.{TrackId} WHERE l.{PlaylistId} = 1 AND t.{Milliseconds} > "
                     "300000")));
  CHECK(tracks.playlists(1).count() ==
        static_cast<std::uint64_t>(d.scalar("SELECT COUNT(*) FROM {PlaylistTrack} WHERE "
                                            "{TrackId} = 1")));

  // the link's composite primary key
  CHECK(links.exists(std::tuple<std::int64_t, std::int64_t>{1, 3402}));
  CHECK_FALSE(links.exists(std::tuple<std::int64_t, std::int64_t>{2, 3402}));
  // ... or as its parts in braces, in primary-key order
  CHECK(links.exists({1, 3402}));
  CHECK_FALSE(links.exists({3402, 1}));
  CHECK(links.find_by_id({1, 3402}).track_id == 3402);
  const auto link =
      links.find_by_id(std::tuple<std::int64_t, std::int64_t>{1, 3402}, {.include = {"track"}});
  CHECK(link.track->track_id == 3402);
  CHECK(links.count(col(&PlaylistTrack::playlist_id) == 1) ==
        static_cast<std::uint64_t>(
            d.scalar("SELECT COUNT(*) FROM {PlaylistTrack} WHERE {PlaylistId} = 1")));
}

TEST_CASE("chinook: filters on decimals, times and related rows", "[chinook][decimal]") {
  using namespace chinook;
  using namespace std::chrono;
  using relata::col;
  auto& d = relata_test::chinook_database();
  relata::repository<Track> tracks{d.db()};
  relata::repository<Invoice> invoices{d.db()};
  relata::repository<Customer> customers{d.db()};
  relata::repository<Employee> employees{d.db()};

  CHECK(tracks.count(col(&Track::unit_price) == money::from_units(199)) ==
        static_cast<std::uint64_t>(
            d.scalar("SELECT COUNT(*) FROM {Track} WHERE {UnitPrice} = 1.99")));
  CHECK(tracks.count(col(&Track::unit_price) < money::from_units(100)) ==
        static_cast<std::uint64_t>(d.scalar("SELECT COUNT(*) FROM {Track} WHERE {UnitPrice} < 1")));
  const datetime start{sys_days{2022y / January / 1}};
  const datetime end{sys_days{2023y / January / 1}};
  CHECK(invoices.count(col(&Invoice::invoice_date) >= start && col(&Invoice::invoice_date) < end) ==
        static_cast<std::uint64_t>(
            d.scalar("SELECT COUNT(*) FROM {Invoice} WHERE {InvoiceDate} >= '2022-01-01' AND "
                     "{InvoiceDate} < '2023-01-01'")));
  const auto hired =
      employees.find({.where = col(&Employee::hire_date) < datetime{sys_days{2002y / June / 1}}});
  CHECK(hired.size() == static_cast<std::size_t>(d.scalar(
                            "SELECT COUNT(*) FROM {Employee} WHERE {HireDate} < '2002-06-01'")));
  for (const auto& e : hired) CHECK(e.hire_date < datetime{sys_days{2002y / June / 1}});

  // customers with an invoice over 15: EXISTS on the relation
  const auto big = customers.find(
      {.where = relata::some(&Customer::invoices, col(&Invoice::total) > money::from_units(1500))});
  CHECK(big.size() ==
        static_cast<std::size_t>(d.scalar("SELECT COUNT(DISTINCT {CustomerId}) FROM {Invoice} "
                                          "WHERE {Total} > 15")));
  CHECK_FALSE(big.empty());
}

TEST_CASE("chinook: decimals and times written through relata read back exactly",
          "[chinook][decimal]") {
  using namespace chinook;
  using namespace std::chrono;
  using relata::col;
  auto& d = relata_test::chinook_database();
  relata::repository<Invoice> invoices{d.db()};
  relata::repository<InvoiceLine> lines{d.db()};
  // the rows written here go again, whatever happens: the database stays Chinook's
  struct cleanup {
    relata::repository<Invoice>& invoices;
    relata::repository<InvoiceLine>& lines;
    ~cleanup() {
      try {
        lines.delete_all(col(&InvoiceLine::invoice_id) == 100000);
        invoices.delete_all(col(&Invoice::invoice_id) == 100000);
      } catch (...) {  // NOLINT(bugprone-empty-catch): the test reports the failure
      }
    }
  } guard{invoices, lines};

  const auto when = datetime{sys_days{2024y / February / 29}} + hours{13} + minutes{5};
  invoices.create({.invoice_id = 100000,
                   .customer_id = 1,
                   .invoice_date = when,
                   .total = *money::parse("1234567.89")});
  invoices.lines(100000).create({.invoice_line_id = 100000,
                                 .track_id = 1,
                                 .unit_price = money::from_units(-1),
                                 .quantity = 3});
  const auto back = invoices.find_by_id(100000, {.include = {"lines", "customer"}});
  CHECK(back.total == money::from_units(123456789));
  CHECK(back.invoice_date == when);
  REQUIRE(back.lines.size() == 1);
  CHECK(back.lines[0].unit_price.to_string() == "-0.01");
  CHECK(back.lines[0].invoice_id == 100000);
  CHECK(back.customer->customer_id == 1);
  // plain SQL sees the same numbers
  const auto r = d.run(
      "SELECT i.{Total}, i.{InvoiceDate}, l.{UnitPrice} FROM {Invoice} AS i JOIN {InvoiceLine} "
      "AS l ON l.{InvoiceId} = i.{InvoiceId} WHERE i.{InvoiceId} = 100000");
  REQUIRE(r.size() == 1);
  CHECK(relata_test::cents(*r[0][0]) == 123456789);
  CHECK(r[0][1]->substr(0, 19) == "2024-02-29 13:05:00");
  CHECK(relata_test::cents(*r[0][2]) == -1);
  // an update through the naming policy (BillingPostalCode / billing_postal_code)
  invoices.update_by_id(100000,
                        {{&Invoice::billing_postal_code, std::string("EH4 1HH")},
                         {&Invoice::total, money::from_units(5)}});
  const auto updated =
      d.run("SELECT {BillingPostalCode}, {Total} FROM {Invoice} WHERE {InvoiceId} = 100000");
  REQUIRE(updated.size() == 1);
  CHECK(updated[0][0] == relata_test::cell{"EH4 1HH"});
  CHECK(relata_test::cents(*updated[0][1]) == 5);
  CHECK(lines.delete_all(col(&InvoiceLine::invoice_id) == 100000) == 1);
  CHECK(invoices.delete_all(col(&Invoice::invoice_id) == 100000) == 1);
  CHECK(d.scalar("SELECT COUNT(*) FROM {Invoice}") == 412);
}

TEST_CASE("chinook: migrating the models gives the script's schema, and copies its data",
          "[chinook][migrate]") {
  using namespace chinook;
  using namespace chinook_suite;
  auto& d = relata_test::chinook_database();
  auto fresh = d.empty();
  relata::migrate<Artist,
                  Album,
                  Genre,
                  MediaType,
                  Track,
                  Playlist,
                  PlaylistTrack,
                  Employee,
                  Customer,
                  Invoice,
                  InvoiceLine>(fresh->db());
  // the same table and column names, in the same order, the same NOT NULLs and primary keys
  for (const auto& t : tables()) {
    INFO("table " << t.name);
    const auto script = d.query(d.catalog(t.name));
    CHECK(script.size() == t.columns.size());
    CHECK(fresh->query(fresh->catalog(t.name)) == script);
  }
  // every row, read from the script's database and written through relata
  auto copy = [&](auto model) {
    using M = decltype(model);
    relata::repository<M> from{d.db()};
    relata::repository<M> to{fresh->db()};
    to.create_all(from.find());
  };
  copy(Artist{});
  copy(Album{});
  copy(Genre{});
  copy(MediaType{});
  copy(Track{});
  copy(Playlist{});
  copy(PlaylistTrack{});
  copy(Employee{});
  copy(Customer{});
  copy(Invoice{});
  copy(InvoiceLine{});
  for (const auto& t : tables()) {
    INFO("table " << t.name);
    const auto original = table_rows(d, t);
    const auto copied = table_rows(*fresh, t);
    CHECK(copied.size() == original.size());
    CHECK(copied == original);
  }
}
