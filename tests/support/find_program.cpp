#include "support/find_program.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace edgefetch::support {

std::string find_program(const std::string& name) {
  const char* env = std::getenv("PATH");
  const std::string dirs = std::string(env != nullptr ? env : "/usr/bin:/bin") + ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const auto end = std::min(dirs.find(':', start), dirs.size());
    if (end > start) {
      const std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    start = end + 1;
  }
  return {};
}

}  // namespace edgefetch::support
