// relata on an existing database: the Chinook sample database, loaded from its own SQL scripts
// into a fresh SQLite file (and, given a connection string, into PostgreSQL), then queried
// through the models of chinook_models.hpp. The scripts name things differently (SQLite:
// [Album].[AlbumId], PostgreSQL: album.album_id); one set of models serves both, through each
// datasource's naming policy.
//
//   chinook [SCRIPTS] [--database FILE] [--postgres CONNINFO]
//           [--artist ID] [--playlist ID] [--employee ID] [--invoices N]
//
// SCRIPTS is the directory holding Chinook_Sqlite.sql (and Chinook_PostgreSql.sql), or the path
// of Chinook_Sqlite.sql; the build's RELATA_CHINOOK_DIR by default. The scripts are not part of
// relata: get them from https://github.com/lerocha/chinook-database (MIT licence).
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>
#include <relata/sqlite.hpp>
#if defined(CHINOOK_WITH_POSTGRES)
#include <relata/postgres.hpp>
#endif

#include "chinook_models.hpp"
#include "chinook_queries.hpp"

#if !defined(RELATA_CHINOOK_DIR)
#define RELATA_CHINOOK_DIR ""
#endif

namespace fs = std::filesystem;

namespace {

constexpr int usage_error = 2;

struct arguments {
  std::string scripts = RELATA_CHINOOK_DIR;
  std::string database;
  std::string postgres;
  std::int64_t artist = 1;     // AC/DC
  std::int64_t playlist = 16;  // Grunge
  std::int64_t employee = 2;   // Nancy Edwards, Sales Manager
  std::uint64_t invoices = 2;  // the latest two of each customer
};

int usage(const char* program, const std::string& problem) {
  std::cerr
      << program << ": " << problem << "\n\n"
      << "usage: " << program
      << " [SCRIPTS] [--database FILE] [--postgres CONNINFO]\n"
         "         [--artist ID] [--playlist ID] [--employee ID] [--invoices N]\n\n"
         "  SCRIPTS     the directory holding Chinook_Sqlite.sql (and Chinook_PostgreSql.sql for\n"
         "              --postgres), or the path of Chinook_Sqlite.sql. Default: the build's\n"
         "              RELATA_CHINOOK_DIR (cmake -DRELATA_CHINOOK_DIR=...). The scripts come "
         "from\n"
         "              https://github.com/lerocha/chinook-database (MIT licence).\n"
         "  --database  the SQLite file to create; it must not exist (default: chinook.sqlite\n"
         "              in the temporary directory, replaced)\n"
         "  --postgres  a libpq connection string: also load Chinook into the schema\n"
         "              relata_chinook of that database (dropped if present) and query it there\n"
         "  --artist, --playlist, --employee   which one to show (default 1, 16, 2)\n"
         "  --invoices  invoices shown per customer, the latest first (default 2)\n";
  return usage_error;
}

std::optional<arguments> parse(int argc, char** argv, std::string& problem) {
  arguments a;
  bool scripts_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    auto number = [&](auto& out) {
      const char* v = next();
      if (!v) return false;
      char* end = nullptr;
      const long long n = std::strtoll(v, &end, 10);
      if (*v == '\0' || *end != '\0' || n < 0) return false;
      out = static_cast<std::remove_reference_t<decltype(out)>>(n);
      return true;
    };
    bool ok = true;
    if (arg == "--database") {
      const char* v = next();
      ok = v != nullptr;
      if (ok) a.database = v;
    } else if (arg == "--postgres") {
      const char* v = next();
      ok = v != nullptr;
      if (ok) a.postgres = v;
    } else if (arg == "--artist") {
      ok = number(a.artist);
    } else if (arg == "--playlist") {
      ok = number(a.playlist);
    } else if (arg == "--employee") {
      ok = number(a.employee);
    } else if (arg == "--invoices") {
      ok = number(a.invoices);
    } else if (!arg.starts_with("--") && !scripts_given) {
      a.scripts = arg;
      scripts_given = true;
    } else {
      problem = "unexpected argument " + std::string(arg);
      return std::nullopt;
    }
    if (!ok) {
      problem = std::string(arg) + " needs a value (IDs and counts are whole numbers)";
      return std::nullopt;
    }
  }
  return a;
}

