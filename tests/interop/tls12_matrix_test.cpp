// The TLS 1.2 interop matrix (issue 3): every TLS 1.2 suite of the `cloudfront`
// and `CloudFront-Upstream` profiles x every group for ECDHE x every signature
// scheme of the seed, against `openssl s_server` and `gnutls-serv` pinned to the
// cell. Each cell asserts the exact version, suite, group and scheme as
// edgefetch's Client reports them, and that the server saw the same.
//
// EDGEFETCH_INTEROP_CLIENT=libssl runs the same cells with the libssl reference
// client instead: a check of the harness itself (3DES/RC4 cells are skipped).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/any_server.hpp"
#include "support/interop_cells.hpp"
#include "support/matrix_report.hpp"
#include "support/peer_names.hpp"
#include "support/reference_client.hpp"
#include "support/tls_pump.hpp"

namespace edgefetch::support {
namespace {

const bool kMatrixPrinterRegistered = (register_matrix_printer(), true);

bool use_reference_client() {
  const char* client = std::getenv("EDGEFETCH_INTEROP_CLIENT");
  return client != nullptr && std::string_view(client) == "libssl";
}

struct MatrixCase {
  PeerKind peer;
  Cell cell;
};

std::vector<MatrixCase> matrix_cases() {
  std::vector<MatrixCase> cases;
  for (const Cell& cell : tls12_matrix_cells()) {
    for (const PeerKind peer : {PeerKind::openssl, PeerKind::gnutls}) {
      if (peer_can_serve(peer, cell)) cases.push_back({peer, cell});
    }
  }
  return cases;
}

void PrintTo(const MatrixCase& c, std::ostream* out) {
  *out << name(c.peer) << " " << c.cell.label();
}

std::string case_name(const ::testing::TestParamInfo<MatrixCase>& info) {
  return std::string(name(info.param.peer)) + "_" + info.param.cell.identifier();
}

// Records the cell's outcome when the test ends, however it ends.
class CellRecorder {
 public:
  CellRecorder(std::string matrix, const MatrixCase& c) : matrix_(std::move(matrix)), case_(c) {}
  ~CellRecorder() {
    const bool failed = ::testing::Test::HasFailure();
    const bool skipped = ::testing::Test::IsSkipped();
    MatrixReport::instance().record(matrix_, case_.cell, case_.peer,
                                    failed    ? CellOutcome::fail
                                    : skipped ? CellOutcome::skipped
                                              : CellOutcome::pass,
                                    note_);
  }
  CellRecorder(const CellRecorder&) = delete;
  CellRecorder& operator=(const CellRecorder&) = delete;
  void note(std::string text) { note_ = std::move(text); }

 private:
  std::string matrix_;
  MatrixCase case_;
  std::string note_;
};

class Tls12Matrix : public ::testing::TestWithParam<MatrixCase> {};

TEST_P(Tls12Matrix, NegotiatesTheCell) {
  const MatrixCase& param = GetParam();
  const Cell& cell = param.cell;
  const bool reference = use_reference_client();
  CellRecorder recorder(
      reference ? "TLS 1.2 / libssl reference client (harness check)" : "TLS 1.2 / edgefetch", param);
  if (reference && !openssl_can_serve(cell.suite)) {
    recorder.note("libssl has no " + suite_label(cell.suite));
    GTEST_SKIP() << "libssl cannot speak " << suite_label(cell.suite);
  }

  auto server = AnyServer::start(param.peer, cell);
  if (!server) recorder.note("server did not start");
  ASSERT_TRUE(server) << server.error();

  const std::string profile = profile_for_suite(cell.suite);
  NegotiatedSummary negotiated;
  std::string body;
  std::string description;
  if (reference) {
    const policy::Profile* p = policy::profile_by_name(profile);
    ASSERT_NE(p, nullptr);
    const std::vector<policy::ProtocolVersion> versions = {cell.version};
    const ReferenceFetchResult result =
        fetch_with_libssl(server->port(), ReferenceClientOptions::from_offer(policy::narrow(*p, versions)));
    if (!result.ok()) recorder.note(result.error);
    ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
    negotiated = result.summary;
    body = result.body();
    description = result.describe();
  } else {
    auto config = make_client_config({.profile = profile, .origin_ssl_protocols = {cell.version}});
    ASSERT_TRUE(config) << config.error();
    const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), server->port());
    if (!result.ok()) {
      recorder.note(result.error
                        ? std::string(tls::error_code_name(result.error.code)) + ": " + result.error.message
                        : result.transport_error);
    }
    ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
    negotiated = result.summary;
    body = result.body();
    description = result.describe();
  }

  const std::string client_diff = join_lines(client_mismatches(cell, negotiated));
  EXPECT_EQ(client_diff, "") << description;
  const ServerView view = server->parse_page(body);
  const std::string server_diff = join_lines(server_mismatches(cell, view));
  EXPECT_EQ(server_diff, "") << view.describe() << "\n" << body;
  if (!client_diff.empty() || !server_diff.empty()) recorder.note(client_diff + " " + server_diff);
}

INSTANTIATE_TEST_SUITE_P(Cells, Tls12Matrix, ::testing::ValuesIn(matrix_cases()), case_name);

// The matrix covers exactly what issue 3 lists: the 19 suites of Appendix A.1
// valid in TLS 1.2 (the 17 AES suites plus DES-CBC3-SHA and RC4-MD5), the three
// groups and the ten seed schemes. Written out here so that a profile losing an
// entry cannot silently shrink the matrix.
TEST(Tls12MatrixCoverage, CoversEverySuiteGroupAndScheme) {
  const std::vector<Cell> cells = tls12_matrix_cells();
  std::vector<std::uint16_t> suites;
  std::vector<std::uint16_t> groups;
  std::vector<std::uint16_t> schemes;
  auto add = [](std::vector<std::uint16_t>& to, std::uint16_t v) {
    if (v != 0 && std::find(to.begin(), to.end(), v) == to.end()) to.push_back(v);
  };
  for (const Cell& cell : cells) {
    add(suites, cell.suite);
    add(groups, cell.group);
    add(schemes, cell.scheme);
  }
  std::sort(suites.begin(), suites.end());
  std::sort(groups.begin(), groups.end());
  std::sort(schemes.begin(), schemes.end());
  EXPECT_EQ(suites, (std::vector<std::uint16_t>{0x0004, 0x000A, 0x002F, 0x0035, 0x003C, 0x009C, 0x009D,
                                                0xC009, 0xC00A, 0xC013, 0xC014, 0xC023, 0xC024, 0xC027,
                                                0xC028, 0xC02B, 0xC02C, 0xC02F, 0xC030}));
  EXPECT_EQ(groups, (std::vector<std::uint16_t>{23, 24, 29}));
  EXPECT_EQ(schemes, (std::vector<std::uint16_t>{0x0201, 0x0203, 0x0301, 0x0303, 0x0401, 0x0403, 0x0501,
                                                 0x0503, 0x0601, 0x0603}));
  // 6 ECDHE-RSA and 6 ECDHE-ECDSA suites x 3 groups x 5 schemes, plus 7 RSA key exchange suites.
  EXPECT_EQ(cells.size(), 12U * 3U * 5U + 7U);
}

TEST(Tls12MatrixCoverage, EveryCellHasAnIndependentServer) {
  for (const Cell& cell : tls12_matrix_cells()) {
    EXPECT_TRUE(peer_can_serve(PeerKind::openssl, cell) || peer_can_serve(PeerKind::gnutls, cell))
        << cell.label();
  }
}

}  // namespace
}  // namespace edgefetch::support
