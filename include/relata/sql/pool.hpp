// relata/sql/pool.hpp: the connections of a database server, pooled. Calls take a free
// connection (opening one while fewer than the pool's size are open, else waiting up to the
// acquire timeout) and give it back; a transaction pins one to the thread that began it until it
// ends. A connection that is no longer usable is dropped when given back, and replaced by the
// next call that needs one. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <relata/detail/config.hpp>
#include <relata/errors.hpp>
#include <relata/sql/connection.hpp>

namespace relata::sql {

class connection_pool {
 public:
  /// Opens a new connection (throws the connector's error when it cannot).
  using opener = std::function<std::unique_ptr<connection>()>;

  connection_pool(std::size_t size, std::chrono::milliseconds acquire_timeout, opener open);

  /// A free connection, opened when fewer than the size are open; waits for one to be given
  /// back otherwise, up to the acquire timeout (then CONNECTOR_ERROR, SQLSTATE 08004).
  connection& take();
  /// Gives back a connection that take() handed out.
  void give_back(connection& c);

  /// The connection pinned to the calling thread, or null.
  connection* pinned() const;
  /// Pins a free connection to the calling thread (for a transaction).
  connection& pin();
  /// Gives back the calling thread's pinned connection.
  void unpin();

  /// Connections open: idle, in use, or pinned.
  std::size_t open_connections() const;

 private:
  std::size_t size_;
  std::chrono::milliseconds acquire_timeout_;
  opener open_connection_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<connection>> idle_;
  std::vector<std::unique_ptr<connection>> in_use_;
  std::unordered_map<std::thread::id, connection*> pinned_;
  std::size_t open_ = 0;
};

#if RELATA_DEFINE_ENGINE

RELATA_ENGINE_INLINE connection_pool::connection_pool(std::size_t size,
                                                      std::chrono::milliseconds acquire_timeout,
                                                      opener open)
    : size_(size == 0 ? 1 : size),
      acquire_timeout_(acquire_timeout),
      open_connection_(std::move(open)) {
  // The first connection is opened now, so that a wrong address fails at once.
  idle_.push_back(open_connection_());
  open_ = 1;
}

RELATA_ENGINE_INLINE connection& connection_pool::take() {
  std::unique_lock lock{mutex_};
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (!c->usable()) {  // dropped while idle: replace it
        --open_;
        continue;
      }
      in_use_.push_back(std::move(c));
      return *in_use_.back();
    }
    if (open_ < size_) {
      ++open_;
      lock.unlock();
      std::unique_ptr<connection> c;
      try {
        c = open_connection_();
      } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
      }
      lock.lock();
      in_use_.push_back(std::move(c));
      return *in_use_.back();
    }
    if (!available_.wait_for(
            lock, acquire_timeout_, [&] { return !idle_.empty() || open_ < size_; })) {
      throw connector_error("no connection became free within the acquire timeout", "08004");
    }
  }
}

RELATA_ENGINE_INLINE void connection_pool::give_back(connection& c) {
  std::lock_guard lock{mutex_};
  for (auto it = in_use_.begin(); it != in_use_.end(); ++it) {
    if (it->get() != &c) continue;
    auto owned = std::move(*it);
    in_use_.erase(it);
    if (owned->usable()) {
      owned->depth = 0;
      idle_.push_back(std::move(owned));
    } else {
      --open_;  // the next call opens a fresh one
    }
    break;
  }
  available_.notify_one();
}

RELATA_ENGINE_INLINE connection* connection_pool::pinned() const {
  std::lock_guard lock{mutex_};
  auto it = pinned_.find(std::this_thread::get_id());
  return it == pinned_.end() ? nullptr : it->second;
}

RELATA_ENGINE_INLINE connection& connection_pool::pin() {
  connection& c = take();
  std::lock_guard lock{mutex_};
  pinned_[std::this_thread::get_id()] = &c;
  return c;
}

RELATA_ENGINE_INLINE void connection_pool::unpin() {
  connection* c = nullptr;
  {
    std::lock_guard lock{mutex_};
    auto it = pinned_.find(std::this_thread::get_id());
    if (it == pinned_.end()) return;
    c = it->second;
    pinned_.erase(it);
  }
  give_back(*c);
}

RELATA_ENGINE_INLINE std::size_t connection_pool::open_connections() const {
  std::lock_guard lock{mutex_};
  return open_;
}

#endif  // RELATA_DEFINE_ENGINE

}  // namespace relata::sql
