#pragma once
// Turns input text into a JSON document, or one problem that says where and
// why it is not one (line and column), refusing inputs that are too large or
// too deeply nested before parsing them. Text that does not start as JSON
// does is read as YAML (yaml_text.hpp) into the same kind of document.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// `what` names the expected document in messages ("a distribution config").
base::Expected<nlohmann::json, Problem> parse_json_text(std::string_view text,
                                                        std::string_view what = "a distribution config");

/// `text` with printable ASCII kept and every other byte hex-escaped, for
/// messages that quote the input.
std::string printable(std::string_view text);

/// The field `key` of `object`, or nullptr (also when `object` is no object).
const nlohmann::json* member(const nlohmann::json& object, const char* key);

/// 1-based line and column of byte `offset` in `text`.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace edgefetch::config::detail
