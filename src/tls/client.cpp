// tls::Client: the public face of the sans-IO client. The state machine is
// handshake::ClientEngine (SSLv3 to TLS 1.2, and the ClientHello for every
// offer); when the server selects TLS 1.3 the engine hands the connection over
// to tls13::Client13 and every call goes there from then on.

#include "edgefetch/tls/client.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "tls/handshake/client_engine.hpp"
#include "tls/handshake/record_front.hpp"
#include "tls/tls13/client13.hpp"

namespace edgefetch::tls {

struct Client::Impl {
  explicit Impl(ClientConfig config) : engine(std::move(config)) {}

  // Takes over from the engine once it has seen a TLS 1.3 ServerHello.
  base::Expected<void, Error> maybe_hand_over(base::Expected<void, Error> engine_result) {
    if (!engine_result || tls13) return engine_result;
    auto package = engine.take_tls13_handover();
    if (!package) return engine_result;
    tls13 = std::make_unique<tls13::Client13>(std::move(package->handover));
    return tls13->start(package->server_hello, package->received_after);
  }

  // The engine that carries the connection now: records, alerts, output and
  // application data look the same from either (RecordFront).
  handshake::RecordFront& active() {
    if (tls13) return *tls13;
    return engine;
  }
  [[nodiscard]] const handshake::RecordFront& active() const {
    if (tls13) return *tls13;
    return engine;
  }

  handshake::ClientEngine engine;
  std::unique_ptr<tls13::Client13> tls13;
};

Client::Client(ClientConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::start() {
  impl_->engine.start();
}

base::Expected<void, Error> Client::feed(std::span<const std::uint8_t> bytes) {
  if (impl_->tls13) return impl_->tls13->feed(bytes);
  return impl_->maybe_hand_over(impl_->engine.feed(bytes));
}

std::span<std::uint8_t> Client::input_space(std::size_t at_least) {
  return impl_->active().input_space(at_least);
}

base::Expected<void, Error> Client::commit_input(std::size_t n) {
  if (impl_->tls13) return impl_->tls13->commit_input(n);
  return impl_->maybe_hand_over(impl_->engine.commit_input(n));
}

void Client::feed_eof() {
  impl_->active().feed_eof();
}

std::span<const std::uint8_t> Client::pending_output() const {
  return impl_->active().pending_output();
}

void Client::consume_output(std::size_t n) {
  impl_->active().consume_output(n);
}

base::Expected<void, Error> Client::write(std::span<const std::uint8_t> data) {
  return impl_->active().write(data);
}

std::span<const std::uint8_t> Client::readable() const {
  return impl_->active().readable();
}

void Client::consume_readable(std::size_t n) {
  impl_->active().consume_readable(n);
}

void Client::close() {
  impl_->active().close();
}

State Client::state() const {
  return impl_->active().state();
}
const Negotiated& Client::negotiated() const {
  return impl_->tls13 ? impl_->tls13->negotiated() : impl_->engine.negotiated();
}
const Error& Client::error() const {
  return impl_->active().error();
}
bool Client::peer_closed() const {
  return impl_->active().peer_closed();
}
bool Client::input_pending() const {
  return impl_->active().input_pending();
}
std::shared_ptr<const Session> Client::session() const {
  // TLS 1.3 resumption is not offered (the CDN's hello has no psk_key_exchange_modes).
  return impl_->tls13 ? nullptr : impl_->engine.session();
}

void note_warning_alert(Negotiated& negotiated, std::uint8_t description) {
  // The engine refuses a long run of warnings; a few distinct ones say all there is.
  static constexpr std::size_t kMaxNoted = 8;
  auto& noted = negotiated.warning_alerts;
  if (noted.size() < kMaxNoted && std::find(noted.begin(), noted.end(), description) == noted.end()) {
    noted.push_back(description);
  }
}

}  // namespace edgefetch::tls
