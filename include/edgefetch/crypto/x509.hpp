#pragma once
// X.509 for the TLS client: DER certificates, trust stores, chain and name
// verification with libcrypto's X509_verify_cert, typed failure reasons, and a
// cache of verified chains so repeat connections skip re-verification.

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/crypto/public_key.hpp"

namespace edgefetch::crypto {

/// Whole days from `now` until `until`, rounded down (one second past is day -1).
[[nodiscard]] long whole_days_until(std::time_t until, std::time_t now);

/// What a certificate says, for display and diagnosis.
struct CertificateInfo {
  std::string subject;  // RFC 2253-like one line: "CN=origin.test,O=Example"
  std::string issuer;
  std::string not_before;  // ISO 8601 UTC, "2025-01-31T12:00:00Z"
  std::string not_after;
  std::time_t not_before_time = 0;
  std::time_t not_after_time = 0;
  std::vector<std::string> san;  // "DNS:example.com", "IP:127.0.0.1", "IP:::1"
  std::string key;               // "RSA 2048", "EC P-256", "Ed25519"
  KeyType key_type = KeyType::other;
  int key_bits = 0;
  std::string key_curve;  // "P-256" for EC, empty otherwise
  /// How the issuer signed it ("sha256WithRSAEncryption", "ecdsa-with-SHA1"),
  /// and that signature's hash ("SHA256", "SHA1"; empty for none, as Ed25519, or unknown).
  std::string signature_algorithm;
  std::string signature_digest;
  bool is_ca = false;
  bool self_issued = false;

  /// Whole days from `now` until not_after (negative once expired).
  [[nodiscard]] long days_to_expiry(std::time_t now) const;
};

class Certificate {
 public:
  static base::Expected<Certificate, Error> from_der(std::span<const std::uint8_t> der);
  /// Every certificate of a PEM text (at least one, else an error).
  static base::Expected<std::vector<Certificate>, Error> from_pem(std::string_view pem);

  Certificate(const Certificate&);
  Certificate& operator=(const Certificate&);
  Certificate(Certificate&&) noexcept;
  Certificate& operator=(Certificate&&) noexcept;
  ~Certificate();

  [[nodiscard]] CertificateInfo info() const;
  /// The subject public key. Error if libcrypto cannot decode it (unknown algorithm).
  [[nodiscard]] base::Expected<PublicKey, Error> public_key() const;
  [[nodiscard]] std::vector<std::uint8_t> der() const;
  /// The underlying X509* (type-erased), owned by this object.
  [[nodiscard]] void* x509() const { return x509_; }

 private:
  explicit Certificate(void* x509);
  void* x509_ = nullptr;  // X509*
};

class VerifiedChainCache;

/// The CA certificates a chain must lead to. Build it, then share it
/// (std::shared_ptr<const TrustStore>): a built store is immutable apart from its
/// internal, thread-safe verified-chain cache.
class TrustStore {
 public:
  /// Empty store (add certificates with add_pem / add_pem_file).
  TrustStore();
  ~TrustStore();
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  /// The system CA bundle and directory (OpenSSL's default paths, e.g.
  /// /etc/ssl/certs), read with our library context.
  static base::Expected<std::shared_ptr<const TrustStore>, Error> system_default();
  /// Only the certificates of a PEM file (`--ca-file`: replaces the system store).
  static base::Expected<std::shared_ptr<const TrustStore>, Error> from_pem_file(const std::string& path);

  base::Expected<void, Error> add_pem(std::string_view pem);
  /// Errors name the file when it cannot be read; what is wrong inside it is
  /// said without the path (the caller names it once, e.g. "--ca-file 'x':").
  base::Expected<void, Error> add_pem_file(const std::string& path);
  base::Expected<void, Error> add(const Certificate& certificate);
  /// Loads the system default paths into this store.
  base::Expected<void, Error> add_system_defaults();

