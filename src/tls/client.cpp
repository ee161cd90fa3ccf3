// tls::Client: the public face of the sans-IO client; the state machine is
// handshake::ClientEngine.

#include "edgefetch/tls/client.hpp"

#include <utility>

#include "tls/handshake/client_engine.hpp"

namespace edgefetch::tls {

struct Client::Impl {
  explicit Impl(ClientConfig config) : engine(std::move(config)) {}
  handshake::ClientEngine engine;
};

Client::Client(ClientConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::start() {
  impl_->engine.start();
}

base::Expected<void, Error> Client::feed(std::span<const std::uint8_t> bytes) {
  return impl_->engine.feed(bytes);
}

void Client::feed_eof() {
  impl_->engine.feed_eof();
}

std::span<const std::uint8_t> Client::pending_output() const {
  return impl_->engine.pending_output();
}

void Client::consume_output(std::size_t n) {
  impl_->engine.consume_output(n);
}

base::Expected<void, Error> Client::write(std::span<const std::uint8_t> data) {
  return impl_->engine.write(data);
}

std::span<const std::uint8_t> Client::readable() const {
  return impl_->engine.readable();
}

void Client::consume_readable(std::size_t n) {
  impl_->engine.consume_readable(n);
}

void Client::close() {
  impl_->engine.close();
}

State Client::state() const {
  return impl_->engine.state();
}
const Negotiated& Client::negotiated() const {
  return impl_->engine.negotiated();
}
const Error& Client::error() const {
  return impl_->engine.error();
}
bool Client::peer_closed() const {
  return impl_->engine.peer_closed();
}
std::shared_ptr<const Session> Client::session() const {
  return impl_->engine.session();
}

}  // namespace edgefetch::tls
