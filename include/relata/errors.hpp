// relata/errors.hpp: the one error hierarchy, with stable codes.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <relata/detail/config.hpp>
#if RELATA_DEFINE_ENGINE
#include <relata/detail/excerpt.hpp>
#endif

namespace relata {

/// Stable, machine-readable error codes. The names match LoopBack's where LoopBack has one.
enum class error_code {
  entity_not_found,          ///< ENTITY_NOT_FOUND: no row for an id, or a dangling key
  invalid_filter,            ///< INVALID_FILTER: a filter (C++ or JSON) that does not fit the model
  invalid_inclusion_filter,  ///< INVALID_INCLUSION_FILTER: unknown relations in `include`
  invalid_data,              ///< INVALID_DATA: values that do not fit the model
  constraint_violation,      ///< CONSTRAINT_VIOLATION: a relation constraint or a database one
  not_loaded,                ///< NOT_LOADED: reading a navigational member that was not included
  transaction_error,         ///< TRANSACTION_ERROR: misuse of a transaction
  connector_error,           ///< CONNECTOR_ERROR: the database reported something else
  schema_mismatch,           ///< SCHEMA_MISMATCH: an existing table does not fit its model
};

/// The stable text of a code, e.g. "ENTITY_NOT_FOUND".
constexpr std::string_view to_string(error_code code) noexcept {
  switch (code) {
    case error_code::entity_not_found:
      return "ENTITY_NOT_FOUND";
    case error_code::invalid_filter:
      return "INVALID_FILTER";
    case error_code::invalid_inclusion_filter:
      return "INVALID_INCLUSION_FILTER";
    case error_code::invalid_data:
      return "INVALID_DATA";
    case error_code::constraint_violation:
      return "CONSTRAINT_VIOLATION";
    case error_code::not_loaded:
      return "NOT_LOADED";
    case error_code::transaction_error:
      return "TRANSACTION_ERROR";
    case error_code::connector_error:
      return "CONNECTOR_ERROR";
    case error_code::schema_mismatch:
      return "SCHEMA_MISMATCH";
  }
  return "UNKNOWN";
}

// The constructors and destructors are engine functions: with RELATA_SEPARATE_COMPILATION a
// user's unit compiles no message building and no vtable for them, only calls.

/// Base of every error relata throws. `what()` reads "CODE: message".
class error : public std::runtime_error {
 public:
  error(error_code code, const std::string& message, std::string native_code = {});
  ~error() override;

  /// The stable code.
  error_code code() const noexcept { return code_; }
  /// The message without the "CODE: " prefix, for an error that wraps this one.
  std::string_view message() const noexcept {
    return std::string_view(what()).substr(to_string(code_).size() + 2);
  }
  /// The database's own code when one exists (SQLite's extended result name, a SQLSTATE).
  const std::string& native_code() const noexcept { return native_code_; }

 private:
  error_code code_;
  std::string native_code_;
};

/// No entity for the given id (or key); the message names the model and the id.
class entity_not_found : public error {
 public:
  entity_not_found(std::string model, std::string id);
  entity_not_found(std::string model, std::string key, std::string value);
  ~entity_not_found() override;

  const std::string& model() const noexcept { return model_; }
  const std::string& id() const noexcept { return id_; }

 private:
  std::string model_;
  std::string id_;
};

/// A filter that does not fit the model: unknown property, wrong value type, bounds exceeded.
class invalid_filter : public error {
 public:
  explicit invalid_filter(const std::string& message);
  ~invalid_filter() override;

 protected:
  invalid_filter(error_code code, const std::string& message);
};

/// An `include` entry naming relations the model does not have; lists every bad entry.
class invalid_inclusion_filter : public invalid_filter {
 public:
  explicit invalid_inclusion_filter(const std::string& message);
  ~invalid_inclusion_filter() override;
};

/// Data that does not fit the model (a wrong type, a NULL in a required property, ...).
class invalid_data : public error {
 public:
  explicit invalid_data(const std::string& message);
  ~invalid_data() override;
};

/// A relation constraint (a foreign key that cannot be changed) or a database constraint.
class constraint_violation : public error {
 public:
  explicit constraint_violation(const std::string& message, std::string native_code = {});
  ~constraint_violation() override;
};

/// A navigational member was read but its relation was not loaded by an include.
class not_loaded : public error {
 public:
  explicit not_loaded(const std::string& message);
  ~not_loaded() override;
};

/// A transaction used after it ended, or committed out of order.
class transaction_error : public error {
 public:
  explicit transaction_error(const std::string& message);
  ~transaction_error() override;
};

/// Any other failure reported by a database; carries its message and native code.
class connector_error : public error {
 public:
  connector_error(const std::string& message, std::string native_code = {});
  ~connector_error() override;
};

/// One way an existing table differs from the model migrated onto it.
struct schema_difference {
  std::string table;
  std::string column;
  std::string expected;  ///< what the model needs: "TEXT NOT NULL"
  std::string found;     ///< what the table has: "INTEGER", or "no such column"
};

/// `migrate` found existing tables that do not fit their models; lists every difference, in
/// the message and in `differences()`.
class schema_mismatch : public error {
 public:
  explicit schema_mismatch(std::vector<schema_difference> differences);
  ~schema_mismatch() override;

