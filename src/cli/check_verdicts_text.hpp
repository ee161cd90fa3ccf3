#pragma once
// The "verdict under each profile" block of `edgefetch check`: one aligned row
// per profile judged (the primary first, the one the exit code follows, then
// the comparison, by default the CDN's 2025 policy) with what was negotiated or
// why not, and the sentence that says plainly when one connects and the other
// does not. Printed near the top of the report, and per origin for a
// distribution.

#include <iosfwd>
#include <string>

#include "edgefetch/check/report.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::check_cmd {

/// Nothing when the report has no comparison (a single profile was judged).
void render_verdicts(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint);

/// The comparison's verdict in a few words for the distribution table:
/// "compatible TLSv1.3", "incompatible", "not tried"; "-" without a comparison.
std::string comparison_cell(const check::CheckReport& report);

}  // namespace edgefetch::cli::check_cmd
