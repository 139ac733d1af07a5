// relata/value.hpp: the dynamic value a connector sees, and the C++ type <-> value mapping.
//
// Two paths move data. The hot path (rows in and out of structs) never builds a `value`: a
// property writes itself into a connector's `value_sink` and reads itself from a connector's
// `row`, typed at compile time. `value` is for the cold paths: filter operands, the memory
// connector's storage, keys collected by the inclusion resolver, messages.
#pragma once

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/detail/time.hpp>
#include <relata/errors.hpp>

namespace relata {

/// How a property is stored. Every supported C++ type maps onto one kind.
enum class value_kind : std::uint8_t {
  null,
  integer,    ///< all integer widths, enums
  real,       ///< float, double
  boolean,    ///< bool
  text,       ///< std::string
  blob,       ///< std::vector<std::byte>
  timestamp,  ///< std::chrono::system_clock::time_point (UTC)
  json,       ///< nlohmann::json, kept as its text
  array,      ///< std::vector<T> of scalars (JSON text on SQLite, an array on PostgreSQL)
};

constexpr std::string_view to_string(value_kind kind) noexcept {
  switch (kind) {
    case value_kind::null:
      return "null";
    case value_kind::integer:
      return "integer";
    case value_kind::real:
      return "real";
    case value_kind::boolean:
      return "boolean";
    case value_kind::text:
      return "text";
    case value_kind::blob:
      return "blob";
    case value_kind::timestamp:
      return "timestamp";
    case value_kind::json:
      return "json";
    case value_kind::array:
      return "array";
  }
  return "unknown";
}

/// Bytes, stored as a BLOB / bytea.
using blob = std::vector<std::byte>;
/// A point in time, stored in UTC with the clock's precision where the database allows.
using timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;

/// The stored form of a JSON document: its text. `nlohmann::json` maps onto it (see json.hpp).
struct json_text {
  std::string text;
  friend bool operator==(const json_text&, const json_text&) = default;
};

/// A dynamically typed value: null, integer, real, boolean, text, blob, timestamp, json, array.
class value {
 public:
  using array_type = std::vector<value>;

  // Every member that touches the variant is an engine function: with
  // RELATA_SEPARATE_COMPILATION a user's unit then compiles none of std::variant's machinery
  // (about a fifth of the quickstart's functions), only calls.
  value() noexcept;
  value(std::nullptr_t) noexcept;
  template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>) value(I number)
  noexcept : value(integer_tag{}, static_cast<std::int64_t>(number)) {}
  value(double number) noexcept;
  value(bool flag) noexcept;
  value(std::string text) noexcept;
  value(std::string_view text);
  value(const char* text);
  value(blob bytes) noexcept;
  value(timestamp time) noexcept;
  value(json_text document) noexcept;
  value(array_type elements) noexcept;
  value(const value& other);
  value(value&& other) noexcept;
  value& operator=(const value& other);
  value& operator=(value&& other) noexcept;
  ~value();

  value_kind kind() const noexcept { return static_cast<value_kind>(data_.index()); }
  bool is_null() const noexcept { return data_.index() == 0; }

  std::int64_t as_integer() const;
  bool as_boolean() const;
  const std::string& as_text() const;
  const blob& as_blob() const;
  timestamp as_timestamp() const;
  const json_text& as_json() const;
  const array_type& as_array() const;
  /// A real, or an integer read as a real.
  double as_real() const;

  /// Same kind and same content (1 and 1.0 differ: keys are normalised before they meet).
  friend bool operator==(const value& a, const value& b);

  /// A short rendering for messages and query descriptions: 42, "text", null, [1,2].
  std::string to_string() const;

 private:
  struct integer_tag {};
  value(integer_tag, std::int64_t number) noexcept;

  template <class T>
  const T& get(value_kind wanted) const;

  std::variant<std::monostate,
               std::int64_t,
               double,
               bool,
               std::string,
               blob,
               timestamp,
               json_text,
               array_type>
      data_;
};

/// Three-way comparison with SQL's rules: numbers compare across integer and real, text and
/// blobs bytewise, and anything against null is unordered.
std::partial_ordering compare(const value& a, const value& b);

