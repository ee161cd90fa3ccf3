#pragma once
// Alert protocol messages (RFC 5246 §7.2): two bytes, level and description.

#include <array>
#include <cstdint>
#include <span>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

enum class AlertLevel : std::uint8_t { warning = 1, fatal = 2 };

struct Alert {
  AlertLevel level = AlertLevel::fatal;
  std::uint8_t description = 0;
};

/// Exactly one alert (2 bytes); a level other than warning/fatal is illegal.
base::Expected<Alert, Error> decode_alert(std::span<const std::uint8_t> fragment);

std::array<std::uint8_t, 2> encode_alert(Alert alert);

}  // namespace edgefetch::tls::messages
