#include "build_info.hpp"

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <openssl/crypto.h>

#include <cstddef>

namespace edgefetch::cli {

std::string allocator_description() {
  // jemalloc exports mallctl(); glibc has no such symbol. Looked up rather than
  // linked so that the same code runs in builds without jemalloc.
  using Mallctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  if (void* symbol = ::dlsym(RTLD_DEFAULT, "mallctl")) {
    const auto mallctl =
        reinterpret_cast<Mallctl>(symbol);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    const char* version = nullptr;
    std::size_t size = sizeof(version);
    if (mallctl("version", static_cast<void*>(&version), &size, nullptr, 0) == 0 && version != nullptr) {
      // "5.3.0-0-g54eaed1d...": the release, without the git description.
      const std::string full(version);
      return "jemalloc " + full.substr(0, full.find('-'));
    }
    return "jemalloc";
  }
  return std::string("glibc ") + ::gnu_get_libc_version();
}

std::string version_text() {
  return std::string("edgefetch 0.1.0 (OpenSSL ") + OpenSSL_version(OPENSSL_VERSION_STRING) +
         "; malloc: " + allocator_description() + ")";
}

}  // namespace edgefetch::cli
