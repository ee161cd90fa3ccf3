// Metrics: per-origin blocks of relaxed atomics, rendered on demand in the
// Prometheus text exposition format 0.0.4.

#include "edgefetch/edge/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "edgefetch/tls/error.hpp"

namespace edgefetch::edge {
namespace {

constexpr std::size_t kBucketCount = Metrics::kLatencyBuckets.size() + 1;  // + the +Inf bucket
constexpr std::array<std::string_view, 6> kStatusClasses = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

std::size_t status_class_index(int status) {
  if (status >= 100 && status <= 599) {
    return static_cast<std::size_t>(status / 100 - 1);
  }
  return 5;
}

// Durations are summed as integer nanoseconds: exact under concurrency (no
// floating-point order dependence) and good for centuries of requests.
uint64_t to_nanoseconds(double seconds) {
  if (!(seconds > 0.0)) {  // negative, zero or NaN
    return 0;
  }
  constexpr double kMaxSeconds = 1e9;  // clamp absurd values instead of overflowing
  return static_cast<uint64_t>(std::llround(std::min(seconds, kMaxSeconds) * 1e9));
}

}  // namespace

// A named namespace, not an anonymous one: OriginBlock (a member of Metrics)
// holds these; the name keeps it clear of other edge files' types.
namespace metrics_detail {

class Histogram {
 public:
  void observe(double seconds) {
    const double v = seconds >= 0.0 ? seconds : 0.0;  // NaN and negatives land in the first bucket
    const auto* bound = std::lower_bound(Metrics::kLatencyBuckets.begin(), Metrics::kLatencyBuckets.end(), v);
    const auto index = static_cast<std::size_t>(bound - Metrics::kLatencyBuckets.begin());
    buckets_[index].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(to_nanoseconds(seconds), std::memory_order_relaxed);
  }

  struct Snapshot {
    std::array<uint64_t, kBucketCount> cumulative{};  // cumulative counts, last = +Inf = count
    double sum_seconds = 0;
  };
  [[nodiscard]] Snapshot snapshot() const {
    Snapshot s;
    uint64_t running = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      running += buckets_[i].load(std::memory_order_relaxed);
      s.cumulative[i] = running;
    }
    s.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
    return s;
  }

 private:
  std::array<std::atomic<uint64_t>, kBucketCount> buckets_{};  // per-bucket (not cumulative) counts
  std::atomic<uint64_t> sum_ns_{0};
};

}  // namespace metrics_detail

using metrics_detail::Histogram;

struct Metrics::OriginBlock {
  explicit OriginBlock(std::string origin_id) : id(std::move(origin_id)) {}

  const std::string id;
  std::array<std::atomic<uint64_t>, kStatusClasses.size()> requests{};
  Histogram request_duration;
  Histogram connect;
  std::array<Histogram, 2> tls_handshake;  // [0] full, [1] resumed
  Histogram first_byte;
  std::atomic<uint64_t> pool_idle{0};
  std::atomic<uint64_t> pool_active{0};

