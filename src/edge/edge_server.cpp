#include "edgefetch/edge/edge_server.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "edge_state.hpp"
#include "edgefetch/edge/request_id.hpp"
#include "edgefetch/net/cancel_quietly.hpp"
#include "viewer_connection.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds kPoolStatsInterval{1};
// After the drain timeout closes the busy connections: long enough for those
// in viewer I/O to end, short against the timeout the user chose.
constexpr std::chrono::milliseconds kAbandonGrace{200};

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
         std::to_string(endpoint.port());
}

// IpAddressType: which of the origin's addresses the edge connects to. Not
// set: all of them (the facts give no default).
net::AddressFamilies address_families(std::optional<config::IpAddressType> type) {
  if (type == config::IpAddressType::ipv4) return net::AddressFamilies::ipv4_only;
  if (type == config::IpAddressType::ipv6) return net::AddressFamilies::ipv6_only;
  return net::AddressFamilies::ipv4_and_ipv6;
}

origin::OriginConfig origin_config(const config::Origin& origin, bool https, const OriginAccess& access) {
  origin::OriginConfig out;
  out.domain_name = origin.domain_name;
  out.protocol = https ? net::Scheme::https : net::Scheme::http;
  if (origin.custom) {
    out.port = origin.custom->port(https);
    out.origin_ssl_protocols = origin.custom->ssl_protocols;
    out.read_timeout = std::chrono::seconds(origin.custom->read_timeout_s);
    out.address_families = address_families(origin.custom->ip_address_type);
  } else {
    out.port = config::kDefaultHttpsPort;
    out.origin_ssl_protocols = {policy::ProtocolVersion::tls1_2};
  }
  out.profile = access.profile;
  out.connection_timeout = std::chrono::seconds(origin.connection_timeout_s);
  if (origin.response_completion_timeout_s) {
    out.response_completion_timeout = std::chrono::seconds(*origin.response_completion_timeout_s);
  }
  out.connection_attempts = origin.connection_attempts;
  out.trust_store = access.trust_store;
  out.verify_certificates = true;
  out.resolve_overrides = access.resolve_overrides;
  return out;
}

}  // namespace

std::shared_ptr<const ConfigSnapshot> make_snapshot(std::shared_ptr<const config::DistributionConfig> config,
                                                    const OriginAccess& access) {
  auto snapshot = std::make_shared<ConfigSnapshot>();
  for (const auto& origin : config->origins) {
    OriginPlan plan;
    plan.http.config = origin_config(origin, false, access);
    plan.https.config = origin_config(origin, true, access);
    for (origin::Target* target : {&plan.http, &plan.https}) {
      if (origin.custom) target->keepalive_timeout = std::chrono::seconds(origin.custom->keepalive_timeout_s);
      target->pool_id = origin.id;
    }
    snapshot->origins.emplace(origin.id, std::move(plan));
  }
  snapshot->distribution = std::move(config);
  return snapshot;
}

EdgeServer::State::State(asio::io_context& io_context, Options opts)
    : io(io_context),
      options(std::move(opts)),
      client(io_context.get_executor()),
      drain_timer(io_context),
      stats_timer(io_context) {
  identity.host_id = make_host_id();
}

void EdgeServer::State::connection_closed(ConnectionHandle* connection) {
  connections.erase(connection);
  if (options.metrics) options.metrics->add_viewer_connections(-1);
  maybe_finish_drain();
}

void EdgeServer::State::maybe_finish_drain() {
  if (!draining || stopped || !connections.empty()) return;
  finish_drain();
}

void EdgeServer::State::finish_drain() {
  if (stopped) return;
  stopped = true;
  drain_timer.cancel();
  stats_timer.cancel();
  client.close_idle(true);
  if (drained) asio::post(io, std::exchange(drained, {}));
}

void EdgeServer::State::publish_pool_stats() {
  if (!options.metrics) return;
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_origin;
  for (const auto& pool : client.stats()) {
    auto& [idle, active] = by_origin[pool.pool_id];
    idle += pool.idle;
    active += pool.active;
  }
  for (const auto& [id, counts] : by_origin) {
    options.metrics->set_pool_connections(id, counts.first, counts.second);
  }
}

asio::awaitable<void> accept_loop(std::shared_ptr<EdgeServer::State> state, tcp::acceptor* acceptor,
                                  bool tls) {
  // EMFILE and friends last while the process is out of descriptors, and
  // the viewer stays queued: back off (100 ms doubling to 1.6 s) rather than
  // spin, and log the first failure of a run and every 100th, not each one.
  constexpr std::chrono::milliseconds kFirstPause{100};
  constexpr int kMaxDoublings = 4;
  constexpr std::uint64_t kLogEvery = 100;
  std::uint64_t failures = 0;
  while (acceptor->is_open()) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) break;
      if (failures % kLogEvery == 0) {
        state->log("edgefetch serve: accept failed: " + ec.message() +
                   (failures == 0 ? std::string(" (retrying; check the open-file limit, ulimit -n)")
                                  : " (" + std::to_string(failures + 1) + " failures in a row)"));
      }
      const auto pause_for = kFirstPause * (1 << std::min<std::uint64_t>(failures, kMaxDoublings));
      ++failures;
      asio::steady_timer pause(state->io, pause_for);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (failures > 0) {
      state->log("edgefetch serve: accepting again after " + std::to_string(failures) + " failed accepts");
      failures = 0;
    }
    if (state->draining || state->connections.size() >= state->options.max_connections) {
      socket.close(ec);
      continue;
    }
    start_viewer_connection(state, std::move(socket), tls);
  }
}

