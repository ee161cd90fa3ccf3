#pragma once
// CloudFormation intrinsic functions in property values. Only those whose
// result needs no deployed stack are resolved: Fn::Sub (its "${!Literal}"
// escapes included) and Ref whose variables are the template's Parameters
// (their Default, or a value given for them) or the Fn::Sub's own variable
// map, and Fn::Join of such values. Fn::If, Fn::FindInMap, Fn::Select and
// Fn::Split are resolved before (template_conditions.hpp); one still here
// needs what this explains. Everything else (Ref of a resource, Fn::GetAtt,
// Fn::ImportValue, a pseudo parameter nobody gave, ...) is reported as
// unresolved, described for the error message.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace edgefetch::config::detail {

struct Unresolved {
  std::string description;  // e.g. "Fn::GetAtt \"Alb.DNSName\"", "Fn::Sub with the variable \"X\""
  /// Why a parameter has no value here and how to give one, or empty (the
  /// value needs a deployed stack: a resource's attribute, an import, ...).
  std::string hint;
};

/// What `Ref` of one template parameter (or given pseudo parameter) gives.
struct ParameterBinding {
  /// Nothing when it cannot be known here (no Default and no override, a list
  /// type, an SSM parameter); `unresolved_hint` says why.
  std::optional<std::string> value;
  bool from_default = false;  // `value` is the template's Default, not an override
  bool no_echo = false;       // NoEcho: messages do not show the value
  std::string unresolved_hint;
  /// A CommaDelimitedList or List<...> parameter's items, when it has a
  /// value (`value` stays empty: Ref of it is no single value).
  std::optional<std::vector<std::string>> list_value;
};

/// The template parameters in effect while reading one template, by name,
/// and the template's Conditions that cannot be decided here
/// (template_conditions.hpp): a Fn::If on one of those is left in place, and
/// resolving it says why it cannot be.
class ParameterScope {
 public:
  [[nodiscard]] const ParameterBinding* find(std::string_view name) const;
  void bind(std::string name, ParameterBinding binding);
  [[nodiscard]] bool empty() const { return bindings_.empty(); }

  [[nodiscard]] const Unresolved* undecided_condition(std::string_view name) const;
  void note_undecided_condition(std::string name, Unresolved why);

 private:
  std::map<std::string, ParameterBinding, std::less<>> bindings_;
  std::map<std::string, Unresolved, std::less<>> undecided_conditions_;
};

/// AWS::Region, AWS::AccountId, ...: known to a deployed stack, or given.
bool is_pseudo_parameter(std::string_view name);
/// Those a value may be given for (not AWS::NoValue nor the AWS::NotificationARNs list).
bool is_settable_pseudo_parameter(std::string_view name);

struct Resolved {
  std::string text;
  /// The parameters whose Default (not an override) went into `text`, each
  /// once, first use first; at most kMaxDefaultsNamed (`more_defaults` then).
  std::vector<std::string> defaults_used;
  bool more_defaults = false;
};
inline constexpr std::size_t kMaxDefaultsNamed = 8;

/// True for an object with exactly one key that is "Ref" or starts with "Fn::".
bool is_intrinsic(const nlohmann::json& value);

/// True for the intrinsics template_conditions.hpp resolves before the
/// reader runs (Fn::If, Fn::FindInMap, Fn::Select, Fn::Split, and Ref of a
/// parameter without a single value): one still in place where an object or
/// a list belongs could not be decided, and resolve_string says why.
bool is_template_function(const nlohmann::json& value, const ParameterScope* parameters);

/// `value` must be a string or an intrinsic function object. `parameters`:
/// the template's parameters (nullptr: none, as for a bare config).
std::variant<Resolved, Unresolved> resolve_string(const nlohmann::json& value,
                                                  const ParameterScope* parameters = nullptr);

/// "uses the Default of Parameter X ("v"); a deployed stack may pass another
/// value (--template-parameter X=VALUE)": the warning for a field whose value
/// came from Defaults. Empty when `resolved` used none.
std::string defaults_warning(const Resolved& resolved, const ParameterScope& parameters);

}  // namespace edgefetch::config::detail
