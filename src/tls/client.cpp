// The TLS client engine (sans-IO). Placeholder: the handshake is not
// implemented yet; every method exists so the layers above can link.

#include "edgefetch/tls/client.hpp"

#include <algorithm>
#include <utility>

namespace edgefetch::tls {

struct Client::Impl {
  explicit Impl(ClientConfig c) : config(std::move(c)) {}
  ClientConfig config;
  State state = State::idle;
  Negotiated negotiated;
  Error error;
  std::vector<std::uint8_t> output;
  std::vector<std::uint8_t> readable;
  bool peer_closed = false;

  base::Unexpected<Error> fail(ErrorCode code, std::string message) {
    error = Error{code, AlertSender::none, std::nullopt, std::move(message)};
    state = State::failed;
    return base::unexpected(error);
  }
};

Client::Client(ClientConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::start() {
  if (impl_->state != State::idle) return;
  (void)impl_->fail(ErrorCode::internal_error, "not implemented yet");
}

base::Expected<void, Error> Client::feed(std::span<const std::uint8_t> /*bytes*/) {
  if (impl_->state == State::failed) return base::unexpected(impl_->error);
  return impl_->fail(ErrorCode::internal_error, "not implemented yet");
}

void Client::feed_eof() {
  if (impl_->state == State::failed) return;
  (void)impl_->fail(ErrorCode::unexpected_eof, "connection closed before the handshake completed");
}

std::span<const std::uint8_t> Client::pending_output() const {
  return impl_->output;
}

void Client::consume_output(std::size_t n) {
  auto& out = impl_->output;
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(std::min(n, out.size())));
}

base::Expected<void, Error> Client::write(std::span<const std::uint8_t> /*data*/) {
  if (impl_->state == State::failed) return base::unexpected(impl_->error);
  return base::unexpected(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt, "not connected"});
}

std::span<const std::uint8_t> Client::readable() const {
  return impl_->readable;
}

void Client::consume_readable(std::size_t n) {
  auto& in = impl_->readable;
  in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(std::min(n, in.size())));
}

void Client::close() {}

State Client::state() const {
  return impl_->state;
}
const Negotiated& Client::negotiated() const {
  return impl_->negotiated;
}
const Error& Client::error() const {
  return impl_->error;
}
bool Client::peer_closed() const {
  return impl_->peer_closed;
}

}  // namespace edgefetch::tls
