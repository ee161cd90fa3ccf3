// The TLS 1.3 client end to end against libssl in memory: every suite x group
// (the HelloRetryRequest path for X25519 and P-384, since the CDN's single
// share is P-256) x certificate type, RSA-PSS-PSS keys, client certificate
// requests, KeyUpdate both ways, close_notify, and tampering.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "drive13.hpp"
#include "memory_server13.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using test::drive_handshake;
using test::MemoryServer13;
using test::MemoryServer13Options;

struct Cell {
  std::uint16_t suite;
  const char* suite_name;
  const char* group;
  std::uint16_t group_code;
  support::Leaf leaf;
  std::uint16_t scheme;
};

std::string cell_name(const Cell& c) {
  return std::string(c.suite_name) + "/" + c.group + "/" + std::string(support::name(c.leaf));
}

std::string text_of(std::span<const std::uint8_t> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(Client13, EverySuiteGroupAndCertificateType) {
  const std::array<std::pair<std::uint16_t, const char*>, 3> suites = {
      {{0x1301, "TLS_AES_128_GCM_SHA256"},
       {0x1302, "TLS_AES_256_GCM_SHA384"},
       {0x1303, "TLS_CHACHA20_POLY1305_SHA256"}}};
  const std::array<std::pair<const char*, std::uint16_t>, 3> groups = {
      {{"P-256", 23}, {"X25519", 29}, {"P-384", 24}}};
  const std::array<std::pair<support::Leaf, std::uint16_t>, 3> leaves = {
      {{support::Leaf::rsa2048, 0x0804},
       {support::Leaf::ecdsa_p256, 0x0403},
       {support::Leaf::ecdsa_p384, 0x0503}}};
  int cells = 0;
  for (const auto& [suite, suite_name] : suites) {
    for (const auto& [group, group_code] : groups) {
      for (const auto& [leaf, scheme] : leaves) {
        const Cell cell{suite, suite_name, group, group_code, leaf, scheme};
        MemoryServer13Options options;
        options.leaf = leaf;
        options.ciphersuites = suite_name;
        options.groups = group;
        MemoryServer13 server(options);
        auto driven = drive_handshake(server);
        ASSERT_TRUE(driven.client) << cell_name(cell) << ": " << driven.failure;
        Client13& client = *driven.client;
        ASSERT_EQ(client.state(), State::connected)
            << cell_name(cell) << ": " << client.error().message << " / server: " << server.last_error();
        EXPECT_TRUE(server.handshake_done()) << cell_name(cell);
        const auto& n = client.negotiated();
        EXPECT_EQ(n.version, policy::ProtocolVersion::tls1_3);
        ASSERT_NE(n.cipher_suite, nullptr);
        EXPECT_EQ(n.cipher_suite->code, suite) << cell_name(cell);
        EXPECT_EQ(server.cipher_code(), suite) << cell_name(cell);
        ASSERT_NE(n.group, nullptr);
        EXPECT_EQ(n.group->code, group_code) << cell_name(cell);
        ASSERT_NE(n.signature_scheme, nullptr);
        EXPECT_EQ(n.signature_scheme->code, scheme) << cell_name(cell);
        EXPECT_EQ(client.hello_retry_requests(), group_code == 23 ? 0 : 1) << cell_name(cell);
        ASSERT_TRUE(n.certificate);
        EXPECT_EQ(n.certificate_chain.size(), 2U);

        ASSERT_TRUE(client.write(bytes_of("GET / HTTP/1.1\r\n\r\n")));
        test::pump(client, server);
        EXPECT_EQ(server.received(), "GET / HTTP/1.1\r\n\r\n") << cell_name(cell);
        server.write("HTTP/1.1 200 OK\r\n\r\n");
        test::pump(client, server);
        EXPECT_EQ(text_of(client.readable()), "HTTP/1.1 200 OK\r\n\r\n") << cell_name(cell);
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, 27);
}

TEST(Client13, ServerKeyUpdateIsFollowedAndAnsweredWhenRequested) {
  MemoryServer13 server({});
  auto driven = drive_handshake(server);
  ASSERT_TRUE(driven.client) << driven.failure;
  Client13& client = *driven.client;
  ASSERT_EQ(client.state(), State::connected) << client.error().message;
  ASSERT_TRUE(server.key_update(true));
  server.write("after update");
  test::pump(client, server);
  EXPECT_EQ(client.key_updates_received(), 1);
  EXPECT_EQ(text_of(client.readable()), "after update");
  client.consume_readable(client.readable().size());
  // Our answering KeyUpdate switched our keys; the server must read what follows.
  ASSERT_TRUE(client.write(bytes_of("client data")));
  test::pump(client, server);
  EXPECT_EQ(server.received(), "client data") << server.last_error();
  EXPECT_FALSE(server.failed());
}

TEST(Client13, ClientKeyUpdateRequestingTheServersUpdate) {
  MemoryServer13 server({});
  auto driven = drive_handshake(server);
  ASSERT_TRUE(driven.client) << driven.failure;
  Client13& client = *driven.client;
  ASSERT_EQ(client.state(), State::connected);
  ASSERT_TRUE(client.update_keys(true));
  ASSERT_TRUE(client.write(bytes_of("one")));
  test::pump(client, server);
  EXPECT_EQ(server.received(), "one") << server.last_error();
  server.write("two");
  test::pump(client, server);
  EXPECT_EQ(client.key_updates_received(), 1);
  EXPECT_EQ(text_of(client.readable()), "two");
}

TEST(Client13, CertificateRequestIsAnsweredWithAnEmptyCertificate) {
  MemoryServer13Options options;
  options.request_client_certificate = true;
  MemoryServer13 server(options);
  auto driven = drive_handshake(server);
  ASSERT_TRUE(driven.client) << driven.failure;
  EXPECT_EQ(driven.client->state(), State::connected) << driven.client->error().message;
  EXPECT_TRUE(server.handshake_done()) << server.last_error();
  EXPECT_EQ(SSL_get0_peer_certificate(server.ssl()), nullptr);
}

TEST(Client13, CloseNotifyBothWays) {
  MemoryServer13 server({});
  auto driven = drive_handshake(server);
  ASSERT_TRUE(driven.client) << driven.failure;
  Client13& client = *driven.client;
  server.send_close_notify();
  test::pump(client, server);
  EXPECT_TRUE(client.peer_closed());
  EXPECT_EQ(client.state(), State::closed);
  EXPECT_TRUE(server.saw_close_notify());
}

TEST(Client13, TamperedServerRecordIsBadRecordMac) {
  MemoryServer13 server({});
  test::DriveOptions options;
  int batches = 0;
  options.tamper_server_bytes = [&](std::vector<std::uint8_t>& bytes) {
    if (++batches == 1 && bytes.size() > 40) bytes[bytes.size() - 20] ^= 0x01;  // inside the encrypted flight
  };
  auto driven = drive_handshake(server, options);
  ASSERT_TRUE(driven.client) << driven.failure;
  EXPECT_EQ(driven.client->state(), State::failed);
  EXPECT_EQ(driven.client->error().code, ErrorCode::bad_record_mac) << driven.client->error().message;
  EXPECT_EQ(driven.client->error().alert, 20);
}

// RFC 8446 §5 and §D.4: a middlebox-compatibility ChangeCipherSpec may follow
// the server's first handshake message, and SunJSSE sends one after the
// HelloRetryRequest and another after the ServerHello. Both are dropped.
TEST(Client13, ChangeCipherSpecAfterTheHelloRetryRequestAndAfterTheServerHello) {
  MemoryServer13Options options;
  options.groups = "X25519";  // the client's P-256 share does not fit: HelloRetryRequest
  MemoryServer13 server(options);
  test::DriveOptions drive;
  int batches = 0;
  drive.tamper_server_bytes = [&](std::vector<std::uint8_t>& bytes) {
    // Batch 1: HelloRetryRequest and libssl's CCS; batch 2 starts with the ServerHello record.
    if (++batches != 2 || bytes.size() < 5) return;
    const std::size_t server_hello_end = 5 + ((static_cast<std::size_t>(bytes[3]) << 8) | bytes[4]);
    const std::array<std::uint8_t, 6> ccs = {20, 3, 3, 0, 1, 1};
    bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(server_hello_end), ccs.begin(), ccs.end());
  };
  auto driven = drive_handshake(server, drive);
  ASSERT_TRUE(driven.client) << driven.failure;
  EXPECT_GE(batches, 2);
  EXPECT_EQ(driven.client->hello_retry_requests(), 1);
  EXPECT_EQ(driven.client->state(), State::connected) << driven.client->error().message;
}

TEST(Client13, UntrustedCertificateFailsWithItsReason) {
  MemoryServer13Options options;
  options.leaf = support::Leaf::unknown_ca;
  MemoryServer13 server(options);
  auto driven = drive_handshake(server);
  ASSERT_TRUE(driven.client) << driven.failure;
  EXPECT_EQ(driven.client->state(), State::failed);
  EXPECT_EQ(driven.client->error().code, ErrorCode::cert_untrusted) << driven.client->error().message;
  EXPECT_FALSE(server.handshake_done());
}

TEST(Client13, WrongNameFailsWithNameMismatch) {
  MemoryServer13Options options;
  options.leaf = support::Leaf::wrong_name;
  MemoryServer13 server(options);
  auto driven = drive_handshake(server);
  ASSERT_TRUE(driven.client) << driven.failure;
  EXPECT_EQ(driven.client->error().code, ErrorCode::cert_name_mismatch) << driven.client->error().message;
}

// An RSASSA-PSS key (id-RSASSA-PSS SubjectPublicKeyInfo) in a self-signed
// certificate: only the rsa_pss_pss_* schemes fit it.
struct PssFiles {
  std::filesystem::path dir;
  std::filesystem::path cert;
  std::filesystem::path key;
  ~PssFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

std::unique_ptr<PssFiles> make_rsa_pss_certificate() {
  struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  };
  struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
  };
  struct FileClose {
    void operator()(FILE* f) const { std::fclose(f); }
  };
  struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  };
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr));
  EVP_PKEY* generated = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) != 1 ||
      EVP_PKEY_generate(ctx.get(), &generated) != 1) {
    return nullptr;
  }
  std::unique_ptr<EVP_PKEY, PkeyFree> key(generated);
  std::unique_ptr<X509, X509Free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("origin.test"),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return nullptr;
  auto files = std::make_unique<PssFiles>();
  files->dir = std::filesystem::temp_directory_path() /
               ("edgefetch-pss-" + std::to_string(reinterpret_cast<std::uintptr_t>(files.get())));
  std::filesystem::create_directories(files->dir);
  files->cert = files->dir / "cert.pem";
  files->key = files->dir / "key.pem";
  std::unique_ptr<FILE, FileClose> cert_file(std::fopen(files->cert.c_str(), "w"));
  std::unique_ptr<FILE, FileClose> key_file(std::fopen(files->key.c_str(), "w"));
  if (!cert_file || !key_file || PEM_write_X509(cert_file.get(), cert.get()) != 1 ||
      PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return nullptr;
  }
  return files;
}

