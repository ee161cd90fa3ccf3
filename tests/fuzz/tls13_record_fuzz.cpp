// libFuzzer harness: the TLS 1.3 record layer, first without keys (plaintext
// records, ChangeCipherSpec), then with AES-128-GCM read keys (every record must
// authenticate; forged ones must fail cleanly).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tls/tls13/record_layer.hpp"

using namespace edgefetch::tls;
using namespace edgefetch::tls::tls13;

namespace {
void drain(RecordLayer13& layer) {
  for (int i = 0; i < 1000; ++i) {
    auto next = layer.next();
    if (!next || !next->has_value()) return;
    if ((*next)->content.size() > kMaxPlaintextLength) __builtin_trap();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  RecordLayer13 plain;
  plain.feed(input);
  drain(plain);

  static const std::vector<std::uint8_t> kKey(16, 0x42);
  static const std::vector<std::uint8_t> kIv(12, 0x24);
  auto protection = RecordProtection13::from_keys(edgefetch::policy::BulkCipher::aes_128_gcm, kKey, kIv,
                                                  RecordProtection13::Direction::open);
  if (!protection) __builtin_trap();
  RecordLayer13 encrypted;
  encrypted.set_read_protection(std::move(*protection));
  encrypted.feed(input);
  drain(encrypted);
  return 0;
}
