// The TLS 1.3 interop matrix (issue 7): every TLS 1.3 suite x group (P-256
// directly; X25519 and P-384 through a HelloRetryRequest, since the CDN's one
// key share is P-256) x certificate type (RSA signing with RSA-PSS-RSAE, an
// RSASSA-PSS key signing with RSA-PSS-PSS, ECDSA P-256, ECDSA P-384), against
// `openssl s_server` and `gnutls-serv` pinned to the cell, and Java's SunJSSE
// (OpenJDK 17; one JVM per group serving the 12 suite x certificate cells of
// that group on 12 listeners, since JVM start-up is slow), with the
// `cloudfront-2025` profile. Each cell asserts the exact version, suite, group
// and scheme on the client side and what the server reports. Plus TLS 1.2 with
// RSA-PSS under the 2025 profile, and the documented default still answering
// a TLS 1.3-capable server with TLS 1.2.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edgefetch/policy/lookup.hpp"
#include "support/any_server.hpp"
#include "support/gnutls_server.hpp"
#include "support/jsse_server.hpp"
#include "support/matrix_report.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"
#include "support/tls_pump.hpp"

namespace edgefetch::support {
namespace {

const bool kMatrixPrinterRegistered = (register_matrix_printer(), true);

enum class CertType { rsa_rsae, rsa_pss, ecdsa_p256, ecdsa_p384 };

std::string_view cert_name(CertType type) {
  switch (type) {
    case CertType::rsa_rsae:
      return "rsa2048";
    case CertType::rsa_pss:
      return "rsapss2048";
    case CertType::ecdsa_p256:
      return "ecdsa_p256";
    case CertType::ecdsa_p384:
      return "ecdsa_p384";
  }
  return "?";
}

struct Cell13 {
  std::uint16_t suite;
  std::uint16_t group;
  CertType cert;
  PeerKind peer;

  [[nodiscard]] std::uint16_t scheme() const {
    switch (cert) {
      case CertType::rsa_rsae:
        return 0x0804;  // the first RSA scheme of sig prefs 20250820 an rsaEncryption key can make
      case CertType::rsa_pss:
        return 0x0809;
      case CertType::ecdsa_p256:
        return 0x0403;
      case CertType::ecdsa_p384:
        return 0x0503;
    }
    return 0;
  }
  [[nodiscard]] Cell as_cell() const {
    return Cell{policy::ProtocolVersion::tls1_3, suite, group, scheme(),
                cert == CertType::ecdsa_p256   ? Leaf::ecdsa_p256
                : cert == CertType::ecdsa_p384 ? Leaf::ecdsa_p384
                                               : Leaf::rsa2048};
  }
};

// ---- An RSASSA-PSS leaf issued by the test intermediate (the shared PKI has none).

struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct ExtensionFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};

template <class T, class Read>
T* read_pem(const std::filesystem::path& path, Read read) {
  std::unique_ptr<FILE, FileClose> file(std::fopen(path.c_str(), "r"));
  return file ? read(file.get(), nullptr, nullptr, nullptr) : nullptr;
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtensionFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

struct PssLeaf {
  ScratchDir dir;
  LeafFiles files;
};

base::Expected<PssLeaf, std::string> make_pss_leaf() {
  const TestPki& pki = TestPki::get();
  std::unique_ptr<X509, X509Free> issuer(read_pem<X509>(pki.intermediate_file(), PEM_read_X509));
  std::unique_ptr<EVP_PKEY, PkeyFree> issuer_key(
      read_pem<EVP_PKEY>(pki.dir() / "intermediate.key", PEM_read_PrivateKey));
  if (!issuer || !issuer_key) return base::unexpected(std::string("cannot read the test intermediate"));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr));
  EVP_PKEY* generated = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) != 1 ||
      EVP_PKEY_generate(ctx.get(), &generated) != 1) {
    return base::unexpected(std::string("RSA-PSS key generation failed"));
  }
  std::unique_ptr<EVP_PKEY, PkeyFree> key(generated);
  std::unique_ptr<X509, X509Free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 0x1309);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("origin.test"),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer.get()));
  X509_set_pubkey(cert.get(), key.get());
  if (!add_extension(cert.get(), issuer.get(), NID_subject_alt_name, "DNS:origin.test,IP:127.0.0.1") ||
      !add_extension(cert.get(), issuer.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), issuer.get(), NID_ext_key_usage, "serverAuth") ||
      X509_sign(cert.get(), issuer_key.get(), EVP_sha256()) == 0) {
    return base::unexpected(std::string("cannot issue the RSA-PSS leaf"));
  }
  PssLeaf leaf{ScratchDir::create("tls13-pss"), {}};
  leaf.files.cert = leaf.dir.path() / "leaf.pem";
  leaf.files.chain = leaf.dir.path() / "leaf.chain.pem";
  leaf.files.intermediates = pki.intermediate_file();
  leaf.files.key = leaf.dir.path() / "leaf.key";
  leaf.files.key_type = "RSASSA-PSS";
  std::unique_ptr<FILE, FileClose> cert_file(std::fopen(leaf.files.cert.c_str(), "w"));
  std::unique_ptr<FILE, FileClose> chain_file(std::fopen(leaf.files.chain.c_str(), "w"));
  std::unique_ptr<FILE, FileClose> key_file(std::fopen(leaf.files.key.c_str(), "w"));
  if (!cert_file || !chain_file || !key_file || PEM_write_X509(cert_file.get(), cert.get()) != 1 ||
      PEM_write_X509(chain_file.get(), cert.get()) != 1 ||
      PEM_write_X509(chain_file.get(), issuer.get()) != 1 ||
      PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return base::unexpected(std::string("cannot write the RSA-PSS leaf"));
  }
  return leaf;
}

