// Differential check (issue 3): against the same server, pinned to one suite
// and (for ECDHE) one group but free in its choice of signature scheme,
// edgefetch's Client and the libssl reference client, both offering the same
// profile, negotiate the same version, suite, group and signature scheme.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/any_server.hpp"
#include "support/interop_cells.hpp"
#include "support/peer_names.hpp"
#include "support/reference_client.hpp"
#include "support/tls_pump.hpp"

namespace edgefetch::support {
namespace {

struct DifferentialCase {
  PeerKind peer;
  Cell cell;  // scheme 0: the server chooses
};

void PrintTo(const DifferentialCase& c, std::ostream* out) {
  *out << name(c.peer) << " " << c.cell.label();
}

std::vector<DifferentialCase> differential_cases() {
  std::vector<DifferentialCase> cases;
  std::vector<std::pair<std::uint16_t, std::uint16_t>> seen;
  for (const Cell& matrix_cell : tls12_matrix_cells()) {
    if (!openssl_can_serve(matrix_cell.suite)) continue;  // libssl must speak it too
    const std::pair key{matrix_cell.suite, matrix_cell.group};
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    Cell cell = matrix_cell;
    cell.scheme = 0;
    for (const PeerKind peer : {PeerKind::openssl, PeerKind::gnutls}) {
      if (peer_can_serve(peer, cell)) cases.push_back({peer, cell});
    }
  }
  return cases;
}

std::string case_name(const ::testing::TestParamInfo<DifferentialCase>& info) {
  return std::string(name(info.param.peer)) + "_" + info.param.cell.identifier();
}

class Differential : public ::testing::TestWithParam<DifferentialCase> {};

TEST_P(Differential, EdgefetchAndLibsslAgree) {
  const auto& [peer, cell] = GetParam();
  auto server = AnyServer::start(peer, cell);
  ASSERT_TRUE(server) << server.error();
  const std::string profile_name = profile_for_suite(cell.suite);
  const policy::Profile* profile = policy::profile_by_name(profile_name);
  ASSERT_NE(profile, nullptr);
  const std::vector<policy::ProtocolVersion> versions = {cell.version};

  const ReferenceFetchResult reference = fetch_with_libssl(
      server->port(), ReferenceClientOptions::from_offer(policy::narrow(*profile, versions)));
  ASSERT_TRUE(reference.ok()) << reference.describe() << "\n" << server->logs();
  EXPECT_EQ(reference.summary.suite, cell.suite) << reference.describe();
  EXPECT_EQ(reference.summary.group, cell.group) << reference.describe();

  auto config = make_client_config({.profile = profile_name, .origin_ssl_protocols = versions});
  ASSERT_TRUE(config) << config.error();
  const TlsFetchResult ours = fetch_with_edgefetch(std::move(*config), server->port());
  ASSERT_TRUE(ours.ok()) << ours.describe() << "\n" << server->logs();
  EXPECT_EQ(ours.summary.describe(), reference.summary.describe());
  EXPECT_EQ(ours.summary, reference.summary);
}

INSTANTIATE_TEST_SUITE_P(Tls12, Differential, ::testing::ValuesIn(differential_cases()), case_name);

}  // namespace
}  // namespace edgefetch::support
