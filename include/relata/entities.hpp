// relata/entities.hpp: relata::entities<M>, the sequence of entities that find returns and a
// to-many relation holds.
//
//     relata::entities<Customer> all = customers.find();
//     for (const Customer& c : all) ...
//     std::vector<Customer> copy = all;   // converts, when a std::vector is wanted
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

#include <relata/detail/entity_storage.hpp>

namespace relata {

template <class M>
class entities;

namespace detail {
template <class M>
entity_buffer& buffer_of(entities<M>& e) noexcept;
template <class M>
const entity_buffer& buffer_of(const entities<M>& e) noexcept;
}  // namespace detail

/// A contiguous sequence of entities of model M, with std::vector's interface for reading,
/// appending and erasing (iterators are pointers). It converts to and from std::vector<M>.
///
/// Why not std::vector<M>: its code is compiled for every model in every translation unit
/// that uses one, inlining the model's destructor and its relations' targets' destructors;
/// entities<M> shares one compiled implementation between all models (see the README's
/// "Performance and compile time").
template <class M>
class entities {
 public:
  using value_type = M;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = M&;
  using const_reference = const M&;
  using pointer = M*;
  using const_pointer = const M*;
  using iterator = M*;
  using const_iterator = const M*;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  entities() noexcept : buffer_(detail::entity_ops_of<M>::value) {}
  entities(std::initializer_list<M> values) : entities() {
    reserve(values.size());
    for (const M& v : values) push_back(v);
  }
  /// Takes the elements of a std::vector. (This constructor and the conversions below are
  /// templates so that overload resolution between entities, on every return of results, does
  /// not instantiate std::vector<M> for every model.)
  template <std::same_as<std::vector<M>> Vector>
  entities(Vector values) : entities() {  // NOLINT(google-explicit-constructor)
    reserve(values.size());
    for (M& v : values) push_back(std::move(v));
  }
  entities(const entities& other) : buffer_(other.buffer_, &detail::copy_entity<M>) {}
  entities(entities&&) noexcept = default;
  entities& operator=(const entities& other) {
    if (this != &other) entities(other).swap(*this);
    return *this;
  }
  entities& operator=(entities&&) noexcept = default;
  ~entities() = default;

  /// A std::vector with copies of the elements.
  template <std::same_as<std::vector<M>> Vector>
  operator Vector() const& {  // NOLINT(google-explicit-constructor)
    return Vector(begin(), end());
  }
  /// A std::vector with the elements moved out (this is left empty).
  template <std::same_as<std::vector<M>> Vector>
  operator Vector() && {  // NOLINT(google-explicit-constructor)
    Vector out;
    out.reserve(size());
    for (M& v : *this) out.push_back(std::move(v));
    clear();
    return out;
  }

  // --- access ---

  M* data() noexcept { return static_cast<M*>(buffer_.data()); }
  const M* data() const noexcept { return static_cast<const M*>(buffer_.data()); }
  M& operator[](std::size_t i) noexcept { return data()[i]; }
  const M& operator[](std::size_t i) const noexcept { return data()[i]; }
  /// Element `i`; throws std::out_of_range past the end.
  M& at(std::size_t i) {
    check(i);
    return data()[i];
  }
  const M& at(std::size_t i) const {
    check(i);
    return data()[i];
  }
  M& front() noexcept { return data()[0]; }
  const M& front() const noexcept { return data()[0]; }
  M& back() noexcept { return data()[size() - 1]; }
  const M& back() const noexcept { return data()[size() - 1]; }

  iterator begin() noexcept { return data(); }
  iterator end() noexcept { return data() + size(); }
  const_iterator begin() const noexcept { return data(); }
  const_iterator end() const noexcept { return data() + size(); }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }

  // --- size ---

  std::size_t size() const noexcept { return buffer_.size(); }
  bool empty() const noexcept { return buffer_.empty(); }
  std::size_t capacity() const noexcept { return buffer_.capacity(); }
  void reserve(std::size_t count) { buffer_.reserve(count); }

  // --- changes ---

  void push_back(const M& value) { emplace_back(value); }
  void push_back(M&& value) { emplace_back(std::move(value)); }
  /// Appends an M built from `args`; returns it.
  template <class... Args>
  M& emplace_back(Args&&... args) {
    if (buffer_.size() == buffer_.capacity()) {
      // `args` may refer to an element: build the value before the elements move.
      M value(std::forward<Args>(args)...);
      return append(std::move(value));
    }
    return append(std::forward<Args>(args)...);
  }
  void pop_back() noexcept { buffer_.erase(size() - 1, size()); }
  /// Removes the element at `position`; returns the position after it.
  iterator erase(const_iterator position) { return erase(position, position + 1); }
  /// Removes [first, last); returns the position after them.
  iterator erase(const_iterator first, const_iterator last) {
    const auto from = static_cast<std::size_t>(first - begin());
    buffer_.erase(from, static_cast<std::size_t>(last - begin()));
    return begin() + from;
  }
  void clear() noexcept { buffer_.clear(); }
  void swap(entities& other) noexcept { buffer_.swap(other.buffer_); }

  friend bool operator==(const entities& a, const entities& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  friend detail::entity_buffer& detail::buffer_of<M>(entities<M>&) noexcept;
  friend const detail::entity_buffer& detail::buffer_of<M>(const entities<M>&) noexcept;

  template <class... Args>
  M& append(Args&&... args) {
    M* const at = ::new (buffer_.slot_back()) M(std::forward<Args>(args)...);
    buffer_.added_back();
    return *at;
  }
  void check(std::size_t i) const {
    if (i >= size()) throw std::out_of_range("relata::entities::at: index past the end");
  }

  detail::entity_buffer buffer_;
};

namespace detail {
/// The type-erased storage of `e`, for the engine to fill.
template <class M>
entity_buffer& buffer_of(entities<M>& e) noexcept {
  return e.buffer_;
}
template <class M>
const entity_buffer& buffer_of(const entities<M>& e) noexcept {
  return e.buffer_;
}
}  // namespace detail

}  // namespace relata
