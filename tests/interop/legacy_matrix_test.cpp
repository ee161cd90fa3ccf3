// The legacy interop matrix (issue 4): every cell of the seed's policy below
// TLS 1.2 (SSLv3, TLS 1.0, TLS 1.1 x every suite valid there x the three groups
// for ECDHE suites), plus DES-CBC3-SHA and RC4-MD5 in TLS 1.2, against every
// independent server that can be pinned to the cell:
//   - openssl s_server (@SECLEVEL=0): TLS 1.0/1.1, no 3DES/RC4 (compiled out);
//   - gnutls-serv: TLS 1.0-1.2, 3DES and RC4, no SSLv3;
//   - the Java server on SunJSSE: every cell but the SSLv3 RSA key exchange
//     cells and ECDSA with X25519 (see jsse_limitation);
//   - NSS selfserv: every cell but ECDHE in SSLv3 (NSS refuses it);
//   - the Java server on BouncyCastle's BCJSSE: every cell but RC4.
// Each cell asserts the exact version, suite and group, and no signature scheme
// before TLS 1.2, as edgefetch's Client reports them and as the server reports.
//
// ECDHE in SSLv3: RFC 4492 defines the ECC suites for TLS 1.0 and later only;
// the CDN's client library (s2n, facts Appendix A.1 "min ver") accepts them in
// SSLv3 as well, and edgefetch follows it (the catalogue's min_version is SSLv3
// for those suites), because an origin that answers that way is reachable
// through the CDN. The SSLv3 ECDHE cells below are the proof it works end to
// end; JSSE and BCJSSE are the independent servers speaking it.
//
// SSLv3 RSA key exchange: RFC 6101 §5.6.7.1 sends the encrypted pre-master
// secret without the u16 length TLS added, and edgefetch (like s2n, OpenSSL and
// NSS) does so whatever version its ClientHello offered. NSS selfserv and
// BCJSSE read it that way; SunJSSE 17 chooses the format by the ClientHello's
// version, so it fails any client that offers TLS and accepts SSLv3 (NSS
// tstclnt included: harness_servers_test shows it).
//
// JVM start-up is slow, so Java cells are grouped: one JVM per provider and
// group (the groups are a JVM-wide setting) with one listener per cell; each
// bucket is one test that records every cell it serves. openssl, gnutls and
// selfserv start fast: one process per cell.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/any_server.hpp"
#include "support/bcjsse_server.hpp"
#include "support/interop_cells.hpp"
#include "support/jsse_server.hpp"
#include "support/matrix_report.hpp"
#include "support/nss_server.hpp"
#include "support/peer_names.hpp"
#include "support/tls_pump.hpp"