  const std::vector<schema_difference>& differences() const noexcept { return differences_; }

 private:
  std::vector<schema_difference> differences_;
};

// --- engine ----------------------------------------------------------------------------------
#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE error::error(error_code code,
                                  const std::string& message,
                                  std::string native_code)
    : std::runtime_error(std::string(to_string(code)) + ": " + message),
      code_(code),
      native_code_(std::move(native_code)) {}
RELATA_ENGINE_INLINE error::~error() = default;

RELATA_ENGINE_INLINE entity_not_found::entity_not_found(std::string model, std::string id)
    : error(error_code::entity_not_found,
            "Entity not found: " + model + " with id " + detail::excerpt(id)),
      model_(std::move(model)),
      id_(std::move(id)) {}
RELATA_ENGINE_INLINE entity_not_found::entity_not_found(std::string model,
                                                        std::string key,
                                                        std::string value)
    : error(error_code::entity_not_found,
            "Entity not found: " + model + " with " + key + " " + detail::excerpt(value)),
      model_(std::move(model)),
      id_(std::move(value)) {}
RELATA_ENGINE_INLINE entity_not_found::~entity_not_found() = default;

RELATA_ENGINE_INLINE invalid_filter::invalid_filter(const std::string& message)
    : error(error_code::invalid_filter, message) {}
RELATA_ENGINE_INLINE invalid_filter::invalid_filter(error_code code, const std::string& message)
    : error(code, message) {}
RELATA_ENGINE_INLINE invalid_filter::~invalid_filter() = default;

RELATA_ENGINE_INLINE invalid_inclusion_filter::invalid_inclusion_filter(const std::string& message)
    : invalid_filter(error_code::invalid_inclusion_filter, message) {}
RELATA_ENGINE_INLINE invalid_inclusion_filter::~invalid_inclusion_filter() = default;

RELATA_ENGINE_INLINE invalid_data::invalid_data(const std::string& message)
    : error(error_code::invalid_data, message) {}
RELATA_ENGINE_INLINE invalid_data::~invalid_data() = default;

RELATA_ENGINE_INLINE constraint_violation::constraint_violation(const std::string& message,
                                                                std::string native_code)
    : error(error_code::constraint_violation, message, std::move(native_code)) {}
RELATA_ENGINE_INLINE constraint_violation::~constraint_violation() = default;

RELATA_ENGINE_INLINE not_loaded::not_loaded(const std::string& message)
    : error(error_code::not_loaded, message) {}
RELATA_ENGINE_INLINE not_loaded::~not_loaded() = default;

RELATA_ENGINE_INLINE transaction_error::transaction_error(const std::string& message)
    : error(error_code::transaction_error, message) {}
RELATA_ENGINE_INLINE transaction_error::~transaction_error() = default;

RELATA_ENGINE_INLINE connector_error::connector_error(const std::string& message,
                                                      std::string native_code)
    : error(error_code::connector_error, message, std::move(native_code)) {}
RELATA_ENGINE_INLINE connector_error::~connector_error() = default;

namespace detail {
inline std::string schema_mismatch_message(const std::vector<schema_difference>& differences) {
  std::string message =
      "existing tables do not fit their models (migrate with "
      "relata::migrate_options{.autoupdate = true} adds missing nullable "
      "columns):";
  for (const auto& d : differences) {
    message += "\n  table " + d.table + ", column " + d.column + ": expected " + d.expected +
               ", found " + d.found;
  }
  return message;
}
}  // namespace detail

RELATA_ENGINE_INLINE schema_mismatch::schema_mismatch(std::vector<schema_difference> differences)
    : error(error_code::schema_mismatch, detail::schema_mismatch_message(differences)),
      differences_(std::move(differences)) {}
RELATA_ENGINE_INLINE schema_mismatch::~schema_mismatch() = default;

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata
