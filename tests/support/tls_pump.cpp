#include "support/tls_pump.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "support/deadline.hpp"
#include "support/pki.hpp"
#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): char and uint8_t share representation
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Sends what the engine has queued. False (with transport_error set) on failure.
bool flush(tls::Client& client, int fd, Deadline deadline, TlsFetchResult& result) {
  const auto pending = client.pending_output();
  if (pending.empty()) return true;
  auto sent = send_all(fd, pending, deadline);
  client.consume_output(pending.size());
  if (!sent) {
    result.transport_error = "send: " + sent.error();
    return false;
  }
  return true;
}

}  // namespace

NegotiatedSummary summarize(const tls::Negotiated& negotiated) {
  NegotiatedSummary summary;
  if (negotiated.cipher_suite == nullptr) return summary;  // nothing negotiated
  summary.version = negotiated.version;
  summary.suite = negotiated.cipher_suite->code;
  summary.group = negotiated.group != nullptr ? negotiated.group->code : 0;
  summary.scheme = negotiated.signature_scheme != nullptr ? negotiated.signature_scheme->code : 0;
  return summary;
}

std::string TlsFetchResult::body() const {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

std::string TlsFetchResult::describe() const {
  std::string out = "edgefetch: " + summary.describe();
  out += handshake_complete ? ", handshake complete" : ", handshake not complete";
  if (error) {
    out += ", error " + std::string(tls::error_code_name(error.code)) + " (" + error.message + ")";
    if (error.alert) {
      out += std::string(", alert ") +
             (error.alert_sender == tls::AlertSender::server ? "from server " : "to server ") +
             tls::alert_name(*error.alert);
    }
  }
  if (!transport_error.empty()) out += ", transport: " + transport_error;
  out += ", " + std::to_string(response.size()) + " response bytes";
  return out;
}

TlsFetchResult fetch_with_edgefetch(tls::ClientConfig config, std::uint16_t port,
                                    const TlsFetchOptions& options) {
  TlsFetchResult result;
  const Deadline deadline = Deadline::after(options.timeout);
  auto socket = connect_loopback(port, deadline);
  if (!socket) {
    result.transport_error = "connect: " + socket.error();
    return result;
  }
  const int fd = socket->get();

  tls::Client client(std::move(config));
  client.start();
  bool request_sent = false;
  bool eof = false;
  std::vector<std::uint8_t> buffer(32 * 1024);

  auto finish = [&]() {
    result.handshake_complete = client.handshake_complete() || result.handshake_complete;
    result.negotiated = client.negotiated();
    result.summary = summarize(result.negotiated);
    if (client.state() == tls::State::failed) result.error = client.error();
    result.peer_close_notify = client.peer_closed();
    result.session = client.session();
    return result;
  };

  for (;;) {
    // Whatever the engine queued goes out first, including a final alert.
    if (!flush(client, fd, deadline, result)) return finish();
    if (client.state() == tls::State::failed) return finish();
    if (client.handshake_complete()) {
      result.handshake_complete = true;
      if (!request_sent) {
        if (auto written = client.write(as_bytes(options.request)); !written) return finish();
        request_sent = true;
        if (!flush(client, fd, deadline, result)) return finish();
      }
      for (auto readable = client.readable(); !readable.empty(); readable = client.readable()) {
        result.response.append(readable.begin(), readable.end());
        client.consume_readable(readable.size());
      }
    }
    if (client.peer_closed() || client.state() == tls::State::closed) {
      client.close();  // answer close_notify; the peer may already be gone
      (void)flush(client, fd, deadline, result);
      return finish();
    }
    if (eof) {
      // feed_eof already told the engine; it either failed or decided the stream ended.
      return finish();
    }
    auto n = recv_some(fd, buffer, deadline);
    if (!n) {
      result.transport_error = "recv: " + n.error();
      return finish();
    }
    if (*n == 0) {
      eof = true;
      client.feed_eof();
      continue;
    }
    (void)client.feed(std::span<const std::uint8_t>(buffer.data(), *n));
  }
}

namespace {

base::Expected<std::shared_ptr<const crypto::TrustStore>, std::string> trust_store_for(
    const std::filesystem::path& ca_file) {
  // Loading a store is the costly part of a config; tests reuse them.
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::shared_ptr<const crypto::TrustStore>> stores;
  const std::lock_guard guard(mutex);
  if (auto it = stores.find(ca_file); it != stores.end()) return it->second;
  auto store = crypto::TrustStore::from_pem_file(ca_file.string());
  if (!store)
    return base::unexpected("cannot load trust store " + ca_file.string() + ": " + store.error().message);
  stores.emplace(ca_file, *store);
  return *store;
}

}  // namespace

base::Expected<tls::ClientConfig, std::string> make_client_config(const EdgefetchClientOptions& options) {
  const policy::Profile* profile = policy::profile_by_name(options.profile);
  if (profile == nullptr) return base::unexpected("unknown profile " + options.profile);
  auto store = trust_store_for(options.ca_file.empty() ? TestPki::get().ca_file() : options.ca_file);
  if (!store) return base::unexpected(store.error());
  tls::ClientConfig config;
  config.offer = policy::narrow(*profile, options.origin_ssl_protocols);
  config.server_name = options.server_name;
  config.verify_name = options.verify_name;
  config.trust_store = std::move(*store);
  config.verify_certificates = true;
  return config;
}

}  // namespace edgefetch::support