const LeafFiles& pss_leaf_files() {
  static std::once_flag once;
  static std::unique_ptr<PssLeaf> leaf;
  static std::string error;
  std::call_once(once, [] {
    auto made = make_pss_leaf();
    if (made) {
      leaf = std::make_unique<PssLeaf>(std::move(*made));
    } else {
      error = made.error();
    }
  });
  if (!leaf) {
    ADD_FAILURE() << error;
    static const LeafFiles kNone{};
    return kNone;
  }
  return leaf->files;
}

LeafFiles identity_for(CertType type) {
  switch (type) {
    case CertType::rsa_rsae:
      return TestPki::get().leaf(Leaf::rsa2048);
    case CertType::rsa_pss:
      return pss_leaf_files();
    case CertType::ecdsa_p256:
      return TestPki::get().leaf(Leaf::ecdsa_p256);
    case CertType::ecdsa_p384:
      return TestPki::get().leaf(Leaf::ecdsa_p384);
  }
  return {};
}

// ---- Servers pinned to a TLS 1.3 cell.

std::string openssl_group(std::uint16_t group) {
  return group == 23 ? "P-256" : group == 24 ? "P-384" : "X25519";
}
std::string gnutls_group(std::uint16_t group) {
  return group == 23 ? "GROUP-SECP256R1" : group == 24 ? "GROUP-SECP384R1" : "GROUP-X25519";
}
std::string gnutls_cipher(std::uint16_t suite) {
  return suite == 0x1301 ? "AES-128-GCM" : suite == 0x1302 ? "AES-256-GCM" : "CHACHA20-POLY1305";
}
std::string gnutls_mac(std::uint16_t suite) {
  return suite == 0x1302 ? "SHA384" : "SHA256";
}
std::string gnutls_sign(std::uint16_t scheme) {
  switch (scheme) {
    case 0x0804:
      return "SIGN-RSA-PSS-RSAE-SHA256";
    case 0x0809:
      return "SIGN-RSA-PSS-SHA256";
    case 0x0403:
      return "SIGN-ECDSA-SECP256R1-SHA256";
    default:
      return "SIGN-ECDSA-SECP384R1-SHA384";
  }
}

base::Expected<AnyServer, std::string> start_server(const Cell13& cell) {
  const auto* suite = policy::cipher_suite_by_code(cell.suite);
  const auto* scheme = policy::signature_scheme_by_code(cell.scheme());
  if (cell.peer == PeerKind::openssl) {
    OpenSslServerOptions options;
    options.version_flag = "-tls1_3";
    options.groups = openssl_group(cell.group);
    options.sigalgs = std::string(scheme->openssl_name);
    options.identity = identity_for(cell.cert);
    options.extra_args = {"-ciphersuites", std::string(suite->rfc_name)};
    auto server = OpenSslServer::start(std::move(options));
    if (!server) return base::unexpected(server.error());
    return AnyServer(std::move(*server));
  }
  GnuTlsServerOptions options;
  options.priority = "NONE:+VERS-TLS1.3:+" + gnutls_cipher(cell.suite) + ":+AEAD:+" + gnutls_mac(cell.suite) +
                     ":+" + gnutls_group(cell.group) + ":+" + gnutls_sign(cell.scheme()) +
                     ":+CTYPE-X509:+COMP-NULL";
  options.identity = identity_for(cell.cert);
  auto server = GnuTlsServer::start(std::move(options));
  if (!server) return base::unexpected(server.error());
  return AnyServer(std::move(*server));
}

