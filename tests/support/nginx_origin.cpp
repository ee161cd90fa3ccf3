#include "support/nginx_origin.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/find_program.hpp"
#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

bool taken(const std::map<std::string, std::uint16_t>& ports, std::uint16_t port) {
  return std::any_of(ports.begin(), ports.end(), [port](const auto& entry) { return entry.second == port; });
}

// The fields of NginxLogLine, tab-separated (nginx escapes control characters
// inside values, so a tab only ever separates).
constexpr std::string_view kLogFormat =
    "$scheme\\t$server_port\\t$connection\\t$connection_requests\\t$ssl_session_reused\\t$ssl_protocol\\t$"
    "ssl_cipher\\t"
    "$ssl_curve\\t$ssl_server_name\\t$server_name\\t$http_host\\t$http_via\\t$http_x_forwarded_for\\t"
    "$http_user_agent\\t$http_x_amz_cf_id\\t$http_x_origin_secret\\t$request_method\\t$request_uri\\t"
    "$status\\t$request_length\\t$body_bytes_sent";

std::string leaf_file(std::string_view leaf_name, bool key) {
  for (const Leaf leaf : all_leaves()) {
    if (name(leaf) == leaf_name) {
      const LeafFiles files = TestPki::get().leaf(leaf);
      return (key ? files.key : files.chain).string();
    }
  }
  return {};
}

// Replaces the @...@ placeholders of NginxOriginOptions::servers.
base::Expected<std::string, std::string> expand(const std::string& text, const ScratchDir& dir,
                                                const std::map<std::string, std::uint16_t>& ports) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto open = text.find('@', pos);
    if (open == std::string::npos) break;
    const auto close = text.find('@', open + 1);
    if (close == std::string::npos)
      return base::unexpected("unterminated placeholder in: " + text.substr(open));
    out.append(text, pos, open - pos);
    const std::string token = text.substr(open + 1, close - open - 1);
    std::string value;
    if (token == "www") {
      value = (dir / "www").string();
    } else if (token.starts_with("port:")) {
      const auto it = ports.find(token.substr(5));
      if (it != ports.end()) value = std::to_string(it->second);
    } else if (token.starts_with("cert:")) {
      value = leaf_file(token.substr(5), false);
    } else if (token.starts_with("key:")) {
      value = leaf_file(token.substr(4), true);
    }
    if (value.empty()) return base::unexpected("unknown placeholder @" + token + "@");
    out += value;
    pos = close + 1;
  }
  out.append(text, pos);
  return out;
}

std::string configuration(const ScratchDir& dir, const std::string& servers) {
  const std::string d = dir.path().string();
  std::ostringstream conf;
  conf << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
       << "pid " << d << "/nginx.pid;\n"
       << "error_log " << d << "/error.log info;\n"
       << "events { worker_connections 1024; }\n"
       << "http {\n"
       << "  default_type application/octet-stream;\n"
       << "  log_format e2e \"" << kLogFormat << "\";\n"
       << "  access_log " << d << "/access.log e2e;\n"
       << "  client_body_temp_path " << d << "/tmp/body;\n"
       << "  proxy_temp_path " << d << "/tmp/proxy;\n"
       << "  fastcgi_temp_path " << d << "/tmp/fastcgi;\n"
       << "  uwsgi_temp_path " << d << "/tmp/uwsgi;\n"
       << "  scgi_temp_path " << d << "/tmp/scgi;\n"
       << "  client_max_body_size 64m;\n"
       << "  keepalive_timeout 75s;\n"
       << "  keepalive_requests 10000;\n"
       << servers << "\n}\n";
  return conf.str();
}

bool address_in_use(const std::string& text) {
  return text.find("Address already in use") != std::string::npos;
}

