#include "tls/tls13/record_layer.hpp"

#include <algorithm>
#include <string>

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::tls13 {
namespace {

namespace ad = alert_description;
using messages::client_error;

Error violation(std::uint8_t alert, std::string message) {
  return client_error(ErrorCode::protocol_violation, alert, std::move(message));
}

}  // namespace

base::Expected<std::optional<Record13>, Error> RecordLayer13::next() {
  const std::span<std::uint8_t> available = received_.available();
  if (available.size() < kRecordHeaderLength) return std::optional<Record13>{};
  const std::uint8_t type_byte = available[0];
  const std::size_t length = (static_cast<std::size_t>(available[3]) << 8) | available[4];
  if (!is_known_content_type(type_byte)) {
    return base::unexpected(
        violation(ad::kUnexpectedMessage, "record with unknown content type " + std::to_string(type_byte)));
  }
  // legacy_record_version is to be ignored (RFC 8446 §5.1), but a record that
  // is not even SSL/TLS-shaped means the stream is broken.
  if (available[1] != 3) {
    return base::unexpected(violation(ad::kProtocolVersion, "record version is not TLS"));
  }
  const auto type = static_cast<ContentType>(type_byte);
  const bool encrypted = type == ContentType::application_data && read_.has_value();
  const std::size_t limit = encrypted ? kMaxCiphertextLength13 : kMaxPlaintextLength;
  if (length > limit) {
    return base::unexpected(client_error(
        ErrorCode::record_overflow, ad::kRecordOverflow,
        "record of " + std::to_string(length) + " bytes exceeds the limit of " + std::to_string(limit)));
  }
  if (available.size() < kRecordHeaderLength + length) return std::optional<Record13>{};
  const auto header = available.first(kRecordHeaderLength);
  const auto fragment = available.subspan(kRecordHeaderLength, length);
  received_.consume(kRecordHeaderLength + length);

  if (encrypted) {
    auto opened = read_->open(header, fragment);
    if (!opened) return base::unexpected(opened.error());
    return std::optional<Record13>(Record13{opened->type, opened->content, true});
  }
  if (read_.has_value() && type == ContentType::handshake) {
    return base::unexpected(
        violation(ad::kUnexpectedMessage, "unprotected handshake record after the keys changed"));
  }
  if (type == ContentType::application_data) {
    return base::unexpected(violation(ad::kUnexpectedMessage, "application data before the handshake keys"));
  }
  if (length == 0) {
    return base::unexpected(violation(ad::kUnexpectedMessage, "empty plaintext record"));
  }
  return std::optional<Record13>(Record13{type, fragment, false});
}

base::Expected<void, Error> RecordLayer13::write(ContentType type, std::span<const std::uint8_t> data,
                                                 std::vector<std::uint8_t>& out) {
  std::size_t offset = 0;
  do {
    const std::size_t chunk = std::min(kMaxPlaintextLength, data.size() - offset);
    const auto piece = data.subspan(offset, chunk);
    if (write_.has_value()) {
      if (auto sealed = write_->seal(type, piece, out); !sealed) return sealed;
    } else {
      out.push_back(static_cast<std::uint8_t>(type));
      out.push_back(kLegacyRecordVersion >> 8);
      out.push_back(kLegacyRecordVersion & 0xFF);
      out.push_back(static_cast<std::uint8_t>(chunk >> 8));
      out.push_back(static_cast<std::uint8_t>(chunk));
      out.insert(out.end(), piece.begin(), piece.end());
    }
    offset += chunk;
  } while (offset < data.size());
  return {};
}

}  // namespace edgefetch::tls::tls13
