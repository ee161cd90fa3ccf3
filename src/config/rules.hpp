#pragma once
// The CDN's rules for single values, shared by the reader (on raw input
// values, some of which do not fit the model's types) and validate() (on the
// model). Each returns the message for a broken rule, or nothing.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/paths.hpp"
#include "edgefetch/config/distribution.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// `text` quoted for a message: control and non-ASCII bytes escaped, long
/// values cut, so that hostile input cannot garble a terminal.
std::string quote(std::string_view text);

std::optional<std::string> port_problem(long long port);
/// "N is out of range; use LO-HI" (+ " seconds" when `seconds`).
std::optional<std::string> range_problem(long long value, int lowest, int highest, bool seconds);
std::optional<std::string> domain_name_problem(std::string_view name);
std::optional<std::string> origin_path_problem(std::string_view path);
std::optional<std::string> header_name_problem(std::string_view name);
std::optional<std::string> header_value_problem(std::string_view value);
/// For one method name in AllowedMethods/CachedMethods.
std::optional<std::string> method_problem(std::string_view method);
std::optional<std::string> allowed_methods_problem(const std::vector<std::string>& methods);
std::optional<std::string> cached_methods_problem(const std::vector<std::string>& cached,
                                                  const std::vector<std::string>& allowed);

/// The messages for enum values, listing what is allowed.
std::string origin_protocol_policy_problem(std::string_view given);
std::string viewer_protocol_policy_problem(std::string_view given);
std::string ip_address_type_problem(std::string_view given);
std::string ssl_protocol_problem(std::string_view given);

/// Every rule over the whole model (the body of validate()).
void validate_into(const DistributionConfig& config, const Paths& paths, std::vector<Problem>& problems);

}  // namespace edgefetch::config::detail