std::vector<Cell13> matrix() {
  std::vector<Cell13> cells;
  for (const PeerKind peer : {PeerKind::openssl, PeerKind::gnutls}) {
    for (const std::uint16_t suite : std::initializer_list<std::uint16_t>{0x1301, 0x1302, 0x1303}) {
      for (const std::uint16_t group : std::initializer_list<std::uint16_t>{23, 29, 24}) {
        for (const CertType cert :
             {CertType::rsa_rsae, CertType::rsa_pss, CertType::ecdsa_p256, CertType::ecdsa_p384}) {
          cells.push_back({suite, group, cert, peer});
        }
      }
    }
  }
  return cells;
}

std::string label(const Cell13& c) {
  return "TLS1.3 " + std::string(policy::cipher_suite_by_code(c.suite)->rfc_name) + " " +
         std::string(policy::named_group_by_code(c.group)->name) + " " + std::string(cert_name(c.cert));
}

void PrintTo(const Cell13& c, std::ostream* out) {
  *out << name(c.peer) << " " << label(c);
}

std::string case_name(const ::testing::TestParamInfo<Cell13>& info) {
  std::string out = std::string(name(info.param.peer)) + "_" + label(info.param);
  for (char& ch : out) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return out;
}

std::string gnutls_tls13_cipher(std::string_view page) {
  constexpr std::string_view kKey = "<TD>Cipher</TD><TD>";
  const auto at = page.find(kKey);
  if (at == std::string_view::npos) return "";
  const auto start = at + kKey.size();
  const auto end = page.find('<', start);
  return std::string(
      page.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

class Tls13Matrix : public ::testing::TestWithParam<Cell13> {};

TEST_P(Tls13Matrix, NegotiatesTheCell) {
  const Cell13& c = GetParam();
  const Cell cell = c.as_cell();
  auto server = start_server(c);
  ASSERT_TRUE(server) << server.error();
  auto config = make_client_config(
      {.profile = "cloudfront-2025", .origin_ssl_protocols = {policy::ProtocolVersion::tls1_2}});
  ASSERT_TRUE(config) << config.error();
  const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), server->port());
  const bool passed_handshake = result.ok();
  MatrixReport::instance().record("TLS 1.3 / edgefetch (cloudfront-2025)", cell, c.peer,
                                  passed_handshake ? CellOutcome::pass : CellOutcome::fail,
                                  passed_handshake ? "" : result.describe());
  ASSERT_TRUE(passed_handshake) << result.describe() << "\n" << server->logs();
  EXPECT_EQ(join_lines(client_mismatches(cell, result.summary)), "") << result.describe();
  EXPECT_EQ(result.negotiated.hello_retry_request, c.group != 23) << "the CDN's one share is P-256";
  ServerView view = server->parse_page(result.body());
  if (c.peer == PeerKind::gnutls && view.cipher_suite == nullptr &&
      view.version == policy::ProtocolVersion::tls1_3) {
    // gnutls-serv names only the bulk cipher for TLS 1.3 ("<TD>Cipher</TD><TD>AES-128-GCM</TD>"),
    // which determines the suite there; the shared page parser knows the TLS 1.2 layout only.
    view.cipher_text = gnutls_tls13_cipher(result.body());
    const std::uint16_t code = view.cipher_text == "AES-128-GCM"         ? 0x1301
                               : view.cipher_text == "AES-256-GCM"       ? 0x1302
                               : view.cipher_text == "CHACHA20-POLY1305" ? 0x1303
                                                                         : 0;
    view.cipher_suite = policy::cipher_suite_by_code(code);
  }
  EXPECT_EQ(join_lines(server_mismatches(cell, view)), "") << view.describe() << "\n" << result.body();
}

INSTANTIATE_TEST_SUITE_P(Cells, Tls13Matrix, ::testing::ValuesIn(matrix()), case_name);

TEST(Tls13MatrixCoverage, EverySuiteGroupAndCertificateTypeOnTwoServers) {
  EXPECT_EQ(matrix().size(), 2U * 3U * 3U * 4U);
}

