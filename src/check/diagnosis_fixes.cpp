#include "check/diagnosis_fixes.hpp"

#include <algorithm>

#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::check::fixes {
namespace {

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

bool fits(KeyKind key, policy::Authentication auth) {
  if (auth == policy::Authentication::tls13_any) return true;  // TLS 1.3 suites suit every key
  switch (key) {
    case KeyKind::rsa:
      return auth == policy::Authentication::rsa;
    case KeyKind::ecdsa:
      return auth == policy::Authentication::ecdsa;
    case KeyKind::unknown:
      return true;
  }
  return true;
}

}  // namespace

std::string list_text(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  if (items.size() == 1) return items.front();
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return joined(head, ", ") + " and " + items.back();
}

// One line per server, each starting with two spaces so renderers keep it verbatim.
std::string server_lines(const std::string& nginx, const std::string& apache, const std::string& haproxy) {
  return "\n  nginx:   " + nginx + "\n  Apache:  " + apache + "\n  HAProxy: " + haproxy;
}

std::string cipher_lines(const std::vector<std::string>& openssl_names) {
  const std::string list = joined(openssl_names, ":");
  return server_lines("ssl_ciphers " + list + ";", "SSLCipherSuite " + list,
                      "ssl-default-bind-ciphers " + list);
}

std::string tls13_cipher_lines(const std::vector<std::string>& names) {
  const std::string list = joined(names, ":");
  return server_lines("ssl_conf_command Ciphersuites " + list + ";", "SSLCipherSuite TLSv1.3 " + list,
                      "ssl-default-bind-ciphersuites " + list);
}

std::string protocol_lines(policy::ProtocolVersion floor) {
  std::vector<std::string> nginx;
  std::vector<std::string> apache;
  for (const policy::VersionInfo& v : policy::all_versions()) {
    if (v.version < floor) continue;
    nginx.emplace_back(v.openssl_name);
    apache.push_back("+" + std::string(v.openssl_name));
  }
  return server_lines(
      "ssl_protocols " + joined(nginx, " ") + ";", "SSLProtocol -all " + joined(apache, " "),
      "ssl-default-bind-options ssl-min-ver " + std::string(policy::info(floor).openssl_name));
}

std::string curve_lines(const policy::Offer& offer) {
  std::vector<std::string> names;
  for (const policy::NamedGroup* group : offer.groups) names.emplace_back(group->name);
  const std::string list = joined(names, ":");
  return server_lines("ssl_ecdh_curve " + list + ";", "SSLOpenSSLConfCmd Curves " + list,
                      "ssl-default-bind-curves " + list);
}

std::string sigalg_lines(const policy::Offer& offer, KeyKind key) {
  std::vector<std::string> names;
  for (const policy::SignatureScheme* scheme : offer.signature_schemes) {
    const bool ecdsa = scheme->algorithm == policy::SignatureAlgorithm::ecdsa;
    if (key == KeyKind::rsa && ecdsa) continue;
    if (key == KeyKind::ecdsa && !ecdsa) continue;
    names.emplace_back(scheme->openssl_name);
  }
  const std::string list = joined(names, ":");
  return server_lines("ssl_conf_command SignatureAlgorithms " + list + ";",
                      "SSLOpenSSLConfCmd SignatureAlgorithms " + list, "ssl-default-bind-sigalgs " + list);
}

std::vector<std::string> recommended_suites(const policy::Offer& offer, policy::ProtocolVersion version,
                                            KeyKind key, const std::vector<std::uint16_t>& keep,
                                            std::size_t per_key) {
  std::vector<std::string> out;
  const auto add = [&out](std::string name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  };
  const auto usable = [&](const policy::CipherSuite* suite) {
    return suite->valid_in(version) && !suite->legacy && fits(key, suite->authentication);
  };
  // AEAD suites when the version has them (TLS 1.2), else the CBC ones.
  const bool any_aead =
      std::any_of(offer.cipher_suites.begin(), offer.cipher_suites.end(), [&](const auto* suite) {
        return usable(suite) && policy::info(suite->cipher).kind == policy::CipherKind::aead;
      });
  std::size_t rsa = 0;
  std::size_t ecdsa = 0;
  for (const policy::CipherSuite* suite : offer.cipher_suites) {
    if (!usable(suite)) continue;
    if (any_aead && policy::info(suite->cipher).kind != policy::CipherKind::aead) continue;
    if (suite->authentication != policy::Authentication::tls13_any) {  // 1.3 suites: all of them
      std::size_t& taken = suite->authentication == policy::Authentication::ecdsa ? ecdsa : rsa;
      if (taken >= per_key) continue;
      ++taken;
    }
    add(std::string(suite->openssl_name));
  }
  for (std::uint16_t code : keep) {
    auto names = suite_names(code);
    if (names && !names->openssl_name.empty()) add(std::string(names->openssl_name));
  }
  return out;
}

}  // namespace edgefetch::check::fixes
