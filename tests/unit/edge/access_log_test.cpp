// The access log: the CDN's field order, "-" for absent values, the CDN's
// URL-encoding (no value can break the tab-separated line), the JSON schema,
// and whole lines under concurrent writers.

#include "edgefetch/edge/access_log.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/scratch.hpp"

namespace edgefetch::edge {
namespace {

// The CDN's documented standard log fields, in order (DeveloperGuide,
// "Standard log file fields": 33 fields).
constexpr std::array<std::string_view, 33> kCdnFields = {"date",
                                                         "time",
                                                         "x-edge-location",
                                                         "sc-bytes",
                                                         "c-ip",
                                                         "cs-method",
                                                         "cs(Host)",
                                                         "cs-uri-stem",
                                                         "sc-status",
                                                         "cs(Referer)",
                                                         "cs(User-Agent)",
                                                         "cs-uri-query",
                                                         "cs(Cookie)",
                                                         "x-edge-result-type",
                                                         "x-edge-request-id",
                                                         "x-host-header",
                                                         "cs-protocol",
                                                         "cs-bytes",
                                                         "time-taken",
                                                         "x-forwarded-for",
                                                         "ssl-protocol",
                                                         "ssl-cipher",
                                                         "x-edge-response-result-type",
                                                         "cs-protocol-version",
                                                         "fle-status",
                                                         "fle-encrypted-fields",
                                                         "c-port",
                                                         "time-to-first-byte",
                                                         "x-edge-detailed-result-type",
                                                         "sc-content-type",
                                                         "sc-content-len",
                                                         "sc-range-start",
                                                         "sc-range-end"};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == separator) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

std::size_t field_index(std::string_view name) {
  const auto& names = AccessLog::field_names();
  const auto it = std::find(names.begin(), names.end(), name);
  EXPECT_NE(it, names.end()) << name;
  return static_cast<std::size_t>(it - names.begin());
}

// The fields of one TSV line (without its '\n').
std::vector<std::string> tsv_fields(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
  return split(line.substr(0, line.size() - 1), '\t');
}

// Inverse of the %XX encoding, to show it loses nothing.
std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

AccessLogEntry full_entry() {
  AccessLogEntry e;
  // 2019-12-04 21:02:31 UTC
  e.time = std::chrono::system_clock::time_point(std::chrono::seconds(1575493351));
  e.edge_location = "EFX1";
  e.sc_bytes = 4321;
  e.c_ip = "192.0.2.10";
  e.c_port = 54321;
  e.cs_method = "GET";
  e.cs_host = "edge.example";
  e.cs_uri_stem = "/images/cat.jpg";
  e.cs_uri_query = "size=large&v=2";
  e.cs_referer = "https://ref.example/page";
  e.cs_user_agent = "curl/7.88.1";
  e.cs_cookie = "a=b";
  e.sc_status = 200;
  e.x_edge_result_type = "Miss";
  e.x_edge_request_id = "req-123_abc==";
  e.x_host_header = "www.example.com";
  e.cs_protocol = "https";
  e.cs_bytes = 123;
  e.time_taken_s = 0.0821;
  e.x_forwarded_for = "198.51.100.7";
  e.ssl_protocol = "TLSv1.3";
  e.ssl_cipher = "TLS_AES_128_GCM_SHA256";
  e.x_edge_response_result_type = "Miss";
  e.cs_protocol_version = "HTTP/1.1";
  e.time_to_first_byte_s = 0.0404;
  e.x_edge_detailed_result_type = "Miss";
  e.sc_content_type = "image/jpeg";
  e.sc_content_len = 4000;
  e.sc_range_start = 10;
  e.sc_range_end = 20;
  e.origin_id = "images-origin";
  e.origin_ip = "127.0.0.1";
  e.origin_status = 206;
  e.origin_reason_code = "cert_name_mismatch";
  e.origin_tls_version = "TLSv1.2";
  e.origin_tls_cipher = "ECDHE-RSA-AES128-GCM-SHA256";
  e.origin_connection_reused = true;
  e.origin_tls_resumed = true;
  e.origin_connect_s = 0.000123;
  e.origin_tls_s = 0.0025;
  e.origin_first_byte_s = 0.0301234;
  return e;
}

TEST(AccessLogFormat, FieldNamesStartWithTheCdnsDocumentedFieldsInOrder) {
  const auto& names = AccessLog::field_names();
  ASSERT_EQ(AccessLog::kCdnFieldCount, kCdnFields.size());
  for (std::size_t i = 0; i < kCdnFields.size(); ++i) {
    EXPECT_EQ(names[i], kCdnFields[i]) << "field " << i + 1;
  }
  for (std::size_t i = kCdnFields.size(); i < names.size(); ++i) {
    EXPECT_TRUE(names[i].starts_with("x-edgefetch-")) << names[i];
  }
}

TEST(AccessLogFormat, HeaderIsVersionAndFieldsLines) {
  const std::string header = AccessLog::header_lines();
  const auto lines = split(header, '\n');
  ASSERT_EQ(lines.size(), 3U) << header;  // two lines and the empty rest after the final '\n'
  EXPECT_EQ(lines[0], "#Version: 1.0");
  ASSERT_TRUE(lines[1].starts_with("#Fields: ")) << lines[1];
  const auto names = split(lines[1].substr(9), ' ');
  ASSERT_EQ(names.size(), AccessLog::kFieldCount);
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(names[i], AccessLog::field_names()[i]);
  }
  EXPECT_EQ(lines[2], "");
}

