// JSON text → document, with errors a user can act on.

#include "config/json_text.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/rules.hpp"
#include "config/yaml_text.hpp"
#include "edgefetch/base/ascii.hpp"

namespace edgefetch::config::detail {
namespace {

std::string at(std::string_view text, std::size_t offset) {
  const TextPosition pos = position_of(text, offset);
  return "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The offset of the closing quote of the JSON string opened at `open`
// (escapes skipped), or text.size() when it is not closed.
std::size_t string_end(std::string_view text, std::size_t open) {
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i;
    }
  }
  return text.size();
}

// Depth of [ and { outside strings; rejects before the parser or any later
// walk over the tree can be made to recurse deeply.
std::optional<std::size_t> too_deep_at(std::string_view text) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = string_end(text, i);
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at line
// L, column C: what"; keep "what", our own position goes in front.
std::string parser_reason(const char* what) {
  std::string_view message(what);
  const auto column = message.find("column ");
  const auto colon = message.find(": ", column == std::string_view::npos ? 0 : column);
  if (colon != std::string_view::npos) message.remove_prefix(colon + 2);
  return printable(message);
}

// Sees each object's keys as the parser reads them (unescaped, so "a" and
// "\u0061" are the same key) and remembers the first one given twice in one
// object: nlohmann's parser would keep the last silently, and another reader
// of the same file may keep the first.
class DuplicateKeys {
 public:
  struct Duplicate {
    std::string key;
    std::size_t ordinal = 0;  // among all keys of the document, in text order
  };

  bool see(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      open_objects_.emplace_back();
    } else if (event == Event::object_end && !open_objects_.empty()) {
      open_objects_.pop_back();
    } else if (event == Event::key && !open_objects_.empty()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!first_ && !open_objects_.back().insert(key).second) first_ = Duplicate{key, keys_seen_};
      ++keys_seen_;
    }
    return true;  // keep every value
  }

  [[nodiscard]] const std::optional<Duplicate>& first() const { return first_; }

 private:
  std::vector<std::set<std::string>> open_objects_;
  std::size_t keys_seen_ = 0;
  std::optional<Duplicate> first_;
};

// Where the `ordinal`-th key (0-based, in text order) starts: its opening
// quote. The parser does not say where a key is, but it accepted the text up
// to that key, and there a key is exactly a string followed by ':'.
std::size_t key_offset(std::string_view text, std::size_t ordinal) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    const std::size_t string_start = i;
    i = string_end(text, i);
    std::size_t after = i + 1;
    while (after < text.size() && is_space(text[after])) ++after;
    if (after < text.size() && text[after] == ':') {
      if (ordinal == 0) return string_start;
      --ordinal;
    }
  }
  return text.size();
}

Problem duplicate_key_problem(std::string_view text, const DuplicateKeys::Duplicate& duplicate) {
  return Problem{"", "the field '" + printable(duplicate.key) +
                         "' appears twice in one object (the second at " +
                         at(text, key_offset(text, duplicate.ordinal)) + ")"};
}

}  // namespace

std::string path_segment(const std::string& key) {
  const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
  return plain ? key : quote(key);
}

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition pos;
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      base::append_hex_escape(out, u);
    }
  }
  return out;
}

const nlohmann::json* member(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

base::Expected<nlohmann::json, Problem> parse_json_text(std::string_view text, std::string_view what,
                                                        std::vector<Problem>* warnings) {
  if (text.size() > kMaxInputBytes) {
    return base::unexpected(Problem{"", "input is " + std::to_string(text.size()) + " bytes; the limit is " +
                                            std::to_string(kMaxInputBytes)});
  }
  std::size_t start = 0;
  if (text.starts_with("\xEF\xBB\xBF")) start = 3;  // UTF-8 byte order mark, as some editors write
  while (start < text.size() && is_space(text[start])) ++start;
  if (start == text.size()) {
    return base::unexpected(Problem{"", "the input is empty; expected " + std::string(what) + " in JSON"});
  }
  const std::string_view body = text.substr(start);
  // JSON starts with '{' (or '[', refused later with a reason); anything else
  // is read as YAML, which is how CloudFormation templates and `aws ...
  // --output yaml` are usually written.
  if (body.front() != '{' && body.front() != '[') return parse_yaml_text(text, what, warnings);
  if (const auto deep = too_deep_at(text)) {
    return base::unexpected(Problem{"", "malformed JSON at " + at(text, *deep) + ": nested more than " +
                                            std::to_string(kMaxJsonDepth) + " levels deep"});
  }
  DuplicateKeys keys;
  try {
    auto document =
        nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(),
                              [&keys](int /*depth*/, nlohmann::json::parse_event_t event,
                                      nlohmann::json& parsed) { return keys.see(event, parsed); });
    if (keys.first()) return base::unexpected(duplicate_key_problem(text, *keys.first()));
    return document;
  } catch (const nlohmann::json::parse_error& e) {
    // A duplicate comes first in the text: the parser got past it.
    if (keys.first()) return base::unexpected(duplicate_key_problem(text, *keys.first()));
    // e.byte counts from `start`, 1-based: the byte at which parsing stopped.
    const std::size_t offset = start + (e.byte > 0 ? e.byte - 1 : 0);
    return base::unexpected(
        Problem{"", "malformed JSON at " + at(text, offset) + ": " + parser_reason(e.what())});
  } catch (const std::exception& e) {
    return base::unexpected(Problem{"", std::string("malformed JSON: ") + printable(e.what())});
  }
}

}  // namespace edgefetch::config::detail
