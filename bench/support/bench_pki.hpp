#pragma once
// The benchmark PKI: a private RSA-2048 root, an RSA-2048 intermediate, and two
// leaves for "origin.test" (RSA-2048 and ECDSA P-256) signed by the
// intermediate. Generated with libcrypto into a fresh temporary directory that
// is removed when the object goes away. The servers send leaf + intermediate;
// the clients trust the root only, so every handshake verifies a two-link chain.

#include <filesystem>
#include <string>

namespace edgefetch::bench {

inline constexpr const char* kOriginName = "origin.test";

enum class LeafKey { rsa2048, ecdsa_p256 };

struct LeafFiles {
  std::filesystem::path chain;  // PEM: leaf then intermediate
  std::filesystem::path key;    // PKCS#8 PEM
};

class BenchPki {
 public:
  /// Generates the PKI into a fresh temporary directory, removed with this object.
  /// Exits the process with a message on failure (no benchmark can run without it).
  static BenchPki generate();
  /// Generates the PKI into `dir` (created if missing), which is kept: runs under
  /// valgrind reuse one PKI instead of paying for RSA key generation each time.
  static BenchPki generate_into(const std::filesystem::path& dir);
  /// Uses a PKI written by generate_into(); exits with a message if files are missing.
  static BenchPki open(const std::filesystem::path& dir);

  BenchPki(BenchPki&& other) noexcept;
  BenchPki& operator=(BenchPki&&) = delete;
  BenchPki(const BenchPki&) = delete;
  BenchPki& operator=(const BenchPki&) = delete;
  ~BenchPki();

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] std::filesystem::path ca_file() const { return dir_ / "ca.pem"; }
  [[nodiscard]] LeafFiles leaf(LeafKey key) const;

 private:
  BenchPki(std::filesystem::path dir, bool owned) : dir_(std::move(dir)), owned_(owned) {}
  static void write(const BenchPki& pki);
  std::filesystem::path dir_;
  bool owned_ = false;  // remove dir_ on destruction
};

}  // namespace edgefetch::bench
