#include "tls/tls13/record_protection.hpp"

#include <array>
#include <limits>
#include <string>
#include <utility>

#include "tls/messages/message_error.hpp"
#include "tls/tls13/key_schedule.hpp"

namespace edgefetch::tls::tls13 {
namespace {

namespace ad = alert_description;
using messages::client_error;

Error internal(std::string message) {
  return client_error(ErrorCode::internal_error, ad::kInternalError, std::move(message));
}

}  // namespace

base::Expected<RecordProtection13, Error> RecordProtection13::from_keys(policy::BulkCipher cipher,
                                                                        std::span<const std::uint8_t> key,
                                                                        std::span<const std::uint8_t> iv,
                                                                        Direction direction) {
  if (policy::info(cipher).kind != policy::CipherKind::aead || iv.size() != kIvLength ||
      key.size() != policy::info(cipher).key_length) {
    return base::unexpected(internal("TLS 1.3 record protection needs an AEAD key and a 12-byte IV"));
  }
  auto aead = crypto::Aead::create(
      cipher, key,
      direction == Direction::seal ? crypto::CipherDirection::encrypt : crypto::CipherDirection::decrypt);
  if (!aead) return base::unexpected(internal("AEAD setup: " + aead.error().message));
  return RecordProtection13(std::move(*aead), crypto::SecretBytes(iv.begin(), iv.end()));
}

base::Expected<RecordProtection13, Error> RecordProtection13::from_secret(
    const policy::CipherSuite& suite, std::span<const std::uint8_t> traffic_secret, Direction direction) {
  auto keys = derive_traffic_keys(suite, traffic_secret);
  if (!keys) return base::unexpected(keys.error());
  return from_keys(suite.cipher, keys->key, keys->iv, direction);
}

std::array<std::uint8_t, crypto::Aead::kNonceLength> RecordProtection13::nonce() const {
  std::array<std::uint8_t, crypto::Aead::kNonceLength> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = iv_[i];
  for (std::size_t i = 0; i < 8; ++i) {
    out[out.size() - 1 - i] ^= static_cast<std::uint8_t>(sequence_number_ >> (8 * i));
  }
  return out;
}

bool RecordProtection13::advance() {
  // RFC 8446 §5.3: a sequence number must not wrap; the connection ends instead.
  if (sequence_number_ == std::numeric_limits<std::uint64_t>::max()) {
    exhausted_ = true;
    return false;
  }
  ++sequence_number_;
  return true;
}

base::Expected<void, Error> RecordProtection13::seal(ContentType type, std::span<const std::uint8_t> content,
                                                     std::vector<std::uint8_t>& out, std::size_t padding) {
  if (exhausted_) return base::unexpected(internal("TLS 1.3 write sequence number exhausted"));
  if (content.size() > kMaxPlaintextLength || content.size() + 1 + padding > kMaxPlaintextLength + 1) {
    return base::unexpected(internal("TLS 1.3 record content too long"));
  }
  std::vector<std::uint8_t> inner;
  inner.reserve(content.size() + 1 + padding);
  inner.assign(content.begin(), content.end());
  inner.push_back(static_cast<std::uint8_t>(type));
  inner.resize(inner.size() + padding, 0);

  const std::size_t length = inner.size() + crypto::Aead::kTagLength;
  const std::array<std::uint8_t, kRecordHeaderLength> header = {
      static_cast<std::uint8_t>(ContentType::application_data), kLegacyRecordVersion >> 8,
      kLegacyRecordVersion & 0xFF, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  const std::size_t start = out.size();
  out.insert(out.end(), header.begin(), header.end());
  const auto nonce_bytes = nonce();
  if (auto sealed = aead_.seal(nonce_bytes, header, inner, out); !sealed) {
    out.resize(start);
    return base::unexpected(internal("AEAD seal: " + sealed.error().message));
  }
  crypto::secure_wipe(inner.data(), inner.size());
  (void)advance();
  return {};
}

base::Expected<OpenedRecord, Error> RecordProtection13::open(std::span<const std::uint8_t> header,
                                                             std::span<std::uint8_t> fragment) {
  if (exhausted_) return base::unexpected(internal("TLS 1.3 read sequence number exhausted"));
  if (fragment.size() > kMaxCiphertextLength13) {
    return base::unexpected(
        client_error(ErrorCode::record_overflow, ad::kRecordOverflow,
                     "TLS 1.3 record of " + std::to_string(fragment.size()) + " bytes exceeds 2^14+256"));
  }
  const auto nonce_bytes = nonce();
  auto opened = aead_.open_in_place(nonce_bytes, header, fragment);
  if (!opened) {
    return base::unexpected(client_error(ErrorCode::bad_record_mac, ad::kBadRecordMac,
                                         "TLS 1.3 record failed authentication (bad AEAD tag)"));
  }
  (void)advance();
  // Strip the zero padding; the last non-zero byte is the real content type.
  std::size_t end = *opened;
  while (end > 0 && fragment[end - 1] == 0) --end;
  if (end == 0) {
    return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                                         "TLS 1.3 record has no content type (all padding)"));
  }
  const std::uint8_t type = fragment[end - 1];
  const std::size_t content_length = end - 1;
  if (content_length > kMaxPlaintextLength) {
    return base::unexpected(client_error(ErrorCode::record_overflow, ad::kRecordOverflow,
                                         "TLS 1.3 record content exceeds 2^14 bytes"));
  }
  if (type != static_cast<std::uint8_t>(ContentType::handshake) &&
      type != static_cast<std::uint8_t>(ContentType::alert) &&
      type != static_cast<std::uint8_t>(ContentType::application_data)) {
    return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                                         "TLS 1.3 protected record of content type " + std::to_string(type)));
  }
  return OpenedRecord{static_cast<ContentType>(type), fragment.first(content_length)};
}

}  // namespace edgefetch::tls::tls13
