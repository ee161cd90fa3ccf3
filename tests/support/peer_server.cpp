#include "support/peer_server.hpp"

#include <cctype>

#include "support/peer_names.hpp"

namespace edgefetch::support {

std::string_view name(PeerKind peer) {
  switch (peer) {
    case PeerKind::openssl:
      return "openssl";
    case PeerKind::gnutls:
      return "gnutls";
    case PeerKind::jsse:
      return "jsse";
    case PeerKind::nss:
      return "nss";
    case PeerKind::bcjsse:
      return "bcjsse";
  }
  return "?";
}

std::string Cell::label() const {
  std::string out = std::string(version_label(version)) + " " + suite_label(suite);
  if (group != 0) out += " " + group_label(group);
  if (scheme != 0) out += " " + scheme_label(scheme);
  return out;
}

std::string Cell::identifier() const {
  std::string out;
  for (const char c : label()) {
    out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  }
  return out;
}

std::string ServerView::describe() const {
  std::string out = "server saw: protocol '" + protocol_text + "', cipher '" + cipher_text + "'";
  if (!group_text.empty()) out += ", group '" + group_text + "'";
  if (!scheme_text.empty()) out += ", signature '" + scheme_text + "'";
  return out;
}

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])) != 0) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) --end;
  return std::string(text.substr(begin, end - begin));
}

std::optional<std::string> value_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const auto start = at + key.size();
  const auto end = text.find('\n', start);
  return trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

std::optional<policy::ProtocolVersion> parse_peer_version(std::string_view text) {
  using policy::ProtocolVersion;
  const std::string t = trim(text);
  if (t == "TLSv1.3" || t == "TLS1.3") return ProtocolVersion::tls1_3;
  if (t == "TLSv1.2" || t == "TLS1.2") return ProtocolVersion::tls1_2;
  if (t == "TLSv1.1" || t == "TLS1.1") return ProtocolVersion::tls1_1;
  if (t == "TLSv1" || t == "TLSv1.0" || t == "TLS1.0") return ProtocolVersion::tls1_0;
  if (t == "SSLv3" || t == "SSL3.0") return ProtocolVersion::ssl3;
  return std::nullopt;
}

}  // namespace edgefetch::support
