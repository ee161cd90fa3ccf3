#pragma once
// An in-memory PKI for the X.509 unit tests: keys and certificates made with
// libcrypto directly (default library context), each with exactly the
// property a test needs (validity window, SANs, CA flag, key type).

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace edgefetch::crypto::test {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using Key = std::shared_ptr<EVP_PKEY>;
using Cert = std::shared_ptr<X509>;

inline Key rsa_key(unsigned bits) {
  return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)), PkeyFree{});
}
inline Key ec_key(const char* curve) {
  return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve), PkeyFree{});
}
inline Key ed25519_key() {
  return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), PkeyFree{});
}

struct CertSpec {
  std::string cn;
  std::vector<std::string> san;  // "DNS:a.test", "IP:127.0.0.1"
  bool ca = false;
  std::time_t not_before = std::time(nullptr) - 86400;
  std::time_t not_after = std::time(nullptr) + 30 * 86400;
};

inline void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

/// Issues a certificate for `key` signed by issuer_key (self-signed when issuer is null).
inline Cert issue(const CertSpec& spec, const Key& key, const Cert& issuer, const Key& issuer_key) {
  static long serial = 1000;
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
  X509_NAME* name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("edgefetch tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509_set_subject_name(cert, name);
  X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer.get()) : name);
  X509_NAME_free(name);
  ASN1_TIME_set(X509_getm_notBefore(cert), spec.not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert), spec.not_after);
  X509_set_pubkey(cert, key.get());
  X509* issuer_cert = issuer ? issuer.get() : cert;
  if (spec.ca) {
    add_extension(cert, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
  }
  add_extension(cert, issuer_cert, NID_subject_key_identifier, "hash");
  if (issuer) add_extension(cert, issuer_cert, NID_authority_key_identifier, "keyid:always");
  if (!spec.san.empty()) {
    std::string list;
    for (const auto& s : spec.san) list += (list.empty() ? "" : ",") + s;
    add_extension(cert, issuer_cert, NID_subject_alt_name, list);
  }
  const EVP_PKEY* signer = issuer ? issuer_key.get() : key.get();
  const EVP_MD* md = EVP_PKEY_is_a(signer, "ED25519") ? nullptr : EVP_sha256();
  X509_sign(cert, const_cast<EVP_PKEY*>(signer), md);
  return Cert(cert, X509Free{});
}

inline std::vector<std::uint8_t> der(const Cert& cert) {
  unsigned char* out = nullptr;
  const int n = i2d_X509(cert.get(), &out);
  std::vector<std::uint8_t> bytes(out, out + n);
  OPENSSL_free(out);
  return bytes;
}

inline std::string pem(const Cert& cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return text;
}

inline std::vector<std::uint8_t> spki(const Key& key) {
  unsigned char* out = nullptr;
  const int n = i2d_PUBKEY(key.get(), &out);
  std::vector<std::uint8_t> bytes(out, out + n);
  OPENSSL_free(out);
  return bytes;
}

}  // namespace edgefetch::crypto::test
