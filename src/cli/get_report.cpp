#include "get_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "commands.hpp"
#include "edgefetch/net/url.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::cli::get {
namespace {

using Json = nlohmann::ordered_json;

double to_ms(origin::Duration duration) {
  const double ms = std::chrono::duration<double, std::milli>(duration).count();
  return std::round(ms * 1000.0) / 1000.0;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
         std::to_string(endpoint.port());
}

Json headers_json(const std::vector<origin::Header>& headers) {
  Json object = Json::object();
  for (const auto& header : headers) {
    const std::string key = lower(header.name);
    if (!object.contains(key)) {
      object[key] = header.value;
    } else if (object[key].is_array()) {
      object[key].push_back(header.value);
    } else {
      object[key] = Json::array({object[key], header.value});
    }
  }
  return object;
}

// The header fields as they came: one {name, value} per field line, names as
// the origin spelled them. `headers` folds repeats into an array and
// lower-cases names; this keeps what that loses (the order of the fields, the
// spelling) in one shape a consumer need not test for. The order is the
// fetch's: Beast's fields container, which moves a repeated field's later
// lines up next to its first.
Json header_fields_json(const std::vector<origin::Header>& headers) {
  Json fields = Json::array();
  for (const auto& header : headers) fields.push_back({{"name", header.name}, {"value", header.value}});
  return fields;
}

Json tls_json(const origin::FetchResult& result) {
  Json tls = Json::object();
  if (result.tls) {
    const tls::Negotiated& n = *result.tls;
    // The suite is set once the ServerHello was accepted: only then are the version and suite facts.
    if (n.cipher_suite != nullptr) {
      tls["version"] = {{"name", policy::info(n.version).openssl_name},
                        {"code", policy::format_code_point(policy::wire(n.version))}};
      tls["cipher"] = {{"openssl", n.cipher_suite->openssl_name},
                       {"rfc", n.cipher_suite->rfc_name},
                       {"code", policy::format_code_point(n.cipher_suite->code)}};
    }
    if (n.group != nullptr) {
      tls["group"] = {{"name", n.group->name}, {"code", policy::format_code_point(n.group->code)}};
    }
    if (n.signature_scheme != nullptr) {
      tls["signature_scheme"] = {{"name", n.signature_scheme->iana_name},
                                 {"code", policy::format_code_point(n.signature_scheme->code)}};
    }
    if (n.certificate) {
      const auto& c = *n.certificate;
      tls["certificate"] = {{"subject", c.subject},
                            {"issuer", c.issuer},
                            {"not_before", c.not_before},
                            {"not_after", c.not_after},
                            {"san", c.san},
                            {"key", c.key},
                            {"signature_algorithm", c.signature_algorithm}};
    }
    if (n.cipher_suite != nullptr && n.version == policy::ProtocolVersion::tls1_3) {
      // RFC 8446 has neither extension (both are built into TLS 1.3), but it may take a HelloRetryRequest.
      tls["hello_retry_request"] = n.hello_retry_request;
      // KeyUpdates the origin sent while the response was read; each was followed.
      tls["key_updates_received"] = n.key_updates_received;
    } else if (n.cipher_suite != nullptr) {
      tls["extended_master_secret"] = n.extended_master_secret;
      tls["secure_renegotiation"] = n.secure_renegotiation;
      // HelloRequests after the handshake, ignored as the CDN ignores them (warnings[] says so too).
      tls["hello_requests_ignored"] = n.hello_requests_ignored;
    }
    if (!n.alpn.empty()) tls["alpn"] = n.alpn;
  }
  // Warning alerts the origin sent and the connection went on after (warnings[] says what they mean at the
  // edge).
  Json warning_alerts = Json::array();
  if (result.tls) {
    for (const std::uint8_t description : result.tls->warning_alerts) {
      warning_alerts.push_back(tls::alert_name(description));
    }
  }
  tls["warning_alerts"] = std::move(warning_alerts);
  tls["server_name"] = result.server_name;
  // What went out as SNI: an IP address never does (RFC 6066 3), though the
  // certificate is still checked against it.
  tls["sni"] = net::is_ip_literal(result.server_name) || result.server_name.empty()
                   ? Json(nullptr)
                   : Json(result.server_name);
  return tls;
}

Json timings_json(const origin::Timings& t) {
  Json timings = Json::object();
  if (t.dns) timings["dns"] = to_ms(*t.dns);
  if (t.connect) timings["connect"] = to_ms(*t.connect);
  if (t.tls) timings["tls"] = to_ms(*t.tls);
  if (t.first_byte) timings["first_byte"] = to_ms(*t.first_byte);
  timings["total"] = to_ms(t.total);
  return timings;
}

std::string_view sender_name(tls::AlertSender sender) {
  switch (sender) {
    case tls::AlertSender::client:
      return "edgefetch";
    case tls::AlertSender::server:
      return "server";
    case tls::AlertSender::none:
      break;
  }
  return "none";
}

// What the CDN's viewer gets for a failed fetch: the error's 502 or 504, or
// the origin's own status when its head had arrived before the failure.
int viewer_status(const origin::FetchResult& result) {
  return result.status != 0 ? static_cast<int>(result.status) : result.error->cdn_status();
}

std::string seconds(std::chrono::seconds s) {
  return std::to_string(s.count()) + " s";
}

// What to do, per failure: the part of a message that turns a diagnosis into a fix.
std::string hint(const PreparedGet& prepared, const origin::FetchResult& result) {
  const origin::FetchError& error = *result.error;
  const auto& config = prepared.config;
  const std::string port = std::to_string(config.port);
  switch (error.kind) {
    case origin::FailureKind::dns_failure:
      return "Check the origin's domain name, or test a specific address with --resolve " +
             config.domain_name + ":" + port + ":ADDRESS.";
    case origin::FailureKind::connection_refused:
      return "Check that the origin listens on port " + port +
             " and that its firewall or security group admits the CDN's address ranges.";
    case origin::FailureKind::connect_timeout:
    case origin::FailureKind::host_unreachable:
      return "Packets to the origin go unanswered: check the firewall/security group and routing. The CDN "
             "waits ConnectionTimeout x ConnectionAttempts (" +
             seconds(config.connection_timeout) + " x " + std::to_string(config.connection_attempts) +
             " here) before answering 504.";
    case origin::FailureKind::tls_handshake_timeout:
      return "The origin accepted the TCP connection but did not complete the TLS handshake: is port " +
             port + " really a TLS port?";
    case origin::FailureKind::read_timeout:
      return "The origin took longer than the origin read timeout (" + seconds(config.read_timeout) +
             "; --read-timeout, the CDN allows up to 120 s). Make the origin answer sooner or raise the "
             "timeout in the distribution.";
    case origin::FailureKind::connection_reset:
      if (error.phase == origin::Phase::tls_handshake) {
        return "The origin, or a firewall or load balancer in front of it, reset the connection during the "
               "TLS "
               "handshake; some TLS servers do this instead of an alert when they accept nothing in the "
               "ClientHello. Check the origin's TLS configuration ('edgefetch check') and logs.";
      }
      [[fallthrough]];
    case origin::FailureKind::connection_closed:
      // Some TLS servers (openssl s_server among them) close on a plain HTTP
      // request without a word, which looks like any other dropped connection.
      // Once a response head came the port plainly speaks HTTP.
      if (config.protocol == net::Scheme::http && error.phase == origin::Phase::response &&
          result.status == 0) {
        return "Check the origin's logs for why it dropped the connection. If port " + port +
               " speaks TLS, use https://.";
      }
      return "Check the origin's logs for why it dropped the connection.";
    case origin::FailureKind::invalid_response:
      // Over TLS the port surely speaks TLS, and a parsed head says it speaks
      // HTTP: then its HTTP is what is wrong.
      if (config.protocol == net::Scheme::https || result.status != 0) {
        return "The origin's HTTP/1.1 response breaks the protocol, which the CDN answers with 502: fix the "
               "origin's response (the message above says which part).";
      }
      return "The port does not speak HTTP/1.1 as expected (is it a TLS port reached with http://?).";
    case origin::FailureKind::request_body_timeout:
      return "The origin stopped reading the request body: check its upload size limit (nginx "
             "client_max_body_size, Apache LimitRequestBody) and how long it waits for a body.";
    case origin::FailureKind::response_headers_too_large:
      return "Trim the response headers (cookies, CSP) below the CDN's limit.";
    case origin::FailureKind::tls:
      break;
    default:
      return "";
  }
  if (!error.tls) return "";
  switch (error.tls->code) {
    case tls::ErrorCode::cert_name_mismatch:
      if (net::is_ip_literal(result.server_name)) {
        // An address is matched against the SAN's IP entries only (RFC 6125), and the CDN takes no
        // address as the origin's domain.
        return "An IP address is checked against the IP address entries of the certificate's SAN, and no "
               "DNS name matches it: the certificate must list " +
               result.server_name +
               " as an IP address. The CDN, though, requires a DNS name as the origin domain and checks the "
               "certificate for that name: fetch https://NAME:" +
               port + "/ with --resolve NAME:" + port + ":" + result.server_name + " instead.";
      }
      return "The certificate must name '" + result.server_name +
             "' (a DNS name in its SAN; a wildcard stands for exactly one label and needs two more after "
             "it: *.example.com, not *.com). When the CDN forwards the viewer's Host header, the name "
             "checked "
             "is that Host: test it with --host-header NAME.";
    case tls::ErrorCode::cert_untrusted:
      return "The chain must lead to a CA the CDN trusts (Mozilla's list); self-signed certificates never "
             "work. For a private test CA, give it with --ca-file FILE.";
    case tls::ErrorCode::cert_expired:
      return "Renew the origin's certificate (or fix an expired intermediate in its chain).";
    case tls::ErrorCode::cert_not_yet_valid:
      return "The certificate is not valid yet: check its dates and the server's clock.";
    case tls::ErrorCode::cert_incomplete_chain:
      return "Configure the origin to send its intermediate certificate(s) after the leaf; the CDN does not "
             "fetch missing intermediates.";
    case tls::ErrorCode::cert_key_unsupported:
      return "Use an RSA (2048-4096 bit) or ECDSA P-256/P-384 certificate.";
    case tls::ErrorCode::no_shared_version:
    case tls::ErrorCode::version_not_allowed: {
      std::string text =
          "The origin's TLS versions and the allowed OriginSslProtocols (--origin-ssl-protocols) do not "
          "overlap: enable TLS 1.2 on the origin.";
      if (prepared.offer && prepared.offer->max_version < policy::ProtocolVersion::tls1_3) {
        text += " If the origin speaks only TLS 1.3: the " +
                std::string(prepared.offer->profile ? prepared.offer->profile->name : "chosen") +
                " policy offers at most " +
                std::string(policy::info(prepared.offer->max_version).openssl_name) +
                "; the CDN's 2025 policies offer TLS 1.3 (test with --profile cloudfront-2025).";
      }
      return text;
    }
    case tls::ErrorCode::no_shared_cipher:
      if (error.tls->alert_sender == tls::AlertSender::server) {
        // handshake_failure says nothing of what the server missed.
        return "The origin's handshake_failure does not say what it lacks: a cipher suite, a group "
               "(X25519, P-256, P-384) or a signature scheme of the CDN's offer ('edgefetch ciphers' lists "
               "them). 'edgefetch check " +
               config.domain_name + ":" + port + "' finds which.";
      }
      return "Enable on the origin one of the suites the CDN offers ('edgefetch ciphers' lists them).";
    case tls::ErrorCode::no_shared_group:
      return "Enable X25519, P-256 or P-384 for ECDHE on the origin ('edgefetch ciphers groups').";
    case tls::ErrorCode::no_shared_signature_scheme:
      return "Let the origin sign with one of the offered schemes ('edgefetch ciphers sigalgs').";
    case tls::ErrorCode::not_tls:
      return "The port answered without TLS (plain HTTP?): use http:// or the origin's HTTPS port.";
    case tls::ErrorCode::unexpected_eof:
      return "The origin hung up during the handshake; servers often do this when they accept none of the "
             "offered suites or versions. Check its TLS configuration and logs.";
    case tls::ErrorCode::client_certificate_required:
      return "The origin requires a client certificate. The CDN presents one only when the origin is "
             "configured for origin mTLS (OriginMtlsConfig.ClientCertificateArn); otherwise make client "
             "certificates optional on the origin (nginx: ssl_verify_client optional).";
    case tls::ErrorCode::renegotiation_refused:
      return "The CDN supports no renegotiation: disable it on the origin (e.g. client-certificate "
             "renegotiation for a path).";
    default:
      return "";
  }
}

}  // namespace