namespace edgefetch::support {
namespace {

using policy::ProtocolVersion;

const bool kMatrixPrinterRegistered = (register_matrix_printer(), true);
constexpr std::string_view kMatrixName = "Legacy (SSLv3, TLS 1.0/1.1, 3DES/RC4) / edgefetch";
constexpr const char* kProfiles[] = {"cloudfront", "CloudFront-Upstream"};

bool is_legacy_bulk(const policy::CipherSuite& suite) {
  return suite.cipher == policy::BulkCipher::des_ede3_cbc || suite.cipher == policy::BulkCipher::rc4_128;
}

// Every legacy cell of the seed's policy, in profile order: below TLS 1.2 every
// suite valid in the version; in TLS 1.2 only 3DES and RC4 (the rest of TLS 1.2
// is the TLS 1.2 matrix). No signature scheme: before TLS 1.2 none is negotiated,
// and the TLS 1.2 3DES/RC4 suites use RSA key exchange.
std::vector<Cell> legacy_matrix_cells() {
  std::vector<Cell> cells;
  for (const ProtocolVersion version :
       {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1, ProtocolVersion::tls1_2}) {
    std::vector<std::uint16_t> seen;
    for (const char* profile_name : kProfiles) {
      const policy::Profile* profile = policy::profile_by_name(profile_name);
      if (profile == nullptr) continue;
      for (const policy::CipherSuite* suite : profile->cipher_suites) {
        if (!suite->valid_in(version)) continue;
        if (version == ProtocolVersion::tls1_2 && !is_legacy_bulk(*suite)) continue;
        if (std::find(seen.begin(), seen.end(), suite->code) != seen.end()) continue;
        seen.push_back(suite->code);
        if (suite->key_exchange != policy::KeyExchange::ecdhe) {
          cells.push_back(Cell{version, suite->code, 0, 0, leaf_for(suite->code, 0)});
          continue;
        }
        for (const policy::NamedGroup* group : profile->groups) {
          cells.push_back(Cell{version, suite->code, group->code, 0, leaf_for(suite->code, group->code)});
        }
      }
    }
  }
  return cells;
}

// Why the JSSE server cannot serve a cell it nominally supports (empty: it can).
//  - OpenJDK 17 parses an SSLv3 RSA ClientKeyExchange with a u16 length prefix
//    when the ClientHello offered TLS (it fails with "Insufficient space in the
//    buffer" in Record.getBytes16). RFC 6101 §5.6.7.1 has no prefix, and neither
//    do s2n (the CDN's client library), OpenSSL or NSS, so edgefetch follows the
//    RFC and JSSE cannot serve those cells.
//  - JSSE uses an ECDSA certificate only when its curve is an enabled group, and
//    then picks the client's first enabled group: our offer lists P-256 before
//    X25519, so ECDHE-ECDSA with X25519 cannot be pinned.
std::string jsse_limitation(const Cell& cell) {
  const PeerSuiteNames* suite = peer_suite(cell.suite);
  if (cell.version == ProtocolVersion::ssl3 && suite != nullptr && !suite->ecdhe) {
    return "JSSE 17 wants a length-prefixed SSLv3 RSA ClientKeyExchange after a TLS ClientHello";
  }
  if (suite != nullptr && suite->ecdsa && cell.group == policy::kGroupX25519) {
    return "JSSE cannot pair an ECDSA P-256 certificate with X25519 only";
  }
  return {};
}

bool legacy_peer_can_serve(PeerKind peer, const Cell& cell) {
  switch (peer) {
    case PeerKind::openssl:
      return cell.version != ProtocolVersion::ssl3 && openssl_can_serve(cell.suite) &&
             !openssl_version_flag(cell.version).empty();
    case PeerKind::gnutls:
      return gnutls_can_serve(cell);
    case PeerKind::jsse:
      return peer_suite(cell.suite) != nullptr && !peer_suite(cell.suite)->jsse.empty() &&
             jsse_limitation(cell).empty();
    case PeerKind::nss:
      return nss_can_serve(cell);
    case PeerKind::bcjsse:
      return bcjsse_can_serve(cell);
  }
  return false;
}

std::string cell_failure(const TlsFetchResult& result) {
  if (result.error) {
    return std::string(tls::error_code_name(result.error.code)) + ": " + result.error.message;
  }
  return result.transport_error.empty() ? std::string("incomplete") : result.transport_error;
}

// Runs one cell against a server already listening on `port`; returns "" on a
// pass, else why it failed (and reports the failure to gtest with the server's
// logs as they are after the attempt).
template <class ParsePage>
std::string run_cell(const Cell& cell, std::uint16_t port, ParsePage&& parse_page,
                     const std::function<std::string()>& logs) {
  // The floor is the cell's version; the offer reaches up to TLS 1.2 as the
  // CDN's always does, and the server pinned to the cell chooses it.
  auto config =
      make_client_config({.profile = profile_for_suite(cell.suite), .origin_ssl_protocols = {cell.version}});
  if (!config) {
    ADD_FAILURE() << cell.label() << ": " << config.error();
    return config.error();
  }
  const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), port);
  if (!result.ok()) {
    ADD_FAILURE() << cell.label() << ": " << result.describe() << "\n" << logs();
    return cell_failure(result);
  }
  const std::string client_diff = join_lines(client_mismatches(cell, result.summary));
  EXPECT_EQ(client_diff, "") << cell.label() << ": " << result.describe();
  // Before TLS 1.2 there is no signature scheme to negotiate: the client must not report one.
  if (cell.version < ProtocolVersion::tls1_2) {
    EXPECT_FALSE(result.negotiated.signature_scheme) << cell.label() << ": " << result.describe();
  }
  const std::string body = result.body();
  const ServerView view = parse_page(body);
  const std::string server_diff = join_lines(server_mismatches(cell, view));
  EXPECT_EQ(server_diff, "") << cell.label() << ": " << view.describe() << "\n" << body << "\n" << logs();
  std::string failure = client_diff;
  if (!server_diff.empty()) failure += (failure.empty() ? "" : "; ") + server_diff;
  if (cell.version < ProtocolVersion::tls1_2 && result.negotiated.signature_scheme) {
    failure += " signature scheme reported before TLS 1.2";
  }
  return failure;
}

