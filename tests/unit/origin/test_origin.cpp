#include "test_origin.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace edgefetch::origin::test {
namespace {

using support::Deadline;
using support::UniqueFd;
using namespace std::chrono_literals;

constexpr auto kIoBudget = 30s;  // no single step of a test origin waits longer
constexpr std::size_t kMaxHead = 64 * 1024;

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Blocking-style I/O over a non-blocking socket (plain or TLS), every wait
// bounded by a deadline and by the origin's stop eventfd.
class Io {
 public:
  Io(int fd, SSL* ssl, int stop_fd) : fd_(fd), ssl_(ssl), stop_fd_(stop_fd) {}

  // false: stopping or the deadline passed.
  bool wait(short events, Deadline deadline) const {
    std::array<pollfd, 2> fds = {pollfd{fd_, events, 0}, pollfd{stop_fd_, POLLIN, 0}};
    for (;;) {
      const int rc = ::poll(fds.data(), fds.size(), deadline.poll_timeout_ms());
      if (rc < 0 && errno == EINTR) continue;
      if (rc <= 0 || (fds[1].revents & POLLIN) != 0) return false;
      return true;
    }
  }

  bool handshake(Deadline deadline) {
    for (;;) {
      const int rc = SSL_accept(ssl_);
      if (rc == 1) return true;
      if (!wait_for_ssl(rc, deadline)) return false;
    }
  }

  // > 0 bytes, 0 end of stream, < 0 failure/stop/timeout.
  long read_some(char* out, std::size_t size, Deadline deadline) {
    for (;;) {
      if (ssl_) {
        const int n = SSL_read(ssl_, out, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
        if (n > 0) return n;
        const int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_ZERO_RETURN) return 0;
        if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_SSL) {
          ERR_clear_error();
          return n == 0 ? 0 : -1;
        }
        if (!wait_for_ssl(n, deadline)) return -1;
        continue;
      }
      const auto n = ::recv(fd_, out, size, 0);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait(POLLIN, deadline)) return -1;
    }
  }

  bool write_all(const char* data, std::size_t size, Deadline deadline) {
    while (size > 0) {
      if (ssl_) {
        const int n = SSL_write(ssl_, data, static_cast<int>(std::min<std::size_t>(size, 1 << 20)));
        if (n > 0) {
          data += n;
          size -= static_cast<std::size_t>(n);
          continue;
        }
        if (!wait_for_ssl(n, deadline)) return false;
        continue;
      }
      const auto n = ::send(fd_, data, size, MSG_NOSIGNAL);
      if (n > 0) {
        data += n;
        size -= static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
      if (!wait(POLLOUT, deadline)) return false;
    }
    return true;
  }

  void close_notify() {
    if (ssl_) {
      (void)SSL_shutdown(ssl_);
      ERR_clear_error();
    }
  }

 private:
  bool wait_for_ssl(int rc, Deadline deadline) {
    const int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ) return wait(POLLIN, deadline);
    if (error == SSL_ERROR_WANT_WRITE) return wait(POLLOUT, deadline);
    ERR_clear_error();
    return false;
  }

  int fd_;
  SSL* ssl_;
  int stop_fd_;
};

// The bytes of one connection not yet consumed, with reads on demand.
class Reader {
 public:
  explicit Reader(Io& io) : io_(io) {}

  // Reads more into the buffer; false at end of stream or failure.
  bool fill(Deadline deadline) {
    std::array<char, 64 * 1024> chunk{};
    const long n = io_.read_some(chunk.data(), chunk.size(), deadline);
    if (n <= 0) return false;
    pending_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
  }

  // The head up to and including the blank line; nullopt at a clean end or failure.
  std::optional<std::string> head(Deadline deadline) {
    for (;;) {
      if (const auto end = pending_.find("\r\n\r\n"); end != std::string::npos) {
        std::string out = pending_.substr(0, end + 4);
        pending_.erase(0, end + 4);
        return out;
      }
      if (pending_.size() > kMaxHead || !fill(deadline)) return std::nullopt;
    }
  }

