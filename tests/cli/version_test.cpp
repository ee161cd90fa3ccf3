// `edgefetch --version`: the version, and the OpenSSL and malloc the process
// runs on. The allocator line also proves that the link of cmake/Allocator.cmake
// took effect: the linker drops a library nothing names unless told not to.

#include <gtest/gtest.h>
#include <openssl/opensslv.h>

#include <string>

#include "cli/cli_support.hpp"

namespace edgefetch::cli_test {
namespace {

TEST(VersionFlag, NamesVersionOpenSslAndTheAllocatorTheBuildLinked) {
  const RunResult result = run_expecting({"--version"}, 0);
  EXPECT_TRUE(contains(result.out, "edgefetch 0.1.0")) << result.out;
  EXPECT_TRUE(contains(result.out, std::string("OpenSSL ") + OPENSSL_VERSION_STR)) << result.out;
  const std::string expected = EDGEFETCH_EXPECTED_MALLOC;  // cmake/Allocator.cmake's choice
  if (expected == "jemalloc") {
    EXPECT_TRUE(contains(result.out, "malloc: jemalloc 5.")) << result.out;
  } else {
    EXPECT_TRUE(contains(result.out, "malloc: glibc 2.")) << result.out;
  }
}

TEST(VersionFlag, ReportsTheAllocatorInEffectNotTheOneLinked) {
  // Preloading glibc's own libc changes nothing; preloading jemalloc into a
  // build without it must show up, since the answer is asked at run time.
  const std::string preload = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
  RunOptions options;
  options.set_environment = {{"LD_PRELOAD", preload}};
  const RunResult result = run_edgefetch({"--version"}, options);
  if (result.exit_code != 0 || contains(result.err, "cannot be preloaded")) {
    // libjemalloc2 missing, or a sanitizer runtime that must come first.
    GTEST_SKIP() << "cannot preload " << preload << ": " << result.err;
  }
  EXPECT_TRUE(contains(result.out, "malloc: jemalloc 5.")) << result.out;
}

}  // namespace
}  // namespace edgefetch::cli_test
