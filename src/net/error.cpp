#include "edgefetch/net/error.hpp"

#include <string_view>

namespace edgefetch::net {
namespace {

// boost::system::error_category's destructor is protected and non-virtual by
// design (categories are never deleted through a base pointer).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"

class TlsCategory final : public boost::system::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "edgefetch.tls"; }
  [[nodiscard]] std::string message(int value) const override {
    return std::string(tls::error_code_name(static_cast<tls::ErrorCode>(value)));
  }
};

class NetCategory final : public boost::system::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "edgefetch.net"; }
  [[nodiscard]] std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::no_addresses:
        return "the name resolved to no usable address";
      case Errc::not_connected:
        return "the TLS handshake has not completed";
      case Errc::handshake_failed:
        return "the TLS handshake stopped without a reason";
      case Errc::peer_closed:
        return "the server closed the TLS connection (close_notify)";
    }
    return "unknown net error";
  }
};

#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& tls_category() noexcept {
  static const TlsCategory category;
  return category;
}

boost::system::error_code make_error_code(tls::ErrorCode code) noexcept {
  return {static_cast<int>(code), tls_category()};
}

std::optional<tls::ErrorCode> tls_error_code(const boost::system::error_code& ec) noexcept {
  if (ec.category() != tls_category()) return std::nullopt;
  return static_cast<tls::ErrorCode>(ec.value());
}

const boost::system::error_category& net_category() noexcept {
  static const NetCategory category;
  return category;
}

boost::system::error_code make_error_code(Errc code) noexcept {
  return {static_cast<int>(code), net_category()};
}

}  // namespace edgefetch::net