base::Expected<std::unique_ptr<EdgeServer>, std::string> EdgeServer::start(
    asio::io_context& io, Options options, std::shared_ptr<const config::DistributionConfig> config) {
  auto state = std::make_shared<State>(io, std::move(options));
  state->config = make_snapshot(std::move(config), state->options.origin_access);

  const bool any_tls = std::any_of(state->options.listeners.begin(), state->options.listeners.end(),
                                   [](const Listener& l) { return l.tls; });
  if (any_tls) {
    state->tls_context.emplace(asio::ssl::context::tls_server);
    auto& context = *state->tls_context;
    boost::system::error_code ec;
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                        ec);
    context.use_certificate_chain_file(state->options.cert_file, ec);
    if (ec) return base::unexpected("--cert '" + state->options.cert_file + "': " + ec.message());
    context.use_private_key_file(state->options.key_file, asio::ssl::context::pem, ec);
    // OpenSSL compares the key with the certificate as it loads it, and says
    // "key values mismatch"; say which files disagree instead.
    const bool mismatch =
        ec && ec.category() == asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
    if (ec && !mismatch) return base::unexpected("--key '" + state->options.key_file + "': " + ec.message());
    if (mismatch || SSL_CTX_check_private_key(context.native_handle()) != 1) {
      return base::unexpected("--key '" + state->options.key_file +
                              "' does not match the certificate in --cert '" + state->options.cert_file +
                              "'");
    }
  }

  for (const auto& listener : state->options.listeners) {
    auto acceptor = std::make_unique<tcp::acceptor>(io);
    boost::system::error_code ec;
    acceptor->open(listener.endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && listener.endpoint.address().is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor->bind(listener.endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return base::unexpected(std::string(listener.tls ? "--listen-tls " : "--listen ") +
                              endpoint_text(listener.endpoint) + ": cannot listen: " + ec.message());
    }
    state->bound.push_back(Listener{acceptor->local_endpoint(), listener.tls});
    if (listener.tls && std::none_of(state->bound.begin(), state->bound.end() - 1,
                                     [](const Listener& earlier) { return earlier.tls; })) {
      state->https_port = acceptor->local_endpoint().port();
    }
    state->acceptors.push_back(std::move(acceptor));
  }
  for (std::size_t i = 0; i < state->acceptors.size(); ++i) {
    asio::co_spawn(io, accept_loop(state, state->acceptors[i].get(), state->bound[i].tls), asio::detached);
  }
  if (state->options.metrics) {
    asio::co_spawn(
        io,
        [](std::shared_ptr<State> s) -> asio::awaitable<void> {
          while (!s->stopped) {
            s->publish_pool_stats();
            s->stats_timer.expires_after(kPoolStatsInterval);
            boost::system::error_code ec;
            co_await s->stats_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          }
        }(state),
        asio::detached);
  }
  return std::unique_ptr<EdgeServer>(new EdgeServer(std::move(state)));
}

EdgeServer::EdgeServer(std::shared_ptr<State> state) : state_(std::move(state)) {}

EdgeServer::~EdgeServer() {
  boost::system::error_code ec;
  for (auto& acceptor : state_->acceptors) acceptor->close(ec);
  state_->stopped = true;
  net::cancel_quietly(state_->stats_timer);
  net::cancel_quietly(state_->drain_timer);
  // Copy: close_now() ends connections, which erase themselves later.
  const auto open = std::vector<ConnectionHandle*>(state_->connections.begin(), state_->connections.end());
  for (auto* connection : open) connection->close_now();
  state_->client.close_idle(true);
}

std::vector<Listener> EdgeServer::listening() const {
  return state_->bound;
}

void EdgeServer::reload(std::shared_ptr<const config::DistributionConfig> config) {
  state_->config = make_snapshot(std::move(config), state_->options.origin_access);
}

void EdgeServer::drain(std::function<void()> drained) {
  auto& state = *state_;
  if (state.draining) return;
  state.draining = true;
  state.drained = std::move(drained);
  boost::system::error_code ec;
  for (auto& acceptor : state.acceptors) acceptor->close(ec);
  const auto open = std::vector<ConnectionHandle*>(state.connections.begin(), state.connections.end());
  for (auto* connection : open) {
    if (connection->idle) connection->close_now();
  }
  state.client.close_idle(true);
  state.drain_timer.expires_after(state.options.drain_timeout);
  state.drain_timer.async_wait([weak = std::weak_ptr<State>(state_)](boost::system::error_code wait_error) {
    auto s = weak.lock();
    if (wait_error || !s) return;
    s->log("edgefetch serve: drain timeout reached; closing " + std::to_string(s->connections.size()) +
           " connection(s) still busy");
    const auto left = std::vector<ConnectionHandle*>(s->connections.begin(), s->connections.end());
    for (auto* connection : left) connection->close_now();
    // A request waiting on its origin (a connect, a read timeout, retries) only
    // notices the closed viewer when that wait ends, which can be minutes
    // (OriginReadTimeout x ConnectionAttempts). The drain timeout is a promise
    // to whoever sent the signal: give the closed connections a moment to
    // end, then finish without the rest.
    s->drain_timer.expires_after(kAbandonGrace);
    s->drain_timer.async_wait([weak](boost::system::error_code grace_error) {
      auto again = weak.lock();
      if (grace_error || !again || again->stopped) return;
      if (!again->connections.empty()) {
        again->log("edgefetch serve: abandoning " + std::to_string(again->connections.size()) +
                   " request(s) still waiting on their origins");
      }
      again->finish_drain();
    });
  });
  state.maybe_finish_drain();
}

bool EdgeServer::draining() const {
  return state_->draining;
}

std::size_t EdgeServer::connection_count() const {
  return state_->connections.size();
}

}  // namespace edgefetch::edge
