// A TCP proxy on 127.0.0.1 that holds back every byte for a fixed time in each direction: a
// stand-in for a network between the client and PostgreSQL, where `tc netem` cannot be used
// (it needs the sch_netem kernel module, which containers often lack).
//
// Each direction of a connection has a reader, which stamps each chunk it receives with the
// time it is due (arrival + delay), and a writer, which sends the chunks when they are due. So
// the delay is added to every round trip without limiting throughput: bytes in flight keep
// flowing, as on a long link, instead of waiting for each other.
#pragma once

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace relata_bench {

class delay_proxy {
 public:
  using clock = std::chrono::steady_clock;

  /// Listens on 127.0.0.1 (a free port) and forwards each connection to the server of the
  /// libpq connection string `server` (a Unix socket directory or a TCP host), holding the
  /// bytes of each direction back for `one_way`.
  delay_proxy(const std::string& server, std::chrono::microseconds one_way)
      : server_(server), delay_(one_way) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // a free port
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error(std::string("delay proxy: cannot listen: ") + std::strerror(errno));
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  delay_proxy(const delay_proxy&) = delete;
  delay_proxy& operator=(const delay_proxy&) = delete;

  ~delay_proxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    ::close(listener_);
    std::lock_guard lock{mutex_};
    for (auto& l : links_) l->close();
    links_.clear();
  }

  /// `server` with its host and port replaced by the proxy's.
  std::string conninfo() const {
    return with_parameters(server_, {{"host", "127.0.0.1"}, {"port", std::to_string(port_)}});
  }

 private:
  /// One direction of a connection: bytes from `from` are sent to `to` when due.
  class pump {
   public:
    pump(int from, int to, std::chrono::microseconds delay) : from_(from), to_(to), delay_(delay) {
      reader_ = std::thread([this] { read_loop(); });
      writer_ = std::thread([this] { write_loop(); });
    }
    pump(const pump&) = delete;
    pump& operator=(const pump&) = delete;
    ~pump() {
      reader_.join();
      writer_.join();
    }

   private:
    struct chunk {
      clock::time_point due;
      std::vector<char> bytes;  // empty: the end of the stream
    };

    void read_loop() {
      std::vector<char> buffer(1 << 16);
      while (true) {
        const auto n = ::recv(from_, buffer.data(), buffer.size(), 0);
        const auto due = clock::now() + delay_;
        std::lock_guard lock{mutex_};
        if (n <= 0) {
          queue_.push_back({due, {}});
          ready_.notify_one();
          return;
        }
        queue_.push_back({due, std::vector<char>(buffer.data(), buffer.data() + n)});
        ready_.notify_one();
      }
    }

    void write_loop() {
      ::prctl(PR_SET_TIMERSLACK, 1000UL);  // wake within 1 us of due, not Linux's default 50 us
      while (true) {
        chunk next;
        {
          std::unique_lock lock{mutex_};
          ready_.wait(lock, [this] { return !queue_.empty(); });
          next = std::move(queue_.front());
          queue_.pop_front();
        }
        std::this_thread::sleep_until(next.due);
        if (next.bytes.empty()) {
          ::shutdown(to_, SHUT_WR);
          return;
        }
        for (std::size_t sent = 0; sent < next.bytes.size();) {
          const auto n =
              ::send(to_, next.bytes.data() + sent, next.bytes.size() - sent, MSG_NOSIGNAL);
          if (n <= 0) {  // the other side is gone: drop the rest, keep draining the queue
            ::shutdown(from_, SHUT_RD);
            break;
          }
          sent += static_cast<std::size_t>(n);
        }
      }
    }

    int from_;
    int to_;
    std::chrono::microseconds delay_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<chunk> queue_;
    std::thread reader_;
    std::thread writer_;
  };

  /// A proxied connection: the client's socket, the server's, and a pump each way.
  class link {
   public:
    link(int client, int server, std::chrono::microseconds delay)
        : client_(client),
          server_(server),
          up_(std::make_unique<pump>(client, server, delay)),
          down_(std::make_unique<pump>(server, client, delay)) {}
    link(const link&) = delete;
    link& operator=(const link&) = delete;
    ~link() { close(); }

    void close() {
      if (client_ < 0) return;
      ::shutdown(client_, SHUT_RDWR);
      ::shutdown(server_, SHUT_RDWR);
      up_.reset();
      down_.reset();
      ::close(client_);
      ::close(server_);
      client_ = server_ = -1;
    }

   private:
    int client_;
    int server_;
    std::unique_ptr<pump> up_;
    std::unique_ptr<pump> down_;
  };

  void accept_loop() {
    while (!stopping_) {
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;  // shut down (stopping_), or a transient error
      const int server = connect_to_server();
      if (server < 0) {
        ::close(client);
        continue;
      }
      const int on = 1;
      ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      std::lock_guard lock{mutex_};
      links_.push_back(std::make_unique<link>(client, server, delay_));
    }
  }

  /// A socket connected to the server of `server_` (Unix socket or TCP), or -1.
  int connect_to_server() const {
    const std::string host = parameter(server_, "host");
    std::string port = parameter(server_, "port");
    if (port.empty()) port = "5432";
    if (host.empty() || host[0] == '/') {
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      const std::string path =
          (host.empty() ? std::string("/var/run/postgresql") : host) + "/.s.PGSQL." + port;
      std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
      const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
      if (::connect(s, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return s;
      ::close(s);
      return -1;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
    int s = -1;
    for (auto* a = found; a && s < 0; a = a->ai_next) {
      s = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
      if (s >= 0 && ::connect(s, a->ai_addr, a->ai_addrlen) != 0) {
        ::close(s);
        s = -1;
      }
    }
    ::freeaddrinfo(found);
    if (s >= 0) {
      const int on = 1;
      ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return s;
  }

  /// A parameter of a libpq connection string ("" when absent).
  static std::string parameter(const std::string& conninfo, const char* keyword) {
    std::string out;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
    for (auto* o = options; o && o->keyword; ++o) {
      if (std::strcmp(o->keyword, keyword) == 0 && o->val) out = o->val;
    }
    PQconninfoFree(options);
    return out;
  }

  /// `conninfo` as key = 'value' pairs, with `replaced` set.
  static std::string with_parameters(
      const std::string& conninfo,
      const std::vector<std::pair<std::string, std::string>>& replaced) {
    std::string out;
    auto add = [&](const std::string& key, const std::string& value) {
      out += key + "='";
      for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      out += "' ";
    };
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
    for (auto* o = options; o && o->keyword; ++o) {
      bool is_replaced = false;
      for (const auto& [key, value] : replaced) is_replaced = is_replaced || key == o->keyword;
      if (o->val && !is_replaced) add(o->keyword, o->val);
    }
    PQconninfoFree(options);
    for (const auto& [key, value] : replaced) add(key, value);
    return out;
  }

  std::string server_;
  std::chrono::microseconds delay_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread acceptor_;
  std::mutex mutex_;
  std::list<std::unique_ptr<link>> links_;
};

}  // namespace relata_bench