/// Runs the three queries, printing each answer as JSON; returns the answers.
nlohmann::json run_queries(relata::datasource& db, const arguments& a) {
  std::size_t queries = 0;
  db.observe([&](const relata::query_event&) { ++queries; });
  nlohmann::json answers;
  auto show = [&](const char* key, const std::string& title, nlohmann::json answer) {
    std::cout << "# " << db.name() << ": " << title << " (one find, " << queries << " queries)\n"
              << answer.dump(2) << "\n";
    answers[key] = std::move(answer);
    queries = 0;
  };
  show("artist",
       "artist " + std::to_string(a.artist) + " with albums with tracks",
       chinook::artist_albums_tracks(db, a.artist));
  show("playlist",
       "playlist " + std::to_string(a.playlist) + " with tracks and their genres",
       chinook::playlist_tracks_genres(db, a.playlist));
  show("team",
       "employee " + std::to_string(a.employee) + "'s reports, their customers, and the latest " +
           std::to_string(a.invoices) + " invoices of each",
       chinook::team_invoices(db, a.employee, a.invoices));
  db.observe({});
  return answers;
}

}  // namespace

int main(int argc, char** argv) try {
  std::string problem;
  const auto args = parse(argc, argv, problem);
  if (!args) return usage(argv[0], problem);

  if (args->scripts.empty()) {
    return usage(argv[0],
                 "no Chinook scripts: give their directory (this build has no "
                 "RELATA_CHINOOK_DIR)");
  }
  fs::path sqlite_script = args->scripts;
  if (fs::is_directory(sqlite_script)) sqlite_script /= "Chinook_Sqlite.sql";
  const fs::path postgres_script = sqlite_script.parent_path() / "Chinook_PostgreSql.sql";
  if (!fs::is_regular_file(sqlite_script)) {
    return usage(argv[0],
                 "no Chinook SQLite script at " + sqlite_script.string() +
                     ": give the directory of the Chinook scripts, or the path of "
                     "Chinook_Sqlite.sql");
  }
  if (!args->postgres.empty() && !fs::is_regular_file(postgres_script)) {
    return usage(
        argv[0],
        "--postgres needs the Chinook PostgreSQL script, not at " + postgres_script.string());
  }

  // SQLite: tables named as the models ([Album]), columns in PascalCase ([AlbumId]).
  fs::path file = args->database;
  if (file.empty()) {
    file = fs::temp_directory_path() / "chinook.sqlite";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
  } else if (fs::exists(file)) {
    return usage(argv[0], file.string() + " exists; give a new file to --database");
  }
  nlohmann::json sqlite_answers;
  {
    relata::sqlite::datasource db{file.string(), {.names = chinook::sqlite_names}};
    const auto started = std::chrono::steady_clock::now();
    relata::transaction tx{db};
    db.execute(chinook::read_file(sqlite_script.string()));
    tx.commit();
    std::cout << "# loaded " << sqlite_script.string() << " into " << file.string() << " in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count()
              << " ms\n";
    sqlite_answers = run_queries(db, *args);
  }

  if (!args->postgres.empty()) {
#if defined(CHINOOK_WITH_POSTGRES)
    // PostgreSQL: tables in snake_case (album), columns as the members are named (album_id).
    const std::string schema = "relata_chinook";
    {
      relata::postgres::datasource admin{args->postgres, {.pool_size = 1}};
      admin.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
    }
    relata::postgres::datasource db{args->postgres,
                                    {.names = chinook::postgres_names, .schema = schema}};
    db.execute(chinook::postgres_script(chinook::read_file(postgres_script.string())));
    std::cout << "# loaded " << postgres_script.string() << " into the schema " << schema << "\n";
    const auto differences = nlohmann::json::diff(sqlite_answers, run_queries(db, *args));
    if (differences.empty()) {
      std::cout << "# SQLite and PostgreSQL give the same answers\n";
    } else {
      // The scripts do not hold quite the same data: PostgreSQL reads the N'...' literals of
      // its script as `character` values, whose trailing blanks go on the way into VARCHAR
      // columns ('Edinburgh ' is stored as 'Edinburgh').
      std::cout << "# SQLite and PostgreSQL answers differ where the scripts' data differ (a "
                   "JSON patch from the SQLite answers to the PostgreSQL ones):\n"
                << differences.dump(2) << "\n";
    }
#else
    return usage(argv[0], "this build of the example has no PostgreSQL support (libpq)");
#endif
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << argv[0] << ": " << e.what() << "\n";
  return 1;
}
