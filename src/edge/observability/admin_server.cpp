// The admin listener: /metrics and /healthz over HTTP/1.1 with Beast, one
// coroutine per connection, all on one strand.

#include "edgefetch/edge/admin_server.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

namespace edgefetch::edge {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct AdminServer::State {
  State(const asio::any_io_executor& executor, std::shared_ptr<const Metrics> m, std::function<bool()> h,
        AdminServer::Options o)
      : strand(asio::make_strand(executor)),
        acceptor(strand),
        metrics(std::move(m)),
        healthy(std::move(h)),
        options(o) {}

  asio::strand<asio::any_io_executor> strand;
  tcp::acceptor acceptor;
  tcp::endpoint local;
  const std::shared_ptr<const Metrics> metrics;
  const std::function<bool()> healthy;
  const AdminServer::Options options;
  // Touched only on the strand.
  bool stopped = false;
  std::set<beast::tcp_stream*> connections;

  static asio::awaitable<void> accept_loop(std::shared_ptr<State> state);
  static asio::awaitable<void> guarded_connection(std::shared_ptr<State> state, tcp::socket socket);
  static asio::awaitable<void> serve_connection(std::shared_ptr<State> state, tcp::socket socket);
  [[nodiscard]] http::response<http::string_body> route(
      const http::request<http::string_body>& request) const;

  void close_all() {
    stopped = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for (beast::tcp_stream* stream : connections) {
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
    }
  }
};

namespace {

std::string endpoint_text(const tcp::endpoint& endpoint) {
  std::ostringstream out;
  out << endpoint;  // "127.0.0.1:9000", "[::1]:9000"
  return out.str();
}

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response make_response(const Request& request, http::status status, std::string_view content_type,
                       std::string body) {
  Response response(status, request.version());
  response.set(http::field::server, "edgefetch-admin");
  response.set(http::field::content_type, beast::string_view(content_type.data(), content_type.size()));
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.content_length(body.size());
  if (request.method() != http::verb::head) {
    response.body() = std::move(body);
  }
  return response;
}

}  // namespace

Response AdminServer::State::route(const Request& request) const {
  std::string_view target(request.target().data(), request.target().size());
  if (const auto query = target.find('?'); query != std::string_view::npos) {
    target = target.substr(0, query);
  }
  const bool known = target == "/metrics" || target == "/healthz";
  if (!known) {
    return make_response(request, http::status::not_found, "text/plain; charset=utf-8", "not found\n");
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    Response response = make_response(request, http::status::method_not_allowed, "text/plain; charset=utf-8",
                                      "method not allowed\n");
    response.set(http::field::allow, "GET, HEAD");
    return response;
  }
  if (target == "/metrics") {
    return make_response(request, http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                         metrics ? metrics->render_prometheus() : std::string());
  }
  const bool is_healthy = !healthy || healthy();
  return is_healthy ? make_response(request, http::status::ok, "text/plain; charset=utf-8", "ok\n")
                    : make_response(request, http::status::service_unavailable, "text/plain; charset=utf-8",
                                    "unhealthy\n");
}

namespace {

// An error response for a request that could not be read; the connection closes after it.
Response make_error_response(http::status status, std::string body) {
  Response response(status, 11);
  response.set(http::field::server, "edgefetch-admin");
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.keep_alive(false);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace

asio::awaitable<void> AdminServer::State::serve_connection(std::shared_ptr<State> state, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  state->connections.insert(&stream);
  struct Unregister {
    State& state;
    beast::tcp_stream* stream;
    ~Unregister() { state.connections.erase(stream); }
  } unregister{*state, &stream};

  const AdminServer::Options& options = state->options;
  beast::flat_buffer buffer(options.max_head_bytes + options.max_body_bytes);
  boost::system::error_code ec;
  bool first = true;
  while (!state->stopped) {
    if (buffer.size() == 0 && !first) {
      // Between requests: wait for the next one's first bytes for at most the idle timeout.
      stream.expires_after(options.idle_timeout);
      const std::size_t n =
          co_await stream.async_read_some(buffer.prepare(std::min<std::size_t>(buffer.max_size(), 4096)),
                                          asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        break;  // idle timeout, viewer closed, or stop()
      }
      buffer.commit(n);
    }
    first = false;

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_head_bytes));
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(options.request_timeout);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      std::optional<Response> error;
      if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        error =
            make_error_response(http::status::request_header_fields_too_large, "request head too large\n");
      } else if (ec == http::error::body_limit) {
        error = make_error_response(http::status::payload_too_large, "request body too large\n");
      } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message) {
        error = make_error_response(http::status::bad_request, "bad request\n");
      }
      if (error && !state->stopped) {
        stream.expires_after(options.request_timeout);
        co_await http::async_write(stream, *error, asio::redirect_error(asio::use_awaitable, ec));
      }
      break;  // timeouts, resets and closes end the connection silently
    }

    Response response = state->route(parser.get());
    stream.expires_after(options.request_timeout);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !response.keep_alive()) {
      break;
    }
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

