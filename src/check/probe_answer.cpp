#include "check/probe_answer.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "tls/codec/byte_reader.hpp"
#include "tls/messages/alert.hpp"
#include "tls/messages/certificate.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/server_hello.hpp"
#include "tls/messages/server_key_exchange.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::check {

namespace {

// RFC 8446 §4.1.3: SHA-256("HelloRetryRequest").
constexpr std::array<std::uint8_t, 32> kHelloRetryRequestRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

}  // namespace

bool is_hello_retry_request_random(std::span<const std::uint8_t> random) {
  return std::equal(random.begin(), random.end(), kHelloRetryRequestRandom.begin(),
                    kHelloRetryRequestRandom.end());
}

namespace detail {

namespace {

using tls::codec::ByteReader;
namespace ext = tls::messages::extension;
using tls::messages::HandshakeType;

struct ExtensionBody {
  std::uint16_t type = 0;
  std::span<const std::uint8_t> body;
};

// The extensions of a ServerHello body that decode_server_hello accepted.
std::vector<ExtensionBody> server_hello_extensions(std::span<const std::uint8_t> body) {
  std::vector<ExtensionBody> out;
  ByteReader r(body);
  std::uint16_t u16 = 0;
  std::uint8_t u8 = 0;
  std::span<const std::uint8_t> skipped;
  if (!r.read_u16(u16) || !r.skip(tls::messages::kRandomLength) || !r.read_u8_prefixed_bytes(skipped) ||
      !r.read_u16(u16) || !r.read_u8(u8)) {
    return out;
  }
  ByteReader extensions;
  if (!r.read_u16_prefixed(extensions)) return out;
  while (!extensions.empty()) {
    ExtensionBody e;
    if (!extensions.read_u16(e.type) || !extensions.read_u16_prefixed_bytes(e.body)) break;
    out.push_back(e);
  }
  return out;
}

// The SSLv2 record header (RFC 6101 Appendix E): a 2-byte length with the high
// bit set, then the message type; SERVER-HELLO is 4.
bool looks_like_sslv2_server_hello(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 3 && (bytes[0] & 0x80) != 0 && bytes[2] == 4;
}

int bit_length(std::span<const std::uint8_t> big_endian) {
  std::size_t i = 0;
  while (i < big_endian.size() && big_endian[i] == 0) ++i;
  if (i == big_endian.size()) return 0;
  int bits = static_cast<int>((big_endian.size() - i - 1) * 8);
  for (std::uint8_t top = big_endian[i]; top != 0; top = static_cast<std::uint8_t>(top >> 1)) ++bits;
  return bits;
}

}  // namespace

AnswerReader::AnswerReader(ReadDepth depth, bool tls13_offered)
    : depth_(depth), tls13_offered_(tls13_offered) {}

void AnswerReader::fail(ProbeOutcome outcome, std::string detail) {
  if (!have_server_hello_) {
    result_.outcome = outcome;
  }
  if (result_.detail.empty()) {
    result_.detail = std::move(detail);
  } else if (detail_is_warning_) {
    // The warning was only a note; the failure is the answer's detail.
    result_.detail = std::move(detail) + " (after a " + result_.detail + ")";
    detail_is_warning_ = false;
  }
  finish();
}

bool AnswerReader::feed(std::span<const std::uint8_t> bytes) {
  if (done_) return true;
  if (records_.records_read() == 0 && result_.bytes_read == 0 && looks_like_sslv2_server_hello(bytes)) {
    result_.bytes_read += bytes.size();
    fail(ProbeOutcome::not_tls, "the server answered with an SSLv2 ServerHello (SSL 2.0 only)");
    return true;
  }
  result_.bytes_read += bytes.size();
  records_.feed(bytes);
  process();
  return done_;
}

void AnswerReader::feed_eof(bool reset) {
  if (done_) return;
  if (have_server_hello_) {
    finish();
    return;
  }
  std::string what = reset ? "the server reset the connection" : "the server closed the connection";
  if (records_.has_partial_record()) {
    what += " in the middle of a record";
  } else if (result_.bytes_read == 0) {
    what += " without answering the ClientHello";
  } else {
    what += " before sending a ServerHello";
  }
  fail(ProbeOutcome::closed, what);
}

void AnswerReader::timed_out() {
  if (done_) return;
  if (have_server_hello_) {
    if (result_.detail.empty()) result_.detail = "the rest of the server's flight did not arrive in time";
    finish();
    return;
  }
  fail(ProbeOutcome::timeout, result_.bytes_read == 0
                                  ? "no answer to the ClientHello within the deadline"
                                  : "the server's answer was incomplete at the deadline (" +
                                        std::to_string(result_.bytes_read) + " bytes)");
}

void AnswerReader::process() {
  while (!done_) {
    auto next = records_.next();
    if (!next) {
      const tls::Error& error = next.error();
      fail(error.code == tls::ErrorCode::not_tls ? ProbeOutcome::not_tls : ProbeOutcome::malformed,
           error.message);
      return;
    }
    if (!*next) return;  // need more bytes
    const tls::RecordView record = **next;
    on_record(record.type, record.version, record.fragment);
  }
}

void AnswerReader::on_record(tls::ContentType type, std::uint16_t version,
                             std::span<const std::uint8_t> fragment) {
  switch (type) {
    case tls::ContentType::alert: {
      auto alert = tls::messages::decode_alert(fragment);
      if (!alert) {
        fail(ProbeOutcome::malformed, "malformed alert record: " + alert.error().message);
        return;
      }
      result_.alert_level = static_cast<std::uint8_t>(alert->level);
      result_.alert_description = alert->description;
      // RFC 6066 §3: a server that does not know the SNI name may say so with a
      // warning and go on with the handshake; other warnings are ignorable too,
      // except close_notify, which ends the connection.
      if (alert->level == tls::messages::AlertLevel::warning &&
          alert->description != tls::alert_description::kCloseNotify) {
        if (!have_server_hello_) {
          result_.detail = "warning alert " + tls::alert_name(alert->description) + " from the server";
          detail_is_warning_ = true;
        }
        return;
      }
      fail(ProbeOutcome::alert,
           std::string(alert->level == tls::messages::AlertLevel::fatal ? "fatal" : "warning") + " alert " +
               tls::alert_name(alert->description) + " from the server");
      return;
    }
    case tls::ContentType::handshake: {
      if (!have_server_hello_ && result_.record_version == 0) result_.record_version = version;
      assembler_.add(fragment);
      while (!done_) {
        auto message = assembler_.next();
        if (!message) {
          fail(ProbeOutcome::malformed, message.error().message);
          return;
        }
        if (!*message) return;
        on_message((*message)->type, (*message)->body);
      }
      return;
    }
    case tls::ContentType::change_cipher_spec:
    case tls::ContentType::application_data:
      if (!have_server_hello_) {
        fail(ProbeOutcome::malformed,
             "the server sent " +
                 std::string(type == tls::ContentType::change_cipher_spec ? "a ChangeCipherSpec"
                                                                          : "an application data record") +
                 " before its ServerHello");
        return;
      }
      finish();  // what follows is encrypted (or a session we did not ask for)
      return;
  }
}

void AnswerReader::on_message(std::uint8_t type, std::span<const std::uint8_t> body) {
  if (!have_server_hello_) {
    if (type != static_cast<std::uint8_t>(HandshakeType::server_hello)) {
      fail(ProbeOutcome::malformed, "the server's first handshake message is " +
                                        std::string(tls::messages::handshake_type_name(type)) +
                                        ", not ServerHello");
      return;
    }
    on_server_hello(body);
    return;
  }
  const bool tls12_or_below = result_.version.value_or(0) <= 0x0303;
  const auto suite = suite_names(result_.cipher_suite.value_or(0));
  switch (static_cast<HandshakeType>(type)) {
    case HandshakeType::certificate: {
      auto certificate = tls::messages::decode_certificate(body);
      if (!certificate) {
        result_.detail = "malformed Certificate: " + certificate.error().message;
        finish();
        return;
      }
      result_.certificate_chain = std::move(certificate->chain);
      const bool no_key_exchange_message = suite && suite->key_exchange == SuiteKeyExchange::rsa;
      if (depth_ == ReadDepth::certificate || no_key_exchange_message) finish();
      return;
    }
    case HandshakeType::server_key_exchange:
      if (tls12_or_below) on_server_key_exchange(body);
      finish();
      return;
    case HandshakeType::server_hello_done:
      result_.server_hello_done = true;
      finish();
      return;
    case HandshakeType::certificate_request:
      return;
    default:
      if (type == 22) return;  // CertificateStatus (RFC 6066 §8): between Certificate and ServerKeyExchange
      finish();
      return;
  }
}

void AnswerReader::on_server_hello(std::span<const std::uint8_t> body) {
  auto decoded = tls::messages::decode_server_hello(body);
  if (!decoded) {
    fail(ProbeOutcome::malformed, "malformed ServerHello: " + decoded.error().message);
    return;
  }
  const tls::messages::ServerHello& hello = *decoded;
  have_server_hello_ = true;
  result_.outcome = ProbeOutcome::server_hello;
  result_.server_hello_version = hello.version;
  result_.version = hello.version;
  result_.cipher_suite = hello.cipher_suite;
  result_.extensions = hello.extensions;
  result_.renegotiation_info = hello.renegotiation_info.has_value();
  result_.extended_master_secret = hello.extended_master_secret;
  result_.server_name_acknowledged = hello.server_name_ack;
  result_.hello_retry_request = is_hello_retry_request_random(hello.random);

  std::span<const std::uint8_t> key_share;
  bool has_key_share = false;
  for (const ExtensionBody& e : server_hello_extensions(body)) {
    if (e.type == ext::kSupportedVersions) {
      ByteReader r(e.body);
      std::uint16_t selected = 0;
      if (!r.read_u16(selected) || !r.empty()) {
        result_.detail = "malformed supported_versions extension in the ServerHello";
        finish();
        return;
      }
      result_.version = selected;
    } else if (e.type == ext::kKeyShare) {
      key_share = e.body;
      has_key_share = true;
    }
  }
  const bool tls13 = result_.version == 0x0304;
  if (tls13 && !tls13_offered_) {
    result_.detail = "the server chose TLS 1.3, which the ClientHello did not offer";
  }
  if (has_key_share) {
    ByteReader r(key_share);
    std::uint16_t group = 0;
    if (r.read_u16(group)) result_.group = group;  // HRR: selected_group; ServerHello: KeyShareEntry.group
  }
  if (tls13 || result_.hello_retry_request || depth_ == ReadDepth::server_hello) finish();
}

void AnswerReader::on_server_key_exchange(std::span<const std::uint8_t> body) {
  const auto suite = suite_names(result_.cipher_suite.value_or(0));
  const bool with_scheme = result_.version.value_or(0) >= 0x0303;
  if (!suite) return;
  if (suite->key_exchange == SuiteKeyExchange::ecdhe) {
    auto ske = tls::messages::decode_ecdhe_server_key_exchange(body, with_scheme);
    if (!ske) {
      result_.detail = "ServerKeyExchange: " + ske.error().message;
      return;
    }
    result_.group = ske->named_group;
    // Anonymous ECDH signs nothing: decode_ecdhe_server_key_exchange insists on
    // a signature, so those never reach here with a scheme.
    result_.signature_scheme = ske->signature_scheme;
    return;
  }
  if (suite->key_exchange == SuiteKeyExchange::dhe) {
    // ServerDHParams (RFC 5246 §7.4.3): dh_p, dh_g, dh_Ys, each u16-prefixed; then the signature.
    ByteReader r(body);
    std::span<const std::uint8_t> p;
    std::span<const std::uint8_t> g;
    std::span<const std::uint8_t> ys;
    if (!r.read_u16_prefixed_bytes(p) || !r.read_u16_prefixed_bytes(g) || !r.read_u16_prefixed_bytes(ys)) {
      result_.detail = "ServerKeyExchange: DH parameters are truncated";
      return;
    }
    result_.dhe_prime_bits = bit_length(p);
    std::uint16_t scheme = 0;
    if (with_scheme && suite->authentication != SuiteAuthentication::anonymous && r.read_u16(scheme)) {
      result_.signature_scheme = scheme;
    }
  }
}

}  // namespace detail
}  // namespace edgefetch::check
