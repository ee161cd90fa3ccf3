#include "support/peer_names.hpp"

#include <array>
#include <cstdio>

namespace edgefetch::support {
namespace {

using policy::ProtocolVersion;

constexpr std::array kSuites = {
    PeerSuiteNames{0xC02C, "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA",
                   "AES-256-GCM", "AEAD", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", true, true},
    PeerSuiteNames{0xC030, "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA",
                   "AES-256-GCM", "AEAD", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", true, false},
    PeerSuiteNames{0xC02B, "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA",
                   "AES-128-GCM", "AEAD", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", true, true},
    PeerSuiteNames{0xC02F, "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA",
                   "AES-128-GCM", "AEAD", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", true, false},
    PeerSuiteNames{0xC024, "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA",
                   "AES-256-CBC", "SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", true, true},
    PeerSuiteNames{0xC028, "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA", "AES-256-CBC",
                   "SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", true, false},
    PeerSuiteNames{0xC00A, "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA", "AES-256-CBC",
                   "SHA1", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", true, true},
    PeerSuiteNames{0xC014, "ECDHE-RSA-AES256-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-RSA", "AES-256-CBC", "SHA1",
                   "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", true, false},
    PeerSuiteNames{0xC023, "ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA",
                   "AES-128-CBC", "SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", true, true},
    PeerSuiteNames{0xC027, "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA", "AES-128-CBC",
                   "SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", true, false},
    PeerSuiteNames{0xC009, "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA", "AES-128-CBC",
                   "SHA1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", true, true},
    PeerSuiteNames{0xC013, "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA", "AES-128-CBC", "SHA1",
                   "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", true, false},
    PeerSuiteNames{0x009D, "AES256-GCM-SHA384", "AES256-GCM-SHA384", "RSA", "AES-256-GCM", "AEAD",
                   "TLS_RSA_WITH_AES_256_GCM_SHA384", false, false},
    PeerSuiteNames{0x009C, "AES128-GCM-SHA256", "AES128-GCM-SHA256", "RSA", "AES-128-GCM", "AEAD",
                   "TLS_RSA_WITH_AES_128_GCM_SHA256", false, false},
    PeerSuiteNames{0x0035, "AES256-SHA", "AES256-SHA", "RSA", "AES-256-CBC", "SHA1",
                   "TLS_RSA_WITH_AES_256_CBC_SHA", false, false},
    PeerSuiteNames{0x003C, "AES128-SHA256", "AES128-SHA256", "RSA", "AES-128-CBC", "SHA256",
                   "TLS_RSA_WITH_AES_128_CBC_SHA256", false, false},
    PeerSuiteNames{0x002F, "AES128-SHA", "AES128-SHA", "RSA", "AES-128-CBC", "SHA1",
                   "TLS_RSA_WITH_AES_128_CBC_SHA", false, false},
    PeerSuiteNames{0x000A, "DES-CBC3-SHA", "", "RSA", "3DES-CBC", "SHA1", "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
                   false, false},
    PeerSuiteNames{0x0004, "RC4-MD5", "", "RSA", "ARCFOUR-128", "MD5", "SSL_RSA_WITH_RC4_128_MD5", false,
                   false},
    // Not in any edgefetch profile: servers that offer only these must be refused.
    PeerSuiteNames{kSuiteEcdheRsaChacha20, "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
                   "ECDHE-RSA", "CHACHA20-POLY1305", "AEAD", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                   true, false},
    PeerSuiteNames{kSuiteEcdheEcdsaChacha20, "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305",
                   "ECDHE-ECDSA", "CHACHA20-POLY1305", "AEAD",
                   "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", true, true},
};

constexpr std::array kGroups = {
    PeerGroupNames{23, "P-256", "GROUP-SECP256R1", "secp256r1", "P256"},
    PeerGroupNames{24, "P-384", "GROUP-SECP384R1", "secp384r1", "P384"},
    PeerGroupNames{25, "P-521", "GROUP-SECP521R1", "secp521r1", "P521"},
    PeerGroupNames{29, "X25519", "GROUP-X25519", "x25519", "X25519"},
    PeerGroupNames{30, "X448", "GROUP-X448", "x448", "X448"},
};

constexpr std::array kSchemes = {
    PeerSchemeNames{0x0401, "RSA+SHA256", "SIGN-RSA-SHA256", "rsa_pkcs1_sha256", "rsa_pkcs1_sha256", false},
    PeerSchemeNames{0x0501, "RSA+SHA384", "SIGN-RSA-SHA384", "rsa_pkcs1_sha384", "rsa_pkcs1_sha384", false},
    PeerSchemeNames{0x0601, "RSA+SHA512", "SIGN-RSA-SHA512", "rsa_pkcs1_sha512", "rsa_pkcs1_sha512", false},
    PeerSchemeNames{0x0301, "RSA+SHA224", "", "rsa_sha224", "rsa_pkcs1_sha224", false},
    PeerSchemeNames{0x0403, "ECDSA+SHA256", "SIGN-ECDSA-SHA256", "ecdsa_secp256r1_sha256", "ecdsa_sha256",
                    true},
    PeerSchemeNames{0x0503, "ECDSA+SHA384", "SIGN-ECDSA-SHA384", "ecdsa_secp384r1_sha384", "ecdsa_sha384",
                    true},
    PeerSchemeNames{0x0603, "ECDSA+SHA512", "SIGN-ECDSA-SHA512", "ecdsa_secp521r1_sha512", "ecdsa_sha512",
                    true},
    PeerSchemeNames{0x0303, "ECDSA+SHA224", "", "ecdsa_sha224", "ecdsa_sha224", true},
    PeerSchemeNames{0x0201, "RSA+SHA1", "SIGN-RSA-SHA1", "rsa_pkcs1_sha1", "rsa_pkcs1_sha1", false},
    PeerSchemeNames{0x0203, "ECDSA+SHA1", "SIGN-ECDSA-SHA1", "ecdsa_sha1", "ecdsa_sha1", true},
    PeerSchemeNames{0x0804, "rsa_pss_rsae_sha256", "SIGN-RSA-PSS-RSAE-SHA256", "rsa_pss_rsae_sha256",
                    "rsa_pss_rsae_sha256", false},
    PeerSchemeNames{0x0805, "rsa_pss_rsae_sha384", "SIGN-RSA-PSS-RSAE-SHA384", "rsa_pss_rsae_sha384",
                    "rsa_pss_rsae_sha384", false},
    PeerSchemeNames{0x0806, "rsa_pss_rsae_sha512", "SIGN-RSA-PSS-RSAE-SHA512", "rsa_pss_rsae_sha512",
                    "rsa_pss_rsae_sha512", false},
};

template <class Table>
auto find_code(const Table& table, std::uint16_t code) -> const typename Table::value_type* {
  for (const auto& entry : table) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

}  // namespace

std::span<const PeerSuiteNames> peer_suites() {
  return kSuites;
}
const PeerSuiteNames* peer_suite(std::uint16_t code) {
  return find_code(kSuites, code);
}
const PeerGroupNames* peer_group(std::uint16_t code) {
  return find_code(kGroups, code);
}
const PeerSchemeNames* peer_scheme(std::uint16_t code) {
  return find_code(kSchemes, code);
}

std::string_view openssl_version_flag(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::ssl3:
      return "";
    case ProtocolVersion::tls1_0:
      return "-tls1";
    case ProtocolVersion::tls1_1:
      return "-tls1_1";
    case ProtocolVersion::tls1_2:
      return "-tls1_2";
    case ProtocolVersion::tls1_3:
      return "-tls1_3";
  }
  return "";
}

std::string_view gnutls_version(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::ssl3:
      return "";
    case ProtocolVersion::tls1_0:
      return "VERS-TLS1.0";
    case ProtocolVersion::tls1_1:
      return "VERS-TLS1.1";
    case ProtocolVersion::tls1_2:
      return "VERS-TLS1.2";
    case ProtocolVersion::tls1_3:
      return "VERS-TLS1.3";
  }
  return "";
}

std::string_view jsse_version(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::ssl3:
      return "SSLv3";
    case ProtocolVersion::tls1_0:
      return "TLSv1";
    case ProtocolVersion::tls1_1:
      return "TLSv1.1";
    case ProtocolVersion::tls1_2:
      return "TLSv1.2";
    case ProtocolVersion::tls1_3:
      return "TLSv1.3";
  }
  return "";
}

std::string_view version_label(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::ssl3:
      return "SSL3";
    case ProtocolVersion::tls1_0:
      return "TLS1.0";
    case ProtocolVersion::tls1_1:
      return "TLS1.1";
    case ProtocolVersion::tls1_2:
      return "TLS1.2";
    case ProtocolVersion::tls1_3:
      return "TLS1.3";
  }
  return "?";
}

std::string hex_code(std::uint16_t code) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04X", static_cast<unsigned>(code));
  return buf;
}

std::string suite_label(std::uint16_t code) {
  const PeerSuiteNames* names = peer_suite(code);
  return names != nullptr ? std::string(names->label) : hex_code(code);
}

std::string group_label(std::uint16_t code) {
  if (code == 0) return "none";
  const PeerGroupNames* names = peer_group(code);
  return names != nullptr ? std::string(names->label) : hex_code(code);
}

std::string scheme_label(std::uint16_t code) {
  if (code == 0) return "none";
  const PeerSchemeNames* names = peer_scheme(code);
  return names != nullptr ? std::string(names->label) : hex_code(code);
}

}  // namespace edgefetch::support
