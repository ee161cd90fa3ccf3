#include "edgefetch/edge/message_rewrite.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <iterator>
#include <optional>

#include "edge/viewer_field.hpp"
#include "edgefetch/base/string_appender.hpp"
#include "edgefetch/edge/error_page.hpp"
#include "edgefetch/edge/http_fields.hpp"
#include "edgefetch/edge/viewer_values.hpp"

namespace edgefetch::edge {
namespace http = boost::beast::http;

std::string EdgeIdentity::via(std::string_view version) const {
  std::string text;
  text.reserve(version.size() + host_id.size() + 32);
  append_via(text, version);
  return text;
}

namespace {

// The version in the edge's Via entry, both ways: the viewer's ("Via:
// http-version alphanumeric.cloudfront.net (CloudFront)", facts 5.4).
std::string_view via_version(unsigned viewer_version) {
  return viewer_version == 10 ? "1.0" : "1.1";
}

// Authorization, when the behavior does not name it: legacy settings remove
// it where the CDN's table says so (GET and HEAD, and OPTIONS when OPTIONS
// responses are cached), policies always.
bool forwards_authorization(const config::ForwardingRules& rules, const config::CacheBehavior* behavior,
                            std::string_view method) {
  if (rules.headers.includes_header("Authorization")) return true;
  if (rules.source != config::ForwardingSource::forwarded_values) return false;
  if (method == "GET" || method == "HEAD") return false;
  if (method == "OPTIONS") {
    return behavior == nullptr || std::find(behavior->cached_methods.begin(), behavior->cached_methods.end(),
                                            "OPTIONS") == behavior->cached_methods.end();
  }
  return true;
}

// Whether Accept-Encoding is normalized (to the gzip / br the viewer accepts)
// rather than forwarded as sent or removed: a cache policy that enables
// either coding, or legacy settings that do not name the header ("If the
// value contains gzip or br, CloudFront forwards a normalized Accept-Encoding").
bool normalizes_accept_encoding(const config::ForwardingRules& rules) {
  return rules.accept_encoding_gzip || rules.accept_encoding_brotli ||
         (rules.source == config::ForwardingSource::forwarded_values &&
          !rules.headers.includes_header("Accept-Encoding"));
}

// The rules for a route without a behavior (tests that build a Route by
// hand): what a behavior that says nothing gets, as the config reader sets it.
const config::ForwardingRules& rules_without_behavior() {
  static const config::ForwardingRules rules =
      config::permissive_forwarding_rules(config::ForwardingSource::unspecified);
  return rules;
}

// Fills `tokens` rather than returning them: that would need ConnectionTokens's
// (noexcept) move constructor, whose small_vector code has a throwing path.
void add_connection_tokens(ConnectionTokens& tokens, const http::fields& fields) {
  for (const auto& field : fields) {
    if (iequals(std_view(field.name_string()), "Connection")) tokens.add_value(std_view(field.value()));
  }
}

// Each string is constructed from its source once (assign() into a default
// Header takes the general replace path) and then moved into the vector.
void add_header(std::vector<origin::Header>& out, std::string_view name, std::string_view value) {
  out.push_back(origin::Header{std::string(name), std::string(value)});
}
void add_header(std::vector<origin::Header>& out, std::string_view name, std::string&& value) {
  out.push_back(origin::Header{std::string(name), std::move(value)});
}

// Origin response fields the edge sets itself (framing, and the CDN's own
// Via / X-Cache / X-Amz-Cf-*), by length first: most names match no length.
// X-Edgefetch-Origin-Error is the edge's reason code for answers it generates:
// from an origin it would mark a relayed answer as the edge's failure.
bool is_replaced_by_edge(std::string_view name) {
  switch (name.size()) {
    case 3:
      return iequals(name, "Via");
    case 7:
      return iequals(name, "X-Cache");
    case 11:
      return iequals(name, "X-Amz-Cf-Id");
    case 12:
      return iequals(name, "X-Amz-Cf-Pop");
    case 14:
      return iequals(name, "Content-Length");
    case 24:
      return iequals(name, "X-Edgefetch-Origin-Error");
    default:
      return false;
  }
}

// The cached Date value, refreshed once a second (responses need one each).
const std::string& current_date() {
  static thread_local std::string text;
  static thread_local std::chrono::system_clock::time_point::rep second = -1;
  const auto now = std::chrono::system_clock::now();
  const auto this_second = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (this_second != second) {
    second = this_second;
    text = http_date(now);
  }
  return text;
}

// The fields the edge adds after the origin's or its own: Date, Content-Length,
// Transfer-Encoding, Connection, X-Cache, Via, X-Amz-Cf-Pop, X-Amz-Cf-Id and
// the end of the head, less the three variable parts. Only a size estimate.
constexpr std::size_t kEdgeFieldsSize = 320;

void add_edge_trailer_fields(base::StringAppender& head, std::string_view x_cache, unsigned viewer_version,
                             std::string_view request_id, const EdgeIdentity& identity) {
  head.append_field("X-Cache", x_cache);
  head.append("Via: ");
  identity.append_via(head, via_version(viewer_version));
  head.append("\r\n");
  head.append_field("X-Amz-Cf-Pop", identity.pop);
  head.append_field("X-Amz-Cf-Id", request_id);
  head.append("\r\n");
}

void add_status_line(base::StringAppender& head, unsigned status, std::string_view reason) {
  head.append("HTTP/1.1 ");
  if (status >= 100 && status <= 999) {
    const std::array<char, 3> digits = {static_cast<char>('0' + status / 100),
                                        static_cast<char>('0' + status / 10 % 10),
                                        static_cast<char>('0' + status % 10)};
    head.append(std::string_view(digits.data(), digits.size()));
  } else {
    head.append_decimal(status);
  }
  head.append(' ').append(reason).append("\r\n");
}

// The device-detection headers: with one of them forwarded, the CDN keeps
// User-Agent in the origin's Vary.
constexpr std::array<std::string_view, 4> kDeviceTypeHeaders{
    "CloudFront-Is-Desktop-Viewer", "CloudFront-Is-Mobile-Viewer", "CloudFront-Is-SmartTV-Viewer",
    "CloudFront-Is-Tablet-Viewer"};

bool forwards_device_type(const config::ForwardingRules& rules) {
  return std::any_of(rules.cloudfront_headers.begin(), rules.cloudfront_headers.end(),
                     [](const std::string& name) {
                       return std::any_of(kDeviceTypeHeaders.begin(), kDeviceTypeHeaders.end(),
                                          [&name](std::string_view device) { return iequals(name, device); });
                     });
}

// Whether a member of the origin's Vary reaches the viewer, as the CDN
// decides ("HTTP response headers that CloudFront removes or replaces", facts
// 5.4): Accept-Encoding and Cookie always; the headers the behavior forwards
// (legacy Headers, the policies' header lists, everything under '*' or
// AllViewer; the CloudFront-* headers it asks for); User-Agent also when a
// device-detection header is forwarded; no other name.
//
// '*' stays. The CDN passes it to its Vary filter (which removes it) only
// when the behavior's minimum TTL lets it cache the object all the same;
// with a minimum TTL of 0 it sends every request for the object to the
// origin, which edgefetch, without a cache, always does. Removed, it would
// let a cache after the edge reuse an answer the origin says depends on
// more than the request's fields (RFC 9110 12.5.5).
bool keeps_vary_member(std::string_view member, const config::ForwardingRules& rules) {
  if (member == "*" || iequals(member, "Accept-Encoding") || iequals(member, "Cookie")) return true;
  if (rules.headers.includes_header(member)) return true;
  if (iequals(member, "User-Agent")) return forwards_device_type(rules);
  return std::any_of(rules.cloudfront_headers.begin(), rules.cloudfront_headers.end(),
                     [member](const std::string& name) { return iequals(name, member); });
}

bool is_vary(std::string_view name) {
  return name.size() == 4 && iequals(name, "Vary");
}

// The origin's Vary fields as one list (a repeated field is one list, RFC
// 9110 5.3), in their order, with the members keeps_vary_member() keeps, each
// once; empty when none is left.
std::string filtered_vary(const origin::ResponseHead& response, const config::ForwardingRules& rules) {
  std::string kept;
  for (const auto& header : response.headers) {
    if (!is_vary(header.name) || !is_safe_field_value(header.value)) continue;
    std::string_view rest = header.value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view member = base::trim_ows(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (member.empty() || !keeps_vary_member(member, rules) || base::lists_token(kept, member)) continue;
      if (!kept.empty()) kept += ", ";
      kept += member;
    }
  }
  return kept;
}

// The names the origin's Connection fields list, and the size of its fields
// (for the head's reservation).
std::size_t scan_origin_fields(const origin::ResponseHead& response, ConnectionTokens& tokens) {
  std::size_t fields_size = 0;
  for (const auto& header : response.headers) {
    if (iequals(header.name, "Connection")) tokens.add_value(header.value);
    fields_size += header.name.size() + header.value.size() + 4;
  }
  return fields_size;
}

// The origin's end-to-end fields, less those the edge sets itself, and
// filtered by the behavior's `rules` (when given): Set-Cookie removed when no
// cookie is forwarded, Vary as filtered_vary() makes it, where the first Vary
// was. Whether one was Date. `content_type` (when given) views the
// Content-Type field.
bool append_origin_fields(base::StringAppender& head, const origin::ResponseHead& response,
                          const ConnectionTokens& tokens, std::string_view* content_type,
                          const config::ForwardingRules* rules) {
  const bool remove_set_cookie = rules != nullptr && rules->cookies.scope == config::ForwardScope::none;
  bool date_seen = false;
  bool vary_written = false;
  for (const auto& header : response.headers) {
    const std::string_view name = header.name;
    if (is_replaced_by_edge(name) || is_connection_specific(name, tokens) ||
        !is_safe_field_value(header.value)) {
      continue;
    }
    if (rules != nullptr && is_vary(name)) {
      if (!vary_written) {
        vary_written = true;
        const std::string vary = filtered_vary(response, *rules);
        if (!vary.empty()) head.append_field("Vary", vary);
      }
      continue;
    }
    // Set-Cookie2 (RFC 2965, obsolete) sets cookies all the same.
    if (remove_set_cookie && ((name.size() == 10 && iequals(name, "Set-Cookie")) ||
                              (name.size() == 11 && iequals(name, "Set-Cookie2")))) {
      continue;
    }
    if (name.size() == 4 && iequals(name, "Date")) date_seen = true;
    if (content_type != nullptr && name.size() == 12 && iequals(name, "Content-Type")) {
      *content_type = header.value;
    }
    head.append_field(name, header.value);
  }
  return date_seen;
}

void add_connection_field(base::StringAppender& head, bool keep_alive, unsigned viewer_version) {
  if (!keep_alive) {
    head.append_field("Connection", "close");
  } else if (viewer_version == 10) {
    head.append_field("Connection", "keep-alive");
  }
}

}  // namespace

origin::RequestHead make_origin_request(const http::request_header<>& viewer, const Route& route,
                                        const ViewerInfo& info, const BodyFraming& framing,
                                        std::string_view request_id, const EdgeIdentity& identity) {
  origin::RequestHead request;
  request.method = std::string(std_view(viewer.method_string()));
  request.target = route.target;
  request.chunked = framing.chunked;
  request.websocket_upgrade = info.websocket;
  if (!framing.chunked && framing.content_length) request.content_length = framing.content_length;
  // A body-less request that said Content-Length: 0 keeps it (POST with an empty body).

  ConnectionTokens tokens;
  add_connection_tokens(tokens, viewer);
  const config::ForwardingRules& rules =
      route.behavior != nullptr ? route.behavior->forwarding : rules_without_behavior();
  const auto& custom = route.origin->custom_headers;
  const auto is_custom = [&custom](std::string_view name) {
    for (const auto& header : custom) {
      if (iequals(header.name, name)) return true;
    }
    return false;
  };

  auto& out = request.headers;
  out.reserve(16);
  add_header(out, "Host", route.host);
  std::string via;
  via.reserve(identity.host_id.size() + 48);  // the edge's own entry: one allocation
  std::string forwarded_for;
  bool user_agent_seen = false;
  // Cookie and a normalized Accept-Encoding become one field each, where the
  // viewer's first one was; its value is completed after the loop.
  std::optional<std::size_t> cookie_at;
  std::optional<std::size_t> accept_encoding_at;
  AcceptedCodings accepted_codings;
  for (const auto& field : viewer) {
    const std::string_view name = std_view(field.name_string());
    const std::string_view value = std_view(field.value());
    if (is_connection_specific(name, tokens)) continue;
    const ViewerField kind = classify_viewer_field(name);
    if (kind == ViewerField::dropped || is_custom(name)) continue;
    bool forward = false;
    switch (kind) {
      case ViewerField::via:
        if (!via.empty()) via += ", ";
        via += value;
        continue;
      case ViewerField::forwarded_for:
        if (!forwarded_for.empty()) forwarded_for += ", ";
        forwarded_for += value;
        continue;
      case ViewerField::cookie:
        // An empty field carries no cookie ("a cookie header only if the value
        // conforms to the standard name-value pair format").
        if (rules.cookies.scope == config::ForwardScope::none || base::trim_ows(value).empty()) continue;
        if (cookie_at) {
          out[*cookie_at].value.append("; ").append(value);
          continue;
        }
        cookie_at = out.size();
        forward = true;
        break;
      case ViewerField::accept_encoding:
        if (normalizes_accept_encoding(rules)) {
          accepted_codings.add_field_value(value);
          if (!accept_encoding_at) {
            accept_encoding_at = out.size();
            add_header(out, "Accept-Encoding", std::string_view());
          }
          continue;
        }
        forward = rules.headers.includes_header(name);
        break;
      case ViewerField::user_agent:
        forward = rules.headers.includes_header(name);
        user_agent_seen = user_agent_seen || forward;
        break;
      case ViewerField::authorization:
        forward = forwards_authorization(rules, route.behavior, request.method);
        break;
      case ViewerField::pass_through:
        forward = true;
        break;
      case ViewerField::legacy_removed:
        forward = rules.headers.includes_header(name);
        break;
      case ViewerField::websocket:
        // Whatever the rules: without them the origin cannot complete the handshake.
        forward = info.websocket || rules.forwards_unnamed_headers() || rules.headers.includes_header(name);
        break;
      case ViewerField::other:
        forward = rules.forwards_unnamed_headers() || rules.headers.includes_header(name);
        break;
      case ViewerField::dropped:  // skipped above
        continue;
    }
    if (forward) add_header(out, name, value);
  }
  if (cookie_at && rules.cookies.scope != config::ForwardScope::all) {
    // Filtering also sorts by name, as the CDN does. All cookies go as the
    // viewer sent them (joined when it sent several fields), unsorted: the
    // order of a Cookie field's pairs means nothing to an origin, and it
    // saves parsing every request's cookies.
    std::string filtered = filter_cookies(out[*cookie_at].value, rules.cookies);
    if (filtered.empty()) {
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(*cookie_at));
      if (accept_encoding_at && *accept_encoding_at > *cookie_at) --*accept_encoding_at;
    } else {
      out[*cookie_at].value = std::move(filtered);
    }
  }
  if (accept_encoding_at) {
    const bool legacy = rules.source == config::ForwardingSource::forwarded_values;
    const std::string_view normalized = normalized_accept_encoding(
        accepted_codings, legacy || rules.accept_encoding_gzip, legacy || rules.accept_encoding_brotli);
    if (normalized.empty()) {
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(*accept_encoding_at));
    } else {
      out[*accept_encoding_at].value = normalized;
    }
  }
  if (!user_agent_seen && !is_custom("User-Agent")) add_header(out, "User-Agent", origin::kCdnUserAgent);
  if (!rules.cloudfront_headers.empty()) {
    append_generated_headers(out, rules.cloudfront_headers, viewer, info, custom);
  }
  if (!via.empty()) via += ", ";
  identity.append_via(via, via_version(info.version));
  add_header(out, "Via", std::move(via));
  // A custom X-Forwarded-For replaces the viewer's, as custom headers do, and
  // the edge appends the viewer's address to it: one field, one chain (two
  // fields would read as "<viewer>, <custom>", the chain reversed).
  for (const auto& header : custom) {
    if (iequals(header.name, "X-Forwarded-For") && is_safe_field_value(header.value)) {
      forwarded_for = header.value;
    }
  }
  if (!forwarded_for.empty()) forwarded_for += ", ";
  forwarded_for += info.ip;
  add_header(out, "X-Forwarded-For", std::move(forwarded_for));
  add_header(out, "X-Amz-Cf-Id", request_id);
  for (const auto& header : custom) {
    if (is_safe_field_value(header.value) && !iequals(header.name, "X-Forwarded-For")) {
      add_header(out, header.name, header.value);
    }
  }
  return request;
}

