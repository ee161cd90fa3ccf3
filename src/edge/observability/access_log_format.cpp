// Formatting of access log entries: the CDN's field order and URL-encoding for
// TSV, the same schema as JSON. Pure functions, no I/O.

#include <array>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "edgefetch/edge/access_log.hpp"

namespace edgefetch::edge {
namespace {

constexpr std::array<std::string_view, AccessLog::kFieldCount> kFieldNames = {
    // The CDN's 33 standard fields, in the documented order.
    "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
    "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type",
    "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for",
    "ssl-protocol", "ssl-cipher", "x-edge-response-result-type", "cs-protocol-version", "fle-status",
    "fle-encrypted-fields", "c-port", "time-to-first-byte", "x-edge-detailed-result-type", "sc-content-type",
    "sc-content-len", "sc-range-start", "sc-range-end",
    // edgefetch's origin-side fields.
    "x-edgefetch-origin-id", "x-edgefetch-origin-ip", "x-edgefetch-origin-status",
    "x-edgefetch-origin-reason", "x-edgefetch-origin-tls-version", "x-edgefetch-origin-tls-cipher",
    "x-edgefetch-origin-connection-reused", "x-edgefetch-origin-tls-resumed",
    "x-edgefetch-origin-connect-time", "x-edgefetch-origin-tls-time", "x-edgefetch-origin-first-byte-time"};

// The bytes the CDN's log format percent-encodes besides controls, space and non-ASCII.
constexpr std::string_view kEncodedPunctuation = "<>\"#%{}|\\^~[]`'";

bool needs_encoding(unsigned char c) {
  return c <= 0x20 || c >= 0x7F || kEncodedPunctuation.find(static_cast<char>(c)) != std::string_view::npos;
}

void append_encoded(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += '-';
    return;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (needs_encoding(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    } else {
      out += ch;
    }
  }
}

template <class Int>
void append_int(std::string& out, Int value) {
  std::array<char, 24> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), ec == std::errc{} ? end : buf.data());
}

// Seconds with a fixed number of decimals; negative = absent.
void append_seconds(std::string& out, double seconds, int decimals) {
  if (!(seconds >= 0.0)) {  // negative or NaN
    out += '-';
    return;
  }
  std::array<char, 48> buf{};
  const auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), seconds, std::chars_format::fixed, decimals);
  if (ec != std::errc{}) {
    out += '-';
    return;
  }
  out.append(buf.data(), end);
}

void append_optional(std::string& out, const std::optional<uint64_t>& value) {
  if (value) {
    append_int(out, *value);
  } else {
    out += '-';
  }
}

struct DateTime {
  std::array<char, 11> date{};  // YYYY-MM-DD
  std::array<char, 9> time{};   // HH:MM:SS
};

DateTime utc_date_time(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  DateTime out;
  std::strftime(out.date.data(), out.date.size(), "%Y-%m-%d", &tm);
  std::strftime(out.time.data(), out.time.size(), "%H:%M:%S", &tm);
  return out;
}

// The CDN writes durations to the millisecond; edgefetch's own origin
// timings use microseconds, since loopback origins answer in well under 1 ms.
constexpr int kCdnDecimals = 3;
constexpr int kOriginDecimals = 6;

}  // namespace

const std::array<std::string_view, AccessLog::kFieldCount>& AccessLog::field_names() {
  return kFieldNames;
}

std::string AccessLog::header_lines() {
  std::string out = "#Version: 1.0\n#Fields:";
  for (std::string_view name : kFieldNames) {
    out += ' ';
    out += name;
  }
  out += '\n';
  return out;
}

std::string AccessLog::encode_field(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  append_encoded(out, value);
  return out;
}

std::string AccessLog::format_tsv(const AccessLogEntry& e) {
  std::string out;
  out.reserve(512);
  const DateTime dt = utc_date_time(e.time);
  const auto tab = [&out] { out += '\t'; };
  out += dt.date.data();
  tab();
  out += dt.time.data();
  tab();
  append_encoded(out, e.edge_location);
  tab();
  append_int(out, e.sc_bytes);
  tab();
  append_encoded(out, e.c_ip);
  tab();
  append_encoded(out, e.cs_method);
  tab();
  append_encoded(out, e.cs_host);
  tab();
  append_encoded(out, e.cs_uri_stem);
  tab();
  if (e.sc_status == 0) {
    out += "000";  // the CDN's value when the viewer left before a response
  } else {
    append_int(out, e.sc_status);
  }
  tab();
  append_encoded(out, e.cs_referer);
  tab();
  append_encoded(out, e.cs_user_agent);
  tab();
  append_encoded(out, e.cs_uri_query);
  tab();
  append_encoded(out, e.cs_cookie);
  tab();
  append_encoded(out, e.x_edge_result_type);
  tab();
  append_encoded(out, e.x_edge_request_id);
  tab();
  append_encoded(out, e.x_host_header);
  tab();
  append_encoded(out, e.cs_protocol);
  tab();
  append_int(out, e.cs_bytes);
  tab();
  append_seconds(out, e.time_taken_s, kCdnDecimals);
  tab();
  append_encoded(out, e.x_forwarded_for);
  tab();
  append_encoded(out, e.ssl_protocol);
  tab();
  append_encoded(out, e.ssl_cipher);
  tab();
  append_encoded(out, e.x_edge_response_result_type);
  tab();
  append_encoded(out, e.cs_protocol_version);
  tab();
  out += '-';  // fle-status: no field-level encryption
  tab();
  out += '-';  // fle-encrypted-fields
  tab();
  if (e.c_port == 0) {
    out += '-';
  } else {
    append_int(out, e.c_port);
  }
  tab();
  append_seconds(out, e.time_to_first_byte_s, kCdnDecimals);
  tab();
  append_encoded(out, e.x_edge_detailed_result_type);
  tab();
  append_encoded(out, e.sc_content_type);
  tab();
  append_optional(out, e.sc_content_len);
  tab();
  append_optional(out, e.sc_range_start);
  tab();
  append_optional(out, e.sc_range_end);
  tab();
  append_encoded(out, e.origin_id);
  tab();
  append_encoded(out, e.origin_ip);
  tab();
  if (e.origin_status == 0) {
    out += '-';
  } else {
    append_int(out, e.origin_status);
  }
  tab();
  append_encoded(out, e.origin_reason_code);
  tab();
  append_encoded(out, e.origin_tls_version);
  tab();
  append_encoded(out, e.origin_tls_cipher);
  tab();
  out += e.origin_connection_reused ? "true" : "false";
  tab();
  out += e.origin_tls_resumed ? "true" : "false";
  tab();
  append_seconds(out, e.origin_connect_s, kOriginDecimals);
  tab();
  append_seconds(out, e.origin_tls_s, kOriginDecimals);
  tab();
  append_seconds(out, e.origin_first_byte_s, kOriginDecimals);
  out += '\n';
  return out;
}

