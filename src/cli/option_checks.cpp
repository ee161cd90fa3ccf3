#include "option_checks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "edgefetch/policy/profile.hpp"
#include "terminal.hpp"

namespace edgefetch::cli {

CLI::Validator whole_number_in(int lowest, int highest) {
  const std::string range = std::to_string(lowest) + " to " + std::to_string(highest);
  return {[lowest, highest, range](std::string& text) -> std::string {
            const char* first = text.data();
            const char* last = text.data() + text.size();
            if (first != last && *first == '+') {
              ++first;
            }
            int value = 0;
            const auto [end, error] = std::from_chars(first, last, value);
            const bool whole = first != last && end == last &&
                               (error == std::errc{} || error == std::errc::result_out_of_range);
            if (!whole) {
              return "'" + text + "' is not a whole number; give one from " + range;
            }
            if (error == std::errc::result_out_of_range || value < lowest || value > highest) {
              return text + " is out of range; give a whole number from " + range;
            }
            return {};
          },
          "INT in [" + std::to_string(lowest) + " - " + std::to_string(highest) + "]"};
}

CLI::Validator not_empty(const std::string& what_to_give) {
  return {[what_to_give](std::string& text) -> std::string {
            if (!text.empty()) return {};
            return "an empty value is not allowed; give " + what_to_give + ", or leave the option out";
          },
          ""};
}

namespace {

std::string known_profile_names() {
  std::vector<std::string> names;
  for (const policy::Profile& p : policy::all_profiles()) {
    std::string name(p.name);
    if (!p.aliases.empty()) {
      std::vector<std::string> aliases(p.aliases.begin(), p.aliases.end());
      name += (aliases.size() == 1 ? " (alias " : " (aliases ") + terminal::join(aliases, ", ") + ")";
    }
    names.push_back(std::move(name));
  }
  return terminal::join(names, ", ");
}

}  // namespace

std::string unknown_profile_message(const std::string& name) {
  return "unknown profile '" + name + "'; known profiles: " + known_profile_names() +
         " (see 'edgefetch ciphers profiles')";
}

std::optional<std::string> trailing_dot_problem(std::string_view host) {
  if (!host.ends_with('.') || host.size() < 2) return std::nullopt;
  const std::string name(host.substr(0, host.size() - 1));
  return "'" + std::string(host) + "' ends with a dot: give the origin's name without it (" + name +
         "), as the CDN's origin domain names are written; the name is sent as SNI, which has no trailing "
         "dot (RFC 6066 3), and the certificate is checked for it";
}

std::optional<std::string> unreadable_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return std::string("it is a directory");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::string(std::strerror(errno));
  (void)::close(fd);
  return std::nullopt;
}

std::optional<std::string> unwritable_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::string("it is a directory");
  if (fs::exists(path, ec)) {
    if (::access(path.c_str(), W_OK) != 0) return std::string(std::strerror(errno));
    return std::nullopt;
  }
  const fs::path parent = fs::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  if (!fs::is_directory(dir, ec)) return "its directory " + dir + " does not exist";
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return "its directory " + dir + ": " + std::strerror(errno);
  return std::nullopt;
}

}  // namespace edgefetch::cli
