#include "crypto/openssl_util.hpp"

#include <openssl/err.h>

#include <array>

namespace edgefetch::crypto::detail {

std::string drain_openssl_errors() {
  std::string text;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    if (!text.empty()) text += "; ";
    text += buffer.data();
  }
  return text;
}

Error openssl_error(std::string_view what) {
  std::string message(what);
  const std::string reason = drain_openssl_errors();
  if (!reason.empty()) {
    message += ": ";
    message += reason;
  }
  return Error{std::move(message)};
}

}  // namespace edgefetch::crypto::detail
