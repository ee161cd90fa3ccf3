#pragma once
// The error of a crypto-layer operation: libcrypto failed, or the input was
// unusable (wrong length, point not on the curve, bad signature encoding).

#include <string>

namespace edgefetch::crypto {

struct Error {
  std::string message;  // what failed, with libcrypto's reason when there is one
};

}  // namespace edgefetch::crypto
