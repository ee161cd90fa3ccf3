#pragma once
// A small command-line reader for the benchmark programs: "--name value" and
// "--flag". Unknown options are reported by the caller's usage().

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::bench {

class Options {
 public:
  /// `flags` take no value; every other "--name" takes the next argument.
  Options(int argc, char** argv, std::set<std::string, std::less<>> flags);

  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] bool flag(std::string_view name) const;
  [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
  [[nodiscard]] std::string value_or(std::string_view name, std::string_view fallback) const;
  /// A non-negative integer option; sets error() if it is not one.
  [[nodiscard]] std::uint64_t number_or(std::string_view name, std::uint64_t fallback);
  /// Names of options given but not in `known` (flags included).
  [[nodiscard]] std::vector<std::string> unknown(const std::set<std::string, std::less<>>& known) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::set<std::string, std::less<>> flags_;
  std::string error_;
};

/// "a,b,c" -> {"a","b","c"}; empty items dropped.
std::vector<std::string> split_list(std::string_view text);

}  // namespace edgefetch::bench
