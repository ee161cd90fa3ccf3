// libFuzzer harness: the record reader. The first input byte picks the record
// protection the reader switches to at the first ChangeCipherSpec record (null
// only, AES-GCM in TLS 1.2, AES-CBC-SHA in TLS 1.0 and 1.2, AES-CBC-SHA256);
// the second byte picks the chunk size the rest is fed in.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "edgefetch/policy/cipher_suite.hpp"
#include "tls/record/protection.hpp"
#include "tls/record/reader.hpp"

using namespace edgefetch;

namespace {

struct Choice {
  std::uint16_t suite;
  policy::ProtocolVersion version;
};

constexpr Choice kChoices[] = {
    {0, policy::ProtocolVersion::tls1_2},      {0xC02F, policy::ProtocolVersion::tls1_2},
    {0xC013, policy::ProtocolVersion::tls1_0}, {0xC013, policy::ProtocolVersion::tls1_2},
    {0xC027, policy::ProtocolVersion::tls1_2},
};

std::unique_ptr<tls::RecordProtection> make_protection(const Choice& choice) {
  const policy::CipherSuite* suite = policy::cipher_suite_by_code(choice.suite);
  if (suite == nullptr) return nullptr;
  const auto& cipher = policy::info(suite->cipher);
  const auto& mac = policy::info(suite->mac);
  tls::TrafficKeys keys;
  keys.mac_key.assign(mac.length, 0x4B);
  keys.key.assign(cipher.key_length, 0x6B);
  const bool explicit_iv =
      cipher.kind == policy::CipherKind::block && choice.version >= policy::ProtocolVersion::tls1_1;
  keys.iv.assign(explicit_iv ? 0 : cipher.fixed_iv_length, 0x49);
  auto protection = tls::make_record_protection(choice.version, *suite, keys, tls::ProtectionOperation::open);
  return protection ? std::move(*protection) : nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Choice& choice = kChoices[data[0] % std::size(kChoices)];
  const std::size_t chunk = 1 + data[1] % 64;
  const std::span<const std::uint8_t> input(data + 2, size - 2);

  tls::RecordReader reader;
  bool switched = false;
  for (std::size_t offset = 0; offset < input.size(); offset += chunk) {
    reader.feed(input.subspan(offset, std::min(chunk, input.size() - offset)));
    while (true) {
      auto record = reader.next();
      if (!record) return 0;  // the connection would be dead
      if (!record->has_value()) break;
      const tls::RecordView& view = **record;
      if (view.fragment.size() > tls::kMaxPlaintextLength) __builtin_trap();
      if (view.type == tls::ContentType::change_cipher_spec && !switched) {
        switched = true;
        if (auto protection = make_protection(choice)) {
          reader.set_pending(std::move(protection));
          if (!reader.activate_pending()) __builtin_trap();
        }
      }
    }
  }
  return 0;
}
