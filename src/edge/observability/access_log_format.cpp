// Formatting of access log entries: the CDN's field order and URL-encoding for
// TSV, the same schema as JSON. Pure functions, no I/O.

#include <array>
#include <charconv>
#include <cstdint>
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

constexpr std::array<bool, 256> kNeedsEncoding = [] {
  std::array<bool, 256> table{};
  for (std::size_t c = 0; c < table.size(); ++c) {
    table[c] =
        c <= 0x20 || c >= 0x7F || kEncodedPunctuation.find(static_cast<char>(c)) != std::string_view::npos;
  }
  return table;
}();

void append_encoded(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += '-';
    return;
  }
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::size_t i = 0;
  while (i < value.size()) {
    // Copy the run of bytes that need no encoding in one append.
    std::size_t safe = i;
    while (safe < value.size() && !kNeedsEncoding[static_cast<unsigned char>(value[safe])]) {
      ++safe;
    }
    out.append(value.substr(i, safe - i));
    if (safe == value.size()) {
      break;
    }
    const auto c = static_cast<unsigned char>(value[safe]);
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 0x0F];
    i = safe + 1;
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

// Civil UTC date and time from the clock, without gmtime_r/strftime (which
// cost more than the rest of the line together).
DateTime utc_date_time(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto day = floor<days>(when);
  const year_month_day ymd(day);
  const hh_mm_ss hms(floor<seconds>(when - day));
  const auto two = [](char* out, unsigned value) {
    out[0] = static_cast<char>('0' + value / 10 % 10);
    out[1] = static_cast<char>('0' + value % 10);
  };
  DateTime out;
  const int y = static_cast<int>(ymd.year());
  const unsigned year = y < 0 ? 0U : static_cast<unsigned>(y) % 10000U;
  two(out.date.data(), year / 100);
  two(out.date.data() + 2, year % 100);
  out.date[4] = '-';
  two(out.date.data() + 5, static_cast<unsigned>(ymd.month()));
  out.date[7] = '-';
  two(out.date.data() + 8, static_cast<unsigned>(ymd.day()));
  two(out.time.data(), static_cast<unsigned>(hms.hours().count()));
  out.time[2] = ':';
  two(out.time.data() + 3, static_cast<unsigned>(hms.minutes().count()));
  out.time[5] = ':';
  two(out.time.data() + 6, static_cast<unsigned>(hms.seconds().count()));
  return out;
}

// The CDN writes durations to the millisecond; edgefetch's own origin
// timings use microseconds, since loopback origins answer in well under 1 ms.
constexpr int kCdnDecimals = 3;
constexpr int kOriginDecimals = 6;

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 when
// it is not well formed; `valid_prefix` then says how many bytes form the
// maximal ill-formed subpart (Unicode's advice for one U+FFFD each).
std::size_t utf8_sequence(std::string_view s, std::size_t& valid_prefix) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t length = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    lo = b0 == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
    hi = b0 == 0xED ? 0x9F : 0xBF;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    lo = b0 == 0xF0 ? 0x90 : 0x80;  // no overlong forms
    hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
  } else {
    valid_prefix = 1;
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
    const bool ok = i < s.size() && (i == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF));
    if (!ok) {
      valid_prefix = i;
      return 0;
    }
  }
  return length;
}

// A JSON string: the text's valid UTF-8 as is, invalid sequences as U+FFFD,
// quotes, backslashes and control characters escaped.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  out += '"';
  while (!text.empty()) {
    const auto c = static_cast<unsigned char>(text[0]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
          } else {
            out += static_cast<char>(c);
          }
      }
      text.remove_prefix(1);
      continue;
    }
    std::size_t skip = 0;
    const std::size_t length = utf8_sequence(text, skip);
    if (length > 0) {
      out.append(text.substr(0, length));
      text.remove_prefix(length);
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      text.remove_prefix(skip);
    }
  }
  out += '"';
}

