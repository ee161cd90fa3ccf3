#pragma once
// The connection-level facts every request on a viewer connection shares.

#include <cstdint>
#include <string>

namespace edgefetch::edge {

struct ViewerConnectionInfo {
  std::string ip;
  std::uint16_t port = 0;
  bool tls = false;
  std::string tls_version;
  std::string tls_cipher;
};

}  // namespace edgefetch::edge