void record(const Cell& cell, PeerKind peer, const std::string& failure) {
  MatrixReport::instance().record(kMatrixName, cell, peer,
                                  failure.empty() ? CellOutcome::pass : CellOutcome::fail, failure);
}

// --- openssl s_server, gnutls-serv, NSS selfserv: one process per cell -------

struct MatrixCase {
  PeerKind peer;
  Cell cell;
};

void PrintTo(const MatrixCase& c, std::ostream* out) {
  *out << name(c.peer) << " " << c.cell.label();
}

std::vector<MatrixCase> process_per_cell_cases() {
  std::vector<MatrixCase> cases;
  for (const Cell& cell : legacy_matrix_cells()) {
    for (const PeerKind peer : {PeerKind::openssl, PeerKind::gnutls, PeerKind::nss}) {
      if (legacy_peer_can_serve(peer, cell)) cases.push_back({peer, cell});
    }
  }
  return cases;
}

class LegacyMatrix : public ::testing::TestWithParam<MatrixCase> {};

TEST_P(LegacyMatrix, NegotiatesTheCell) {
  const MatrixCase& param = GetParam();
  auto server = AnyServer::start(param.peer, param.cell);
  if (!server) {
    record(param.cell, param.peer, "server did not start: " + server.error().substr(0, 80));
    FAIL() << server.error();
  }
  const std::string failure = run_cell(
      param.cell, server->port(), [&](std::string_view page) { return server->parse_page(page); },
      [&] { return server->logs(); });
  record(param.cell, param.peer, failure);
}

INSTANTIATE_TEST_SUITE_P(Cells, LegacyMatrix, ::testing::ValuesIn(process_per_cell_cases()),
                         [](const ::testing::TestParamInfo<MatrixCase>& param_info) {
                           return std::string(name(param_info.param.peer)) + "_" +
                                  param_info.param.cell.identifier();
                         });

// --- JSSE and BCJSSE: one JVM per provider and group, one listener per cell --

// RSA key exchange cells share the P-256 JVM (they use no group).
std::uint16_t java_bucket(const Cell& cell) {
  return cell.group == 0 ? policy::kGroupSecp256r1 : cell.group;
}

std::vector<Cell> java_cells(PeerKind peer, std::uint16_t bucket) {
  std::vector<Cell> cells;
  for (const Cell& cell : legacy_matrix_cells()) {
    if (legacy_peer_can_serve(peer, cell) && java_bucket(cell) == bucket) cells.push_back(cell);
  }
  return cells;
}

struct JavaBucket {
  PeerKind peer;  // jsse or bcjsse
  std::uint16_t group;
};

void PrintTo(const JavaBucket& bucket, std::ostream* out) {
  *out << name(bucket.peer) << " " << group_label(bucket.group);
}

class LegacyMatrixJava : public ::testing::TestWithParam<JavaBucket> {};

TEST_P(LegacyMatrixJava, NegotiatesEveryCellOfTheBucket) {
  const auto [peer, group] = GetParam();
  const std::vector<Cell> cells = java_cells(peer, group);
  ASSERT_FALSE(cells.empty());
  const PeerGroupNames* group_names = peer_group(group);
  ASSERT_NE(group_names, nullptr);

  // Both servers print the same page; each is held here for the whole bucket.
  std::optional<JsseServer> jsse;
  std::optional<BcJsseServer> bcjsse;
  std::string start_error;
  if (peer == PeerKind::jsse) {
    JsseServerOptions options;
    // JSSE picks the identity that fits the suite's authentication.
    options.identities = {
        TestPki::get().leaf(Leaf::rsa2048),
        TestPki::get().leaf(group == policy::kGroupSecp384r1 ? Leaf::ecdsa_p384 : Leaf::ecdsa_p256)};
    options.named_groups = std::string(group_names->jsse);
    for (const Cell& cell : cells) {
      options.listeners.push_back(JsseListener{{std::string(jsse_version(cell.version))},
                                               {std::string(peer_suite(cell.suite)->jsse)}});
    }
    auto server = JsseServer::start(std::move(options));
    if (server) {
      jsse.emplace(std::move(*server));
    } else {
      start_error = server.error();
    }
  } else {
    auto options = BcJsseServerOptions::for_cells(cells);
    ASSERT_TRUE(options) << options.error();
    // RSA-only buckets still pin the JVM's groups to the bucket's.
    options->named_groups = std::string(group_names->jsse);
    auto server = BcJsseServer::start(*options);
    if (server) {
      bcjsse.emplace(std::move(*server));
    } else {
      start_error = server.error();
    }
  }
  if (!jsse && !bcjsse) {
    for (const Cell& cell : cells) record(cell, peer, "JVM did not start");
    FAIL() << start_error;
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::uint16_t port = jsse ? jsse->port(i) : bcjsse->port(i);
    const std::string failure = run_cell(cells[i], port, &JsseServer::parse_page,
                                         [&] { return jsse ? jsse->logs() : bcjsse->logs(); });
    record(cells[i], peer, failure);
  }
}

