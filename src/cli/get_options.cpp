#include "get_options.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/config/methods.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/edge/message_rewrite.hpp"
#include "edgefetch/edge/request_id.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/origin/managed_headers.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "option_checks.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::get {
namespace {

base::Unexpected<PrepareError> usage(std::string message) {
  return base::unexpected(PrepareError{2, std::move(message)});
}

base::Expected<std::vector<std::string>, std::string> parse_alpn(std::string_view text) {
  std::vector<std::string> protocols;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = base::trim_ows(text.substr(0, comma));
    if (item.empty()) return base::unexpected(std::string("--alpn: empty protocol name in the list"));
    if (item.size() > 255) {
      return base::unexpected(std::string("--alpn: a protocol name is longer than 255 bytes"));
    }
    protocols.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return protocols;
}

base::Expected<std::string, std::string> read_data(const std::string& data) {
  if (data.empty() || data.front() != '@') return data;
  const std::string path = data.substr(1);
  const auto cannot_read = [&path](const std::string& why) {
    return base::unexpected("-d @" + path + ": cannot read '" + path + "' (" + why +
                            "); -d @FILE sends the contents of FILE, -d TEXT sends TEXT itself");
  };
  if (const auto why = unreadable_file(path)) return cannot_read(*why);
  std::ifstream in(path, std::ios::binary);
  if (!in) return cannot_read("it cannot be opened");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

base::Expected<origin::Header, std::string> parse_header(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return base::unexpected("-H '" + std::string(text) + "': expected 'Name: value'");
  }
  origin::Header header{std::string(base::trim_ows(text.substr(0, colon))),
                        std::string(base::trim_ows(text.substr(colon + 1)))};
  if (!origin::is_http_token(header.name)) {
    return base::unexpected("-H '" + std::string(text) + "': '" + header.name +
                            "' is not a valid header name");
  }
  return header;
}

base::Expected<PreparedGet, PrepareError> prepare(const GetOptions& options) {
  PreparedGet prepared;

  auto url = net::parse_url(options.url);
  if (!url) return usage("invalid URL '" + options.url + "': " + url.error());
  if (auto why = trailing_dot_problem(url->host)) return usage("invalid URL '" + options.url + "': " + *why);
  prepared.url = *url;

  const policy::Profile* profile = policy::profile_by_name(options.profile);
  if (profile == nullptr) {
    return usage(unknown_profile_message(options.profile));
  }
  auto versions = policy::parse_origin_ssl_protocols(options.origin_ssl_protocols);
  if (!versions) return usage("--origin-ssl-protocols: " + versions.error());

  origin::OriginConfig& config = prepared.config;
  config.domain_name = url->host;
  config.protocol = url->scheme;
  config.port = url->port;
  config.profile = profile;
  config.origin_ssl_protocols = *versions;
  config.connection_timeout = std::chrono::seconds(options.connect_timeout);
  config.connection_attempts = options.connection_attempts;
  config.read_timeout = std::chrono::seconds(options.read_timeout);
  config.verify_certificates = !options.insecure;

  for (const auto& text : options.resolve) {
    auto entry = net::parse_resolve_override(text);
    if (!entry) return usage(entry.error());
    config.resolve_overrides.push_back(std::move(*entry));
  }
  if (!config.resolve_overrides.empty() && !net::is_ip_literal(config.domain_name) &&
      net::find_resolve_override(config.resolve_overrides, config.domain_name, config.port) == nullptr) {
    // curl ignores such an entry silently; the user meant it for this fetch.
    const std::string host_port = url->host_for_uri() + ":" + std::to_string(config.port);
    prepared.notes.push_back("no --resolve entry is for " + host_port +
                             ", so the name is resolved by DNS (an entry is " + host_port + ":ADDRESS)");
  }
  if (!options.alpn.empty()) {
    auto alpn = parse_alpn(options.alpn);
    if (!alpn) return usage(alpn.error());
    config.alpn = std::move(*alpn);
  }

  origin::Request& request = prepared.request;
  request.target = url->target;
  request.via = edge::EdgeIdentity{edge::make_host_id()}.via("1.1");
  request.request_id = edge::make_request_id();
  if (!options.host_header.empty()) request.host_header = options.host_header;
  for (const auto& text : options.headers) {
    auto header = parse_header(text);
    if (!header) return usage(header.error());
    if (base::iequals(header->name, "Host")) {
      // The Host header decides SNI and the verified name too: one source of truth.
      if (request.host_header && *request.host_header != header->value) {
        return usage("-H 'Host: " + header->value + "' conflicts with --host-header " + *request.host_header);
      }
      if (header->value.empty()) {
        return usage("-H 'Host:' cannot remove the Host header (HTTP/1.1 requires it)");
      }
      request.host_header = header->value;
      continue;
    }
    // Connection may be replaced (the README's -H 'Connection: close'); the
    // framing is edgefetch's, as the edge's is, or the request contradicts itself.
    if (origin::is_client_managed_header(header->name) && !base::iequals(header->name, "Connection")) {
      return usage("-H '" + text +
                   "': edgefetch frames the request itself, as the CDN does (Content-Length "
                   "or Transfer-Encoding for -d's body, and no TE, Trailer, Upgrade or Proxy-Connection); "
                   "leave the header out");
    }
    request.headers.push_back(std::move(*header));
  }
  if (options.data_given) {
    auto body = read_data(options.data);
    if (!body) return usage(body.error());
    request.body = std::move(*body);
  }
  request.method = !options.method.empty() ? options.method : (options.data_given ? "POST" : "GET");
  if (auto valid = origin::validate(request); !valid) return usage(valid.error());
  if (!config::is_cdn_method(request.method)) {
    return usage("-X '" + request.method +
                 "': CloudFront forwards only GET, HEAD, OPTIONS, PUT, PATCH, POST and DELETE (methods are "
                 "case-sensitive)");
  }
  if (options.data_given && (request.method == "GET" || request.method == "HEAD")) {
    // Facts 5.2: the edge answers such a viewer request itself and never sends it on.
    return usage("-d with " + request.method + ": the CDN answers a " + request.method +
                 " request with a body 403 and never sends it to the origin; use POST, PUT or PATCH");
  }
  if (auto valid = origin::validate(config); !valid) return usage(valid.error());

  if (url->scheme != net::Scheme::https) return prepared;

  prepared.offer = policy::narrow(*profile, *versions);
  if (prepared.offer->selection_had_gaps) {
    prepared.notes.push_back(
        "the OriginSslProtocols selection " + options.origin_ssl_protocols +
        " has gaps; like the CDN, edgefetch uses every version from its lowest: " +
        policy::version_range_name(prepared.offer->min_version, prepared.offer->max_version));
  }
  if (options.insecure) {
    prepared.trust_description = "none: certificate verification disabled (--insecure)";
  } else if (!options.ca_file.empty()) {
    if (const auto why = unreadable_file(options.ca_file)) {
      return usage("--ca-file '" + options.ca_file + "': cannot read it (" + *why +
                   "); give a PEM file of the CA certificates to trust");
    }
    auto store = crypto::TrustStore::from_pem_file(options.ca_file);
    if (!store) return usage("--ca-file '" + options.ca_file + "': " + store.error().message);
    config.trust_store = *store;
    prepared.trust_description = "--ca-file " + options.ca_file + " (replaces the system trust store)";
  } else {
    auto store = crypto::TrustStore::system_default();
    if (!store) {
      return base::unexpected(PrepareError{1, "cannot load the system trust store: " + store.error().message +
                                                  "; give the CA certificates with --ca-file FILE"});
    }
    config.trust_store = *store;
    prepared.trust_description = "system trust store";
  }
  return prepared;
}

}  // namespace edgefetch::cli::get
