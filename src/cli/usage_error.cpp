#include "usage_error.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "json_output.hpp"

namespace edgefetch::cli {

int report_usage_error(std::string_view message, bool json, int exit_code, std::string_view hint) {
  std::cerr << "edgefetch: " << message << "\n";
  if (!hint.empty()) std::cerr << hint << "\n";
  if (json) {
    const nlohmann::ordered_json document = {
        {"error",
         {{"code", exit_code == kExitUsage ? "usage_error" : "internal_error"},
          {"message", std::string(message)}}}};
    std::cout << json_text(document) << "\n";
  }
  return exit_code;
}

bool json_requested(const std::vector<std::string>& args) {
  const auto end = std::find(args.begin(), args.end(), "--");
  return std::find(args.begin(), end, "--json") != end;
}

}  // namespace edgefetch::cli
