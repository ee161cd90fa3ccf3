#pragma once
// The edge's access log: one line per viewer request, in the CDN's standard
// log file format (the 33 documented fields, in the documented order),
// followed by edgefetch's own origin-side fields. Two encodings:
//
// TSV (AccessLogFormat::tsv): header_lines() first ("#Version: 1.0" and
// "#Fields: ..."), then one tab-separated line per entry. Every field is
// present on every line; an absent value is "-". Every string value is
// URL-encoded the way the CDN's log format documents it (RFC 1738 style
// %XX): bytes 0x00-0x20 (controls, space), 0x7F and above (so UTF-8 text is
// logged as its percent-encoded bytes), and < > " # % { } | \ ^ ~ [ ] ` '.
// So a field can never contain a tab, a newline or a space
// and the line always splits into exactly kFieldCount fields.
//
// JSON (AccessLogFormat::json): one object per line, no header. Keys are the
// field names of the #Fields line (e.g. "cs(Host)", "x-edge-location"), every
// key always present (stable schema), in the same order. Values are JSON
// strings holding the *unencoded* text (JSON escaping keeps the line whole),
// JSON numbers for counts and durations, booleans for the two origin flags,
// and null where TSV writes "-". Invalid UTF-8 in a string becomes U+FFFD
// (JSON text must be UTF-8). Types per key:
//   date, time: string ("2026-11-26", "17:57:42", UTC)
//   sc-bytes, cs-bytes, sc-status: number (sc-status 0 where TSV writes "000")
//   c-port: number or null
//   time-taken, time-to-first-byte, x-edgefetch-origin-*-time: number (seconds) or null
//   sc-content-len, sc-range-start, sc-range-end, x-edgefetch-origin-status: number or null
//   x-edgefetch-origin-connection-reused, x-edgefetch-origin-tls-resumed: boolean
//   everything else: string or null
//
// Writing: write() is thread-safe; each entry becomes exactly one line, and
// lines from concurrent writers never interleave. Lines are flushed to the
// file descriptor per line (one write(2) per entry, no user-space batching),
// so a crash or SIGKILL loses no completed entry and `tail -f` sees each
// request as it completes; the cost is one syscall per request, which is
// small next to the proxy's own per-request syscalls (measured here: about
// 0.5 us CPU to format a TSV line, 1.5 us for JSON, 1.8 us for format and
// write(2) to a file). Writing to a closed pipe raises SIGPIPE: the process
// is expected to ignore SIGPIPE, as any network server does.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edgefetch/base/expected.hpp"

namespace edgefetch::edge {

/// One viewer request as the edge saw it. Strings: empty = absent ("-").
/// Durations in seconds: negative = absent. Integer codes: 0 = absent where noted.
struct AccessLogEntry {
  // --- The CDN's standard fields (the order of the log line is fixed by field_names()). ---
  std::chrono::system_clock::time_point time{};  // when the response was finished (date, time)
  std::string edge_location = "EFX1";            // x-edge-location
  uint64_t sc_bytes = 0;                         // bytes sent to the viewer, headers included
  std::string c_ip;                              // viewer IP (from the TCP connection)
  uint16_t c_port = 0;                           // viewer port; 0 = absent
  std::string cs_method;                         // GET, HEAD, ...
  std::string cs_host;                           // cs(Host): the edge's host name as the viewer addressed it
  std::string cs_uri_stem;                       // path, without the query
  std::string cs_uri_query;                      // query without '?'
  std::string cs_referer;                        // cs(Referer)
  std::string cs_user_agent;                     // cs(User-Agent)
  std::string cs_cookie;                         // cs(Cookie)
  int sc_status = 0;                             // 0 = the viewer went away before a response ("000")
  std::string x_edge_result_type;                // "Miss", "Error", ...
  std::string x_edge_request_id;                 // the X-Amz-Cf-Id-style request id
  std::string x_host_header;                     // the Host header value the viewer sent
  std::string cs_protocol;                       // "http" / "https"
  uint64_t cs_bytes = 0;                         // bytes received from the viewer, headers included
  double time_taken_s = -1.0;                    // request received -> last byte sent
  std::string x_forwarded_for;                   // the viewer's X-Forwarded-For, if it sent one
  std::string ssl_protocol;                      // viewer-side TLS version, e.g. "TLSv1.3"
  std::string ssl_cipher;                        // viewer-side cipher (OpenSSL name)
  std::string x_edge_response_result_type;       // "Miss", "Error", ...
  std::string cs_protocol_version = "HTTP/1.1";  // viewer's HTTP version
  double time_to_first_byte_s = -1.0;            // request received -> first response byte sent
  std::string x_edge_detailed_result_type;       // e.g. "OriginConnectError"
  std::string sc_content_type;                   // response Content-Type
  std::optional<uint64_t> sc_content_len;        // response Content-Length, if the response had one
  std::optional<uint64_t> sc_range_start;        // for 206 responses
  std::optional<uint64_t> sc_range_end;          // for 206 responses
  // fle-status and fle-encrypted-fields (field-level encryption) are always "-".