/// Where a connector receives values: parameters to bind, cells to store. The hot write path.
class value_sink {
 public:
  virtual ~value_sink();
  virtual void put_null() = 0;
  virtual void put_integer(std::int64_t v) = 0;
  /// A 64-bit unsigned integer; databases store signed 64-bit integers, so by default values
  /// above INT64_MAX are refused (JSON keeps them).
  virtual void put_unsigned(std::uint64_t v) {
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      throw_unsigned_out_of_range(v);
    }
    put_integer(static_cast<std::int64_t>(v));
  }
  virtual void put_real(double v) = 0;
  virtual void put_boolean(bool v) = 0;
  virtual void put_text(std::string_view v) = 0;
  virtual void put_blob(std::span<const std::byte> v) = 0;
  virtual void put_timestamp(timestamp v) = 0;
  virtual void put_json(std::string_view text) = 0;
  virtual void put_array(std::span<const value> elements, value_kind element_kind) = 0;
  /// Whether a NaN can be written. SQLite stores a NaN as NULL, so relata refuses it on every
  /// database rather than lose it on one; JSON keeps it (as "NaN"). Sinks that refuse NaN get
  /// -0.0 as 0.0 too (SQLite cannot keep the sign either).
  virtual bool keeps_nan() const noexcept { return false; }
  /// Dispatches on the value's kind.
  void put(const value& v);

 protected:
  [[noreturn]] static void throw_unsigned_out_of_range(std::uint64_t v);
};

/// One result row as a connector hands it out, read by column position. The hot read path.
/// Getters convert the way their database does; a column's NULL is asked with `is_null` first,
/// unless the row's getters refuse NULL themselves (`getters_refuse_null`).
class row {
 public:
  virtual ~row();
  /// Whether every getter throws on a NULL cell, so that a reader of a non-optional property
  /// need not ask `is_null` first: SQLite's rows check only when a read gives 0 or nothing,
  /// which saves a library call per cell on the hot path.
  bool getters_refuse_null() const noexcept { return getters_refuse_null_; }
  virtual bool is_null(std::size_t column) const = 0;
  virtual std::int64_t get_integer(std::size_t column) const = 0;
  /// A 64-bit unsigned integer: by default the stored signed integer, refused when negative.
  virtual std::uint64_t get_unsigned(std::size_t column) const {
    const std::int64_t v = get_integer(column);
    if (v < 0) throw_negative_for_unsigned(v);
    return static_cast<std::uint64_t>(v);
  }
  virtual double get_real(std::size_t column) const = 0;
  virtual bool get_boolean(std::size_t column) const = 0;
  /// Text, valid until the row moves on. Also the text of a json column.
  virtual std::string_view get_text(std::size_t column) const = 0;
  virtual std::span<const std::byte> get_blob(std::size_t column) const = 0;
  virtual timestamp get_timestamp(std::size_t column) const = 0;
  /// The elements of an array cell; `element_kind` null: as stored.
  virtual std::vector<value> get_array(std::size_t column, value_kind element_kind) const = 0;
  /// The cell as a `value` of the expected kind (cold paths: keys, generated ids); throws
  /// invalid_data when it cannot be read as that kind.
  value get(std::size_t column, value_kind expected, value_kind element = value_kind::null) const;

 protected:
  row() = default;
  explicit row(bool getters_refuse_null) noexcept : getters_refuse_null_(getters_refuse_null) {}
  [[noreturn]] static void throw_negative_for_unsigned(std::int64_t v);
  /// What getters that refuse NULL throw.
  [[noreturn]] static void throw_null();

 private:
  value get_value(std::size_t column, value_kind expected, value_kind element) const;
  bool getters_refuse_null_ = false;
};

/// A row over values held in memory (the memory connector's rows, array elements, tests).
class value_row final : public row {
 public:
  explicit value_row(std::span<const value> cells) noexcept : cells_(cells) {}
  bool is_null(std::size_t c) const override { return cells_[c].is_null(); }
  std::int64_t get_integer(std::size_t c) const override;
  double get_real(std::size_t c) const override { return cells_[c].as_real(); }
  bool get_boolean(std::size_t c) const override;
  std::string_view get_text(std::size_t c) const override;
  std::span<const std::byte> get_blob(std::size_t c) const override { return cells_[c].as_blob(); }
  timestamp get_timestamp(std::size_t c) const override { return cells_[c].as_timestamp(); }
  std::vector<value> get_array(std::size_t c, value_kind) const override {
    return cells_[c].as_array();
  }

