#include "get_verbose.hpp"

#include <ctime>
#include <ostream>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "get_report.hpp"

namespace edgefetch::cli::get {
namespace {

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
         std::to_string(endpoint.port());
}

std::string yes_no(bool value) {
  return value ? "yes" : "no";
}

// Splits a request/response head into lines without their CRLF.
std::vector<std::string_view> head_lines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const auto end = head.find("\r\n");
    lines.push_back(head.substr(0, end));
    if (end == std::string_view::npos) break;
    head = head.substr(end + 2);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// "ECDHE-RSA-AES128-GCM-SHA256 / TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)"; one name
// where OpenSSL uses the IANA name (the TLS 1.3 suites).
std::string suite_text(const policy::CipherSuite& suite) {
  std::string names(suite.openssl_name);
  if (suite.rfc_name != suite.openssl_name) names += " / " + std::string(suite.rfc_name);
  return names + " (" + policy::format_code_point(suite.code) + ")";
}

// TLS 1.3: whether the one key share (for the offer's first group) was taken,
// or the server asked for another group first (one more round trip).
std::string hello_retry_text(const tls::Negotiated& n, const policy::Offer* offer) {
  if (!n.hello_retry_request) return "no (the server took the key share sent)";
  std::string text = "yes: the server asked for a share in ";
  text += n.group != nullptr ? std::string(n.group->name) : std::string("another group");
  if (offer != nullptr && !offer->groups.empty()) {
    text += " instead of " + std::string(offer->groups.front()->name);
  }
  return text + " (one more round trip)";
}

// The key exchange group: none for RSA key exchange; unknown when the
// handshake stopped before the server's key exchange (e.g. at its certificate).
std::string group_text(const tls::Negotiated& n, bool failed) {
  if (n.group != nullptr) {
    return std::string(n.group->name) + " (" + policy::format_code_point(n.group->code) + ")";
  }
  if (n.cipher_suite->key_exchange == policy::KeyExchange::rsa) return "none (RSA key exchange)";
  return failed ? "not known (the handshake stopped before the key exchange)" : "none";
}

// The signature over the key exchange (TLS 1.2: the scheme; TLS 1.3: over the
// handshake). TLS 1.0 and 1.1 have no schemes: RSA signs MD5+SHA-1, ECDSA SHA-1.
std::string signature_text(const tls::Negotiated& n, bool failed) {
  if (n.signature_scheme != nullptr) {
    return std::string(n.signature_scheme->iana_name) + " (" +
           policy::format_code_point(n.signature_scheme->code) + ")";
  }
  if (n.cipher_suite->key_exchange == policy::KeyExchange::rsa) return "none (RSA key exchange)";
  if (failed) return "not known (the handshake stopped before the server signed)";
  if (n.version < policy::ProtocolVersion::tls1_2) {
    return n.cipher_suite->authentication == policy::Authentication::ecdsa
               ? "ECDSA with SHA-1 (no signature schemes before TLS 1.2)"
               : "RSA with MD5+SHA-1 (no signature schemes before TLS 1.2)";
  }
  return "none";
}

// What the origin sent after the handshake, while the response was read;
// empty when nothing came. TLS 1.2 session tickets belong to the handshake.
std::string post_handshake_text(const tls::Negotiated& n) {
  std::vector<std::string> parts;
  if (n.version == policy::ProtocolVersion::tls1_3 && n.session_ticket_received) {
    parts.emplace_back("session tickets (checked, not kept: TLS 1.3 sessions are not resumed)");
  }
  if (n.key_updates_received > 0) {
    parts.push_back(std::to_string(n.key_updates_received) +
                    (n.key_updates_received == 1 ? " KeyUpdate" : " KeyUpdates") +
                    " (its keys changed; edgefetch followed)");
  }
  if (n.hello_requests_ignored > 0) {
    parts.push_back(std::to_string(n.hello_requests_ignored) +
                    (n.hello_requests_ignored == 1 ? " HelloRequest" : " HelloRequests") +
                    " (ignored, as the CDN ignores them)");
  }
  return parts.empty() ? std::string() : "After the handshake the origin sent " + terminal::join(parts, ", ");
}

}  // namespace