// ---- Java JSSE (SunJSSE). Groups and server signature schemes are JVM-wide
// system properties, so one JVM per group: jdk.tls.namedGroups holds that
// group only (X25519 and P-384 take a HelloRetryRequest, the CDN's one share
// being P-256), and each of its listeners is pinned to one suite and one
// certificate. The server's schemes are the four below; each certificate can
// make exactly one of them (an rsaEncryption key rsa_pss_rsae_sha256, an
// RSASSA-PSS key rsa_pss_pss_sha256, ECDSA keys the scheme of their curve,
// which TLS 1.3 binds), so the scheme is pinned per listener too.

constexpr std::string_view kJsseTls13Schemes =
    "rsa_pss_rsae_sha256,rsa_pss_pss_sha256,ecdsa_secp256r1_sha256,ecdsa_secp384r1_sha384";
constexpr CertType kCertTypes[] = {CertType::rsa_rsae, CertType::rsa_pss, CertType::ecdsa_p256,
                                   CertType::ecdsa_p384};
constexpr std::uint16_t kTls13Suites[] = {0x1301, 0x1302, 0x1303};

std::string jsse_group(std::uint16_t group) {
  return group == 23 ? "secp256r1" : group == 24 ? "secp384r1" : "x25519";
}

// What JsseServer's page says about the certificate it served.
std::string_view jsse_certificate_key(CertType type) {
  switch (type) {
    case CertType::rsa_rsae:
      return "RSA 2048";
    case CertType::rsa_pss:
      return "RSASSA-PSS 2048";
    case CertType::ecdsa_p256:
      return "EC 256";
    case CertType::ecdsa_p384:
      return "EC 384";
  }
  return "?";
}

// The cells of one JSSE server (one group), in listener order.
std::vector<Cell13> jsse_cells(std::uint16_t group) {
  std::vector<Cell13> cells;
  for (const std::uint16_t suite : kTls13Suites) {
    for (const CertType cert : kCertTypes) cells.push_back({suite, group, cert, PeerKind::jsse});
  }
  return cells;
}

base::Expected<JsseServer, std::string> start_jsse(std::uint16_t group, const std::vector<Cell13>& cells) {
  JsseServerOptions options;
  for (const CertType cert : kCertTypes) options.identities.push_back(identity_for(cert));
  options.named_groups = jsse_group(group);
  options.signature_schemes = std::string(kJsseTls13Schemes);
  for (const Cell13& cell : cells) {
    const auto identity = static_cast<std::size_t>(
        std::find(std::begin(kCertTypes), std::end(kCertTypes), cell.cert) - std::begin(kCertTypes));
    options.listeners.push_back(JsseListener{
        {"TLSv1.3"}, {std::string(policy::cipher_suite_by_code(cell.suite)->rfc_name)}, identity});
  }
  return JsseServer::start(std::move(options));
}

class Tls13JsseMatrix : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(Tls13JsseMatrix, NegotiatesEverySuiteAndCertificateOfTheGroup) {
  const std::uint16_t group = GetParam();
  const std::vector<Cell13> cells = jsse_cells(group);
  auto server = start_jsse(group, cells);
  ASSERT_TRUE(server) << server.error();
  ASSERT_EQ(server->listener_count(), cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const Cell13& c = cells[i];
    const Cell cell = c.as_cell();
    SCOPED_TRACE("jsse " + label(c));
    auto config = make_client_config(
        {.profile = "cloudfront-2025", .origin_ssl_protocols = {policy::ProtocolVersion::tls1_2}});
    ASSERT_TRUE(config) << config.error();
    const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), server->port(i));
    const bool passed_handshake = result.ok();
    MatrixReport::instance().record("TLS 1.3 / edgefetch (cloudfront-2025)", cell, c.peer,
                                    passed_handshake ? CellOutcome::pass : CellOutcome::fail,
                                    passed_handshake ? "" : result.describe());
    EXPECT_TRUE(passed_handshake) << result.describe() << "\n" << server->logs();
    if (!passed_handshake) continue;
    EXPECT_EQ(join_lines(client_mismatches(cell, result.summary)), "") << result.describe();
    EXPECT_EQ(result.negotiated.hello_retry_request, c.group != 23) << "the CDN's one share is P-256";
    const ServerView view = JsseServer::parse_page(result.body());
    EXPECT_EQ(join_lines(server_mismatches(cell, view)), "") << view.describe() << "\n" << result.body();
    EXPECT_EQ(JsseServer::certificate_key(result.body()), jsse_certificate_key(c.cert)) << result.body();
  }
}

