#pragma once
// An Asio AsyncReadStream/AsyncWriteStream over the sans-IO TLS client, so
// Beast's HTTP reader and writer (and coroutines) work over it unchanged.
//
// The engine does the protocol; this class only moves bytes: it writes what the
// engine queues (pending_output), has the socket read straight into the
// engine's receive buffer (input_space, commit_input), and
// hands out decrypted data (readable). It owns no clock: timeouts belong to the
// next layer (TcpTransport).
//
// End of stream:
//   - the server's close_notify          -> asio::error::eof (a clean end; Beast's
//                                           parser finishes an EOF-delimited body)
//   - TCP EOF without close_notify       -> an error in tls_category() with
//                                           tls::ErrorCode::unexpected_eof: a
//                                           truncation attack is indistinguishable
//                                           from a server that forgot close_notify,
//                                           so the caller decides (origin accepts it
//                                           only where the HTTP framing proves the
//                                           body complete, and warns otherwise).
// TLS failures complete operations with an error_code in tls_category() whose
// value is the tls::ErrorCode; tls_error() keeps the full tls::Error (alert,
// sender, message). The alert the engine queued on failure is sent best-effort
// before the operation completes.
//
// Concurrency follows the Asio stream rules: at most one read and one write
// operation outstanding. A read operation writes to the socket only to send a
// final alert or close_notify when the connection is ending and no write is in
// progress; anything else the engine queues goes out with the next write.

#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "edgefetch/net/error.hpp"
#include "edgefetch/net/tcp_transport.hpp"
#include "edgefetch/tls/client.hpp"

namespace edgefetch::net {

template <class NextLayer>
class BasicTlsStream {
 public:
  using next_layer_type = NextLayer;
  using executor_type = typename NextLayer::executor_type;

  /// Plaintext bytes one write_some encrypts at most (four full records).
  static constexpr std::size_t kMaxWriteChunk = std::size_t{4} * 16384;

  BasicTlsStream(NextLayer next, tls::ClientConfig config)
      : next_(std::move(next)), client_(std::move(config)) {}

  BasicTlsStream(const BasicTlsStream&) = delete;
  BasicTlsStream& operator=(const BasicTlsStream&) = delete;
  // Movable only while no operation is outstanding (operations refer to *this).
  BasicTlsStream(BasicTlsStream&&) noexcept = default;
  BasicTlsStream& operator=(BasicTlsStream&&) noexcept = default;
  ~BasicTlsStream() = default;

  executor_type get_executor() noexcept { return next_.get_executor(); }
  NextLayer& next_layer() noexcept { return next_; }
  const NextLayer& next_layer() const noexcept { return next_; }
  tls::Client& engine() noexcept { return client_; }
  const tls::Client& engine() const noexcept { return client_; }
  [[nodiscard]] const tls::Negotiated& negotiated() const { return client_.negotiated(); }

  /// The TLS error behind the last tls_category() error_code: the engine's, or
  /// the stream's own (TCP EOF the engine did not turn into an error).
  [[nodiscard]] const tls::Error& tls_error() const {
    if (client_.error()) return client_.error();
    return local_error_;
  }
  [[nodiscard]] bool failed() const { return client_.state() == tls::State::failed || bool(local_error_); }
  /// True once the TCP peer closed its side (with or without close_notify).
  [[nodiscard]] bool transport_eof() const { return transport_eof_; }

  /// Runs the handshake to completion. Signature: void(error_code).
  template <class HandshakeToken>
  auto async_handshake(HandshakeToken&& token) {
    return boost::asio::async_compose<HandshakeToken, void(boost::system::error_code)>(HandshakeOp{this},
                                                                                       token, next_);
  }

  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return boost::asio::async_compose<ReadToken, void(boost::system::error_code, std::size_t)>(
        ReadOp<MutableBufferSequence>{this, buffers}, token, next_);
  }