INSTANTIATE_TEST_SUITE_P(Buckets, LegacyMatrixJava,
                         ::testing::Values(JavaBucket{PeerKind::jsse, policy::kGroupSecp256r1},
                                           JavaBucket{PeerKind::jsse, policy::kGroupSecp384r1},
                                           JavaBucket{PeerKind::jsse, policy::kGroupX25519},
                                           JavaBucket{PeerKind::bcjsse, policy::kGroupSecp256r1},
                                           JavaBucket{PeerKind::bcjsse, policy::kGroupSecp384r1},
                                           JavaBucket{PeerKind::bcjsse, policy::kGroupX25519}),
                         [](const ::testing::TestParamInfo<JavaBucket>& param_info) {
                           return std::string(name(param_info.param.peer)) + "_" +
                                  std::string(peer_group(param_info.param.group)->label);
                         });

// --- coverage ---------------------------------------------------------------

// The cells are written out here so that a profile losing an entry cannot
// silently shrink the matrix: per version below TLS 1.2, 4 ECDHE CBC-SHA suites
// x 3 groups + AES128-SHA, AES256-SHA, DES-CBC3-SHA, RC4-MD5; TLS 1.2 adds the
// 3DES and RC4 cells the TLS 1.2 matrix serves with gnutls only.
TEST(LegacyMatrixCoverage, CoversEveryLegacyCellOfThePolicy) {
  const std::vector<Cell> cells = legacy_matrix_cells();
  std::map<ProtocolVersion, std::vector<std::uint16_t>> suites;
  for (const Cell& cell : cells) {
    auto& list = suites[cell.version];
    if (std::find(list.begin(), list.end(), cell.suite) == list.end()) list.push_back(cell.suite);
  }
  const std::vector<std::uint16_t> below_tls12 = {0x0004, 0x000A, 0x002F, 0x0035,
                                                  0xC009, 0xC00A, 0xC013, 0xC014};
  for (const ProtocolVersion v : {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1}) {
    auto list = suites[v];
    std::sort(list.begin(), list.end());
    EXPECT_EQ(list, below_tls12) << version_label(v);
  }
  auto tls12 = suites[ProtocolVersion::tls1_2];
  std::sort(tls12.begin(), tls12.end());
  EXPECT_EQ(tls12, (std::vector<std::uint16_t>{0x0004, 0x000A}));
  EXPECT_EQ(cells.size(), 3U * (4U * 3U + 4U) + 2U);
}

constexpr PeerKind kLegacyPeers[] = {PeerKind::openssl, PeerKind::gnutls, PeerKind::jsse, PeerKind::nss,
                                     PeerKind::bcjsse};

// Why a peer does not serve a cell, for the printed matrix (empty: it does, or
// the reason is obvious: openssl without SSLv3/3DES/RC4, gnutls without SSLv3).
std::string peer_limitation(PeerKind peer, const Cell& cell) {
  switch (peer) {
    case PeerKind::jsse:
      return jsse_limitation(cell);
    case PeerKind::nss:
      return nss_limitation(cell);
    case PeerKind::bcjsse:
      return bcjsse_limitation(cell);
    case PeerKind::openssl:
    case PeerKind::gnutls:
      return {};
  }
  return {};
}

