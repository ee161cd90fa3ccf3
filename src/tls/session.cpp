#include "edgefetch/tls/session.hpp"

namespace edgefetch::tls {

namespace {
// RFC 5246 leaves session-id lifetime to the server and suggests at most 24
// hours; a ticket without a lifetime hint gets the same bound.
constexpr std::time_t kDefaultSessionLifetime = std::time_t{24} * 60 * 60;
}  // namespace

bool Session::expired(std::time_t now) const {
  const std::time_t lifetime =
      state_.ticket_lifetime_hint_s != 0 ? static_cast<std::time_t>(state_.ticket_lifetime_hint_s)
                                         : kDefaultSessionLifetime;
  return now < state_.established_at || now - state_.established_at >= lifetime;
}

}  // namespace edgefetch::tls
