// What relata's fuzz targets share: the input (JSON text, or a document parsed from it whose
// strings may hold any bytes), the small related data set held by a memory and a SQLite
// datasource, and the checks: only relata errors escape, with bounded messages; reads write
// nothing; memory and SQLite agree, on results and on error codes. A failed check prints what
// differed and aborts, which libFuzzer records as a crash with its input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/fixtures.hpp"

namespace relata_fuzz {

/// A model with every kind of property, for the conversions of changes and model JSON.
struct Kinds {
  RELATA_MODEL(Kinds,
               (relata::id<std::int64_t>, id),
               (bool, flag),
               (std::int32_t, small),
               (std::uint64_t, big),
               (float, single),
               (double, real),
               (std::string, text),
               (relata::blob, bytes),
               (std::chrono::system_clock::time_point, at),
               (std::optional<nlohmann::json>, doc),
               (std::vector<std::string>, words),
               (std::vector<double>, reals),
               (std::optional<std::int64_t>, maybe));
};

/// A fuzz input: its first byte chooses the entry point's form (bit 0: a parsed document, else
/// text) and the target's variants (bits 1 and up: a model, an operation); the rest is JSON
/// text. The seeds start with a digit: '0' text, '1' document, '2' and '3' with variant 0,
/// '4' and '5' with variant 1, '6' and '7' with both.
struct input {
  std::uint8_t selector = 0;
  std::string_view text;
  /// Through the parsed-document overloads rather than the text ones.
  bool as_document() const noexcept { return selector & 1; }
  /// A bit of the selector for the target's own choices (0 to 6).
  bool variant(int bit) const noexcept { return (selector >> (bit + 1)) & 1; }
};

input read_input(const std::uint8_t* data, std::size_t size);

/// The document of `in.text`, or nothing when it is not JSON. Its strings' characters U+0080 to
/// U+00FF become single bytes: the way to strings that are not UTF-8, which a parsed
/// nlohmann::json may hold and JSON text cannot.
std::optional<nlohmann::json> read_document(const input& in);

/// A datasource holding the data set, with the repositories the targets use.
struct backend {
  std::string name;
  std::unique_ptr<relata::datasource> db;
  relata::repository<fixtures::Customer> customers;
  relata::repository<Kinds> kinds;
  /// Set by the query observer when a statement that is not a SELECT runs.
  bool wrote = false;

  backend(std::string backend_name, std::unique_ptr<relata::datasource> datasource);
  /// Every table, as JSON (for checks that a write was undone).
  nlohmann::json snapshot() const;
};

/// How a call ended: its result as JSON, or a relata error's code.
struct outcome {
  bool ok = false;
  nlohmann::json result;
  relata::error_code code{};
  std::string message;
};

/// Runs `call`; a relata error is an outcome (its message must be bounded), any other
/// exception is a failure.
outcome attempt(const std::function<nlohmann::json()>& call);

/// Whether a parse from JSON succeeded: a relata error (checked as by attempt) means no, any
/// other exception is a failure.
bool parses(const std::function<void()>& parse);

/// `T::from_json` (a filter, where or changes) of the input's text or document, or nothing when
/// it is refused (by a relata error: see parses).
template <class T>
std::optional<T> from_json(const input& in) {
  std::optional<T> out;
  if (in.as_document()) {
    const auto document = read_document(in);
    if (document) parses([&] { out = T::from_json(*document); });
  } else {
    parses([&] { out = T::from_json(in.text); });
  }
  return out;
}

/// Prints `why` and aborts: libFuzzer keeps the input.
[[noreturn]] void fail(const std::string& why);

/// The memory and SQLite backends, built once per process.
struct world {
  backend memory;
  backend sqlite;

  static world& get();

  /// Runs `read` on both backends: it must write nothing, and both must give the same outcome.
  void reads_agree(std::string_view what, const std::function<nlohmann::json(backend&)>& read);
  /// Runs `write` on both backends inside a transaction rolled back afterwards: both must give
  /// the same outcome, and the rollback must leave each data set as it was.
  void writes_agree(std::string_view what, const std::function<nlohmann::json(backend&)>& write);

 private:
  world();
  void agree(std::string_view what, const outcome& m, const outcome& s) const;
  nlohmann::json baseline_;
};

/// Whether a filter holds a limit or skip past INT64_MAX / 2: connectors answer those
/// differently, which belongs to another issue (the correctness one), not to these targets.
bool out_of_scope(const relata::ast::filter& f);

}  // namespace relata_fuzz
