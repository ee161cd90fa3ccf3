#include "support/negotiated_summary.hpp"

#include "support/peer_names.hpp"

namespace edgefetch::support {

std::string NegotiatedSummary::describe() const {
  std::string out = version ? std::string(version_label(*version)) : std::string("no-version");
  out += " " + (suite != 0 ? suite_label(suite) : std::string("no-suite"));
  out += " " + group_label(group);
  out += " " + scheme_label(scheme);
  return out;
}

}  // namespace edgefetch::support