  /// Reads and decrypts until plaintext is readable (engine().readable()),
  /// without copying it out: the caller reads it in place and consumes it with
  /// engine().consume_readable(). Completes at once when plaintext is already
  /// readable. Signature: void(error_code, std::size_t readable bytes); errors
  /// and end of stream as async_read_some.
  template <class ReadToken>
  auto async_fill(ReadToken&& token) {
    return boost::asio::async_compose<ReadToken, void(boost::system::error_code, std::size_t)>(
        ReadOp<boost::asio::mutable_buffer>{this, boost::asio::mutable_buffer(), true}, token, next_);
  }

  /// The synchronous half of a write (see send_now.hpp): encrypts up to
  /// kMaxWriteChunk bytes of `buffers` and sends the records with one
  /// non-blocking send. Returns the plaintext bytes taken. 0 with `ec` clear:
  /// nothing taken, use async_write_some (which says why, e.g. a write in
  /// progress or a stream that is not connected). Records the socket did not
  /// take stay in the stream: flush_pending() is then true, and async_flush()
  /// must complete before the next write. `ec` set: the send failed.
  template <class ConstBufferSequence>
  std::size_t write_now(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
    ec = {};
    if (failed() || client_.state() != tls::State::connected || write_in_progress_) return 0;
    if (!take_plaintext(buffers)) return 0;
    if (auto written = client_.write(plaintext_); !written) {
      ec = tls_error_code();
      return 0;
    }
    // Sent from the engine's output where it lies; only a remainder is copied.
    const auto output = client_.pending_output();
    const boost::asio::const_buffer records(output.data(), output.size());
    const std::size_t sent = next_.write_now(std::span<const boost::asio::const_buffer>(&records, 1), ec);
    if (!ec && sent < output.size()) {
      write_buffer_.assign(output.begin() + static_cast<std::ptrdiff_t>(sent), output.end());
      write_in_progress_ = true;
      flush_pending_ = true;
    }
    client_.consume_output(output.size());
    return plaintext_.size();
  }

  /// Records write_now() could not send are waiting (see async_flush()).
  [[nodiscard]] bool flush_pending() const { return flush_pending_; }

  /// Sends what write_now() left; completes at once when nothing is left.
  /// Signature: void(error_code).
  template <class FlushToken>
  auto async_flush(FlushToken&& token) {
    return boost::asio::async_compose<FlushToken, void(boost::system::error_code)>(FlushOp{this}, token,
                                                                                   next_);
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    return boost::asio::async_compose<WriteToken, void(boost::system::error_code, std::size_t)>(
        WriteOp<ConstBufferSequence>{this, buffers}, token, next_);
  }