  // --- edgefetch's own fields, appended after the CDN's. ---
  std::string origin_id;                  // the origin's Id from the distribution config
  std::string origin_ip;                  // the origin address actually connected to
  int origin_status = 0;                  // the origin's HTTP status; 0 = none
  std::string origin_reason_code;         // why the origin failed, e.g. "cert_name_mismatch"
  std::string origin_tls_version;         // e.g. "TLSv1.2"; empty for plain HTTP
  std::string origin_tls_cipher;          // OpenSSL name
  bool origin_connection_reused = false;  // served on a pooled origin connection
  bool origin_tls_resumed = false;        // the origin TLS handshake was abbreviated (resumed session)
  double origin_connect_s = -1.0;         // TCP connect to the origin
  double origin_tls_s = -1.0;             // TLS handshake with the origin
  double origin_first_byte_s = -1.0;      // request sent to origin -> first response byte
};

enum class AccessLogFormat { tsv, json };

class AccessLog {
 public:
  /// Number of fields on a TSV line (33 CDN fields + 11 edgefetch fields).
  static constexpr std::size_t kCdnFieldCount = 33;
  static constexpr std::size_t kEdgefetchFieldCount = 11;
  static constexpr std::size_t kFieldCount = kCdnFieldCount + kEdgefetchFieldCount;

  /// Opens (creates or appends to) `path`, or stdout when path is "-". For
  /// TSV, writes header_lines() when the file is empty (new or truncated) or
  /// is stdout. Errors name the path and the OS reason.
  static base::Expected<std::unique_ptr<AccessLog>, std::string> open(const std::string& path,
                                                                      AccessLogFormat format);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  /// Thread-safe; one line per entry, written with one write(2) under a lock.
  /// A write error is counted (write_errors()) and otherwise ignored: the
  /// access log must never fail a viewer request.
  void write(const AccessLogEntry& entry);

  /// Entries that could not be written (disk full, closed pipe, ...).
  [[nodiscard]] uint64_t write_errors() const noexcept;

  [[nodiscard]] AccessLogFormat format() const noexcept { return format_; }

  /// "#Version: 1.0\n#Fields: date time ...\n" (two lines, each ending in '\n').
  static std::string header_lines();

  /// The field names, in line order (the #Fields names; also the JSON keys).
  static const std::array<std::string_view, kFieldCount>& field_names();

  /// One entry as a TSV line / JSON object, each ending in '\n'.
  static std::string format_tsv(const AccessLogEntry& entry);
  static std::string format_json(const AccessLogEntry& entry);

  /// The CDN-style URL-encoding used for TSV values (never returns a string
  /// containing a byte <= 0x20 or >= 0x7F); empty input gives "-".
  static std::string encode_field(std::string_view value);

 private:
  struct Impl;
  class PassKey {  // lets open() use make_unique while no one else can construct
    friend class AccessLog;
    PassKey() = default;
  };

 public:
  AccessLog(PassKey, std::unique_ptr<Impl> impl, AccessLogFormat format);

 private:
  std::unique_ptr<Impl> impl_;
  AccessLogFormat format_;
};

}  // namespace edgefetch::edge
