#include "http_handlers.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <thread>

#include "support/tcp.hpp"

namespace edgefetch::net::test {
namespace {

constexpr auto kBudget = std::chrono::seconds(10);

std::size_t content_length(std::string_view head) {
  std::string lower(head);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return static_cast<std::size_t>(std::stoul(lower.substr(at + 17)));
}

void close_gracefully(int fd) {
  ::shutdown(fd, SHUT_WR);
  // Let the client read everything before the socket goes (an early close with
  // unread input would send an RST).
  std::array<std::uint8_t, 1024> sink{};
  const auto deadline = support::Deadline::after(std::chrono::seconds(2));
  while (true) {
    auto n = support::recv_some(fd, sink, deadline);
    if (!n || *n == 0) break;
  }
}

}  // namespace

std::string read_request(int fd, support::Deadline deadline) {
  std::string received;
  std::array<std::uint8_t, 4096> buffer{};
  std::size_t head_end = std::string::npos;
  while (head_end == std::string::npos) {
    auto n = support::recv_some(fd, buffer, deadline);
    if (!n || *n == 0) return received;
    received.append(reinterpret_cast<const char*>(buffer.data()), *n);  // NOLINT: bytes as chars
    head_end = received.find("\r\n\r\n");
  }
  const std::size_t total = head_end + 4 + content_length(std::string_view(received).substr(0, head_end));
  while (received.size() < total) {
    auto n = support::recv_some(fd, buffer, deadline);
    if (!n || *n == 0) break;
    received.append(reinterpret_cast<const char*>(buffer.data()), *n);  // NOLINT: bytes as chars
  }
  return received;
}

void wait_for_client_close(int fd, int stop_fd) {
  const auto deadline = support::Deadline::after(std::chrono::seconds(20));
  std::array<std::uint8_t, 1024> sink{};
  while (!deadline.expired()) {
    std::array<pollfd, 2> fds = {pollfd{fd, POLLIN, 0}, pollfd{stop_fd, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), deadline.poll_timeout_ms()) <= 0) return;
    if ((fds[1].revents & POLLIN) != 0) return;
    auto n = support::recv_some(fd, sink, support::Deadline::after(std::chrono::milliseconds(10)));
    if (!n || *n == 0) return;
  }
}

support::ConnectionHandler respond(std::string response, std::shared_ptr<Captured> captured) {
  return [response = std::move(response), captured](support::UniqueFd connection, int /*stop_fd*/) {
    const auto deadline = support::Deadline::after(kBudget);
    auto request = read_request(connection.get(), deadline);
    if (captured) captured->add(std::move(request));
    (void)support::send_all(connection.get(), response, deadline);
    close_gracefully(connection.get());
  };
}

support::ConnectionHandler respond_in_pieces(std::vector<std::string> pieces,
                                             std::chrono::milliseconds pause) {
  return [pieces = std::move(pieces), pause](support::UniqueFd connection, int /*stop_fd*/) {
    const auto deadline = support::Deadline::after(kBudget);
    (void)read_request(connection.get(), deadline);
    for (const auto& piece : pieces) {
      if (!support::send_all(connection.get(), piece, deadline)) return;
      std::this_thread::sleep_for(pause);
    }
    close_gracefully(connection.get());
  };
}

support::ConnectionHandler never_respond(std::shared_ptr<Captured> captured) {
  return [captured](support::UniqueFd connection, int stop_fd) {
    auto request = read_request(connection.get(), support::Deadline::after(kBudget));
    if (captured) captured->add(std::move(request));
    wait_for_client_close(connection.get(), stop_fd);
  };
}

support::ConnectionHandler respond_then_stall(std::string partial) {
  return [partial = std::move(partial)](support::UniqueFd connection, int stop_fd) {
    const auto deadline = support::Deadline::after(kBudget);
    (void)read_request(connection.get(), deadline);
    (void)support::send_all(connection.get(), partial, deadline);
    wait_for_client_close(connection.get(), stop_fd);
  };
}

support::ConnectionHandler close_without_response() {
  return [](support::UniqueFd connection, int /*stop_fd*/) {
    (void)read_request(connection.get(), support::Deadline::after(kBudget));
    close_gracefully(connection.get());
  };
}

}  // namespace edgefetch::net::test