TEST(AccessLogFormat, FullEntryPutsEachValueInItsField) {
  const auto f = tsv_fields(AccessLog::format_tsv(full_entry()));
  ASSERT_EQ(f.size(), AccessLog::kFieldCount);
  EXPECT_EQ(f[field_index("date")], "2019-12-04");
  EXPECT_EQ(f[field_index("time")], "21:02:31");
  EXPECT_EQ(f[field_index("x-edge-location")], "EFX1");
  EXPECT_EQ(f[field_index("sc-bytes")], "4321");
  EXPECT_EQ(f[field_index("c-ip")], "192.0.2.10");
  EXPECT_EQ(f[field_index("cs-method")], "GET");
  EXPECT_EQ(f[field_index("cs(Host)")], "edge.example");
  EXPECT_EQ(f[field_index("cs-uri-stem")], "/images/cat.jpg");
  EXPECT_EQ(f[field_index("sc-status")], "200");
  EXPECT_EQ(f[field_index("cs(Referer)")], "https://ref.example/page");
  EXPECT_EQ(f[field_index("cs(User-Agent)")], "curl/7.88.1");
  EXPECT_EQ(f[field_index("cs-uri-query")], "size=large&v=2");
  EXPECT_EQ(f[field_index("cs(Cookie)")], "a=b");
  EXPECT_EQ(f[field_index("x-edge-result-type")], "Miss");
  EXPECT_EQ(f[field_index("x-edge-request-id")], "req-123_abc==");
  EXPECT_EQ(f[field_index("x-host-header")], "www.example.com");
  EXPECT_EQ(f[field_index("cs-protocol")], "https");
  EXPECT_EQ(f[field_index("cs-bytes")], "123");
  EXPECT_EQ(f[field_index("time-taken")], "0.082");  // to the thousandth, as the CDN writes it
  EXPECT_EQ(f[field_index("x-forwarded-for")], "198.51.100.7");
  EXPECT_EQ(f[field_index("ssl-protocol")], "TLSv1.3");
  EXPECT_EQ(f[field_index("ssl-cipher")], "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(f[field_index("x-edge-response-result-type")], "Miss");
  EXPECT_EQ(f[field_index("cs-protocol-version")], "HTTP/1.1");
  EXPECT_EQ(f[field_index("fle-status")], "-");
  EXPECT_EQ(f[field_index("fle-encrypted-fields")], "-");
  EXPECT_EQ(f[field_index("c-port")], "54321");
  EXPECT_EQ(f[field_index("time-to-first-byte")], "0.040");
  EXPECT_EQ(f[field_index("x-edge-detailed-result-type")], "Miss");
  EXPECT_EQ(f[field_index("sc-content-type")], "image/jpeg");
  EXPECT_EQ(f[field_index("sc-content-len")], "4000");
  EXPECT_EQ(f[field_index("sc-range-start")], "10");
  EXPECT_EQ(f[field_index("sc-range-end")], "20");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-id")], "images-origin");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-ip")], "127.0.0.1");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-status")], "206");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-reason")], "cert_name_mismatch");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-tls-version")], "TLSv1.2");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-tls-cipher")], "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-connection-reused")], "true");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-tls-resumed")], "true");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-connect-time")], "0.000123");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-tls-time")], "0.002500");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-first-byte-time")], "0.030123");
}

