// `edgefetch check --distribution-config`: a get-distribution-config document
// written by the test, whose custom origins are local s_server instances
// (their domains pinned to 127.0.0.1 with --resolve), each with its own
// OriginSslProtocols and timeouts; S3 and http-only origins are skipped. Plus
// invalid configs (exit 2, the field named) and flag combinations refused.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/check_support.hpp"
#include "cli/get_servers.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using support::Leaf;

json custom_origin(const std::string& id, const std::string& domain, std::uint16_t https_port,
                   const std::vector<std::string>& protocols, const std::string& policy = "https-only",
                   int attempts = 3, int timeout = 10) {
  json items = json::array();
  for (const auto& p : protocols) items.push_back(p);
  return json{{"Id", id},
              {"DomainName", domain},
              {"CustomOriginConfig",
               {{"HTTPPort", 80},
                {"HTTPSPort", https_port},
                {"OriginProtocolPolicy", policy},
                {"OriginSslProtocols", {{"Quantity", items.size()}, {"Items", items}}},
                {"OriginReadTimeout", 30},
                {"OriginKeepaliveTimeout", 5}}},
              {"ConnectionAttempts", attempts},
              {"ConnectionTimeout", timeout}};
}

json s3_origin(const std::string& id) {
  return json{{"Id", id},
              {"DomainName", "bucket.s3.us-east-1.amazonaws.com"},
              {"S3OriginConfig", {{"OriginAccessIdentity", ""}}}};
}

json behavior(const std::string& origin, bool forward_host, const std::string& pattern = "") {
  json b{{"TargetOriginId", origin}, {"ViewerProtocolPolicy", "redirect-to-https"}};
  if (!pattern.empty()) b["PathPattern"] = pattern;
  if (forward_host) {
    b["ForwardedValues"] = {{"QueryString", false},
                            {"Cookies", {{"Forward", "none"}}},
                            {"Headers", {{"Quantity", 1}, {"Items", {"Host"}}}}};
  } else {
    b["CachePolicyId"] = "658327ea-f89d-4fab-a63d-7e88639e58f6";  // CachingOptimized
  }
  return b;
}

json distribution(const std::vector<json>& origins, const std::vector<json>& behaviors) {
  json items = json::array();
  for (const auto& o : origins) items.push_back(o);
  json config{{"CallerReference", "edgefetch-check-test"},
              {"Origins", {{"Quantity", items.size()}, {"Items", items}}},
              {"DefaultCacheBehavior", behaviors.front()},
              {"Comment", ""},
              {"Enabled", true}};
  if (behaviors.size() > 1) {
    json more = json::array();
    for (std::size_t i = 1; i < behaviors.size(); ++i) more.push_back(behaviors[i]);
    config["CacheBehaviors"] = {{"Quantity", more.size()}, {"Items", more}};
  }
  return json{{"ETag", "ETEST"}, {"DistributionConfig", config}};
}

// Runs of blanks as one: table cells compared without their padding.
std::string squeezed(const std::string& line) {
  std::string out;
  for (char ch : line) {
    if (ch == ' ' && !out.empty() && out.back() == ' ') continue;
    out += ch;
  }
  return out;
}

class CheckDistributionTest : public ::testing::Test {
 protected:
  std::uint16_t serve(const std::string& version_flag, const std::string& ciphers) {
    support::OpenSslServerOptions options;
    options.version_flag = version_flag;
    options.ciphers = ciphers;
    options.identity = support::TestPki::get().leaf(Leaf::rsa2048);
    auto server = support::OpenSslServer::start(std::move(options));
    EXPECT_TRUE(server) << (server ? "" : server.error());
    if (!server) return 0;
    servers_.push_back(std::move(*server));
    return servers_.back().port();
  }

  std::string write(const json& document) {
    const auto path = dir_ / ("config-" + std::to_string(++files_) + ".json");
    std::ofstream(path) << document.dump(2);
    return path.string();
  }

  // check --distribution-config FILE --ca-file CA --json --resolve NAME:PORT:127.0.0.1 ...
  static std::vector<std::string> args(const std::string& file,
                                       const std::vector<std::pair<std::string, std::uint16_t>>& names) {
    std::vector<std::string> all = {
        "check", "--distribution-config", file, "--ca-file", support::TestPki::get().ca_file().string(),
        "--json"};
    for (const auto& [name, port] : names) {
      all.insert(all.end(), {"--resolve", name + ":" + std::to_string(port) + ":127.0.0.1"});
    }
    return all;
  }

