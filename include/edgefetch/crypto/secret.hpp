#pragma once
// Byte buffers for key material: memory is wiped (OPENSSL_cleanse) before it
// is returned to the allocator, including on reallocation, so secrets do not
// linger in freed heap blocks.

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace edgefetch::crypto {

/// Wipes `n` bytes at `p` in a way the compiler may not elide.
void secure_wipe(void* p, std::size_t n) noexcept;

template <class T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() = default;
  template <class U>
  WipingAllocator(const WipingAllocator<U>& /*other*/) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept {
    secure_wipe(p, n * sizeof(T));
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const WipingAllocator<U>& /*other*/) const noexcept {
    return true;
  }
};

/// A secret: master secret, key block, keys, premaster secret, ECDH output.
using SecretBytes = std::vector<std::uint8_t, WipingAllocator<std::uint8_t>>;

}  // namespace edgefetch::crypto