// Every cell has at least one independent server; the peers per cell are
// printed, and cells served by a single implementation are listed. The Java
// and NSS servers' reasons for not serving a cell go into the printed matrix.
TEST(LegacyMatrixCoverage, EveryCellHasAnIndependentServer) {
  std::ostringstream out;
  std::map<std::size_t, int> histogram;
  std::vector<std::string> uncovered;
  for (const Cell& cell : legacy_matrix_cells()) {
    std::vector<std::string> peers;
    std::string reasons;
    for (const PeerKind peer : kLegacyPeers) {
      if (legacy_peer_can_serve(peer, cell)) {
        peers.emplace_back(name(peer));
        continue;
      }
      const std::string why = peer_limitation(peer, cell);
      if (why.empty()) continue;
      reasons += std::string(reasons.empty() ? "" : "; ") + std::string(name(peer)) + ": " + why;
      MatrixReport::instance().record(kMatrixName, cell, peer, CellOutcome::skipped, why);
    }
    ++histogram[peers.size()];
    if (peers.empty()) {
      uncovered.push_back(cell.label());
      out << "  NO independent server: " << cell.label() << " (" << reasons << ")\n";
      // The cell is in the printed matrix, marked.
      MatrixReport::instance().record(kMatrixName, cell, PeerKind::jsse, CellOutcome::skipped,
                                      "NO SERVER: " + reasons);
    } else if (peers.size() == 1) {
      out << "  single peer: " << cell.label() << " -> " << peers.front() << "\n";
    }
  }
  EXPECT_EQ(uncovered, std::vector<std::string>{});
  std::cout << "legacy cells by number of independent peers:";
  for (const auto& [count, cells] : histogram) std::cout << " " << count << " peer(s): " << cells << ";";
  std::cout << "\n" << out.str();
}

// The cells that SunJSSE cannot serve are exactly the ones issue 4 had no
// server for; NSS and BCJSSE now cover each of them.
TEST(LegacyMatrixCoverage, NssAndBcJsseCoverWhatJsseCannot) {
  std::vector<std::string> jsse_gaps;
  for (const Cell& cell : legacy_matrix_cells()) {
    if (jsse_limitation(cell).empty()) continue;
    jsse_gaps.push_back(cell.label());
    EXPECT_TRUE(legacy_peer_can_serve(PeerKind::nss, cell) || legacy_peer_can_serve(PeerKind::bcjsse, cell))
        << cell.label();
  }
  // The TLS 1.0/1.1 ECDSA X25519 cells also have openssl and gnutls.
  EXPECT_EQ(jsse_gaps, (std::vector<std::string>{
                           "SSL3 ECDHE-ECDSA-AES256-SHA X25519", "SSL3 ECDHE-ECDSA-AES128-SHA X25519",
                           "SSL3 AES256-SHA", "SSL3 AES128-SHA", "SSL3 DES-CBC3-SHA", "SSL3 RC4-MD5",
                           "TLS1.0 ECDHE-ECDSA-AES256-SHA X25519", "TLS1.0 ECDHE-ECDSA-AES128-SHA X25519",
                           "TLS1.1 ECDHE-ECDSA-AES256-SHA X25519", "TLS1.1 ECDHE-ECDSA-AES128-SHA X25519"}));
  // SSLv3 RC4-MD5 has one server only: NSS (BCJSSE has no RC4).
  const Cell ssl3_rc4{ProtocolVersion::ssl3, 0x0004, 0, 0, Leaf::rsa2048};
  EXPECT_TRUE(legacy_peer_can_serve(PeerKind::nss, ssl3_rc4));
  EXPECT_FALSE(legacy_peer_can_serve(PeerKind::bcjsse, ssl3_rc4));
  // ECDHE in SSLv3: NSS refuses it, BCJSSE serves it.
  const Cell ssl3_ecdsa_x25519{ProtocolVersion::ssl3, 0xC009, policy::kGroupX25519, 0, Leaf::ecdsa_p256};
  EXPECT_FALSE(legacy_peer_can_serve(PeerKind::nss, ssl3_ecdsa_x25519));
  EXPECT_TRUE(legacy_peer_can_serve(PeerKind::bcjsse, ssl3_ecdsa_x25519));
}

}  // namespace
}  // namespace edgefetch::support
