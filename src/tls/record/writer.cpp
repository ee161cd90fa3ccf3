#include "tls/record/writer.hpp"

#include <algorithm>

#include "edgefetch/tls/alert_description.hpp"

namespace edgefetch::tls {

RecordWriter::RecordWriter() : current_(make_null_protection()) {}
RecordWriter::~RecordWriter() = default;
RecordWriter::RecordWriter(RecordWriter&&) noexcept = default;
RecordWriter& RecordWriter::operator=(RecordWriter&&) noexcept = default;

base::Expected<void, Error> RecordWriter::write(ContentType type, std::span<const std::uint8_t> data,
                                                std::vector<std::uint8_t>& out) {
  std::size_t offset = 0;
  // 1/n-1 split against BEAST: implicit-IV CBC (SSLv3, TLS 1.0) application data.
  const bool split = type == ContentType::application_data && current_->is_cbc() && version_ <= 0x0301;
  if (split && data.size() > 1) {
    if (auto done = write_record(type, data.first(1), out); !done) {
      return done;
    }
    offset = 1;
  }
  while (offset < data.size()) {
    const std::size_t chunk = std::min(kMaxPlaintextLength, data.size() - offset);
    if (auto done = write_record(type, data.subspan(offset, chunk), out); !done) {
      return done;
    }
    offset += chunk;
  }
  return {};
}

base::Expected<void, Error> RecordWriter::write_record(ContentType type,
                                                       std::span<const std::uint8_t> fragment,
                                                       std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  out.reserve(start + kRecordHeaderLength + fragment.size() + current_->max_overhead());
  out.push_back(static_cast<std::uint8_t>(type));
  out.push_back(static_cast<std::uint8_t>(version_ >> 8));
  out.push_back(static_cast<std::uint8_t>(version_));
  out.push_back(0);
  out.push_back(0);
  if (auto sealed = current_->seal(type, version_, fragment, out); !sealed) {
    out.resize(start);
    return sealed;
  }
  const std::size_t length = out.size() - start - kRecordHeaderLength;
  out[start + 3] = static_cast<std::uint8_t>(length >> 8);
  out[start + 4] = static_cast<std::uint8_t>(length);
  return {};
}

void RecordWriter::set_pending(std::unique_ptr<RecordProtection> protection) {
  pending_ = std::move(protection);
}

base::Expected<void, Error> RecordWriter::activate_pending() {
  if (!pending_) {
    Error error;
    error.code = ErrorCode::internal_error;
    error.alert_sender = AlertSender::client;
    error.alert = alert_description::kInternalError;
    error.message = "ChangeCipherSpec written before the keys were established";
    return base::unexpected(std::move(error));
  }
  current_ = std::move(pending_);
  return {};
}

bool RecordWriter::has_pending() const {
  return pending_ != nullptr;
}
bool RecordWriter::encrypted() const {
  return !current_->is_null();
}
const RecordProtection& RecordWriter::current() const {
  return *current_;
}

}  // namespace edgefetch::tls
