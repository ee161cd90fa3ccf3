#pragma once
// The verdict under a second client profile, side by side with the first. By
// default `edgefetch check` judges an origin under the documented policy (the
// profile the exit code follows) and under the CDN's 2025 policy
// (CloudFront-Upstream-2025: TLS 1.3 first, the TLS 1.2 suites reordered,
// RSA-PSS), because since late 2025 the edge connects with the latter where the
// origin supports it: an origin that speaks only TLS 1.3 fails the first and
// passes the second, and the report says so in one sentence.
//
// The second verdict is one more full handshake with that profile's exact
// ClientHello and the same OriginSslProtocols narrowing, connection timeout,
// attempts, name and trust; enumeration is shared (it already covers SSLv3 to
// TLS 1.3).

#include <string>
#include <vector>

#include "edgefetch/check/reason.hpp"
#include "edgefetch/check/verdict.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/client.hpp"

namespace edgefetch::check {

struct ComparedVerdict {
  const policy::Profile* profile = nullptr;  // never null once filled
  /// Its own handshake; empty (no attempts) when it was not tried.
  VerdictHandshake handshake;
  Verdict verdict = Verdict::unreachable;
  std::vector<Reason> reasons;  // empty exactly when compatible
  /// Why no handshake was made under this profile (the origin could not be
  /// reached under the first: the network does not depend on the profile).
  /// Empty when it was tried.
  std::string not_tried;
  /// One plain sentence when the two verdicts tell different stories (one
  /// profile connects, the other does not); empty when they agree.
  std::string summary;

  [[nodiscard]] bool tried() const { return not_tried.empty(); }
};

/// The profile compared with by default: CloudFront-Upstream-2025 (alias cloudfront-2025).
const policy::Profile& default_comparison_profile();

/// How a sentence names a profile: "the documented policy (cloudfront)" for the
/// default profile, "today's edge (CloudFront-Upstream-2025)" for the 2025
/// policies, "profile NAME" for the others.
std::string profile_label(const policy::Profile& profile);

/// One side of the comparison, as comparison_sentence() reads it.
struct VerdictSide {
  const policy::Profile* profile = nullptr;
  Verdict verdict = Verdict::unreachable;
  const std::vector<Reason>* reasons = nullptr;  // may be null (no reasons)
  const tls::Negotiated* negotiated = nullptr;   // read only when compatible; may be null
};

/// When exactly one side is compatible: "Today's edge (CloudFront-Upstream-2025)
/// can connect with TLSv1.3 (TLS_AES_128_GCM_SHA256); the documented policy
/// (cloudfront) cannot: the origin speaks only TLSv1.3, and that policy offers
/// at most TLSv1.2 (tls13_only)." Empty otherwise: equal verdicts, or both
/// failing (no extra noise). A pure function.
std::string comparison_sentence(const VerdictSide& first, const VerdictSide& second);

}  // namespace edgefetch::check