void VerboseObserver::star(const std::string& line) {
  out_ << painter_.paint("* ", terminal::Style::dim) << line << "\n";
}

void VerboseObserver::print_settings() {
  const auto& config = prepared_.config;
  star("Fetching " + prepared_.url.to_string() + " as the CDN would");
  star("ConnectionTimeout " + std::to_string(config.connection_timeout.count()) + " s, ConnectionAttempts " +
       std::to_string(config.connection_attempts) + ", OriginReadTimeout " +
       std::to_string(config.read_timeout.count()) + " s");
  if (prepared_.offer) {
    const auto& offer = *prepared_.offer;
    // The hello offers the profile's versions whatever OriginSslProtocols says;
    // its lowest selected version is the floor the server's choice must meet.
    const std::string hello_versions =
        offer.profile ? policy::version_range_name(offer.profile->min_version, offer.profile->max_version)
                      : policy::version_range_name(offer.min_version, offer.max_version);
    star("TLS offer: profile " + std::string(offer.profile ? offer.profile->name : "?") + ", versions " +
         hello_versions + " (the server's choice must be " +
         policy::version_range_name(offer.min_version, offer.max_version) + "), " +
         std::to_string(offer.cipher_suites.size()) + " suites, " + std::to_string(offer.groups.size()) +
         " groups, " + std::to_string(offer.signature_schemes.size()) + " signature schemes");
    star("Trust: " + prepared_.trust_description);
  }
}

void VerboseObserver::on_resolved(const net::Resolution& resolution) {
  const std::string host = prepared_.config.domain_name + ":" + std::to_string(prepared_.config.port);
  if (resolution.error) {
    star("Resolving " + host + " failed: " + resolution.error.message());
    return;
  }
  std::vector<std::string> addresses;
  for (const auto& endpoint : resolution.endpoints) addresses.push_back(endpoint.address().to_string());
  star("Resolved " + host + " to " + terminal::join(addresses, ", ") + " (" +
       std::string(net::resolve_source_name(resolution.source)) + ", " + format_ms(resolution.elapsed) + ")");
}

void VerboseObserver::on_connect_attempt(const net::ConnectAttempt& attempt, int max_attempts) {
  // Each try of the request has its own ConnectionAttempts: say which try a numbering restarts for.
  const std::string for_try = request_try_ > 1 ? " (request try " + std::to_string(request_try_) + ")" : "";
  const std::string head = "Connection attempt " + std::to_string(attempt.number) + " of " +
                           std::to_string(max_attempts) + for_try + " to " + endpoint_text(attempt.endpoint) +
                           ": ";
  if (attempt.outcome == net::ConnectOutcome::connected) {
    star(head + painter_.paint("connected", terminal::Style::green) + " in " + format_ms(attempt.elapsed));
  } else {
    star(head +
         painter_.paint(std::string(net::connect_outcome_name(attempt.outcome)), terminal::Style::red) +
         " after " + format_ms(attempt.elapsed) + " (" + attempt.error.message() + ")");
  }
}