 private:
  std::span<const value> cells_;
};

/// A sink that builds one `value` (used to turn a typed property into a filter operand).
class value_builder final : public value_sink {
 public:
  explicit value_builder(bool keep_nan = false) noexcept : keep_nan_(keep_nan) {}
  ~value_builder() override;
  bool keeps_nan() const noexcept override { return keep_nan_; }
  void put_null() override;
  void put_integer(std::int64_t v) override;
  void put_real(double v) override;
  void put_boolean(bool v) override;
  void put_text(std::string_view v) override;
  void put_blob(std::span<const std::byte> v) override;
  void put_timestamp(timestamp v) override;
  void put_json(std::string_view text) override;
  void put_array(std::span<const value> elements, value_kind) override;
  value result;

 private:
  bool keep_nan_;
};

/// Customisation point: map your own type onto a built-in stored type.
///
///     template <> struct relata::value_traits<money> {
///       using stored_type = std::int64_t;
///       static std::int64_t to_stored(const money& m) { return m.cents; }
///       static money from_stored(std::int64_t cents) { return money{cents}; }
///     };
template <class T>
struct value_traits;

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

template <class T>
struct is_time_point : std::false_type {};
template <class D>
struct is_time_point<std::chrono::time_point<std::chrono::system_clock, D>> : std::true_type {};

template <class T>
concept has_value_traits = requires {
  typename value_traits<T>::stored_type;
};

/// Strips std::optional.
template <class T>
struct non_optional {
  using type = T;
};
template <class T>
struct non_optional<std::optional<T>> {
  using type = T;
};
template <class T>
using non_optional_t = typename non_optional<T>::type;

template <class T>
constexpr bool dependent_false = false;

/// The stored kind of a (non-optional) C++ type; `value_kind::null` when unsupported.
template <class T>
constexpr value_kind kind_of() {
  if constexpr (has_value_traits<T>) {
    return kind_of<non_optional_t<typename value_traits<T>::stored_type>>();
  } else if constexpr (std::is_same_v<T, bool>) {
    return value_kind::boolean;
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    return value_kind::integer;
  } else if constexpr (std::is_floating_point_v<T>) {
    return value_kind::real;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return value_kind::text;
  } else if constexpr (std::is_same_v<T, blob>) {
    return value_kind::blob;
  } else if constexpr (is_time_point<T>::value) {
    return value_kind::timestamp;
  } else if constexpr (std::is_same_v<T, json_text>) {
    return value_kind::json;
  } else if constexpr (is_vector<T>::value) {
    using element = typename T::value_type;
    constexpr value_kind e = kind_of<element>();
    if constexpr (e == value_kind::null || e == value_kind::array || e == value_kind::blob ||
                  e == value_kind::json || is_optional<element>::value) {
      return value_kind::null;
    } else {
      return value_kind::array;
    }
  } else {
    return value_kind::null;
  }
}

/// Whether a property of type T may hold NULL: a std::optional, or a type whose value_traits
/// store it as one (an embedded document that may be absent).
template <class T>
constexpr bool is_nullable() {
  if constexpr (is_optional<T>::value) {
    return true;
  } else if constexpr (has_value_traits<T>) {
    return is_optional<typename value_traits<T>::stored_type>::value;
  } else {
    return false;
  }
}

/// Whether relata knows how to store T (optional or not).
template <class T>
constexpr bool is_storable = kind_of<non_optional_t<T>>() != value_kind::null;

/// The element kind of an array type, or null.
template <class T>
constexpr value_kind element_kind_of() {
  using U = non_optional_t<T>;
  if constexpr (kind_of<U>() == value_kind::array && is_vector<U>::value && !has_value_traits<U>) {
    return kind_of<typename U::value_type>();
  } else if constexpr (has_value_traits<U>) {
    return element_kind_of<typename value_traits<U>::stored_type>();
  } else {
    return value_kind::null;
  }
}

/// Thrown by conversions; property readers turn it into `invalid_data` naming the property.
struct conversion_failure {
  std::string what;
};

/// What reading a NULL into a property that is not a std::optional reports.
inline constexpr const char* null_for_required =
    "the database holds NULL but the property is not a std::optional";

template <class T>
void write_value(const T& v, value_sink& out);
template <class T>
void read_value(const row& in, std::size_t column, T& out);

