#pragma once
// The test PKI: a private root CA (the trust store tests pass as --ca-file), an
// intermediate CA, and leaf certificates for "origin.test" (SAN DNS:origin.test,
// DNS:*.wild.test, IP:127.0.0.1) in every shape the interop and negative tests
// need. Generated with libcrypto once and shared by every test process of the
// build (under a file lock; regenerated when older than a day, so the validity
// windows stay meaningful).

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace edgefetch::support {

enum class Leaf {
  rsa2048,               // RSA-2048, signed by the intermediate
  ecdsa_p256,            // ECDSA P-256
  ecdsa_p384,            // ECDSA P-384
  ecdsa_p521,            // ECDSA P-521 (a curve the policy does not offer)
  ed25519,               // Ed25519 (a key type TLS 1.2 ECDHE_ECDSA cannot use)
  rsa1024,               // RSA-1024 (weak key)
  expired,               // RSA-2048, not_after a day ago
  not_yet_valid,         // RSA-2048, not_before in ten days
  wrong_name,            // RSA-2048 for other.test only
  self_signed,           // RSA-2048, self-signed, no CA behind it
  unknown_ca,            // RSA-2048 from a second, untrusted CA (chain: leaf + that CA's intermediate)
  without_intermediate,  // RSA-2048 from our intermediate, but the chain file holds the leaf only
};

std::span<const Leaf> all_leaves();
std::string_view name(Leaf leaf);  // "rsa2048", "expired", ...

struct LeafFiles {
  std::filesystem::path cert;  // the leaf alone (PEM)
  std::filesystem::path key;   // PKCS#8 PEM, unencrypted
  std::filesystem::path
      chain;  // what a server sends: leaf then intermediate (leaf only where the variant says)
  std::filesystem::path intermediates;  // the chain without the leaf; empty path when there is none
  std::string key_type;                 // "RSA", "EC", "ED25519" (the JCA algorithm name)
};

class TestPki {
 public:
  /// The PKI of this build, generated on first use (thread-safe, process-safe).
  /// Aborts the process with a message if it cannot be generated: no test can run without it.
  static const TestPki& get();

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  /// The root CA certificate: the trust store tests use.
  [[nodiscard]] std::filesystem::path ca_file() const { return dir_ / "ca.pem"; }
  /// The root of the second CA (trusting it makes Leaf::unknown_ca valid).
  [[nodiscard]] std::filesystem::path second_ca_file() const { return dir_ / "ca2.pem"; }
  [[nodiscard]] std::filesystem::path intermediate_file() const { return dir_ / "intermediate.pem"; }
  [[nodiscard]] LeafFiles leaf(Leaf which) const;

  /// Generates a complete PKI into `dir` (which must exist and be empty). Exposed for tests of the generator.
  static bool generate(const std::filesystem::path& dir, std::string* error);

 private:
  explicit TestPki(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

inline constexpr std::string_view kOriginName = "origin.test";

}  // namespace edgefetch::support
