// YAML text → JSON document, through libyaml's event parser.

#include "config/yaml_text.hpp"

#include <yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "config/json_text.hpp"

namespace edgefetch::config::detail {
namespace {

using Json = nlohmann::json;

// Owns a libyaml parser reading `text` (which must outlive it).
class YamlParser {
 public:
  explicit YamlParser(std::string_view text) {
    initialized_ = yaml_parser_initialize(&parser_) == 1;
    if (initialized_) {
      // libyaml reads bytes; the pointer type is its unsigned char.
      yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                   text.size());
    }
  }
  ~YamlParser() {
    if (initialized_) yaml_parser_delete(&parser_);
  }
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;

  [[nodiscard]] bool initialized() const { return initialized_; }
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_{};
  bool initialized_ = false;
};

// One parsed event, freed with it.
class YamlEvent {
 public:
  YamlEvent() = default;
  ~YamlEvent() { yaml_event_delete(&event_); }
  YamlEvent(const YamlEvent&) = delete;
  YamlEvent& operator=(const YamlEvent&) = delete;

  yaml_event_t* get() { return &event_; }
  [[nodiscard]] const yaml_event_t& operator*() const { return event_; }
  [[nodiscard]] const yaml_event_t* operator->() const { return &event_; }

 private:
  yaml_event_t event_{};
};

std::string_view text_of(const yaml_char_t* text) {
  return text == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(text));
}

std::string where(const yaml_mark_t& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

// CloudFormation's short-form tags and the long form each stands for.
std::optional<std::string> cloudformation_function(std::string_view tag) {
  static constexpr std::array<std::string_view, 2> kPlain = {"Ref", "Condition"};
  static constexpr std::array<std::string_view, 19> kFunctions = {
      "Base64", "Cidr",  "FindInMap",    "GetAtt",    "GetAZs", "ImportValue", "Join",
      "Select", "Split", "Sub",          "Transform", "And",    "Equals",      "If",
      "Not",    "Or",    "ToJsonString", "Length",    "ForEach"};
  if (!tag.starts_with('!')) return std::nullopt;
  const std::string_view name = tag.substr(1);
  for (const std::string_view plain : kPlain) {
    if (name == plain) return std::string(name);
  }
  for (const std::string_view function : kFunctions) {
    if (name == function) return "Fn::" + std::string(name);
  }
  return std::nullopt;
}

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// [-+]?[0-9]+ as a number; nullopt when `text` is not that.
std::optional<Json> decimal_integer(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  if (digits.empty()) return std::nullopt;
  for (const char c : digits) {
    if (!is_digit(c)) return std::nullopt;
  }
  const bool negative = text.front() == '-';
  // from_chars takes no '+'.
  const std::string_view parsed = negative ? text : digits;
  long long value = 0;
  if (const auto [end, ec] = std::from_chars(parsed.data(), parsed.data() + parsed.size(), value);
      ec == std::errc() && end == parsed.data() + parsed.size()) {
    return Json(value);
  }
  unsigned long long big = 0;
  if (const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), big);
      !negative && ec == std::errc() && end == digits.data() + digits.size()) {
    return Json(big);
  }
  // Beyond 64 bits: kept as a double, which the reader reports as far too large.
  double approximate = 0;
  std::from_chars(parsed.data(), parsed.data() + parsed.size(), approximate);
  return Json(approximate);
}

// YAML 1.1's float: [-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? and .inf/.nan.
std::optional<Json> yaml_float(std::string_view text) {
  for (const std::string_view infinity : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
    if (text == infinity) return Json(std::numeric_limits<double>::infinity());
  }
  for (const std::string_view infinity : {"-.inf", "-.Inf", "-.INF"}) {
    if (text == infinity) return Json(-std::numeric_limits<double>::infinity());
  }
  for (const std::string_view nan : {".nan", ".NaN", ".NAN"}) {
    if (text == nan) return Json(std::numeric_limits<double>::quiet_NaN());
  }
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  const std::size_t mantissa = i;
  std::size_t digits = 0;
  while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    const std::size_t exponent = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == exponent) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  double value = 0;
  const std::string_view number = text.substr(mantissa);  // from_chars takes no '+'
  std::from_chars(number.data(), number.data() + number.size(), value);
  return Json(text.front() == '-' ? -value : value);
}

