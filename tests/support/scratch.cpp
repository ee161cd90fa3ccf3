#include "support/scratch.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <system_error>
#include <utility>

namespace edgefetch::support {

std::filesystem::path scratch_root() {
  const char* env = std::getenv("EDGEFETCH_TEST_TMPDIR");
  std::filesystem::path root = (env != nullptr && *env != '\0')
                                   ? std::filesystem::path(env)
                                   : std::filesystem::path(EDGEFETCH_BUILD_DIR) / "test-tmp";
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  return root;
}

ScratchDir ScratchDir::create(std::string_view prefix) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path root = scratch_root();
  for (;;) {
    std::filesystem::path candidate =
        root / (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    // create_directory returns false when it already exists (left over from a
    // process that had our pid before): try the next counter value.
    if (std::filesystem::create_directory(candidate, ec)) return ScratchDir(std::move(candidate));
    if (ec) std::abort();  // the scratch root is unusable: nothing in the harness can work
  }
}

ScratchDir::~ScratchDir() {
  remove();
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

ScratchDir& ScratchDir::operator=(ScratchDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

void ScratchDir::remove() {
  if (path_.empty()) return;
  const char* keep = std::getenv("EDGEFETCH_KEEP_TEST_FILES");
  if (keep == nullptr || *keep == '\0') {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  path_.clear();
}

}  // namespace edgefetch::support
