// `edgefetch ciphers` as a user runs it: each subcommand, its JSON, its errors.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

// Runs edgefetch and checks it exited normally with `expected_exit`.
RunResult run(const std::vector<std::string>& args, int expected_exit = kExitOk,
              const RunOptions& options = {}) {
  RunResult result = run_edgefetch(args, options);
  EXPECT_FALSE(result.timed_out) << result.command_line;
  EXPECT_EQ(result.exit_code, expected_exit) << result.command_line << "\nstdout:\n"
                                             << result.out << "\nstderr:\n"
                                             << result.err;
  return result;
}

// stderr messages wrapped at 100 columns, joined back into one line each.
std::string unwrapped(std::string text) {
  for (std::size_t at = text.find("\n  "); at != std::string::npos; at = text.find("\n  ", at)) {
    text.replace(at, 3, " ");
  }
  return text;
}

json parse_json(const RunResult& result) {
  json document = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(document.is_discarded()) << result.command_line << " printed invalid JSON:\n" << result.out;
  return document;
}

// Table rows are the lines whose first field is a number ("  1  ECDHE-...").
std::vector<std::vector<std::string>> table_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : lines_of(text)) {
    std::vector<std::string> fields;
    std::size_t pos = 0;
    while (pos < line.size()) {
      const std::size_t start = line.find_first_not_of(' ', pos);
      if (start == std::string::npos) {
        break;
      }
      // Fields are separated by two or more blanks (a field may hold one blank).
      std::size_t end = line.find("  ", start);
      if (end == std::string::npos) {
        end = line.size();
      }
      fields.push_back(line.substr(start, end - start));
      pos = end;
    }
    if (!fields.empty() && !fields[0].empty() &&
        fields[0].find_first_not_of("0123456789") == std::string::npos) {
      rows.push_back(fields);
    }
  }
  return rows;
}

std::vector<std::string> codes_of(const policy::Profile& profile) {
  std::vector<std::string> codes;
  for (const policy::CipherSuite* s : profile.cipher_suites) {
    codes.push_back(policy::format_code_point(s->code));
  }
  return codes;
}

TEST(CiphersCommand, DefaultPrintsTheDefaultProfileAsAnAlignedTable) {
  const RunResult result = run({"ciphers"});
  EXPECT_TRUE(result.err.empty()) << result.err;
  EXPECT_NE(result.out.find("Profile cloudfront (default)"), std::string::npos);
  EXPECT_EQ(result.out.find('\x1b'), std::string::npos) << "no colour when stdout is not a terminal";

  const auto rows = table_rows(result.out);
  const policy::Profile& profile = policy::default_profile();
  ASSERT_EQ(rows.size(), profile.cipher_suites.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const policy::CipherSuite& s = *profile.cipher_suites[i];
    ASSERT_GE(rows[i].size(), 5U) << i;
    EXPECT_EQ(rows[i][0], std::to_string(i + 1));
    EXPECT_EQ(rows[i][1], s.openssl_name);
    EXPECT_EQ(rows[i][2], s.rfc_name);
    EXPECT_EQ(rows[i][3], policy::format_code_point(s.code));
    EXPECT_EQ(rows[i][4], policy::version_range_name(s.min_version, s.max_version));
    const bool marked_legacy = rows[i].size() > 5 && rows[i][5].find("legacy") != std::string::npos;
    EXPECT_EQ(marked_legacy, s.legacy) << s.openssl_name;
  }
  // Seed names in the documented client order, spot-checked literally.
  EXPECT_EQ(rows.front()[1], "ECDHE-ECDSA-AES256-GCM-SHA384");
  EXPECT_EQ(rows[12][1], "AES256-SHA");
  EXPECT_EQ(rows.back()[1], "RC4-MD5");
  EXPECT_EQ(rows[14][4], "SSLv3-TLSv1.2");

  // Aligned: the RFC name starts in the same column on every row.
  std::set<std::size_t> rfc_columns;
  for (const std::string& line : lines_of(result.out)) {
    const std::size_t first = line.find_first_not_of(' ');
    const bool is_row = first != std::string::npos && line[first] >= '0' && line[first] <= '9';
    if (is_row) {
      rfc_columns.insert(line.find("TLS_"));
    }
  }
  EXPECT_EQ(rfc_columns.size(), 1U);
  for (const std::string& line : lines_of(result.out)) {
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "trailing blank in: '" << line << "'";
  }
}

TEST(CiphersCommand, ProfileOption) {
  const RunResult upstream = run({"ciphers", "--profile", "CloudFront-Upstream"});
  const auto rows = table_rows(upstream.out);
  ASSERT_EQ(rows.size(), 19U);
  EXPECT_EQ(rows[12][1], "AES256-GCM-SHA384");
  EXPECT_NE(rows[12].back().find("not in the documented table"), std::string::npos);

  // The TLS 1.2-only policy: every suite can only be used in TLS 1.2.
  const RunResult tls12 = run({"ciphers", "--profile", "cloudfront-upstream-tls-1-2"});
  for (const auto& row : table_rows(tls12.out)) {
    ASSERT_GE(row.size(), 5U);
    EXPECT_EQ(row[4], "TLSv1.2") << row[1];
  }
}

