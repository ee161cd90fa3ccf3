#pragma once
// Field paths in the spelling of the input, so that a problem points at the
// exact place the user has to edit: the API wraps lists as {Quantity, Items}
// and spells OriginSslProtocols and CustomHeaders; CloudFormation uses plain
// lists, OriginSSLProtocols, OriginCustomHeaders and a sibling CachedMethods.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

inline std::string index(std::size_t i) {
  return "[" + std::to_string(i) + "]";
}

class Paths {
 public:
  Paths(Spelling spelling, std::string root) : spelling_(spelling), root_(std::move(root)) {}

  [[nodiscard]] Spelling spelling() const { return spelling_; }
  [[nodiscard]] const std::string& root() const { return root_; }
  [[nodiscard]] bool api() const { return spelling_ == Spelling::api; }

  [[nodiscard]] std::string origins() const { return root_ + ".Origins"; }
  [[nodiscard]] std::string origin(std::size_t i) const { return list_item(origins(), i); }
  [[nodiscard]] std::string custom_headers(std::size_t o) const {
    return origin(o) + (api() ? ".CustomHeaders" : ".OriginCustomHeaders");
  }
  [[nodiscard]] std::string custom_header(std::size_t o, std::size_t h) const {
    return list_item(custom_headers(o), h);
  }
  [[nodiscard]] std::string custom_origin(std::size_t o) const { return origin(o) + ".CustomOriginConfig"; }
  [[nodiscard]] std::string ssl_protocols(std::size_t o) const {
    return custom_origin(o) + (api() ? ".OriginSslProtocols" : ".OriginSSLProtocols");
  }
  /// The default behavior when `i` is empty, else CacheBehaviors[i].
  [[nodiscard]] std::string behavior(std::optional<std::size_t> i) const {
    if (!i) return root_ + ".DefaultCacheBehavior";
    return list_item(root_ + ".CacheBehaviors", *i);
  }
  [[nodiscard]] std::string allowed_methods(const std::string& behavior_path) const {
    return behavior_path + ".AllowedMethods";
  }
  [[nodiscard]] std::string cached_methods(const std::string& behavior_path) const {
    return api() ? behavior_path + ".AllowedMethods.CachedMethods" : behavior_path + ".CachedMethods";
  }
  [[nodiscard]] std::string forwarded_headers(const std::string& behavior_path) const {
    return behavior_path + ".ForwardedValues.Headers";
  }

  /// "X.Items[i]" (API) or "X[i]" (CloudFormation).
  [[nodiscard]] std::string list_item(const std::string& list, std::size_t i) const {
    return api() ? list + ".Items" + index(i) : list + index(i);
  }

 private:
  Spelling spelling_;
  std::string root_;
};

}  // namespace edgefetch::config::detail
