#include "response_relay.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <cstdio>
#include <span>
#include <string>

#include "edgefetch/net/send_now.hpp"
#include "websocket_relay.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

// The pieces of response body that go out in one write: the one
// read_body_view() returned and those the origin connection already holds
// decrypted behind it (Exchange::body_view_now()). All stay valid until the
// next read_body_view().
class BodyPieces {
 public:
  static constexpr std::size_t kMax = 8;

  /// Replaces the pieces with `first` and what is already decrypted behind it.
  void gather(std::span<const std::uint8_t> first, origin::Exchange& exchange) {
    count_ = 0;
    bytes_ = 0;
    if (first.empty()) return;
    add(first);
    while (count_ < kMax) {
      const auto next = exchange.body_view_now();
      if (!next) break;
      add(*next);
    }
  }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] std::span<const std::span<const std::uint8_t>> pieces() const {
    return {pieces_.data(), count_};
  }

 private:
  void add(std::span<const std::uint8_t> piece) {
    pieces_[count_++] = piece;
    bytes_ += piece.size();
  }

  std::array<std::span<const std::uint8_t>, kMax> pieces_{};
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
};

std::size_t chunk_prefix(std::array<char, 24>& out, std::size_t size) {
  const int n = std::snprintf(out.data(), out.size(), "%zx\r\n", size);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}
}  // namespace

asio::awaitable<bool> relay_response(const RequestContext& request, origin::Exchange& exchange,
                                     const origin::ResponseHead& head, bool keep_alive,
                                     const config::ForwardingRules& rules) {
  EdgeServer::State& state = request.state;
  detail::ViewerStream& stream = request.stream;
  RequestRecord& record = request.record;
  const int status = static_cast<int>(head.status);
  boost::system::error_code ec;
  ViewerResponse response =
      make_viewer_response(head, request.head_request, request.version, keep_alive && !state.draining,
                           request.request_id, state.identity, &rules);
  record.entry().sc_content_type = response.content_type;
  record.entry().sc_content_len = response.content_length;
  const bool has_body = response.framing != ViewerBodyFraming::none;

  // The first body bytes go out with the head when they came with it (one
  // write for small responses); when they have not arrived, the head goes out
  // alone at once: a stream, a long poll or a slow first byte must not hold
  // back a head the origin has sent. Body bytes are written from where the
  // origin connection holds them (no copy), and every piece already decrypted
  // goes out in the same write: a 64 KiB response arrives as four or five TLS
  // records, often several per read, and one write per record cost a system
  // call and a wake-up of the viewer each.
  BodyPieces pending;
  const bool body_with_head = has_body && exchange.body_bytes_arrived();
  if (body_with_head) {
    auto piece = co_await exchange.read_body_view();
    if (!piece) {
      record.origin_failure(piece.error());
      const GeneratedResponse answer = origin_error_response(piece.error());
      co_return co_await send_generated(request, answer, keep_alive);
    }
    pending.gather(*piece, exchange);
  }
  bool head_written = false;
  bool body_done = !has_body || (body_with_head && (pending.empty() || exchange.body_complete()));
  std::array<char, 24> prefix{};
  static constexpr std::string_view kCrlf = "\r\n";
  static constexpr std::string_view kLastChunk = "0\r\n\r\n";
  while (true) {
    std::array<asio::const_buffer, BodyPieces::kMax + 4> buffers{};
    std::size_t count = 0;
    std::size_t bytes = 0;
    const auto add = [&](asio::const_buffer b) {
      buffers[count++] = b;
      bytes += b.size();
    };
    if (!head_written) add(asio::buffer(response.head));
    if (!pending.empty()) {
      // Chunked: the gathered pieces make one chunk.
      const bool chunked = response.framing == ViewerBodyFraming::chunked;
      if (chunked) add(asio::buffer(prefix.data(), chunk_prefix(prefix, pending.bytes())));
      for (const auto& piece : pending.pieces()) add(asio::buffer(piece.data(), piece.size()));
      if (chunked) add(asio::buffer(kCrlf));
    }
    if (body_done && has_body && response.framing == ViewerBodyFraming::chunked) {
      add(asio::buffer(kLastChunk));
    }
    if (count > 0) {
      if (!head_written) record.first_byte();
      stream.expires_after(state.options.timeouts.io);
      // What the socket takes at once needs no operation (net/send_now.hpp);
      // only the rest is awaited.
      std::span<asio::const_buffer> rest(buffers.data(), count);
      std::size_t written = stream.write_now(rest, ec);
      net::consume_front(rest, written);
      if (!ec && !rest.empty()) {
        written += co_await stream.write(rest, ec);
      }
      if (ec) {
        // The viewer went away or stopped reading: drop the origin exchange
        // too. sc-bytes counts what the socket took before that.
        record.sent(written);
        record.entry().x_edge_detailed_result_type = "ClientCommError";
        record.finish(status);
        co_return false;
      }
      record.sent(bytes);
      head_written = true;
    }
    if (body_done) break;
    auto piece = co_await exchange.read_body_view();
    if (!piece) {
      // Too late for an error page: cut the viewer's response short so it
      // sees the truncation (no final chunk, or fewer bytes than announced).
      record.origin_failure(piece.error());
      record.finish(status);
      co_return false;
    }
    pending.gather(*piece, exchange);
    if (pending.empty() || exchange.body_complete()) body_done = true;
  }
  if (exchange.info().body_end_unverified) record.body_end_unverified();
  record.finish(status);
  co_return response.keep_alive;
}

asio::awaitable<void> relay_switched_protocols(const RequestContext& request, beast::flat_buffer& input,
                                               origin::Exchange& exchange, const origin::ResponseHead& head,
                                               const config::ForwardingRules& rules) {
  EdgeServer::State& state = request.state;
  detail::ViewerStream& stream = request.stream;
  RequestRecord& record = request.record;
  auto tunnel = exchange.take_tunnel();
  if (!tunnel) {
    record.origin_failure(tunnel.error());
    const GeneratedResponse answer = origin_error_response(tunnel.error());
    co_await send_generated(request, answer, false);
    co_return;
  }
  const std::string response =
      make_switching_protocols_head(head, request.request_id, state.identity, &rules);
  record.first_byte();
  stream.expires_after(state.options.timeouts.io);
  boost::system::error_code ec;
  const std::array<asio::const_buffer, 1> buffers{asio::buffer(response)};
  co_await stream.write(buffers, ec);
  if (ec) {
    record.entry().x_edge_detailed_result_type = "ClientCommError";
    record.finish(101);
    co_return;
  }
  record.sent(response.size());
  auto* const metrics = state.options.metrics.get();
  if (metrics != nullptr) metrics->websocket_opened();
  const RelayResult relayed = co_await relay_websocket(state.io.get_executor(), stream, input, **tunnel,
                                                       state.options.timeouts.websocket_idle);
  if (metrics != nullptr) metrics->websocket_closed();
  record.sent(relayed.origin_to_viewer);
  record.entry().cs_bytes += relayed.viewer_to_origin;
  record.finish(101);
}

}  // namespace edgefetch::edge
