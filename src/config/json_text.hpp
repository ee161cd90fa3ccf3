#pragma once
// Turns input text into a JSON document, or one problem that says where and
// why it is not one (line and column), refusing inputs that are too large or
// too deeply nested before parsing them. Text that does not start as JSON
// does is read as YAML (yaml_text.hpp) into the same kind of document.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// `what` names the expected document in messages ("a distribution config").
/// A key given twice in one object is a problem, as it is in YAML: which of
/// the two a reader keeps differs between readers. `warnings`, when given,
/// receives what is accepted but worth telling the user (see parse_yaml_text).
base::Expected<nlohmann::json, Problem> parse_json_text(std::string_view text,
                                                        std::string_view what = "a distribution config",
                                                        std::vector<Problem>* warnings = nullptr);

/// `text` with printable ASCII kept and every other byte hex-escaped, for
/// messages that quote the input.
std::string printable(std::string_view text);

/// The field `key` of `object`, or nullptr (also when `object` is no object).
const nlohmann::json* member(const nlohmann::json& object, const char* key);

/// `key` as one segment of a field path: as it is when it is a plain name
/// (letters, digits, '_', '-'), else quoted, so the path stays readable.
std::string path_segment(const std::string& key);

/// 1-based line and column of byte `offset` in `text`.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace edgefetch::config::detail
