#include "support/gnutls_server.hpp"

#include "edgefetch/policy/lookup.hpp"
#include "support/peer_names.hpp"
#include "support/server_launch.hpp"

namespace edgefetch::support {

base::Expected<std::string, std::string> gnutls_priority_for(const Cell& cell) {
  const PeerSuiteNames* suite = peer_suite(cell.suite);
  if (suite == nullptr) return base::unexpected("unknown suite " + hex_code(cell.suite));
  const std::string_view version = gnutls_version(cell.version);
  if (version.empty()) return base::unexpected(std::string("GnuTLS has no SSL 3.0"));
  std::string priority = "NONE:+" + std::string(version) + ":+" + std::string(suite->gnutls_kx) + ":+" +
                         std::string(suite->gnutls_cipher) + ":+" + std::string(suite->gnutls_mac);
  if (cell.group != 0) {
    const PeerGroupNames* group = peer_group(cell.group);
    if (group == nullptr) return base::unexpected("unknown group " + hex_code(cell.group));
    priority += ":+" + std::string(group->gnutls);
  }
  if (cell.scheme != 0) {
    const PeerSchemeNames* scheme = peer_scheme(cell.scheme);
    if (scheme == nullptr || scheme->gnutls.empty()) {
      return base::unexpected("GnuTLS has no signature scheme " + scheme_label(cell.scheme));
    }
    priority += ":+" + std::string(scheme->gnutls);
  } else {
    // No ServerKeyExchange signature to pin, but GnuTLS refuses a priority
    // without any signature algorithm.
    priority += ":+SIGN-ALL";
  }
  priority += ":+COMP-NULL:+CTYPE-X509";
  return priority;
}

bool gnutls_can_serve(const Cell& cell) {
  return gnutls_priority_for(cell).has_value();
}

base::Expected<GnuTlsServerOptions, std::string> GnuTlsServerOptions::for_cell(const Cell& cell) {
  auto priority = gnutls_priority_for(cell);
  if (!priority) return base::unexpected(priority.error());
  GnuTlsServerOptions options;
  options.priority = std::move(*priority);
  options.identity = TestPki::get().leaf(cell.leaf);
  return options;
}

namespace {

base::Expected<void, std::string> validate_priority(const ScratchDir& dir, const std::string& priority) {
  ProcessOptions check;
  check.argv = {"gnutls-cli", "-l", "--priority", priority};
  check.stdout_path = dir / "priority-check.out";
  check.stderr_path = dir / "priority-check.err";
  auto child = ChildProcess::spawn(std::move(check));
  if (!child) return base::unexpected(child.error());
  if (!child->wait_exit(Deadline::after(std::chrono::seconds(10)))) {
    return base::unexpected(std::string("gnutls-cli -l did not finish in time"));
  }
  const auto status = child->exit_status();
  if (!status || *status != 0) {
    return base::unexpected("GnuTLS rejects priority '" + priority + "': " + child->read_stderr() +
                            child->read_stdout());
  }
  return {};
}

}  // namespace

base::Expected<GnuTlsServer, std::string> GnuTlsServer::start(GnuTlsServerOptions options) {
  ScratchDir dir = ScratchDir::create("gnutls");
  if (auto valid = validate_priority(dir, options.priority); !valid) return base::unexpected(valid.error());
  auto make_argv = [&](std::uint16_t port) {
    std::vector<std::string> argv = {"gnutls-serv",    "--http",
                                     "--port",         std::to_string(port),
                                     "--x509certfile", options.identity.chain.string(),
                                     "--x509keyfile",  options.identity.key.string(),
                                     "--priority",     options.priority};
    if (!options.request_client_certificate) argv.push_back("--disable-client-cert");
    argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
    return argv;
  };
  auto launched = launch_on_free_port(dir, make_argv);
  if (!launched) return base::unexpected(launched.error());
  return GnuTlsServer(std::move(dir), std::move(launched->child), launched->port);
}

std::string GnuTlsServer::logs() const {
  return describe_logs(child_);
}

namespace {

// "<TD>key</TD><TD>value</TD>" (the key cell may end in ':').
std::string table_value(std::string_view page, std::string_view key) {
  const auto at = page.find("<TD>" + std::string(key));
  if (at == std::string_view::npos) return {};
  const auto open = page.find("<TD>", at + 4);
  if (open == std::string_view::npos) return {};
  const auto close = page.find("</TD>", open);
  if (close == std::string_view::npos) return {};
  return trim(page.substr(open + 4, close - open - 4));
}

// "(TLS1.2-X.509)-(ECDHE-SECP256R1)-(RSA-SHA256)-(AES-128-GCM)" -> its parts.
std::vector<std::string> description_parts(std::string_view description) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while ((pos = description.find('(', pos)) != std::string_view::npos) {
    const auto close = description.find(')', pos);
    if (close == std::string_view::npos) break;
    parts.emplace_back(description.substr(pos + 1, close - pos - 1));
    pos = close + 1;
  }
  return parts;
}

}  // namespace

ServerView GnuTlsServer::parse_page(std::string_view page) {
  ServerView view;
  view.protocol_text = table_value(page, "Protocol version");
  view.cipher_text = table_value(page, "Ciphersuite");
  view.version = parse_peer_version(view.protocol_text);
  view.cipher_suite = policy::find_cipher_suite(view.cipher_text);
  if (view.cipher_suite == nullptr && !view.cipher_text.empty()) {
    // The page omits the "TLS_" that gnutls-cli -l prints.
    view.cipher_suite = policy::find_cipher_suite("TLS_" + view.cipher_text);
  }
  // Description parts: version-certtype, key exchange (with the group for ECDHE),
  // then the server signature when there is one, then the cipher (and MAC).
  const std::vector<std::string> parts = description_parts(table_value(page, "Description"));
  if (parts.size() >= 2 && parts[1].starts_with("ECDHE-")) {
    view.group_text = parts[1].substr(6);
    view.group = policy::find_named_group(view.group_text);
    // Before TLS 1.2 the signature (RSA over MD5+SHA-1, ECDSA over SHA-1) has no
    // scheme, although GnuTLS still names one.
    if (parts.size() >= 3 && view.version >= policy::ProtocolVersion::tls1_2) {
      view.scheme_text = parts[2];
      view.signature_scheme = policy::find_signature_scheme("SIGN-" + parts[2]);
    }
  }
  return view;
}

}  // namespace edgefetch::support
