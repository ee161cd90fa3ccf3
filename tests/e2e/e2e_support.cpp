#include "e2e/e2e_support.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <thread>

#include "cli/cli_support.hpp"
#include "support/tcp.hpp"

namespace edgefetch::e2e {
namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

fs::path origin_script() {
  return fs::path(EDGEFETCH_SOURCE_DIR) / "tests" / "support" / "e2e_origin.py";
}

std::uint16_t port_after(const std::string& text, const std::string& marker) {
  const auto at = text.find(marker);
  if (at == std::string::npos) return 0;
  std::size_t end = at + marker.size();
  std::string digits;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) != 0) digits += text[end++];
  return digits.empty() ? 0 : static_cast<std::uint16_t>(std::stoi(digits));
}

// run_program wants a path: look curl up in PATH once.
std::string curl_path() {
  static const std::string path = [] {
    const char* env = std::getenv("PATH");
    std::string dirs = env != nullptr ? env : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
      const auto end = std::min(dirs.find(':', start), dirs.size());
      const fs::path candidate = fs::path(dirs.substr(start, end - start)) / "curl";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      start = end + 1;
    }
    return std::string("/usr/bin/curl");
  }();
  return path;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::optional<ListeningScript> start_listening_script(std::vector<std::string> argv,
                                                      const std::filesystem::path& dir) {
  support::ProcessOptions process;
  process.argv = std::move(argv);
  process.stdout_path = dir / "stdout";
  process.stderr_path = dir / "stderr";
  auto child = support::ChildProcess::spawn(process);
  if (!child) {
    ADD_FAILURE() << child.error();
    return std::nullopt;
  }
  ListeningScript script{std::move(*child), 0};
  auto printed = support::wait_for_output(script.child, process.stdout_path, "listening ",
                                          support::Deadline::after(10s));
  if (printed) script.port = port_after(*printed, "listening ");
  if (script.port == 0) {
    ADD_FAILURE() << process.argv[1] << " did not start: " << (printed ? *printed : printed.error())
                  << script.child.read_stderr();
    return std::nullopt;
  }
  return script;
}

std::unique_ptr<TestOrigin> TestOrigin::start(Options options) {
  auto origin = std::make_unique<TestOrigin>();
  origin->dir_ = support::ScratchDir::create("e2e-origin");
  std::vector<std::string> argv = {"python3", origin_script().string(), "--port", "0",
                                   "--bind",  options.bind_address};
  origin->bind_address_ = options.bind_address;
  if (options.tls) {
    const auto leaf = support::TestPki::get().leaf(*options.tls);
    argv.insert(argv.end(), {"--tls", leaf.chain.string(), leaf.key.string()});
    origin->tls_ = true;
  }
  if (options.drop_percent > 0)
    argv.insert(argv.end(), {"--drop-percent", std::to_string(options.drop_percent)});
  auto started = start_listening_script(std::move(argv), origin->dir_.path());
  if (!started) return nullptr;
  origin->child_ = std::move(started->child);
  origin->port_ = started->port;
  return origin;
}

json TestOrigin::stats() const {
  // Asked over a direct connection, so the edge's own pools are not involved.
  auto result =
      curl(std::string(tls_ ? "https" : "http") + "://origin.test:" + std::to_string(port_) + "/stats",
           {"--resolve",
            "origin.test:" + std::to_string(port_) + ":" +
                (bind_address_.find(':') == std::string::npos ? bind_address_ : "[" + bind_address_ + "]")});
  if (result.status != 200) {
    ADD_FAILURE() << "origin /stats failed: " << result.err;
    return json::object();
  }
  return result.json();
}

ConfigBuilder& ConfigBuilder::origin(const std::string& id, std::uint16_t http_port, std::uint16_t https_port,
                                     const std::string& policy, json extra, json custom_extra) {
  json custom = {
      {"HTTPPort", http_port},          {"HTTPSPort", https_port},
      {"OriginProtocolPolicy", policy}, {"OriginSslProtocols", {{"Quantity", 1}, {"Items", {"TLSv1.2"}}}},
      {"OriginReadTimeout", 5},         {"OriginKeepaliveTimeout", 5}};
  custom.update(custom_extra);
  json entry = {
      {"Id", id}, {"DomainName", "origin.test"}, {"OriginPath", ""}, {"CustomOriginConfig", custom}};
  entry.update(extra);
  origins_.push_back(entry);
  return *this;
}

json all_methods() {
  return {{"Quantity", 7},
          {"Items", {"GET", "HEAD", "POST", "PUT", "PATCH", "OPTIONS", "DELETE"}},
          {"CachedMethods", {{"Quantity", 2}, {"Items", {"GET", "HEAD"}}}}};
}

ConfigBuilder& ConfigBuilder::behavior(const std::string& pattern, const std::string& origin_id, json extra) {
  json entry = {{"PathPattern", pattern},
                {"TargetOriginId", origin_id},
                {"ViewerProtocolPolicy", "allow-all"},
                {"AllowedMethods", all_methods()}};
  entry.update(extra);
  behaviors_.push_back(entry);
  return *this;
}

