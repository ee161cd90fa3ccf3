#include "check_verdicts_text.hpp"

#include <algorithm>
#include <array>
#include <ostream>
#include <vector>

#include "check_text.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::cli::check_cmd {
namespace {

using check::Verdict;
using terminal::Style;

constexpr std::size_t kWidth = 100;

std::string codes_text(const std::vector<check::Reason>& reasons) {
  std::vector<std::string> codes;
  for (const auto& r : reasons) {
    std::string code(check::reason_code_name(r.code));
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  return terminal::join(codes, ", ");
}

// One profile's row before alignment.
struct Row {
  std::string profile;
  Verdict verdict = Verdict::unreachable;
  bool primary = false;
  // Version, cipher, group, signature scheme when compatible.
  std::array<std::string, 4> negotiated;
  std::string why;  // when not compatible
};

Row make_row(const policy::Profile& profile, Verdict verdict, bool primary, const tls::Negotiated& n,
             const std::vector<check::Reason>& reasons, const std::string& not_tried) {
  Row row;
  row.profile = std::string(profile.name);
  row.verdict = verdict;
  row.primary = primary;
  if (verdict == Verdict::compatible) {
    row.negotiated = {std::string(policy::info(n.version).openssl_name),
                      n.cipher_suite ? std::string(n.cipher_suite->openssl_name) : "",
                      n.group ? std::string(n.group->name) : "-",
                      n.signature_scheme ? std::string(n.signature_scheme->iana_name) : "-"};
  } else {
    row.why = not_tried.empty() ? codes_text(reasons) : "not tried: " + not_tried;
  }
  return row;
}

std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(width - std::min(width, terminal::display_width(text)), ' ');
}

}  // namespace

void render_verdicts(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  if (!report.comparison) return;
  const check::ComparedVerdict& c = *report.comparison;
  const std::vector<Row> rows = {
      make_row(report.settings.effective_profile(), report.diagnosis.verdict, true,
               report.handshake.negotiated, report.diagnosis.reasons, ""),
      make_row(*c.profile, c.verdict, false, c.handshake.negotiated, c.reasons, c.not_tried)};

  // The last column holds the four negotiated values aligned among themselves,
  // or the reason codes starting where the version would be.
  static constexpr std::array<const char*, 4> kNames = {"Version", "Cipher", "Group", "Signature"};
  const bool any_compatible =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.verdict == Verdict::compatible; });
  std::array<std::size_t, 4> widths{};
  for (std::size_t i = 0; i < widths.size(); ++i) {
    widths[i] = terminal::display_width(kNames[i]);
    for (const Row& r : rows) widths[i] = std::max(widths[i], terminal::display_width(r.negotiated[i]));
  }
  const auto aligned = [&widths](const std::array<std::string, 4>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
      text += i + 1 < values.size() ? padded(values[i], widths[i]) + "  " : values[i];
    }
    return text;
  };
  const std::string last_header =
      any_compatible ? aligned({kNames[0], kNames[1], kNames[2], kNames[3]}) : "Why not";
  const std::string last_rule = any_compatible
                                    ? aligned({std::string(widths[0], '-'), std::string(widths[1], '-'),
                                               std::string(widths[2], '-'), std::string(widths[3], '-')})
                                    : "";

  out << "\n"
      << paint.paint("Verdict under each profile", Style::bold)
      << paint.paint("  (the verdict and the exit code follow " + rows.front().profile + ")", Style::dim)
      << "\n";
  terminal::Table table({{"Profile"}, {"Result"}, {last_header}});
  table.set_indent("  ");
  table.set_rule(2, last_rule);
  for (const Row& r : rows) {
    const bool ok = r.verdict == Verdict::compatible;
    table.add_row({{r.profile, r.primary ? Style::bold : Style::plain},
                   {std::string(check::verdict_name(r.verdict)), verdict_style(r.verdict)},
                   {ok ? aligned(r.negotiated) : r.why, ok ? Style::plain : verdict_style(r.verdict)}});
  }
  table.render(out, paint);
  if (!c.summary.empty()) out << "  " << paint.paint(wrap(c.summary, kWidth - 2, "  "), Style::bold) << "\n";
}

std::string comparison_cell(const check::CheckReport& report) {
  if (!report.comparison) return "-";
  const check::ComparedVerdict& c = *report.comparison;
  if (!c.tried()) return "not tried";
  std::string text(check::verdict_name(c.verdict));
  if (c.verdict == Verdict::compatible) {
    text += " " + std::string(policy::info(c.handshake.negotiated.version).openssl_name);
  }
  return text;
}

}  // namespace edgefetch::cli::check_cmd
