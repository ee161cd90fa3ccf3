#pragma once
// Error codes that cross from the sans-IO TLS engine (and from net itself) into
// Asio. A TLS failure reaches Asio/Beast callers as an error_code whose category
// is tls_category() and whose value is the tls::ErrorCode; the full tls::Error
// (alert, sender, message) stays retrievable from the stream that produced it.

#include <boost/system/error_code.hpp>
#include <optional>
#include <string>

#include "edgefetch/tls/error.hpp"

namespace edgefetch::net {

/// Category of error_codes carrying a tls::ErrorCode ("edgefetch.tls").
const boost::system::error_category& tls_category() noexcept;

boost::system::error_code make_error_code(tls::ErrorCode code) noexcept;

/// The TLS error an error_code carries, if it is one of ours.
std::optional<tls::ErrorCode> tls_error_code(const boost::system::error_code& ec) noexcept;

/// Failures net detects itself (not the OS, not the TLS engine).
enum class Errc {
  no_addresses = 1,  // name resolved to zero usable addresses
  not_connected,     // write/read before the TLS handshake completed
  handshake_failed,  // the engine stopped without an error of its own (defensive)
  peer_closed,       // write after the server's close_notify (the connection is over)
};

/// Category of net's own errors ("edgefetch.net").
const boost::system::error_category& net_category() noexcept;

boost::system::error_code make_error_code(Errc code) noexcept;

}  // namespace edgefetch::net
