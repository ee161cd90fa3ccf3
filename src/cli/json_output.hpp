#pragma once
// Every --json document goes out through json_text(): indented by two, and
// with bytes that are not UTF-8 (an origin's header value may hold any
// obs-text byte, RFC 9110 5.5) written as U+FFFD. nlohmann's default is to
// throw on them, which would turn a valid response into an internal error.

#include <string>

namespace edgefetch::cli {

template <typename JsonDocument>
std::string json_text(const JsonDocument& document) {
  return document.dump(2, ' ', false, JsonDocument::error_handler_t::replace);
}

}  // namespace edgefetch::cli
