#include "check_options.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

#include "edgefetch/config/distribution.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/net/url.hpp"
#include "option_checks.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::check_cmd {
namespace {

base::Unexpected<PrepareError> usage(std::string message) {
  return base::unexpected(PrepareError{2, std::move(message)});
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// Why a --distribution-config was refused. A problem of a --template-parameter
// value (one for a config that is no template, for no declared parameter, or
// that the parameter's constraints refuse) is the option's fault, not the
// file's: it is named first, without calling the config invalid.
std::string config_failure(const std::string& file, const config::ReadFailure& failure) {
  std::vector<std::string> option_problems;
  std::vector<config::Problem> file_problems;
  const std::string file_prefix = file + ": ";  // the reader's prefix on a problem of the whole file
  for (const auto& problem : failure.problems) {
    std::string_view message = problem.message;
    if (problem.path.empty() && message.starts_with(file_prefix)) message.remove_prefix(file_prefix.size());
    if (problem.from_option) {
      option_problems.push_back((problem.path.empty() ? "" : problem.path + ": ") + std::string(message));
    } else {
      file_problems.push_back(problem);
    }
  }
  std::string text;
  for (const auto& problem : option_problems) {
    if (!text.empty()) text += "\n";
    text.append(problem).append(" (--distribution-config '").append(file).append("')");
  }
  if (!file_problems.empty()) {
    if (!text.empty()) text += "\n";
    text += "--distribution-config '" + file + "' is not a valid distribution config:\n" +
            config::ReadFailure{file_problems}.to_string();
  }
  return text;
}

}  // namespace

base::Expected<const policy::Profile*, std::string> comparison_profile(const CheckCliOptions& options,
                                                                       const policy::Profile& primary) {
  if (options.no_compare) {
    if (!options.compare_profile.empty()) {
      return base::unexpected(
          std::string("--no-compare and --compare-profile contradict each other; give one of them"));
    }
    return nullptr;
  }
  if (options.compare_profile.empty()) {
    // An explicit --profile is the question asked: answer it alone.
    if (options.profile_given) return nullptr;
    const policy::Profile& fallback = check::default_comparison_profile();
    return &fallback == &primary ? nullptr : &fallback;
  }
  const policy::Profile* other = policy::profile_by_name(options.compare_profile);
  if (other == nullptr) {
    return base::unexpected("--compare-profile: " + unknown_profile_message(options.compare_profile));
  }
  if (other == &primary) {
    return base::unexpected("--compare-profile " + options.compare_profile +
                            " is the profile already checked (" + std::string(primary.name) +
                            "); compare with another one, or drop the flag");
  }
  return other;
}

base::Expected<HostPort, std::string> parse_host_port(std::string_view text) {
  const std::string given(text);
  const auto bad = [&given](const std::string& why) {
    return base::unexpected("invalid origin '" + given + "': " + why +
                            " (expected HOST, HOST:PORT, [IPv6]:PORT or https://HOST[:PORT]/)");
  };
  // check judges the TLS connection to an origin, which has no path: a path
  // given with it is refused rather than dropped, since the user may think
  // it is tested.
  const auto path_given = [&bad](std::string_view path) {
    return bad("'" + std::string(path) +
               "' is a path, which is not part of an origin (check tests the TLS connection, the same for "
               "every path); give HOST[:PORT]");
  };
  if (text.starts_with("https://") || text.starts_with("http://")) {
    auto url = net::parse_url(text);
    if (!url) return bad(url.error());
    if (url->scheme != net::Scheme::https) return bad("check tests TLS; use an https:// URL or HOST[:PORT]");
    if (url->target != "/") return path_given(url->target);
    if (auto why = trailing_dot_problem(url->host)) return bad(*why);
    return HostPort{url->host, url->port};
  }
  // "HOST:PORT/" is HOST:PORT, as https://HOST:PORT/ is; anything after the
  // '/' is a path.
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    if (slash + 1 != text.size()) return path_given(text.substr(slash));
    text.remove_suffix(1);
  }
  HostPort out;
  std::string_view host = text;
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']'");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(":")) return bad("expected ':PORT' after ']'");
      auto port = parse_port(rest.substr(1));
      if (!port) return bad("the port must be a number from 1 to 65535");
      out.port = *port;
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(host), ec);
    if (ec || !address.is_v6()) return bad("'" + std::string(host) + "' is not an IPv6 address");
  } else if (std::count(text.begin(), text.end(), ':') > 1) {
    // A bare IPv6 literal (no port possible without brackets).
    if (!net::is_ip_literal(text)) return bad("use brackets around an IPv6 address: [ADDRESS]:PORT");
  } else if (const auto colon = text.find(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    auto port = parse_port(text.substr(colon + 1));
    if (!port) return bad("the port must be a number from 1 to 65535");
    out.port = *port;
  }
  if (host.empty()) return bad("the host is empty");
  if (auto why = trailing_dot_problem(host)) return bad(*why);
  if (!net::is_ip_literal(host) && !net::is_valid_dns_name(host)) {
    return bad("'" + std::string(host) + "' is not a host name");
  }
  out.host = std::string(host);
  return out;
}

