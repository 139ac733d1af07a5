// The Chinook sample database (https://github.com/lerocha/chinook-database) declared with relata,
// against its existing schema: no table or column is changed, and one set of models serves both
// of its scripts. The SQLite script names things in PascalCase ([Album].[AlbumId]), the
// PostgreSQL one in snake_case (album.album_id); the models use snake_case members and
// PascalCase model names, and each datasource's naming policy says how its database spells
// them (see `chinook::sqlite_names` and `chinook::postgres_names`).
//
// Chinook's ids are supplied by the script, not generated. Nullable columns are std::optional.
// Prices are NUMERIC(10,2): relata::decimal<2> keeps them exact (cents).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <relata/connector.hpp>
#include <relata/decimal.hpp>
#include <relata/relata.hpp>

namespace chinook {

/// A Chinook primary key: an integer the data supplies.
using key = relata::id<std::int64_t, relata::id_generation::supplied>;
/// NUMERIC(10,2).
using money = relata::decimal<2>;
/// DATETIME (SQLite) / TIMESTAMP (PostgreSQL), whole seconds.
using datetime = std::chrono::sys_seconds;

/// [Album].[AlbumId]: tables as the models are named, columns in PascalCase.
inline constexpr relata::naming_policy sqlite_names{.columns = relata::naming::pascal_case};
/// album.album_id: tables in snake_case, columns as the members are named.
inline constexpr relata::naming_policy postgres_names{.tables = relata::naming::snake_case};

struct Album;
struct Track;
struct Playlist;
struct PlaylistTrack;
struct Customer;
struct Invoice;
struct InvoiceLine;

struct Artist {
  RELATA_MODEL(Artist,
               (key, artist_id),
               (std::optional<std::string>, name),
               (relata::has_many<Album>, albums));  // Album::artist_id
};

struct Album {
  RELATA_MODEL(Album,
               (key, album_id),
               (std::string, title),
               (std::int64_t, artist_id),
               (relata::belongs_to<Artist>, artist),  // this->artist_id
               (relata::has_many<Track>, tracks));    // Track::album_id
};

struct Genre {
  RELATA_MODEL(Genre,
               (key, genre_id),
               (std::optional<std::string>, name),
               (relata::has_many<Track>, tracks));  // Track::genre_id
};

struct MediaType {
  RELATA_MODEL(MediaType,
               (key, media_type_id),
               (std::optional<std::string>, name),
               (relata::has_many<Track>, tracks));  // Track::media_type_id
};

struct Track {
  RELATA_MODEL(Track,
               (key, track_id),
               (std::string, name),
               (std::optional<std::int64_t>, album_id),
               (std::int64_t, media_type_id),
               (std::optional<std::int64_t>, genre_id),
               (std::optional<std::string>, composer),
               (std::int64_t, milliseconds),
               (std::optional<std::int64_t>, bytes),
               (money, unit_price),
               (relata::belongs_to<Album>, album),           // this->album_id
               (relata::belongs_to<Genre>, genre),           // this->genre_id
               (relata::belongs_to<MediaType>, media_type),  // this->media_type_id
               (relata::has_many<InvoiceLine>, invoice_lines),
               (relata::has_many<Playlist, relata::through<PlaylistTrack>>, playlists));
};

struct Playlist {
  RELATA_MODEL(Playlist,
               (key, playlist_id),
               (std::optional<std::string>, name),
               (relata::has_many<Track, relata::through<PlaylistTrack>>, tracks));
};

/// The link table: its primary key is (PlaylistId, TrackId).
struct PlaylistTrack {
  RELATA_MODEL(PlaylistTrack,
               (key, playlist_id),
               (key, track_id),
               (relata::belongs_to<Playlist>, playlist),
               (relata::belongs_to<Track>, track));
};

struct Employee {
  RELATA_MODEL(Employee,
               (key, employee_id),
               (std::string, last_name),
               (std::string, first_name),
               (std::optional<std::string>, title),
               (std::optional<std::int64_t>, reports_to),
               (std::optional<datetime>, birth_date),
               (std::optional<datetime>, hire_date),
               (std::optional<std::string>, address),
               (std::optional<std::string>, city),
               (std::optional<std::string>, state),
               (std::optional<std::string>, country),
               (std::optional<std::string>, postal_code),
               (std::optional<std::string>, phone),
               (std::optional<std::string>, fax),
               (std::optional<std::string>, email),
               (relata::belongs_to<Employee, relata::key_from<"reports_to">>, manager),
               (relata::has_many<Employee, relata::key_to<"reports_to">>, reports),
               (relata::has_many<Customer, relata::key_to<"support_rep_id">>, customers));
};

struct Customer {
  RELATA_MODEL(Customer,
               (key, customer_id),
               (std::string, first_name),
               (std::string, last_name),
               (std::optional<std::string>, company),
               (std::optional<std::string>, address),
               (std::optional<std::string>, city),
               (std::optional<std::string>, state),
               (std::optional<std::string>, country),
               (std::optional<std::string>, postal_code),
               (std::optional<std::string>, phone),
               (std::optional<std::string>, fax),
               (std::string, email),
               (std::optional<std::int64_t>, support_rep_id),
               (relata::belongs_to<Employee>, support_rep),  // this->support_rep_id
               (relata::has_many<Invoice>, invoices));       // Invoice::customer_id
};

struct Invoice {
  RELATA_MODEL(Invoice,
               (key, invoice_id),
               (std::int64_t, customer_id),
               (datetime, invoice_date),
               (std::optional<std::string>, billing_address),
               (std::optional<std::string>, billing_city),
               (std::optional<std::string>, billing_state),
               (std::optional<std::string>, billing_country),
               (std::optional<std::string>, billing_postal_code),
               (money, total),
               (relata::belongs_to<Customer>, customer),  // this->customer_id
               (relata::has_many<InvoiceLine>, lines));   // InvoiceLine::invoice_id
};

struct InvoiceLine {
  RELATA_MODEL(InvoiceLine,
               (key, invoice_line_id),
               (std::int64_t, invoice_id),
               (std::int64_t, track_id),
               (money, unit_price),
               (std::int64_t, quantity),
               (relata::belongs_to<Invoice>, invoice),  // this->invoice_id
               (relata::belongs_to<Track>, track));     // this->track_id
};

}  // namespace chinook