void VerboseObserver::on_tls_handshake(const tls::Negotiated& n, const origin::FetchError* error) {
  if (error != nullptr) {
    star("TLS handshake " + painter_.paint("failed", terminal::Style::red) + ": " + error->code());
  } else {
    star("TLS handshake " + painter_.paint("complete", terminal::Style::green));
  }
  terminal::KeyValueList list;
  list.set_indent("    ");
  if (n.cipher_suite != nullptr) {
    const bool tls13 = n.version == policy::ProtocolVersion::tls1_3;
    list.add("Version", std::string(policy::info(n.version).openssl_name) + " (" +
                            policy::format_code_point(policy::wire(n.version)) + ")");
    list.add("Cipher", suite_text(*n.cipher_suite));
    list.add("Group", group_text(n, error != nullptr));
    list.add("Signature", signature_text(n, error != nullptr));
    if (tls13) {
      list.add("Hello retry", hello_retry_text(n, prepared_.offer ? &*prepared_.offer : nullptr));
      // RFC 8446 builds both into the key schedule and drops renegotiation: nothing to negotiate.
      list.add("Extended MS", "n/a (TLS 1.3)");
      list.add("Secure reneg.", "n/a (TLS 1.3)");
    } else {
      list.add("Extended MS", yes_no(n.extended_master_secret));
      list.add("Secure reneg.", yes_no(n.secure_renegotiation));
    }
    if (!n.alpn.empty()) list.add("ALPN", n.alpn);
  }
  if (n.certificate) {
    const auto& c = *n.certificate;
    list.add("Subject", c.subject);
    list.add("Issuer", c.issuer);
    const long days = crypto::whole_days_until(c.not_after_time, std::time(nullptr));
    list.add("Valid", c.not_before + " to " + c.not_after +
                          (days >= 0 ? " (" + std::to_string(days) + " days left)"
                                     : " (expired " + std::to_string(-days) + " days ago)"));
    list.add("Names", terminal::join(c.san, ", "));
    list.add("Key", c.key);
    if (!c.signature_algorithm.empty()) list.add("Signed with", c.signature_algorithm);
    list.add("Chain", std::to_string(n.certificate_chain.size()) + " certificate(s) sent");
  }
  if (error != nullptr && !error->message.empty()) list.add("Reason", error->message, terminal::Style::red);
  if (!list.empty()) list.render(out_, painter_);
}

void VerboseObserver::on_request_sent(std::string_view request_head) {
  for (const auto line : head_lines(request_head)) {
    out_ << painter_.paint("> ", terminal::Style::cyan) << line << "\n";
  }
  out_ << painter_.paint(">", terminal::Style::cyan) << "\n";
}

// An interim head reads like the final one: the same "< " lines, then a blank "<".
void VerboseObserver::on_interim_response(unsigned http_version, unsigned status, std::string_view reason,
                                          const std::vector<origin::Header>& headers) {
  on_response_head(http_version, status, reason, headers);
}

void VerboseObserver::on_response_head(unsigned http_version, unsigned status, std::string_view reason,
                                       const std::vector<origin::Header>& headers) {
  out_ << painter_.paint("< ", terminal::Style::blue) << "HTTP/" << http_version / 10 << "."
       << http_version % 10 << " " << status << " " << reason << "\n";
  for (const auto& header : headers) {
    out_ << painter_.paint("< ", terminal::Style::blue) << header.name << ": " << header.value << "\n";
  }
  out_ << painter_.paint("<", terminal::Style::blue) << "\n";
}

void VerboseObserver::on_retry(int next_try, int max_tries, const origin::FetchError& why) {
  request_try_ = next_try;
  star("No response (" + why.code() +
       "): the CDN drops the connection and sends GET/HEAD again: request try " + std::to_string(next_try) +
       " of " + std::to_string(max_tries));
}

void VerboseObserver::print_summary(const origin::FetchResult& result) {
  if (result.ok()) {
    std::string received = "Received " + std::to_string(result.body_bytes) + " body bytes";
    // As the edge relays it: a coded body is passed on, not decoded.
    for (const auto& header : result.headers) {
      if (base::iequals(header.name, "Content-Encoding") && !header.value.empty()) {
        received += " (Content-Encoding: " + header.value + ", written as received, not decoded)";
      }
    }
    star(received);
  }
  if (result.tls && result.tls->cipher_suite != nullptr) {
    if (const auto after = post_handshake_text(*result.tls); !after.empty()) star(after);
  }
  star("Timings: " + timings_text(result.timings));
}

}  // namespace edgefetch::cli::get
