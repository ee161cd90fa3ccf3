#include "support/openssl_server.hpp"

#include "edgefetch/policy/lookup.hpp"
#include "support/peer_names.hpp"
#include "support/server_launch.hpp"

namespace edgefetch::support {

bool openssl_can_serve(std::uint16_t suite) {
  const PeerSuiteNames* names = peer_suite(suite);
  return names != nullptr && !names->openssl.empty();
}

base::Expected<OpenSslServerOptions, std::string> OpenSslServerOptions::for_cell(const Cell& cell) {
  const PeerSuiteNames* suite = peer_suite(cell.suite);
  if (suite == nullptr || suite->openssl.empty()) {
    return base::unexpected("s_server cannot serve suite " + suite_label(cell.suite));
  }
  OpenSslServerOptions options;
  options.version_flag = std::string(openssl_version_flag(cell.version));
  if (options.version_flag.empty()) return base::unexpected(std::string("s_server has no SSLv3"));
  options.ciphers = std::string(suite->openssl);
  if (cell.group != 0) {
    const PeerGroupNames* group = peer_group(cell.group);
    if (group == nullptr) return base::unexpected("unknown group " + hex_code(cell.group));
    options.groups = std::string(group->openssl);
  }
  if (cell.scheme != 0) {
    const PeerSchemeNames* scheme = peer_scheme(cell.scheme);
    if (scheme == nullptr) return base::unexpected("unknown signature scheme " + hex_code(cell.scheme));
    options.sigalgs = std::string(scheme->openssl);
  }
  options.identity = TestPki::get().leaf(cell.leaf);
  return options;
}

base::Expected<OpenSslServer, std::string> OpenSslServer::start(OpenSslServerOptions options) {
  ScratchDir dir = ScratchDir::create("openssl");
  auto make_argv = [&](std::uint16_t port) {
    std::vector<std::string> argv = {"openssl",
                                     "s_server",
                                     options.www ? "-www" : "-quiet",
                                     "-accept",
                                     "127.0.0.1:" + std::to_string(port),
                                     "-cert",
                                     options.identity.cert.string(),
                                     "-key",
                                     options.identity.key.string()};
    if (!options.identity.intermediates.empty()) {
      argv.insert(argv.end(), {"-cert_chain", options.identity.intermediates.string()});
    }
    if (!options.version_flag.empty()) argv.push_back(options.version_flag);
    // SECLEVEL=0: SHA-1/SHA-224 signatures, RSA-1024 and TLS 1.0/1.1 are all in the policy.
    argv.insert(argv.end(), {"-cipher", (options.ciphers.empty() ? std::string("ALL") : options.ciphers) +
                                            ":@SECLEVEL=0"});
    if (!options.groups.empty()) argv.insert(argv.end(), {"-groups", options.groups});
    if (!options.sigalgs.empty()) argv.insert(argv.end(), {"-sigalgs", options.sigalgs});
    argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
    return argv;
  };
  auto launched = launch_on_free_port(dir, make_argv);
  if (!launched) return base::unexpected(launched.error());
  return OpenSslServer(std::move(dir), std::move(launched->child), launched->port);
}

std::string OpenSslServer::logs() const {
  return describe_logs(child_);
}

ServerView OpenSslServer::parse_page(std::string_view page) {
  ServerView view;
  view.protocol_text = value_after(page, "Protocol  :").value_or("");
  view.cipher_text = value_after(page, "Cipher    :").value_or("");
  view.version = parse_peer_version(view.protocol_text);
  view.cipher_suite = policy::find_cipher_suite(view.cipher_text);
  // The shared lists name the negotiated value only when exactly one is shared,
  // which is the case for a pinned server.
  const std::string groups = value_after(page, "Shared groups:").value_or("");
  if (!groups.empty() && groups.find(':') == std::string::npos) {
    view.group_text = groups;
    view.group = policy::find_named_group(groups);
  }
  const std::string sigalgs = value_after(page, "Shared Signature Algorithms:").value_or("");
  if (!sigalgs.empty() && sigalgs.find(':') == std::string::npos) {
    view.scheme_text = sigalgs;
    view.signature_scheme = policy::find_signature_scheme(sigalgs);
  }
  return view;
}

}  // namespace edgefetch::support
