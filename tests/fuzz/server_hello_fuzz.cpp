// libFuzzer harness: ServerHello decoding and the extension check against a
// typical ClientHello.

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/messages/client_hello.hpp"
#include "tls/messages/server_hello.hpp"

using namespace edgefetch::tls::messages;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ClientHello client_hello = [] {
    ClientHello hello;
    hello.cipher_suites = {0xC02F, 0x002F, 0x00FF};
    hello.supported_groups = std::vector<std::uint16_t>{23, 29, 24};
    hello.signature_algorithms = std::vector<std::uint16_t>{0x0401, 0x0403};
    hello.server_name = "origin.test";
    hello.alpn = {"http/1.1"};
    hello.ec_point_formats = std::vector<std::uint8_t>{0};
    return hello;
  }();
  auto decoded = decode_server_hello(std::span<const std::uint8_t>(data, size));
  if (decoded) {
    (void)check_server_hello_extensions(*decoded, client_hello);
    (void)has_downgrade_sentinel_tls11(decoded->random);
  }
  return 0;
}
