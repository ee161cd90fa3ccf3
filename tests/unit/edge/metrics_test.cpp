// Metrics: the rendered Prometheus text is parsed back (a small parser for
// the 0.0.4 text format) and checked for values, label escaping, HELP/TYPE
// lines, histogram invariants, and exact totals under concurrent recording.

#include "edgefetch/edge/metrics.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace edgefetch::edge {
namespace {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in rendered order, unescaped
  double value = 0;
};

struct Exposition {
  std::map<std::string, std::string> help;  // family -> text
  std::map<std::string, std::string> type;  // family -> counter|gauge|histogram
  std::vector<Sample> samples;
  std::vector<std::string> errors;  // lines the parser could not read

  // The value of the one sample with this name and exactly these labels (any order).
  [[nodiscard]] std::optional<double> value(const std::string& name,
                                            std::map<std::string, std::string> labels = {}) const {
    std::optional<double> found;
    for (const Sample& s : samples) {
      if (s.name != name || s.labels.size() != labels.size()) {
        continue;
      }
      bool match = true;
      for (const auto& [k, v] : s.labels) {
        const auto it = labels.find(k);
        match = match && it != labels.end() && it->second == v;
      }
      if (match) {
        EXPECT_FALSE(found.has_value()) << "duplicate series " << name;
        found = s.value;
      }
    }
    return found;
  }
};

// Parses `name{l="v",...} value` lines per the text format: label values
// escape backslash, double quote and newline.
Exposition parse(const std::string& text) {
  Exposition out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::string rest = line.substr(7);
      const auto space = rest.find(' ');
      if (space == std::string::npos) {
        out.errors.push_back(line);
        continue;
      }
      (line[2] == 'H' ? out.help : out.type)[rest.substr(0, space)] = rest.substr(space + 1);
      continue;
    }
    if (line.front() == '#') {
      continue;
    }
    Sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') {
      s.name += line[i++];
    }
    bool ok = !s.name.empty();
    if (ok && i < line.size() && line[i] == '{') {
      ++i;
      while (ok && i < line.size() && line[i] != '}') {
        std::string key;
        while (i < line.size() && line[i] != '=') {
          key += line[i++];
        }
        if (i + 1 >= line.size() || line[i + 1] != '"') {
          ok = false;
          break;
        }
        i += 2;
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            const char e = line[i + 1];
            value += e == 'n' ? '\n' : e;  // \\ -> \, \" -> ", \n -> newline
            i += 2;
          } else {
            value += line[i++];
          }
        }
        if (i >= line.size()) {
          ok = false;
          break;
        }
        ++i;  // closing quote
        s.labels.emplace_back(key, value);
        if (i < line.size() && line[i] == ',') {
          ++i;
        }
      }
      ok = ok && i < line.size() && line[i] == '}';
      ++i;
    }
    ok = ok && i < line.size() && line[i] == ' ';
    if (!ok) {
      out.errors.push_back(line);
      continue;
    }
    const std::string number = line.substr(i + 1);
    try {
      std::size_t used = 0;
      s.value = number == "+Inf" ? INFINITY : std::stod(number, &used);
      if (number != "+Inf" && used != number.size()) {
        out.errors.push_back(line);
        continue;
      }
    } catch (const std::exception&) {
      out.errors.push_back(line);
      continue;
    }
    out.samples.push_back(std::move(s));
  }
  return out;
}

std::string family_of(const std::string& sample_name, const Exposition& e) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string sfx(suffix);
    if (sample_name.size() > sfx.size() && sample_name.ends_with(sfx)) {
      const std::string base = sample_name.substr(0, sample_name.size() - sfx.size());
      if (e.type.contains(base) && e.type.at(base) == "histogram") {
        return base;
      }
    }
  }
  return sample_name;
}

