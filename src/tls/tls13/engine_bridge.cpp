#include "tls/tls13/engine_bridge.hpp"

#include <algorithm>
#include <string>

#include "tls/messages/message_error.hpp"
#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::tls13 {
namespace {
std::string version_text(std::uint16_t version) {
  const auto known = policy::version_from_wire(version);
  return known ? std::string(policy::info(*known).name) : "version " + std::to_string(version);
}
}  // namespace

bool offers_tls13(const policy::Offer& offer) {
  return offer.max_version >= policy::ProtocolVersion::tls1_3 &&
         std::any_of(
             offer.cipher_suites.begin(), offer.cipher_suites.end(),
             [](const policy::CipherSuite* s) { return s->valid_in(policy::ProtocolVersion::tls1_3); });
}

std::vector<std::uint16_t> supported_versions_for(const policy::Offer& offer) {
  const auto lowest =
      offer.profile != nullptr ? std::min(offer.profile->min_version, offer.min_version) : offer.min_version;
  std::vector<std::uint16_t> versions;
  for (auto v = policy::wire(offer.max_version); v >= policy::wire(lowest); --v) versions.push_back(v);
  return versions;
}

base::Expected<void, Error> check_answer_below_tls13(
    std::span<const std::uint8_t, messages::kRandomLength> random, std::uint16_t version,
    std::span<const std::uint16_t> extensions) {
  const auto sentinel = downgrade_sentinel(random);
  if (sentinel != DowngradeSentinel::none) {
    return base::unexpected(messages::illegal_parameter(
        std::string("server random carries the TLS 1.3 downgrade sentinel (") +
        (sentinel == DowngradeSentinel::tls12 ? "DOWNGRD 01" : "DOWNGRD 00") +
        ") while choosing a lower version: the server supports TLS 1.3, something in between removed it"));
  }
  for (const std::uint16_t type : extensions) {
    if (type == extension13::kSupportedVersions || type == extension13::kKeyShare) {
      return base::unexpected(messages::illegal_parameter("server chose " + version_text(version) +
                                                          " but sent the TLS 1.3 " +
                                                          messages::extension_name(type) + " extension"));
    }
  }
  return {};
}

}  // namespace edgefetch::tls::tls13
