#include "tls/tls13/certificate13.hpp"

#include <algorithm>
#include <string>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/certificate.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::tls13 {
namespace {
using codec::ByteReader;
using messages::malformed;
namespace ad = alert_description;
}  // namespace

std::vector<std::vector<std::uint8_t>> Certificate13::chain() const {
  std::vector<std::vector<std::uint8_t>> out;
  out.reserve(entries.size());
  for (const auto& entry : entries) out.push_back(entry.cert_data);
  return out;
}

base::Expected<Certificate13, Error> decode_certificate13(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  std::span<const std::uint8_t> context;
  ByteReader list;
  if (!r.read_u8_prefixed_bytes(context) || !r.read_u24_prefixed(list) || !r.empty()) {
    return base::unexpected(malformed("Certificate is malformed"));
  }
  Certificate13 out;
  out.request_context.assign(context.begin(), context.end());
  while (!list.empty()) {
    if (out.entries.size() == messages::kMaxCertificateChainLength) {
      return base::unexpected(malformed("Certificate has more than " +
                                        std::to_string(messages::kMaxCertificateChainLength) + " entries"));
    }
    std::span<const std::uint8_t> der;
    ByteReader extensions;
    if (!list.read_u24_prefixed_bytes(der) || der.empty() || !list.read_u16_prefixed(extensions)) {
      return base::unexpected(malformed("CertificateEntry is malformed"));
    }
    CertificateEntry entry;
    entry.cert_data.assign(der.begin(), der.end());
    while (!extensions.empty()) {
      std::uint16_t type = 0;
      std::span<const std::uint8_t> ignored;
      if (!extensions.read_u16(type) || !extensions.read_u16_prefixed_bytes(ignored)) {
        return base::unexpected(malformed("CertificateEntry extension is truncated"));
      }
      if (std::find(entry.extension_types.begin(), entry.extension_types.end(), type) !=
          entry.extension_types.end()) {
        return base::unexpected(malformed("CertificateEntry repeats an extension"));
      }
      entry.extension_types.push_back(type);
    }
    out.entries.push_back(std::move(entry));
  }
  return out;
}

base::Expected<void, Error> check_server_certificate13(const Certificate13& certificate,
                                                       std::span<const std::uint16_t> offered_extensions) {
  if (!certificate.request_context.empty()) {
    return base::unexpected(messages::illegal_parameter(
        "server Certificate carries a certificate_request_context (only for post-handshake authentication)"));
  }
  if (certificate.entries.empty()) {
    return base::unexpected(messages::client_error(ErrorCode::cert_invalid, ad::kDecodeError,
                                                   "server sent an empty certificate chain"));
  }
  for (const auto& entry : certificate.entries) {
    for (const std::uint16_t type : entry.extension_types) {
      if (std::find(offered_extensions.begin(), offered_extensions.end(), type) == offered_extensions.end()) {
        return base::unexpected(
            messages::client_error(ErrorCode::protocol_violation, ad::kUnsupportedExtension,
                                   "server's CertificateEntry carries the " + messages::extension_name(type) +
                                       " extension, which the ClientHello did not offer"));
      }
    }
  }
  return {};
}

}  // namespace edgefetch::tls::tls13