  /// For a connection at rest (no operation outstanding): reads what the
  /// socket holds, without waiting, into the engine. True when the connection
  /// can still carry a request: what came were post-handshake messages
  /// (NewSessionTicket, KeyUpdate, HelloRequest: an answering KeyUpdate goes
  /// out before the next request's data). False for the server's FIN,
  /// close_notify, an alert, application data nobody asked for, a failure,
  /// more than a few reads' worth of bytes, or part of a record or message:
  /// its rest may never come, and the next request would wait for it.
  bool absorb_idle_input() {
    static constexpr int kMaxReads = 4;
    if (failed() || transport_eof_ || client_.state() != tls::State::connected) return false;
    const int fd = next_.socket().native_handle();
    for (int reads = 0; reads < kMaxReads; ++reads) {
      const auto space = client_.input_space(kReadSpace);
      const auto n = ::recv(fd, space.data(), space.size(), MSG_DONTWAIT);
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
        return client_.state() == tls::State::connected && client_.readable().empty() &&
               !client_.peer_closed() && !client_.input_pending();
      }
      if (n == 0) return false;  // FIN
      commit_read(static_cast<std::size_t>(n));
      if (client_.state() != tls::State::connected || !client_.readable().empty()) return false;
    }
    return false;
  }

  /// Sends close_notify (does not wait for the server's). Signature: void(error_code).
  template <class ShutdownToken>
  auto async_shutdown(ShutdownToken&& token) {
    return boost::asio::async_compose<ShutdownToken, void(boost::system::error_code)>(ShutdownOp{this}, token,
                                                                                      next_);
  }

 private:
  // Room for several full records (16 KiB + 2 KiB expansion + header) per
  // socket read, which lands in the engine's receive buffer (no copy).
  static constexpr std::size_t kReadSpace = std::size_t{40} * 1024;

  boost::asio::mutable_buffer read_space() {
    const auto space = client_.input_space(kReadSpace);
    return {space.data(), space.size()};
  }

  boost::system::error_code tls_error_code() const {
    const auto code = tls_error().code;
    return make_error_code(code == tls::ErrorCode::none ? tls::ErrorCode::internal_error : code);
  }

  // Coalesces up to kMaxWriteChunk bytes of `buffers` into plaintext_ (Beast
  // hands a header as many small buffers) so that the engine cuts full
  // records instead of one record per fragment; false when there are none.
  template <class ConstBufferSequence>
  bool take_plaintext(const ConstBufferSequence& buffers) {
    plaintext_.clear();
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::const_buffer piece(*it);
      const std::size_t take = std::min(kMaxWriteChunk - plaintext_.size(), piece.size());
      const auto* bytes = static_cast<const std::uint8_t*>(piece.data());
      plaintext_.insert(plaintext_.end(), bytes, bytes + take);
      if (plaintext_.size() == kMaxWriteChunk) break;
    }
    return !plaintext_.empty();
  }

  // Moves what the engine queued into write_buffer_; false when nothing is queued.
  bool stage_output() {
    const auto output = client_.pending_output();
    if (output.empty()) return false;
    write_buffer_.assign(output.begin(), output.end());
    client_.consume_output(output.size());
    return true;
  }

  void commit_read(std::size_t n) {
    (void)client_.commit_input(n);  // an error is kept in client_.error()
  }

  void on_transport_eof() {
    transport_eof_ = true;
    client_.feed_eof();
    const auto state = client_.state();
    if (state != tls::State::failed && state != tls::State::closed && !client_.peer_closed()) {
      local_error_.code = tls::ErrorCode::unexpected_eof;
      local_error_.message = state == tls::State::connected
                                 ? "the server closed the TCP connection without sending close_notify"
                                 : "the server closed the TCP connection during the TLS handshake";
    }
  }

  bool connection_ending() const {
    const auto state = client_.state();
    return state == tls::State::failed || state == tls::State::closed || bool(local_error_);
  }

  struct HandshakeOp {
    BasicTlsStream* s;
    enum class Step { start, writing, reading } step = Step::start;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
      switch (step) {
        case Step::start:
          if (s->client_.state() == tls::State::idle) s->client_.start();
          break;
        case Step::writing:
          s->write_in_progress_ = false;
          if (ec) return self.complete(s->failed() ? s->tls_error_code() : ec);
          break;
        case Step::reading:
          if (ec == boost::asio::error::eof) {
            s->on_transport_eof();
          } else if (ec) {
            return self.complete(ec);
          } else {
            s->commit_read(n);
          }
          break;
      }
      if (s->stage_output()) {
        step = Step::writing;
        s->write_in_progress_ = true;
        boost::asio::async_write(s->next_, boost::asio::buffer(s->write_buffer_), std::move(self));
        return;
      }
      if (s->failed()) return self.complete(s->tls_error_code());
      if (s->client_.handshake_complete()) return self.complete({});
      if (s->transport_eof_) {
        // The engine neither failed nor finished after EOF: never spin on a dead socket.
        s->local_error_.code = tls::ErrorCode::unexpected_eof;
        s->local_error_.message = "the server closed the TCP connection during the TLS handshake";
        return self.complete(s->tls_error_code());
      }
      step = Step::reading;
      s->next_.async_read_some(s->read_space(), std::move(self));
    }
  };

  template <class Buffers>
  struct ReadOp {
    BasicTlsStream* s;
    Buffers buffers;
    bool fill_only = false;  // async_fill: leave the plaintext in the engine
    enum class Step { start, reading, flushing } step = Step::start;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
      switch (step) {
        case Step::start:
          break;
        case Step::reading:
          if (ec == boost::asio::error::eof) {
            s->on_transport_eof();
          } else if (ec) {
            return self.complete(ec, 0);
          } else {
            s->commit_read(n);
          }
          break;
        case Step::flushing:
          s->write_in_progress_ = false;  // a failed alert write changes nothing: we are ending
          break;
      }
      if (fill_only) {
        if (const auto readable = s->client_.readable(); !readable.empty()) {
          return self.complete({}, readable.size());
        }
      } else if (boost::asio::buffer_size(buffers) == 0) {
        return self.complete({}, 0);
      } else if (const auto readable = s->client_.readable(); !readable.empty()) {
        const std::size_t copied =
            boost::asio::buffer_copy(buffers, boost::asio::buffer(readable.data(), readable.size()));
        s->client_.consume_readable(copied);
        return self.complete({}, copied);
      }
      if (s->connection_ending() && !s->write_in_progress_ && !s->transport_eof_ && s->stage_output()) {
        step = Step::flushing;
        s->write_in_progress_ = true;
        boost::asio::async_write(s->next_, boost::asio::buffer(s->write_buffer_), std::move(self));
        return;
      }
      if (s->failed()) return self.complete(s->tls_error_code(), 0);
      if (s->client_.peer_closed() || s->client_.state() == tls::State::closed) {
        return self.complete(boost::asio::error::eof, 0);
      }
      if (s->client_.state() != tls::State::connected) {
        return self.complete(make_error_code(Errc::not_connected), 0);
      }
      step = Step::reading;
      s->next_.async_read_some(s->read_space(), std::move(self));
    }
  };

  template <class Buffers>
  struct WriteOp {
    BasicTlsStream* s;
    Buffers buffers;
    std::size_t accepted = 0;
    bool started = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t /*n*/ = 0) {
      if (started) {
        s->write_in_progress_ = false;
        if (ec) return self.complete(ec, 0);
        return self.complete({}, accepted);
      }
      started = true;
      if (s->failed()) return self.complete(s->tls_error_code(), 0);
      // A server may send close_notify in the flight that ends the handshake:
      // the connection is over, which is not a handshake in progress.
      if (s->client_.peer_closed() || s->client_.state() == tls::State::closed) {
        return self.complete(make_error_code(Errc::peer_closed), 0);
      }
      if (s->client_.state() != tls::State::connected || s->write_in_progress_) {
        return self.complete(make_error_code(Errc::not_connected), 0);
      }
      if (!s->take_plaintext(buffers)) return self.complete({}, 0);
      if (auto written = s->client_.write(s->plaintext_); !written) {
        return self.complete(s->tls_error_code(), 0);
      }
      accepted = s->plaintext_.size();
      if (!s->stage_output()) return self.complete({}, accepted);
      s->write_in_progress_ = true;
      boost::asio::async_write(s->next_, boost::asio::buffer(s->write_buffer_), std::move(self));
    }
  };

  struct FlushOp {
    BasicTlsStream* s;
    bool started = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t /*n*/ = 0) {
      if (started) {
        s->write_in_progress_ = false;
        s->flush_pending_ = false;
        return self.complete(ec);
      }
      started = true;
      if (!s->flush_pending_) return self.complete({});
      boost::asio::async_write(s->next_, boost::asio::buffer(s->write_buffer_), std::move(self));
    }
  };

  struct ShutdownOp {
    BasicTlsStream* s;
    bool started = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t /*n*/ = 0) {
      if (started) {
        s->write_in_progress_ = false;
        return self.complete(ec);
      }
      started = true;
      const auto state = s->client_.state();
      if (s->failed() || s->write_in_progress_ ||
          (state != tls::State::connected && state != tls::State::closed)) {
        return self.complete({});  // nothing to close cleanly
      }
      if (state == tls::State::connected) s->client_.close();
      if (s->transport_eof_ || !s->stage_output()) return self.complete({});
      s->write_in_progress_ = true;
      boost::asio::async_write(s->next_, boost::asio::buffer(s->write_buffer_), std::move(self));
    }
  };

  NextLayer next_;
  tls::Client client_;
  std::vector<std::uint8_t> write_buffer_;
  std::vector<std::uint8_t> plaintext_;
  tls::Error local_error_;
  bool write_in_progress_ = false;
  bool flush_pending_ = false;  // write_now() left records in write_buffer_
  bool transport_eof_ = false;
};

/// TLS over a timed TCP connection: what origin uses.
using TlsStream = BasicTlsStream<TcpTransport>;

}  // namespace edgefetch::net
