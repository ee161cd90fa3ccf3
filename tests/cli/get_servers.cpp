#include "cli/get_servers.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cctype>

#include "support/deadline.hpp"
#include "support/pki.hpp"
#include "support/tcp.hpp"

namespace edgefetch::cli_test {
namespace {

constexpr auto kBudget = std::chrono::seconds(10);

std::string read_request(int fd, support::Deadline deadline) {
  std::string received;
  std::array<std::uint8_t, 4096> buffer{};
  std::size_t head_end = std::string::npos;
  std::size_t total = std::string::npos;
  while (total == std::string::npos || received.size() < total) {
    auto n = support::recv_some(fd, buffer, deadline);
    if (!n || *n == 0) break;
    received.append(reinterpret_cast<const char*>(buffer.data()), *n);  // NOLINT: bytes as chars
    if (head_end == std::string::npos) {
      head_end = received.find("\r\n\r\n");
      if (head_end == std::string::npos) continue;
      std::string head = received.substr(0, head_end);
      for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto at = head.find("\r\ncontent-length:");
      total = head_end + 4 + (at == std::string::npos ? 0 : std::stoul(head.substr(at + 17)));
    }
  }
  return received;
}

}  // namespace

bool read_request_head(int fd, int stop_fd) {
  std::string head;
  std::array<std::uint8_t, 1024> buffer{};
  const auto deadline = support::Deadline::after(kBudget);
  while (head.find("\r\n\r\n") == std::string::npos) {
    const auto n = support::recv_some(fd, buffer, deadline, stop_fd);
    if (!n || *n == 0) return false;
    head.append(reinterpret_cast<const char*>(buffer.data()), *n);  // NOLINT: bytes as chars
  }
  return true;
}

void wait_for_close(int fd, int stop_fd) {
  const auto deadline = support::Deadline::after(std::chrono::seconds(20));
  std::array<std::uint8_t, 1024> sink{};
  while (!deadline.expired()) {
    std::array<pollfd, 2> fds = {pollfd{fd, POLLIN, 0}, pollfd{stop_fd, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), deadline.poll_timeout_ms()) <= 0 || (fds[1].revents & POLLIN) != 0) {
      return;
    }
    auto n = support::recv_some(fd, sink, support::Deadline::after(std::chrono::milliseconds(10)));
    if (!n || *n == 0) return;
  }
}

void ReceivedRequests::add(std::string request) {
  const std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
}

std::vector<std::string> ReceivedRequests::all() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

support::ConnectionHandler answer(std::string response, std::shared_ptr<ReceivedRequests> received) {
  return [response = std::move(response), received](support::UniqueFd connection, int stop_fd) {
    const auto deadline = support::Deadline::after(kBudget);
    auto request = read_request(connection.get(), deadline);
    if (received) received->add(std::move(request));
    (void)support::send_all(connection.get(), response, deadline);
    ::shutdown(connection.get(), SHUT_WR);
    wait_for_close(connection.get(), stop_fd);
  };
}

support::ConnectionHandler stay_silent() {
  return [](support::UniqueFd connection, int stop_fd) {
    (void)read_request(connection.get(), support::Deadline::after(kBudget));
    wait_for_close(connection.get(), stop_fd);
  };
}

std::shared_ptr<SSL_CTX> tls_server_context(int min_version, int max_version) {
  std::shared_ptr<SSL_CTX> context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  const auto files = support::TestPki::get().leaf(support::Leaf::rsa2048);
  const bool ready = context && SSL_CTX_set_min_proto_version(context.get(), min_version) == 1 &&
                     SSL_CTX_set_max_proto_version(context.get(), max_version) == 1 &&
                     SSL_CTX_use_certificate_chain_file(context.get(), files.chain.c_str()) == 1 &&
                     SSL_CTX_use_PrivateKey_file(context.get(), files.key.c_str(), SSL_FILETYPE_PEM) == 1;
  EXPECT_TRUE(ready) << "the test's TLS server context could not be set up";
  return ready ? context : nullptr;
}

support::ConnectionHandler tls_connection(std::shared_ptr<SSL_CTX> context,
                                          std::function<void(SSL*, int fd, int stop_fd)> serve) {
  return [context = std::move(context), serve = std::move(serve)](support::UniqueFd connection, int stop_fd) {
    const int flags = ::fcntl(connection.get(), F_GETFL);
    if (flags < 0 || ::fcntl(connection.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) return;
    const timeval limit{10, 0};
    ::setsockopt(connection.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    const std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), &SSL_free);
    if (!ssl || SSL_set_fd(ssl.get(), connection.get()) != 1 || SSL_accept(ssl.get()) != 1) return;
    serve(ssl.get(), connection.get(), stop_fd);
  };
}

std::unique_ptr<support::LoopbackServer> start_server(support::ConnectionHandler handler) {
  auto server = support::LoopbackServer::start(std::move(handler));
  EXPECT_TRUE(server) << (server ? "" : server.error());
  return server ? std::move(*server) : nullptr;
}

}  // namespace edgefetch::cli_test