  static const json& origin(const json& doc, const std::string& id) {
    static const json missing = json::object();
    for (const auto& o : doc["origins"]) {
      if (o["id"] == id) return o;
    }
    ADD_FAILURE() << "no origin " << id << " in " << doc.dump();
    return missing;
  }

  support::ScratchDir dir_ = support::ScratchDir::create("check-distribution");
  int files_ = 0;
  std::vector<support::OpenSslServer> servers_;
};

TEST_F(CheckDistributionTest, ChecksEveryCustomOriginWithItsOwnSettings) {
  const auto modern = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256");
  const auto legacy = serve("-tls1", "ECDHE-RSA-AES128-SHA");
  const auto chacha = serve("-tls1_2", "ECDHE-RSA-CHACHA20-POLY1305");
  ASSERT_TRUE(modern != 0 && legacy != 0 && chacha != 0);
  const json config = distribution(
      {custom_origin("modern", "modern.wild.test", modern, {"TLSv1.2"}),
       custom_origin("legacy", "legacy.wild.test", legacy, {"TLSv1"}, "match-viewer", 1, 5),
       custom_origin("chacha", "chacha.wild.test", chacha, {"TLSv1.1", "TLSv1.2"}), s3_origin("bucket"),
       custom_origin("plain", "plain.wild.test", 443, {"TLSv1.2"}, "http-only")},
      {behavior("modern", true), behavior("legacy", false, "/old/*"),
       behavior("bucket", false, "/static/*")});
  const auto file = write(config);
  const auto result = run_check_args(
      args(file, {{"modern.wild.test", modern}, {"legacy.wild.test", legacy}, {"chacha.wild.test", chacha}}),
      kExitIncompatible);
  const json& doc = result.doc;
  ASSERT_FALSE(doc.is_discarded()) << result.run.out;
  EXPECT_EQ(doc["verdict"], "incompatible");
  EXPECT_EQ(
      doc["counts"],
      json({{"checked", 3}, {"skipped", 2}, {"compatible", 2}, {"incompatible", 1}, {"unreachable", 0}}));
  EXPECT_EQ(doc["source"]["format"], "get-distribution-config");
  ASSERT_EQ(doc["origins"].size(), 5U);

  const json& m = origin(doc, "modern");
  EXPECT_EQ(m["status"], "checked");
  EXPECT_EQ(m["verdict"], "compatible");
  EXPECT_EQ(m["target"]["server_name"], "modern.wild.test");
  EXPECT_EQ(m["target"]["port"], modern);
  bool host_note = false;
  for (const auto& note : m["notes"])
    host_note = host_note || contains_text(note.get<std::string>(), "Host header");
  EXPECT_TRUE(host_note) << m["notes"].dump();

  const json& l = origin(doc, "legacy");
  EXPECT_EQ(l["verdict"], "compatible") << l["reasons"].dump();
  EXPECT_EQ(l["negotiated"]["version"]["name"], "TLSv1");
  EXPECT_EQ(l["settings"]["origin_ssl_protocols"], json({"TLSv1"}));
  EXPECT_EQ(l["settings"]["connection_attempts"], 1);
  EXPECT_EQ(l["settings"]["connection_timeout_s"], 5);
  bool match_viewer = false;
  for (const auto& note : l["notes"])
    match_viewer = match_viewer || contains_text(note.get<std::string>(), "match-viewer");
  EXPECT_TRUE(match_viewer) << l["notes"].dump();

  const json& c = origin(doc, "chacha");
  EXPECT_EQ(c["verdict"], "incompatible");
  EXPECT_EQ(reason_codes(c), std::vector<std::string>({"no_shared_cipher"}));
  EXPECT_EQ(c["settings"]["origin_ssl_protocols"], json({"TLSv1.1", "TLSv1.2"}));

  EXPECT_EQ(origin(doc, "bucket")["status"], "skipped");
  EXPECT_TRUE(contains_text(origin(doc, "bucket")["skip_reason"].get<std::string>(), "S3"));
  EXPECT_EQ(origin(doc, "plain")["status"], "skipped");
  EXPECT_TRUE(contains_text(origin(doc, "plain")["skip_reason"].get<std::string>(), "http-only"));
  EXPECT_FALSE(origin(doc, "plain").contains("verdict"));
  EXPECT_EQ(doc["probes"].get<int>(),
            m["probes"].get<int>() + l["probes"].get<int>() + c["probes"].get<int>());
}

