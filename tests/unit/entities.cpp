// relata::entities<M> (what find returns and a to-many relation holds) and the type-erased
// storage under it: element lifetimes, growth, copy, erasure, conversions to and from
// std::vector, and the guarantees when an element's copy throws.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <relata/entities.hpp>
#include <relata/relata.hpp>

namespace {

// Counts live objects, and throws from its copy when asked: the storage must neither leak
// nor destroy twice, and must keep the elements intact when a copy throws.
struct tracked {
  static inline int live = 0;
  static inline int copies_before_throw = -1;  // -1: never throw

  std::string name;

  tracked() { ++live; }
  explicit tracked(std::string n) : name(std::move(n)) { ++live; }
  tracked(const tracked& other) : name(other.name) {
    if (copies_before_throw == 0) throw std::runtime_error("copy failed");
    if (copies_before_throw > 0) --copies_before_throw;
    ++live;
  }
  tracked(tracked&& other) noexcept : name(std::move(other.name)) { ++live; }
  tracked& operator=(const tracked&) = default;
  tracked& operator=(tracked&&) noexcept = default;
  ~tracked() { --live; }
  friend bool operator==(const tracked& a, const tracked& b) { return a.name == b.name; }
};

// A move that may throw (and does, when armed): growth must copy instead, as std::vector does.
struct throwing_move {
  static inline bool armed = false;
  int n = 0;
  throwing_move() = default;
  explicit throwing_move(int v) : n(v) {}
  throwing_move(const throwing_move&) = default;
  throwing_move(throwing_move&& other) : n(other.n) {  // NOLINT(performance-noexcept-move-*)
    if (armed) throw std::runtime_error("move failed");
  }
  throwing_move& operator=(const throwing_move&) = default;
};

// Over-aligned: the storage must honour the element's alignment.
struct alignas(64) wide {
  int n = 0;
};

std::vector<std::string> names(const relata::entities<tracked>& e) {
  std::vector<std::string> out;
  for (const auto& t : e) out.push_back(t.name);
  return out;
}

relata::entities<tracked> abc() {
  relata::entities<tracked> e;
  e.emplace_back("a");
  e.emplace_back("b");
  e.emplace_back("c");
  return e;
}

struct reset_counters {
  reset_counters() {
    tracked::live = 0;
    tracked::copies_before_throw = -1;
  }
  ~reset_counters() { tracked::copies_before_throw = -1; }
};

}  // namespace

TEST_CASE("entities: appending grows the storage and keeps every element") {
  reset_counters guard;
  {
    relata::entities<tracked> e;
    CHECK(e.empty());
    CHECK(e.begin() == e.end());
    for (int i = 0; i < 100; ++i) e.emplace_back(std::to_string(i));
    REQUIRE(e.size() == 100);
    CHECK(e.capacity() >= 100);
    CHECK(tracked::live == 100);
    for (int i = 0; i < 100; ++i) CHECK(e[static_cast<std::size_t>(i)].name == std::to_string(i));
    CHECK(e.front().name == "0");
    CHECK(e.back().name == "99");
    CHECK(e.data() == &e.front());
    CHECK(static_cast<std::size_t>(e.end() - e.begin()) == e.size());
  }
  CHECK(tracked::live == 0);
}

TEST_CASE("entities: push_back of one of its own elements survives the growth") {
  reset_counters guard;
  relata::entities<tracked> e;
  e.emplace_back("first");
  while (e.size() < e.capacity()) e.emplace_back("filler");
  e.push_back(e.front());  // full: the elements move while the argument refers to one
  CHECK(e.back().name == "first");
  e.emplace_back(e[1]);
  CHECK(e.back().name == e[1].name);
}

TEST_CASE("entities: reserve keeps the elements and the capacity") {
  reset_counters guard;
  auto e = abc();
  e.reserve(1000);
  CHECK(e.capacity() >= 1000);
  CHECK(names(e) == std::vector<std::string>{"a", "b", "c"});
  e.reserve(1);  // never shrinks
  CHECK(e.capacity() >= 1000);
}

TEST_CASE("entities: copies are deep, moves steal, and nothing leaks") {
  reset_counters guard;
  {
    auto a = abc();
    relata::entities<tracked> b = a;
    b[0].name = "changed";
    CHECK(a[0].name == "a");
    CHECK(tracked::live == 6);

    relata::entities<tracked> c = std::move(a);
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
    a.emplace_back("again");
    CHECK(names(c) == std::vector<std::string>{"a", "b", "c"});

    c = b;  // copy-assign over existing elements
    CHECK(names(c) == std::vector<std::string>{"changed", "b", "c"});
    c = std::move(a);
    CHECK(names(c) == std::vector<std::string>{"again"});
    auto& self = c;
    c = self;  // self-assignment keeps the elements
    CHECK(names(c) == std::vector<std::string>{"again"});
    relata::entities<tracked> empty;
    c = empty;
    CHECK(c.empty());
  }
  CHECK(tracked::live == 0);
}

