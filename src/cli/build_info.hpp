#pragma once
// What `edgefetch --version` reports beyond the version number: the libraries
// the running process actually uses, so a bug report says which ones they were.

#include <string>

namespace edgefetch::cli {

/// "edgefetch 0.1.0 (OpenSSL 3.0.x; malloc: jemalloc 5.3.0-...)".
std::string version_text();

/// The malloc in effect, asked at run time: the executable links jemalloc
/// (cmake/Allocator.cmake), but a build without it, or LD_PRELOAD, changes that.
std::string allocator_description();

}  // namespace edgefetch::cli