TEST_F(CheckDistributionTest, UnreachableOriginMakesTheWholeRunUnreachable) {
  const auto modern = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256");
  ASSERT_NE(modern, 0);
  std::uint16_t closed = 0;
  {
    auto server = start_server(support::plain_http_handler());
    ASSERT_NE(server, nullptr);
    closed = server->port();
  }
  const json config =
      distribution({custom_origin("modern", "modern.wild.test", modern, {"TLSv1.2"}),
                    custom_origin("down", "down.wild.test", closed, {"TLSv1.2"}, "https-only", 1, 1)},
                   {behavior("modern", false)});
  const auto result = run_check_args(
      args(write(config), {{"modern.wild.test", modern}, {"down.wild.test", closed}}), kExitUnreachable);
  EXPECT_EQ(result.doc["verdict"], "unreachable");
  EXPECT_EQ(origin(result.doc, "down")["verdict"], "unreachable");
  EXPECT_EQ(reason_codes(origin(result.doc, "down")), std::vector<std::string>({"connection_refused"}));
  EXPECT_EQ(origin(result.doc, "down")["attempts"].size(), 1U);
  EXPECT_EQ(origin(result.doc, "modern")["verdict"], "compatible");
}

TEST_F(CheckDistributionTest, AllCompatibleExitsZeroAndTheTextReportStartsWithTheVerdict) {
  const auto modern = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256");
  ASSERT_NE(modern, 0);
  const json config =
      distribution({custom_origin("web", "web.wild.test", modern, {"TLSv1.2"})}, {behavior("web", false)});
  auto all = args(write(config), {{"web.wild.test", modern}});
  all.erase(std::find(all.begin(), all.end(), "--json"));
  const auto result = run_check_args(all, kExitCompatible);
  const auto lines = lines_of(result.run.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(lines.front().starts_with("COMPATIBLE")) << result.run.out;
  EXPECT_TRUE(contains_text(result.run.out, "web.wild.test")) << result.run.out;
  EXPECT_FALSE(contains_text(result.run.out, "\x1b[")) << "colour on a pipe";
}

TEST_F(CheckDistributionTest, EachOriginIsJudgedUnderBothProfiles) {
  const auto modern = serve("-tls1_3", "");
  const auto classic = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256");
  ASSERT_TRUE(modern != 0 && classic != 0);
  const json config = distribution({custom_origin("modern", "modern.wild.test", modern, {"TLSv1.2"}),
                                    custom_origin("classic", "classic.wild.test", classic, {"TLSv1.2"})},
                                   {behavior("modern", false)});
  const auto file = write(config);
  const std::vector<std::pair<std::string, std::uint16_t>> names = {{"modern.wild.test", modern},
                                                                    {"classic.wild.test", classic}};
  const auto result = run_check_args(args(file, names), kExitIncompatible);
  const json& doc = result.doc;
  ASSERT_FALSE(doc.is_discarded()) << result.run.out;
  EXPECT_EQ(doc["verdict"], "incompatible");  // the documented policy's, worst of the origins
  EXPECT_EQ(doc["counts"]["incompatible"], 1);
  ASSERT_EQ(doc["counts_by_profile"].size(), 2U) << doc["counts_by_profile"].dump();
  EXPECT_EQ(doc["counts_by_profile"][0]["profile"], "cloudfront");
  EXPECT_EQ(doc["counts_by_profile"][0]["compatible"], 1);
  EXPECT_EQ(doc["counts_by_profile"][0]["incompatible"], 1);
  EXPECT_EQ(doc["counts_by_profile"][1]["profile"], "CloudFront-Upstream-2025");
  EXPECT_EQ(doc["counts_by_profile"][1]["role"], "comparison");
  EXPECT_EQ(doc["counts_by_profile"][1]["compatible"], 2);
  EXPECT_EQ(doc["counts_by_profile"][1]["incompatible"], 0);

  const json& m = origin(doc, "modern");
  ASSERT_EQ(m["verdicts"].size(), 2U) << m.dump();
  EXPECT_EQ(m["verdicts"][0]["verdict"], "incompatible");
  EXPECT_EQ(m["verdicts"][0]["reasons"][0]["code"], "tls13_only");
  EXPECT_EQ(m["verdicts"][1]["verdict"], "compatible");
  EXPECT_EQ(m["verdicts"][1]["negotiated"]["version"]["name"], "TLSv1.3");
  EXPECT_TRUE(m["verdicts_summary"].is_string()) << m.dump();
  const json& c = origin(doc, "classic");
  ASSERT_EQ(c["verdicts"].size(), 2U) << c.dump();
  EXPECT_EQ(c["verdicts"][0]["negotiated"]["version"]["name"], "TLSv1.2");
  EXPECT_EQ(c["verdicts"][1]["verdict"], "compatible");
  EXPECT_EQ(c["verdicts"][1]["negotiated"]["version"]["name"], "TLSv1.2");
  EXPECT_TRUE(c["verdicts_summary"].is_null());

  // Text: a column for the 2025 verdict in the table, both verdicts per origin.
  auto text_args = args(file, names);
  text_args.erase(std::find(text_args.begin(), text_args.end(), "--json"));
  const auto text = run_check_args(text_args, kExitIncompatible);
  const auto lines = lines_of(text.run.out);
  const auto header =
      std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("Origin "); });
  ASSERT_NE(header, lines.end()) << text.run.out;
  EXPECT_TRUE(contains_text(squeezed(*header), "Verdict CloudFront-Upstream-2025 Why")) << text.run.out;
  const auto row =
      std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("modern "); });
  ASSERT_NE(row, lines.end()) << text.run.out;
  EXPECT_TRUE(contains_text(squeezed(*row), "incompatible compatible TLSv1.3 tls13_only")) << *row;
  EXPECT_TRUE(contains_text(lines.front(), "under CloudFront-Upstream-2025: 2 compatible")) << lines.front();
  EXPECT_TRUE(contains_text(text.run.out, "Today's edge (CloudFront-Upstream-2025) can connect"))
      << text.run.out;
  // What works, said as a sentence either way (not "Works with  no OriginSslProtocols setting").
  const auto fact = [&lines](const std::string& origin_id) {
    bool in_origin = false;
    for (const std::string& line : lines) {
      if (line.starts_with("== ")) in_origin = line.starts_with("== " + origin_id + " ");
      if (in_origin && line.starts_with("  Settings that work")) return squeezed(line);
    }
    return std::string();
  };
  EXPECT_EQ(fact("modern"), " Settings that work none: no OriginSslProtocols setting works") << text.run.out;
  EXPECT_EQ(fact("classic"), " Settings that work OriginSslProtocols SSLv3, TLSv1, TLSv1.1, TLSv1.2")
      << text.run.out;
  // The command for one origin's full report names the settings that decide its verdict.
  std::string flat;
  for (const std::string& line : lines) flat += squeezed(line) + " ";
  EXPECT_TRUE(contains_text(flat,
                            "edgefetch check DOMAIN:PORT --origin-ssl-protocols LIST --connect-timeout "
                            "SECONDS --connection-attempts N"))
      << text.run.out;
  EXPECT_TRUE(contains_text(flat, "this run's --resolve, --ca-file and --profile options")) << text.run.out;

  // --profile: that profile alone, for every origin.
  auto alone = args(file, names);
  alone.insert(alone.end(), {"--profile", "cloudfront-2025"});
  const auto single = run_check_args(alone, kExitCompatible);
  EXPECT_EQ(origin(single.doc, "modern")["verdicts"].size(), 1U);
  EXPECT_EQ(single.doc["counts_by_profile"].size(), 1U);
}

