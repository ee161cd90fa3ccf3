#include "edgefetch/origin/config.hpp"

#include <boost/asio/ip/address.hpp>
#include <string>

#include "edgefetch/base/ascii.hpp"

namespace edgefetch::origin {
namespace {

base::Unexpected<std::string> fail(std::string message) {
  return base::unexpected(std::move(message));
}

}  // namespace

base::Expected<void, std::string> validate(const OriginConfig& config) {
  if (config.domain_name.empty()) return fail("the origin has no domain name");
  if (config.port == 0) return fail("the origin port must be 1-65535");
  if (config.connection_timeout < kMinConnectionTimeout ||
      config.connection_timeout > kMaxConnectionTimeout) {
    return fail("connection timeout " + std::to_string(config.connection_timeout.count()) +
                " s is outside the CDN's range of 1-10 s");
  }
  if (config.connection_attempts < kMinConnectionAttempts ||
      config.connection_attempts > kMaxConnectionAttempts) {
    return fail("connection attempts " + std::to_string(config.connection_attempts) +
                " is outside the CDN's range of 1-3");
  }
  if (config.read_timeout < kMinReadTimeout || config.read_timeout > kMaxReadTimeout) {
    return fail("read timeout " + std::to_string(config.read_timeout.count()) +
                " s is outside the CDN's range of 1-120 s");
  }
  if (config.response_completion_timeout && *config.response_completion_timeout < config.read_timeout) {
    return fail("response completion timeout " + std::to_string(config.response_completion_timeout->count()) +
                " s is shorter than the read timeout (" + std::to_string(config.read_timeout.count()) +
                " s); the CDN requires at least the read timeout");
  }
  if (config.protocol == net::Scheme::https && config.origin_ssl_protocols.empty()) {
    return fail("no origin SSL protocol is selected");
  }
  for (const auto& entry : config.resolve_overrides) {
    if (entry.addresses.empty()) return fail("the --resolve entry for " + entry.host + " has no address");
  }
  return {};
}

base::Expected<void, std::string> validate(const Request& request) {
  if (!base::is_http_token(request.method)) {
    return fail("'" + request.method + "' is not a valid HTTP method (letters, digits and !#$%&'*+-.^_`|~)");
  }
  if (request.target.empty() || (request.target.front() != '/' && request.target != "*")) {
    return fail("the request target must start with '/'");
  }
  for (const char c : request.target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return fail("the request target contains a space or control character");
  }
  if (request.host_header) {
    if (request.host_header->empty()) return fail("the Host header value is empty");
    if (!base::is_field_value(*request.host_header) || request.host_header->find(' ') != std::string::npos) {
      return fail("the Host header value '" + *request.host_header +
                  "' contains spaces or control characters");
    }
  }
  for (const auto& header : request.headers) {
    if (!base::is_http_token(header.name)) {
      return fail("'" + header.name + "' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)");
    }
    if (base::iequals(header.name, "Host")) {
      return fail("set the Host header with Request::host_header: it also decides SNI and the verified name");
    }
    if (!base::is_field_value(header.value)) {
      return fail("the value of header '" + header.name + "' contains a line break or control character");
    }
  }
  return {};
}

std::string tls_server_name(const OriginConfig& config, const Request& request) {
  return tls_server_name(config, request.host_header);
}

std::string tls_server_name(const OriginConfig& config, const std::optional<std::string>& host_header) {
  if (host_header) {
    // A Host value may carry a port ("name:8443"); SNI and name checks use the name.
    const std::string& host = *host_header;
    if (!host.empty() && host.front() == '[') {
      const auto close = host.find(']');
      return close == std::string::npos ? host : host.substr(1, close - 1);
    }
    const auto colon = host.find(':');
    return colon == std::string::npos ? host : host.substr(0, colon);
  }
  return config.domain_name;
}

}  // namespace edgefetch::origin
