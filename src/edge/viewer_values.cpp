#include "edgefetch/edge/viewer_values.hpp"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <optional>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/edge/http_fields.hpp"
#include "edgefetch/edge/message_rewrite.hpp"

namespace edgefetch::edge {
namespace http = boost::beast::http;

namespace {

// Calls `each` with every piece of `text` between `separator`s, empty ones included.
template <class Each>
void for_each_piece(std::string_view text, char separator, Each&& each) {
  while (true) {
    const auto end = text.find(separator);
    each(text.substr(0, end));
    if (end == std::string_view::npos) return;
    text.remove_prefix(end + 1);
  }
}

// RFC 9110 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
// Only a weight of zero matters here; anything that is not one counts as
// acceptable, as a lenient origin would read it.
bool is_zero_weight(std::string_view value) {
  if (value.empty() || value.front() != '0') return false;
  value.remove_prefix(1);
  if (value.empty()) return true;
  if (value.front() != '.') return false;
  value.remove_prefix(1);
  return std::all_of(value.begin(), value.end(), [](char c) { return c == '0'; });
}

// Whether an Accept-Encoding element's parameters (after the coding) give it
// a weight of zero.
bool refused_by_weight(std::string_view parameters) {
  bool refused = false;
  for_each_piece(parameters, ';', [&refused](std::string_view parameter) {
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos) return;
    if (base::iequals(base::trim_ows(parameter.substr(0, equals)), "q")) {
      refused = is_zero_weight(base::trim_ows(parameter.substr(equals + 1)));
    }
  });
  return refused;
}

struct Cookie {
  std::string_view name;
  std::string_view value;
};

}  // namespace

void append_forwarded_target(std::string& out, std::string_view target,
                             const config::ForwardedNames& query_strings) {
  if (query_strings.scope == config::ForwardScope::all) {
    out += target;
    return;
  }
  const auto mark = target.find('?');
  out += target.substr(0, mark);
  if (mark == std::string_view::npos || query_strings.scope == config::ForwardScope::none) return;
  char separator = '?';
  for_each_piece(target.substr(mark + 1), '&', [&](std::string_view parameter) {
    if (parameter.empty()) return;
    if (!query_strings.includes(parameter.substr(0, parameter.find('=')), false)) return;
    out += separator;
    out += parameter;
    separator = '&';
  });
}

std::string filter_cookies(std::string_view joined, const config::ForwardedNames& cookies) {
  boost::container::small_vector<Cookie, 16> kept;
  for_each_piece(joined, ';', [&](std::string_view piece) {
    const std::string_view pair = base::trim_ows(piece);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) return;  // not a name=value pair: never forwarded
    const std::string_view name = base::trim_ows(pair.substr(0, equals));
    if (name.empty() || !cookies.includes(name, false)) return;
    kept.push_back(Cookie{name, base::trim_ows(pair.substr(equals + 1))});
  });
  // The CDN "sorts the cookies in natural order by cookie name"; byte order,
  // and stable, so cookies of one name keep the viewer's order.
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Cookie& a, const Cookie& b) { return a.name < b.name; });
  std::string value;
  for (const Cookie& cookie : kept) {
    if (!value.empty()) value += "; ";
    value.append(cookie.name).append("=").append(cookie.value);
  }
  return value;
}

void AcceptedCodings::add_field_value(std::string_view value) {
  for_each_piece(value, ',', [this](std::string_view element) {
    const auto semicolon = element.find(';');
    const std::string_view coding = base::trim_ows(element.substr(0, semicolon));
    const bool is_gzip = base::iequals(coding, "gzip");
    const bool is_br = !is_gzip && base::iequals(coding, "br");
    if (!is_gzip && !is_br) return;
    if (semicolon != std::string_view::npos && refused_by_weight(element.substr(semicolon + 1))) return;
    (is_gzip ? gzip : br) = true;
  });
}

std::string_view normalized_accept_encoding(AcceptedCodings accepted, bool gzip_enabled,
                                            bool brotli_enabled) {
  const bool gzip = accepted.gzip && gzip_enabled;
  const bool br = accepted.br && brotli_enabled;
  if (gzip && br) return "br,gzip";
  if (gzip) return "gzip";
  if (br) return "br";
  return {};
}

namespace {

// config::kEdgeGeneratedCloudFrontHeaders, in its order. The others a policy
// may name (device, location, ASN, JA3/JA4) need data edgefetch does not have;
// the config reader warns about them.
enum class GeneratedHeader { forwarded_proto, address, http_version, tls, header_order, header_count };

// The viewer's field names in order, joined with ':', as the viewer spelt
// them, cut at the CDN's limit.
std::string viewer_header_order(const http::request_header<>& viewer) {
  std::string order;
  for (const auto& field : viewer) {
    if (!order.empty()) order += ':';
    order += std_view(field.name_string());
    if (order.size() >= kMaxHeaderOrderSize) break;
  }
  if (order.size() > kMaxHeaderOrderSize) order.resize(kMaxHeaderOrderSize);
  return order;
}

// The value of one generated header, or nullopt when it does not apply
// (CloudFront-Viewer-TLS for a plain-HTTP viewer).
std::optional<std::string> generated_header_value(GeneratedHeader header,
                                                  const http::request_header<>& viewer,
                                                  const ViewerInfo& info) {
  switch (header) {
    case GeneratedHeader::forwarded_proto:
      return std::string(info.https ? "https" : "http");
    case GeneratedHeader::address:
      // An IPv6 address as it is, then the port: the CDN's own format.
      return info.ip + ':' + std::to_string(info.port);
    case GeneratedHeader::http_version:
      return std::string(info.version == 10 ? "1.0" : "1.1");
    case GeneratedHeader::tls:
      if (!info.https || info.tls_version.empty()) return std::nullopt;
      return std::string(info.tls_version)
          .append(":")
          .append(info.tls_cipher)
          .append(":")
          .append(info.tls_handshake);
    case GeneratedHeader::header_order:
      return viewer_header_order(viewer);
    case GeneratedHeader::header_count:
      return std::to_string(std::distance(viewer.begin(), viewer.end()));
  }
  return std::nullopt;
}

}  // namespace

void append_generated_headers(std::vector<origin::Header>& out, const std::vector<std::string>& requested,
                              const http::request_header<>& viewer, const ViewerInfo& info,
                              const std::vector<config::CustomHeader>& custom) {
  const auto& names = config::kEdgeGeneratedCloudFrontHeaders;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string_view name = names[i];
    const auto named = [name](std::string_view listed) { return base::iequals(listed, name); };
    const bool wanted = std::any_of(requested.begin(), requested.end(), named);
    const bool replaced = std::any_of(custom.begin(), custom.end(),
                                      [&](const config::CustomHeader& header) { return named(header.name); });
    if (!wanted || replaced) continue;
    if (auto value = generated_header_value(static_cast<GeneratedHeader>(i), viewer, info)) {
      out.push_back(origin::Header{std::string(name), std::move(*value)});
    }
  }
}

}  // namespace edgefetch::edge
