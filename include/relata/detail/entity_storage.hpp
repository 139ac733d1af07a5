// Type-erased storage of entities: entity_buffer, a growable array of one model's entities
// (behind relata::entities<M>, what find returns and a to-many relation holds, and the
// engine's scratch rows), owned_entity, at most one entity (a to-one relation's target), and
// mixed_entities, entities of several models in one order (a polymorphic to-many relation's).
//
// std::vector<M> or std::unique_ptr<M> would compile their growth, copy and destruction code
// once per model, each inlining the model's destructor, and its targets' destructors along
// the foreign-key graph; this storage is compiled once and reaches a model's own code through
// entity_ops, three function pointers per model.
#pragma once

#include <cstddef>
#include <new>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include <relata/detail/config.hpp>

namespace relata {

/// How to construct, move and destroy the entities of one model: the only code of a model that
/// relata's containers need. One per model (`detail::entity_ops_of<M>::value`). Copies are made by
/// the typed code that asks for one (copy_entity<M>), so a model's copy constructor is only
/// compiled where entities are copied.
struct entity_ops {
  std::size_t size;
  std::size_t align;
  /// Default-constructs an entity at `at`.
  void (*construct)(void* at);
  /// Move-constructs at `to` from `from` (copies when the move may throw and a copy exists).
  void (*relocate)(void* to, void* from);
  void (*destroy)(void* at) noexcept;
};

namespace detail {

/// Copy-constructs an entity of a model (whose entity_ops the caller knows).
using copy_function = void (*)(void* to, const void* from);
template <class M>
void copy_entity(void* to, const void* from) {
  ::new (to) M(*static_cast<const M*>(from));
}

// Plain function templates rather than lambdas: a captureless lambda converted to a function
// pointer compiles as two functions (its call operator and the static invoker).
template <class M>
void construct_entity(void* at) {
  ::new (at) M();
}
template <class M>
void relocate_entity(void* to, void* from) {
  ::new (to) M(std::move_if_noexcept(*static_cast<M*>(from)));
}
template <class M>
void destroy_entity(void* at) noexcept {
  static_cast<M*>(at)->~M();
}

/// Model M's entity_ops, in `value`. A class template with a static member (not a variable
/// template): RELATA_EXTERN_MODEL(M) can then declare it compiled in another translation unit,
/// with the model's constructor, move and destructor code behind it.
template <class M>
struct entity_ops_of {
  static const entity_ops value;
};
template <class M>
constinit const entity_ops entity_ops_of<M>::value{
    sizeof(M),
    alignof(M),
    &construct_entity<M>,
    &relocate_entity<M>,
    &destroy_entity<M>,
};

/// Raw room for `count` entities of the model of `ops` (aligned for it), and its release.
char* allocate_entities(const entity_ops& ops, std::size_t count);
void deallocate_entities(const entity_ops& ops, void* memory) noexcept;

/// The entities of one model, contiguous, owned; the element type is known only through its
/// entity_ops. Copy, growth and erasure give std::vector's guarantees (strong for growth and
/// copy; erase keeps the elements before the erased range when a relocation throws).
class entity_buffer {
 public:
  explicit entity_buffer(const entity_ops& ops) noexcept : ops_(&ops) {}
  /// A copy of `other`'s entities, each made by `copy`.
  entity_buffer(const entity_buffer& other, copy_function copy);
  entity_buffer(const entity_buffer&) = delete;
  entity_buffer(entity_buffer&& other) noexcept
      : ops_(other.ops_),
        data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  entity_buffer& operator=(const entity_buffer&) = delete;
  entity_buffer& operator=(entity_buffer&& other) noexcept {
    if (this != &other) entity_buffer(std::move(other)).swap(*this);
    return *this;
  }
  ~entity_buffer() {
    if (data_) release();
  }

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  bool empty() const noexcept { return size_ == 0; }
  void* data() const noexcept { return data_; }
  /// Entity `index` (unchecked).
  void* at(std::size_t index) const noexcept { return data_ + index * ops_->size; }

