#include "crypto/openssl_util.hpp"

#include <openssl/err.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace edgefetch::crypto::detail {

std::string drain_openssl_errors() {
  std::string text;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    if (!text.empty()) {
      text += "; ";
    }
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

void fatal_libcrypto_failure(const char* what) {
  const std::string reason = drain_openssl_errors();
  static_cast<void>(
      std::fprintf(stderr, "edgefetch: fatal libcrypto failure in %s: %s\n", what, reason.c_str()));
  std::abort();
}

}  // namespace edgefetch::crypto::detail