ConfigBuilder& ConfigBuilder::default_behavior(const std::string& origin_id, json extra) {
  default_ = {{"TargetOriginId", origin_id},
              {"ViewerProtocolPolicy", "allow-all"},
              {"AllowedMethods", all_methods()}};
  default_.update(extra);
  return *this;
}

ConfigBuilder& ConfigBuilder::origin_group(const std::string& id, const std::string& primary,
                                           const std::string& secondary,
                                           const std::vector<int>& status_codes) {
  groups_.push_back(
      {{"Id", id},
       {"FailoverCriteria", {{"StatusCodes", {{"Quantity", status_codes.size()}, {"Items", status_codes}}}}},
       {"Members", {{"Quantity", 2}, {"Items", {{{"OriginId", primary}}, {{"OriginId", secondary}}}}}}});
  return *this;
}

std::string ConfigBuilder::text() const {
  json config = {{"CallerReference", "e2e"},
                 {"Comment", "edgefetch e2e"},
                 {"Enabled", true},
                 {"Origins", {{"Quantity", origins_.size()}, {"Items", origins_}}},
                 {"DefaultCacheBehavior", default_}};
  if (!behaviors_.empty())
    config["CacheBehaviors"] = {{"Quantity", behaviors_.size()}, {"Items", behaviors_}};
  if (!groups_.empty()) config["OriginGroups"] = {{"Quantity", groups_.size()}, {"Items", groups_}};
  return config.dump(2);
}

std::unique_ptr<Edge> Edge::start(Options options) {
  auto edge = std::make_unique<Edge>();
  edge->dir_ = support::ScratchDir::create("e2e-edge");
  edge->write_config(options.config);
  support::ProcessOptions process;
  process.argv = {EDGEFETCH_BINARY, "serve",       "--config",  edge->config_path().string(),
                  "--listen",       "127.0.0.1:0", "--ca-file", support::TestPki::get().ca_file().string()};
  if (options.tls_listener) {
    const auto leaf = support::TestPki::get().leaf(support::Leaf::rsa2048);
    process.argv.insert(process.argv.end(), {"--listen-tls", "127.0.0.1:0", "--cert", leaf.chain.string(),
                                             "--key", leaf.key.string()});
  }
  if (options.admin) process.argv.insert(process.argv.end(), {"--admin", "127.0.0.1:0"});
  if (!options.access_log.empty()) {
    edge->access_log_ = options.access_log;
    process.argv.insert(process.argv.end(), {"--access-log", (edge->dir_ / options.access_log).string()});
  }
  for (const auto port : options.resolve_ports) {
    process.argv.insert(process.argv.end(),
                        {"--resolve", "origin.test:" + std::to_string(port) + ":127.0.0.1"});
  }
  process.argv.insert(process.argv.end(), options.args.begin(), options.args.end());
  process.environment = options.environment;
  process.stdout_path = edge->dir_ / "stdout";
  process.stderr_path = edge->dir_ / "stderr";
  auto child = support::ChildProcess::spawn(process);
  if (!child) {
    ADD_FAILURE() << child.error();
    return nullptr;
  }
  edge->child_ = std::move(*child);
  const std::string last_marker = options.admin          ? "admin on http://127.0.0.1:"
                                  : options.tls_listener ? "listening on https://127.0.0.1:"
                                                         : "listening on http://127.0.0.1:";
  auto printed =
      support::wait_for_output(edge->child_, process.stdout_path, last_marker, support::Deadline::after(20s));
  if (!printed) {
    ADD_FAILURE() << printed.error();
    return nullptr;
  }
  // The admin line may be printed a moment after the listener lines: wait for its digits and newline.
  auto complete = support::wait_for_output(edge->child_, process.stdout_path,
                                           options.admin ? std::string("admin on") : last_marker,
                                           support::Deadline::after(5s));
  const std::string text = complete ? *complete : *printed;
  edge->port_ = port_after(text, "listening on http://127.0.0.1:");
  edge->tls_port_ = port_after(text, "listening on https://127.0.0.1:");
  edge->admin_port_ = port_after(text, "admin on http://127.0.0.1:");
  return edge;
}

Edge::~Edge() {
  if (child_.running()) {
    ::kill(child_.pid(), SIGTERM);
    if (!child_.wait_exit(support::Deadline::after(10s))) child_.kill();
  }
}

std::string Edge::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}
std::string Edge::tls_url(const std::string& path) const {
  return "https://origin.test:" + std::to_string(tls_port_) + path;
}
fs::path Edge::access_log_path() const {
  return dir_ / access_log_;
}

void Edge::write_config(const std::string& text) const {
  const auto temporary = dir_ / "config.json.new";
  {
    std::ofstream out(temporary);
    out << text;
  }
  fs::rename(temporary, config_path());
}

void Edge::signal(int number) const {
  ::kill(child_.pid(), number);
}

