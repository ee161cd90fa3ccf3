#pragma once
// One request's bookkeeping: its access log entry, the metrics it feeds and
// its timings, from the first byte of its head to its log line.

#include <chrono>

#include "edge_state.hpp"
#include "edgefetch/edge/access_log.hpp"
#include "edgefetch/origin/client.hpp"
#include "viewer_connection_info.hpp"

namespace edgefetch::edge {

class RequestRecord {
 public:
  using Clock = std::chrono::steady_clock;

  RequestRecord(EdgeServer::State& state, const ViewerConnectionInfo& connection, Clock::time_point started);

  AccessLogEntry& entry() { return entry_; }

  /// The first byte of the answer leaves for the viewer (only the first call counts).
  void first_byte() {
    if (entry_.time_to_first_byte_s < 0) entry_.time_to_first_byte_s = since_start();
  }
  void sent(std::size_t bytes) { entry_.sc_bytes += bytes; }

  /// The origin exchange failed: the reason code and result type of the log line, and the failure metric.
  void origin_failure(const origin::FetchError& error);

  /// An origin group's primary failed and the secondary is tried: the log
  /// line describes the exchange that answers (the primary's failure stays
  /// in the metrics, under its own origin id).
  void failed_over();

  /// What the origin connection did: its address, TLS, timings, and their metrics.
  void origin_info(const origin::ExchangeInfo& info);

  /// What a failed send() had reached (the address, connect time, the TLS
  /// version and suite a refused handshake agreed), after origin_failure():
  /// the log fields, and the connect-time metric when the TCP connect itself
  /// succeeded (the handshake or the request's write failed after it).
  void failed_attempt(const origin::ExchangeInfo& info);

  /// The body ended with the origin's TCP FIN and no close_notify: the
  /// response was relayed as complete (as the CDN does), and the log says
  /// that a truncation could not be told apart.
  void body_end_unverified();

  /// Writes the log line and the request metric (once).
  void finish(int status);

 private:
  [[nodiscard]] double since_start() const;
  /// The log fields of origin_info() and failed_attempt(). `text_fields`:
  /// also the address and TLS names, which cost an inet_ntop and allocations.
  void fill_origin_fields(const origin::ExchangeInfo& info, bool text_fields);

  EdgeServer::State& state_;
  Clock::time_point started_;
  AccessLogEntry entry_;
  origin::Phase failed_phase_ = origin::Phase::setup;  // origin_failure()'s, for failed_attempt()
  bool finished_ = false;
};

}  // namespace edgefetch::edge