TEST(AccessLogFormat, AbsentValuesAreDashes) {
  AccessLogEntry e;
  e.edge_location.clear();
  e.cs_protocol_version.clear();
  const auto f = tsv_fields(AccessLog::format_tsv(e));
  ASSERT_EQ(f.size(), AccessLog::kFieldCount);
  for (std::string_view name : {"x-edge-location",
                                "c-ip",
                                "cs-method",
                                "cs(Host)",
                                "cs-uri-stem",
                                "cs(Referer)",
                                "cs(User-Agent)",
                                "cs-uri-query",
                                "cs(Cookie)",
                                "x-edge-result-type",
                                "x-edge-request-id",
                                "x-host-header",
                                "cs-protocol",
                                "time-taken",
                                "x-forwarded-for",
                                "ssl-protocol",
                                "ssl-cipher",
                                "x-edge-response-result-type",
                                "cs-protocol-version",
                                "fle-status",
                                "fle-encrypted-fields",
                                "c-port",
                                "time-to-first-byte",
                                "x-edge-detailed-result-type",
                                "sc-content-type",
                                "sc-content-len",
                                "sc-range-start",
                                "sc-range-end",
                                "x-edgefetch-origin-id",
                                "x-edgefetch-origin-ip",
                                "x-edgefetch-origin-status",
                                "x-edgefetch-origin-reason",
                                "x-edgefetch-origin-tls-version",
                                "x-edgefetch-origin-tls-cipher",
                                "x-edgefetch-origin-connect-time",
                                "x-edgefetch-origin-tls-time",
                                "x-edgefetch-origin-first-byte-time"}) {
    EXPECT_EQ(f[field_index(name)], "-") << name;
  }
  // Counts are present even when zero; the CDN writes 000 when the viewer left before a status.
  EXPECT_EQ(f[field_index("sc-bytes")], "0");
  EXPECT_EQ(f[field_index("cs-bytes")], "0");
  EXPECT_EQ(f[field_index("sc-status")], "000");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-connection-reused")], "false");
  EXPECT_EQ(f[field_index("x-edgefetch-origin-tls-resumed")], "false");
  EXPECT_EQ(f[field_index("date")], "1970-01-01");
  EXPECT_EQ(f[field_index("time")], "00:00:00");
}

TEST(AccessLogFormat, DefaultsAreTheDocumentedOnes) {
  const auto f = tsv_fields(AccessLog::format_tsv(AccessLogEntry{}));
  EXPECT_EQ(f[field_index("x-edge-location")], "EFX1");
  EXPECT_EQ(f[field_index("cs-protocol-version")], "HTTP/1.1");
}

TEST(AccessLogEncoding, EncodesTheCdnsCharacterSet) {
  // The documented table, each character on its own.
  const std::vector<std::pair<std::string, std::string>> table = {
      {"<", "%3C"}, {">", "%3E"}, {"\"", "%22"}, {"#", "%23"}, {"%", "%25"}, {"{", "%7B"},
      {"}", "%7D"}, {"|", "%7C"}, {"\\", "%5C"}, {"^", "%5E"}, {"~", "%7E"}, {"[", "%5B"},
      {"]", "%5D"}, {"`", "%60"}, {"'", "%27"},  {" ", "%20"}};
  for (const auto& [raw, encoded] : table) {
    EXPECT_EQ(AccessLog::encode_field(raw), encoded) << raw;
  }
  // ASCII 0-32 and 127+.
  EXPECT_EQ(AccessLog::encode_field(std::string("\0", 1)), "%00");
  EXPECT_EQ(AccessLog::encode_field("\t"), "%09");
  EXPECT_EQ(AccessLog::encode_field("\n"), "%0A");
  EXPECT_EQ(AccessLog::encode_field("\r"), "%0D");
  EXPECT_EQ(AccessLog::encode_field("\x7F"), "%7F");
  EXPECT_EQ(AccessLog::encode_field("\xFF"), "%FF");
  EXPECT_EQ(AccessLog::encode_field("gr\xC3\xBC\xC3\x9F"), "gr%C3%BC%C3%9F");  // "grüß" in UTF-8
  // What the CDN leaves alone (its logs show e.g. "Slackbot%201.0%20(+https://api.slack.com/robots)").
  EXPECT_EQ(AccessLog::encode_field("Slackbot 1.0 (+https://api.slack.com/robots)"),
            "Slackbot%201.0%20(+https://api.slack.com/robots)");
  EXPECT_EQ(AccessLog::encode_field("/a/b.c;d=e?f&g=h,i!*@$:"), "/a/b.c;d=e?f&g=h,i!*@$:");
  EXPECT_EQ(AccessLog::encode_field(""), "-");
}