TEST(CiphersCommand, TheScsvAndTheLegacyLegendOnlyWhenTheHelloCarriesThem) {
  // The engine appends the SCSV only after a suite below TLS 1.3 (facts §3.5).
  const RunResult tls13_only = run({"ciphers", "--profile", "CloudFront-Upstream-TLS-1-3-2025"});
  EXPECT_EQ(tls13_only.out.find("SCSV"), std::string::npos) << tls13_only.out;
  EXPECT_EQ(tls13_only.out.find("Also sent"), std::string::npos) << tls13_only.out;
  EXPECT_EQ(tls13_only.out.find("legacy"), std::string::npos) << "no legacy suite, no legend:\n"
                                                              << tls13_only.out;
  EXPECT_NE(tls13_only.out.find("More: edgefetch ciphers groups, edgefetch ciphers sigalgs"),
            std::string::npos)
      << tls13_only.out;
  EXPECT_EQ(tls13_only.out.find(" | "), std::string::npos) << "a pipeline, pasted into a shell";

  for (const char* profile : {"cloudfront", "CloudFront-Upstream-2025"}) {
    const RunResult both = run({"ciphers", "--profile", profile});
    EXPECT_NE(both.out.find("TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00FF) after the suites"), std::string::npos)
        << both.out;
    EXPECT_NE(both.out.find("legacy = 3DES or RC4. More:"), std::string::npos) << both.out;
  }
}

