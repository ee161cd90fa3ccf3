// libFuzzer harness: CertificateRequest decoding (first byte: TLS 1.2 form or not).

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/messages/certificate_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool tls12 = (data[0] & 1) != 0;
  (void)edgefetch::tls::messages::decode_certificate_request(
      std::span<const std::uint8_t>(data + 1, size - 1), tls12);
  return 0;
}