TEST(AccessLogEncoding, EveryByteValueIsEncodedOrSafe) {
  for (int b = 0; b < 256; ++b) {
    const std::string raw(1, static_cast<char>(b));
    const std::string encoded = AccessLog::encode_field(raw);
    for (char c : encoded) {
      const auto u = static_cast<unsigned char>(c);
      EXPECT_TRUE(u > 0x20 && u < 0x7F) << "byte " << b << " encoded as " << encoded;
    }
    EXPECT_EQ(percent_decode(encoded), raw) << "byte " << b;
  }
}

TEST(AccessLogEncoding, HostileValuesCannotBreakTheLine) {
  AccessLogEntry e = full_entry();
  static constexpr char kHostile[] = "a\tb\nc\r\nd e\0f\x01\x1b[31m\xE2\x80\xA8\xF0\x9F\x98\x80%41\\\"'";
  const std::string hostile(kHostile, sizeof(kHostile) - 1);  // keeps the NUL
  for (std::string* field :
       {&e.c_ip, &e.cs_method, &e.cs_host, &e.cs_uri_stem, &e.cs_uri_query, &e.cs_referer, &e.cs_user_agent,
        &e.cs_cookie, &e.x_edge_request_id, &e.x_host_header, &e.x_forwarded_for, &e.sc_content_type,
        &e.origin_id, &e.origin_reason_code, &e.origin_tls_cipher, &e.edge_location}) {
    *field = hostile;
  }
  const std::string line = AccessLog::format_tsv(e);
  const auto f = tsv_fields(line);
  ASSERT_EQ(f.size(), AccessLog::kFieldCount) << line;
  for (std::size_t i = 0; i < line.size() - 1; ++i) {
    const auto u = static_cast<unsigned char>(line[i]);
    EXPECT_TRUE(u == '\t' || (u > 0x20 && u < 0x7F)) << "byte " << int(u) << " at " << i;
  }
  EXPECT_EQ(percent_decode(f[field_index("cs(User-Agent)")]), hostile);
  EXPECT_EQ(percent_decode(f[field_index("cs-uri-stem")]), hostile);
  // A value that looks percent-encoded is encoded again, so decoding is unambiguous.
  EXPECT_NE(f[field_index("cs(Cookie)")].find("%2541"), std::string::npos);
}

TEST(AccessLogJson, KeysFollowTheFieldsLineAndValuesRoundTrip) {
  AccessLogEntry e = full_entry();
  e.cs_user_agent = "Mozilla/5.0 (X11; \"quoted\")\tTab\nNewline gr\xC3\xBC\xC3\x9F \xF0\x9F\x98\x80";
  e.cs_uri_stem = "/p\xC3\xA4th with space";
  const std::string line = AccessLog::format_json(e);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;

  const auto j = nlohmann::ordered_json::parse(line);
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j.size(), AccessLog::kFieldCount);
  std::size_t i = 0;
  for (const auto& [key, value] : j.items()) {
    EXPECT_EQ(key, AccessLog::field_names()[i]) << "key " << i;
    ++i;
  }
  EXPECT_EQ(j["date"], "2019-12-04");
  EXPECT_EQ(j["time"], "21:02:31");
  EXPECT_EQ(j["cs(User-Agent)"], e.cs_user_agent);  // unencoded text, JSON-escaped
  EXPECT_EQ(j["cs-uri-stem"], e.cs_uri_stem);
  EXPECT_EQ(j["cs(Host)"], "edge.example");
  EXPECT_EQ(j["sc-bytes"], 4321);
  EXPECT_EQ(j["sc-status"], 200);
  EXPECT_EQ(j["c-port"], 54321);
  EXPECT_DOUBLE_EQ(j["time-taken"].get<double>(), 0.0821);
  EXPECT_DOUBLE_EQ(j["time-to-first-byte"].get<double>(), 0.0404);
  EXPECT_EQ(j["sc-content-len"], 4000);
  EXPECT_EQ(j["sc-range-start"], 10);
  EXPECT_EQ(j["sc-range-end"], 20);
  EXPECT_TRUE(j["fle-status"].is_null());
  EXPECT_EQ(j["x-edgefetch-origin-status"], 206);
  EXPECT_EQ(j["x-edgefetch-origin-reason"], "cert_name_mismatch");
  EXPECT_EQ(j["x-edgefetch-origin-connection-reused"], true);
  EXPECT_EQ(j["x-edgefetch-origin-tls-resumed"], true);
  EXPECT_DOUBLE_EQ(j["x-edgefetch-origin-first-byte-time"].get<double>(), 0.0301234);
}

