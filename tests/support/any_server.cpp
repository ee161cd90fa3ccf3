#include "support/any_server.hpp"

#include "support/peer_names.hpp"

namespace edgefetch::support {

base::Expected<AnyServer, std::string> AnyServer::start(PeerKind peer, const Cell& cell) {
  switch (peer) {
    case PeerKind::openssl: {
      auto options = OpenSslServerOptions::for_cell(cell);
      if (!options) return base::unexpected(options.error());
      auto server = OpenSslServer::start(std::move(*options));
      if (!server) return base::unexpected(server.error());
      return AnyServer(std::move(*server));
    }
    case PeerKind::gnutls: {
      auto options = GnuTlsServerOptions::for_cell(cell);
      if (!options) return base::unexpected(options.error());
      auto server = GnuTlsServer::start(std::move(*options));
      if (!server) return base::unexpected(server.error());
      return AnyServer(std::move(*server));
    }
    case PeerKind::jsse: {
      auto options = JsseServerOptions::for_cells({cell});
      if (!options) return base::unexpected(options.error());
      auto server = JsseServer::start(std::move(*options));
      if (!server) return base::unexpected(server.error());
      return AnyServer(std::move(*server));
    }
    case PeerKind::nss: {
      auto options = NssServerOptions::for_cell(cell);
      if (!options) return base::unexpected(options.error());
      auto server = NssServer::start(*options);
      if (!server) return base::unexpected(server.error());
      return AnyServer(std::move(*server));
    }
    case PeerKind::bcjsse: {
      auto options = BcJsseServerOptions::for_cells({cell});
      if (!options) return base::unexpected(options.error());
      auto server = BcJsseServer::start(*options);
      if (!server) return base::unexpected(server.error());
      return AnyServer(std::move(*server));
    }
  }
  return base::unexpected(std::string("unknown peer"));
}

PeerKind AnyServer::kind() const {
  switch (server_.index()) {
    case 0:
      return PeerKind::openssl;
    case 1:
      return PeerKind::gnutls;
    case 2:
      return PeerKind::jsse;
    case 3:
      return PeerKind::nss;
    default:
      return PeerKind::bcjsse;
  }
}

std::uint16_t AnyServer::port() const {
  return std::visit([](const auto& server) -> std::uint16_t { return server.port(); }, server_);
}

std::string AnyServer::logs() const {
  return std::visit([](const auto& server) { return server.logs(); }, server_);
}

ServerView AnyServer::parse_page(std::string_view page) const {
  return std::visit([&](const auto& server) { return server.parse_page(page); }, server_);
}

std::vector<std::string> client_mismatches(const Cell& cell, const NegotiatedSummary& client) {
  std::vector<std::string> out;
  if (client.version != cell.version) {
    out.push_back("client version " +
                  (client.version ? std::string(version_label(*client.version)) : std::string("none")) +
                  " != " + std::string(version_label(cell.version)));
  }
  if (client.suite != cell.suite) {
    out.push_back("client suite " + suite_label(client.suite) + " != " + suite_label(cell.suite));
  }
  if (client.group != cell.group) {
    out.push_back("client group " + group_label(client.group) + " != " + group_label(cell.group));
  }
  if (client.scheme != cell.scheme) {
    out.push_back("client signature scheme " + scheme_label(client.scheme) +
                  " != " + scheme_label(cell.scheme));
  }
  return out;
}

std::vector<std::string> server_mismatches(const Cell& cell, const ServerView& server) {
  std::vector<std::string> out;
  if (server.version != cell.version) {
    out.push_back("server reported protocol '" + server.protocol_text + "', expected " +
                  std::string(version_label(cell.version)));
  }
  if (server.cipher_suite == nullptr || server.cipher_suite->code != cell.suite) {
    out.push_back("server reported cipher '" + server.cipher_text + "', expected " + suite_label(cell.suite));
  }
  if (!server.group_text.empty() && (server.group == nullptr || server.group->code != cell.group)) {
    out.push_back("server reported group '" + server.group_text + "', expected " + group_label(cell.group));
  }
  if (!server.scheme_text.empty() &&
      (server.signature_scheme == nullptr || server.signature_scheme->code != cell.scheme)) {
    out.push_back("server reported signature '" + server.scheme_text + "', expected " +
                  scheme_label(cell.scheme));
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

}  // namespace edgefetch::support
