// libFuzzer harness: EncryptedExtensions decoding and the offered-extension check.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tls/tls13/encrypted_extensions.hpp"

using namespace edgefetch::tls::tls13;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto decoded = decode_encrypted_extensions(std::span<const std::uint8_t>(data, size));
  if (!decoded) return 0;
  static const std::vector<std::uint16_t> kOffered = {0, 10, 13, 16, 23, 35, 43, 51};
  static const std::vector<std::string> kAlpn = {"http/1.1"};
  (void)check_encrypted_extensions(*decoded, kOffered, kAlpn);
  if (decoded->alpn && decoded->alpn->empty()) __builtin_trap();
  return 0;
}
