// Shared pieces of the PostgreSQL benchmark programs: the server (RELATA_BENCH_POSTGRES or a
// throwaway one), small owners and readers of raw libpq results, and the shop data
// (customers x orders x items) made by the server itself.
#pragma once

#include <libpq-fe.h>

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <relata/postgres.hpp>

#include "support/bench.hpp"

namespace relata_bench::pg {

// --- the server ------------------------------------------------------------------------------

/// A throwaway server started by tests/support/postgres_server.sh, stopped on destruction.
/// The script's path is given by the build (RELATA_BENCH_POSTGRES_SERVER_SCRIPT).
class throwaway_server {
 public:
  explicit throwaway_server(std::string script)
      : script_(std::move(script)), state_((dir_.path() / "state").string()) {}
  throwaway_server(const throwaway_server&) = delete;
  throwaway_server& operator=(const throwaway_server&) = delete;
  ~throwaway_server() {
    if (started_) run("stop");
  }

  /// The connection string, or std::nullopt with `why` set.
  std::optional<std::string> start(std::string& why) {
    started_ = true;
    if (!run("start")) {
      why = "tests/support/postgres_server.sh start failed";
      return std::nullopt;
    }
    std::ifstream in{state_};
    std::string line;
    if (!std::getline(in, line) || line.empty()) {
      why = "the server script wrote no connection string";
      return std::nullopt;
    }
    if (line.rfind("unavailable", 0) == 0) {
      why = line;
      return std::nullopt;
    }
    return line;
  }

 private:
  bool run(const char* action) {
    const std::string command = "sh '" + script_ + "' " + action + " '" + state_ + "' >/dev/null";
    return std::system(command.c_str()) == 0;
  }

  std::string script_;
  temp_dir dir_;
  std::string state_;
  bool started_ = false;
};

// --- raw libpq -------------------------------------------------------------------------------

/// Owns a PGresult.
struct result {
  PGresult* r;
  explicit result(PGresult* p) : r(p) {}
  result(const result&) = delete;
  result& operator=(const result&) = delete;
  ~result() { PQclear(r); }
};

/// `r`, or an exception with the server's message when it failed.
inline result checked(PGresult* r, const char* what) {
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
    const std::string message = std::string(what) + ": " + PQresultErrorMessage(r);
    PQclear(r);
    throw std::runtime_error(message);
  }
  return result{r};
}

inline void exec(PGconn* c, const char* sql) { checked(PQexec(c, sql), sql); }
inline void exec(PGconn* c, const std::string& sql) { exec(c, sql.c_str()); }

/// PQprepare, unless this connection already has the statement (loaders are made per case).
inline void prepare(
    PGconn* c, const char* name, const char* sql, int parameters, const Oid* types) {
  result existing{PQdescribePrepared(c, name)};
  if (PQresultStatus(existing.r) == PGRES_COMMAND_OK) return;
  checked(PQprepare(c, name, sql, parameters, types), "prepare");
}

/// A raw connection with relata's session settings.
struct raw_connection {
  PGconn* c;
  explicit raw_connection(const std::string& conninfo) : c(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(c) != CONNECTION_OK) {
      const std::string message = PQerrorMessage(c);
      PQfinish(c);
      throw std::runtime_error("cannot connect: " + message);
    }
    exec(c,
         "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET client_encoding = 'UTF8'; "
         "SET extra_float_digits = 3");
  }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;
  ~raw_connection() { PQfinish(c); }
};

inline std::uint64_t big_endian(std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(v);
  return v;
}

/// COPY ... FROM STDIN (FORMAT binary) written by hand: each row's fields in PostgreSQL's
/// binary forms, sent in 1 MiB pieces. The best raw libpq does when the ids need not come back.
class binary_copy {
 public:
  binary_copy(PGconn* c, const std::string& sql) : c_(c) {
    checked(PQexec(c_, sql.c_str()), "copy");
    buffer_.assign("PGCOPY\n\377\r\n\0", 11);  // signature
    put32(0);                                  // flags
    put32(0);                                  // header extension length
  }
  binary_copy(const binary_copy&) = delete;
  binary_copy& operator=(const binary_copy&) = delete;

