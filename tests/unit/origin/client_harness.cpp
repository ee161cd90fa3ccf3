#include "client_harness.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/resolve.hpp"

namespace edgefetch::origin::test {
namespace asio = boost::asio;

RequestHead request(std::string host, std::string method, std::string target) {
  RequestHead head;
  head.method = std::move(method);
  head.target = std::move(target);
  head.headers = {{"Host", std::move(host)}, {"User-Agent", "Amazon CloudFront"}};
  return head;
}

bool run_until(asio::io_context& io, const std::function<bool()>& condition,
               std::chrono::milliseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  io.restart();
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.run_one_for(std::chrono::milliseconds(50));
  }
  return true;
}

asio::awaitable<Outcome> perform(OriginClient& client, Target target, Call call) {
  Outcome outcome;
  const bool has_body = !call.body.empty() || call.generated_body > 0;
  auto sent = co_await client.send(target, call.head);
  if (!sent) {
    outcome.error = std::move(sent).error();
    co_return outcome;
  }
  outcome.sent = true;
  auto exchange = std::move(sent).value();
  if (has_body) {
    std::vector<std::uint8_t> piece;
    const std::uint64_t total = call.body.empty() ? call.generated_body : call.body.size();
    for (std::uint64_t at = 0; at < total;) {
      const auto size = static_cast<std::size_t>(std::min<std::uint64_t>(call.piece, total - at));
      piece.resize(size);
      for (std::size_t i = 0; i < size; ++i) {
        piece[i] = static_cast<std::uint8_t>(call.body.empty() ? pattern_byte(at + i) : call.body[at + i]);
      }
      auto written = co_await exchange->write_body(piece);
      if (!written) {
        outcome.error = std::move(written).error();
        outcome.info = exchange->info();
        co_return outcome;
      }
      at += size;
    }
  }
  if (auto finished = co_await exchange->finish_body(); !finished) {
    outcome.error = std::move(finished).error();
    outcome.info = exchange->info();
    co_return outcome;
  }
  auto head = co_await exchange->read_response_head();
  if (!head) {
    outcome.error = std::move(head).error();
    outcome.info = exchange->info();
    co_return outcome;
  }
  outcome.head = **head;
  std::vector<std::uint8_t> buffer(call.read_buffer);
  std::vector<std::span<const std::uint8_t>> pieces;
  for (;;) {
    pieces.clear();
    if (call.view) {
      auto view = co_await exchange->read_body_view();
      if (!view) {
        outcome.error = std::move(view).error();
        break;
      }
      if (!view->empty()) pieces.push_back(*view);
      // Gathered pieces are checked only after the last one was taken: the
      // earlier ones must still hold their bytes.
      while (call.gather && !pieces.empty()) {
        const auto more = exchange->body_view_now();
        if (!more) break;
        if (more->empty()) ADD_FAILURE() << "body_view_now() returned an empty piece";
        pieces.push_back(*more);
        ++outcome.gathered;
      }
    } else {
      auto n = co_await exchange->read_body(buffer);
      if (!n) {
        outcome.error = std::move(n).error();
        break;
      }
      if (*n > 0) pieces.emplace_back(buffer.data(), *n);
    }
    if (pieces.empty()) break;
    for (const auto piece : pieces) {
      ++outcome.reads;
      for (std::size_t i = 0; i < piece.size(); ++i) {
        if (static_cast<char>(piece[i]) != pattern_byte(outcome.body_bytes + i)) outcome.pattern_ok = false;
      }
      if (call.keep_body)
        outcome.body.append(reinterpret_cast<const char*>(piece.data()), piece.size());  // NOLINT
      outcome.body_bytes += piece.size();
    }
  }
  outcome.info = exchange->info();
  co_return outcome;
}

Target target_for(std::uint16_t port, bool tls, std::string address) {
  Target target;
  target.config.domain_name = std::string(support::kOriginName);
  target.config.protocol = tls ? net::Scheme::https : net::Scheme::http;
  target.config.port = port;
  target.config.connection_timeout = std::chrono::seconds(5);
  target.config.read_timeout = std::chrono::seconds(10);
  target.config.connection_attempts = 1;
  auto entry =
      net::parse_resolve_override(target.config.domain_name + ":" + std::to_string(port) + ":" + address);
  EXPECT_TRUE(entry);
  if (entry) target.config.resolve_overrides.push_back(*entry);
  if (tls) {
    static const auto store = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
    EXPECT_TRUE(store);
    if (store) target.config.trust_store = *store;
  }
  target.keepalive_timeout = std::chrono::seconds(30);
  target.pool_id = "test-origin";
  return target;
}

PoolStats only_pool(const OriginClient& client) {
  const auto stats = client.stats();
  EXPECT_EQ(stats.size(), 1u);
  return stats.empty() ? PoolStats{} : stats.front();
}

std::string ok_response(const std::string& body, const std::string& extra_headers) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers +
         "\r\n" + body;
}

}  // namespace edgefetch::origin::test