asio::awaitable<void> AdminServer::State::guarded_connection(std::shared_ptr<State> state,
                                                             tcp::socket socket) {
  try {
    co_await serve_connection(std::move(state), std::move(socket));
  } catch (const std::exception&) {
    // bad_alloc or a Beast invariant: drop this connection, keep the server.
  }
}

asio::awaitable<void> AdminServer::State::accept_loop(std::shared_ptr<State> state) {
  asio::steady_timer backoff(state->strand);
  while (!state->stopped) {
    boost::system::error_code ec;
    tcp::socket socket = co_await state->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (state->stopped || ec == asio::error::operation_aborted) {
      co_return;
    }
    if (ec) {
      // EMFILE, ENOBUFS, ...: pause instead of spinning on the error.
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (state->connections.size() >= state->options.max_connections) {
      socket.close(ec);
      continue;
    }
    asio::co_spawn(state->strand, guarded_connection(state, std::move(socket)), asio::detached);
  }
}

AdminServer::AdminServer(PassKey /*key*/, std::shared_ptr<State> state) : state_(std::move(state)) {}

AdminServer::~AdminServer() {
  stop();
}

base::Expected<std::unique_ptr<AdminServer>, std::string> AdminServer::start(
    const asio::any_io_executor& executor, const tcp::endpoint& endpoint,
    std::shared_ptr<const Metrics> metrics, std::function<bool()> healthy) {
  return start(executor, endpoint, std::move(metrics), std::move(healthy), Options{});
}

base::Expected<std::unique_ptr<AdminServer>, std::string> AdminServer::start(
    const asio::any_io_executor& executor, const tcp::endpoint& endpoint,
    std::shared_ptr<const Metrics> metrics, std::function<bool()> healthy, const Options& options) {
  auto state = std::make_shared<State>(executor, std::move(metrics), std::move(healthy), options);
  // The shape of serve's other listeners' messages: "ADDRESS:PORT: cannot listen: why".
  const auto fail = [&endpoint](const boost::system::error_code& ec) {
    return base::unexpected(endpoint_text(endpoint) + ": cannot listen: " + ec.message());
  };
  boost::system::error_code ec;
  state->acceptor.open(endpoint.protocol(), ec);
  if (ec) {
    return fail(ec);
  }
  // A restarted edge can rebind while old admin connections sit in TIME_WAIT.
  state->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) {
    return fail(ec);
  }
  state->acceptor.bind(endpoint, ec);
  if (ec) {
    return fail(ec);
  }
  state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(ec);
  }
  state->local = state->acceptor.local_endpoint(ec);
  if (ec) {
    return fail(ec);
  }
  asio::co_spawn(state->strand, State::accept_loop(state), asio::detached);
  return std::make_unique<AdminServer>(PassKey{}, std::move(state));
}

tcp::endpoint AdminServer::local_endpoint() const {
  return state_->local;
}

void AdminServer::stop() {
  asio::post(state_->strand, [state = state_] { state->close_all(); });
}

}  // namespace edgefetch::edge