std::string format_ms(origin::Duration duration) {
  return fmt::format("{:.3f} ms", to_ms(duration));
}

std::string timings_text(const origin::Timings& t) {
  std::vector<std::string> parts;
  if (t.dns) parts.push_back("dns " + format_ms(*t.dns));
  if (t.connect) parts.push_back("connect " + format_ms(*t.connect));
  if (t.tls) parts.push_back("tls " + format_ms(*t.tls));
  if (t.first_byte) parts.push_back("first byte " + format_ms(*t.first_byte));
  parts.push_back("total " + format_ms(t.total));
  return terminal::join(parts, ", ");
}

Json result_json(const PreparedGet& prepared, const origin::FetchResult& result,
                 const std::vector<std::string>& warnings) {
  Json document = Json::object();
  document["url"] = prepared.url.to_string();
  // Also when the body then failed: the head is what a truncated download is debugged with.
  if (result.ok() || result.status != 0) {
    document["status"] = result.status;
    document["headers"] = headers_json(result.headers);
    document["header_fields"] = header_fields_json(result.headers);
    document["body_bytes"] = result.body_bytes;
  }
  if (result.tls_used) document["tls"] = tls_json(result);
  document["timings_ms"] = timings_json(result.timings);
  Json attempts = Json::array();
  for (const auto& attempt : result.connect_attempts) {
    attempts.push_back({{"address", endpoint_text(attempt.endpoint)},
                        {"outcome", net::connect_outcome_name(attempt.outcome)},
                        {"ms", to_ms(attempt.elapsed)}});
  }
  document["attempts"] = attempts;
  document["warnings"] = warnings;
  if (result.error) {
    const auto& error = *result.error;
    Json error_json = {{"code", error.code()},
                       {"message", error.message},
                       {"cdn_status", viewer_status(result)},
                       {"phase", origin::phase_name(error.phase)}};
    if (error.tls && error.tls->alert) {
      error_json["alert"] = {{"name", tls::alert_name(*error.tls->alert)},
                             {"code", *error.tls->alert},
                             {"sent_by", sender_name(error.tls->alert_sender)}};
    }
    document["error"] = error_json;
  }
  return document;
}

