#include "request_body_upload.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/edge/http_fields.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Body bytes moved per read/write in either direction: the most one request
// holds in memory besides the bounded input buffer.
constexpr std::size_t kBodyChunk = std::size_t{64} * 1024;

// The buffer a request body goes through on its way to the origin (response
// bodies go from the origin connection's own buffers to the viewer). Not zero-filled: every byte sent is
// first written by a read, and zeroing 64 KiB was a memset per request (5% of the proxy's CPU on 1 KiB
// responses). A request's body buffer, from a small per-thread stock: a fresh 64 KiB allocation per request
// sat at the top of the heap and made malloc grow and trim it with brk() on every third request.
class BodyBuffer {
 public:
  BodyBuffer() {
    auto& stock = spares();
    if (stock.empty()) {
      bytes_ = std::make_unique_for_overwrite<Block>();
    } else {
      bytes_ = std::move(stock.back());
      stock.pop_back();
    }
  }
  ~BodyBuffer() {
    auto& stock = spares();
    if (stock.size() < kMaxSpares) stock.push_back(std::move(bytes_));
  }
  BodyBuffer(const BodyBuffer&) = delete;
  BodyBuffer& operator=(const BodyBuffer&) = delete;

  [[nodiscard]] std::uint8_t* data() const { return bytes_->data(); }
  [[nodiscard]] static constexpr std::size_t size() { return kBodyChunk; }

 private:
  using Block = std::array<std::uint8_t, kBodyChunk>;  // default-initialized: not zeroed
  static constexpr std::size_t kMaxSpares = 32;        // 2 MiB kept at most
  static std::vector<std::unique_ptr<Block>>& spares() {
    thread_local std::vector<std::unique_ptr<Block>> stock;
    return stock;
  }
  std::unique_ptr<Block> bytes_;
};

bool expects_continue(const http::request_header<>& head) {
  for (const auto& field : head) {
    if (iequals(std_view(field.name_string()), "Expect") &&
        iequals(std_view(field.value()), "100-continue")) {
      return true;
    }
  }
  return false;
}

}  // namespace

asio::awaitable<BodyUpload> send_request_body(const RequestContext& request, RequestParser& parser,
                                              const BodyFraming& framing, beast::flat_buffer& input,
                                              origin::Exchange& exchange) {
  RequestRecord& record = request.record;
  boost::system::error_code ec;
  if (request.version == 11 && expects_continue(parser.get().base())) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    const std::array<asio::const_buffer, 1> interim{asio::buffer(kContinue)};
    request.stream.expires_after(request.state.options.timeouts.io);
    co_await request.stream.write(interim, ec);
    if (ec) {
      record.finish(0);
      co_return BodyUploadEnded{};
    }
  }
  BodyBuffer buffer;
  while (!parser.is_done()) {
    auto& body = parser.get().body();
    body.data = buffer.data();
    body.size = buffer.size();
    body.more = true;
    std::size_t consumed = 0;
    if (input.size() > 0) {
      consumed = parser.put(input.data(), ec);
      input.consume(consumed);
      if (ec == http::error::need_buffer || ec == http::error::need_more) ec = {};
      if (ec) {
        const GeneratedResponse answer{400, "The request body is malformed (" + ec.message() + ").", {}, {}};
        co_await send_generated(request, answer, false);
        co_return BodyUploadEnded{};
      }
    }
    const std::size_t produced = buffer.size() - body.size;
    record.entry().cs_bytes += consumed;
    if (produced > 0) {
      auto written = co_await exchange.write_body(std::span<const std::uint8_t>(buffer.data(), produced));
      if (!written) {
        if (auto early = co_await exchange.read_response_head()) co_return OriginAnsweredEarly{*early};
        record.origin_failure(written.error());
        record.origin_info(exchange.info());
        const GeneratedResponse answer = origin_error_response(written.error());
        co_await send_generated(request, answer, false);
        co_return BodyUploadEnded{};
      }
    }
    if (parser.is_done()) break;
    if (produced == 0 && consumed == 0) {
      if (framing.chunked &&
          chunk_framing_has_bare_lf({static_cast<const char*>(input.data().data()), input.size()})) {
        const GeneratedResponse answer{
            400, "The request body's chunked framing has a line ending in a bare LF (not CRLF).", {}, {}};
        co_await send_generated(request, answer, false);
        co_return BodyUploadEnded{};
      }
      if (input.size() >= input.max_size()) {
        // A chunk header (with extensions) longer than the whole input buffer.
        const GeneratedResponse answer{400, "The request body has an oversized chunk header.", {}, {}};
        co_await send_generated(request, answer, false);
        co_return BodyUploadEnded{};
      }
      request.stream.expires_after(request.state.options.timeouts.io);
      const std::size_t n =
          co_await request.stream.read_some(input.prepare(input.max_size() - input.size()), ec);
      if (ec) {
        // The viewer went away (or stalled) mid-body: nothing to answer.
        record.entry().x_edge_detailed_result_type = "ClientCommError";
        record.finish(0);
        co_return BodyUploadEnded{};
      }
      input.commit(n);
    }
  }
  auto finished = co_await exchange.finish_body();
  if (!finished) {
    if (auto early = co_await exchange.read_response_head()) co_return OriginAnsweredEarly{*early};
    record.origin_failure(finished.error());
    record.origin_info(exchange.info());
    const GeneratedResponse answer = origin_error_response(finished.error());
    co_await send_generated(request, answer, false);
    co_return BodyUploadEnded{};
  }
  co_return BodySent{};
}

}  // namespace edgefetch::edge