  /// The X509_STORE* (type-erased).
  [[nodiscard]] void* x509_store() const { return store_; }
  /// A process-unique identity of this store (cache key component).
  [[nodiscard]] std::uint64_t id() const { return id_; }
  /// The verified-chain cache of this store (thread-safe, bounded).
  [[nodiscard]] VerifiedChainCache& cache() const { return *cache_; }

 private:
  void* store_ = nullptr;  // X509_STORE*
  std::uint64_t id_;
  std::unique_ptr<VerifiedChainCache> cache_;
};

struct CertificateError {
  enum class Kind {
    untrusted,
    expired,
    not_yet_valid,
    name_mismatch,
    incomplete_chain,
    key_unsupported,
    invalid
  };
  Kind kind = Kind::invalid;
  std::string message;  // one line, names the certificate and the reason
  // name_mismatch:
  std::vector<std::string> certificate_names;  // SAN entries ("DNS:a", "IP:b"), or "CN=..." if no SAN
  std::string checked_name;
  // incomplete_chain: the certificate whose issuer is missing, and that issuer's name.
  std::string certificate_subject;
  std::string missing_issuer;
  // expired / not_yet_valid: the offending certificate's subject and date.
  std::string certificate_date;
  // invalid: OpenSSL refused `certificate_subject` for TLS servers
  // (X509_V_ERR_INVALID_PURPOSE: its extended or plain key usage does not allow it).
  bool purpose_refused = false;
};

std::string_view kind_name(CertificateError::Kind kind);

/// The result of a successful verification (cheap to copy: shared, immutable).
struct VerifiedChain {
  std::shared_ptr<const PublicKey> leaf_key;
  std::shared_ptr<const CertificateInfo> leaf;
  std::vector<std::string> chain_subjects;  // as built: leaf first, trust anchor last
  bool from_cache = false;
};

/// The most certificates a server's Certificate message may carry: s2n's
/// DEFAULT_MAX_CHAIN_DEPTH, which also bounds the verified path (facts 2.1).
inline constexpr std::size_t kMaxChainCertificates = 7;

/// `leaf` names `name`, by the rules verify_chain() applies: a DNS name, as the
/// SNI carries it (one trailing dot dropped), against the DNS names with RFC
/// 6125 wildcards (only as the whole leftmost label); an IPv4/IPv6 literal
/// against the IP addresses. A name with an empty label (".example.com",
/// "a..example.com") names no host and matches nothing: OpenSSL alone would
/// read a leading dot as "any name under this domain".
[[nodiscard]] bool certificate_matches_name(const Certificate& leaf, std::string_view name);

/// Verifies `chain` (DER, leaf first, as the server sent it) against `store`
/// at time `at`, and the leaf against `name` (a DNS name, checked with RFC 6125
/// wildcard rules: leftmost label only, no partial-label wildcards; or an IPv4/IPv6
/// literal checked against IP SANs). Leaf key types: RSA (>= 1024 bits) and EC
/// P-256/P-384/P-521 are accepted; others give key_unsupported. More than
/// kMaxChainCertificates certificates, or a longer verified path, is invalid.
/// Successes are cached in store.cache() (key: exact chain bytes, name, store;
/// a hit is only used when `at` is inside every certificate's validity window).
base::Expected<VerifiedChain, CertificateError> verify_chain(std::span<const std::vector<std::uint8_t>> chain,
                                                             const TrustStore& store, std::string_view name,
                                                             std::time_t at);

/// Bounded, thread-safe cache of verified chains.
class VerifiedChainCache {
 public:
  explicit VerifiedChainCache(std::size_t capacity = 256);
  ~VerifiedChainCache();
  VerifiedChainCache(const VerifiedChainCache&) = delete;
  VerifiedChainCache& operator=(const VerifiedChainCache&) = delete;

  std::optional<VerifiedChain> find(std::span<const std::vector<std::uint8_t>> chain, std::string_view name,
                                    std::time_t at) const;
  void insert(std::span<const std::vector<std::uint8_t>> chain, std::string_view name, std::time_t valid_from,
              std::time_t valid_until, const VerifiedChain& result);
  void clear();
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::uint64_t hits() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgefetch::crypto