  void row(std::uint16_t fields) {
    if (buffer_.size() >= (1 << 20)) send();
    put16(fields);
  }
  void int8(std::int64_t v) { put64(static_cast<std::uint64_t>(v)); }
  void float8(double v) { put64(std::bit_cast<std::uint64_t>(v)); }
  void text(std::string_view v) {
    put32(static_cast<std::uint32_t>(v.size()));
    buffer_ += v;
  }
  /// Sends the trailer and waits for the server's verdict (an exception if it refused).
  void finish() {
    put16(0xffff);
    send();
    if (PQputCopyEnd(c_, nullptr) != 1) throw std::runtime_error(PQerrorMessage(c_));
    while (PGresult* r = PQgetResult(c_)) checked(r, "copy end");
  }

 private:
  void put16(std::uint16_t v) {
    const char bytes[] = {static_cast<char>(v >> 8), static_cast<char>(v)};
    buffer_.append(bytes, 2);
  }
  void put32(std::uint32_t v) {
    put16(static_cast<std::uint16_t>(v >> 16));
    put16(static_cast<std::uint16_t>(v));
  }
  void put64(std::uint64_t v) {
    put32(8);  // field length
    const std::uint64_t big = big_endian(v);
    buffer_.append(reinterpret_cast<const char*>(&big), 8);
  }
  void send() {
    if (PQputCopyData(c_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      throw std::runtime_error(PQerrorMessage(c_));
    }
    buffer_.clear();
  }

  PGconn* c_;
  std::string buffer_;
};

inline std::int64_t integer_at(const PGresult* r, int row, int column) {
  const char* v = PQgetvalue(r, row, column);
  std::int64_t out = 0;
  std::from_chars(v, v + PQgetlength(r, row, column), out);
  return out;
}

inline double real_at(const PGresult* r, int row, int column) {
  const char* v = PQgetvalue(r, row, column);
  double out = 0;
  std::from_chars(v, v + PQgetlength(r, row, column), out);
  return out;
}

inline std::string text_at(const PGresult* r, int row, int column) {
  return std::string(PQgetvalue(r, row, column),
                     static_cast<std::size_t>(PQgetlength(r, row, column)));
}

/// The first column of the first row of a query, as an integer.
inline std::int64_t query_integer(PGconn* c, const std::string& sql) {
  auto r = checked(PQexec(c, sql.c_str()), sql.c_str());
  return PQntuples(r.r) ? integer_at(r.r, 0, 0) : 0;
}

inline constexpr Oid int8_oid = 20;
inline constexpr Oid text_oid = 25;
inline constexpr Oid float8_oid = 701;

// --- the shop data ---------------------------------------------------------------------------

/// `customers` customers, each with `orders_per_customer` orders, each with `items_per_order`
/// items, made by the server (generate_series) in tables migrated by relata:
///   Customer  "customer i", "customer<i>@example.com", balance i * 0.5      (i from 0)
///   Order     customer_id c, "order j of customer c", total j * 3.25       (j from 0)
///   Item      order_id o, "SKU-<o * 10 + k>", price k + 0.99               (k from 0)
/// Ids are 1, 2, ... in that order. Analyzed afterwards, so plans are the same for everyone.
inline void make_shop(relata::postgres::datasource& db,
                      std::size_t customers,
                      std::size_t orders_per_customer,
                      std::size_t items_per_order) {
  const auto n = std::to_string(customers);
  db.execute(
      R"(INSERT INTO "Customer" ("name", "email", "balance") )"
      R"(SELECT 'customer ' || (i - 1), 'customer' || (i - 1) || '@example.com', (i - 1) * 0.5 )"
      "FROM generate_series(1, " +
      n + ") AS i ORDER BY i");
  db.execute(R"(INSERT INTO "Order" ("customer_id", "description", "total") )"
             R"(SELECT c, 'order ' || j || ' of customer ' || c, j * 3.25 )"
             "FROM generate_series(1, " +
             n + ") AS c, generate_series(0, " + std::to_string(orders_per_customer - 1) +
             ") AS j ORDER BY c, j");
  if (items_per_order > 0) {
    db.execute(R"(INSERT INTO "Item" ("order_id", "sku", "price") )"
               R"(SELECT o, 'SKU-' || (o * 10 + k), k + 0.99 )"
               "FROM generate_series(1, " +
               std::to_string(customers * orders_per_customer) + ") AS o, generate_series(0, " +
               std::to_string(items_per_order - 1) + ") AS k ORDER BY o, k");
  }
  db.execute(R"(ANALYZE "Customer"; ANALYZE "Order"; ANALYZE "Item")");
}

}  // namespace relata_bench::pg