  // Keyed by free-form strings; touched once per new origin connection or failure.
  mutable std::mutex labelled_mutex;
  std::map<std::pair<std::string, std::string>, uint64_t, std::less<>> tls_negotiated;  // (version, suite)
  std::map<std::string, uint64_t, std::less<>> failures;                                // reason
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::OriginBlock& Metrics::origin(std::string_view origin_id) {
  {
    const std::shared_lock lock(origins_mutex_);
    if (const auto it = origins_.find(origin_id); it != origins_.end()) {
      return *it->second;
    }
  }
  const std::unique_lock lock(origins_mutex_);
  auto [it, inserted] = origins_.try_emplace(std::string(origin_id), nullptr);
  if (inserted) {
    it->second = std::make_unique<OriginBlock>(std::string(origin_id));
  }
  return *it->second;
}

void Metrics::record_request(std::string_view origin_id, int status, double seconds) {
  OriginBlock& block = origin(origin_id);
  block.requests[status_class_index(status)].fetch_add(1, std::memory_order_relaxed);
  block.request_duration.observe(seconds);
}

void Metrics::observe_origin_connect(std::string_view origin_id, double seconds) {
  origin(origin_id).connect.observe(seconds);
}

void Metrics::observe_origin_tls_handshake(std::string_view origin_id, double seconds, bool resumed) {
  origin(origin_id).tls_handshake[resumed ? 1 : 0].observe(seconds);
}

void Metrics::observe_origin_first_byte(std::string_view origin_id, double seconds) {
  origin(origin_id).first_byte.observe(seconds);
}

void Metrics::record_origin_tls(std::string_view origin_id, std::string_view version,
                                std::string_view suite) {
  OriginBlock& block = origin(origin_id);
  const std::lock_guard lock(block.labelled_mutex);
  ++block.tls_negotiated[{std::string(version), std::string(suite)}];
}

void Metrics::record_origin_failure(std::string_view origin_id, std::string_view reason_code) {
  OriginBlock& block = origin(origin_id);
  const std::lock_guard lock(block.labelled_mutex);
  auto it = block.failures.find(reason_code);
  if (it == block.failures.end()) {
    it = block.failures.emplace(std::string(reason_code), 0).first;
  }
  ++it->second;
}

void Metrics::set_pool_connections(std::string_view origin_id, std::size_t idle, std::size_t active) {
  OriginBlock& block = origin(origin_id);
  block.pool_idle.store(idle, std::memory_order_relaxed);
  block.pool_active.store(active, std::memory_order_relaxed);
}

void Metrics::add_viewer_connections(int delta) {
  viewer_connections_.fetch_add(delta, std::memory_order_relaxed);
}

void Metrics::websocket_opened() {
  websockets_opened_.fetch_add(1, std::memory_order_relaxed);
  websockets_active_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::websocket_closed() {
  websockets_active_.fetch_sub(1, std::memory_order_relaxed);
}

void Metrics::record_config_reload(bool ok) {
  (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed);
}

bool Metrics::is_tls_failure_reason(std::string_view reason_code) {
  // Every TLS engine error name except the ones that are not TLS failures
  // ("none", and "internal_error", which the fetch layer uses for its own
  // internal failures too), plus the fetch layer's handshake timeout.
  static const std::set<std::string, std::less<>> tls_reasons = [] {
    std::set<std::string, std::less<>> names{"tls_handshake_timeout"};
    for (int code = static_cast<int>(tls::ErrorCode::none) + 1;
         code < static_cast<int>(tls::ErrorCode::internal_error); ++code) {
      names.emplace(tls::error_code_name(static_cast<tls::ErrorCode>(code)));
    }
    return names;
  }();
  return tls_reasons.contains(reason_code);
}

// ---- Rendering ----

namespace {

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

void append_labels(std::string& out, Labels labels) {
  if (labels.size() == 0) {
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) {
      out += ',';
    }
    first = false;
    out += name;
    out += "=\"";
    append_label_value(out, value);
    out += '"';
  }
  out += '}';
}

void append_uint(std::string& out, uint64_t value) {
  std::array<char, 24> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), ec == std::errc{} ? end : buf.data());
}

void append_int(std::string& out, int64_t value) {
  std::array<char, 24> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), ec == std::errc{} ? end : buf.data());
}

// Shortest round-trip decimal in fixed notation ("0.0005", "1", "2.5").
void append_double(std::string& out, double value) {
  std::array<char, 400> buf{};  // fixed notation of a double needs at most ~330 chars
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed);
  out.append(buf.data(), ec == std::errc{} ? end : buf.data());
}

void append_family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;  // static text without backslashes or newlines
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void append_sample(std::string& out, std::string_view name, Labels labels, uint64_t value) {
  out += name;
  append_labels(out, labels);
  out += ' ';
  append_uint(out, value);
  out += '\n';
}

void append_histogram_series(std::string& out, std::string_view name, Labels labels,
                             const Histogram& histogram) {
  const Histogram::Snapshot s = histogram.snapshot();
  std::string bound;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    out += name;
    out += "_bucket{";
    for (const auto& [label, value] : labels) {
      out += label;
      out += "=\"";
      append_label_value(out, value);
      out += "\",";
    }
    out += "le=\"";
    if (i < Metrics::kLatencyBuckets.size()) {
      append_double(out, Metrics::kLatencyBuckets[i]);
    } else {
      out += "+Inf";
    }
    out += "\"} ";
    append_uint(out, s.cumulative[i]);
    out += '\n';
  }
  out += name;
  out += "_sum";
  append_labels(out, labels);
  out += ' ';
  append_double(out, s.sum_seconds);
  out += '\n';
  out += name;
  out += "_count";
  append_labels(out, labels);
  out += ' ';
  append_uint(out, s.cumulative.back());
  out += '\n';
}

}  // namespace

