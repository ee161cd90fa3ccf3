// libFuzzer harness: the TLS 1.3 Certificate message and its server-side checks.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tls/messages/certificate.hpp"
#include "tls/tls13/certificate13.hpp"

using namespace edgefetch::tls::tls13;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto decoded = decode_certificate13(std::span<const std::uint8_t>(data, size));
  if (!decoded) return 0;
  if (decoded->entries.size() > edgefetch::tls::messages::kMaxCertificateChainLength) __builtin_trap();
  for (const auto& entry : decoded->entries) {
    if (entry.cert_data.empty()) __builtin_trap();
  }
  static const std::vector<std::uint16_t> kOffered = {5, 18};
  (void)check_server_certificate13(*decoded, kOffered);
  if (decoded->chain().size() != decoded->entries.size()) __builtin_trap();
  return 0;
}
