#include "request_builder.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/origin/fetch.hpp"

namespace edgefetch::origin {
namespace http = boost::beast::http;

namespace {

std::string host_value(const OriginConfig& config, const Request& request) {
  if (request.host_header) return *request.host_header;
  // Like the CDN: the origin's domain name, without the port.
  if (config.domain_name.find(':') != std::string::npos) return "[" + config.domain_name + "]";
  return config.domain_name;
}

}  // namespace

http::request<http::string_body> build_request(const OriginConfig& config, const Request& request) {
  std::vector<Header> fields = {
      {"Host", host_value(config, request)},
      {"User-Agent", std::string(kCdnUserAgent)},
      {"Via", request.via},
      {"X-Amz-Cf-Id", request.request_id},
      {"Connection", "Keep-Alive"},
  };
  const std::size_t default_count = fields.size();
  for (const auto& header : request.headers) {
    bool replaced = false;
    for (std::size_t i = 0; i < default_count; ++i) {
      if (base::iequals(fields[i].name, header.name)) {
        fields[i].value = header.value;
        replaced = true;
      }
    }
    if (!replaced && !header.value.empty()) fields.push_back(header);
  }

  http::request<http::string_body> message;
  message.version(11);
  message.method_string(request.method);
  message.target(request.target);
  bool has_length = false;
  for (const auto& field : fields) {
    if (field.value.empty()) continue;  // a default removed by the request
    message.insert(field.name, field.value);
    has_length = has_length || base::iequals(field.name, "Content-Length") ||
                 base::iequals(field.name, "Transfer-Encoding");
  }
  message.body() = request.body;
  const bool method_has_body =
      request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!has_length && (!request.body.empty() || method_has_body)) {
    message.set(http::field::content_length, std::to_string(request.body.size()));
  }
  return message;
}

std::string request_head(const OriginConfig& config, const Request& request) {
  std::ostringstream out;
  out << build_request(config, request).base();
  return out.str();
}

}  // namespace edgefetch::origin