int Edge::wait_exit(std::chrono::milliseconds budget) {
  if (!child_.wait_exit(support::Deadline::after(budget))) return -1;
  const auto status = child_.exit_status();
  return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

bool Edge::wait_stderr(const std::string& marker, std::chrono::milliseconds budget) const {
  const auto deadline = support::Deadline::after(budget);
  while (!deadline.expired()) {
    if (child_.read_stderr().find(marker) != std::string::npos) return true;
    std::this_thread::sleep_for(20ms);
  }
  return child_.read_stderr().find(marker) != std::string::npos;
}

std::string Edge::wait_access_log(const std::string& marker, std::chrono::milliseconds budget) const {
  // The edge writes a request's log line after the response has gone out, so
  // a viewer can see its response before the line exists.
  const auto deadline = support::Deadline::after(budget);
  while (!deadline.expired()) {
    std::string log = support::read_file(access_log_path());
    if (log.find(marker) != std::string::npos) return log;
    std::this_thread::sleep_for(20ms);
  }
  return support::read_file(access_log_path());
}

std::map<std::string, std::string> log_fields(const std::string& log, const std::string& stem) {
  std::vector<std::string> names;
  std::map<std::string, std::string> fields;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#Fields: ", 0) == 0) {
      std::istringstream words(line.substr(9));
      names.assign(std::istream_iterator<std::string>(words), {});
      continue;
    }
    if (line.find("\t" + stem + "\t") == std::string::npos) continue;
    std::istringstream values(line);
    std::size_t i = 0;
    for (std::string value; std::getline(values, value, '\t') && i < names.size(); ++i)
      fields[names[i]] = value;
  }
  return fields;
}

long Edge::vm_hwm_kib() const {
  std::ifstream status("/proc/" + std::to_string(child_.pid()) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::size_t Edge::fd_count() const {
  std::size_t count = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator("/proc/" + std::to_string(child_.pid()) + "/fd", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  return count;
}

std::string HttpResult::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

json HttpResult::json() const {
  auto parsed = json::parse(body, nullptr, false);
  return parsed.is_discarded() ? json::object() : parsed;
}

HttpResult curl(const std::string& url, const std::vector<std::string>& args,
                std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"-s",
                                   "-S",
                                   "-i",
                                   "--max-time",
                                   std::to_string(timeout.count() / 1000),
                                   "--cacert",
                                   support::TestPki::get().ca_file().string()};
  if (url.rfind("https://origin.test:", 0) == 0) {
    const auto port = url.substr(20, url.find('/', 20) - 20);
    argv.insert(argv.end(), {"--resolve", "origin.test:" + port + ":127.0.0.1"});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(url);
  cli_test::RunOptions run;
  run.timeout = timeout + 5s;
  auto ran = cli_test::run_program(curl_path(), argv, run);
  HttpResult result;
  result.exit_code = ran.exit_code;
  result.err = ran.err;
  std::string& out = ran.out;
  // Skip interim (1xx) responses; parse the final head.
  std::size_t pos = 0;
  while (true) {
    const auto end = out.find("\r\n\r\n", pos);
    if (out.compare(pos, 5, "HTTP/") != 0 || end == std::string::npos) return result;
    std::istringstream head(out.substr(pos, end - pos));
    std::string line;
    std::getline(head, line);
    result.status = std::stoi(line.substr(line.find(' ') + 1, 3));
    if (result.status >= 100 && result.status < 200) {
      pos = end + 4;
      continue;
    }
    result.headers.clear();
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      result.headers.emplace(lower(line.substr(0, colon)), value);
    }
    result.body = out.substr(end + 4);
    return result;
  }
}

std::pair<int, std::string> curl_output(const std::vector<std::string>& args,
                                        std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"-s", "-S", "--max-time", std::to_string(timeout.count() / 1000)};
  argv.insert(argv.end(), args.begin(), args.end());
  cli_test::RunOptions run;
  run.timeout = timeout + 5s;
  auto ran = cli_test::run_program(curl_path(), argv, run);
  return {ran.exit_code, ran.out};
}

std::string raw_exchange(std::uint16_t port, const std::string& request, std::chrono::milliseconds budget) {
  const auto deadline = support::Deadline::after(budget);
  auto fd = support::connect_loopback(port, deadline);
  if (!fd) {
    ADD_FAILURE() << fd.error();
    return {};
  }
  if (auto sent = support::send_all(fd->get(), request, deadline); !sent) return {};
  auto received = support::recv_until_eof(fd->get(), deadline);
  return received ? *received : std::string();
}

int first_status(const std::string& response) {
  static const std::regex status_line("^HTTP/1\\.[01] (\\d{3}) ");
  std::smatch match;
  if (!std::regex_search(response, match, status_line)) return 0;
  return std::stoi(match[1].str());
}

std::string echo_header(const json& echo, const std::string& name) {
  if (!echo.contains("headers")) return {};
  for (const auto& pair : echo["headers"]) {
    if (lower(pair[0].get<std::string>()) == lower(name)) return pair[1].get<std::string>();
  }
  return {};
}

std::size_t echo_header_count(const json& echo, const std::string& name) {
  std::size_t count = 0;
  if (!echo.contains("headers")) return 0;
  for (const auto& pair : echo["headers"]) {
    if (lower(pair[0].get<std::string>()) == lower(name)) ++count;
  }
  return count;
}

}  // namespace edgefetch::e2e