TEST_F(CheckDistributionTest, OnlySkippedOriginsIsNothingCheckedNotCompatible) {
  const json config = distribution({s3_origin("bucket")}, {behavior("bucket", false)});
  const auto result = run_check_args({"check", "--distribution-config", write(config)}, kExitCompatible);
  EXPECT_TRUE(result.run.out.starts_with("NOTHING CHECKED  0 of 1 origins checked")) << result.run.out;
  EXPECT_FALSE(contains_text(result.run.out, "COMPATIBLE")) << result.run.out;
}

TEST_F(CheckDistributionTest, AnOriginIdCannotWriteControlCharactersToTheTerminal) {
  // An Id may hold any character; printed raw it could recolour the terminal,
  // move the cursor or start a line that looks like the report's own.
  const std::string hostile =
      "\x1b[31mRED\x1b[0m\nCOMPATIBLE  forged\xc2\x9b"
      "2J";
  const json config = distribution({s3_origin(hostile)}, {behavior(hostile, false)});
  const auto result = run_check_args({"check", "--distribution-config", write(config)}, kExitCompatible);
  const std::string& out = result.run.out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << out;
  EXPECT_FALSE(contains_text(out, "\nCOMPATIBLE  forged")) << out;
  EXPECT_TRUE(contains_text(out, "\\x1b[31mRED\\x1b[0m\\x0aCOMPATIBLE  forged\\xc2\\x9b2J")) << out;
  // JSON keeps the Id exactly; its encoder escapes it.
  const auto json_result =
      run_check_args({"check", "--distribution-config", write(config), "--json"}, kExitCompatible);
  ASSERT_TRUE(json_result.doc.is_object()) << json_result.run.out;
  EXPECT_EQ(json_result.doc["origins"][0]["id"], hostile);
}

