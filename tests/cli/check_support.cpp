#include "cli/check_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace edgefetch::cli_test {

using nlohmann::json;

CheckRun run_check_args(const std::vector<std::string>& args, int expected_exit,
                        std::chrono::milliseconds timeout) {
  RunOptions options;
  options.timeout = timeout;
  CheckRun result;
  result.run = run_edgefetch(args, options);
  EXPECT_FALSE(result.run.timed_out) << result.run.command_line;
  EXPECT_EQ(result.run.exit_code, expected_exit) << result.run.command_line << "\nstdout:\n"
                                                 << result.run.out << "\nstderr:\n"
                                                 << result.run.err;
  result.doc = json::parse(result.run.out, nullptr, /*allow_exceptions=*/false);
  return result;
}

std::uint16_t LocalOrigins::serve(support::OpenSslServerOptions options) {
  auto server = support::OpenSslServer::start(std::move(options));
  EXPECT_TRUE(server) << (server ? "" : server.error());
  if (!server) return 0;
  servers_.push_back(std::move(*server));
  return servers_.back().port();
}

CheckRun run_check(std::uint16_t port, const std::vector<std::string>& extra, int expected_exit,
                   std::string_view host) {
  const std::string p = std::to_string(port);
  std::vector<std::string> args = {"check",     std::string(host) + ":" + p,
                                   "--resolve", std::string(host) + ":" + p + ":127.0.0.1",
                                   "--ca-file", support::TestPki::get().ca_file().string(),
                                   "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CheckRun result = run_check_args(args, expected_exit);
  EXPECT_FALSE(result.doc.is_discarded()) << result.run.command_line << " printed invalid JSON:\n"
                                          << result.run.out << "\nstderr:\n"
                                          << result.run.err;
  if (result.doc.is_discarded()) result.doc = json::object();
  return result;
}

std::vector<std::string> reason_codes(const json& report) {
  std::vector<std::string> out;
  if (!report.contains("reasons")) return out;
  for (const auto& r : report["reasons"]) out.push_back(r.value("code", ""));
  return out;
}

std::vector<std::string> warning_codes(const json& report) {
  std::vector<std::string> out;
  if (!report.contains("warnings")) return out;
  for (const auto& w : report["warnings"]) out.push_back(w.value("code", ""));
  return out;
}

std::vector<std::string> suites_of(const json& report, const std::string& version) {
  std::vector<std::string> out;
  if (!report.contains("supported") || !report["supported"].is_object()) return out;
  const json& by_version = report["supported"]["suites_by_version"];
  if (!by_version.contains(version)) return out;
  for (const auto& suite : by_version[version]) out.push_back(suite.value("openssl", ""));
  return out;
}

std::vector<std::string> accepted_versions(const json& report) {
  std::vector<std::string> out;
  if (!report.contains("supported") || !report["supported"].is_object()) return out;
  for (const auto& v : report["supported"]["versions"]) {
    if (v.value("accepted", false)) out.push_back(v.value("name", ""));
  }
  return out;
}

std::vector<std::string> group_names(const json& report) {
  std::vector<std::string> out;
  if (!report.contains("supported") || !report["supported"].is_object()) return out;
  for (const auto& g : report["supported"]["groups"]) out.push_back(g.value("name", ""));
  return out;
}

json reason(const json& report, std::string_view code) {
  if (!report.contains("reasons")) return nullptr;
  for (const auto& r : report["reasons"]) {
    if (r.value("code", "") == code) return r;
  }
  return nullptr;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool contains_text(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

namespace {
// run_program does not search PATH.
std::string find_program(std::string_view name) {
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): read-only
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::string(name);
}
}  // namespace

MadeLeaf make_leaf(const support::ScratchDir& dir, std::string_view name, std::string_view dns_name, int days,
                   Signer signer, std::string_view key_spec, std::string_view extra_extensions,
                   std::string_view digest) {
  MadeLeaf made;
  const support::TestPki& pki = support::TestPki::get();
  const std::string base = (dir / name).string();
  const std::string key = base + ".key";
  const std::string csr = base + ".csr";
  const std::string cert = base + ".pem";
  const std::string ext = base + ".ext";
  std::ofstream(ext) << "subjectAltName=DNS:" << dns_name << "\nbasicConstraints=CA:false\n"
                     << "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                     << extra_extensions;
  std::vector<std::string> request = {
      "req", "-new", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + std::string(dns_name)};
  if (key_spec.starts_with("ec:")) {
    request.insert(request.end(),
                   {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:" + std::string(key_spec.substr(3))});
  } else {
    request.insert(request.end(), {"-newkey", std::string(key_spec)});
  }
  const std::string openssl = find_program("openssl");
  const RunResult req = run_program(openssl, request);
  if (req.exit_code != 0) {
    made.error = "openssl req failed: " + req.err;
    return made;
  }
  const auto ca_cert = signer == Signer::root ? pki.ca_file() : pki.intermediate_file();
  const auto ca_key = pki.dir() / (signer == Signer::root ? "ca.key" : "intermediate.key");
  const RunResult sign =
      run_program(openssl, {"x509", "-req", "-in", csr, "-CA", ca_cert.string(), "-CAkey", ca_key.string(),
                            "-CAcreateserial", "-CAserial", base + ".srl", "-days", std::to_string(days),
                            "-" + std::string(digest), "-extfile", ext, "-out", cert});
  if (sign.exit_code != 0) {
    made.error = "openssl x509 -req failed: " + sign.err;
    return made;
  }
  made.files.cert = cert;
  made.files.key = key;
  made.files.key_type = key_spec.starts_with("ec:") ? "EC" : "RSA";
  if (signer == Signer::intermediate) {
    made.files.intermediates = pki.intermediate_file();
    const std::string chain = base + ".chain.pem";
    std::ofstream out(chain);
    out << std::ifstream(cert).rdbuf() << std::ifstream(pki.intermediate_file()).rdbuf();
    made.files.chain = chain;
  } else {
    made.files.chain = cert;
  }
  return made;
}

}  // namespace edgefetch::cli_test
