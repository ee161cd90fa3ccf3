// libFuzzer harness: the access log's two encodings (AccessLog::format_tsv and
// format_json) of an entry whose viewer-controlled strings (Host, path, query,
// Referer, User-Agent, Cookie, X-Forwarded-For, the Host header, the
// content type an origin sent) are arbitrary bytes. A viewer must not be able
// to forge or break a log line, so it checks the header's promises:
//   - a TSV line ends in one '\n', holds no other control byte or space, and
//     splits into exactly kFieldCount fields; each string field is its value
//     percent-encoded, and decodes back to it;
//   - a JSON line ends in one '\n', is one JSON object with every field name
//     as a key, in order, and each string value is the text itself (when it
//     is valid UTF-8).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/edge/access_log.hpp"
#include "fuzz_require.hpp"

using namespace edgefetch;
using fuzz::require;

namespace {

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto end = line.find(separator, start);
    out.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      require(i + 2 < text.size());
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      require(high >= 0 && low >= 0);
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  try {
    (void)nlohmann::json(std::string(text)).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The input, split at 0xFF bytes, fills the viewer's strings in order.
  const auto parts = split(std::string_view(reinterpret_cast<const char*>(data), size), '\xff');
  edge::AccessLogEntry entry;
  std::string* const fields[] = {&entry.cs_host,         &entry.cs_uri_stem,   &entry.cs_uri_query,
                                 &entry.cs_referer,      &entry.cs_user_agent, &entry.cs_cookie,
                                 &entry.x_forwarded_for, &entry.x_host_header, &entry.sc_content_type,
                                 &entry.cs_method};
  for (std::size_t i = 0; i < std::size(fields) && i < parts.size(); ++i) fields[i]->assign(parts[i]);

  const std::string tsv = edge::AccessLog::format_tsv(entry);
  require(!tsv.empty() && tsv.back() == '\n');
  const std::string_view line(tsv.data(), tsv.size() - 1);
  for (const char c : line) require(c == '\t' || (static_cast<unsigned char>(c) > 0x20 && c != 0x7F));
  const auto columns = split(line, '\t');
  require(columns.size() == edge::AccessLog::kFieldCount);
  const auto& names = edge::AccessLog::field_names();
  const auto column = [&](std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return columns[i];
    }
    std::abort();
  };
  const auto expect_tsv = [&](std::string_view name, const std::string& value) {
    const std::string_view logged = column(name);
    if (value.empty()) {
      require(logged == "-");
    } else {
      require(logged == edge::AccessLog::encode_field(value) && percent_decode(logged) == value);
    }
  };
  expect_tsv("cs(Host)", entry.cs_host);
  expect_tsv("cs(Referer)", entry.cs_referer);
  expect_tsv("cs(User-Agent)", entry.cs_user_agent);
  expect_tsv("cs(Cookie)", entry.cs_cookie);
  expect_tsv("x-host-header", entry.x_host_header);

  const std::string json_line = edge::AccessLog::format_json(entry);
  require(!json_line.empty() && json_line.back() == '\n');
  require(json_line.find('\n') == json_line.size() - 1);
  const auto object = nlohmann::ordered_json::parse(json_line.substr(0, json_line.size() - 1));
  require(object.is_object() && object.size() == names.size());
  std::size_t index = 0;
  for (const auto& [key, value] : object.items()) require(key == names[index++]);
  const auto expect_json = [&](std::string_view name, const std::string& value) {
    const auto& logged = object.at(std::string(name));
    if (value.empty()) {
      require(logged.is_null());
    } else {
      require(logged.is_string());
      if (is_valid_utf8(value)) require(logged.get<std::string>() == value);
    }
  };
  expect_json("cs(Host)", entry.cs_host);
  expect_json("cs(Referer)", entry.cs_referer);
  expect_json("cs(User-Agent)", entry.cs_user_agent);
  expect_json("cs(Cookie)", entry.cs_cookie);
  expect_json("x-host-header", entry.x_host_header);
  return 0;
}
