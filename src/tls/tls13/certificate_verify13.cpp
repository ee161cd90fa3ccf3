#include "tls/tls13/certificate_verify13.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "tls/codec/byte_reader.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::tls13 {
namespace {

namespace ad = alert_description;
using messages::client_error;
using policy::HashAlgorithm;
using policy::SignatureAlgorithm;

// RFC 8446 §4.2.3: in TLS 1.3 each ECDSA scheme names its curve.
std::uint16_t ecdsa_curve(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::sha256:
      return policy::kGroupSecp256r1;
    case HashAlgorithm::sha384:
      return policy::kGroupSecp384r1;
    case HashAlgorithm::sha512:
      return policy::kGroupSecp521r1;
    default:
      return 0;
  }
}

std::string scheme_text(std::uint16_t code) {
  const auto* scheme = policy::signature_scheme_by_code(code);
  return (scheme != nullptr ? std::string(scheme->iana_name) + " " : std::string()) + "(" +
         policy::format_code_point(code) + ")";
}

}  // namespace

base::Expected<CertificateVerify13, Error> decode_certificate_verify13(std::span<const std::uint8_t> body) {
  codec::ByteReader r(body);
  CertificateVerify13 out;
  std::span<const std::uint8_t> signature;
  if (!r.read_u16(out.scheme) || !r.read_u16_prefixed_bytes(signature) || signature.empty() || !r.empty()) {
    return base::unexpected(messages::malformed("CertificateVerify is malformed"));
  }
  out.signature.assign(signature.begin(), signature.end());
  return out;
}

std::vector<std::uint8_t> server_signed_content(std::span<const std::uint8_t> transcript_hash) {
  constexpr std::size_t kPaddingLength = 64;
  constexpr std::string_view kContext = "TLS 1.3, server CertificateVerify";
  // Sized up front and filled by position (GCC 12 misreads insert() after a
  // fill constructor as an out-of-bounds memmove).
  std::vector<std::uint8_t> out(kPaddingLength + kContext.size() + 1 + transcript_hash.size(), 0x20);
  std::copy(kContext.begin(), kContext.end(), out.begin() + kPaddingLength);
  const auto hash_at = static_cast<std::ptrdiff_t>(kPaddingLength + kContext.size());
  out[static_cast<std::size_t>(hash_at)] = 0;
  std::copy(transcript_hash.begin(), transcript_hash.end(), out.begin() + hash_at + 1);
  return out;
}

bool usable_in_tls13(const policy::SignatureScheme& scheme) {
  switch (scheme.algorithm) {
    case SignatureAlgorithm::rsa_pkcs1:
      return false;
    case SignatureAlgorithm::ecdsa:
      return ecdsa_curve(scheme.hash) != 0;
    case SignatureAlgorithm::rsa_pss_rsae:
    case SignatureAlgorithm::rsa_pss_pss:
      return scheme.hash == HashAlgorithm::sha256 || scheme.hash == HashAlgorithm::sha384 ||
             scheme.hash == HashAlgorithm::sha512;
  }
  return false;
}

base::Expected<const policy::SignatureScheme*, Error> verify_certificate_verify13(
    const CertificateVerify13& message, const crypto::PublicKey& key,
    std::span<const std::uint8_t> transcript_hash, std::span<const std::uint16_t> offered_schemes) {
  const auto* scheme = policy::signature_scheme_by_code(message.scheme);
  const bool offered =
      std::find(offered_schemes.begin(), offered_schemes.end(), message.scheme) != offered_schemes.end();
  if (scheme == nullptr || !offered) {
    return base::unexpected(client_error(ErrorCode::no_shared_signature_scheme, ad::kIllegalParameter,
                                         "server signed CertificateVerify with " +
                                             scheme_text(message.scheme) +
                                             ", which the ClientHello did not offer"));
  }
  if (!usable_in_tls13(*scheme)) {
    return base::unexpected(client_error(ErrorCode::no_shared_signature_scheme, ad::kIllegalParameter,
                                         "server signed CertificateVerify with " +
                                             scheme_text(message.scheme) + ", which TLS 1.3 does not allow"));
  }
  if (scheme->algorithm == SignatureAlgorithm::ecdsa &&
      (key.type() != crypto::KeyType::ec || key.curve_group() != ecdsa_curve(scheme->hash))) {
    return base::unexpected(client_error(ErrorCode::cert_key_unsupported, ad::kIllegalParameter,
                                         "server signed with " + scheme_text(message.scheme) +
                                             " but its key is " + key.description() +
                                             " (TLS 1.3 binds the ECDSA curve to the hash)"));
  }
  const auto content = server_signed_content(transcript_hash);
  if (auto verified = crypto::verify_signature(key, *scheme, content, message.signature); !verified) {
    const bool key_mismatch = verified.error().message.find("cannot make") != std::string::npos;
    return base::unexpected(client_error(
        key_mismatch ? ErrorCode::cert_key_unsupported : ErrorCode::bad_signature,
        key_mismatch ? ad::kIllegalParameter : ad::kDecryptError,
        "server CertificateVerify (" + scheme_text(message.scheme) + "): " + verified.error().message));
  }
  return scheme;
}

}  // namespace edgefetch::tls::tls13