  std::optional<std::string> line(Deadline deadline) {
    for (;;) {
      if (const auto end = pending_.find("\r\n"); end != std::string::npos) {
        std::string out = pending_.substr(0, end);
        pending_.erase(0, end + 2);
        return out;
      }
      if (pending_.size() > kMaxHead || !fill(deadline)) return std::nullopt;
    }
  }

  // Consumes exactly n bytes, handing them to `take`.
  // Every read has its own deadline: a large body may take long in all, but
  // no single read may stall.
  template <class Take>
  bool consume(std::uint64_t n, Take&& take) {
    while (n > 0) {
      if (pending_.empty() && !fill(Deadline::after(kIoBudget))) return false;
      const auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(n, pending_.size()));
      take(pending_.data(), piece);
      pending_.erase(0, piece);
      n -= piece;
    }
    return true;
  }

  // True when the peer closed (EOF) within the deadline, before sending more.
  bool wait_for_close(Deadline deadline) {
    while (fill(deadline)) {
    }
    return true;
  }

 private:
  Io& io_;
  std::string pending_;
};

bool parse_head(const std::string& head, ReceivedRequest& request, std::optional<std::uint64_t>& length) {
  const auto line_end = head.find("\r\n");
  const std::string line = head.substr(0, line_end);
  const auto first = line.find(' ');
  const auto second = line.find(' ', first + 1);
  if (first == std::string::npos || second == std::string::npos) return false;
  request.method = line.substr(0, first);
  request.target = line.substr(first + 1, second - first - 1);
  std::size_t at = line_end + 2;
  while (at < head.size()) {
    const auto end = head.find("\r\n", at);
    if (end == std::string::npos || end == at) break;
    const std::string field = head.substr(at, end - at);
    at = end + 2;
    const auto colon = field.find(':');
    if (colon == std::string::npos) return false;
    const std::string name = field.substr(0, colon);
    std::string value = field.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (iequals(name, "Content-Length")) length = std::stoull(value);
    if (iequals(name, "Transfer-Encoding") && iequals(value, "chunked")) request.chunked = true;
  }
  return true;
}

void note_body(ReceivedRequest& request, const char* data, std::size_t size) {
  request.body_checksum = body_checksum(request.body_checksum, data, size);
  request.body_bytes += size;
  if (request.body_prefix.size() < 1024) {
    request.body_prefix.append(data, std::min(size, 1024 - request.body_prefix.size()));
  }
}

bool read_body(Reader& reader, ReceivedRequest& request, std::optional<std::uint64_t> length) {
  request.body_checksum = kChecksumSeed;
  const auto take = [&request](const char* data, std::size_t size) { note_body(request, data, size); };
  if (!request.chunked) return reader.consume(length.value_or(0), take);
  for (;;) {
    const auto size_line = reader.line(Deadline::after(kIoBudget));
    if (!size_line) return false;
    const std::uint64_t size = std::stoull(*size_line, nullptr, 16);
    if (size == 0) {
      for (;;) {  // trailers up to the blank line
        const auto trailer = reader.line(Deadline::after(kIoBudget));
        if (!trailer) return false;
        if (trailer->empty()) return true;
      }
    }
    if (!reader.consume(size, take)) return false;
    const auto crlf = reader.line(Deadline::after(kIoBudget));
    if (!crlf || !crlf->empty()) return false;
  }
}

// Each block has its own deadline: a large body may take longer than one
// budget in a sanitizer build, but no single block may stall.
// false: the origin is stopping.
bool sleep_unless_stopped(int stop_fd, std::chrono::milliseconds pause) {
  pollfd fd{stop_fd, POLLIN, 0};
  const Deadline deadline = Deadline::after(pause);
  for (;;) {
    const int rc = ::poll(&fd, 1, deadline.poll_timeout_ms());
    if (rc < 0 && errno == EINTR) continue;
    return rc == 0;
  }
}

