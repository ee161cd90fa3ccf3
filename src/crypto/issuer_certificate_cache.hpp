#pragma once
// Parsed issuer (intermediate) certificates, keyed by their exact DER bytes.
//
// Why: with OpenSSL 3.0, d2i_X509 spends most of its time building a decoder
// context for the subject public key (about 1.5 M instructions per
// certificate, more than the ECDHE and signature math of a whole handshake).
// Origins share a handful of intermediates (one per public CA), so an edge
// that connects to many origins parses the same intermediate again and again.
// Only parsing is cached: every chain is still verified in full against the
// trust store, and leaf certificates are never cached here (the
// verified-chain cache handles repeat connections to one origin).
//
// Keys are the complete DER (compared in full), so a lookup can only return
// the certificate those exact bytes encode. Bounded, least-recently-used
// eviction, thread-safe, process-wide.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "edgefetch/crypto/x509.hpp"

namespace edgefetch::crypto::detail {

class IssuerCertificateCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 512;
  /// Certificates larger than this are parsed every time (never cached).
  static constexpr std::size_t kMaxCertificateBytes = 16384;

  /// The process-wide instance.
  static IssuerCertificateCache& instance();

  explicit IssuerCertificateCache(std::size_t capacity = kDefaultCapacity);
  ~IssuerCertificateCache();
  IssuerCertificateCache(const IssuerCertificateCache&) = delete;
  IssuerCertificateCache& operator=(const IssuerCertificateCache&) = delete;

  /// The certificate for exactly these bytes: from the cache, or parsed (and
  /// then cached). Parse failures are returned and not cached.
  base::Expected<Certificate, Error> parse(std::span<const std::uint8_t> der);

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::uint64_t hits() const;
  void clear();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgefetch::crypto::detail
