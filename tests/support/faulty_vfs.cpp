#include "support/faulty_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

namespace relata_test::faulty_vfs {

namespace {

constexpr const char* vfs_name = "relata_faulty";

std::atomic<std::size_t> counted{0};
std::atomic<std::size_t> fail_at{0};  // 0: nothing fails
std::atomic<fault> failure{fault::io_error};
std::atomic<bool> injected{false};

sqlite3_vfs* real = nullptr;

/// Our file: the methods below, then the default VFS's file in the same allocation.
struct file {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* inner(sqlite3_file* f) { return reinterpret_cast<file*>(f)->real; }

/// Counts one write, sync or truncate; the error it must fail with, or SQLITE_OK.
int next_call(int io_error) {
  const std::size_t n = ++counted;
  const std::size_t at = fail_at.load();
  if (at == 0 || n < at || (n > at && failure.load() != fault::from_then_on)) return SQLITE_OK;
  injected = true;
  return failure.load() == fault::disk_full ? SQLITE_FULL : io_error;
}

const sqlite3_io_methods methods = {
    3,
    [](sqlite3_file* f) { return inner(f)->pMethods->xClose(inner(f)); },
    [](sqlite3_file* f, void* data, int size, sqlite3_int64 offset) {
      return inner(f)->pMethods->xRead(inner(f), data, size, offset);
    },
    [](sqlite3_file* f, const void* data, int size, sqlite3_int64 offset) {
      if (const int rc = next_call(SQLITE_IOERR_WRITE)) return rc;
      return inner(f)->pMethods->xWrite(inner(f), data, size, offset);
    },
    [](sqlite3_file* f, sqlite3_int64 size) {
      if (const int rc = next_call(SQLITE_IOERR_TRUNCATE)) return rc;
      return inner(f)->pMethods->xTruncate(inner(f), size);
    },
    [](sqlite3_file* f, int flags) {
      if (const int rc = next_call(SQLITE_IOERR_FSYNC)) return rc;
      return inner(f)->pMethods->xSync(inner(f), flags);
    },
    [](sqlite3_file* f, sqlite3_int64* size) {
      return inner(f)->pMethods->xFileSize(inner(f), size);
    },
    [](sqlite3_file* f, int lock) { return inner(f)->pMethods->xLock(inner(f), lock); },
    [](sqlite3_file* f, int lock) { return inner(f)->pMethods->xUnlock(inner(f), lock); },
    [](sqlite3_file* f, int* out) { return inner(f)->pMethods->xCheckReservedLock(inner(f), out); },
    [](sqlite3_file* f, int op, void* arg) {
      return inner(f)->pMethods->xFileControl(inner(f), op, arg);
    },
    [](sqlite3_file* f) { return inner(f)->pMethods->xSectorSize(inner(f)); },
    [](sqlite3_file* f) { return inner(f)->pMethods->xDeviceCharacteristics(inner(f)); },
    [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
      return inner(f)->pMethods->xShmMap(inner(f), page, size, extend, out);
    },
    [](sqlite3_file* f, int offset, int n, int flags) {
      return inner(f)->pMethods->xShmLock(inner(f), offset, n, flags);
    },
    [](sqlite3_file* f) { inner(f)->pMethods->xShmBarrier(inner(f)); },
    [](sqlite3_file* f, int remove) { return inner(f)->pMethods->xShmUnmap(inner(f), remove); },
    [](sqlite3_file* f, sqlite3_int64 offset, int size, void** out) {
      return inner(f)->pMethods->xFetch(inner(f), offset, size, out);
    },
    [](sqlite3_file* f, sqlite3_int64 offset, void* p) {
      return inner(f)->pMethods->xUnfetch(inner(f), offset, p);
    },
};

sqlite3_vfs vfs{};

void register_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    real = sqlite3_vfs_find(nullptr);
    if (!real || real->iVersion < 3) throw std::runtime_error("faulty_vfs: no default VFS");
    vfs.iVersion = 3;
    vfs.szOsFile = static_cast<int>(sizeof(file)) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = vfs_name;
    vfs.xOpen = [](sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
      auto* mine = reinterpret_cast<file*>(f);
      mine->real = reinterpret_cast<sqlite3_file*>(mine + 1);
      const int rc = real->xOpen(real, name, mine->real, flags, out);
      mine->base.pMethods = mine->real->pMethods ? &methods : nullptr;
      return rc;
    };
    vfs.xDelete = [](sqlite3_vfs*, const char* name, int sync) {
      return real->xDelete(real, name, sync);
    };
    vfs.xAccess = [](sqlite3_vfs*, const char* name, int flags, int* out) {
      return real->xAccess(real, name, flags, out);
    };
    vfs.xFullPathname = [](sqlite3_vfs*, const char* name, int size, char* out) {
      return real->xFullPathname(real, name, size, out);
    };
    vfs.xDlOpen = [](sqlite3_vfs*, const char* name) { return real->xDlOpen(real, name); };
    vfs.xDlError = [](sqlite3_vfs*, int size, char* out) { real->xDlError(real, size, out); };
    vfs.xDlSym = [](sqlite3_vfs*, void* lib, const char* symbol) {
      return real->xDlSym(real, lib, symbol);
    };
    vfs.xDlClose = [](sqlite3_vfs*, void* lib) { real->xDlClose(real, lib); };
    vfs.xRandomness = [](sqlite3_vfs*, int size, char* out) {
      return real->xRandomness(real, size, out);
    };
    vfs.xSleep = [](sqlite3_vfs*, int us) { return real->xSleep(real, us); };
    vfs.xCurrentTime = [](sqlite3_vfs*, double* out) { return real->xCurrentTime(real, out); };
    vfs.xGetLastError = [](sqlite3_vfs*, int size, char* out) {
      return real->xGetLastError(real, size, out);
    };
    vfs.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) {
      return real->xCurrentTimeInt64(real, out);
    };
    vfs.xSetSystemCall = [](sqlite3_vfs*, const char* name, sqlite3_syscall_ptr call) {
      return real->xSetSystemCall(real, name, call);
    };
    vfs.xGetSystemCall = [](sqlite3_vfs*, const char* name) {
      return real->xGetSystemCall(real, name);
    };
    vfs.xNextSystemCall = [](sqlite3_vfs*, const char* name) {
      return real->xNextSystemCall(real, name);
    };
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) {
      throw std::runtime_error("faulty_vfs: sqlite3_vfs_register failed");
    }
  });
}

}  // namespace

std::string uri(const std::string& path) {
  register_once();
  return "file:" + path + "?vfs=" + vfs_name;
}

void arm(std::size_t n, fault how) {
  failure = how;
  injected = false;
  counted = 0;
  fail_at = n;
}

void count_only() { arm(0, fault::io_error); }

void disarm() { fail_at = 0; }

std::size_t calls() { return counted; }

bool fired() { return injected; }

}  // namespace relata_test::faulty_vfs
