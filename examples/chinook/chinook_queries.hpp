// The Chinook example's queries (each one find with nested includes) and the loading of the
// Chinook scripts. Shared by examples/chinook/chinook.cpp and the tests, which compare every
// answer with plain SQL on the same database.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <relata/relata.hpp>

#include "chinook_models.hpp"

namespace chinook {

/// An artist, with their albums, with their tracks: 1 + 2 queries.
inline std::vector<Artist> artist_albums_tracks(relata::datasource& db, std::int64_t artist_id) {
  relata::repository<Artist> artists{db};
  return artists.find({.where = relata::col(&Artist::artist_id) == artist_id,
                       .include = {relata::include(&Artist::albums, {.include = {"tracks"}})}});
}

/// A playlist, with its tracks (through PlaylistTrack), with their genres: 1 + 2 queries.
inline std::vector<Playlist> playlist_tracks_genres(relata::datasource& db,
                                                    std::int64_t playlist_id) {
  relata::repository<Playlist> playlists{db};
  return playlists.find({.where = relata::col(&Playlist::playlist_id) == playlist_id,
                         .include = {relata::include(&Playlist::tracks, {.include = {"genre"}})}});
}

/// An employee, with the employees who report to them, with the customers they support, with
/// these customers' invoices (the latest `invoices_per_customer` of each, or all): 1 + 3
/// queries, whatever the number of reports, customers and invoices.
inline std::vector<Employee> team_invoices(
    relata::datasource& db,
    std::int64_t employee_id,
    std::optional<std::uint64_t> invoices_per_customer = std::nullopt) {
  relata::repository<Employee> employees{db};
  const relata::filter<Invoice> invoices{.order = {relata::desc(&Invoice::invoice_date)},
                                         .limit = invoices_per_customer};
  const relata::filter<Customer> customers{
      .include = {relata::include(&Customer::invoices, invoices)}};
  const relata::filter<Employee> reports{
      .include = {relata::include(&Employee::customers, customers)}};
  return employees.find({.where = relata::col(&Employee::employee_id) == employee_id,
                         .include = {relata::include(&Employee::reports, reports)}});
}

/// The text of a file; throws std::runtime_error naming it when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Chinook_PostgreSql.sql without what only psql runs: it drops, creates and connects to a
/// database of its own (`DROP DATABASE`, `CREATE DATABASE`, `\c`); what is left creates and
/// fills the tables in the current schema, through any client (libpq's PQexec,
/// relata::postgres::datasource::execute).
inline std::string postgres_script(std::string_view script) {
  std::string out;
  out.reserve(script.size());
  std::size_t pos = 0;
  while (pos < script.size()) {
    std::size_t end = script.find('\n', pos);
    if (end == std::string_view::npos) end = script.size();
    const std::string_view line = script.substr(pos, end - pos);
    const std::size_t first = line.find_first_not_of(" \t\r");
    const std::string_view code =
        first == std::string_view::npos ? std::string_view{} : line.substr(first);
    const bool psql_only = code.starts_with("\\") || code.starts_with("DROP DATABASE") ||
                           code.starts_with("CREATE DATABASE");
    if (!psql_only) {
      out += line;
      out += '\n';
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace chinook
