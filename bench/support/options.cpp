#include "support/options.hpp"

#include <charconv>

namespace edgefetch::bench {

Options::Options(int argc, char** argv, std::set<std::string, std::less<>> flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg.substr(0, 2) != "--") {
      error_ = "unexpected argument " + std::string(arg);
      return;
    }
    const std::string name(arg.substr(2));
    if (flags.contains(name)) {
      flags_.insert(name);
    } else if (i + 1 < argc) {
      values_[name] = argv[++i];
    } else {
      error_ = "--" + name + " needs a value";
      return;
    }
  }
}

bool Options::flag(std::string_view name) const {
  return flags_.contains(name);
}

std::optional<std::string> Options::value(std::string_view name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  return std::nullopt;
}

std::string Options::value_or(std::string_view name, std::string_view fallback) const {
  return value(name).value_or(std::string(fallback));
}

std::uint64_t Options::number_or(std::string_view name, std::uint64_t fallback) {
  const auto text = value(name);
  if (!text) return fallback;
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
  if (ec != std::errc() || end != text->data() + text->size()) {
    error_ = "--" + std::string(name) + " wants a non-negative integer, got " + *text;
    return fallback;
  }
  return out;
}

std::vector<std::string> Options::unknown(const std::set<std::string, std::less<>>& known) const {
  std::vector<std::string> out;
  for (const auto& [name, value] : values_) {
    if (!known.contains(name)) out.push_back(name);
  }
  for (const auto& name : flags_) {
    if (!known.contains(name)) out.push_back(name);
  }
  return out;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace edgefetch::bench