ViewerResponse make_viewer_response(const origin::ResponseHead& response, bool head_request,
                                    unsigned viewer_version, bool keep_alive, std::string_view request_id,
                                    const EdgeIdentity& identity, const config::ForwardingRules* rules) {
  ViewerResponse out;
  ConnectionTokens tokens;
  const std::size_t fields_size = scan_origin_fields(response, tokens);

  const unsigned status = response.status;
  const bool bodiless_status = status < 200 || status == 204 || status == 304;
  if (response.has_body && !head_request) {
    if (response.content_length) {
      out.framing = ViewerBodyFraming::content_length;
      out.content_length = response.content_length;
    } else if (viewer_version == 11) {
      out.framing = ViewerBodyFraming::chunked;
    } else {
      out.framing = ViewerBodyFraming::close_delimited;
      keep_alive = false;
    }
  } else if (head_request || bodiless_status) {
    // No body follows; a HEAD answer keeps the Content-Length the GET would have.
    out.framing = ViewerBodyFraming::none;
    if (status != 204 && !(status < 200)) out.content_length = response.content_length;
  } else {
    out.framing = ViewerBodyFraming::content_length;
    out.content_length = 0;
  }
  out.keep_alive = keep_alive;

  const std::string_view reason = response.reason.empty() || !is_safe_field_value(response.reason)
                                      ? reason_phrase(static_cast<int>(status))
                                      : std::string_view(response.reason);
  base::StringAppender head(out.head, reason.size() + fields_size + identity.host_id.size() +
                                          identity.pop.size() + request_id.size() + kEdgeFieldsSize);
  add_status_line(head, status, reason);
  if (!append_origin_fields(head, response, tokens, &out.content_type, rules)) {
    head.append_field("Date", current_date());
  }
  if (out.content_length) head.append("Content-Length: ").append_decimal(*out.content_length).append("\r\n");
  if (out.framing == ViewerBodyFraming::chunked) head.append_field("Transfer-Encoding", "chunked");
  add_connection_field(head, out.keep_alive, viewer_version);
  // The CDN marks an origin's error answer as an error, not a miss, as the
  // access log's x-edge-result-type does.
  add_edge_trailer_fields(head, response.status >= 400 ? "Error from cloudfront" : "Miss from cloudfront",
                          viewer_version, request_id, identity);
  return out;
}