// One JSON object on one line, keys in call order. Hand-written rather than
// built with nlohmann: this runs once per viewer request, and a DOM of 44
// ordered keys cost ten times the whole TSV line.
class JsonLine {
 public:
  JsonLine() {
    out_.reserve(1024);
    out_ += '{';
  }
  void text(std::string_view key, std::string_view value) {
    name(key);
    if (value.empty()) {
      out_ += "null";
    } else {
      append_json_string(out_, value);
    }
  }
  template <class Int>
  void number(std::string_view key, Int value) {
    name(key);
    append_int(out_, value);
  }
  void seconds(std::string_view key, double value) {
    name(key);
    std::array<char, 48> buf{};
    const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);  // shortest round trip
    if (!(value >= 0.0) || ec != std::errc{}) {
      out_ += "null";
    } else {
      out_.append(buf.data(), end);
    }
  }
  void optional(std::string_view key, const std::optional<uint64_t>& value) {
    name(key);
    if (value) {
      append_int(out_, *value);
    } else {
      out_ += "null";
    }
  }
  void boolean(std::string_view key, bool value) {
    name(key);
    out_ += value ? "true" : "false";
  }
  void null(std::string_view key) {
    name(key);
    out_ += "null";
  }
  std::string finish() {
    out_ += "}\n";
    return std::move(out_);
  }

 private:
  void name(std::string_view key) {  // keys are the constant field names: nothing to escape
    if (out_.size() > 1) {
      out_ += ',';
    }
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string out_;
};

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
  const DateTime dt = utc_date_time(e.time);
  JsonLine j;
  // Same keys, same order as the #Fields line (asserted by the tests).
  j.text("date", dt.date.data());
  j.text("time", dt.time.data());
  j.text("x-edge-location", e.edge_location);
  j.number("sc-bytes", e.sc_bytes);
  j.text("c-ip", e.c_ip);
  j.text("cs-method", e.cs_method);
  j.text("cs(Host)", e.cs_host);
  j.text("cs-uri-stem", e.cs_uri_stem);
  j.number("sc-status", e.sc_status);
  j.text("cs(Referer)", e.cs_referer);
  j.text("cs(User-Agent)", e.cs_user_agent);
  j.text("cs-uri-query", e.cs_uri_query);
  j.text("cs(Cookie)", e.cs_cookie);
  j.text("x-edge-result-type", e.x_edge_result_type);
  j.text("x-edge-request-id", e.x_edge_request_id);
  j.text("x-host-header", e.x_host_header);
  j.text("cs-protocol", e.cs_protocol);
  j.number("cs-bytes", e.cs_bytes);
  j.seconds("time-taken", e.time_taken_s);
  j.text("x-forwarded-for", e.x_forwarded_for);
  j.text("ssl-protocol", e.ssl_protocol);
  j.text("ssl-cipher", e.ssl_cipher);
  j.text("x-edge-response-result-type", e.x_edge_response_result_type);
  j.text("cs-protocol-version", e.cs_protocol_version);
  j.null("fle-status");
  j.null("fle-encrypted-fields");
  j.optional("c-port", e.c_port == 0 ? std::nullopt : std::optional<uint64_t>(e.c_port));
  j.seconds("time-to-first-byte", e.time_to_first_byte_s);
  j.text("x-edge-detailed-result-type", e.x_edge_detailed_result_type);
  j.text("sc-content-type", e.sc_content_type);
  j.optional("sc-content-len", e.sc_content_len);
  j.optional("sc-range-start", e.sc_range_start);
  j.optional("sc-range-end", e.sc_range_end);
  j.text("x-edgefetch-origin-id", e.origin_id);
  j.text("x-edgefetch-origin-ip", e.origin_ip);
  if (e.origin_status == 0) {
    j.null("x-edgefetch-origin-status");
  } else {
    j.number("x-edgefetch-origin-status", e.origin_status);
  }
  j.text("x-edgefetch-origin-reason", e.origin_reason_code);
  j.text("x-edgefetch-origin-tls-version", e.origin_tls_version);
  j.text("x-edgefetch-origin-tls-cipher", e.origin_tls_cipher);
  j.boolean("x-edgefetch-origin-connection-reused", e.origin_connection_reused);
  j.boolean("x-edgefetch-origin-tls-resumed", e.origin_tls_resumed);
  j.seconds("x-edgefetch-origin-connect-time", e.origin_connect_s);
  j.seconds("x-edgefetch-origin-tls-time", e.origin_tls_s);
  j.seconds("x-edgefetch-origin-first-byte-time", e.origin_first_byte_s);
  return j.finish();
}

}  // namespace edgefetch::edge
