#pragma once
// The bytes of a probe's ClientHello: the handshake message built from a
// ProbeOffer with the tls layer's encoder (TLS 1.3 extensions added verbatim),
// framed into handshake records of the offer's record version.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/check/probe.hpp"
#include "tls/messages/client_hello.hpp"

namespace edgefetch::check::detail {

/// The ClientHello of `offer`, with fresh random, session id and key shares.
/// `server_name` is sent when offer.send_sni is set (the tls layer drops IP literals).
base::Expected<tls::messages::ClientHello, std::string> make_probe_client_hello(const ProbeOffer& offer,
                                                                                std::string_view server_name);

/// The record-layer bytes to send for `hello` (split at 2^14 bytes per record).
base::Expected<std::vector<std::uint8_t>, std::string> frame_client_hello(
    const tls::messages::ClientHello& hello, std::uint16_t record_version);

/// Both steps.
base::Expected<std::vector<std::uint8_t>, std::string> build_probe_hello(const ProbeOffer& offer,
                                                                         std::string_view server_name);

}  // namespace edgefetch::check::detail