std::string make_switching_protocols_head(const origin::ResponseHead& response, std::string_view request_id,
                                          const EdgeIdentity& identity,
                                          const config::ForwardingRules* rules) {
  ConnectionTokens tokens;
  const std::size_t fields_size = scan_origin_fields(response, tokens);
  std::string out;
  base::StringAppender head(
      out, fields_size + identity.host_id.size() + identity.pop.size() + request_id.size() + kEdgeFieldsSize);
  add_status_line(head, 101, reason_phrase(101));
  // Content-Length (replaced) and Transfer-Encoding (hop-by-hop) are dropped
  // with the rest: a 101 has no body.
  if (!append_origin_fields(head, response, tokens, nullptr, rules)) {
    head.append_field("Date", current_date());
  }
  head.append_field("Upgrade", "websocket");
  head.append_field("Connection", "Upgrade");
  // Only HTTP/1.1 viewers reach here: an HTTP/1.0 request's Upgrade is dropped.
  add_edge_trailer_fields(head, "Miss from cloudfront", 11, request_id, identity);
  return out;
}

ViewerResponse make_generated_response(const GeneratedResponse& response, bool head_request,
                                       unsigned viewer_version, bool keep_alive, std::string_view request_id,
                                       const EdgeIdentity& identity, std::string* body) {
  ViewerResponse out;
  *body = error_page(response.status, response.reason_sentence, request_id);
  out.content_length = body->size();
  out.content_type = "text/html";
  out.keep_alive = keep_alive;
  out.framing = head_request ? ViewerBodyFraming::none : ViewerBodyFraming::content_length;
  if (head_request) body->clear();

  const std::string_view reason = reason_phrase(response.status);
  const bool has_location = !response.location.empty() && is_safe_field_value(response.location);
  base::StringAppender head(out.head, reason.size() + response.location.size() +
                                          response.origin_error.size() + identity.host_id.size() +
                                          identity.pop.size() + request_id.size() + kEdgeFieldsSize + 128);
  add_status_line(head, static_cast<unsigned>(response.status), reason);
  head.append_field("Server", "CloudFront");
  head.append_field("Date", current_date());
  head.append_field("Content-Type", "text/html");
  head.append("Content-Length: ").append_decimal(*out.content_length).append("\r\n");
  if (has_location) head.append_field("Location", response.location);
  add_connection_field(head, keep_alive, viewer_version);
  if (!response.origin_error.empty()) head.append_field("X-Edgefetch-Origin-Error", response.origin_error);
  add_edge_trailer_fields(head, response.status >= 400 ? "Error from cloudfront" : "Redirect from cloudfront",
                          viewer_version, request_id, identity);
  return out;
}

}  // namespace edgefetch::edge
