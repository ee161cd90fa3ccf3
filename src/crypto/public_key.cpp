#include "edgefetch/crypto/public_key.hpp"

#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <array>
#include <climits>
#include <string>
#include <utility>

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/library.hpp"
#include "edgefetch/policy/named_group.hpp"

namespace edgefetch::crypto {

namespace {

EVP_PKEY* raw(void* p) {
  return static_cast<EVP_PKEY*>(p);
}

std::string curve_display_name(const std::string& openssl_name) {
  if (openssl_name == "prime256v1" || openssl_name == "P-256" || openssl_name == "secp256r1") {
    return "P-256";
  }
  if (openssl_name == "secp384r1" || openssl_name == "P-384") {
    return "P-384";
  }
  if (openssl_name == "secp521r1" || openssl_name == "P-521") {
    return "P-521";
  }
  return openssl_name;
}

std::optional<std::uint16_t> curve_group_code(const std::string& display) {
  if (display == "P-256") {
    return policy::kGroupSecp256r1;
  }
  if (display == "P-384") {
    return policy::kGroupSecp384r1;
  }
  if (display == "P-521") {
    return policy::kGroupSecp521r1;
  }
  return std::nullopt;
}

}  // namespace

PublicKey::PublicKey(void* pkey) : pkey_(pkey) {
  EVP_PKEY* key = raw(pkey_);
  bits_ = EVP_PKEY_get_bits(key);
  if (EVP_PKEY_is_a(key, "RSA")) {
    type_ = KeyType::rsa;
  } else if (EVP_PKEY_is_a(key, "RSA-PSS")) {
    type_ = KeyType::rsa_pss;
  } else if (EVP_PKEY_is_a(key, "EC")) {
    type_ = KeyType::ec;
    std::array<char, 80> name{};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name.data(), name.size(), &length) ==
        1) {
      curve_name_ = curve_display_name(std::string(name.data(), length));
      curve_group_ = curve_group_code(curve_name_);
    } else {
      detail::drain_openssl_errors();
      curve_name_ = "explicit-curve";
    }
  } else if (EVP_PKEY_is_a(key, "ED25519")) {
    type_ = KeyType::ed25519;
  } else if (EVP_PKEY_is_a(key, "ED448")) {
    type_ = KeyType::ed448;
  } else {
    type_ = KeyType::other;
  }
}

PublicKey::PublicKey(const PublicKey& other)
    : pkey_(other.pkey_),
      type_(other.type_),
      bits_(other.bits_),
      curve_group_(other.curve_group_),
      curve_name_(other.curve_name_) {
  if (pkey_ != nullptr) {
    EVP_PKEY_up_ref(raw(pkey_));
  }
}

PublicKey& PublicKey::operator=(const PublicKey& other) {
  if (this != &other) {
    PublicKey copy(other);
    *this = std::move(copy);
  }
  return *this;
}

PublicKey::PublicKey(PublicKey&& other) noexcept
    : pkey_(std::exchange(other.pkey_, nullptr)),
      type_(other.type_),
      bits_(other.bits_),
      curve_group_(other.curve_group_),
      curve_name_(std::move(other.curve_name_)) {}

PublicKey& PublicKey::operator=(PublicKey&& other) noexcept {
  if (this != &other) {
    if (pkey_ != nullptr) {
      EVP_PKEY_free(raw(pkey_));
    }
    pkey_ = std::exchange(other.pkey_, nullptr);
    type_ = other.type_;
    bits_ = other.bits_;
    curve_group_ = other.curve_group_;
    curve_name_ = std::move(other.curve_name_);
  }
  return *this;
}

PublicKey::~PublicKey() {
  if (pkey_ != nullptr) {
    EVP_PKEY_free(raw(pkey_));
  }
}

base::Expected<PublicKey, Error> PublicKey::from_spki_der(std::span<const std::uint8_t> der) {
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  if (der.size() > static_cast<std::size_t>(LONG_MAX)) {
    return base::unexpected(Error{"public key too large"});
  }
  const unsigned char* p = der.data();
  EVP_PKEY* key = d2i_PUBKEY_ex(nullptr, &p, static_cast<long>(der.size()), detail::libctx(), nullptr);
  if (key == nullptr) {
    return base::unexpected(detail::openssl_error("parsing SubjectPublicKeyInfo"));
  }
  if (p != der.data() + der.size()) {
    EVP_PKEY_free(key);
    return base::unexpected(Error{"trailing bytes after SubjectPublicKeyInfo"});
  }
  return PublicKey(key);
}

std::string PublicKey::description() const {
  switch (type_) {
    case KeyType::rsa:
      return "RSA " + std::to_string(bits_);
    case KeyType::rsa_pss:
      return "RSA-PSS " + std::to_string(bits_);
    case KeyType::ec:
      return "EC " + curve_name_;
    case KeyType::ed25519:
      return "Ed25519";
    case KeyType::ed448:
      return "Ed448";
    case KeyType::other:
      break;
  }
  const char* name = pkey_ != nullptr ? EVP_PKEY_get0_type_name(raw(pkey_)) : nullptr;
  return std::string(name != nullptr ? name : "unknown") + " " + std::to_string(bits_);
}