TEST_F(CheckDistributionTest, AMisspeltFieldIsAConfigWarningNamingTheFieldMeant) {
  // http-only: skipped, so nothing is dialled; the warning is the point.
  json origin = custom_origin("web", "web.wild.test", 443, {"TLSv1.2"}, "http-only");
  origin["CustomOriginConfig"].erase("OriginReadTimeout");
  origin["CustomOriginConfig"]["OriginReadTimout"] = 200;
  const std::string file = write(distribution({origin}, {behavior("web", false)}));
  const std::string expected =
      "DistributionConfig.Origins.Items[0].CustomOriginConfig: unknown field \"OriginReadTimout\" (did you "
      "mean OriginReadTimeout?); it is ignored, so the default applies";

  const auto text = run_check_args({"check", "--distribution-config", file}, kExitCompatible);
  EXPECT_TRUE(contains_text(text.run.out, "Config warnings")) << text.run.out;
  EXPECT_TRUE(contains_text(text.run.out, "unknown field \"OriginReadTimout\" (did")) << text.run.out;
  const auto json_result =
      run_check_args({"check", "--distribution-config", file, "--json"}, kExitCompatible);
  ASSERT_TRUE(json_result.doc.is_object()) << json_result.run.out;
  EXPECT_EQ(json_result.doc["config_warnings"], json::array({expected}));
}

TEST_F(CheckDistributionTest, InvalidConfigIsAUsageErrorNamingTheField) {
  const std::string file = std::string(EDGEFETCH_SOURCE_DIR) + "/tests/data/configs/invalid-values.json";
  const auto result = run_check_args({"check", "--distribution-config", file}, kExitUsage);
  EXPECT_TRUE(
      contains_text(result.run.err, "DistributionConfig.Origins.Items[1].CustomOriginConfig.HTTPSPort"))
      << result.run.err;
  EXPECT_TRUE(contains_text(result.run.err, "ConnectionAttempts")) << result.run.err;
  EXPECT_TRUE(result.run.out.empty()) << result.run.out;
}

TEST_F(CheckDistributionTest, MalformedAndMissingConfigsAreUsageErrors) {
  const std::string malformed = std::string(EDGEFETCH_SOURCE_DIR) + "/tests/data/configs/malformed.json";
  const auto bad = run_check_args({"check", "--distribution-config", malformed}, kExitUsage);
  EXPECT_TRUE(contains_text(bad.run.err, "malformed.json")) << bad.run.err;
  const auto missing =
      run_check_args({"check", "--distribution-config", (dir_ / "nope.json").string()}, kExitUsage);
  EXPECT_TRUE(contains_text(missing.run.err, "nope.json': cannot read it (No such file or directory)"))
      << missing.run.err;
  EXPECT_FALSE(contains_text(missing.run.err, "not a valid distribution config"))
      << "a missing file is not an invalid one: " << missing.run.err;
}

TEST_F(CheckDistributionTest, OriginWithAnOutOfRangePortInAWrittenConfigIsRefused) {
  json config =
      distribution({custom_origin("web", "web.wild.test", 444, {"TLSv1.2"})}, {behavior("web", false)});
  const auto result = run_check_args({"check", "--distribution-config", write(config)}, kExitUsage);
  EXPECT_TRUE(contains_text(result.run.err, "HTTPSPort")) << result.run.err;
  EXPECT_TRUE(contains_text(result.run.err, "444")) << result.run.err;
}

TEST_F(CheckDistributionTest, PerOriginFlagsCannotBeCombinedWithAConfig) {
  const json config =
      distribution({custom_origin("web", "web.wild.test", 8443, {"TLSv1.2"})}, {behavior("web", false)});
  const auto file = write(config);
  const std::vector<std::vector<std::string>> cases = {{"--origin-ssl-protocols", "TLSv1"},
                                                       {"--connect-timeout", "2"},
                                                       {"--connection-attempts", "1"},
                                                       {"--host-header", "www.example.test"},
                                                       {"web.wild.test:8443"}};
  for (const auto& extra : cases) {
    std::vector<std::string> all = {"check", "--distribution-config", file};
    all.insert(all.end(), extra.begin(), extra.end());
    const auto result = run_check_args(all, kExitUsage);
    EXPECT_FALSE(result.run.err.empty()) << extra.front();
  }
}

}  // namespace
}  // namespace edgefetch::cli_test
