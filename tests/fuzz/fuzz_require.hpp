#pragma once
// The harnesses' check of an invariant: a violation is a crash libFuzzer
// reports and saves the input of.

namespace edgefetch::fuzz {

inline void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace edgefetch::fuzz