base::Expected<std::vector<std::uint8_t>, Error> rsa_pkcs1_encrypt(const PublicKey& key,
                                                                   std::span<const std::uint8_t> plaintext) {
  if (key.type() != KeyType::rsa) {
    return base::unexpected(Error{"RSA key exchange needs an RSA key, got " + key.description()});
  }
  detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(detail::libctx(), raw(key.evp_pkey()), nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    return base::unexpected(detail::openssl_error("RSA encrypt setup"));
  }
  std::size_t length = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &length, plaintext.data(), plaintext.size()) != 1) {
    return base::unexpected(detail::openssl_error("RSA encrypt size"));
  }
  std::vector<std::uint8_t> out(length);
  if (EVP_PKEY_encrypt(ctx.get(), out.data(), &length, plaintext.data(), plaintext.size()) != 1) {
    return base::unexpected(detail::openssl_error("RSA encrypt"));
  }
  out.resize(length);
  return out;
}

namespace {

bool key_fits(const PublicKey& key, policy::SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case policy::SignatureAlgorithm::rsa_pkcs1:
    case policy::SignatureAlgorithm::rsa_pss_rsae:
      return key.type() == KeyType::rsa;
    case policy::SignatureAlgorithm::rsa_pss_pss:
      return key.type() == KeyType::rsa_pss;
    case policy::SignatureAlgorithm::ecdsa:
      return key.type() == KeyType::ec;
  }
  return false;
}

std::string_view algorithm_name(policy::SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case policy::SignatureAlgorithm::rsa_pkcs1:
      return "RSA PKCS#1";
    case policy::SignatureAlgorithm::rsa_pss_rsae:
    case policy::SignatureAlgorithm::rsa_pss_pss:
      return "RSA-PSS";
    case policy::SignatureAlgorithm::ecdsa:
      return "ECDSA";
  }
  return "?";
}

base::Expected<void, Error> digest_verify(const PublicKey& key, policy::HashAlgorithm hash, bool pss,
                                          std::span<const std::uint8_t> message,
                                          std::span<const std::uint8_t> signature) {
  if (auto ready = initialize(); !ready) {
    return ready;
  }
  detail::EvpMdCtxPtr md_ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by md_ctx
  if (!md_ctx || EVP_DigestVerifyInit_ex(md_ctx.get(), &pkey_ctx, detail::md_name(hash), detail::libctx(),
                                         nullptr, raw(key.evp_pkey()), nullptr) != 1) {
    return base::unexpected(detail::openssl_error("signature verification setup"));
  }
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
              EVP_PKEY_CTX_set_rsa_mgf1_md_name(pkey_ctx, detail::md_name(hash), nullptr) != 1)) {
    return base::unexpected(detail::openssl_error("RSA-PSS parameters"));
  }
  const int result =
      EVP_DigestVerify(md_ctx.get(), signature.data(), signature.size(), message.data(), message.size());
  if (result != 1) {
    detail::drain_openssl_errors();
    return base::unexpected(Error{"signature does not verify"});
  }
  return {};
}

}  // namespace

base::Expected<void, Error> verify_signature(const PublicKey& key, const policy::SignatureScheme& scheme,
                                             std::span<const std::uint8_t> message,
                                             std::span<const std::uint8_t> signature) {
  if (!key_fits(key, scheme.algorithm)) {
    return base::unexpected(Error{"a " + key.description() + " key cannot make " +
                                  std::string(scheme.iana_name) + " (" +
                                  std::string(algorithm_name(scheme.algorithm)) + ") signatures"});
  }
  if (scheme.hash == policy::HashAlgorithm::md5_sha1) {
    return base::unexpected(Error{"MD5-SHA1 is not a TLS 1.2 signature hash"});
  }
  const bool pss = scheme.algorithm == policy::SignatureAlgorithm::rsa_pss_rsae ||
                   scheme.algorithm == policy::SignatureAlgorithm::rsa_pss_pss;
  return digest_verify(key, scheme.hash, pss, message, signature);
}

base::Expected<void, Error> verify_legacy_signature(const PublicKey& key,
                                                    std::span<const std::uint8_t> message,
                                                    std::span<const std::uint8_t> signature) {
  if (key.type() == KeyType::ec) {
    return digest_verify(key, policy::HashAlgorithm::sha1, false, message, signature);
  }
  if (key.type() != KeyType::rsa) {
    return base::unexpected(Error{"a " + key.description() + " key cannot sign in SSLv3/TLS 1.0/1.1"});
  }
  // RSA: PKCS#1 v1.5 type 1 over the raw 36-byte MD5||SHA-1 digest, without a
  // DigestInfo (RFC 2246 §7.4.3). With no signature digest set, the RSA verify
  // operation compares the recovered block to these bytes directly.
  const auto digest_bytes = digest(policy::HashAlgorithm::md5_sha1, message);
  detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(detail::libctx(), raw(key.evp_pkey()), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    return base::unexpected(detail::openssl_error("RSA verify setup"));
  }
  if (EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest_bytes.data(),
                      digest_bytes.size()) != 1) {
    detail::drain_openssl_errors();
    return base::unexpected(Error{"signature does not verify"});
  }
  return {};
}

}  // namespace edgefetch::crypto
