#pragma once
// Whether a program the tests start is installed (for skipping with a clear
// message where a package is missing).

#include <string>

namespace edgefetch::support {

/// The full path of `name` found in $PATH (plus /usr/sbin and /sbin, where Debian
/// puts nginx), or "" when it is not there.
std::string find_program(const std::string& name);

}  // namespace edgefetch::support
