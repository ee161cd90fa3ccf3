#include "cli/get_servers.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cctype>

#include "support/deadline.hpp"
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

// Waits until the client closes (or the server stops, or 20 s pass).
void wait_for_close(int fd, int stop_fd) {
  const auto deadline = support::Deadline::after(std::chrono::seconds(20));
  std::array<std::uint8_t, 1024> sink{};
  while (!deadline.expired()) {
    std::array<pollfd, 2> fds = {pollfd{fd, POLLIN, 0}, pollfd{stop_fd, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), deadline.poll_timeout_ms()) <= 0 || (fds[1].revents & POLLIN) != 0)
      return;
    auto n = support::recv_some(fd, sink, support::Deadline::after(std::chrono::milliseconds(10)));
    if (!n || *n == 0) return;
  }
}

}  // namespace

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

std::unique_ptr<support::LoopbackServer> start_server(support::ConnectionHandler handler) {
  auto server = support::LoopbackServer::start(std::move(handler));
  EXPECT_TRUE(server) << (server ? "" : server.error());
  return server ? std::move(*server) : nullptr;
}

}  // namespace edgefetch::cli_test