// One write, or writes of `piece` bytes (over TLS each becomes a record, so a
// head arrives split across records).
bool write_in_pieces(Io& io, const std::string& bytes, std::size_t piece, Deadline deadline) {
  if (piece == 0) return io.write_all(bytes.data(), bytes.size(), deadline);
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    if (!io.write_all(bytes.data() + at, std::min(piece, bytes.size() - at), deadline)) return false;
  }
  return true;
}

// Paced: 1 KiB at a time with `pace` between pieces (a slow origin).
bool send_generated(Io& io, std::uint64_t total, bool chunked, std::chrono::milliseconds pace, int stop_fd) {
  std::string block;
  std::uint64_t sent = 0;
  const std::uint64_t piece = pace.count() > 0 ? 1024 : 64 * 1024;
  while (sent < total) {
    if (sent > 0 && pace.count() > 0 && !sleep_unless_stopped(stop_fd, pace)) return false;
    const Deadline deadline = Deadline::after(kIoBudget);
    const auto size = static_cast<std::size_t>(std::min<std::uint64_t>(piece, total - sent));
    block.resize(size);
    for (std::size_t i = 0; i < size; ++i) block[i] = pattern_byte(sent + i);
    if (chunked) {
      std::array<char, 32> line{};
      const int n = std::snprintf(line.data(), line.size(), "%zx\r\n", size);
      if (!io.write_all(line.data(), static_cast<std::size_t>(n), deadline)) return false;
    }
    if (!io.write_all(block.data(), block.size(), deadline)) return false;
    if (chunked && !io.write_all("\r\n", 2, deadline)) return false;
    sent += size;
  }
  return !chunked || io.write_all("0\r\n\r\n", 5, Deadline::after(kIoBudget));
}

}  // namespace

std::uint64_t body_checksum(std::uint64_t state, const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    state ^= static_cast<unsigned char>(data[i]);
    state *= 1099511628211ULL;
  }
  return state;
}

struct TestOrigin::Tls {
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx;
};

std::unique_ptr<TestOrigin> TestOrigin::start(Script script, TestOriginOptions options) {
  UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!listener) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  const int one = 1;
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options.port);
  if (::inet_pton(AF_INET, options.address.c_str(), &address.sin_addr) != 1) {
    throw std::runtime_error("bad address " + options.address);
  }
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||  // NOLINT
      ::listen(listener.get(), 64) != 0) {
    throw std::runtime_error("bind/listen " + options.address + ": " + std::strerror(errno));
  }
  UniqueFd stop(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!stop) throw std::runtime_error("eventfd failed");

  std::unique_ptr<Tls> tls;
  if (options.tls) {
    tls = std::make_unique<Tls>();
    tls->ctx.reset(SSL_CTX_new(TLS_server_method()));
    const auto files = support::TestPki::get().leaf(options.leaf);
    SSL_CTX* ctx = tls->ctx.get();
    // TLS 1.2 unless asked: there sessions resume by id or ticket.
    SSL_CTX_set_max_proto_version(ctx, options.tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    static constexpr unsigned char kContext[] = "edgefetch-test-origin";
    SSL_CTX_set_session_id_context(ctx, kContext, sizeof kContext - 1);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    if (SSL_CTX_use_certificate_chain_file(ctx, files.chain.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw std::runtime_error("loading the test origin's certificate failed");
    }
  }
  // Why not make_unique: the constructor is private.
  return std::unique_ptr<TestOrigin>(
      new TestOrigin(std::move(listener), std::move(stop), std::move(script), std::move(tls)));
}

TestOrigin::TestOrigin(UniqueFd listener, UniqueFd stop, Script script, std::unique_ptr<Tls> tls)
    : listener_(std::move(listener)),
      stop_(std::move(stop)),
      script_(std::move(script)),
      tls_(std::move(tls)) {
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &length);  // NOLINT
  port_ = ntohs(bound.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestOrigin::~TestOrigin() {
  const std::uint64_t one = 1;
  (void)!::write(stop_.get(), &one, sizeof one);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    const std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& worker : workers) worker.join();
}

std::vector<ReceivedRequest> TestOrigin::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

bool TestOrigin::wait_closed(int count, Deadline deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline.remaining(), [&] { return closed_.load() >= count; });
}