  /// Room for `count` entities without moving them again.
  void reserve(std::size_t count);
  /// Appends a default-constructed entity and returns it.
  void* emplace_back();
  /// Room for one more entity, returned; the caller constructs it there, then calls
  /// `added_back()` (what typed code does to construct from its own arguments).
  void* slot_back();
  void added_back() noexcept { ++size_; }
  /// Destroys entities [first, last) and closes the gap.
  void erase(std::size_t first, std::size_t last);
  /// Destroys every entity (the capacity stays).
  void clear() noexcept;
  void swap(entity_buffer& other) noexcept {
    std::swap(ops_, other.ops_);
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

 private:
  void release() noexcept;

  const entity_ops* ops_;
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// At most one entity of one model, owned (the entity_ops say which model).
class owned_entity {
 public:
  explicit owned_entity(const entity_ops& ops) noexcept : ops_(&ops) {}
  /// A copy of `other`'s entity, if any, made by `copy`.
  owned_entity(const owned_entity& other, copy_function copy);
  owned_entity(const owned_entity&) = delete;
  owned_entity(owned_entity&& other) noexcept
      : ops_(other.ops_), entity_(std::exchange(other.entity_, nullptr)) {}
  owned_entity& operator=(const owned_entity&) = delete;
  owned_entity& operator=(owned_entity&& other) noexcept {
    if (this != &other) owned_entity(std::move(other)).swap(*this);
    return *this;
  }
  ~owned_entity() {
    if (entity_) reset();
  }

  /// The entity, or nullptr.
  void* get() const noexcept { return entity_; }
  /// Replaces the entity with a default-constructed one, returned.
  void* emplace();
  /// Replaces the entity with a default-constructed one of the model of `ops`, returned (a
  /// polymorphic relation's target may be of any of several models).
  void* emplace(const entity_ops& ops);
  /// Destroys the entity, if any.
  void reset() noexcept;
  void swap(owned_entity& other) noexcept {
    std::swap(ops_, other.ops_);
    std::swap(entity_, other.entity_);
  }

 private:
  /// A new entity: a copy of `from` made by `copy`, or a default one when `copy` is null.
  void* make(copy_function copy, const void* from) const;

  const entity_ops* ops_;
  void* entity_ = nullptr;
};

/// Entities of several models, in one order, each with its model's position in a list the
/// owner keeps (a polymorphic relation's targets).
class mixed_entities {
 public:
  mixed_entities() = default;
  /// A copy of `other`, each entity copied by `copies[its model]`.
  mixed_entities(const mixed_entities& other, std::span<const copy_function> copies);
  mixed_entities(const mixed_entities&) = delete;
  mixed_entities(mixed_entities&&) noexcept = default;
  mixed_entities& operator=(const mixed_entities&) = delete;
  mixed_entities& operator=(mixed_entities&&) noexcept = default;
  ~mixed_entities() = default;

  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  void* at(std::size_t i) const noexcept { return items_[i].get(); }
  /// The position of entity i's model.
  std::size_t model(std::size_t i) const noexcept { return models_[i]; }

  void reserve(std::size_t count);
  /// Appends a default-constructed entity of the model of `ops` (at position `model`).
  void* emplace_back(const entity_ops& ops, std::size_t model);
  void clear() noexcept;

 private:
  std::vector<owned_entity> items_;
  std::vector<std::size_t> models_;
};

#if RELATA_DEFINE_ENGINE
RELATA_ENGINE_INLINE char* allocate_entities(const entity_ops& ops, std::size_t count) {
  const std::size_t bytes = count * ops.size;
  return static_cast<char*>(::operator new(bytes, std::align_val_t(ops.align)));
}

RELATA_ENGINE_INLINE void deallocate_entities(const entity_ops& ops, void* memory) noexcept {
  ::operator delete(memory, std::align_val_t(ops.align));
}

RELATA_ENGINE_INLINE void entity_buffer::release() noexcept {
  clear();
  deallocate_entities(*ops_, data_);
  data_ = nullptr;
  capacity_ = 0;
}

RELATA_ENGINE_INLINE entity_buffer::entity_buffer(const entity_buffer& other, copy_function copy)
    : ops_(other.ops_) {
  if (other.size_ == 0) return;
  data_ = allocate_entities(*ops_, other.size_);
  capacity_ = other.size_;
  try {
    for (; size_ < other.size_; ++size_) copy(at(size_), other.at(size_));
  } catch (...) {
    release();
    throw;
  }
}

RELATA_ENGINE_INLINE void entity_buffer::reserve(std::size_t count) {
  if (count <= capacity_) return;
  char* const fresh = allocate_entities(*ops_, count);
  std::size_t moved = 0;
  try {
    for (; moved < size_; ++moved) ops_->relocate(fresh + moved * ops_->size, at(moved));
  } catch (...) {
    // The old entities are intact (a relocation that may throw copies); drop the new ones.
    for (std::size_t i = 0; i < moved; ++i) ops_->destroy(fresh + i * ops_->size);
    deallocate_entities(*ops_, fresh);
    throw;
  }
  for (std::size_t i = 0; i < size_; ++i) ops_->destroy(at(i));
  if (data_) deallocate_entities(*ops_, data_);
  data_ = fresh;
  capacity_ = count;
}

RELATA_ENGINE_INLINE void* entity_buffer::slot_back() {
  if (size_ == capacity_) reserve(capacity_ == 0 ? 4 : capacity_ * 2);
  return at(size_);
}

RELATA_ENGINE_INLINE void* entity_buffer::emplace_back() {
  void* const slot = slot_back();
  ops_->construct(slot);
  added_back();
  return slot;
}

RELATA_ENGINE_INLINE void entity_buffer::erase(std::size_t first, std::size_t last) {
  if (first >= last) return;
  for (std::size_t i = first; i < last; ++i) ops_->destroy(at(i));
  std::size_t to = first;
  std::size_t from = last;
  try {
    for (; from < size_; ++from, ++to) {
      ops_->relocate(at(to), at(from));
      ops_->destroy(at(from));
    }
  } catch (...) {
    // Keep what precedes the gap; the entities not yet moved are lost, not leaked.
    for (std::size_t i = from; i < size_; ++i) ops_->destroy(at(i));
    size_ = to;
    throw;
  }
  size_ = to;
}

RELATA_ENGINE_INLINE void entity_buffer::clear() noexcept {
  for (std::size_t i = 0; i < size_; ++i) ops_->destroy(at(i));
  size_ = 0;
}

RELATA_ENGINE_INLINE void* owned_entity::make(copy_function copy, const void* from) const {
  void* const memory = allocate_entities(*ops_, 1);
  try {
    if (copy) {
      copy(memory, from);
    } else {
      ops_->construct(memory);
    }
  } catch (...) {
    deallocate_entities(*ops_, memory);
    throw;
  }
  return memory;
}

RELATA_ENGINE_INLINE owned_entity::owned_entity(const owned_entity& other, copy_function copy)
    : ops_(other.ops_) {
  if (other.entity_) entity_ = make(copy, other.entity_);
}

RELATA_ENGINE_INLINE void* owned_entity::emplace() {
  void* const entity = make(nullptr, nullptr);
  reset();
  entity_ = entity;
  return entity;
}

RELATA_ENGINE_INLINE void* owned_entity::emplace(const entity_ops& ops) {
  reset();
  ops_ = &ops;
  entity_ = make(nullptr, nullptr);
  return entity_;
}

RELATA_ENGINE_INLINE void owned_entity::reset() noexcept {
  if (!entity_) return;
  ops_->destroy(entity_);
  deallocate_entities(*ops_, entity_);
  entity_ = nullptr;
}

RELATA_ENGINE_INLINE mixed_entities::mixed_entities(const mixed_entities& other,
                                                    std::span<const copy_function> copies)
    : models_(other.models_) {
  items_.reserve(other.items_.size());
  for (std::size_t i = 0; i < other.items_.size(); ++i) {
    items_.emplace_back(other.items_[i], copies[other.models_[i]]);
  }
}

RELATA_ENGINE_INLINE void mixed_entities::reserve(std::size_t count) {
  items_.reserve(count);
  models_.reserve(count);
}

RELATA_ENGINE_INLINE void* mixed_entities::emplace_back(const entity_ops& ops, std::size_t model) {
  models_.reserve(models_.size() + 1);  // so that the push_back below cannot throw
  owned_entity item(ops);
  void* entity = item.emplace();
  items_.push_back(std::move(item));
  models_.push_back(model);
  return entity;
}

RELATA_ENGINE_INLINE void mixed_entities::clear() noexcept {
  items_.clear();
  models_.clear();
}
#endif

}  // namespace detail
}  // namespace relata
