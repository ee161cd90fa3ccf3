#include "request_record.hpp"

#include <string_view>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::edge {
namespace {

double seconds_of(const std::optional<origin::Duration>& d) {
  return d ? std::chrono::duration<double>(*d).count() : -1.0;
}

// The CDN's x-edge-detailed-result-type for an origin failure (facts 4.2).
std::string_view detailed_result_type(const origin::FetchError& error) {
  using K = origin::FailureKind;
  switch (error.kind) {
    case K::dns_failure:
      return "OriginDnsError";
    case K::connection_refused:
    case K::host_unreachable:
    case K::connection_reset:
    case K::connect_failed:
    case K::tls:
      return "OriginConnectError";
    case K::connect_timeout:
    case K::tls_handshake_timeout:
    case K::read_timeout:
    case K::response_completion_timeout:
      return "OriginCommError";
    case K::write_failed:
      return "OriginWriteError";
    case K::connection_closed:
      return "OriginReadError";
    case K::invalid_response:
      return "OriginInvalidResponseError";
    case K::response_headers_too_large:
      return "OriginHeaderTooBigError";
    default:
      return "OriginError";
  }
}

}  // namespace

RequestRecord::RequestRecord(EdgeServer::State& state, const ViewerConnectionInfo& connection,
                             Clock::time_point started)
    : state_(state), started_(started) {
  entry_.c_ip = connection.ip;
  entry_.c_port = connection.port;
  entry_.cs_protocol = connection.tls ? "https" : "http";
  entry_.ssl_protocol = connection.tls_version;
  entry_.ssl_cipher = connection.tls_cipher;
  entry_.edge_location = state.identity.pop;
}

double RequestRecord::since_start() const {
  return std::chrono::duration<double>(Clock::now() - started_).count();
}

void RequestRecord::origin_failure(const origin::FetchError& error) {
  failed_phase_ = error.phase;
  entry_.origin_reason_code = error.code();
  entry_.x_edge_detailed_result_type = std::string(detailed_result_type(error));
  if (state_.options.metrics) {
    state_.options.metrics->record_origin_failure(entry_.origin_id, entry_.origin_reason_code);
  }
}

void RequestRecord::failed_over() {
  // The line describes the secondary's exchange alone: nothing of the primary's stays.
  entry_.origin_reason_code.clear();
  entry_.x_edge_detailed_result_type.clear();
  entry_.origin_ip.clear();
  entry_.origin_tls_version.clear();
  entry_.origin_tls_cipher.clear();
  entry_.origin_connection_reused = false;
  entry_.origin_tls_resumed = false;
  entry_.origin_connect_s = -1.0;
  entry_.origin_tls_s = -1.0;
  entry_.origin_first_byte_s = -1.0;
}

void RequestRecord::fill_origin_fields(const origin::ExchangeInfo& info, bool text_fields) {
  if (text_fields && state_.options.access_log != nullptr && info.remote) {
    entry_.origin_ip = info.remote->address().to_string();
  }
  entry_.origin_connection_reused = info.connection_reused;
  // A suite is known once a ServerHello was taken; a handshake that failed
  // before one agreed nothing (the version field holds only its default).
  if (text_fields && info.tls_negotiated && info.tls_negotiated->cipher_suite != nullptr) {
    const auto& negotiated = *info.tls_negotiated;
    entry_.origin_tls_version = std::string(policy::info(negotiated.version).openssl_name);
    entry_.origin_tls_cipher = std::string(negotiated.cipher_suite->openssl_name);
    entry_.origin_tls_resumed = negotiated.resumed;
  }
  if (!info.connection_reused) {
    entry_.origin_connect_s = seconds_of(info.timings.connect);
    entry_.origin_tls_s = seconds_of(info.timings.tls);
  }
  entry_.origin_first_byte_s = seconds_of(info.timings.first_byte);
}

void RequestRecord::failed_attempt(const origin::ExchangeInfo& info) {
  fill_origin_fields(info, state_.options.access_log != nullptr);
  auto* metrics = state_.options.metrics.get();
  const bool tcp_connected = failed_phase_ != origin::Phase::setup &&
                             failed_phase_ != origin::Phase::resolve &&
                             failed_phase_ != origin::Phase::connect;
  if (metrics != nullptr && tcp_connected && !info.connection_reused && info.timings.connect) {
    metrics->observe_origin_connect(entry_.origin_id, entry_.origin_connect_s);
  }
}

void RequestRecord::body_end_unverified() {
  entry_.origin_reason_code = "eof_without_close_notify";
}

void RequestRecord::origin_info(const origin::ExchangeInfo& info) {
  // The text fields cost an inet_ntop and allocations per request: only built
  // when a log line or a new-connection metric will use them.
  const bool logging = state_.options.access_log != nullptr;
  const bool new_connection_metric = state_.options.metrics != nullptr && !info.connection_reused;
  fill_origin_fields(info, logging || new_connection_metric);
  auto* metrics = state_.options.metrics.get();
  if (metrics == nullptr) return;
  const std::string& id = entry_.origin_id;
  if (!info.connection_reused) {
    if (info.timings.connect) metrics->observe_origin_connect(id, entry_.origin_connect_s);
    if (info.timings.tls) {
      metrics->observe_origin_tls_handshake(id, entry_.origin_tls_s, entry_.origin_tls_resumed);
    }
    if (info.tls_negotiated) {
      metrics->record_origin_tls(id, entry_.origin_tls_version, entry_.origin_tls_cipher);
    }
  }
  if (info.timings.first_byte) metrics->observe_origin_first_byte(id, entry_.origin_first_byte_s);
}

void RequestRecord::finish(int status) {
  if (finished_) return;
  finished_ = true;
  entry_.sc_status = status;
  entry_.time = std::chrono::system_clock::now();
  entry_.time_taken_s = since_start();
  if (entry_.x_edge_result_type.empty()) {
    entry_.x_edge_result_type = status >= 400 || status == 0 ? "Error" : "Miss";
  }
  // The log reference: when the result is not an Error, the detailed type is the result type.
  if (entry_.x_edge_result_type != "Error" && entry_.x_edge_detailed_result_type.empty()) {
    entry_.x_edge_detailed_result_type = entry_.x_edge_result_type;
  }
  entry_.x_edge_response_result_type = entry_.x_edge_result_type;
  if (state_.options.access_log) state_.options.access_log->write(entry_);
  if (state_.options.metrics) {
    state_.options.metrics->record_request(entry_.origin_id, status, entry_.time_taken_s);
  }
}

}  // namespace edgefetch::edge
