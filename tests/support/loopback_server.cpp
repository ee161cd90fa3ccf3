#include "support/loopback_server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

constexpr auto kHandlerBudget = std::chrono::seconds(10);

}  // namespace

base::Expected<std::unique_ptr<LoopbackServer>, std::string> LoopbackServer::start(
    ConnectionHandler handler) {
  auto listener = listen_loopback(0);
  if (!listener) return base::unexpected(listener.error());
  UniqueFd stop(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!stop) return base::unexpected("eventfd: " + std::string(std::strerror(errno)));
  // Why not make_unique: the constructor is private.
  std::unique_ptr<LoopbackServer> server(
      new LoopbackServer(std::move(*listener), std::move(stop), std::move(handler)));
  return server;
}

LoopbackServer::LoopbackServer(UniqueFd listener, UniqueFd stop, ConnectionHandler handler)
    : listener_(std::move(listener)), stop_(std::move(stop)), handler_(std::move(handler)) {
  port_ = local_port(listener_.get());
  thread_ = std::thread([this] { run(); });
}

LoopbackServer::~LoopbackServer() {
  const std::uint64_t one = 1;
  (void)!::write(stop_.get(), &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

void LoopbackServer::run() {
  for (;;) {
    std::array<pollfd, 2> fds = {pollfd{listener_.get(), POLLIN, 0}, pollfd{stop_.get(), POLLIN, 0}};
    const int rc = ::poll(fds.data(), fds.size(), -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[1].revents & POLLIN) != 0) return;
    UniqueFd connection(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!connection) continue;
    ++connections_;
    handler_(std::move(connection), stop_.get());
  }
}

ConnectionHandler plain_http_handler() {
  return [](UniqueFd connection, int stop_fd) {
    const Deadline deadline = Deadline::after(kHandlerBudget);
    std::array<std::uint8_t, 4096> buffer{};
    // Whatever the client sent is not HTTP: a real server answers 400 at once.
    if (!recv_some(connection.get(), buffer, deadline, stop_fd)) return;
    (void)send_all(connection.get(),
                   "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 11\r\n"
                   "Connection: close\r\n\r\nBad Request",
                   deadline);
    ::shutdown(connection.get(), SHUT_WR);
    // Let the client read the answer before the socket goes (avoids an RST).
    (void)recv_some(connection.get(), buffer, Deadline::after(std::chrono::seconds(2)), stop_fd);
  };
}

ConnectionHandler close_after_client_hello_handler() {
  return [](UniqueFd connection, int stop_fd) {
    const Deadline deadline = Deadline::after(kHandlerBudget);
    std::vector<std::uint8_t> received;
    std::array<std::uint8_t, 4096> buffer{};
    // One whole record: 5-byte header, then the length it announces.
    while (received.size() < 5 ||
           received.size() < 5 + (static_cast<std::size_t>(received[3]) << 8 | received[4])) {
      auto n = recv_some(connection.get(), buffer, deadline, stop_fd);
      if (!n || *n == 0) break;
      received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
    }
    ::shutdown(connection.get(), SHUT_WR);
    (void)recv_some(connection.get(), buffer, Deadline::after(std::chrono::seconds(2)), stop_fd);
  };
}

namespace {

// Relays one proxied connection, corrupting the chosen server record.
class Relay {
 public:
  Relay(int client, int upstream, int stop_fd, const TamperRule& rule, std::atomic<bool>& tampered)
      : client_(client), upstream_(upstream), stop_fd_(stop_fd), rule_(rule), tampered_(tampered) {}

  void run() {
    const Deadline deadline = Deadline::after(kHandlerBudget);
    std::array<std::uint8_t, 16384> buffer{};
    bool client_open = true;
    bool upstream_open = true;
    while ((client_open || upstream_open) && !deadline.expired()) {
      std::array<pollfd, 3> fds = {pollfd{client_, static_cast<short>(client_open ? POLLIN : 0), 0},
                                   pollfd{upstream_, static_cast<short>(upstream_open ? POLLIN : 0), 0},
                                   pollfd{stop_fd_, POLLIN, 0}};
      const int rc = ::poll(fds.data(), fds.size(), deadline.poll_timeout_ms());
      if (rc < 0 && errno == EINTR) continue;
      if (rc <= 0 || (fds[2].revents & POLLIN) != 0) return;
      if (client_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        auto n = recv_some(client_, buffer, deadline);
        if (!n || *n == 0) {
          client_open = false;
          ::shutdown(upstream_, SHUT_WR);
        } else if (!send_all(upstream_, std::span<const std::uint8_t>(buffer.data(), *n), deadline)) {
          return;
        }
      }
      if (upstream_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        auto n = recv_some(upstream_, buffer, deadline);
        if (!n || *n == 0) {
          upstream_open = false;
          // Pass on what is left (an incomplete record stays incomplete), then the FIN.
          if (!pending_.empty()) (void)send_all(client_, pending_, deadline);
          pending_.clear();
          ::shutdown(client_, SHUT_WR);
        } else {
          pending_.insert(pending_.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
          if (!forward_complete_records(deadline)) return;
        }
      }
    }
  }

 private:
  bool forward_complete_records(Deadline deadline) {
    std::size_t offset = 0;
    while (pending_.size() - offset >= 5) {
      const std::size_t length = static_cast<std::size_t>(pending_[offset + 3]) << 8 | pending_[offset + 4];
      if (pending_.size() - offset < 5 + length) break;
      const std::uint8_t type = pending_[offset];
      const bool counted = !rule_.after_change_cipher_spec || change_cipher_spec_seen_;
      if (type == 20) change_cipher_spec_seen_ = true;
      if (counted && type == rule_.content_type && length > rule_.flip_offset_from_end &&
          length > rule_.truncate_by && ++seen_ == rule_.occurrence) {
        tampered_.store(true);
        if (rule_.truncate_by > 0) {
          const std::size_t shorter = length - rule_.truncate_by;
          const auto end = pending_.begin() + static_cast<std::ptrdiff_t>(offset + 5 + length);
          pending_.erase(end - static_cast<std::ptrdiff_t>(rule_.truncate_by), end);
          pending_[offset + 3] = static_cast<std::uint8_t>(shorter >> 8);
          pending_[offset + 4] = static_cast<std::uint8_t>(shorter & 0xFF);
          offset += 5 + shorter;
          continue;
        }
        const std::size_t at =
            offset + 5 + (rule_.flip_last_byte ? length - 1 - rule_.flip_offset_from_end : 0);
        pending_[at] ^= 0x01;
      }
      offset += 5 + length;
    }
    if (offset == 0) return true;
    const bool sent =
        send_all(client_, std::span<const std::uint8_t>(pending_.data(), offset), deadline).has_value();
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(offset));
    return sent;
  }

  int client_;
  int upstream_;
  int stop_fd_;
  const TamperRule& rule_;
  std::atomic<bool>& tampered_;
  std::vector<std::uint8_t> pending_;
  int seen_ = 0;
  bool change_cipher_spec_seen_ = false;
};

}  // namespace

base::Expected<std::unique_ptr<TamperingProxy>, std::string> TamperingProxy::start(
    std::uint16_t upstream_port, TamperRule rule) {
  std::unique_ptr<TamperingProxy> proxy(new TamperingProxy());
  proxy->state_ = std::make_shared<State>();
  proxy->state_->upstream_port = upstream_port;
  proxy->state_->rule = rule;
  auto server = LoopbackServer::start([state = proxy->state_](UniqueFd client, int stop_fd) {
    auto upstream = connect_loopback(state->upstream_port, Deadline::after(std::chrono::seconds(5)));
    if (!upstream) return;
    Relay(client.get(), upstream->get(), stop_fd, state->rule, state->tampered).run();
  });
  if (!server) return base::unexpected(server.error());
  proxy->server_ = std::move(*server);
  return proxy;
}

}  // namespace edgefetch::support
