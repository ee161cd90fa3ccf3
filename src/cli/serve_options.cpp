#include "serve_options.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/resolve.hpp"
#include "option_checks.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::serve {
namespace asio = boost::asio;

base::Expected<asio::ip::tcp::endpoint, std::string> parse_endpoint(std::string_view text) {
  const std::string expected = "'" + std::string(text) +
                               "': expected ADDRESS:PORT with a literal IP address, e.g. "
                               "127.0.0.1:8080 or [::1]:8080";
  std::string_view host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return base::unexpected(expected);
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return base::unexpected(expected);
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return base::unexpected("'" + std::string(text) + "': the port must be a number from 0 to 65535");
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return base::unexpected(expected);
  return asio::ip::tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

namespace {

// An origin whose IpAddressType leaves none of the addresses --resolve gives
// for it fails every request with dns_failure, whose message the viewer does
// not see: said before the first one, naming the setting and the addresses.
void warn_resolve_without_the_family(const config::Distribution& distribution, config::Spelling spelling,
                                     const std::vector<std::string>& resolve_texts,
                                     std::vector<std::string>& warnings) {
  std::vector<net::ResolveOverride> overrides;
  for (const auto& text : resolve_texts) {
    if (auto entry = net::parse_resolve_override(text)) overrides.push_back(std::move(*entry));
  }
  const auto& origins = distribution.config.origins;
  for (std::size_t i = 0; i < origins.size() && !overrides.empty(); ++i) {
    const auto& origin = origins[i];
    if (!origin.custom || !origin.custom->ip_address_type ||
        *origin.custom->ip_address_type == config::IpAddressType::dualstack) {
      continue;
    }
    const bool ipv6 = *origin.custom->ip_address_type == config::IpAddressType::ipv6;
    const auto policy = origin.custom->protocol_policy;
    std::vector<std::uint16_t> ports;
    if (policy != config::OriginProtocolPolicy::https_only) ports.push_back(origin.custom->http_port);
    if (policy != config::OriginProtocolPolicy::http_only) ports.push_back(origin.custom->https_port);
    for (const std::uint16_t port : ports) {
      const auto* entry = net::find_resolve_override(overrides, origin.domain_name, port);
      if (entry == nullptr || std::any_of(entry->addresses.begin(), entry->addresses.end(),
                                          [ipv6](const auto& address) { return address.is_v6() == ipv6; })) {
        continue;
      }
      std::string given;
      for (const auto& address : entry->addresses) given += (given.empty() ? "" : ", ") + address.to_string();
      warnings.push_back(config::Problem{
          config::origin_path(distribution.path, spelling, i) + ".CustomOriginConfig.IpAddressType",
          std::string(ipv6 ? "ipv6" : "ipv4") + ", but --resolve " + origin.domain_name + ":" +
              std::to_string(port) + " gives no " + (ipv6 ? "IPv6" : "IPv4") + " address (" + given +
              "), so requests to this origin get 502 (dns_failure)"}
                             .to_string());
    }
  }
}

}  // namespace

base::Expected<std::shared_ptr<const config::DistributionConfig>, std::string> load_serve_config(
    const ServeCliOptions& options, std::vector<std::string>* warnings) {
  const std::string& file = options.config_file;
  if (!std::filesystem::exists(file)) return base::unexpected("--config '" + file + "': no such file");
  config::TemplateParameters parameters;
  for (const auto& text : options.template_parameters) {
    auto parsed = config::parse_template_parameter(text);
    if (!parsed) return base::unexpected("--template-parameter: " + parsed.error());
    parameters.overrides.push_back(std::move(*parsed));
  }
  auto policies = config::load_policies({options.policy_files.begin(), options.policy_files.end()});
  if (!policies) return base::unexpected("--policies:\n" + policies.error().to_string());
  auto loaded = config::load_distribution_config(file, &*policies, parameters);
  if (!loaded) return base::unexpected("--config '" + file + "':\n" + loaded.error().to_string());
  if (loaded->distributions.size() != 1) {
    return base::unexpected("--config '" + file + "': holds " + std::to_string(loaded->distributions.size()) +
                            " distributions; serve needs a config with exactly one");
  }
  const auto& distribution = loaded->distributions.front();
  std::string problems;
  // What a policy edgefetch does not have forwards is unknown, and guessing
  // would show the origin requests the CDN would not send.
  for (const auto& unresolved : loaded->unresolved_policies) problems += unresolved.to_string() + "\n";
  for (std::size_t i = 0; i < distribution.config.origins.size(); ++i) {
    const auto& origin = distribution.config.origins[i];
    if (origin.kind == config::OriginKind::vpc) {
      // Named as the reader names fields, in the config's own spelling.
      problems += config::origin_path(distribution.path, loaded->spelling, i) +
                  ".VpcOriginConfig: VPC origins cannot be served by edgefetch; use a CustomOriginConfig\n";
    }
  }
  if (!problems.empty()) {
    problems.pop_back();
    return base::unexpected("--config '" + file + "':\n" + problems);
  }
  if (warnings != nullptr) {
    for (const auto& warning : policies->warnings) warnings->push_back(warning.to_string());
    for (const auto& warning : loaded->warnings) warnings->push_back(warning.to_string());
    warn_resolve_without_the_family(distribution, loaded->spelling, options.resolve, *warnings);
  }
  return std::make_shared<const config::DistributionConfig>(distribution.config);
}

base::Expected<PreparedServe, std::string> prepare(const ServeCliOptions& options) {
  PreparedServe prepared;
  auto& server = prepared.server;

  if (options.listen.empty() && options.listen_tls.empty()) {
    return base::unexpected(
        std::string("give at least one --listen ADDRESS:PORT or --listen-tls ADDRESS:PORT"));
  }
  for (const auto& text : options.listen) {
    auto endpoint = parse_endpoint(text);
    if (!endpoint) return base::unexpected("--listen " + endpoint.error());
    server.listeners.push_back(edge::Listener{*endpoint, false});
  }
  for (const auto& text : options.listen_tls) {
    auto endpoint = parse_endpoint(text);
    if (!endpoint) return base::unexpected("--listen-tls " + endpoint.error());
    server.listeners.push_back(edge::Listener{*endpoint, true});
  }
  if (!options.listen_tls.empty()) {
    if (options.cert_file.empty() || options.key_file.empty()) {
      return base::unexpected(std::string("--listen-tls needs --cert FILE and --key FILE"));
    }
    if (!std::filesystem::is_regular_file(options.cert_file)) {
      return base::unexpected("--cert '" + options.cert_file + "': no such file");
    }
    if (!std::filesystem::is_regular_file(options.key_file)) {
      return base::unexpected("--key '" + options.key_file + "': no such file");
    }
    server.cert_file = options.cert_file;
    server.key_file = options.key_file;
  } else if (!options.cert_file.empty() || !options.key_file.empty()) {
    return base::unexpected(std::string("--cert and --key are only used with --listen-tls"));
  }

  const policy::Profile* profile = policy::profile_by_name(options.profile);
  if (profile == nullptr) {
    return base::unexpected("--profile: " + unknown_profile_message(options.profile));
  }
  server.origin_access.profile = profile;
  for (const auto& text : options.resolve) {
    auto entry = net::parse_resolve_override(text);
    if (!entry) return base::unexpected(entry.error());  // names --resolve and the entry itself
    server.origin_access.resolve_overrides.push_back(std::move(*entry));
  }
  if (!options.ca_file.empty()) {
    if (!std::filesystem::is_regular_file(options.ca_file)) {
      return base::unexpected("--ca-file '" + options.ca_file + "': no such file");
    }
    auto store = crypto::TrustStore::from_pem_file(options.ca_file);
    if (!store) return base::unexpected("--ca-file '" + options.ca_file + "': " + store.error().message);
    server.origin_access.trust_store = *store;
  } else {
    auto store = crypto::TrustStore::system_default();
    if (!store) {
      return base::unexpected("cannot load the system trust store: " + store.error().message +
                              "; give the CA certificates with --ca-file FILE");
    }
    server.origin_access.trust_store = *store;
  }
  if (!options.admin.empty()) {
    auto endpoint = parse_endpoint(options.admin);
    if (!endpoint) return base::unexpected("--admin " + endpoint.error());
    prepared.admin = *endpoint;
  }
  if (options.log_format == "tsv") {
    prepared.log_format = edge::AccessLogFormat::tsv;
  } else if (options.log_format == "json") {
    prepared.log_format = edge::AccessLogFormat::json;
  } else {
    return base::unexpected("--log-format: '" + options.log_format + "' is not one of tsv, json");
  }
  if (!options.access_log.empty() && options.access_log != "-") {
    const auto parent = std::filesystem::path(options.access_log).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent)) {
      return base::unexpected("--access-log '" + options.access_log + "': the directory " + parent.string() +
                              " does not exist");
    }
  }
  server.timeouts.idle = std::chrono::seconds(options.idle_timeout);
  server.timeouts.header = std::chrono::seconds(options.header_timeout);
  server.timeouts.websocket_idle = std::chrono::seconds(options.websocket_idle_timeout);
  server.timeouts.io = std::chrono::seconds(options.io_timeout);
  server.drain_timeout = std::chrono::seconds(options.drain_timeout);

  auto config = load_serve_config(options, &prepared.warnings);
  if (!config) return base::unexpected(config.error());
  prepared.config = std::move(*config);
  return prepared;
}

}  // namespace edgefetch::cli::serve
