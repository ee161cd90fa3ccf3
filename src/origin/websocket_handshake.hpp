#pragma once
// Whether an origin's 101 completes the WebSocket opening handshake the
// client asked for: read by the origin client and the response fuzz harness.

#include <string>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/origin/http_message.hpp"

namespace edgefetch::origin {

// A 101 completing a WebSocket handshake as RFC 6455 4.1 has the client
// check it: HTTP/1.1, Upgrade exactly "websocket" (one protocol, not a
// layered list), and Connection listing upgrade (RFC 9110 7.8). The edge
// rewrites both fields for the viewer, so a broken one must fail here rather
// than reach the viewer looking valid.
inline bool completes_websocket_handshake(const ResponseHead& response) {
  if (response.version != 11) return false;
  int upgrades = 0;
  bool websocket = false;
  bool connection_upgrade = false;
  for (const auto& header : response.headers) {
    if (base::iequals(header.name, "Upgrade")) {
      ++upgrades;
      websocket = base::lists_token(header.value, "websocket") && header.value.find(',') == std::string::npos;
    } else if (base::iequals(header.name, "Connection")) {
      connection_upgrade = connection_upgrade || base::lists_token(header.value, "upgrade");
    }
  }
  return upgrades == 1 && websocket && connection_upgrade;
}

}  // namespace edgefetch::origin