TEST(CiphersCommand, OriginSslProtocolsNarrowsAndSaysFloorAndCeiling) {
  const RunResult result = run({"ciphers", "--origin-ssl-protocols", "TLSv1.2,TLSv1.1"});
  EXPECT_NE(result.out.find("floor TLSv1.1, ceiling TLSv1.2"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("gaps"), std::string::npos);
  const auto rows = table_rows(result.out);
  ASSERT_EQ(rows.size(), 16U) << "the ClientHello is the same; the floor applies to the ServerHello";
  EXPECT_EQ(rows[6][4], "TLSv1.1-TLSv1.2") << "ECDHE-ECDSA-AES256-SHA usable from the floor up";

  const RunResult gapped = run({"ciphers", "--origin-ssl-protocols", "SSLv3 TLSv1.2"});
  EXPECT_NE(gapped.out.find("floor SSLv3, ceiling TLSv1.2"), std::string::npos) << gapped.out;
  EXPECT_NE(gapped.out.find("gaps"), std::string::npos) << gapped.out;
  EXPECT_NE(gapped.out.find("treated as its floor"), std::string::npos) << gapped.out;
}

TEST(CiphersCommand, AFloorTheProfileRaisesIsSaidToBeTheProfiles) {
  const RunResult raised =
      run({"ciphers", "--profile", "CloudFront-Upstream-TLS-1-2", "--origin-ssl-protocols", "SSLv3"});
  EXPECT_NE(raised.out.find("floor TLSv1.2 (raised from SSLv3 by the profile, which refuses versions below "
                            "TLSv1.2), ceiling TLSv1.2"),
            std::string::npos)
      << raised.out;
  EXPECT_NE(raised.out.find("every setting sends the same ClientHello"), std::string::npos) << raised.out;
  const RunResult kept = run({"ciphers", "--origin-ssl-protocols", "SSLv3"});
  EXPECT_EQ(kept.out.find("raised"), std::string::npos) << kept.out;
}

// The JSON says what the table says: each suite's versions within the floor
// and ceiling, whether the profile raised the floor, and the SCSV sent after the suites.
TEST(CiphersCommand, JsonHasTheTablesUsableVersionsFloorAndScsv) {
  const json raised = parse_json(run(
      {"ciphers", "--json", "--profile", "CloudFront-Upstream-TLS-1-2", "--origin-ssl-protocols", "SSLv3"}));
  EXPECT_EQ(raised["floor_raised_by_profile"], true);
  for (const json& suite : raised["cipher_suites"]) {
    EXPECT_EQ(suite["usable_min_version"], "TLSv1.2") << suite.dump();
    EXPECT_EQ(suite["usable_max_version"], "TLSv1.2") << suite.dump();
  }
  EXPECT_EQ(raised["renegotiation_scsv"],
            json::parse(R"({"rfc": "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "code": "0x00FF"})"));

  const json floor = parse_json(run({"ciphers", "--json", "--origin-ssl-protocols", "TLSv1.1"}));
  EXPECT_EQ(floor["floor_raised_by_profile"], false);
  const json& cbc = floor["cipher_suites"][6];  // ECDHE-ECDSA-AES256-SHA: SSLv3 to TLS 1.2 in the catalogue
  EXPECT_EQ(cbc["openssl"], "ECDHE-ECDSA-AES256-SHA");
  EXPECT_EQ(cbc["min_version"], "SSLv3");
  EXPECT_EQ(cbc["usable_min_version"], "TLSv1.1");
  EXPECT_EQ(cbc["usable_max_version"], "TLSv1.2");

  const json tls13 = parse_json(run({"ciphers", "--json", "--profile", "CloudFront-Upstream-TLS-1-3-2025"}));
  EXPECT_TRUE(tls13["renegotiation_scsv"].is_null()) << tls13["renegotiation_scsv"];
}

TEST(CiphersCommand, JsonHoldsTheDocumentedSchema) {
  const RunResult result = run({"ciphers", "--json"});
  const json doc = parse_json(result);
  ASSERT_TRUE(doc.is_object());
  for (const char* key :
       {"profile", "description", "origin_ssl_protocols", "selection_had_gaps", "min_version", "max_version",
        "cipher_suites", "groups", "signature_schemes", "renegotiation_scsv", "floor_raised_by_profile"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["profile"], "cloudfront");
  EXPECT_EQ(doc["min_version"], "SSLv3");
  EXPECT_EQ(doc["max_version"], "TLSv1.2");
  EXPECT_EQ(doc["origin_ssl_protocols"], json::array());
  EXPECT_EQ(doc["selection_had_gaps"], false);

  const json& suites = doc["cipher_suites"];
  ASSERT_TRUE(suites.is_array());
  const policy::Profile& profile = policy::default_profile();
  ASSERT_EQ(suites.size(), profile.cipher_suites.size());
  for (std::size_t i = 0; i < suites.size(); ++i) {
    const json& s = suites[i];
    const policy::CipherSuite& expected = *profile.cipher_suites[i];
    for (const char* key :
         {"order", "openssl", "rfc", "gnutls", "jsse", "code", "key_exchange", "authentication", "cipher",
          "mac", "prf_hash", "min_version", "max_version", "legacy", "in_seed_table"}) {
      EXPECT_TRUE(s.contains(key)) << key;
    }
    EXPECT_EQ(s["order"], i + 1);
    EXPECT_EQ(s["openssl"], expected.openssl_name);
    EXPECT_EQ(s["rfc"], expected.rfc_name);
    EXPECT_EQ(s["gnutls"], expected.gnutls_name);
    EXPECT_EQ(s["jsse"], expected.jsse_name);
    EXPECT_EQ(s["code"], policy::format_code_point(expected.code));
    EXPECT_EQ(s["legacy"], expected.legacy);
    EXPECT_EQ(s["in_seed_table"], true);
  }
  EXPECT_EQ(suites[3]["code"], "0xC02F");
  EXPECT_EQ(suites[3]["key_exchange"], "ECDHE");
  EXPECT_EQ(suites[3]["authentication"], "RSA");
  EXPECT_EQ(suites[3]["cipher"], "AES-128-GCM");
  EXPECT_EQ(suites[3]["mac"], "AEAD");
  EXPECT_EQ(suites[3]["min_version"], "TLSv1.2");
  EXPECT_EQ(suites[15]["jsse"], "SSL_RSA_WITH_RC4_128_MD5");
  EXPECT_EQ(suites[15]["mac"], "MD5");
  EXPECT_EQ(suites[15]["min_version"], "SSLv3");
  EXPECT_EQ(suites[15]["legacy"], true);

  const json& groups = doc["groups"];
  ASSERT_EQ(groups.size(), 3U);
  EXPECT_EQ(groups[0]["name"], "P-256");
  EXPECT_EQ(groups[0]["code"], "0x0017");
  EXPECT_EQ(groups[0]["id"], 23);
  EXPECT_EQ(groups[1]["name"], "X25519");
  EXPECT_EQ(groups[2]["iana_name"], "secp384r1");
  for (const json& g : groups) {
    for (const char* key : {"order", "name", "iana_name", "code", "id", "aliases", "kind", "in_policy"}) {
      EXPECT_TRUE(g.contains(key)) << key;
    }
  }
  const json& schemes = doc["signature_schemes"];
  ASSERT_EQ(schemes.size(), 10U);
  EXPECT_EQ(schemes[0]["seed_name"], "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA256");
  EXPECT_EQ(schemes[0]["code"], "0x0401");
  EXPECT_EQ(schemes[9]["iana_name"], "ecdsa_sha1");
  for (const json& s : schemes) {
    for (const char* key : {"order", "iana_name", "seed_name", "openssl", "gnutls", "aliases", "code",
                            "algorithm", "hash", "max_version", "in_seed_table"}) {
      EXPECT_TRUE(s.contains(key)) << key;
    }
  }
}

TEST(CiphersCommand, JsonOfANarrowedOffer) {
  const json doc = parse_json(run(
      {"ciphers", "--json", "--profile", "CloudFront-Upstream", "--origin-ssl-protocols", "TLSv1,TLSv1.2"}));
  EXPECT_EQ(doc["profile"], "CloudFront-Upstream");
  EXPECT_EQ(doc["origin_ssl_protocols"], json::array({"TLSv1", "TLSv1.2"}));
  EXPECT_EQ(doc["selection_had_gaps"], true);
  EXPECT_EQ(doc["min_version"], "TLSv1");
  EXPECT_EQ(doc["max_version"], "TLSv1.2");
  std::vector<std::string> codes;
  for (const json& s : doc["cipher_suites"]) {
    codes.push_back(s["code"].get<std::string>());
  }
  EXPECT_EQ(codes, codes_of(*policy::profile_by_name("CloudFront-Upstream")));
}

TEST(CiphersCommand, FormatOpensslIsAColonSeparatedCipherString) {
  const RunResult result = run({"ciphers", "--format", "openssl"});
  EXPECT_EQ(
      result.out,
      "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:"
      "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:"
      "ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:"
      "ECDHE-RSA-AES128-SHA:AES256-SHA:AES128-SHA:DES-CBC3-SHA:RC4-MD5\n");
  // OpenSSL would add its own TLS 1.3 suites and drop 3DES and RC4 without a word: stderr says so.
  const std::string notes = unwrapped(result.err);
  EXPECT_TRUE(contains(notes, "edgefetch: profile cloudfront offers no TLS 1.3: to mirror it, also turn TLS"))
      << notes;
  EXPECT_TRUE(contains(notes, "DES-CBC3-SHA only with ':@SECLEVEL=0' added")) << notes;
  EXPECT_TRUE(contains(notes, "RC4-MD5 not at all in most builds")) << notes;
  // `openssl ciphers` accepts it (it skips the suites its build lacks).
  const RunResult openssl = run_program(
      "/usr/bin/openssl", {"ciphers", "-s", "@SECLEVEL=0:" + result.out.substr(0, result.out.size() - 1)});
  EXPECT_EQ(openssl.exit_code, 0) << openssl.err;
  EXPECT_NE(openssl.out.find("ECDHE-ECDSA-AES256-GCM-SHA384"), std::string::npos) << openssl.out;
  EXPECT_NE(openssl.out.find("AES128-SHA"), std::string::npos) << openssl.out;
}

// A profile with TLS 1.3 suites only has no cipher string: an empty line would
// read as one to a script, so it is a usage error naming the -ciphersuites list.
TEST(CiphersCommand, FormatOpensslOfATls13OnlyProfileExits2WithItsCiphersuites) {
  const RunResult result =
      run({"ciphers", "--format", "openssl", "--profile", "CloudFront-Upstream-TLS-1-3-2025"}, kExitUsage);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("offers no TLS 1.2-or-older suite"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("-ciphersuites option"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"),
            std::string::npos)
      << result.err;

  // A profile with both: the cipher string on stdout, the TLS 1.3 list on stderr.
  const RunResult both = run({"ciphers", "--format", "openssl", "--profile", "cloudfront-2025"});
  EXPECT_NE(both.out.find("ECDHE-ECDSA-AES128-GCM-SHA256"), std::string::npos) << both.out;
  EXPECT_NE(both.err.find("-ciphersuites option: TLS_AES_128_GCM_SHA256"), std::string::npos) << both.err;
  EXPECT_FALSE(contains(unwrapped(both.err), "offers no TLS 1.3")) << both.err;
}

TEST(CiphersCommand, Groups) {
  const RunResult result = run({"ciphers", "groups"});
  const auto rows = table_rows(result.out);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0][1], "P-256");
  EXPECT_EQ(rows[1][1], "X25519");
  EXPECT_EQ(rows[2][1], "P-384");
  EXPECT_NE(result.out.find("prime256v1"), std::string::npos);

  const RunResult all = run({"ciphers", "groups", "--all"});
  EXPECT_EQ(table_rows(all.out).size(), policy::all_named_groups().size());
  EXPECT_NE(all.out.find("ffdhe8192"), std::string::npos);

  const json doc = parse_json(run({"ciphers", "groups", "--json"}));
  EXPECT_EQ(doc["profile"], "cloudfront");
  ASSERT_EQ(doc["groups"].size(), 3U);
  EXPECT_EQ(doc["groups"][1]["code"], "0x001D");
  const json all_doc = parse_json(run({"ciphers", "groups", "--all", "--json"}));
  EXPECT_TRUE(all_doc["profile"].is_null());
  EXPECT_EQ(all_doc["groups"].size(), policy::all_named_groups().size());
}

TEST(CiphersCommand, Sigalgs) {
  const RunResult result = run({"ciphers", "sigalgs"});
  const auto rows = table_rows(result.out);
  ASSERT_EQ(rows.size(), 10U);
  EXPECT_EQ(rows[0][1], "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA256");
  EXPECT_EQ(rows[9][1], "TLS_SIGNATURE_SCHEME_ECDSA_SHA1");
  EXPECT_EQ(result.out.find("rsa_pss"), std::string::npos);

  const RunResult all = run({"ciphers", "sigalgs", "--all"});
  EXPECT_EQ(table_rows(all.out).size(), 16U);
  EXPECT_NE(all.out.find("rsa_pss_pss_sha512"), std::string::npos);

  const json doc = parse_json(run({"ciphers", "sigalgs", "--json"}));
  ASSERT_EQ(doc["signature_schemes"].size(), 10U);
  EXPECT_EQ(doc["signature_schemes"][4]["openssl"], "ECDSA+SHA256");
}

TEST(CiphersCommand, Profiles) {
  const RunResult result = run({"ciphers", "profiles"});
  for (const policy::Profile& p : policy::all_profiles()) {
    EXPECT_NE(result.out.find(std::string(p.name)), std::string::npos) << p.name;
  }
  EXPECT_NE(result.out.find("cloudfront (default)"), std::string::npos);
  // The short names the docs use stand next to the profile they are for.
  std::string upstream_2025;
  std::string documented;
  for (const std::string& line : lines_of(result.out)) {
    if (line.starts_with("CloudFront-Upstream-2025 ")) upstream_2025 = line;
    if (line.starts_with("cloudfront (default) ")) documented = line;
  }
  EXPECT_NE(upstream_2025.find(" cloudfront-2025 "), std::string::npos) << result.out;
  EXPECT_NE(documented.find(" default, documented "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Aliases"), std::string::npos) << result.out;

  const json doc = parse_json(run({"ciphers", "profiles", "--json"}));
  EXPECT_EQ(doc["default"], "cloudfront");
  ASSERT_EQ(doc["profiles"].size(), policy::all_profiles().size());
  const json& tls11 = doc["profiles"][3];
  EXPECT_EQ(tls11["name"], "CloudFront-Upstream-TLS-1-1");
  EXPECT_EQ(tls11["min_version"], "TLSv1.1");
  EXPECT_EQ(tls11["max_version"], "TLSv1.2");
  EXPECT_EQ(tls11["default"], false);
  EXPECT_EQ(tls11["cipher_suites"].size(), 19U);
  EXPECT_EQ(tls11["groups"], json::array({"P-256", "X25519", "P-384"}));
  EXPECT_EQ(doc["profiles"][0]["default"], true);
  EXPECT_EQ(doc["profiles"][0]["aliases"], json::array({"default", "documented"}));
  EXPECT_EQ(doc["profiles"][5]["name"], "CloudFront-Upstream-2025");
  EXPECT_EQ(doc["profiles"][5]["aliases"], json::array({"cloudfront-2025"}));
}

// The issue's acceptance example: all three, each in every spelling.
TEST(CiphersCommand, TranslateShowsEverySpelling) {
  const RunResult result =
      run({"ciphers", "translate", "ECDHE-ECDSA-AES128-SHA", "TLS_RSA_WITH_RC4_128_MD5", "0x000A"});
  EXPECT_TRUE(result.err.empty()) << result.err;
  for (const std::string_view expected :
       {// ECDHE-ECDSA-AES128-SHA
        "ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_AES_128_CBC_SHA1",
        "0xC009", "0xC0,0x09",
        // RC4-MD5
        "RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5", "TLS_RSA_ARCFOUR_128_MD5", "SSL_RSA_WITH_RC4_128_MD5",
        "0x0004", "0x00,0x04",
        // DES-CBC3-SHA
        "DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_3DES_EDE_CBC_SHA1",
        "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "0x000A", "0x00,0x0A"}) {
    EXPECT_NE(result.out.find(expected), std::string::npos) << expected << " missing from:\n" << result.out;
  }
  // Three blocks, one per name, in the order asked.
  const std::size_t first = result.out.find("ECDHE-ECDSA-AES128-SHA  (cipher suite)");
  const std::size_t second = result.out.find("TLS_RSA_WITH_RC4_128_MD5  (cipher suite)");
  const std::size_t third = result.out.find("0x000A  (cipher suite)");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST(CiphersCommand, TranslateGroupsAndSchemesAndCodeForms) {
  const RunResult result = run({"ciphers", "translate", "prime256v1", "rsa_pkcs1_sha256", "{0xC0,0x2F}"});
  EXPECT_NE(result.out.find("secp256r1"), std::string::npos);
  EXPECT_NE(result.out.find("0x0017 (23)"), std::string::npos);
  EXPECT_NE(result.out.find("TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA256"), std::string::npos);
  EXPECT_NE(result.out.find("RSA+SHA256"), std::string::npos);
  EXPECT_NE(result.out.find("ECDHE-RSA-AES128-GCM-SHA256"), std::string::npos);

  const json doc = parse_json(run({"ciphers", "translate", "--json", "0xC02F", "x25519", "ECDSA+SHA1"}));
  const json& results = doc["results"];
  ASSERT_EQ(results.size(), 3U);
  EXPECT_EQ(results[0]["query"], "0xC02F");
  EXPECT_EQ(results[0]["matches"][0]["kind"], "cipher_suite");
  EXPECT_EQ(results[0]["matches"][0]["cipher_suite"]["rfc"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(results[1]["matches"][0]["kind"], "group");
  EXPECT_EQ(results[1]["matches"][0]["group"]["id"], 29);
  EXPECT_EQ(results[2]["matches"][0]["kind"], "signature_scheme");
  EXPECT_EQ(results[2]["matches"][0]["signature_scheme"]["code"], "0x0203");
}

// What check prints under "What the origin supports" although no profile offers it.
TEST(CiphersCommand, TranslateFindsTheSuitesCheckNamesAndSaysTheCdnDoesNotOfferThem) {
  const RunResult result = run({"ciphers", "translate", "ECDHE-RSA-CHACHA20-POLY1305", "0xCCA8",
                                "DHE-RSA-AES128-GCM-SHA256", "0x009E", "ed25519"});
  EXPECT_TRUE(result.err.empty()) << result.err;
  for (const std::string_view expected :
       {"ECDHE-RSA-CHACHA20-POLY1305  (cipher suite the CDN does not offer)",
        "0xCCA8  (cipher suite the CDN does not offer)", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "0xCCA8 (0xCC,0xA8)", "DHE-RSA-AES128-GCM-SHA256  (cipher suite the CDN does not offer)",
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "0x009E (0x00,0x9E)", "Key exchange    DHE",
        "ed25519  (signature scheme the CDN does not offer)", "0x0807 (0x08,0x07)",
        "none: no profile of the CDN offers it"}) {
    EXPECT_TRUE(contains(result.out, expected)) << expected << " missing from:\n" << result.out;
  }

  const json doc = parse_json(run({"ciphers", "translate", "--json", "0xCCA8", "ed25519"}));
  ASSERT_EQ(doc["results"].size(), 2U);
  EXPECT_EQ(doc["results"][0]["matches"],
            json::parse(R"([{"kind": "other_cipher_suite", "other_cipher_suite": {
                "openssl": "ECDHE-RSA-CHACHA20-POLY1305", "rfc": "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "code": "0xCCA8", "key_exchange": "ECDHE", "authentication": "RSA",
                "min_version": "TLSv1.2", "max_version": "TLSv1.2"}}])"));
  EXPECT_FALSE(doc["results"][0].contains("error"));
  EXPECT_EQ(doc["results"][1]["matches"], json::parse(R"([{"kind": "other_signature_scheme",
                             "other_signature_scheme": {"name": "ed25519", "code": "0x0807"}}])"));
}

TEST(CiphersCommand, TranslateSaysWhatTheScsvIs) {
  const RunResult result = run({"ciphers", "translate", "0x00FF", "tls_empty_renegotiation_info_scsv"});
  EXPECT_TRUE(result.err.empty()) << result.err;
  for (const std::string_view expected :
       {"0x00FF  (signalling value in the cipher suite list, not a cipher suite)",
        "tls_empty_renegotiation_info_scsv  (signalling value", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        "secure renegotiation (RFC 5746)", "whenever it offers a suite below TLS 1.3"}) {
    EXPECT_TRUE(contains(result.out, expected)) << expected << " missing from:\n" << result.out;
  }
  const json doc = parse_json(run({"ciphers", "translate", "--json", "{0x00,0xFF}"}));
  EXPECT_EQ(doc["results"][0]["matches"],
            json::parse(R"([{"kind": "scsv", "scsv": {"rfc": "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
                                                      "code": "0x00FF"}}])"));
}

TEST(CiphersErrors, ACodePointNothingHasGetsNoSuggestedNames) {
  // "48" is two edits from "X448", but a number is a code point, not a misspelt name.
  for (const std::string query : {"0x0000", "4", "48", "0xFAFA"}) {
    const RunResult result = run({"ciphers", "translate", query}, kExitUsage);
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_FALSE(contains(result.err, "did you mean")) << result.err;
    EXPECT_FALSE(contains(result.err, "X448")) << result.err;
    if (query.starts_with("0x")) {
      EXPECT_TRUE(
          contains(result.err, "edgefetch: unknown name '" + query +
                                   "': not the code point of any cipher suite, group or signature scheme"))
          << result.err;
    }
  }
}

TEST(CiphersErrors, ADecimalNumberIsAGroupIdAndTheHexSpellingIsNamed) {
  // 10 is DES-CBC3-SHA's code point, but a decimal number is read as a group id.
  const RunResult result = run({"ciphers", "translate", "10"}, kExitUsage);
  const std::string err = unwrapped(result.err);
  EXPECT_TRUE(contains(err, "unknown name '10': no group has the id 10")) << err;
  EXPECT_TRUE(contains(err, "for the code point 10, give 0x000A")) << err;
  EXPECT_FALSE(contains(err, "not the code point of any")) << "0x000A is DES-CBC3-SHA's: " << err;
  // And the hex spelling it names is found.
  const RunResult hex = run({"ciphers", "translate", "0x000A"});
  EXPECT_TRUE(contains(hex.out, "DES-CBC3-SHA")) << hex.out;
}

TEST(CiphersErrors, AProfileTheActionDoesNotUseIsRefused) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  for (const Case& c : {Case{{"ciphers", "--profile", "bogus", "translate", "0xC02F"}, "does not apply to"},
                        Case{{"ciphers", "--profile", "cloudfront", "profiles"}, "which lists them all"},
                        Case{{"ciphers", "sigalgs", "--all", "--profile", "cloudfront-2025"},
                             "give --profile or --all, not both"},
                        Case{{"ciphers", "groups", "--profile", "cloudfront", "--all"}, "not both"}}) {
    const RunResult result = run(c.args, kExitUsage);
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_TRUE(contains(unwrapped(result.err), c.expected)) << result.err;
  }
  // Without --profile, the same actions run.
  run({"ciphers", "translate", "0xC02F"});
  run({"ciphers", "profiles"});
  run({"ciphers", "sigalgs", "--all"});
  run({"ciphers", "groups", "--profile", "cloudfront"});
}

TEST(CiphersErrors, WithJsonAnUnknownNameIsAResultWithAnError) {
  const RunResult result =
      run({"ciphers", "translate", "--json", "RC4-MD5", "0x0000", "nonsense-name"}, kExitUsage);
  const json doc = parse_json(result);
  const json& results = doc["results"];
  ASSERT_EQ(results.size(), 3U) << "one result per query, in order";
  EXPECT_EQ(results[0]["query"], "RC4-MD5");
  EXPECT_EQ(results[0]["matches"][0]["kind"], "cipher_suite");
  EXPECT_FALSE(results[0].contains("error"));
  for (std::size_t i : {1U, 2U}) {
    EXPECT_EQ(results[i]["matches"], json::array()) << results[i];
    ASSERT_TRUE(results[i]["error"].is_string()) << results[i];
  }
  EXPECT_EQ(results[1]["query"], "0x0000");
  EXPECT_EQ(
      results[1]["error"],
      "unknown name '0x0000': not the code point of any cipher suite, group or signature scheme edgefetch "
      "knows");
  EXPECT_EQ(results[2]["query"], "nonsense-name");
  EXPECT_TRUE(contains(results[2]["error"].get<std::string>(), "unknown name 'nonsense-name'"));
  // stderr still says it, for a human watching.
  EXPECT_TRUE(contains(result.err, "unknown name 'nonsense-name'")) << result.err;
}

TEST(CiphersErrors, UnknownNameSuggestsTheClosestAndExits2) {
  const RunResult result = run({"ciphers", "translate", "ECDHE-RSA-AES128-GCM-SHA265"}, kExitUsage);
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_EQ(result.err.rfind("edgefetch: unknown name 'ECDHE-RSA-AES128-GCM-SHA265'; did you mean: ", 0), 0U)
      << result.err;
  EXPECT_NE(result.err.find("ECDHE-RSA-AES128-GCM-SHA256"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.substr(result.err.size() - 2), "?\n") << result.err;

  // Known names are still translated; the unknown one makes the exit code 2.
  const RunResult mixed = run({"ciphers", "translate", "RC4-MD5", "nonsense-name"}, kExitUsage);
  EXPECT_NE(mixed.out.find("SSL_RSA_WITH_RC4_128_MD5"), std::string::npos);
  EXPECT_NE(mixed.err.find("unknown name 'nonsense-name'"), std::string::npos);
}

TEST(CiphersErrors, AnUnknownNameFarFromEveryNameGetsNoSuggestionButWhereTheNamesAre) {
  // "bogus" is as far from "P-256" as from anything: suggesting curves would mislead.
  const RunResult result = run({"ciphers", "translate", "bogus"}, kExitUsage);
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_EQ(result.err.find("did you mean"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("P-256"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("unknown name 'bogus': not a cipher suite, group or signature scheme"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("'edgefetch ciphers sigalgs'"), std::string::npos) << result.err;
}

TEST(CiphersTranslateText, EveryKindSaysWhichProfilesOfferItAndWhere) {
  const RunResult result = run(
      {"ciphers", "translate", "ECDHE-RSA-AES128-GCM-SHA256", "secp384r1", "rsa_pss_rsae_sha256", "ed25519"});
  // Lines as "  Offered by  <profile> #<position> (also ...)", one per match, in query order.
  std::vector<std::string> offered;
  for (const std::string& line : lines_of(result.out)) {
    const auto at = line.find("Offered by");
    if (at == std::string::npos) continue;
    // The label column is as wide as each entry's longest label.
    const auto value = line.find_first_not_of(' ', at + 10);
    offered.push_back("Offered by  " + line.substr(value));
  }
  ASSERT_EQ(offered.size(), 4U) << result.out;
  EXPECT_TRUE(offered[0].starts_with("Offered by  cloudfront #")) << offered[0];
  EXPECT_TRUE(offered[1].starts_with("Offered by  cloudfront #3")) << offered[1];
  // Profiles with the same list are named in full, as --profile takes them.
  EXPECT_TRUE(contains(offered[1],
                       "CloudFront-Upstream-TLS-1-0, CloudFront-Upstream-TLS-1-1, "
                       "CloudFront-Upstream-TLS-1-2"))
      << offered[1];
  EXPECT_FALSE(contains(offered[1], " -TLS-")) << offered[1];
  EXPECT_TRUE(offered[2].starts_with("Offered by  CloudFront-Upstream-2025 #")) << offered[2];
  EXPECT_TRUE(contains(offered[2], "CloudFront-Upstream-TLS-1-3-2025")) << offered[2];
  EXPECT_FALSE(contains(offered[2], "cloudfront #")) << "the documented policy has no RSA-PSS";
  EXPECT_TRUE(offered[3].starts_with("Offered by  none")) << offered[3];
}

TEST(CiphersTranslateText, ACataloguedItemNoProfileOffersIsHeadedSo) {
  const RunResult x448 = run({"ciphers", "translate", "X448"});
  EXPECT_TRUE(contains(x448.out, "X448  (named group the CDN does not offer)")) << x448.out;
  const RunResult p256 = run({"ciphers", "translate", "P-256"});
  EXPECT_TRUE(contains(p256.out, "P-256  (named group)\n")) << p256.out;
}

TEST(CiphersTranslateText, ThePrfHashIsTls12s) {
  const RunResult legacy = run({"ciphers", "translate", "RC4-MD5"});
  EXPECT_TRUE(contains(legacy.out, "SHA256 (TLS 1.2; MD5+SHA-1 before)")) << legacy.out;
  const RunResult gcm = run({"ciphers", "translate", "ECDHE-RSA-AES256-GCM-SHA384"});  // TLS 1.2 only
  EXPECT_FALSE(contains(gcm.out, "before)")) << gcm.out;
  EXPECT_TRUE(contains(gcm.out, "SHA384")) << gcm.out;
}

TEST(CiphersErrors, AHexNumberBeyond16BitsIsNamedAsSuch) {
  const RunResult result = run({"ciphers", "translate", "--json", "0x12345", "bogus"}, kExitUsage);
  const nlohmann::json doc = nlohmann::json::parse(result.out);
  EXPECT_EQ(
      doc["results"][0]["error"],
      "unknown name '0x12345': not a code point; TLS code points are 16 bits, 0x0000 to 0xFFFF (written "
      "0xC02F or 0xC0,0x2F)");
  EXPECT_TRUE(contains(doc["results"][1]["error"].get<std::string>(),
                       "(for the TLS 1.3 suites, add --profile CloudFront-Upstream-2025)"))
      << doc["results"][1]["error"];
}

TEST(CiphersErrors, UnknownProfileExits2) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"ciphers", "--profile", "nope"},
        std::vector<std::string>{"ciphers", "groups", "--profile", "nope"},
        std::vector<std::string>{"ciphers", "sigalgs", "--profile", "nope"},
        std::vector<std::string>{"ciphers", "--json", "--profile", "CloudFront-Upstream-TLS-1-3"}}) {
    const RunResult result = run(args, kExitUsage);
    // With --json the error is also a JSON object on stdout (usage_error_json_test.cpp).
    const bool asks_json = std::find(args.begin(), args.end(), "--json") != args.end();
    EXPECT_EQ(result.out.empty(), !asks_json) << result.out;
    EXPECT_NE(result.err.find("edgefetch: unknown profile"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("CloudFront-Upstream-TLS-1-2"), std::string::npos)
        << "lists the known profiles";
    EXPECT_NE(result.err.find("CloudFront-Upstream-2025 (alias cloudfront-2025)"), std::string::npos)
        << "with the aliases the docs use: " << result.err;
    EXPECT_NE(result.err.find("cloudfront (aliases default, documented)"), std::string::npos) << result.err;
  }
}

TEST(CiphersErrors, BadOriginSslProtocolsExits2) {
  struct Case {
    std::string value;
    std::string expected;
  };
  for (const Case& c :
       {Case{"TLSv1.3", "'TLSv1.3' is not an OriginSslProtocols value"},
        Case{"TLSv1.2,TLS1.1", "'TLS1.1' is not an OriginSslProtocols value"},
        Case{"TLSv1.0", "did you mean 'TLSv1'"}, Case{"", "no OriginSslProtocols value given"},
        Case{" , ", "no OriginSslProtocols value given"}}) {
    const RunResult result = run({"ciphers", "--origin-ssl-protocols", c.value}, kExitUsage);
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_NE(result.err.find("edgefetch: --origin-ssl-protocols: "), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(c.expected), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("valid values: SSLv3, TLSv1, TLSv1.1, TLSv1.2"), std::string::npos)
        << result.err;
  }
}

TEST(CiphersErrors, UsageMistakesExit2) {
  run({"ciphers", "--format", "xml"}, kExitUsage);
  const RunResult json_format = run({"ciphers", "--format", "json"}, kExitUsage);
  EXPECT_NE(json_format.err.find("for JSON, use --json"), std::string::npos) << json_format.err;
  EXPECT_NE(json_format.err.find("Run 'edgefetch ciphers --help' for usage."), std::string::npos)
      << "the hint names the command: " << json_format.err;
  const RunResult both = run({"ciphers", "--json", "--format", "openssl"}, kExitUsage);
  EXPECT_TRUE(contains(both.err, "--json and --format cannot go together")) << both.err;
  // --format takes any case, as --profile does.
  EXPECT_EQ(run({"ciphers", "--format", "OpenSSL"}).out, run({"ciphers", "--format", "openssl"}).out);
  run({"ciphers", "translate"}, kExitUsage);
  run({"ciphers", "--no-such-option"}, kExitUsage);
  const RunResult typo = run({"ciphers", "group"}, kExitUsage);
  EXPECT_TRUE(contains(typo.err, "not expected: group; did you mean 'groups'?")) << typo.err;
  const RunResult twice =
      run({"ciphers", "--profile", "cloudfront", "--profile", "cloudfront-2025"}, kExitUsage);
  EXPECT_TRUE(contains(twice.err, "edgefetch: --profile was given more than once; give it once"))
      << twice.err;
  EXPECT_FALSE(contains(twice.err, "At Most")) << twice.err;
  const RunResult misplaced = run({"ciphers", "--origin-ssl-protocols", "TLSv1.2", "groups"}, kExitUsage);
  EXPECT_NE(misplaced.err.find("apply to 'edgefetch ciphers' itself"), std::string::npos) << misplaced.err;
}

TEST(CiphersHelp, EverySubcommandHasHelp) {
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  for (const Case& c :
       {Case{{"ciphers", "--help"}, "--origin-ssl-protocols"}, Case{{"ciphers", "groups", "--help"}, "--all"},
        Case{{"ciphers", "sigalgs", "--help"}, "--all"}, Case{{"ciphers", "profiles", "--help"}, "--json"},
        Case{{"ciphers", "translate", "--help"}, "NAME"}}) {
    const RunResult result = run(c.args, kExitOk);
    EXPECT_NE(result.out.find(c.mentions), std::string::npos) << result.out;
    // ciphers fails only with a usage error (2) or an output failure (4): no TLS or connection codes.
    EXPECT_NE(result.out.find("Exit codes: 0 "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("2 "), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find("1 TLS"), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find("3 connection"), std::string::npos) << result.out;
  }
  const RunResult translate = run({"ciphers", "translate", "--help"});
  EXPECT_NE(translate.out.find("2 a name that matches nothing"), std::string::npos) << translate.out;
  const RunResult offer = run({"ciphers", "--help"});
  EXPECT_NE(offer.out.find("a profile with none of those suites exits 2"), std::string::npos) << offer.out;
  // Options line up: no CLI11 "Excludes:" note pushed into the names' column.
  EXPECT_FALSE(contains(offer.out, "Excludes")) << offer.out;
  // Each listing's footer names only the errors it can have.
  const RunResult profiles = run({"ciphers", "profiles", "--help"});
  EXPECT_FALSE(contains(profiles.out, "--origin-ssl-protocols")) << profiles.out;
  EXPECT_TRUE(contains(profiles.out, "a flag it does not take, such as --profile")) << profiles.out;
  const RunResult groups = run({"ciphers", "groups", "--help"});
  EXPECT_FALSE(contains(groups.out, "--format openssl")) << groups.out;
  EXPECT_TRUE(contains(groups.out, "--profile with --all")) << groups.out;
}

TEST(CiphersColour, OnlyOnATerminalAndNotWithNoColor) {
  RunOptions tty;
  tty.stdout_is_terminal = true;
  tty.unset_environment = {"NO_COLOR"};
  tty.set_environment = {{"TERM", "xterm-256color"}};  // CI consoles may say TERM=dumb
  const RunResult coloured = run({"ciphers"}, kExitOk, tty);
  EXPECT_NE(coloured.out.find("\x1b["), std::string::npos) << "a terminal gets colour";
  // Colour does not disturb the alignment: the same rows come out.
  const RunResult plain = run({"ciphers"});
  std::string stripped;
  for (std::size_t i = 0; i < coloured.out.size(); ++i) {
    if (coloured.out[i] == '\x1b') {
      i = coloured.out.find('m', i);
      continue;
    }
    stripped.push_back(coloured.out[i]);
  }
  EXPECT_EQ(stripped, plain.out);

  RunOptions dumb = tty;
  dumb.set_environment = {{"TERM", "dumb"}};
  EXPECT_EQ(run({"ciphers"}, kExitOk, dumb).out.find('\x1b'), std::string::npos) << "TERM=dumb has no colour";

  RunOptions no_color = tty;
  no_color.set_environment = {{"NO_COLOR", "1"}, {"TERM", "xterm-256color"}};
  EXPECT_EQ(run({"ciphers"}, kExitOk, no_color).out.find('\x1b'), std::string::npos);

  RunOptions empty_no_color = tty;
  empty_no_color.set_environment = {{"NO_COLOR", ""}, {"TERM", "xterm-256color"}};
  EXPECT_NE(run({"ciphers"}, kExitOk, empty_no_color).out.find("\x1b["), std::string::npos)
      << "an empty NO_COLOR does not disable colour";
}

}  // namespace
}  // namespace edgefetch::cli_test