TEST(AccessLogJson, AbsentValuesAreNullAndTheSchemaIsStable) {
  const auto full = nlohmann::ordered_json::parse(AccessLog::format_json(full_entry()));
  AccessLogEntry empty;
  empty.edge_location.clear();
  const auto j = nlohmann::ordered_json::parse(AccessLog::format_json(empty));
  ASSERT_EQ(j.size(), full.size());
  for (std::string_view name :
       {"x-edge-location", "c-ip", "cs(Host)", "cs-uri-query", "time-taken", "c-port", "sc-content-len",
        "x-edgefetch-origin-status", "x-edgefetch-origin-connect-time"}) {
    EXPECT_TRUE(j.at(std::string(name)).is_null()) << name;
  }
  EXPECT_EQ(j["sc-status"], 0);
  EXPECT_EQ(j["x-edgefetch-origin-connection-reused"], false);
}

TEST(AccessLogJson, InvalidUtf8IsReplacedNotThrown) {
  AccessLogEntry e;
  e.cs_user_agent = "bad \xFF\xFE utf8 \xC3";
  std::string line;
  ASSERT_NO_THROW(line = AccessLog::format_json(e));
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["cs(User-Agent)"], "bad \xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD");
}

TEST(AccessLogJson, Utf8EdgeCasesFollowTheMaximalSubpartRule) {
  const auto ua = [](std::string value) {
    AccessLogEntry e;
    e.cs_user_agent = std::move(value);
    return nlohmann::json::parse(AccessLog::format_json(e))["cs(User-Agent)"].get<std::string>();
  };
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(ua("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");         // U+10FFFF, the last code point
  EXPECT_EQ(ua("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
  EXPECT_EQ(ua("\xC0\xAF"), fffd + fffd);                        // overlong '/'
  EXPECT_EQ(ua("\xE0\x80\xAF"), fffd + fffd + fffd);             // overlong, 3 bytes
  EXPECT_EQ(ua("\xED\xA0\x80"), fffd + fffd + fffd);             // a UTF-16 surrogate
  EXPECT_EQ(ua("\xE2\x82x"), fffd + "x");                        // truncated: one U+FFFD for the prefix
  EXPECT_EQ(ua("\x80"), fffd);                                   // lone continuation byte
  EXPECT_EQ(ua(std::string("a\0b\x1f\x7f", 5)), std::string("a\0b\x1f\x7f", 5));
}

TEST(AccessLogJson, ArbitraryBytesAlwaysGiveOneParsableLine) {
  // A deterministic sweep of random byte strings in every text field: the
  // line must parse, stay one line, and give back valid UTF-8 input unchanged.
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1664525U + 1013904223U;
    return state >> 24;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string bytes(next() % 24, '\0');
    for (char& c : bytes) {
      // Bias towards the interesting ranges: ASCII controls, quotes, UTF-8 leads and continuations.
      const std::uint32_t r = next();
      c = static_cast<char>(r < 64 ? r % 0x22 : r < 128 ? 0x80 + r % 0x40 : r < 192 ? 0xC0 + r % 0x40 : r);
    }
    AccessLogEntry e;
    e.cs_user_agent = bytes;
    e.cs_uri_stem = bytes;
    e.cs_cookie = bytes;
    const std::string line = AccessLog::format_json(e);
    ASSERT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << round;
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(line)) << round << ": " << line;
    ASSERT_EQ(j.size(), AccessLog::kFieldCount);
    if (!bytes.empty()) {
      const std::string back = j["cs(User-Agent)"].get<std::string>();
      // Valid UTF-8 input (nlohmann re-serialises it without complaint) must come back unchanged.
      bool valid = true;
      try {
        (void)nlohmann::json(bytes).dump();
      } catch (const nlohmann::json::exception&) {
        valid = false;
      }
      if (valid) {
        EXPECT_EQ(back, bytes) << round;
      }
    }
    const auto tsv = tsv_fields(AccessLog::format_tsv(e));
    ASSERT_EQ(tsv.size(), AccessLog::kFieldCount);
    EXPECT_EQ(percent_decode(tsv[field_index("cs(User-Agent)")]), bytes.empty() ? "-" : bytes);
  }
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  auto lines = split(content.str(), '\n');
  EXPECT_EQ(lines.back(), "") << "the file must end with a complete line";
  lines.pop_back();
  return lines;
}

TEST(AccessLogFile, ConcurrentWritersProduceWholeLinesAndOneHeader) {
  const auto dir = support::ScratchDir::create("access-log");
  const auto path = dir / "access.log";
  constexpr int kThreads = 8;
  constexpr int kPerThread = 400;
  {
    auto log = AccessLog::open(path.string(), AccessLogFormat::tsv);
    ASSERT_TRUE(log) << log.error();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&log, t] {
        AccessLogEntry e = full_entry();
        e.cs_user_agent = std::string(static_cast<std::size_t>(100 + t * 50), static_cast<char>('a' + t));
        for (int i = 0; i < kPerThread; ++i) {
          e.x_edge_request_id = "t" + std::to_string(t) + "-" + std::to_string(i);
          (*log)->write(e);
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    EXPECT_EQ((*log)->write_errors(), 0U);
  }
  // Reopening appends without a second header.
  {
    auto log = AccessLog::open(path.string(), AccessLogFormat::tsv);
    ASSERT_TRUE(log) << log.error();
    (*log)->write(full_entry());
  }
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 2U + kThreads * kPerThread + 1);
  EXPECT_EQ(lines[0], "#Version: 1.0");
  EXPECT_TRUE(lines[1].starts_with("#Fields: date time "));
  std::set<std::string> ids;
  EXPECT_EQ(split(lines.back(), '\t')[field_index("x-edge-request-id")],
            "req-123_abc==");  // the reopen's line
  for (std::size_t i = 2; i + 1 < lines.size(); ++i) {
    const auto f = split(lines[i], '\t');
    ASSERT_EQ(f.size(), AccessLog::kFieldCount) << "line " << i;
    const std::string& ua = f[field_index("cs(User-Agent)")];
    // Each line's user agent is one thread's letter repeated: no interleaving.
    EXPECT_EQ(std::count(ua.begin(), ua.end(), ua.front()), static_cast<long>(ua.size())) << "line " << i;
    ids.insert(f[field_index("x-edge-request-id")]);
  }
  EXPECT_EQ(ids.size(),
            static_cast<std::size_t>(kThreads * kPerThread));  // + the reopen line's id, a duplicate
}

TEST(AccessLogFile, JsonFileHasNoHeaderAndOneObjectPerLine) {
  const auto dir = support::ScratchDir::create("access-log-json");
  const auto path = dir / "access.json";
  {
    auto log = AccessLog::open(path.string(), AccessLogFormat::json);
    ASSERT_TRUE(log) << log.error();
    EXPECT_EQ((*log)->format(), AccessLogFormat::json);
    AccessLogEntry e = full_entry();
    e.cs_cookie = "x=\"1\"\n";
    (*log)->write(e);
    (*log)->write(AccessLogEntry{});
  }
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["cs(Cookie)"], "x=\"1\"\n");
  EXPECT_TRUE(nlohmann::json::parse(lines[1])["c-ip"].is_null());
}

TEST(AccessLogFile, OpenErrorsNameThePath) {
  const auto dir = support::ScratchDir::create("access-log-errors");
  const auto missing = (dir / "no-such-dir" / "access.log").string();
  auto log = AccessLog::open(missing, AccessLogFormat::tsv);
  ASSERT_FALSE(log);
  EXPECT_NE(log.error().find(missing), std::string::npos) << log.error();
  EXPECT_NE(log.error().find("No such file"), std::string::npos) << log.error();

  auto directory = AccessLog::open(dir.path().string(), AccessLogFormat::tsv);
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().find(dir.path().string()), std::string::npos) << directory.error();

  EXPECT_FALSE(AccessLog::open("", AccessLogFormat::json));
}

TEST(AccessLogFile, WriteErrorsAreCountedNotThrown) {
  // /dev/full accepts open but fails every write with ENOSPC.
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full";
  }
  auto log = AccessLog::open("/dev/full", AccessLogFormat::json);
  ASSERT_TRUE(log) << log.error();
  (*log)->write(full_entry());
  (*log)->write(full_entry());
  EXPECT_EQ((*log)->write_errors(), 2U);
}

}  // namespace
}  // namespace edgefetch::edge
