#pragma once
// The edge's metrics, rendered in the Prometheus text exposition format 0.0.4
// for the admin listener's /metrics.
//
// Cost model: the proxy calls the record/observe functions on every request
// from every thread. Per-origin series live in a per-origin block found by a
// hash lookup under a shared (reader) lock; the counters and histogram buckets
// inside are relaxed atomics, so the hot path takes no exclusive lock and never
// allocates once an origin has been seen. Series keyed by free-form values
// (failure reasons, negotiated version/suite) sit in small per-origin maps
// under a per-origin mutex; they change only once per new origin connection.
// Rendering takes a consistent-enough snapshot (each value read atomically;
// a histogram's buckets, _sum and _count may differ by requests in flight).
//
// Exposed series (all names prefixed edgefetch_):
//   requests_total{origin,status_class}               counter; status_class "1xx".."5xx", "other"
//   request_duration_seconds{origin}                  histogram (viewer request, end to end)
//   origin_connect_seconds{origin}                    histogram (TCP connect)
//   origin_tls_handshake_seconds{origin,resumed}      histogram; resumed "true"/"false"
//   origin_first_byte_seconds{origin}                 histogram (request sent -> first byte)
//   origin_tls_negotiated_total{origin,version,suite} counter
//   origin_failures_total{origin,reason}              counter, every origin failure reason
//   origin_tls_failures_total{origin,reason}          counter, the subset that are TLS failures
//                                                     (reason is a TLS error code name, see
//                                                     tls::error_code_name, or tls_handshake_timeout)
//   origin_pool_connections{origin,state}             gauge; state "idle"/"active"
//   viewer_connections                                gauge
//   websocket_tunnels_active                          gauge (relayed WebSocket connections)
//   websocket_tunnels_total                           counter
//   config_reloads_total{result}                      counter; result "success"/"failure"
// Label values are escaped per the format (backslash, double quote, newline).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace edgefetch::edge {

class Metrics {
 public:
  /// Histogram bucket upper bounds in seconds (the +Inf bucket is implicit).
  /// From 0.5 ms (loopback connect) to 60 s (the CDN's largest origin timeouts).
  static constexpr std::array<double, 16> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0};

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// One viewer request finished with `status` after `seconds`. origin_id may
  /// be empty for requests rejected before routing (origin="").
  void record_request(std::string_view origin_id, int status, double seconds);
  void observe_origin_connect(std::string_view origin_id, double seconds);
  void observe_origin_tls_handshake(std::string_view origin_id, double seconds, bool resumed);
  void observe_origin_first_byte(std::string_view origin_id, double seconds);
  /// A new TLS connection to the origin negotiated `version` ("TLSv1.2") and `suite` (OpenSSL name).
  void record_origin_tls(std::string_view origin_id, std::string_view version, std::string_view suite);
  /// An origin attempt failed with reason code `reason_code` (FetchError::code()).
  void record_origin_failure(std::string_view origin_id, std::string_view reason_code);
  /// The origin's connection pool now holds `idle` idle and `active` in-use connections.
  void set_pool_connections(std::string_view origin_id, std::size_t idle, std::size_t active);
  void add_viewer_connections(int delta);
  /// A viewer's WebSocket upgrade succeeded and its relay started / ended.
  void websocket_opened();
  void websocket_closed();
  void record_config_reload(bool ok);

  /// The whole exposition, "text/plain; version=0.0.4".
  [[nodiscard]] std::string render_prometheus() const;

  /// True when `reason_code` counts as a TLS failure (see origin_tls_failures_total).
  static bool is_tls_failure_reason(std::string_view reason_code);

 private:
  struct OriginBlock;
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  OriginBlock& origin(std::string_view origin_id);

  mutable std::shared_mutex origins_mutex_;
  std::unordered_map<std::string, std::unique_ptr<OriginBlock>, StringHash, std::equal_to<>> origins_;
  std::atomic<int64_t> viewer_connections_{0};
  std::atomic<int64_t> websockets_active_{0};
  std::atomic<uint64_t> websockets_opened_{0};
  std::atomic<uint64_t> reloads_ok_{0};
  std::atomic<uint64_t> reloads_failed_{0};
};

}  // namespace edgefetch::edge