template <class T>
value to_value(const T& v) {
  value_builder builder;
  write_value(v, builder);
  return std::move(builder.result);
}

template <class T>
void write_value(const T& v, value_sink& out) {
  if constexpr (is_optional<T>::value) {
    if (v) {
      write_value(*v, out);
    } else {
      out.put_null();
    }
  } else if constexpr (has_value_traits<T>) {
    write_value(value_traits<T>::to_stored(v), out);
  } else if constexpr (std::is_same_v<T, bool>) {
    out.put_boolean(v);
  } else if constexpr (std::is_enum_v<T>) {
    write_value(static_cast<std::underlying_type_t<T>>(v), out);
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      out.put_unsigned(static_cast<std::uint64_t>(v));
    } else {
      out.put_integer(static_cast<std::int64_t>(v));
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (v != v && !out.keeps_nan())
      throw conversion_failure{"NaN cannot be stored (infinities can)"};
    // SQLite stores -0.0 in a REAL column as 0 and reads back +0.0: databases (the sinks that
    // refuse NaN) get +0.0 on every connector rather than lose the sign on one; JSON keeps it.
    if (v == 0 && !out.keeps_nan()) {
      out.put_real(0.0);
      return;
    }
    out.put_real(static_cast<double>(v));
  } else if constexpr (std::is_same_v<T, std::string>) {
    out.put_text(v);
  } else if constexpr (std::is_same_v<T, blob>) {
    out.put_blob(v);
  } else if constexpr (is_time_point<T>::value) {
    out.put_timestamp(std::chrono::time_point_cast<std::chrono::nanoseconds>(v));
  } else if constexpr (std::is_same_v<T, json_text>) {
    out.put_json(v.text);
  } else if constexpr (is_vector<T>::value) {
    std::vector<value> elements;
    elements.reserve(v.size());
    value_builder element{out.keeps_nan()};
    for (const auto& e : v) {
      write_value(e, element);
      elements.push_back(std::move(element.result));
    }
    out.put_array(elements, kind_of<typename T::value_type>());
  } else {
    static_assert(dependent_false<T>,
                  "relata: this C++ type has no storage mapping; use a supported type or "
                  "specialise relata::value_traits for it");
  }
}

template <class Target, class Source>
Target checked_integer(Source v) {
  if constexpr (std::is_same_v<Target, Source>) {
    return v;
  } else {
    if (!std::in_range<Target>(v)) {
      throw conversion_failure{"the integer " + std::to_string(v) +
                               " is outside the range of the property's C++ type"};
    }
    return static_cast<Target>(v);
  }
}

/// Reads column `column` of `in` into `out`. A NULL is only handled for std::optional; callers
/// check `is_null` for other types first.
template <class T>
void read_value(const row& in, std::size_t column, T& out) {
  if constexpr (is_optional<T>::value) {
    if (in.is_null(column)) {
      out.reset();
    } else {
      read_value(in, column, out.emplace());
    }
  } else if constexpr (has_value_traits<T>) {
    typename value_traits<T>::stored_type stored{};
    read_value(in, column, stored);
    out = value_traits<T>::from_stored(std::move(stored));
  } else if constexpr (std::is_same_v<T, bool>) {
    out = in.get_boolean(column);
  } else if constexpr (std::is_enum_v<T>) {
    out = static_cast<T>(checked_integer<std::underlying_type_t<T>>(in.get_integer(column)));
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      out = checked_integer<T>(in.get_unsigned(column));
    } else {
      out = checked_integer<T>(in.get_integer(column));
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    out = static_cast<T>(in.get_real(column));
  } else if constexpr (std::is_same_v<T, std::string>) {
    out = in.get_text(column);
  } else if constexpr (std::is_same_v<T, blob>) {
    const auto bytes = in.get_blob(column);
    out.assign(bytes.begin(), bytes.end());
  } else if constexpr (is_time_point<T>::value) {
    out = std::chrono::time_point_cast<typename T::duration>(in.get_timestamp(column));
  } else if constexpr (std::is_same_v<T, json_text>) {
    out.text = in.get_text(column);
  } else if constexpr (is_vector<T>::value) {
    using element = typename T::value_type;
    const auto values = in.get_array(column, kind_of<element>());
    value_row cells{values};
    out.clear();
    out.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i].is_null()) throw conversion_failure{"an array element is null"};
      element e{};  // not out.emplace_back(): std::vector<bool> has no element references
      read_value(cells, i, e);
      out.push_back(std::move(e));
    }
  } else {
    static_assert(dependent_false<T>,
                  "relata: this C++ type has no storage mapping; use a supported type or "
                  "specialise relata::value_traits for it");
  }
}

