#pragma once
// The TLS pseudo-random functions (EVP_KDF "TLS1-PRF") and the SSLv3
// constructions built from MD5 and SHA-1 (SSLv3 predates the PRF; RFC 6101).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto {

/// PRF(secret, label, seed) of RFC 5246 §5 with `hash` (TLS 1.2: the suite's
/// PRF hash), or with HashAlgorithm::md5_sha1 the TLS 1.0/1.1 PRF of RFC 2246
/// §5 (P_MD5 xor P_SHA1 over the split secret). Fills `out`.
base::Expected<void, Error> tls_prf(policy::HashAlgorithm hash, std::span<const std::uint8_t> secret,
                                    std::string_view label, std::span<const std::uint8_t> seed,
                                    std::span<std::uint8_t> out);
base::Expected<SecretBytes, Error> tls_prf(policy::HashAlgorithm hash, std::span<const std::uint8_t> secret,
                                           std::string_view label, std::span<const std::uint8_t> seed,
                                           std::size_t out_length);

/// SSLv3's generator (RFC 6101 §6.1/§6.2.2): MD5(secret + SHA1("A" + secret + seed)) +
/// MD5(secret + SHA1("BB" + secret + seed)) + ... truncated to out.size() (at most 26 rounds).
/// master_secret = ssl3_prf(pre_master, client_random + server_random, 48);
/// key_block = ssl3_prf(master, server_random + client_random, n).
base::Expected<void, Error> ssl3_prf(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> seed,
                                     std::span<std::uint8_t> out);

/// SSLv3 Finished hashes (RFC 6101 §5.6.9): given the running MD5 and SHA-1 of
/// the handshake messages, returns MD5(master + pad2 + MD5(msgs + sender + master + pad1)) ||
/// SHA1(master + pad2 + SHA1(msgs + sender + master + pad1)) (36 bytes).
/// `sender` is 0x434C4E54 ("CLNT") or 0x53525652 ("SRVR").
std::vector<std::uint8_t> ssl3_finished(HashContext md5_of_messages, HashContext sha1_of_messages,
                                        std::uint32_t sender, std::span<const std::uint8_t> master_secret);
inline constexpr std::uint32_t kSsl3SenderClient = 0x434C4E54;
inline constexpr std::uint32_t kSsl3SenderServer = 0x53525652;

/// Length of the SSLv3 MAC pads: 48 for MD5, 40 for SHA-1.
std::size_t ssl3_pad_length(policy::HashAlgorithm hash);

/// The SSLv3 record MAC (RFC 6101 §5.2.3.1): hash(secret + pad2 + hash(secret + pad1 + seq_num +
/// type + length + content)) with MD5 or SHA-1. Same incremental shape as Hmac: the caller
/// feeds seq_num(8) type(1) length(2) and the content with update(), then finish().
class Ssl3Mac {
 public:
  static base::Expected<Ssl3Mac, Error> create(policy::HashAlgorithm hash,
                                               std::span<const std::uint8_t> mac_secret);

  void update(std::span<const std::uint8_t> data) { inner_.update(data); }
  /// Writes the MAC to `out` and resets for the next message.
  void finish(std::span<std::uint8_t> out);
  void reset();

  [[nodiscard]] std::size_t length() const { return digest_length(hash_); }
  /// Bytes hashed by the inner hash before the first update(): secret + pad1.
  [[nodiscard]] std::size_t inner_prefix_length() const { return secret_.size() + ssl3_pad_length(hash_); }

 private:
  Ssl3Mac(policy::HashAlgorithm hash, SecretBytes secret);
  policy::HashAlgorithm hash_;
  SecretBytes secret_;
  HashContext inner_start_;  // secret + pad1 absorbed
  HashContext outer_start_;  // secret + pad2 absorbed
  HashContext inner_;
};

}  // namespace edgefetch::crypto
