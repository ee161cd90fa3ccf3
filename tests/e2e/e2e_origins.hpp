#pragma once
// Origins shared by the tests of one e2e_tests process (started on first use,
// stopped at exit), so the suite does not pay for a new origin per test.

#include <cstdint>

#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {

struct SharedOrigins {
  static TestOrigin& plain();       // HTTP
  static TestOrigin& tls();         // HTTPS, certificate for origin.test and *.wild.test
  static TestOrigin& wrong_name();  // HTTPS, certificate for other.test only
  static TestOrigin& untrusted();   // HTTPS, self-signed certificate
  static TestOrigin& flaky();       // HTTP, /flaky drops 30% of connections
};

/// A port where nothing listens (bound and closed a moment ago).
std::uint16_t closed_port();

}  // namespace edgefetch::e2e