std::string AccessLog::format_json(const AccessLogEntry& e) {
  using Json = nlohmann::ordered_json;
  const auto text = [](const std::string& s) -> Json { return s.empty() ? Json(nullptr) : Json(s); };
  const auto seconds = [](double s) -> Json { return s >= 0.0 ? Json(s) : Json(nullptr); };
  const auto optional = [](const std::optional<uint64_t>& v) -> Json { return v ? Json(*v) : Json(nullptr); };
  const DateTime dt = utc_date_time(e.time);

  // Same keys, same order as the #Fields line (asserted by the tests).
  Json j;
  j["date"] = dt.date.data();
  j["time"] = dt.time.data();
  j["x-edge-location"] = text(e.edge_location);
  j["sc-bytes"] = e.sc_bytes;
  j["c-ip"] = text(e.c_ip);
  j["cs-method"] = text(e.cs_method);
  j["cs(Host)"] = text(e.cs_host);
  j["cs-uri-stem"] = text(e.cs_uri_stem);
  j["sc-status"] = e.sc_status;
  j["cs(Referer)"] = text(e.cs_referer);
  j["cs(User-Agent)"] = text(e.cs_user_agent);
  j["cs-uri-query"] = text(e.cs_uri_query);
  j["cs(Cookie)"] = text(e.cs_cookie);
  j["x-edge-result-type"] = text(e.x_edge_result_type);
  j["x-edge-request-id"] = text(e.x_edge_request_id);
  j["x-host-header"] = text(e.x_host_header);
  j["cs-protocol"] = text(e.cs_protocol);
  j["cs-bytes"] = e.cs_bytes;
  j["time-taken"] = seconds(e.time_taken_s);
  j["x-forwarded-for"] = text(e.x_forwarded_for);
  j["ssl-protocol"] = text(e.ssl_protocol);
  j["ssl-cipher"] = text(e.ssl_cipher);
  j["x-edge-response-result-type"] = text(e.x_edge_response_result_type);
  j["cs-protocol-version"] = text(e.cs_protocol_version);
  j["fle-status"] = nullptr;
  j["fle-encrypted-fields"] = nullptr;
  j["c-port"] = e.c_port == 0 ? Json(nullptr) : Json(e.c_port);
  j["time-to-first-byte"] = seconds(e.time_to_first_byte_s);
  j["x-edge-detailed-result-type"] = text(e.x_edge_detailed_result_type);
  j["sc-content-type"] = text(e.sc_content_type);
  j["sc-content-len"] = optional(e.sc_content_len);
  j["sc-range-start"] = optional(e.sc_range_start);
  j["sc-range-end"] = optional(e.sc_range_end);
  j["x-edgefetch-origin-id"] = text(e.origin_id);
  j["x-edgefetch-origin-ip"] = text(e.origin_ip);
  j["x-edgefetch-origin-status"] = e.origin_status == 0 ? Json(nullptr) : Json(e.origin_status);
  j["x-edgefetch-origin-reason"] = text(e.origin_reason_code);
  j["x-edgefetch-origin-tls-version"] = text(e.origin_tls_version);
  j["x-edgefetch-origin-tls-cipher"] = text(e.origin_tls_cipher);
  j["x-edgefetch-origin-connection-reused"] = e.origin_connection_reused;
  j["x-edgefetch-origin-tls-resumed"] = e.origin_tls_resumed;
  j["x-edgefetch-origin-connect-time"] = seconds(e.origin_connect_s);
  j["x-edgefetch-origin-tls-time"] = seconds(e.origin_tls_s);
  j["x-edgefetch-origin-first-byte-time"] = seconds(e.origin_first_byte_s);

  // Viewer-supplied text may be any bytes; JSON must be UTF-8, so invalid
  // sequences become U+FFFD rather than an exception on the request path.
  std::string out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += '\n';
  return out;
}

}  // namespace edgefetch::edge
