// The global operator new/delete of every benchmark program, replaced to count live heap bytes
// while a measurement window is open (see bench.hpp, peak_meter). Outside a window they cost
// one test of a global flag on top of malloc/free, the same for relata and raw code.
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "support/bench.hpp"

namespace relata_bench::heap {
bool tracking = false;
std::int64_t live = 0;
std::int64_t peak = 0;
}  // namespace relata_bench::heap

namespace {

void* allocate(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  if (relata_bench::heap::tracking) {
    // usable size, not n: what new adds, delete (sized or not) subtracts exactly
    relata_bench::heap::live += static_cast<std::int64_t>(malloc_usable_size(p));
    if (relata_bench::heap::live > relata_bench::heap::peak) {
      relata_bench::heap::peak = relata_bench::heap::live;
    }
  }
  return p;
}

void release(void* p) noexcept {
  if (!p) return;
  if (relata_bench::heap::tracking) {
    relata_bench::heap::live -= static_cast<std::int64_t>(malloc_usable_size(p));
  }
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