std::string error_text(const PreparedGet& prepared, const origin::FetchResult& result,
                       const terminal::Painter& painter) {
  const origin::FetchError& error = *result.error;
  std::string where = prepared.config.domain_name + ":" + std::to_string(prepared.config.port);
  if (result.remote) where = endpoint_text(*result.remote);
  std::string out = painter.paint("edgefetch: error: " + error.code(), terminal::Style::red) + " (" +
                    std::string(origin::phase_name(error.phase)) + ", " + where + ")\n";
  out += "  " + error.message + "\n";
  if (error.tls && error.tls->alert) {
    out += "  Alert " + tls::alert_name(*error.tls->alert) + " (" + std::to_string(*error.tls->alert) +
           ") sent by " + std::string(sender_name(error.tls->alert_sender)) + ".\n";
  }
  if (result.status != 0) {
    // The edge streams the head before the body (as serve does): the viewer
    // has the origin's status already, and the body ends short.
    out += "  The origin's " + std::to_string(result.status) +
           " had arrived: the CDN would have sent it on to its viewer, with the body cut short (and not "
           "cached).\n";
  } else {
    out += "  The CDN would answer its viewer " + std::to_string(error.cdn_status()) + ".\n";
  }
  const std::string what_to_do = hint(prepared, result);
  if (!what_to_do.empty()) out += "  " + what_to_do + "\n";
  return out;
}

int exit_code(const origin::FetchResult& result) {
  if (!result.error) return kExitOk;
  switch (result.error->kind) {
    case origin::FailureKind::tls:
      return kExitTlsFailure;
    case origin::FailureKind::invalid_config:
      return kExitUsage;
    case origin::FailureKind::body_sink_failed:
    case origin::FailureKind::internal_error:
      return kExitInternal;
    default:
      return kExitConnection;
  }
}

}  // namespace edgefetch::cli::get
