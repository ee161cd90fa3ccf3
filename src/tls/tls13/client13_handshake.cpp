// Client13: the handshake messages, ServerHello to the client's Finished, and
// the post-handshake NewSessionTicket and KeyUpdate.

#include <algorithm>
#include <array>
#include <string>

#include "edgefetch/crypto/constant_time.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "tls/codec/byte_reader.hpp"
#include "tls/codec/byte_writer.hpp"
#include "tls/handshake/certificate_checks.hpp"
#include "tls/messages/finished.hpp"
#include "tls/messages/handshake_header.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/tls13/certificate13.hpp"
#include "tls/tls13/certificate_verify13.hpp"
#include "tls/tls13/client13.hpp"
#include "tls/tls13/encrypted_extensions.hpp"
#include "tls/tls13/post_handshake13.hpp"

namespace edgefetch::tls::tls13 {

namespace ad = alert_description;
using messages::client_error;
using messages::illegal_parameter;
using Direction = RecordProtection13::Direction;

namespace {

constexpr std::uint16_t kTls13 = 0x0304;
constexpr std::uint8_t kHandshakeTypeMessageHash = 254;
constexpr std::uint8_t kMissingExtension = 109;  // RFC 8446 §6.2

bool contains(std::span<const std::uint16_t> list, std::uint16_t value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string group_text(std::uint16_t code) {
  const auto* group = policy::named_group_by_code(code);
  return (group != nullptr ? std::string(group->name) + " " : std::string()) + "(" +
         policy::format_code_point(code) + ")";
}

// The extensions RFC 8446 §4.2 allows in a ServerHello / HelloRetryRequest.
bool allowed_in_server_hello(std::uint16_t type, bool retry) {
  if (type == extension13::kSupportedVersions || type == extension13::kKeyShare) return true;
  if (retry) return type == extension13::kCookie;
  return type == extension13::kPreSharedKey;
}

std::vector<std::uint8_t> empty_certificate13(std::span<const std::uint8_t> context) {
  codec::ByteWriter w;
  {
    auto header = messages::begin_handshake(w, messages::HandshakeType::certificate);
    w.u8_prefixed_bytes(context);
    w.u24(0);
  }
  return w.take();
}

}  // namespace

base::Expected<void, Error> Client13::check_server_hello_fields(const ServerHello13& hello) {
  const char* what = hello.hello_retry_request ? "HelloRetryRequest" : "ServerHello";
  if (hello.selected_version != kTls13) {
    return fail(illegal_parameter(std::string(what) + " after a HelloRetryRequest does not select TLS 1.3"));
  }
  if (hello.legacy_version != 0x0303) {
    return fail(illegal_parameter(std::string(what) + " legacy_version is not 0x0303"));
  }
  if (hello.legacy_session_id_echo != own_hello_.session_id) {
    return fail(illegal_parameter(std::string(what) + " does not echo the legacy_session_id"));
  }
  if (hello.legacy_compression_method != 0) {
    return fail(illegal_parameter(std::string(what) + " selects a compression method"));
  }
  const auto* suite = policy::cipher_suite_by_code(hello.cipher_suite);
  if (suite == nullptr || !contains(own_hello_.cipher_suites, hello.cipher_suite) ||
      !suite->valid_in(policy::ProtocolVersion::tls1_3)) {
    return fail(client_error(ErrorCode::no_shared_cipher, ad::kIllegalParameter,
                             std::string(what) + " selects cipher suite " +
                                 policy::format_code_point(hello.cipher_suite) +
                                 ", which the ClientHello did not offer for TLS 1.3"));
  }
  if (retry_suite_ && *retry_suite_ != hello.cipher_suite) {
    return fail(illegal_parameter("ServerHello selects another cipher suite than the HelloRetryRequest"));
  }
  for (const std::uint16_t type : hello.extensions) {
    // RFC 8446 §4.2: the cookie is the one extension a HelloRetryRequest may carry unasked.
    const bool unasked_cookie = hello.hello_retry_request && type == extension13::kCookie;
    if (!own_hello_.offers_extension(type) && !unasked_cookie) {
      return fail(client_error(ErrorCode::protocol_violation, ad::kUnsupportedExtension,
                               std::string(what) + " carries the " + messages::extension_name(type) +
                                   " extension, which the ClientHello did not offer"));
    }
    if (!allowed_in_server_hello(type, hello.hello_retry_request)) {
      return fail(illegal_parameter(std::string(what) + " carries the " + messages::extension_name(type) +
                                    " extension, which TLS 1.3 does not allow there"));
    }
  }
  return {};
}

base::Expected<void, Error> Client13::on_server_hello(std::span<const std::uint8_t> message) {
  // One middlebox-compatibility ChangeCipherSpec may follow each ServerHello or
  // HelloRetryRequest (RFC 8446 §D.4; SunJSSE sends one after both).
  dropped_ccs_ = 0;
  if (message.size() < messages::kHandshakeHeaderLength) return unexpected_message("truncated ServerHello");
  auto hello = decode_server_hello13(message.subspan(messages::kHandshakeHeaderLength));
  if (!hello) return fail(hello.error());
  if (auto checked = check_server_hello_fields(*hello); !checked) return checked;
  if (hello->hello_retry_request) return on_hello_retry_request(*hello, message);

  const auto& suite = *policy::cipher_suite_by_code(hello->cipher_suite);
  if (!hello->key_share) {
    return fail(client_error(ErrorCode::no_shared_group, kMissingExtension,
                             "TLS 1.3 ServerHello has no key_share (PSK-only modes were not offered)"));
  }
  const auto share = std::find_if(key_shares_.begin(), key_shares_.end(), [&](const crypto::KeyShare& s) {
    return s.group() == hello->key_share->group;
  });
  if (share == key_shares_.end()) {
    return fail(client_error(ErrorCode::no_shared_group, ad::kIllegalParameter,
                             "server answered with a key share for " + group_text(hello->key_share->group) +
                                 ", for which the ClientHello sent no share"));
  }
  auto shared = share->derive(hello->key_share->key_exchange);
  if (!shared) {
    return fail(illegal_parameter("server key share for " + group_text(share->group()) +
                                  " is unusable: " + shared.error().message));
  }
  if (!transcript_) {
    transcript_.emplace(suite.prf_hash);
    transcript_->update(client_hello_);
  }
  transcript_->update(message);

  auto schedule = KeySchedule13::create(suite);
  if (!schedule) return fail(schedule.error());
  schedule_.emplace(std::move(*schedule));
  if (auto secrets = schedule_->set_handshake_secrets(*shared, transcript_->peek()); !secrets) {
    return fail(secrets.error());
  }
  auto read =
      RecordProtection13::from_secret(suite, schedule_->server_handshake_traffic_secret(), Direction::open);
  auto write =
      RecordProtection13::from_secret(suite, schedule_->client_handshake_traffic_secret(), Direction::seal);
  if (!read) return fail(read.error());
  if (!write) return fail(write.error());
  records_.set_read_protection(std::move(*read));
  send_compatibility_ccs();
  records_.set_write_protection(std::move(*write));

  negotiated_.cipher_suite = &suite;
  negotiated_.group = policy::named_group_by_code(share->group());
  negotiated_.session_id = hello->legacy_session_id_echo;
  step_ = Step::encrypted_extensions;
  return {};
}

base::Expected<void, Error> Client13::on_hello_retry_request(const ServerHello13& hrr,
                                                             std::span<const std::uint8_t> message) {
  if (hello_retry_requests_ > 0) return unexpected_message("second HelloRetryRequest");
  ++hello_retry_requests_;
  negotiated_.hello_retry_request = true;
  if (hrr.selected_group) {
    if (!contains(own_hello_.supported_groups, *hrr.selected_group)) {
      return fail(client_error(ErrorCode::no_shared_group, ad::kIllegalParameter,
                               "HelloRetryRequest asks for " + group_text(*hrr.selected_group) +
                                   ", which the ClientHello did not offer"));
    }
    if (contains(own_hello_.key_share_groups, *hrr.selected_group)) {
      return fail(illegal_parameter("HelloRetryRequest asks for " + group_text(*hrr.selected_group) +
                                    ", for which the ClientHello already sent a share"));
    }
  } else if (!hrr.cookie) {
    return fail(illegal_parameter("HelloRetryRequest would not change the ClientHello"));
  }
  const auto& suite = *policy::cipher_suite_by_code(hrr.cipher_suite);
  retry_suite_ = hrr.cipher_suite;

  // RFC 8446 §4.4.1: ClientHello1 is replaced by message_hash(Hash(ClientHello1)).
  const auto first_hash = crypto::digest(suite.prf_hash, client_hello_);
  const std::array<std::uint8_t, 4> synthetic_header = {kHandshakeTypeMessageHash, 0, 0,
                                                        static_cast<std::uint8_t>(first_hash.size())};
  transcript_.emplace(suite.prf_hash);
  transcript_->update(synthetic_header);
  transcript_->update(first_hash);
  transcript_->update(message);

  if (hrr.selected_group) {
    auto share = crypto::KeyShare::generate(*hrr.selected_group);
    if (!share) {
      return fail(client_error(
          ErrorCode::internal_error, ad::kInternalError,
          "cannot make a key share for " + group_text(*hrr.selected_group) + ": " + share.error().message));
    }
    key_shares_.clear();
    key_shares_.push_back(std::move(*share));
  }
  const auto& share = key_shares_.front();
  const KeyShareEntry entry{share.group(),
                            std::vector<std::uint8_t>(share.public_key().begin(), share.public_key().end())};
  auto second = client_hello_for_retry(
      client_hello_, entry,
      hrr.cookie ? std::span<const std::uint8_t>(*hrr.cookie) : std::span<const std::uint8_t>());
  if (!second) {
    return fail(client_error(ErrorCode::internal_error, ad::kInternalError,
                             "the second ClientHello cannot be built"));
  }
  client_hello_ = std::move(*second);
  own_hello_.key_share_groups = {share.group()};
  own_hello_.key_shares = {entry};
  transcript_->update(client_hello_);
  send_compatibility_ccs();
  if (auto written = write_record(ContentType::handshake, client_hello_); !written) {
    return fail(written.error());
  }
  step_ = Step::server_hello;
  return {};
}

base::Expected<void, Error> Client13::on_encrypted_extensions(const messages::HandshakeMessageView& message) {
  auto extensions = decode_encrypted_extensions(message.body);
  if (!extensions) return fail(extensions.error());
  if (auto checked = check_encrypted_extensions(*extensions, own_hello_.extensions, own_hello_.alpn);
      !checked) {
    return fail(checked.error());
  }
  negotiated_.alpn = extensions->alpn.value_or(std::string());
  transcript_->update(message.bytes);
  step_ = Step::certificate_request_or_certificate;
  return {};
}

base::Expected<void, Error> Client13::on_certificate_request(const messages::HandshakeMessageView& message) {
  codec::ByteReader r(message.body);
  std::span<const std::uint8_t> context;
  std::span<const std::uint8_t> extensions;
  if (!r.read_u8_prefixed_bytes(context) || !r.read_u16_prefixed_bytes(extensions) || extensions.size() < 2 ||
      !r.empty()) {
    return fail(messages::malformed("CertificateRequest is malformed"));
  }
  // The CDN presents no client certificate (facts §2.5): we answer with an empty one.
  certificate_requested_ = true;
  negotiated_.client_certificate_requested = true;
  certificate_request_context_.assign(context.begin(), context.end());
  transcript_->update(message.bytes);
  step_ = Step::certificate;
  return {};
}

base::Expected<void, Error> Client13::on_certificate(const messages::HandshakeMessageView& message) {
  auto certificate = decode_certificate13(message.body);
  if (!certificate) return fail(certificate.error());
  if (auto checked = check_server_certificate13(*certificate, own_hello_.extensions); !checked) {
    return fail(checked.error());
  }
  negotiated_.certificate_chain = certificate->chain();
  const auto& chain = negotiated_.certificate_chain;
  auto leaf = handshake::examine_server_chain(chain, config_, verification_time_);
  if (!leaf) return fail(leaf.error());
  server_key_ = std::move(leaf->key);
  negotiated_.certificate = std::move(leaf->summary);
  const auto type = server_key_->type();
  if (type != crypto::KeyType::rsa && type != crypto::KeyType::rsa_pss && type != crypto::KeyType::ec) {
    return fail(client_error(
        ErrorCode::cert_key_unsupported, ad::kUnsupportedCertificate,
        "server certificate key " + server_key_->description() + " cannot sign with any offered scheme"));
  }
  transcript_->update(message.bytes);
  step_ = Step::certificate_verify;
  return {};
}

base::Expected<void, Error> Client13::on_certificate_verify(const messages::HandshakeMessageView& message) {
  auto decoded = decode_certificate_verify13(message.body);
  if (!decoded) return fail(decoded.error());
  auto scheme =
      verify_certificate_verify13(*decoded, *server_key_, transcript_->peek(), own_hello_.signature_schemes);
  if (!scheme) return fail(scheme.error());
  negotiated_.signature_scheme = *scheme;
  transcript_->update(message.bytes);
  step_ = Step::finished;
  return {};
}

base::Expected<void, Error> Client13::on_finished(const messages::HandshakeMessageView& message) {
  auto received = messages::decode_finished(message.body, schedule_->hash_length());
  if (!received) return fail(received.error());
  auto expected = finished_verify_data(schedule_->hash(), schedule_->server_handshake_traffic_secret(),
                                       transcript_->peek());
  if (!expected) return fail(expected.error());
  if (!crypto::ct_equal(*expected, *received)) {
    return fail(client_error(ErrorCode::bad_finished, ad::kDecryptError,
                             "server Finished does not match the handshake (verify_data mismatch)"));
  }
  if (!assembler().empty()) {
    return unexpected_message("handshake data after the server Finished in the same record");
  }
  transcript_->update(message.bytes);
  if (auto secrets = schedule_->set_application_secrets(transcript_->peek()); !secrets) {
    return fail(secrets.error());
  }
  server_traffic_secret_ = schedule_->server_application_traffic_secret();
  client_traffic_secret_ = schedule_->client_application_traffic_secret();
  auto read =
      RecordProtection13::from_secret(*negotiated_.cipher_suite, server_traffic_secret_, Direction::open);
  if (!read) return fail(read.error());
  records_.set_read_protection(std::move(*read));
  return send_client_flight();
}

base::Expected<void, Error> Client13::send_client_flight() {
  if (certificate_requested_) {
    const auto certificate = empty_certificate13(certificate_request_context_);
    transcript_->update(certificate);
    if (auto written = write_record(ContentType::handshake, certificate); !written) {
      return fail(written.error());
    }
  }
  auto verify_data = finished_verify_data(schedule_->hash(), schedule_->client_handshake_traffic_secret(),
                                          transcript_->peek());
  if (!verify_data) return fail(verify_data.error());
  const auto finished = messages::encode_finished(*verify_data);
  transcript_->update(finished);
  if (auto written = write_record(ContentType::handshake, finished); !written) {
    return fail(written.error());
  }
  auto write =
      RecordProtection13::from_secret(*negotiated_.cipher_suite, client_traffic_secret_, Direction::seal);
  if (!write) return fail(write.error());
  records_.set_write_protection(std::move(*write));
  set_state(State::connected);
  step_ = Step::connected;
  return {};
}

base::Expected<void, Error> Client13::on_new_session_ticket(const messages::HandshakeMessageView& message) {
  auto ticket = decode_new_session_ticket13(message.body);
  if (!ticket) return fail(ticket.error());
  // TLS 1.3 resumption is not offered (no psk_key_exchange_modes in the CDN's
  // hello): the ticket is checked and noted, not stored.
  negotiated_.session_ticket_received = true;
  return {};
}

base::Expected<void, Error> Client13::on_key_update(const messages::HandshakeMessageView& message) {
  auto request = decode_key_update(message.body);
  if (!request) return fail(request.error());
  if (!assembler().empty()) return unexpected_message("handshake data after KeyUpdate in the same record");
  ++negotiated_.key_updates_received;
  auto next = next_traffic_secret(schedule_->hash(), server_traffic_secret_);
  if (!next) return fail(next.error());
  server_traffic_secret_ = std::move(*next);
  auto read =
      RecordProtection13::from_secret(*negotiated_.cipher_suite, server_traffic_secret_, Direction::open);
  if (!read) return fail(read.error());
  records_.set_read_protection(std::move(*read));
  if (*request == KeyUpdateRequest::update_requested && !close_notify_sent()) return update_keys(false);
  return {};
}

base::Expected<void, Error> Client13::update_keys(bool request_peer_update) {
  if (state() != State::connected) {
    return base::unexpected(
        Error{ErrorCode::internal_error, AlertSender::none, std::nullopt, "KeyUpdate outside a connection"});
  }
  const auto message = encode_key_update(request_peer_update ? KeyUpdateRequest::update_requested
                                                             : KeyUpdateRequest::update_not_requested);
  if (auto written = write_record(ContentType::handshake, message); !written) return fail(written.error());
  auto next = next_traffic_secret(schedule_->hash(), client_traffic_secret_);
  if (!next) return fail(next.error());
  client_traffic_secret_ = std::move(*next);
  auto write =
      RecordProtection13::from_secret(*negotiated_.cipher_suite, client_traffic_secret_, Direction::seal);
  if (!write) return fail(write.error());
  records_.set_write_protection(std::move(*write));
  return {};
}

}  // namespace edgefetch::tls::tls13