std::optional<Json> yaml_bool(std::string_view text) {
  for (const std::string_view yes : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}) {
    if (text == yes) return Json(true);
  }
  for (const std::string_view no : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}) {
    if (text == no) return Json(false);
  }
  return std::nullopt;
}

bool is_yaml_null(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// A plain, untagged scalar, typed as YAML 1.1 does.
Json plain_scalar(std::string_view text) {
  if (is_yaml_null(text)) return nullptr;
  if (auto value = yaml_bool(text)) return *value;
  if (auto value = decimal_integer(text)) return *value;
  if (auto value = yaml_float(text)) return *value;
  return std::string(text);
}

// "a list", "an alias": `noun` with its indefinite article.
std::string with_article(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

// What a node is, as far as a merge key cares: it merges mappings, one or a
// list of them.
enum class Shape { scalar, mapping, list_of_mappings, other_list, function };

// `<<` written plainly: quoted, it is an ordinary field name.
bool is_merge_key(const yaml_event_t& key) {
  return key.type == YAML_SCALAR_EVENT && key.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
         key.data.scalar.tag == nullptr &&
         std::string_view(reinterpret_cast<const char*>(key.data.scalar.value), key.data.scalar.length) ==
             "<<";
}

class DocumentBuilder {
 public:
  DocumentBuilder(std::string_view text, std::string_view what, std::vector<Problem>* warnings)
      : parser_(text), text_(text), what_(what), warnings_(warnings) {}

  base::Expected<Json, Problem> build() {
    if (!parser_.initialized()) return fail("cannot start the YAML parser (out of memory)");
    YamlEvent event;
    if (!next(event) || !expect(event, YAML_STREAM_START_EVENT)) return failure();
    YamlEvent document;
    if (!next(document)) return failure();
    if (document->type == YAML_STREAM_END_EVENT) {
      return fail("the input holds no YAML document (only comments?); expected " + std::string(what_));
    }
    if (!expect(document, YAML_DOCUMENT_START_EVENT)) return failure();
    YamlEvent root_event;
    if (!next(root_event)) return failure();
    if (root_event->type != YAML_MAPPING_START_EVENT) {
      return fail("the input is neither JSON (an object starting with '{') nor a YAML mapping of fields (" +
                  std::string(what_) + "); its document starts at " + where(root_event->start_mark) +
                  " with " + with_article(kind_of_event(*root_event)));
    }
    Shape root_shape = Shape::mapping;
    std::optional<Json> root = node(root_event, 1, root_shape);
    if (!root) return failure();
    YamlEvent end;
    if (!next(end) || !expect(end, YAML_DOCUMENT_END_EVENT)) return failure();
    YamlEvent after;
    if (!next(after)) return failure();
    if (after->type != YAML_STREAM_END_EVENT) {
      return fail("a second YAML document starts at " + where(after->start_mark) +
                  "; the file must hold one document (" + std::string(what_) + ")");
    }
    if (first_merge_key_ && warnings_ != nullptr) warnings_->push_back(merge_key_warning());
    return std::move(*root);
  }

 private:
  // NOLINTNEXTLINE(bugprone-exception-escape): its implicit move is nlohmann's, which does not throw
  struct Anchored {
    Json value;
    std::size_t values = 0;  // how many values expanding it adds
    Shape shape = Shape::scalar;
    yaml_mark_t defined_at{};
  };

  // An anchored node whose end has not been read yet: an alias of it inside
  // it would make the document contain itself.
  struct OpenAnchor {
    std::string_view name;
    yaml_mark_t defined_at{};
  };

  base::Unexpected<Problem> fail(std::string message) {
    return base::unexpected(Problem{"", std::move(message)});
  }
  base::Unexpected<Problem> failure() { return fail(error_); }

  bool next(YamlEvent& event) {
    if (yaml_parser_parse(parser_.get(), event.get()) == 1) return true;
    const yaml_parser_t& p = *parser_.get();
    std::string message = "malformed YAML";
    if (p.error == YAML_READER_ERROR) {
      message += " at byte " + std::to_string(p.problem_offset) + ": " +
                 std::string(text_of(reinterpret_cast<const yaml_char_t*>(p.problem)));
    } else {
      message += " at " + where(p.problem_mark) + ": " +
                 std::string(text_of(reinterpret_cast<const yaml_char_t*>(p.problem)));
      if (p.context != nullptr) {
        message += " (" + std::string(p.context) + " at " + where(p.context_mark) + ")";
      }
      // libyaml's own words do not say why a tab "cannot start any token".
      if (p.problem_mark.index < text_.size() && text_[p.problem_mark.index] == '\t') {
        message += "; YAML indents with spaces, not tabs";
      }
    }
    return error(std::move(message));
  }

  bool error(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool expect(const YamlEvent& event, yaml_event_type_t type) {
    if (event->type == type) return true;
    return error("malformed YAML at " + where(event->start_mark) + ": unexpected " + kind_of_event(*event));
  }

  static std::string kind_of_event(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_SCALAR_EVENT:
        return "plain value";
      case YAML_SEQUENCE_START_EVENT:
        return "list";
      case YAML_MAPPING_START_EVENT:
        return "mapping";
      case YAML_ALIAS_EVENT:
        return "alias";
      default:
        return "document marker";
    }
  }

  static std::string_view describe(Shape shape) {
    switch (shape) {
      case Shape::scalar:
        return "a plain value";
      case Shape::other_list:
        return "a list that holds more than mappings";
      case Shape::function:
        return "a CloudFormation function (a tag such as !Ref)";
      default:
        return "a mapping";
    }
  }

  Problem merge_key_warning() const {
    std::string at = where(*first_merge_key_);
    if (merge_keys_ > 1) at += ", and " + std::to_string(merge_keys_ - 1) + " more";
    return Problem{"", "YAML merge keys ('<<' at " + at +
                           ") are expanded, as the AWS CLI's YAML reader expands them; CloudFormation "
                           "accepts merge keys only through the AWS CLI (`aws cloudformation package` or "
                           "`deploy`), which expands them before upload, so the console or the API would "
                           "refuse this template as it is"};
  }

  bool count_values(std::size_t added, const yaml_mark_t& mark) {
    values_ += added;
    if (values_ <= kMaxYamlValues) return true;
    return error("the YAML document holds more than " + std::to_string(kMaxYamlValues) +
                 " values once its aliases are expanded (at " + where(mark) + "); " + std::string(what_) +
                 " normally holds a few hundred");
  }

  // A node's anchor and tag (empty when it has none, and for other events).
  static std::pair<std::string_view, std::string_view> anchor_and_tag(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_SCALAR_EVENT:
        return {text_of(event.data.scalar.anchor), text_of(event.data.scalar.tag)};
      case YAML_SEQUENCE_START_EVENT:
        return {text_of(event.data.sequence_start.anchor), text_of(event.data.sequence_start.tag)};
      case YAML_MAPPING_START_EVENT:
        return {text_of(event.data.mapping_start.anchor), text_of(event.data.mapping_start.tag)};
      default:
        return {};
    }
  }

  // *name: a copy of the anchored value, counted again.
  std::optional<Json> alias(const YamlEvent& event, Shape& shape) {
    const std::string_view name = text_of(event->data.alias.anchor);
    const auto it = anchors_.find(std::string(name));
    // The anchor defined last before the alias is the one it names; when that
    // one's node is still open, the alias is inside it.
    const auto open = std::find_if(open_anchors_.rbegin(), open_anchors_.rend(),
                                   [&](const OpenAnchor& anchor) { return anchor.name == name; });
    if (open != open_anchors_.rend() &&
        (it == anchors_.end() || it->second.defined_at.index < open->defined_at.index)) {
      error("malformed YAML at " + where(event->start_mark) + ": the alias *" + printable(name) +
            " is inside the node it refers to (anchored &" + printable(name) + " at " +
            where(open->defined_at) + "); a recursive alias cannot be expanded");
      return std::nullopt;
    }
    if (it == anchors_.end()) {
      error("malformed YAML at " + where(event->start_mark) + ": the alias *" + printable(name) +
            " names no anchor defined before it");
      return std::nullopt;
    }
    if (!count_values(it->second.values, event->start_mark)) return std::nullopt;
    shape = it->second.shape;
    return it->second.value;
  }

  // The node that `event` starts and what kind it is; nullopt with error_ set
  // when it is not valid.
  std::optional<Json> node(const YamlEvent& event, std::size_t depth, Shape& shape) {
    if (depth > kMaxJsonDepth) {
      error("the YAML document is nested more than " + std::to_string(kMaxJsonDepth) + " levels deep (at " +
            where(event->start_mark) + ")");
      return std::nullopt;
    }
    if (event->type == YAML_ALIAS_EVENT) return alias(event, shape);
    const auto [anchor, tag] = anchor_and_tag(*event);
    const std::size_t values_before = values_;
    if (!count_values(1, event->start_mark)) return std::nullopt;
    if (!anchor.empty()) open_anchors_.push_back({anchor, event->start_mark});
    std::optional<Json> value;
    switch (event->type) {
      case YAML_SCALAR_EVENT:
        shape = Shape::scalar;
        value = scalar(event);
        break;
      case YAML_SEQUENCE_START_EVENT:
        value = sequence(depth, shape);
        break;
      case YAML_MAPPING_START_EVENT:
        shape = Shape::mapping;
        value = mapping(depth);
        break;
      default:
        expect(event, YAML_SCALAR_EVENT);
        return std::nullopt;
    }
    if (!anchor.empty()) open_anchors_.pop_back();
    if (!value) return std::nullopt;
    if (!tag.empty() && !tag.starts_with(kCoreTagPrefix) && tag != "!") {
      const auto function = cloudformation_function(tag);
      if (!function) {
        error("unknown tag " + printable(tag) + " at " + where(event->start_mark) +
              "; CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !If, !Select, !Split, "
              "!FindInMap, !ImportValue, !Base64, !Cidr, !GetAZs, !Equals, !And, !Or, !Not, !Condition, "
              "!Transform");
        return std::nullopt;
      }
      value = Json{{*function, std::move(*value)}};
      shape = Shape::function;
    }
    if (!anchor.empty()) {
      anchors_[std::string(anchor)] = Anchored{*value, values_ - values_before, shape, event->start_mark};
    }
    return value;
  }

  std::optional<Json> scalar(const YamlEvent& event) {
    const auto& data = event->data.scalar;
    const std::string_view text(reinterpret_cast<const char*>(data.value), data.length);
    const std::string_view tag = text_of(data.tag);
    if (tag.empty()) {
      // Untagged: only a plain scalar is typed; a quoted one is a string.
      if (data.style == YAML_PLAIN_SCALAR_STYLE) return plain_scalar(text);
      return std::string(text);
    }
    if (!tag.starts_with(kCoreTagPrefix)) return std::string(text);  // "!" or a function's argument
    const std::string_view type = tag.substr(kCoreTagPrefix.size());
    std::optional<Json> typed;
    if (type == "int") {
      typed = decimal_integer(text);
    } else if (type == "float") {
      typed = decimal_integer(text);
      if (!typed) typed = yaml_float(text);
    } else if (type == "bool") {
      typed = yaml_bool(text);
    } else if (type == "null") {
      if (is_yaml_null(text)) typed = Json(nullptr);
    } else {
      return std::string(text);  // !!str, !!binary, !!timestamp: kept as written
    }
    if (!typed) {
      error("the value at " + where(event->start_mark) + " is tagged !!" + std::string(type) + " but '" +
            printable(text) + "' is not one");
    }
    return typed;
  }

  // `shape`: a list of mappings (which a merge key takes) or another list.
  std::optional<Json> sequence(std::size_t depth, Shape& shape) {
    Json items = Json::array();
    shape = Shape::list_of_mappings;
    while (true) {
      YamlEvent event;
      if (!next(event)) return std::nullopt;
      if (event->type == YAML_SEQUENCE_END_EVENT) return items;
      Shape item_shape = Shape::scalar;
      auto item = node(event, depth + 1, item_shape);
      if (!item) return std::nullopt;
      if (item_shape != Shape::mapping) shape = Shape::other_list;
      items.push_back(std::move(*item));
    }
  }

  // `<<: value`: adds the fields of the mapping (or of each mapping in the
  // list) that `merged` does not have yet, so an earlier mapping wins.
  bool merge(Json& merged, Json value, Shape shape, const yaml_mark_t& mark) {
    if (shape != Shape::mapping && shape != Shape::list_of_mappings) {
      return error("malformed YAML at " + where(mark) +
                   ": the merge key '<<' takes a mapping or a list of mappings (<<: *anchor or "
                   "<<: [*first, *second]), not " +
                   std::string(describe(shape)));
    }
    const auto add_fields = [&merged](Json& fields) {
      for (auto field = fields.begin(); field != fields.end(); ++field) {
        if (!merged.contains(field.key())) merged[field.key()] = std::move(field.value());
      }
    };
    if (shape == Shape::mapping) {
      add_fields(value);
    } else {
      for (Json& fields : value) add_fields(fields);
    }
    return true;
  }

  std::optional<Json> mapping(std::size_t depth) {
    Json fields = Json::object();
    // From the merge key, kept apart until the end: the mapping's own fields
    // win whether they come before or after it.
    Json merged = Json::object();
    std::optional<yaml_mark_t> merge_key_at;
    while (true) {
      YamlEvent key_event;
      if (!next(key_event)) return std::nullopt;
      if (key_event->type == YAML_MAPPING_END_EVENT) {
        for (auto field = merged.begin(); field != merged.end(); ++field) {
          if (!fields.contains(field.key())) fields[field.key()] = std::move(field.value());
        }
        return fields;
      }
      if (key_event->type != YAML_SCALAR_EVENT || key_event->data.scalar.tag != nullptr) {
        error(
            "the key at " + where(key_event->start_mark) + " is " +
            with_article(key_event->type == YAML_SCALAR_EVENT ? "tagged value" : kind_of_event(*key_event)) +
            "; field names must be plain text");
        return std::nullopt;
      }
      if (is_merge_key(*key_event)) {
        if (merge_key_at) {
          error("the merge key '<<' appears twice in one mapping (the second at " +
                where(key_event->start_mark) + "); merge several mappings with <<: [*first, *second]");
          return std::nullopt;
        }
        merge_key_at = key_event->start_mark;
        if (!first_merge_key_) first_merge_key_ = key_event->start_mark;
        ++merge_keys_;
        if (!count_values(1, key_event->start_mark)) return std::nullopt;
        YamlEvent value_event;
        if (!next(value_event)) return std::nullopt;
        Shape shape = Shape::scalar;
        auto value = node(value_event, depth + 1, shape);
        if (!value || !merge(merged, std::move(*value), shape, value_event->start_mark)) return std::nullopt;
        continue;
      }
      std::string key(reinterpret_cast<const char*>(key_event->data.scalar.value),
                      key_event->data.scalar.length);
      if (fields.contains(key)) {
        error("the field '" + printable(key) + "' appears twice in one mapping (the second at " +
              where(key_event->start_mark) + ")");
        return std::nullopt;
      }
      if (!count_values(1, key_event->start_mark)) return std::nullopt;
      YamlEvent value_event;
      if (!next(value_event)) return std::nullopt;
      Shape shape = Shape::scalar;
      auto value = node(value_event, depth + 1, shape);
      if (!value) return std::nullopt;
      fields[std::move(key)] = std::move(*value);
    }
  }

  YamlParser parser_;
  std::string_view text_;
  std::string_view what_;
  std::vector<Problem>* warnings_;
  std::string error_;
  std::map<std::string, Anchored> anchors_;
  std::vector<OpenAnchor> open_anchors_;
  std::size_t values_ = 0;
  std::optional<yaml_mark_t> first_merge_key_;
  std::size_t merge_keys_ = 0;
};

}  // namespace

base::Expected<nlohmann::json, Problem> parse_yaml_text(std::string_view text, std::string_view what,
                                                        std::vector<Problem>* warnings) {
  return DocumentBuilder(text, what, warnings).build();
}

}  // namespace edgefetch::config::detail
