#include "probe_test_servers.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/policy/lookup.hpp"

namespace edgefetch::check::testing {

ProbeTarget loopback_target(std::uint16_t port, std::chrono::milliseconds read_timeout) {
  ProbeTarget target;
  target.host = "origin.test";
  target.port = port;
  target.server_name = "origin.test";
  target.endpoints = {boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port)};
  target.connect_timeout = std::chrono::milliseconds(2000);
  target.read_timeout = read_timeout;
  return target;
}

SupportedSummary enumerate_loopback(std::uint16_t port, EnumerateOptions options,
                                    std::chrono::milliseconds read_timeout) {
  ProbeTarget target = loopback_target(port, read_timeout);
  // Resolution through a --resolve override, as the CLI does for loopback origins.
  target.endpoints.clear();
  net::ResolveOverride pin;
  pin.host = "origin.test";
  pin.port = port;
  pin.addresses = {boost::asio::ip::make_address("127.0.0.1")};
  target.resolve_overrides = {pin};
  auto summary = enumerate_blocking(std::move(target), std::move(options));
  if (!summary) {
    ADD_FAILURE() << "enumeration failed: " << summary.error();
    return {};
  }
  if (std::getenv("EDGEFETCH_PROBE_VERBOSE") != nullptr) std::cerr << describe(*summary);
  return std::move(*summary);
}

std::string describe(const SupportedSummary& summary) {
  std::ostringstream out;
  for (const VersionSupport& v : summary.versions) {
    out << policy::info(v.version).name << ": " << (v.accepted ? "accepted" : "refused");
    if (!v.accepted) out << " (" << refusal_name(v.refusal) << ": " << v.detail << ")";
    out << " server_preference=" << tristate_name(v.server_preference) << (v.complete ? "" : " INCOMPLETE")
        << "\n";
    for (std::uint16_t s : v.cipher_suites) out << "    " << openssl_name_or_code(s) << "\n";
  }
  out << "groups:";
  for (std::uint16_t g : summary.groups) out << " " << group_name_or_code(g);
  out << " (preference " << tristate_name(summary.groups_server_preference) << ")\ntls13 groups:";
  for (std::uint16_t g : summary.tls13_groups) out << " " << group_name_or_code(g);
  out << "\nschemes rsa:";
  for (std::uint16_t s : summary.signature_schemes_rsa) out << " " << signature_scheme_name_or_code(s);
  out << "\nschemes ecdsa:";
  for (std::uint16_t s : summary.signature_schemes_ecdsa) out << " " << signature_scheme_name_or_code(s);
  out << "\nsni changes certificate: " << tristate_name(summary.sni_changes_certificate) << " "
      << summary.without_sni_detail << "\ncertificates: " << summary.certificates.size() << "\necdsa curve: "
      << (summary.ecdsa_certificate_curve ? group_name_or_code(*summary.ecdsa_certificate_curve) : "-")
      << "\nprobes: " << summary.probes << ", " << summary.elapsed_ms << " ms\n";
  for (const std::string& note : summary.notes) out << "note: " << note << "\n";
  return out.str();
}

std::vector<std::uint16_t> suite_codes(const std::vector<std::string>& openssl_names) {
  std::vector<std::uint16_t> out;
  for (const std::string& name : openssl_names) {
    bool found = false;
    for (policy::ProtocolVersion v :
         {policy::ProtocolVersion::tls1_3, policy::ProtocolVersion::tls1_2, policy::ProtocolVersion::ssl3}) {
      for (std::uint16_t code : candidate_suites(v)) {
        if (openssl_name_or_code(code) == name) {
          out.push_back(code);
          found = true;
          break;
        }
      }
      if (found) break;
    }
    if (!found) ADD_FAILURE() << "unknown suite name " << name;
  }
  return out;
}

std::vector<std::uint16_t> suites_of(const SupportedSummary& summary, policy::ProtocolVersion version) {
  const VersionSupport* v = summary.find(version);
  return v != nullptr && v->accepted ? v->cipher_suites : std::vector<std::uint16_t>{};
}

}  // namespace edgefetch::check::testing
