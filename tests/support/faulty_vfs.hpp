// A SQLite VFS that wraps the default one and fails chosen writes, syncs and truncates, as a
// failing disk would: the I/O faults of tests/fault and of the SQLite transaction tests.
//
//     relata::sqlite::datasource db{relata_test::faulty_vfs::uri(path)};
//     relata_test::faulty_vfs::arm(3, relata_test::faulty_vfs::fault::io_error);
//     ...                                  // the third write, sync or truncate fails
//     relata_test::faulty_vfs::disarm();
//
// One process-wide switch, meant for one thread.
#pragma once

#include <cstddef>
#include <string>

namespace relata_test::faulty_vfs {

/// How the chosen call fails.
enum class fault {
  io_error,      ///< that call fails with SQLITE_IOERR_WRITE, _FSYNC or _TRUNCATE; later ones work
  disk_full,     ///< that call fails with SQLITE_FULL; later ones work
  from_then_on,  ///< that call and every later one fail with SQLITE_IOERR_WRITE, _FSYNC, ...
};

/// A "file:" URI that opens `path` through this VFS (registered on first use, not as default).
std::string uri(const std::string& path);

/// Starts counting writes, syncs and truncates from zero; the `n`th (1-based) fails as `how`.
void arm(std::size_t n, fault how);
/// Starts counting from zero, failing nothing.
void count_only();
/// Fails nothing from now on.
void disarm();
/// Writes, syncs and truncates since arm() or count_only().
std::size_t calls();
/// Whether a call failed since arm().
bool fired();

}  // namespace relata_test::faulty_vfs