/// Converts a value into T (cold paths).
template <class T>
T from_value(const value& v) {
  T out{};
  if constexpr (!is_optional<T>::value) {
    if (v.is_null()) throw conversion_failure{"the value is null"};
  }
  value_row cells{std::span<const value>(&v, 1)};
  read_value(cells, 0, out);
  return out;
}

inline std::uint64_t hash_combine(std::uint64_t seed, std::uint64_t h) noexcept {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace detail

// --- engine ----------------------------------------------------------------------------------
#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE value::value() noexcept = default;
RELATA_ENGINE_INLINE value::value(std::nullptr_t) noexcept {}
RELATA_ENGINE_INLINE value::value(integer_tag, std::int64_t number) noexcept : data_(number) {}
RELATA_ENGINE_INLINE value::value(double number) noexcept : data_(number) {}
RELATA_ENGINE_INLINE value::value(bool flag) noexcept : data_(flag) {}
RELATA_ENGINE_INLINE value::value(std::string text) noexcept : data_(std::move(text)) {}
RELATA_ENGINE_INLINE value::value(std::string_view text) : data_(std::string(text)) {}
RELATA_ENGINE_INLINE value::value(const char* text) : data_(std::string(text)) {}
RELATA_ENGINE_INLINE value::value(blob bytes) noexcept : data_(std::move(bytes)) {}
RELATA_ENGINE_INLINE value::value(timestamp time) noexcept : data_(time) {}
RELATA_ENGINE_INLINE value::value(json_text document) noexcept : data_(std::move(document)) {}
RELATA_ENGINE_INLINE value::value(array_type elements) noexcept : data_(std::move(elements)) {}
RELATA_ENGINE_INLINE value::value(const value& other) = default;
RELATA_ENGINE_INLINE value::value(value&& other) noexcept = default;
RELATA_ENGINE_INLINE value& value::operator=(const value& other) = default;
RELATA_ENGINE_INLINE value& value::operator=(value&& other) noexcept = default;
RELATA_ENGINE_INLINE value::~value() = default;

RELATA_ENGINE_INLINE bool operator==(const value& a, const value& b) { return a.data_ == b.data_; }

template <class T>
const T& value::get(value_kind wanted) const {
  if (auto* p = std::get_if<T>(&data_)) return *p;
  throw invalid_data("expected a value of kind " + std::string(relata::to_string(wanted)) +
                     ", got " + std::string(relata::to_string(kind())) + " " + to_string());
}

RELATA_ENGINE_INLINE std::int64_t value::as_integer() const {
  return get<std::int64_t>(value_kind::integer);
}
RELATA_ENGINE_INLINE bool value::as_boolean() const { return get<bool>(value_kind::boolean); }
RELATA_ENGINE_INLINE const std::string& value::as_text() const {
  return get<std::string>(value_kind::text);
}
RELATA_ENGINE_INLINE const blob& value::as_blob() const { return get<blob>(value_kind::blob); }
RELATA_ENGINE_INLINE timestamp value::as_timestamp() const {
  return get<timestamp>(value_kind::timestamp);
}
RELATA_ENGINE_INLINE const json_text& value::as_json() const {
  return get<json_text>(value_kind::json);
}
RELATA_ENGINE_INLINE const value::array_type& value::as_array() const {
  return get<array_type>(value_kind::array);
}
RELATA_ENGINE_INLINE double value::as_real() const {
  if (auto* i = std::get_if<std::int64_t>(&data_)) return static_cast<double>(*i);
  return get<double>(value_kind::real);
}

RELATA_ENGINE_INLINE std::string value::to_string() const {
  switch (kind()) {
    case value_kind::null:
      return "null";
    case value_kind::integer:
      return std::to_string(std::get<std::int64_t>(data_));
    case value_kind::real: {
      std::string s = std::to_string(std::get<double>(data_));
      return s;
    }
    case value_kind::boolean:
      return std::get<bool>(data_) ? "true" : "false";
    case value_kind::text:
      return '"' + std::get<std::string>(data_) + '"';
    case value_kind::blob:
      return "<" + std::to_string(std::get<blob>(data_).size()) + " bytes>";
    case value_kind::timestamp:
      return detail::format_timestamp(std::get<timestamp>(data_), true);
    case value_kind::json:
      return std::get<json_text>(data_).text;
    case value_kind::array: {
      std::string s = "[";
      for (const auto& e : std::get<array_type>(data_)) {
        if (s.size() > 1) s += ',';
        s += e.to_string();
      }
      return s + "]";
    }
  }
  return "?";
}

RELATA_ENGINE_INLINE std::partial_ordering compare(const value& a, const value& b) {
  const auto ka = a.kind(), kb = b.kind();
  if (ka == value_kind::null || kb == value_kind::null) return std::partial_ordering::unordered;
  const bool numeric_a = ka == value_kind::integer || ka == value_kind::real;
  const bool numeric_b = kb == value_kind::integer || kb == value_kind::real;
  if (numeric_a && numeric_b) {
    if (ka == value_kind::integer && kb == value_kind::integer) {
      return a.as_integer() <=> b.as_integer();
    }
    return a.as_real() <=> b.as_real();
  }
  if (ka != kb) return std::partial_ordering::unordered;
  switch (ka) {
    case value_kind::boolean:
      return a.as_boolean() <=> b.as_boolean();
    case value_kind::text:
      return a.as_text().compare(b.as_text()) <=> 0;
    case value_kind::json:
      return a.as_json().text.compare(b.as_json().text) <=> 0;
    case value_kind::timestamp:
      return a.as_timestamp() <=> b.as_timestamp();
    case value_kind::blob: {
      const auto& x = a.as_blob();
      const auto& y = b.as_blob();
      const auto n = std::min(x.size(), y.size());
      const int c = n == 0 ? 0 : std::memcmp(x.data(), y.data(), n);
      if (c != 0) return c <=> 0;
      return x.size() <=> y.size();
    }
    case value_kind::array:
      return a == b ? std::partial_ordering::equivalent : std::partial_ordering::unordered;
    default:
      return std::partial_ordering::unordered;
  }
}

RELATA_ENGINE_INLINE void value_sink::throw_unsigned_out_of_range(std::uint64_t v) {
  throw detail::conversion_failure{"the value " + std::to_string(v) +
                                   " does not fit the 64-bit signed integer the database stores"};
}

RELATA_ENGINE_INLINE void row::throw_null() {
  throw detail::conversion_failure{detail::null_for_required};
}

RELATA_ENGINE_INLINE void row::throw_negative_for_unsigned(std::int64_t v) {
  throw detail::conversion_failure{"the integer " + std::to_string(v) +
                                   " is outside the range of the property's C++ type"};
}

RELATA_ENGINE_INLINE void value_sink::put(const value& v) {
  switch (v.kind()) {
    case value_kind::null:
      put_null();
      return;
    case value_kind::integer:
      put_integer(v.as_integer());
      return;
    case value_kind::real:
      put_real(v.as_real());
      return;
    case value_kind::boolean:
      put_boolean(v.as_boolean());
      return;
    case value_kind::text:
      put_text(v.as_text());
      return;
    case value_kind::blob:
      put_blob(v.as_blob());
      return;
    case value_kind::timestamp:
      put_timestamp(v.as_timestamp());
      return;
    case value_kind::json:
      put_json(v.as_json().text);
      return;
    case value_kind::array: {
      const auto& elements = v.as_array();
      put_array(elements, elements.empty() ? value_kind::null : elements.front().kind());
      return;
    }
  }
}

RELATA_ENGINE_INLINE value row::get(std::size_t column,
                                    value_kind expected,
                                    value_kind element) const {
  try {
    return get_value(column, expected, element);
  } catch (const detail::conversion_failure& failure) {
    throw invalid_data("column " + std::to_string(column) + ": " + failure.what);
  }
}

RELATA_ENGINE_INLINE value row::get_value(std::size_t column,
                                          value_kind expected,
                                          value_kind element) const {
  if (is_null(column)) return value{};
  switch (expected) {
    case value_kind::null:
      return value{};
    case value_kind::integer:
      return value{get_integer(column)};
    case value_kind::real:
      return value{get_real(column)};
    case value_kind::boolean:
      return value{get_boolean(column)};
    case value_kind::text:
      return value{std::string(get_text(column))};
    case value_kind::blob: {
      const auto b = get_blob(column);
      return value{blob(b.begin(), b.end())};
    }
    case value_kind::timestamp:
      return value{get_timestamp(column)};
    case value_kind::json:
      return value{json_text{std::string(get_text(column))}};
    case value_kind::array:
      return value{get_array(column, element)};
  }
  return value{};
}

RELATA_ENGINE_INLINE std::int64_t value_row::get_integer(std::size_t c) const {
  const value& v = cells_[c];
  if (v.kind() == value_kind::boolean) return v.as_boolean() ? 1 : 0;
  return v.as_integer();
}

RELATA_ENGINE_INLINE bool value_row::get_boolean(std::size_t c) const {
  const value& v = cells_[c];
  if (v.kind() == value_kind::integer) return v.as_integer() != 0;
  return v.as_boolean();
}

RELATA_ENGINE_INLINE std::string_view value_row::get_text(std::size_t c) const {
  const value& v = cells_[c];
  if (v.kind() == value_kind::json) return v.as_json().text;
  return v.as_text();
}

// Out of line so that the vtables of the sink and row interfaces, and value_builder's whole
// implementation, are compiled once with the engine.
RELATA_ENGINE_INLINE value_sink::~value_sink() = default;
RELATA_ENGINE_INLINE row::~row() = default;

RELATA_ENGINE_INLINE value_builder::~value_builder() = default;
RELATA_ENGINE_INLINE void value_builder::put_null() { result = value{}; }
RELATA_ENGINE_INLINE void value_builder::put_integer(std::int64_t v) { result = value{v}; }
RELATA_ENGINE_INLINE void value_builder::put_real(double v) { result = value{v}; }
RELATA_ENGINE_INLINE void value_builder::put_boolean(bool v) { result = value{v}; }
RELATA_ENGINE_INLINE void value_builder::put_text(std::string_view v) {
  result = value{std::string(v)};
}
RELATA_ENGINE_INLINE void value_builder::put_blob(std::span<const std::byte> v) {
  result = value{blob(v.begin(), v.end())};
}
RELATA_ENGINE_INLINE void value_builder::put_timestamp(timestamp v) { result = value{v}; }
RELATA_ENGINE_INLINE void value_builder::put_json(std::string_view text) {
  result = value{json_text{std::string(text)}};
}
RELATA_ENGINE_INLINE void value_builder::put_array(std::span<const value> elements, value_kind) {
  result = value{value::array_type(elements.begin(), elements.end())};
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata

template <>
struct std::hash<relata::value> {
  std::size_t operator()(const relata::value& v) const noexcept {
    using relata::value_kind;
    std::uint64_t h = static_cast<std::uint64_t>(v.kind());
    switch (v.kind()) {
      case value_kind::null:
        break;
      case value_kind::integer:
        h = relata::detail::hash_combine(h, std::hash<std::int64_t>{}(v.as_integer()));
        break;
      case value_kind::real:
        h = relata::detail::hash_combine(h, std::hash<double>{}(v.as_real()));
        break;
      case value_kind::boolean:
        h = relata::detail::hash_combine(h, v.as_boolean() ? 1 : 2);
        break;
      case value_kind::text:
        h = relata::detail::hash_combine(h, std::hash<std::string>{}(v.as_text()));
        break;
      case value_kind::blob: {
        const auto& b = v.as_blob();
        h = relata::detail::hash_combine(h,
                                         std::hash<std::string_view>{}(std::string_view(
                                             reinterpret_cast<const char*>(b.data()), b.size())));
        break;
      }
      case value_kind::timestamp:
        h = relata::detail::hash_combine(
            h, std::hash<std::int64_t>{}(v.as_timestamp().time_since_epoch().count()));
        break;
      case value_kind::json:
        h = relata::detail::hash_combine(h, std::hash<std::string>{}(v.as_json().text));
        break;
      case value_kind::array:
        for (const auto& e : v.as_array()) h = relata::detail::hash_combine(h, (*this)(e));
        break;
    }
    return static_cast<std::size_t>(h);
  }
};