std::string Metrics::render_prometheus() const {
  // Snapshot the origin list (blocks are never removed, so pointers stay valid).
  std::vector<const OriginBlock*> blocks;
  {
    const std::shared_lock lock(origins_mutex_);
    blocks.reserve(origins_.size());
    for (const auto& [id, block] : origins_) {
      blocks.push_back(block.get());
    }
  }
  std::sort(blocks.begin(), blocks.end(), [](const auto* a, const auto* b) { return a->id < b->id; });

  std::string out;
  out.reserve(4096 + blocks.size() * 8192);

  append_family(out, "edgefetch_requests_total", "counter",
                "Viewer requests answered, by origin and response status class.");
  for (const OriginBlock* b : blocks) {
    for (std::size_t i = 0; i < kStatusClasses.size(); ++i) {
      append_sample(out, "edgefetch_requests_total", {{"origin", b->id}, {"status_class", kStatusClasses[i]}},
                    b->requests[i].load(std::memory_order_relaxed));
    }
  }

  append_family(out, "edgefetch_request_duration_seconds", "histogram",
                "Viewer request duration, request received to last byte sent.");
  for (const OriginBlock* b : blocks) {
    append_histogram_series(out, "edgefetch_request_duration_seconds", {{"origin", b->id}},
                            b->request_duration);
  }

  append_family(out, "edgefetch_origin_connect_seconds", "histogram", "TCP connect time of a request's new origin connection (the last it opened).");
  for (const OriginBlock* b : blocks) {
    append_histogram_series(out, "edgefetch_origin_connect_seconds", {{"origin", b->id}}, b->connect);
  }

  append_family(out, "edgefetch_origin_tls_handshake_seconds", "histogram",
                "TLS handshake time with the origin, full or resumed.");
  for (const OriginBlock* b : blocks) {
    append_histogram_series(out, "edgefetch_origin_tls_handshake_seconds",
                            {{"origin", b->id}, {"resumed", "false"}}, b->tls_handshake[0]);
    append_histogram_series(out, "edgefetch_origin_tls_handshake_seconds",
                            {{"origin", b->id}, {"resumed", "true"}}, b->tls_handshake[1]);
  }

  append_family(out, "edgefetch_origin_first_byte_seconds", "histogram",
                "Time from sending the request to the origin to its first response byte.");
  for (const OriginBlock* b : blocks) {
    append_histogram_series(out, "edgefetch_origin_first_byte_seconds", {{"origin", b->id}}, b->first_byte);
  }

  append_family(out, "edgefetch_origin_pool_connections", "gauge",
                "Connections in the origin's keep-alive pool, by state.");
  for (const OriginBlock* b : blocks) {
    append_sample(out, "edgefetch_origin_pool_connections", {{"origin", b->id}, {"state", "idle"}},
                  b->pool_idle.load(std::memory_order_relaxed));
    append_sample(out, "edgefetch_origin_pool_connections", {{"origin", b->id}, {"state", "active"}},
                  b->pool_active.load(std::memory_order_relaxed));
  }

  // Copy the labelled maps under their locks, then format without holding them.
  std::vector<std::map<std::pair<std::string, std::string>, uint64_t, std::less<>>> negotiated(blocks.size());
  std::vector<std::map<std::string, uint64_t, std::less<>>> failures(blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::lock_guard lock(blocks[i]->labelled_mutex);
    negotiated[i] = blocks[i]->tls_negotiated;
    failures[i] = blocks[i]->failures;
  }

  append_family(out, "edgefetch_origin_tls_negotiated_total", "counter",
                "New TLS connections to the origin, by negotiated version and cipher suite.");
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    for (const auto& [key, count] : negotiated[i]) {
      append_sample(out, "edgefetch_origin_tls_negotiated_total",
                    {{"origin", blocks[i]->id}, {"version", key.first}, {"suite", key.second}}, count);
    }
  }

  append_family(out, "edgefetch_origin_failures_total", "counter",
                "Requests whose origin exchange failed (once per request, after its retries), by edgefetch "
                "reason code.");
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    for (const auto& [reason, count] : failures[i]) {
      append_sample(out, "edgefetch_origin_failures_total", {{"origin", blocks[i]->id}, {"reason", reason}},
                    count);
    }
  }

  append_family(out, "edgefetch_origin_tls_failures_total", "counter",
                "Failed origin TLS handshakes, by edgefetch reason code.");
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    for (const auto& [reason, count] : failures[i]) {
      if (is_tls_failure_reason(reason)) {
        append_sample(out, "edgefetch_origin_tls_failures_total",
                      {{"origin", blocks[i]->id}, {"reason", reason}}, count);
      }
    }
  }

  append_family(out, "edgefetch_viewer_connections", "gauge", "Open viewer connections.");
  out += "edgefetch_viewer_connections ";
  append_int(out, viewer_connections_.load(std::memory_order_relaxed));
  out += '\n';

  append_family(out, "edgefetch_websocket_tunnels_active", "gauge",
                "WebSocket connections relayed between a viewer and an origin now.");
  out += "edgefetch_websocket_tunnels_active ";
  append_int(out, websockets_active_.load(std::memory_order_relaxed));
  out += '\n';
  append_family(out, "edgefetch_websocket_tunnels_total", "counter",
                "WebSocket connections relayed (the origin answered 101 to an upgrade).");
  out += "edgefetch_websocket_tunnels_total ";
  append_int(out, static_cast<std::int64_t>(websockets_opened_.load(std::memory_order_relaxed)));
  out += '\n';

  append_family(out, "edgefetch_config_reloads_total", "counter",
                "Configuration reloads (SIGHUP), by result.");
  append_sample(out, "edgefetch_config_reloads_total", {{"result", "success"}},
                reloads_ok_.load(std::memory_order_relaxed));
  append_sample(out, "edgefetch_config_reloads_total", {{"result", "failure"}},
                reloads_failed_.load(std::memory_order_relaxed));
  return out;
}

}  // namespace edgefetch::edge
