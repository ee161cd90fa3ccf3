#include "check/enumerate_offers.hpp"

#include <algorithm>
#include <string>

#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::check::detail {

using policy::ProtocolVersion;

ProbeOffer offer_for_version(ProtocolVersion version, std::vector<std::uint16_t> suites, ReadDepth depth) {
  ProbeOffer offer;
  offer.cipher_suites = std::move(suites);
  offer.depth = depth;
  offer.groups = candidate_groups();
  if (version == ProtocolVersion::tls1_3) {
    offer.record_version = 0x0301;
    offer.client_version = 0x0303;
    offer.supported_versions = {policy::wire(ProtocolVersion::tls1_3)};
    offer.key_share_groups = {policy::kGroupX25519};
    offer.signature_schemes = candidate_signature_schemes();
    offer.renegotiation_scsv = false;  // meaningless in TLS 1.3
    offer.extended_master_secret = false;
    offer.session_ticket = false;
    return offer;
  }
  offer.record_version = version == ProtocolVersion::ssl3 ? 0x0300 : 0x0301;
  offer.client_version = policy::wire(version);
  // signature_algorithms is a TLS 1.2 extension (RFC 5246 §7.4.1.4.1); the CDN
  // sends it only when TLS 1.2 is offered.
  if (version == ProtocolVersion::tls1_2) offer.signature_schemes = candidate_signature_schemes();
  return offer;
}

void classify_version_probe(const ProbeResult& result, std::span<const std::uint16_t> offered,
                            VersionSupport& support) {
  const std::uint16_t wanted = policy::wire(support.version);
  support.accepted = false;
  support.refusal = Refusal::none;
  switch (result.outcome) {
    case ProbeOutcome::server_hello: {
      const std::uint16_t chosen = result.version.value_or(0);
      if (chosen == wanted) {
        support.accepted = true;
        if (result.cipher_suite && contains(offered, *result.cipher_suite)) {
          support.cipher_suites.push_back(*result.cipher_suite);
        } else {
          support.complete = false;
          support.detail = "the server chose cipher suite " +
                           policy::format_code_point(result.cipher_suite.value_or(0)) +
                           ", which the ClientHello did not offer";
        }
        return;
      }
      if (chosen < wanted) {
        support.refusal = Refusal::lower_version;
        support.answered_version = chosen;
        if (auto v = policy::version_from_wire(chosen)) {
          support.detail = "the server answered with " + std::string(policy::info(*v).name);
        } else {
          support.detail = "the server answered with version " + policy::format_code_point(chosen);
        }
        return;
      }
      support.refusal = Refusal::malformed;
      support.detail =
          "the server chose version " + policy::format_code_point(chosen) + ", above the highest one offered";
      return;
    }
    case ProbeOutcome::alert:
      support.refusal = Refusal::alert;
      support.alert_description = result.alert_description;
      break;
    case ProbeOutcome::closed:
      support.refusal = Refusal::closed;
      break;
    case ProbeOutcome::not_tls:
      support.refusal = Refusal::not_tls;
      break;
    case ProbeOutcome::timeout:
      support.refusal = Refusal::timeout;
      break;
    case ProbeOutcome::connect_failed:
      support.refusal = Refusal::connect_failed;
      break;
    case ProbeOutcome::malformed:
    case ProbeOutcome::local_error:
      support.refusal = Refusal::malformed;
      break;
  }
  support.detail = result.detail;
}

bool is_refusal(const ProbeResult& result) {
  if (result.outcome == ProbeOutcome::alert || result.outcome == ProbeOutcome::closed) return true;
  // Some servers (JSSE) choose a suite first and only then find that nothing
  // offered fits it (no signature scheme, no group): a ServerHello, then a
  // fatal alert instead of the rest of the flight.
  return result.outcome == ProbeOutcome::server_hello && result.alert_level == 2;
}

std::optional<SuiteAuthentication> suite_authentication(std::uint16_t suite) {
  if (auto names = suite_names(suite)) return names->authentication;
  return std::nullopt;
}

bool is_signed_ecdhe(std::uint16_t suite) {
  const auto names = suite_names(suite);
  return names && names->key_exchange == SuiteKeyExchange::ecdhe &&
         (names->authentication == SuiteAuthentication::rsa ||
          names->authentication == SuiteAuthentication::ecdsa);
}

std::vector<std::uint16_t> without(std::span<const std::uint16_t> values,
                                   std::span<const std::uint16_t> remove) {
  std::vector<std::uint16_t> out;
  for (std::uint16_t v : values) {
    if (!contains(remove, v)) out.push_back(v);
  }
  return out;
}

bool contains(std::span<const std::uint16_t> values, std::uint16_t value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace edgefetch::check::detail