TEST(Client13, RsaPssPssCertificateSignsWithRsaPssPss) {
  auto files = make_rsa_pss_certificate();
  ASSERT_NE(files, nullptr);
  MemoryServer13Options options;
  options.cert_chain = files->cert;
  options.key = files->key;
  MemoryServer13 server(options);
  test::DriveOptions drive;
  drive.verify_certificates = false;  // self-signed; the signature path is what is tested
  auto driven = drive_handshake(server, drive);
  ASSERT_TRUE(driven.client) << driven.failure;
  ASSERT_EQ(driven.client->state(), State::connected) << driven.client->error().message;
  ASSERT_NE(driven.client->negotiated().signature_scheme, nullptr);
  EXPECT_EQ(driven.client->negotiated().signature_scheme->code, 0x0809);
  EXPECT_EQ(driven.client->negotiated().certificate->key, "RSA-PSS 2048");
}

TEST(Client13, Tls13OnlyProfileHandshakes) {
  MemoryServer13 server({});
  test::DriveOptions drive;
  drive.profile = "CloudFront-Upstream-TLS-1-3-2025";
  auto driven = drive_handshake(server, drive);
  ASSERT_TRUE(driven.client) << driven.failure;
  EXPECT_EQ(driven.client->state(), State::connected) << driven.client->error().message;
}

}  // namespace
}  // namespace edgefetch::tls::tls13
