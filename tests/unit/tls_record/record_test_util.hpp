#pragma once
// Shared helpers of the record-layer tests: suites × versions, key blocks,
// matching seal/open protection pairs.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "edgefetch/crypto/random.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "tls/key_schedule.hpp"
#include "tls/record/protection.hpp"

namespace edgefetch::tls::test {

using Bytes = std::vector<std::uint8_t>;
using policy::ProtocolVersion;

struct Cell {
  const policy::CipherSuite* suite;
  ProtocolVersion version;
};

inline std::string cell_name(const Cell& cell) {
  return std::string(cell.suite->openssl_name) + "/" + std::string(policy::info(cell.version).openssl_name);
}

/// Every (non-TLS 1.3 suite, version it is valid in) pair.
inline std::vector<Cell> all_cells() {
  std::vector<Cell> cells;
  for (const auto& suite : policy::all_cipher_suites()) {
    for (const auto v :
         {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1, ProtocolVersion::tls1_2}) {
      if (suite.valid_in(v)) cells.push_back(Cell{&suite, v});
    }
  }
  return cells;
}

inline Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  EXPECT_TRUE(crypto::random_bytes(out).has_value());
  return out;
}

inline KeyBlock key_block_for(const Cell& cell) {
  const Bytes master = random_bytes(48), client_random = random_bytes(32), server_random = random_bytes(32);
  auto block = derive_key_block(cell.version, *cell.suite, master, client_random, server_random);
  EXPECT_TRUE(block.has_value());
  return std::move(block.value());
}

/// A sealer for our (client) writes and the opener the server would use for them.
struct Pair {
  std::unique_ptr<RecordProtection> sealer;
  std::unique_ptr<RecordProtection> opener;
};

inline Pair make_pair(const Cell& cell, const KeyBlock& keys) {
  auto sealer =
      make_record_protection(cell.version, *cell.suite, keys.client_write, ProtectionOperation::seal);
  auto opener =
      make_record_protection(cell.version, *cell.suite, keys.client_write, ProtectionOperation::open);
  EXPECT_TRUE(sealer.has_value()) << cell_name(cell) << ": " << (sealer ? "" : sealer.error().message);
  EXPECT_TRUE(opener.has_value()) << cell_name(cell);
  return Pair{std::move(sealer.value()), std::move(opener.value())};
}

inline Bytes seal(RecordProtection& p, ContentType type, std::uint16_t version, const Bytes& plaintext) {
  Bytes out;
  auto r = p.seal(type, version, plaintext, out);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return out;
}

}  // namespace edgefetch::tls::test
