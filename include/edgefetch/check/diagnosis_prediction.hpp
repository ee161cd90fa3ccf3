#pragma once
// What the edge would negotiate with an origin, worked out from what
// enumeration found the origin accepts (SupportedSummary) and the edge's
// offer, without connecting again. Used for "what would work under each
// OriginSslProtocols setting" and to tell which of the several things a
// handshake_failure can mean applies (suite, group, signature scheme).
//
// The model is the one servers follow: the origin picks the highest version
// it accepts up to the edge's maximum (the edge then refuses it when it is
// below the OriginSslProtocols floor); then, among the suites both accept, the
// first in its own order (server preference) or the edge's; an ECDHE suite
// only with a curve both accept, an ECDSA suite only when the certificate's
// curve is among the edge's groups, and in TLS 1.2 only with a signature
// scheme both accept.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edgefetch/check/reason.hpp"
#include "edgefetch/check/supported.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::check {

struct PredictedNegotiation {
  bool compatible = false;
  /// Why not, when not compatible (several when e.g. every shared ECDHE suite
  /// lacks a group and every RSA one a signature scheme). Empty together with
  /// compatible == false: the summary does not say (nothing could be probed).
  std::vector<ReasonCode> failures;
  std::string detail;  // one line: what decided it

  /// The version the origin picks (also when it is below the edge's floor).
  std::optional<policy::ProtocolVersion> version;
  std::optional<std::uint16_t> cipher_suite;
  std::optional<std::uint16_t> group;             // ECDHE suites
  std::optional<std::uint16_t> signature_scheme;  // TLS 1.2 ECDHE suites
  /// False when the choice is one of several possible ones (the origin's
  /// preference is unknown) or the enumeration was incomplete.
  bool certain = true;

  [[nodiscard]] bool fails_with(ReasonCode code) const;
};

/// Server behaviours the model can assume beyond the common one.
struct PredictionRules {
  /// TLS 1.2: the origin uses its certificate only with a signature scheme for
  /// its key that both accept, even for RSA key exchange, which signs nothing.
  /// OpenSSL does this when the client sends signature_algorithms; other
  /// stacks do not, so it is assumed only when the edge's handshake was
  /// refused although the common model predicts success.
  bool certificate_needs_shared_scheme = false;
};

PredictedNegotiation predict_negotiation(const SupportedSummary& summary, const policy::Offer& offer,
                                         PredictionRules rules = {});

/// One row of "what the edge would negotiate under each OriginSslProtocols setting".
struct SettingPrediction {
  policy::ProtocolVersion floor = policy::ProtocolVersion::tls1_2;  // SSLv3, TLSv1, TLSv1.1 or TLSv1.2
  bool selected = false;                                            // the floor of the setting being checked
  PredictedNegotiation prediction;
};

/// The four OriginSslProtocols floors (SSLv3, TLSv1, TLSv1.1, TLSv1.2), lowest first.
std::vector<SettingPrediction> predict_each_setting(const SupportedSummary& summary,
                                                    const policy::Profile& profile,
                                                    policy::ProtocolVersion selected_floor);

/// The highest floor under which the edge would connect (the safest setting
/// that works), or nullopt when none would.
std::optional<policy::ProtocolVersion> best_working_floor(const std::vector<SettingPrediction>& rows);

}  // namespace edgefetch::check
