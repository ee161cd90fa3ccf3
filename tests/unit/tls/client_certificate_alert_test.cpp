// A fatal alert after the client answered a CertificateRequest with no
// certificate: the certificate alerts (and OpenSSL's handshake_failure up to
// TLS 1.2) mean the server requires one, which the CDN does not have without
// origin mTLS; other alerts, or the same alerts elsewhere, keep their codes.

#include <gtest/gtest.h>

#include <initializer_list>

#include "edgefetch/tls/error.hpp"
#include "tls/handshake/received_alerts.hpp"

namespace edgefetch::tls::handshake {
namespace {

Error after_empty_certificate(std::uint8_t alert) {
  return error_for_server_alert(alert, AlertContext::client_certificate_pending, "TLS 1.3", "was connected");
}

TEST(ClientCertificateAlert, RefusalsOfTheMissingCertificateAreNamed) {
  // 50 (decode_error): GnuTLS's answer to an empty Certificate when it requires one.
  for (const std::uint8_t alert : std::initializer_list<std::uint8_t>{40, 41, 42, 43, 46, 49, 50, 116}) {
    const Error error = after_empty_certificate(alert);
    EXPECT_EQ(error.code, ErrorCode::client_certificate_required) << static_cast<int>(alert);
    EXPECT_EQ(error.alert, alert);
    EXPECT_EQ(error.alert_sender, AlertSender::server);
    EXPECT_NE(error.message.find("client certificate"), std::string::npos) << error.message;
  }
  EXPECT_EQ(error_code_name(ErrorCode::client_certificate_required), "client_certificate_required");
}

TEST(ClientCertificateAlert, OtherAlertsAndOtherMomentsKeepTheirCodes) {
  EXPECT_EQ(after_empty_certificate(51).code, ErrorCode::server_alert);  // decrypt_error
  EXPECT_EQ(after_empty_certificate(80).code, ErrorCode::server_alert);  // internal_error
  EXPECT_EQ(error_for_server_alert(116, AlertContext::connected, "TLS 1.3", "was connected").code,
            ErrorCode::server_alert);
  EXPECT_EQ(error_for_server_alert(40, AlertContext::awaiting_server_hello, "TLS 1.2", "waited").code,
            ErrorCode::no_shared_cipher);
}

}  // namespace
}  // namespace edgefetch::tls::handshake
