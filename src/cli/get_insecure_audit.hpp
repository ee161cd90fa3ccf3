#pragma once
// With --insecure the fetch does not verify the origin's certificate, but the
// edge always does: a fetch that works may still be a 502 at the edge. So get
// audits the chain it received anyway (check's audit, as the edge would judge
// it) and says what verification would have refused, or that it would pass.

#include <ctime>
#include <optional>
#include <string>

#include "edgefetch/origin/fetch.hpp"

namespace edgefetch::cli::get {

/// One line for a fetch made with --insecure over TLS: the certificate
/// problems the edge would refuse (reason codes and what each is), or that it
/// would accept the chain. `ca_file`: the trust store the edge is emulated
/// with (empty: the system's). nullopt when no certificate was received.
std::optional<std::string> insecure_audit(const origin::FetchResult& result, const std::string& ca_file,
                                          std::time_t now);

}  // namespace edgefetch::cli::get