long to_long(const std::string& text) {
  try {
    return std::stol(text);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

base::Expected<NginxOrigin, std::string> NginxOrigin::start(const NginxOriginOptions& options) {
  std::string last_error = "no attempt made";
  for (int attempt = 0; attempt < 5; ++attempt) {
    ScratchDir dir = ScratchDir::create("nginx");
    std::error_code ec;
    std::filesystem::create_directories(dir / "www", ec);
    std::filesystem::create_directories(dir / "tmp", ec);
    if (ec) return base::unexpected("cannot create " + dir.path().string() + ": " + ec.message());
    std::map<std::string, std::uint16_t> ports;
    for (const auto& name : options.ports) {
      // Each pick releases its port before the next, which may hand it out
      // again: two server blocks on one port would serve each other's names.
      std::uint16_t port = 0;
      for (int pick = 0; pick < 10 && (port == 0 || taken(ports, port)); ++pick) port = pick_free_port();
      if (port == 0 || taken(ports, port)) return base::unexpected(std::string("no free loopback port"));
      ports[name] = port;
    }
    auto servers = expand(options.servers, dir, ports);
    if (!servers) return base::unexpected(servers.error());
    {
      std::ofstream out(dir / "nginx.conf");
      out << configuration(dir, *servers);
      if (!out) return base::unexpected("cannot write " + (dir / "nginx.conf").string());
    }
    ProcessOptions process;
    // Debian installs nginx in /usr/sbin, which a test's PATH may lack.
    const std::string nginx = find_program("nginx");
    process.argv = {nginx.empty() ? std::string("nginx") : nginx,
                    "-p",
                    dir.path().string(),
                    "-e",
                    (dir / "error.log").string(),
                    "-c",
                    (dir / "nginx.conf").string()};
    process.stdout_path = dir / "stdout.log";
    process.stderr_path = dir / "stderr.log";
    auto child = ChildProcess::spawn(std::move(process));
    if (!child) return base::unexpected(child.error());
    // nginx retries a taken port for 2.5 s before giving up: allow for that.
    const auto deadline = Deadline::after(std::chrono::seconds(15));
    bool listening = true;
    for (const auto& [name, port] : ports) {
      auto ready = wait_until_listening(*child, port, deadline);
      if (!ready) {
        last_error = ready.error() + "\n--- error.log ---\n" + read_file(dir / "error.log");
        listening = false;
        break;
      }
    }
    if (listening) return NginxOrigin(std::move(dir), std::move(*child), std::move(ports));
    child->kill();
    if (!address_in_use(last_error)) return base::unexpected(last_error);
  }
  return base::unexpected("gave up after 5 port collisions; last: " + last_error);
}

std::uint16_t NginxOrigin::port(const std::string& name) const {
  const auto it = ports_.find(name);
  return it == ports_.end() ? 0 : it->second;
}

NginxLogLine parse_nginx_log_line(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t pos = 0;
  while (true) {
    const auto tab = line.find('\t', pos);
    fields.push_back(line.substr(pos, tab == std::string::npos ? std::string::npos : tab - pos));
    if (tab == std::string::npos) break;
    pos = tab + 1;
  }
  NginxLogLine entry;
  if (fields.size() != 21) return entry;
  entry.scheme = fields[0];
  entry.server_port = static_cast<int>(to_long(fields[1]));
  fields.erase(fields.begin(), fields.begin() + 2);
  entry.connection = to_long(fields[0]);
  entry.connection_requests = to_long(fields[1]);
  entry.session_reused = fields[2];
  entry.protocol = fields[3];
  entry.cipher = fields[4];
  entry.curve = fields[5];
  entry.sni = fields[6];
  entry.server_name = fields[7];
  entry.host = fields[8];
  entry.via = fields[9];
  entry.forwarded_for = fields[10];
  entry.user_agent = fields[11];
  entry.cf_id = fields[12];
  entry.origin_secret = fields[13];
  entry.method = fields[14];
  entry.request_uri = fields[15];
  entry.status = static_cast<int>(to_long(fields[16]));
  entry.request_length = to_long(fields[17]);
  entry.body_bytes_sent = to_long(fields[18]);
  return entry;
}

std::vector<NginxLogLine> NginxOrigin::access_log() const {
  std::vector<NginxLogLine> lines;
  std::istringstream in(read_file(dir_ / "access.log"));
  std::string line;
  // A line is complete once its newline is there; nginx writes each with one write(2).
  while (std::getline(in, line)) {
    if (in.eof()) break;
    lines.push_back(parse_nginx_log_line(line));
  }
  return lines;
}

std::vector<NginxLogLine> NginxOrigin::wait_for_lines(const std::function<bool(const NginxLogLine&)>& match,
                                                      std::size_t count, Deadline deadline) const {
  while (true) {
    std::vector<NginxLogLine> matching;
    for (auto& line : access_log()) {
      if (match(line)) matching.push_back(std::move(line));
    }
    if (matching.size() >= count || deadline.expired()) return matching;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool NginxOrigin::wait_error_log(const std::string& marker, Deadline deadline) const {
  while (true) {
    if (error_log().find(marker) != std::string::npos) return true;
    if (deadline.expired()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string NginxOrigin::error_log() const {
  return read_file(dir_ / "error.log");
}

std::string NginxOrigin::describe() const {
  return "$ " + child_.command_line() + "\n--- nginx.conf ---\n" + read_file(dir_ / "nginx.conf") +
         "\n--- access.log ---\n" + read_file(dir_ / "access.log") + "\n--- error.log ---\n" + error_log();
}

}  // namespace edgefetch::support