std::string group_case_name(const ::testing::TestParamInfo<std::uint16_t>& info) {
  return std::string(policy::named_group_by_code(info.param)->name) == "P-256"   ? "P256"
         : std::string(policy::named_group_by_code(info.param)->name) == "P-384" ? "P384_HelloRetryRequest"
                                                                                 : "X25519_HelloRetryRequest";
}

INSTANTIATE_TEST_SUITE_P(Groups, Tls13JsseMatrix,
                         ::testing::Values(std::uint16_t{23}, std::uint16_t{29}, std::uint16_t{24}),
                         group_case_name);

TEST(Tls13MatrixCoverage, JsseServesEverySuiteAndCertificateTypeInEachGroup) {
  std::size_t cells = 0;
  for (const std::uint16_t group : std::initializer_list<std::uint16_t>{23, 29, 24}) {
    cells += jsse_cells(group).size();
  }
  EXPECT_EQ(cells, 3U * 3U * 4U);
}

// A JSSE listener pinned to one certificate serves that one even when the
// client would prefer another: the pin is what makes the cells above exact.
TEST(Tls13JsseHarness, ListenerIdentityPinsTheCertificate) {
  JsseServerOptions options;
  options.identities = {identity_for(CertType::ecdsa_p256), identity_for(CertType::rsa_rsae)};
  options.named_groups = "secp256r1";
  options.signature_schemes = std::string(kJsseTls13Schemes);
  options.listeners = {JsseListener{{"TLSv1.3"}, {"TLS_AES_128_GCM_SHA256"}, std::size_t{1}},
                       JsseListener{{"TLSv1.3"}, {"TLS_AES_128_GCM_SHA256"}, std::size_t{0}}};
  auto server = JsseServer::start(std::move(options));
  ASSERT_TRUE(server) << server.error();
  for (std::size_t i = 0; i < 2; ++i) {
    auto config = make_client_config({.profile = "cloudfront-2025"});
    ASSERT_TRUE(config);
    const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), server->port(i));
    ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
    EXPECT_EQ(JsseServer::certificate_key(result.body()), i == 0 ? "RSA 2048" : "EC 256");
    EXPECT_EQ(result.summary.scheme, i == 0 ? 0x0804 : 0x0403);
  }
  // An identity index past the list is refused before a JVM starts.
  JsseServerOptions bad;
  bad.identities = {identity_for(CertType::rsa_rsae)};
  bad.listeners = {JsseListener{{"TLSv1.3"}, {"TLS_AES_128_GCM_SHA256"}, std::size_t{1}}};
  EXPECT_FALSE(JsseServer::start(std::move(bad)));
}

// TLS 1.2 with RSA-PSS under the 2025 profile (its signature preferences carry
// the PSS schemes; the documented ones do not).
TEST(Tls12With2025Profile, RsaPssRsaeSignatureOnTls12) {
  OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  options.groups = "P-256";
  options.sigalgs = "rsa_pss_rsae_sha256";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = OpenSslServer::start(std::move(options));
  ASSERT_TRUE(server) << server.error();
  auto config = make_client_config(
      {.profile = "cloudfront-2025", .origin_ssl_protocols = {policy::ProtocolVersion::tls1_2}});
  ASSERT_TRUE(config);
  const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), server->port());
  ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
  EXPECT_EQ(result.summary.version, policy::ProtocolVersion::tls1_2);
  EXPECT_EQ(result.summary.suite, 0xC02F);
  EXPECT_EQ(result.summary.scheme, 0x0804);
}

TEST(Tls12With2025Profile, DocumentedProfileGetsTls12FromATls13Server) {
  OpenSslServerOptions options;
  options.version_flag = "";  // every version: the server would do TLS 1.3 if asked
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = OpenSslServer::start(std::move(options));
  ASSERT_TRUE(server) << server.error();
  auto config = make_client_config({.profile = "cloudfront"});
  ASSERT_TRUE(config);
  const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), server->port());
  ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
  EXPECT_EQ(result.summary.version, policy::ProtocolVersion::tls1_2);
}

TEST(Tls13Only, Tls13OnlyProfileRefusesATls12Server) {
  OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = OpenSslServer::start(std::move(options));
  ASSERT_TRUE(server) << server.error();
  auto config = make_client_config({.profile = "CloudFront-Upstream-TLS-1-3-2025"});
  ASSERT_TRUE(config);
  const TlsFetchResult result = fetch_with_edgefetch(std::move(*config), server->port());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error.code == tls::ErrorCode::no_shared_version ||
              result.error.code == tls::ErrorCode::no_shared_cipher)
      << result.describe();
}

}  // namespace
}  // namespace edgefetch::support