TEST_CASE("entities: erase, pop_back and clear destroy exactly the removed elements") {
  reset_counters guard;
  auto e = abc();
  e.emplace_back("d");
  e.emplace_back("e");
  auto next = e.erase(e.begin() + 1);  // b
  CHECK(next->name == "c");
  CHECK(names(e) == std::vector<std::string>{"a", "c", "d", "e"});
  next = e.erase(e.begin() + 1, e.begin() + 3);  // c, d
  CHECK(next->name == "e");
  CHECK(names(e) == std::vector<std::string>{"a", "e"});
  CHECK(tracked::live == 2);
  e.erase(e.end(), e.end());  // an empty range: no change
  CHECK(e.size() == 2);
  e.pop_back();
  CHECK(names(e) == std::vector<std::string>{"a"});
  e.clear();
  CHECK(e.empty());
  CHECK(tracked::live == 0);
}

TEST_CASE("entities: the erase-remove idiom and sorting work through its pointer iterators") {
  reset_counters guard;
  relata::entities<tracked> e;
  for (const char* n : {"d", "a", "c", "b", "a"}) e.emplace_back(n);
  e.erase(std::remove_if(e.begin(), e.end(), [](const tracked& t) { return t.name == "a"; }),
          e.end());
  std::sort(e.begin(), e.end(), [](const tracked& x, const tracked& y) { return x.name < y.name; });
  CHECK(names(e) == std::vector<std::string>{"b", "c", "d"});
  std::vector<std::string> reversed;
  for (auto it = e.rbegin(); it != e.rend(); ++it) reversed.push_back(it->name);
  CHECK(reversed == std::vector<std::string>{"d", "c", "b"});
  CHECK(tracked::live == 3);
}

TEST_CASE("entities: converts to and from std::vector and compares with ==") {
  reset_counters guard;
  auto e = abc();
  std::vector<tracked> copy = e;
  CHECK(copy.size() == 3);
  CHECK(e.size() == 3);
  std::vector<tracked> moved = std::move(e);
  CHECK(moved.size() == 3);
  CHECK(e.empty());  // NOLINT(bugprone-use-after-move): the conversion takes the elements

  relata::entities<tracked> back = std::move(moved);
  CHECK(names(back) == std::vector<std::string>{"a", "b", "c"});
  CHECK(back == abc());
  CHECK(back == copy);  // a std::vector converts for the comparison
  CHECK_FALSE(back == relata::entities<tracked>{tracked("a")});
  relata::entities<tracked> listed{tracked("a"), tracked("b"), tracked("c")};
  CHECK(listed == back);
}

TEST_CASE("entities: at() checks the index") {
  auto e = abc();
  CHECK(e.at(2).name == "c");
  CHECK_THROWS_AS(e.at(3), std::out_of_range);
  const auto& ce = e;
  CHECK_THROWS_AS(ce.at(99), std::out_of_range);
}

TEST_CASE("entities: a copy that throws leaves the source intact and leaks nothing") {
  reset_counters guard;
  {
    auto e = abc();
    tracked::copies_before_throw = 1;  // the second element's copy throws
    CHECK_THROWS_AS(relata::entities<tracked>(e), std::runtime_error);
    tracked::copies_before_throw = -1;
    CHECK(names(e) == std::vector<std::string>{"a", "b", "c"});
    CHECK(tracked::live == 3);

    relata::entities<tracked> target = abc();
    target[0].name = "kept";
    tracked::copies_before_throw = 2;
    CHECK_THROWS_AS(target = e, std::runtime_error);  // strong: target unchanged
    tracked::copies_before_throw = -1;
    CHECK(names(target) == std::vector<std::string>{"kept", "b", "c"});
    CHECK(tracked::live == 6);
  }
  CHECK(tracked::live == 0);
}

TEST_CASE("entities: growth copies elements whose move may throw") {
  relata::entities<throwing_move> e;
  for (int i = 0; i < 20; ++i) e.emplace_back(i);
  throwing_move::armed = true;
  CHECK_NOTHROW(e.reserve(1000));  // relocation copied: no move ran
  CHECK_NOTHROW(e.erase(e.begin()));
  throwing_move::armed = false;
  REQUIRE(e.size() == 19);
  for (int i = 0; i < 19; ++i) CHECK(e[static_cast<std::size_t>(i)].n == i + 1);
}

TEST_CASE("entities: over-aligned elements are aligned") {
  relata::entities<wide> e;
  for (int i = 0; i < 9; ++i) e.emplace_back().n = i;
  for (const auto& w : e) {
    CHECK(reinterpret_cast<std::uintptr_t>(&w) % alignof(wide) == 0);  // NOLINT
  }
  CHECK(e[8].n == 8);
}

TEST_CASE("entities: move-only elements work; only copying needs a copy constructor") {
  relata::entities<std::unique_ptr<int>> e;
  for (int i = 0; i < 10; ++i) e.emplace_back(std::make_unique<int>(i));
  e.erase(e.begin());
  relata::entities<std::unique_ptr<int>> moved = std::move(e);
  REQUIRE(moved.size() == 9);
  CHECK(*moved.front() == 1);
  CHECK(*moved.back() == 9);
}