// Structural checks every rendering must pass.
void expect_well_formed(const std::string& text) {
  const Exposition e = parse(text);
  EXPECT_TRUE(e.errors.empty()) << "unparsable: " << (e.errors.empty() ? "" : e.errors.front());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  for (const Sample& s : e.samples) {
    EXPECT_TRUE(s.name.starts_with("edgefetch_")) << s.name;
    const std::string family = family_of(s.name, e);
    EXPECT_TRUE(e.help.contains(family)) << "no HELP for " << family;
    EXPECT_TRUE(e.type.contains(family)) << "no TYPE for " << family;
  }
  // HELP and TYPE precede the family's samples, once each.
  std::set<std::string> seen_type;
  std::istringstream in(text);
  std::string line;
  std::string current;
  while (std::getline(in, line)) {
    if (line.starts_with("# TYPE ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(seen_type.insert(name).second) << "TYPE twice for " << name;
      current = name;
    } else if (!line.starts_with("#")) {
      const std::string sample = line.substr(0, line.find_first_of("{ "));
      EXPECT_EQ(family_of(sample, e), current) << line;
    }
  }
  // Histograms: cumulative buckets ending in +Inf == _count.
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // series key -> (le, count)
  for (const Sample& s : e.samples) {
    if (!s.name.ends_with("_bucket")) {
      continue;
    }
    std::string key = s.name;
    double le = NAN;
    for (const auto& [k, v] : s.labels) {
      if (k == "le") {
        le = v == "+Inf" ? INFINITY : std::stod(v);
      } else {
        key += "|" + k + "=" + v;
      }
    }
    EXPECT_FALSE(std::isnan(le)) << "bucket without le: " << s.name;
    buckets[key].emplace_back(le, s.value);
  }
  for (const auto& [key, series] : buckets) {
    ASSERT_FALSE(series.empty());
    for (std::size_t i = 1; i < series.size(); ++i) {
      EXPECT_LT(series[i - 1].first, series[i].first) << key << ": le not increasing";
      EXPECT_LE(series[i - 1].second, series[i].second) << key << ": bucket counts not cumulative";
    }
    EXPECT_TRUE(std::isinf(series.back().first)) << key << ": last bucket is not +Inf";
  }
  for (const Sample& s : e.samples) {
    if (!s.name.ends_with("_count") || family_of(s.name, e) == s.name) {
      continue;
    }
    std::map<std::string, std::string> labels(s.labels.begin(), s.labels.end());
    labels["le"] = "+Inf";
    const auto inf = e.value(s.name.substr(0, s.name.size() - 6) + "_bucket", labels);
    ASSERT_TRUE(inf.has_value()) << s.name;
    EXPECT_EQ(*inf, s.value) << s.name << ": +Inf bucket != _count";
  }
}

TEST(Metrics, EmptyRegistryRendersGlobalSeries) {
  Metrics m;
  const std::string text = m.render_prometheus();
  expect_well_formed(text);
  const Exposition e = parse(text);
  EXPECT_EQ(e.value("edgefetch_viewer_connections"), 0.0);
  EXPECT_EQ(e.value("edgefetch_config_reloads_total", {{"result", "success"}}), 0.0);
  EXPECT_EQ(e.value("edgefetch_config_reloads_total", {{"result", "failure"}}), 0.0);
  EXPECT_EQ(e.type.at("edgefetch_requests_total"), "counter");
  EXPECT_EQ(e.type.at("edgefetch_origin_connect_seconds"), "histogram");
  EXPECT_EQ(e.type.at("edgefetch_origin_pool_connections"), "gauge");
  EXPECT_EQ(e.type.at("edgefetch_viewer_connections"), "gauge");
  EXPECT_EQ(e.type.at("edgefetch_websocket_tunnels_active"), "gauge");
  EXPECT_EQ(e.type.at("edgefetch_websocket_tunnels_total"), "counter");
  EXPECT_EQ(e.value("edgefetch_websocket_tunnels_total"), 0.0);
}

TEST(Metrics, RequestsAreCountedByOriginAndStatusClass) {
  Metrics m;
  for (int status : {200, 204, 299, 301, 404, 404, 502, 504, 504, 101}) {
    m.record_request("web", status, 0.01);
  }
  m.record_request("api", 200, 0.02);
  m.record_request("api", 0, 0.0);    // viewer left before a status
  m.record_request("api", 600, 0.0);  // not an HTTP status class
  m.record_request("", 400, 0.001);   // rejected before routing
  const std::string text = m.render_prometheus();
  expect_well_formed(text);
  const Exposition e = parse(text);
  const auto requests = [&e](const std::string& origin, const std::string& cls) {
    return e.value("edgefetch_requests_total", {{"origin", origin}, {"status_class", cls}});
  };
  EXPECT_EQ(requests("web", "1xx"), 1.0);
  EXPECT_EQ(requests("web", "2xx"), 3.0);
  EXPECT_EQ(requests("web", "3xx"), 1.0);
  EXPECT_EQ(requests("web", "4xx"), 2.0);
  EXPECT_EQ(requests("web", "5xx"), 3.0);
  EXPECT_EQ(requests("web", "other"), 0.0);
  EXPECT_EQ(requests("api", "2xx"), 1.0);
  EXPECT_EQ(requests("api", "other"), 2.0);
  EXPECT_EQ(requests("", "4xx"), 1.0);
  EXPECT_EQ(e.value("edgefetch_request_duration_seconds_count", {{"origin", "web"}}), 10.0);
  EXPECT_NEAR(*e.value("edgefetch_request_duration_seconds_sum", {{"origin", "web"}}), 0.1, 1e-9);
  // Origins are rendered in name order.
  EXPECT_LT(text.find("origin=\"api\""), text.find("origin=\"web\""));
}

TEST(Metrics, HistogramBucketsAreInclusiveUpperBounds) {
  Metrics m;
  m.observe_origin_connect("o", 0.0005);  // exactly the first bound: counted in le="0.0005"
  m.observe_origin_connect("o", 0.0006);
  m.observe_origin_connect("o", 0.25);
  m.observe_origin_connect("o", 100.0);  // above the last bound: only +Inf
  m.observe_origin_connect("o", -1.0);   // clock went backwards: counted as 0
  const std::string text = m.render_prometheus();
  expect_well_formed(text);
  const Exposition e = parse(text);
  const auto bucket = [&e](const std::string& le) {
    return e.value("edgefetch_origin_connect_seconds_bucket", {{"origin", "o"}, {"le", le}});
  };
  EXPECT_EQ(bucket("0.0005"), 2.0);
  EXPECT_EQ(bucket("0.001"), 3.0);
  EXPECT_EQ(bucket("0.1"), 3.0);
  EXPECT_EQ(bucket("0.25"), 4.0);
  EXPECT_EQ(bucket("60"), 4.0);
  EXPECT_EQ(bucket("+Inf"), 5.0);
  EXPECT_EQ(e.value("edgefetch_origin_connect_seconds_count", {{"origin", "o"}}), 5.0);
  EXPECT_NEAR(*e.value("edgefetch_origin_connect_seconds_sum", {{"origin", "o"}}), 100.2511, 1e-9);
  // Every bound of kLatencyBuckets appears, in order, then +Inf.
  std::size_t count = 0;
  for (const Sample& s : e.samples) {
    if (s.name == "edgefetch_origin_connect_seconds_bucket") {
      ++count;
    }
  }
  EXPECT_EQ(count, Metrics::kLatencyBuckets.size() + 1);
}

TEST(Metrics, TlsHandshakeIsSplitByResumption) {
  Metrics m;
  m.observe_origin_tls_handshake("o", 0.004, false);
  m.observe_origin_tls_handshake("o", 0.001, true);
  m.observe_origin_tls_handshake("o", 0.0012, true);
  m.observe_origin_first_byte("o", 0.03);
  const Exposition e = parse(m.render_prometheus());
  EXPECT_EQ(e.value("edgefetch_origin_tls_handshake_seconds_count", {{"origin", "o"}, {"resumed", "false"}}),
            1.0);
  EXPECT_EQ(e.value("edgefetch_origin_tls_handshake_seconds_count", {{"origin", "o"}, {"resumed", "true"}}),
            2.0);
  EXPECT_NEAR(*e.value("edgefetch_origin_tls_handshake_seconds_sum", {{"origin", "o"}, {"resumed", "true"}}),
              0.0022, 1e-12);
  EXPECT_EQ(e.value("edgefetch_origin_first_byte_seconds_bucket", {{"origin", "o"}, {"le", "0.025"}}), 0.0);
  EXPECT_EQ(e.value("edgefetch_origin_first_byte_seconds_bucket", {{"origin", "o"}, {"le", "0.05"}}), 1.0);
}

TEST(Metrics, NegotiatedVersionsAndFailuresByReason) {
  Metrics m;
  m.record_origin_tls("o", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256");
  m.record_origin_tls("o", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256");
  m.record_origin_tls("o", "TLSv1", "AES128-SHA");
  m.record_origin_failure("o", "cert_name_mismatch");
  m.record_origin_failure("o", "cert_name_mismatch");
  m.record_origin_failure("o", "no_shared_cipher");
  m.record_origin_failure("o", "tls_handshake_timeout");
  m.record_origin_failure("o", "connect_timeout");
  m.record_origin_failure("o", "connection_refused");
  m.record_origin_failure("o", "internal_error");
  const std::string text = m.render_prometheus();
  expect_well_formed(text);
  const Exposition e = parse(text);
  EXPECT_EQ(e.value("edgefetch_origin_tls_negotiated_total",
                    {{"origin", "o"}, {"version", "TLSv1.2"}, {"suite", "ECDHE-RSA-AES128-GCM-SHA256"}}),
            2.0);
  EXPECT_EQ(e.value("edgefetch_origin_tls_negotiated_total",
                    {{"origin", "o"}, {"version", "TLSv1"}, {"suite", "AES128-SHA"}}),
            1.0);
  const auto tls_failures = [&e](const std::string& reason) {
    return e.value("edgefetch_origin_tls_failures_total", {{"origin", "o"}, {"reason", reason}});
  };
  const auto failures = [&e](const std::string& reason) {
    return e.value("edgefetch_origin_failures_total", {{"origin", "o"}, {"reason", reason}});
  };
  EXPECT_EQ(tls_failures("cert_name_mismatch"), 2.0);
  EXPECT_EQ(tls_failures("no_shared_cipher"), 1.0);
  EXPECT_EQ(tls_failures("tls_handshake_timeout"), 1.0);
  EXPECT_EQ(tls_failures("connect_timeout"), std::nullopt);  // not a TLS failure
  EXPECT_EQ(tls_failures("connection_refused"), std::nullopt);
  EXPECT_EQ(tls_failures("internal_error"), std::nullopt);
  EXPECT_EQ(failures("cert_name_mismatch"), 2.0);
  EXPECT_EQ(failures("connect_timeout"), 1.0);
  EXPECT_EQ(failures("connection_refused"), 1.0);
  EXPECT_EQ(failures("internal_error"), 1.0);
}

TEST(Metrics, TlsFailureReasonsAreTheEnginesErrorCodes) {
  for (const char* reason : {"no_shared_version", "version_not_allowed", "no_shared_cipher", "cert_untrusted",
                             "cert_expired", "cert_name_mismatch", "cert_incomplete_chain", "bad_record_mac",
                             "server_alert", "not_tls", "unexpected_eof", "tls_handshake_timeout"}) {
    EXPECT_TRUE(Metrics::is_tls_failure_reason(reason)) << reason;
  }
  for (const char* reason : {"none", "internal_error", "connect_timeout", "connection_refused", "dns_failure",
                             "read_timeout", "invalid_response", "", "CERT_NAME_MISMATCH"}) {
    EXPECT_FALSE(Metrics::is_tls_failure_reason(reason)) << reason;
  }
}

TEST(Metrics, GaugesReflectTheLatestValues) {
  Metrics m;
  m.set_pool_connections("o", 5, 2);
  m.set_pool_connections("o", 3, 1);
  m.add_viewer_connections(3);
  m.add_viewer_connections(-1);
  m.websocket_opened();
  m.websocket_opened();
  m.websocket_closed();
  m.record_config_reload(true);
  m.record_config_reload(false);
  m.record_config_reload(true);
  const Exposition e = parse(m.render_prometheus());
  EXPECT_EQ(e.value("edgefetch_origin_pool_connections", {{"origin", "o"}, {"state", "idle"}}), 3.0);
  EXPECT_EQ(e.value("edgefetch_origin_pool_connections", {{"origin", "o"}, {"state", "active"}}), 1.0);
  EXPECT_EQ(e.value("edgefetch_viewer_connections"), 2.0);
  EXPECT_EQ(e.value("edgefetch_websocket_tunnels_active"), 1.0);
  EXPECT_EQ(e.value("edgefetch_websocket_tunnels_total"), 2.0);
  EXPECT_EQ(e.value("edgefetch_config_reloads_total", {{"result", "success"}}), 2.0);
  EXPECT_EQ(e.value("edgefetch_config_reloads_total", {{"result", "failure"}}), 1.0);
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics m;
  const std::string nasty = "a\"b\\c\nd} e,f=\"g";
  m.record_request(nasty, 200, 0.1);
  m.record_origin_failure(nasty, "weird\"reason\\\n");
  m.record_origin_tls(nasty, "TLSv1.2", "suite\"with\\quotes");
  const std::string text = m.render_prometheus();
  // The raw text keeps one sample per line and uses the three escapes.
  EXPECT_NE(text.find(R"(origin="a\"b\\c\nd} e,f=\"g")"), std::string::npos) << text;
  expect_well_formed(text);
  const Exposition e = parse(text);
  EXPECT_EQ(e.value("edgefetch_requests_total", {{"origin", nasty}, {"status_class", "2xx"}}), 1.0);
  EXPECT_EQ(e.value("edgefetch_origin_failures_total", {{"origin", nasty}, {"reason", "weird\"reason\\\n"}}),
            1.0);
  EXPECT_EQ(e.value("edgefetch_origin_tls_negotiated_total",
                    {{"origin", nasty}, {"version", "TLSv1.2"}, {"suite", "suite\"with\\quotes"}}),
            1.0);
}

TEST(Metrics, ConcurrentRecordingKeepsExactTotals) {
  Metrics m;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  const std::vector<std::string> origins = {"a", "b", "c", "d"};
  std::atomic<bool> done{false};
  std::atomic<int> renders{0};
  // A scraper renders throughout; every rendering must be well formed.
  std::thread scraper([&] {
    while (!done.load()) {
      const Exposition e = parse(m.render_prometheus());
      EXPECT_TRUE(e.errors.empty());
      renders.fetch_add(1);
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string& origin = origins[static_cast<std::size_t>(i + t) % origins.size()];
        m.record_request(origin, i % 2 == 0 ? 200 : 503, 0.001);
        m.observe_origin_connect(origin, 0.002);
        m.observe_origin_tls_handshake(origin, 0.003, i % 3 == 0);
        if (i % 100 == 0) {
          m.record_origin_failure(origin, "cert_expired");
          m.record_origin_tls(origin, "TLSv1.2", "AES128-SHA");
          // A new origin appears mid-run.
          m.record_request("late-" + std::to_string(t), 200, 0.5);
        }
        m.add_viewer_connections(1);
        m.add_viewer_connections(-1);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  done.store(true);
  scraper.join();

  const std::string text = m.render_prometheus();
  expect_well_formed(text);
  const Exposition e = parse(text);
  double total_requests = 0;
  double total_connects = 0;
  double total_handshakes = 0;
  double total_failures = 0;
  double total_negotiated = 0;
  for (const Sample& s : e.samples) {
    if (s.name == "edgefetch_requests_total") {
      total_requests += s.value;
    } else if (s.name == "edgefetch_origin_connect_seconds_count") {
      total_connects += s.value;
    } else if (s.name == "edgefetch_origin_tls_handshake_seconds_count") {
      total_handshakes += s.value;
    } else if (s.name == "edgefetch_origin_tls_failures_total") {
      total_failures += s.value;
    } else if (s.name == "edgefetch_origin_tls_negotiated_total") {
      total_negotiated += s.value;
    }
  }
  constexpr double kAll = double(kThreads) * kPerThread;
  constexpr double kEveryHundredth = double(kThreads) * (kPerThread / 100);
  EXPECT_EQ(total_requests, kAll + kEveryHundredth);
  EXPECT_EQ(total_connects, kAll);
  EXPECT_EQ(total_handshakes, kAll);
  EXPECT_EQ(total_failures, kEveryHundredth);
  EXPECT_EQ(total_negotiated, kEveryHundredth);
  EXPECT_EQ(e.value("edgefetch_viewer_connections"), 0.0);
  // Each origin got exactly a quarter of the requests; half of them 2xx.
  for (const std::string& origin : origins) {
    EXPECT_EQ(e.value("edgefetch_requests_total", {{"origin", origin}, {"status_class", "2xx"}}), kAll / 8);
    EXPECT_EQ(e.value("edgefetch_requests_total", {{"origin", origin}, {"status_class", "5xx"}}), kAll / 8);
    // Sums are exact: 0.002 s is a whole number of nanoseconds.
    EXPECT_NEAR(*e.value("edgefetch_origin_connect_seconds_sum", {{"origin", origin}}), kAll / 4 * 0.002,
                1e-6);
  }
  EXPECT_GT(renders.load(), 0);
}

}  // namespace
}  // namespace edgefetch::edge