void TestOrigin::record(ReceivedRequest request) {
  const std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
  changed_.notify_all();
}

void TestOrigin::accept_loop() {
  for (;;) {
    std::array<pollfd, 2> fds = {pollfd{listener_.get(), POLLIN, 0}, pollfd{stop_.get(), POLLIN, 0}};
    const int rc = ::poll(fds.data(), fds.size(), -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[1].revents & POLLIN) != 0) return;
    UniqueFd connection(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!connection) continue;
    const int number = ++connections_;
    const std::lock_guard lock(mutex_);
    workers_.emplace_back(
        [this, fd = connection.release(), number]() mutable { serve(UniqueFd(fd), number); });
  }
}

void TestOrigin::serve(UniqueFd fd, int number) {
  std::unique_ptr<SSL, SslDeleter> ssl;
  if (tls_) {
    ssl.reset(SSL_new(tls_->ctx.get()));
    SSL_set_fd(ssl.get(), fd.get());
  }
  Io io(fd.get(), ssl.get(), stop_.get());
  const auto finish = [this] {
    const std::lock_guard lock(mutex_);
    ++closed_;
    changed_.notify_all();
  };
  if (ssl) {
    if (!io.handshake(Deadline::after(10s))) {
      finish();
      return;
    }
    ++handshakes_;
    if (SSL_session_reused(ssl.get()) == 1) ++resumed_;
  }
  Reader reader(io);
  for (int count = 1;; ++count) {
    const auto head = reader.head(Deadline::after(kIoBudget));
    if (!head) break;
    ReceivedRequest request;
    request.connection = number;
    request.number_on_connection = count;
    request.head = *head;
    std::optional<std::uint64_t> length;
    if (!parse_head(*head, request, length)) break;
    if (!read_body(reader, request, length)) break;
    const Reply reply = script_(request);
    record(request);
    if (reply.delay.count() > 0 && !sleep_unless_stopped(stop_.get(), reply.delay)) break;
    if (reply.drop) {
      io.close_notify();  // TLS: a graceful close, as an origin closing an idle connection
      break;
    }
    if (reply.silent) {
      reader.wait_for_close(Deadline::after(kIoBudget));
      break;
    }
    const Deadline deadline = Deadline::after(kIoBudget);
    if (!write_in_pieces(io, reply.bytes, reply.write_piece, deadline)) break;
    if (reply.hello_request && ssl) {
      // As `openssl s_server`'s R command: libssl sends the HelloRequest and
      // goes on writing; a ClientHello would be handled by a later read.
      if (SSL_renegotiate(ssl.get()) != 1) break;
      (void)SSL_do_handshake(ssl.get());
      ERR_clear_error();
    }
    if (reply.silent_after) {
      reader.wait_for_close(Deadline::after(kIoBudget));
      break;
    }
    if (reply.generated_body > 0 &&
        !send_generated(io, reply.generated_body, reply.generated_chunked, reply.pace, stop_.get())) {
      break;
    }
    if (reply.key_update_after && ssl) {
      // Sent now, while the client's connection rests in its pool.
      if (SSL_key_update(ssl.get(), SSL_KEY_UPDATE_REQUESTED) != 1) break;
      (void)SSL_do_handshake(ssl.get());
      ERR_clear_error();
    }
    if (!reply.raw_after.empty() &&
        ::send(fd.get(), reply.raw_after.data(), reply.raw_after.size(), MSG_NOSIGNAL) < 0) {
      break;
    }
    if (reply.close_after) {
      io.close_notify();
      break;
    }
  }
  ::shutdown(fd.get(), SHUT_RDWR);
  finish();
}

}  // namespace edgefetch::origin::test
