#include "tls/record/reader.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "edgefetch/tls/alert_description.hpp"

namespace edgefetch::tls {

namespace {

Error make_error(ErrorCode code, std::optional<std::uint8_t> alert, std::string message) {
  Error error;
  error.code = code;
  error.alert_sender = alert ? AlertSender::client : AlertSender::none;
  error.alert = alert;
  error.message = std::move(message);
  return error;
}

constexpr std::string_view kHexDigits = "0123456789ABCDEF";

void append_hex_byte(std::string& out, std::uint8_t byte) {
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 0x0F];
}

std::string hex_prefix(std::span<const std::uint8_t> bytes) {
  std::string out;
  const std::size_t n = bytes.size() < 8 ? bytes.size() : 8;
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) {
      out += ' ';
    }
    append_hex_byte(out, bytes[i]);
  }
  return out;
}

std::string hex_version(std::uint16_t version) {
  std::string out = "0x";
  append_hex_byte(out, static_cast<std::uint8_t>(version >> 8));
  append_hex_byte(out, static_cast<std::uint8_t>(version));
  return out;
}

// True when the bytes so far are consistent with an HTTP/1.x response ("HTTP/").
bool looks_like_http(std::span<const std::uint8_t> bytes) {
  constexpr std::string_view kHttp = "HTTP/";
  const std::size_t n = bytes.size() < kHttp.size() ? bytes.size() : kHttp.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (bytes[i] != static_cast<std::uint8_t>(kHttp[i])) {
      return false;
    }
  }
  return n > 0;
}

Error not_tls(std::span<const std::uint8_t> bytes) {
  if (looks_like_http(bytes)) {
    return make_error(ErrorCode::not_tls, std::nullopt,
                      "the server answered with plain HTTP, not TLS (is this an http:// port?)");
  }
  std::string shown = hex_prefix(bytes);
  // Text (an HTML error page, an SSH or SMTP banner) is recognised at once when
  // shown as text; the hex stays for the binary cases.
  const std::size_t n = bytes.size() < 8 ? bytes.size() : 8;
  const bool text = n > 0 && std::all_of(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n),
                                         [](std::uint8_t b) { return b >= 0x20 && b < 0x7F; });
  if (text) {
    const std::string first(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    shown += ", as text \"" + first +
             "\": " + (first.starts_with("<") ? "an HTML page, so a plain HTTP server" : "another protocol");
  }
  return make_error(ErrorCode::not_tls, std::nullopt,
                    "the server's first bytes are not a TLS record (" + shown + ")");
}

}  // namespace

RecordReader::RecordReader() : current_(make_null_protection()) {}
RecordReader::~RecordReader() = default;
RecordReader::RecordReader(RecordReader&&) noexcept = default;
RecordReader& RecordReader::operator=(RecordReader&&) noexcept = default;

base::Expected<void, Error> RecordReader::check_header_start(std::span<const std::uint8_t> available) const {
  // Before the first record, anything that is not a TLS header start means the
  // peer does not speak TLS; decide on as few bytes as possible.
  if (records_read_ != 0) {
    return {};
  }
  if (!is_known_content_type(available[0])) {
    return base::unexpected(not_tls(available));
  }
  if (available.size() >= 2 && available[1] != 3) {
    return base::unexpected(not_tls(available));
  }
  return {};
}

base::Expected<std::optional<RecordView>, Error> RecordReader::next() {
  const std::span<std::uint8_t> available = received_.available();
  if (available.empty()) {
    return std::optional<RecordView>{};
  }
  if (auto ok = check_header_start(available); !ok) {
    return base::unexpected(ok.error());
  }
  if (available.size() < kRecordHeaderLength) {
    return std::optional<RecordView>{};
  }

  const std::uint8_t type_byte = available[0];
  const auto version = static_cast<std::uint16_t>((available[1] << 8) | available[2]);
  const std::size_t length = (static_cast<std::size_t>(available[3]) << 8) | available[4];
  if (!is_known_content_type(type_byte)) {
    return base::unexpected(make_error(ErrorCode::protocol_violation, alert_description::kUnexpectedMessage,
                                       "record with unknown content type " + std::to_string(type_byte)));
  }
  if ((version >> 8) != 3 || (expected_version_ != 0 && version != expected_version_)) {
    const std::string message = expected_version_ != 0
                                    ? "record version " + hex_version(version) + " where " +
                                          hex_version(expected_version_) + " was negotiated"
                                    : "record version " + hex_version(version) + " is not SSL 3.0 / TLS";
    return base::unexpected(
        make_error(ErrorCode::protocol_violation, alert_description::kProtocolVersion, message));
  }
  const std::size_t limit = current_->is_null() ? kMaxPlaintextLength : kMaxCiphertextLength;
  if (length > limit) {
    return base::unexpected(make_error(
        ErrorCode::record_overflow, alert_description::kRecordOverflow,
        "record of " + std::to_string(length) + " bytes exceeds the limit of " + std::to_string(limit)));
  }
  if (available.size() < kRecordHeaderLength + length) {
    return std::optional<RecordView>{};
  }

  const std::span<std::uint8_t> fragment = available.subspan(kRecordHeaderLength, length);
  received_.consume(kRecordHeaderLength + length);
  const auto type = static_cast<ContentType>(type_byte);
  auto opened = current_->open(type, version, fragment);
  if (!opened) {
    return base::unexpected(std::move(opened).error());
  }
  ++records_read_;
  return std::optional<RecordView>(RecordView{type, version, opened.value()});
}

void RecordReader::set_pending(std::unique_ptr<RecordProtection> protection) {
  pending_ = std::move(protection);
}

base::Expected<void, Error> RecordReader::activate_pending() {
  if (!pending_) {
    return base::unexpected(make_error(ErrorCode::protocol_violation, alert_description::kUnexpectedMessage,
                                       "ChangeCipherSpec from the server before the keys were established"));
  }
  current_ = std::move(pending_);
  return {};
}

bool RecordReader::has_pending() const {
  return pending_ != nullptr;
}
bool RecordReader::encrypted() const {
  return !current_->is_null();
}
const RecordProtection& RecordReader::current() const {
  return *current_;
}

}  // namespace edgefetch::tls
