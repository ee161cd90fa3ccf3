#include "get_legacy_warnings.hpp"

#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::cli::get {

std::vector<std::string> legacy_warnings(const tls::Negotiated& negotiated) {
  std::vector<std::string> warnings;
  if (negotiated.cipher_suite == nullptr) return warnings;
  const std::string suite(negotiated.cipher_suite->openssl_name);
  if (negotiated.version == policy::ProtocolVersion::ssl3) {
    warnings.emplace_back(
        "the origin negotiated SSLv3, which is broken (POODLE, CVE-2014-3566: its CBC padding is not "
        "authenticated, RFC 7568 prohibits it); enable TLSv1.2 on the origin");
  }
  switch (negotiated.cipher_suite->cipher) {
    case policy::BulkCipher::rc4_128:
      warnings.push_back("the origin negotiated " + suite +
                         ", whose RC4 keystream biases let repeated plaintext be recovered (RFC 7465 "
                         "prohibits RC4); enable an AES suite on the origin");
      break;
    case policy::BulkCipher::des_ede3_cbc:
      warnings.push_back("the origin negotiated " + suite +
                         ", a 64-bit block cipher open to birthday attacks on long connections (Sweet32, "
                         "CVE-2016-2183); enable an AES suite on the origin");
      break;
    default:
      // The legacy ciphers above are RSA key exchanges too; their warning already asks for better.
      if (negotiated.cipher_suite->key_exchange == policy::KeyExchange::rsa) {
        warnings.push_back("the origin negotiated " + suite +
                           ", an RSA key exchange without forward secrecy (whoever gets the origin's private "
                           "key later can decrypt recorded traffic); enable an ECDHE suite on the origin");
      }
      break;
  }
  return warnings;
}

}  // namespace edgefetch::cli::get
