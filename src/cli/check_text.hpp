#pragma once
// The terminal report of `edgefetch check`: the verdict line first, then the
// reasons with their fixes, what was negotiated, the certificate, what the
// origin supports, what the edge would negotiate under each OriginSslProtocols
// setting, warnings and notes. Aligned tables; colour only when painted.

#include <iosfwd>

#include "edgefetch/check/report.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::check_cmd {

void render_report(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint);

void render_distribution(std::ostream& out, const check::DistributionReport& report,
                         const terminal::Painter& paint);

/// Green compatible, red incompatible, yellow unreachable.
terminal::Style verdict_style(check::Verdict verdict);

using terminal::wrap;

}  // namespace edgefetch::cli::check_cmd
