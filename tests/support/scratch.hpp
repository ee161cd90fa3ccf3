#pragma once
// Directories for the files tests write (server logs, key stores). Everything
// lives under scratch_root(); a ScratchDir removes itself unless
// EDGEFETCH_KEEP_TEST_FILES is set (for looking at a failed run's logs).

#include <filesystem>
#include <string_view>

namespace edgefetch::support {

/// $EDGEFETCH_TEST_TMPDIR if set, else <build dir>/test-tmp. Created on demand.
std::filesystem::path scratch_root();

class ScratchDir {
 public:
  /// A new, empty directory named after `prefix`, this process and a counter.
  static ScratchDir create(std::string_view prefix);

  ScratchDir() = default;
  ~ScratchDir();
  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir& operator=(ScratchDir&& other) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
  void remove();
  std::filesystem::path path_;
};

}  // namespace edgefetch::support
