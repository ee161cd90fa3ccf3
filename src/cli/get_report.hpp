#pragma once
// What `edgefetch get` reports: the --json document (schema below), the error
// explanation on stderr (what happened, why, what to do), and the exit code.
//
// --json: one object on stdout.
//   url            the URL as fetched
//   status         HTTP status
//   headers        response headers, lower-case names; a repeated header is an array of its values
//   header_fields  the same headers as [{name (as received), value}], one per field line,
//                  repeated fields kept, in the order received
//   body_bytes     body size received
//                  (status to body_bytes: on success, and on a failure after the head arrived)
//   tls            https only: version {name, code}, cipher {openssl, rfc, code},
//                  group {name, code} (absent for RSA key exchange),
//                  signature_scheme {name, code} (absent where none),
//                  certificate {subject, issuer, not_before, not_after, san, key},
//                  extended_master_secret, secure_renegotiation, hello_requests_ignored
//                  (TLS 1.2 and lower; HelloRequests after the handshake, ignored as by the CDN),
//                  hello_retry_request (TLS 1.3 only: whether the server asked for a key
//                  share in another group), server_name, alpn (when negotiated).
//                  On failure, whatever was negotiated.
//   timings_ms     dns, connect, tls, first_byte, total (phases that ran)
//   attempts       connection attempts: {address, outcome, ms}
//   warnings       array of strings (always present)
//   error          on failure: {code, message, cdn_status (what the CDN's viewer gets: 502 or
//                  504, or the origin's status when its head had arrived), phase (setup, resolve,
//                  connect, tls_handshake,
//                  request or response: where the fetch was when it failed),
//                  alert {name, code, sent_by} when there was one}
// Code points are hex strings: "0x0303", "0xC02F".

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "edgefetch/origin/fetch.hpp"
#include "get_options.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::get {

nlohmann::ordered_json result_json(const PreparedGet& prepared, const origin::FetchResult& result,
                                   const std::vector<std::string>& warnings);

/// The failure explained for a person: the code, the reason, the CDN's answer
/// and what to do. Several lines, each ending in '\n'.
std::string error_text(const PreparedGet& prepared, const origin::FetchResult& result,
                       const terminal::Painter& painter);

/// 1 TLS/certificate, 3 connection/timeout/bad response, 4 output failure; 0 success.
int exit_code(const origin::FetchResult& result);

/// "12.345 ms"
std::string format_ms(origin::Duration duration);
/// "dns 0.1 ms, connect 0.2 ms, tls 3.4 ms, first byte 0.8 ms, total 4.6 ms"
std::string timings_text(const origin::Timings& timings);

}  // namespace edgefetch::cli::get
