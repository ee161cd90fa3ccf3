#include "support/bench_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <system_error>

namespace edgefetch::bench {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using File = std::unique_ptr<std::FILE, FileClose>;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench pki: %s\n", what.c_str());
  std::exit(2);
}

Pkey make_key(LeafKey kind) {
  EVP_PKEY* key = kind == LeafKey::rsa2048 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048})
                                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (key == nullptr) fail("key generation failed");
  return Pkey(key);
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) fail(std::string("extension ") + OBJ_nid2sn(nid));
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// Issues a certificate for `subject_key`. A null issuer makes it self-signed.
Cert issue(const char* common_name, EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key, bool is_ca,
           long serial) {
  Cert cert(X509_new());
  if (!cert) fail("X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("edgefetch bench"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name),
                             -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  X509_set_pubkey(cert.get(), subject_key);
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (is_ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), signer, NID_subject_alt_name, "DNS:origin.test,IP:127.0.0.1");
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) fail("X509_sign");
  return cert;
}

File open_for_writing(const std::filesystem::path& path) {
  File file(std::fopen(path.c_str(), "w"));
  if (!file) fail("cannot write " + path.string());
  return file;
}

void write_certs(const std::filesystem::path& path, std::initializer_list<X509*> certs) {
  File file = open_for_writing(path);
  for (X509* cert : certs) {
    if (PEM_write_X509(file.get(), cert) == 0) fail("PEM_write_X509 " + path.string());
  }
}

void write_key(const std::filesystem::path& path, EVP_PKEY* key) {
  File file = open_for_writing(path);
  if (PEM_write_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 0)
    fail("PEM_write_PrivateKey " + path.string());
}

}  // namespace

void BenchPki::write(const BenchPki& pki) {
  Pkey root_key = make_key(LeafKey::rsa2048);
  Cert root = issue("edgefetch bench root", root_key.get(), nullptr, root_key.get(), true, 1);
  Pkey intermediate_key = make_key(LeafKey::rsa2048);
  Cert intermediate =
      issue("edgefetch bench intermediate", intermediate_key.get(), root.get(), root_key.get(), true, 2);
  write_certs(pki.ca_file(), {root.get()});

  long serial = 3;
  for (LeafKey kind : {LeafKey::rsa2048, LeafKey::ecdsa_p256}) {
    Pkey key = make_key(kind);
    Cert leaf = issue(kOriginName, key.get(), intermediate.get(), intermediate_key.get(), false, serial++);
    const LeafFiles files = pki.leaf(kind);
    write_certs(files.chain, {leaf.get(), intermediate.get()});
    write_key(files.key, key.get());
  }
}

BenchPki BenchPki::generate() {
  std::string pattern = (std::filesystem::temp_directory_path() / "edgefetch-bench-pki-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) fail("mkdtemp " + pattern);
  BenchPki pki(std::filesystem::path(pattern), true);
  write(pki);
  return pki;
}

BenchPki BenchPki::generate_into(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) fail("cannot create " + dir.string() + ": " + error.message());
  BenchPki pki(dir, false);
  write(pki);
  return pki;
}

BenchPki BenchPki::open(const std::filesystem::path& dir) {
  BenchPki pki(dir, false);
  for (const auto& path : {pki.ca_file(), pki.leaf(LeafKey::rsa2048).chain, pki.leaf(LeafKey::rsa2048).key,
                           pki.leaf(LeafKey::ecdsa_p256).chain, pki.leaf(LeafKey::ecdsa_p256).key}) {
    if (!std::filesystem::exists(path)) fail("missing " + path.string() + " (write it with --write-pki)");
  }
  return pki;
}

BenchPki::BenchPki(BenchPki&& other) noexcept : dir_(std::move(other.dir_)), owned_(other.owned_) {
  other.dir_.clear();
  other.owned_ = false;
}

BenchPki::~BenchPki() {
  if (!owned_ || dir_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

LeafFiles BenchPki::leaf(LeafKey key) const {
  const char* stem = key == LeafKey::rsa2048 ? "rsa2048" : "ecdsa_p256";
  return LeafFiles{dir_ / (std::string(stem) + "-chain.pem"), dir_ / (std::string(stem) + "-key.pem")};
}

}  // namespace edgefetch::bench
