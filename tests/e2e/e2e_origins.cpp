#include "e2e/e2e_origins.hpp"

#include <cstdlib>
#include <memory>

#include "support/tcp.hpp"

namespace edgefetch::e2e {
namespace {

TestOrigin& keep(std::unique_ptr<TestOrigin> origin) {
  if (!origin) std::abort();  // the failure was reported by start()
  static std::vector<std::unique_ptr<TestOrigin>> all;
  all.push_back(std::move(origin));
  return *all.back();
}

}  // namespace

TestOrigin& SharedOrigins::plain() {
  static TestOrigin& origin = keep(TestOrigin::start({}));
  return origin;
}
TestOrigin& SharedOrigins::tls() {
  static TestOrigin& origin = keep(TestOrigin::start({support::Leaf::rsa2048, 0}));
  return origin;
}
TestOrigin& SharedOrigins::wrong_name() {
  static TestOrigin& origin = keep(TestOrigin::start({support::Leaf::wrong_name, 0}));
  return origin;
}
TestOrigin& SharedOrigins::untrusted() {
  static TestOrigin& origin = keep(TestOrigin::start({support::Leaf::self_signed, 0}));
  return origin;
}
TestOrigin& SharedOrigins::flaky() {
  static TestOrigin& origin = keep(TestOrigin::start({std::nullopt, 30}));
  return origin;
}

std::uint16_t closed_port() {
  return support::pick_free_port();
}

}  // namespace edgefetch::e2e