base::Expected<PreparedCheck, PrepareError> prepare(const CheckCliOptions& options) {
  PreparedCheck prepared;
  if (options.insecure) {
    return usage(
        "check has no --insecure: it always verifies the origin's certificate, as the edge does, since a "
        "certificate the edge refuses is part of the answer. For a private CA, give its certificate with "
        "--ca-file FILE; to fetch without verifying, use 'edgefetch get https://HOST[:PORT]/ --insecure'");
  }
  const bool many = !options.distribution_config.empty();
  if (many && !options.target.empty()) {
    return usage("give either HOST[:PORT] or --distribution-config FILE, not both");
  }
  if (!many && options.target.empty()) {
    return usage(
        "which origin? give HOST[:PORT] or --distribution-config FILE (see 'edgefetch check --help')");
  }
  if (many) {
    const auto refuse = [](std::string_view flag, std::string_view why) {
      return usage(std::string(flag) + " cannot be combined with --distribution-config: " + std::string(why));
    };
    if (!options.origin_ssl_protocols.empty()) {
      return refuse("--origin-ssl-protocols", "each origin's own OriginSslProtocols is checked");
    }
    if (options.connect_timeout != 0) {
      return refuse("--connect-timeout", "each origin's own ConnectionTimeout is used");
    }
    if (options.connection_attempts != 0) {
      return refuse("--connection-attempts", "each origin's own ConnectionAttempts is used");
    }
    if (!options.host_header.empty()) {
      return refuse("--host-header", "check one origin with HOST --host-header NAME for a forwarded Host");
    }
  } else if (!options.policy_files.empty()) {
    return usage("--policies is used with --distribution-config (the policies its behaviors name)");
  } else if (!options.template_parameters.empty()) {
    return usage(
        "--template-parameter is used with --distribution-config (values for a CloudFormation template's "
        "Parameters)");
  }
  config::TemplateParameters parameters;
  for (const auto& text : options.template_parameters) {
    auto parsed = config::parse_template_parameter(text);
    if (!parsed) return usage("--template-parameter: " + parsed.error());
    parameters.overrides.push_back(std::move(*parsed));
  }

  const policy::Profile* profile = policy::profile_by_name(options.profile);
  if (profile == nullptr) {
    return usage(unknown_profile_message(options.profile));
  }

  auto compare = comparison_profile(options, *profile);
  if (!compare) return usage(compare.error());

  std::vector<net::ResolveOverride> overrides;
  for (const auto& text : options.resolve) {
    auto entry = net::parse_resolve_override(text);
    if (!entry) return usage("--resolve: " + entry.error());
    overrides.push_back(std::move(*entry));
  }

  std::shared_ptr<const crypto::TrustStore> store;
  std::string trust_description;
  if (!options.ca_file.empty()) {
    if (const auto why = unreadable_file(options.ca_file)) {
      return usage("--ca-file '" + options.ca_file + "': cannot read it (" + *why +
                   "); give a PEM file of the CA certificates to trust");
    }
    auto loaded = crypto::TrustStore::from_pem_file(options.ca_file);
    if (!loaded) return usage("--ca-file '" + options.ca_file + "': " + loaded.error().message);
    store = *loaded;
    trust_description = "--ca-file " + options.ca_file;
  } else {
    auto loaded = crypto::TrustStore::system_default();
    if (!loaded) {
      return usage("cannot load the system trust store: " + loaded.error().message +
                   "; give the CA certificates with --ca-file FILE");
    }
    store = *loaded;
    trust_description = "the system trust store";
  }

  prepared.check.enumerate = !options.no_enumerate;
  prepared.check.max_connections = options.max_connections;
  prepared.check.compare_profile = *compare;

  if (many) {
    const std::string& file = options.distribution_config;
    if (const auto why = unreadable_file(file)) {
      return usage("--distribution-config '" + file + "': cannot read it (" + *why +
                   "); give the output of `aws cloudfront get-distribution-config`, a DistributionConfig or "
                   "a CloudFormation template, as a file");
    }
    auto policies = config::load_policies({options.policy_files.begin(), options.policy_files.end()});
    if (!policies) return usage("--policies:\n" + policies.error().to_string());
    auto loaded = config::load_distribution_config(file, &*policies, parameters);
    if (!loaded) return usage(config_failure(file, loaded.error()));
    loaded->warnings.insert(loaded->warnings.begin(), policies->warnings.begin(), policies->warnings.end());
    prepared.distribution = std::move(*loaded);
    auto& d = prepared.distribution_options;
    d.check = prepared.check;
    d.max_origins_at_once = options.max_origins;
    d.profile = profile;
    d.resolve_overrides = std::move(overrides);
    d.trust_store = std::move(store);
    d.trust_description = std::move(trust_description);
    return prepared;
  }

  auto host_port = parse_host_port(options.target);
  if (!host_port) return usage(host_port.error());
  auto versions = policy::parse_origin_ssl_protocols(
      options.origin_ssl_protocols.empty() ? std::string_view("TLSv1.2") : options.origin_ssl_protocols);
  if (!versions) return usage("--origin-ssl-protocols: " + versions.error());
  if (!options.host_header.empty() && !net::is_valid_dns_name(options.host_header) &&
      !net::is_ip_literal(options.host_header)) {
    return usage("--host-header '" + options.host_header + "' is not a host name");
  }

  prepared.target.host = host_port->host;
  prepared.target.port = host_port->port;
  if (!options.host_header.empty()) prepared.target.host_header = options.host_header;
  prepared.target.resolve_overrides = std::move(overrides);
  prepared.target.trust_store = std::move(store);
  prepared.target.trust_description = std::move(trust_description);
  prepared.settings.profile = profile;
  prepared.settings.origin_ssl_protocols = std::move(*versions);
  prepared.settings.connection_timeout =
      std::chrono::seconds(options.connect_timeout != 0 ? options.connect_timeout : 10);
  prepared.settings.connection_attempts = options.connection_attempts != 0 ? options.connection_attempts : 3;
  if (!config::is_allowed_origin_port(host_port->port)) {
    prepared.notes.push_back("the CDN accepts origin ports 80, 443 and 1024-65535 only; port " +
                             std::to_string(host_port->port) + " cannot be configured as an origin port");
  }
  if (net::is_ip_literal(host_port->host) && !prepared.target.host_header) {
    prepared.notes.emplace_back(
        "the CDN requires a DNS name as the origin domain; with an IP address the edge "
        "sends no SNI and checks the certificate against the address");
  }
  return prepared;
}

}  // namespace edgefetch::cli::check_cmd
