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
  std::string codes;      // when not compatible: its reason codes
  std::string not_tried;  // or why it was not tried
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
    row.codes = codes_text(reasons);
    row.not_tried = not_tried;
  }
  return row;
}

// The table's lines end by this column where the profile and result columns
// leave room, so that reasons wrap in an 80-column terminal. (A compatible row
// is wider: its four values stay on one line, aligned with the headers.)
constexpr std::size_t kTableWidth = 80;

}  // namespace

void render_verdicts(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  if (!report.comparison) return;
  const check::ComparedVerdict& c = *report.comparison;
  const std::vector<Row> rows = {
      make_row(report.settings.effective_profile(), report.diagnosis.verdict, true,
               report.handshake.negotiated, report.diagnosis.reasons, ""),
      make_row(*c.profile, c.verdict, false, c.handshake.negotiated, c.reasons, c.not_tried)};

  // With a compatible row, the negotiated values are columns of their own and
  // a row that did not connect gives its reasons on a line under it, so that
  // no column holds two kinds of text. Without one, the reasons are the last
  // column and wrap under themselves.
  const bool any_compatible =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.verdict == Verdict::compatible; });
  std::vector<terminal::Column> columns = {{"Profile"}, {"Result"}};
  if (any_compatible) {
    for (const char* name : {"Version", "Cipher", "Group", "Signature"}) columns.push_back({name});
  } else {
    columns.push_back({"Why not"});
  }
  constexpr std::size_t kFirstValueColumn = 2;

  out << "\n"
      << paint.paint("Verdict under each profile", Style::bold)
      << paint.paint("  (the verdict and the exit code follow " + rows.front().profile + ")", Style::dim)
      << "\n";
  terminal::Table table(std::move(columns));
  table.set_indent("  ");
  table.set_max_line_width(kTableWidth);
  for (const Row& r : rows) {
    std::vector<terminal::Cell> cells = {
        {r.profile, r.primary ? Style::bold : Style::plain},
        {std::string(check::verdict_name(r.verdict)), verdict_style(r.verdict)}};
    if (r.verdict == Verdict::compatible) {
      for (const std::string& value : r.negotiated) cells.push_back({value});
      table.add_row(std::move(cells));
    } else if (!any_compatible) {
      cells.push_back(
          {r.not_tried.empty() ? r.codes : "not tried: " + r.not_tried, verdict_style(r.verdict)});
      table.add_row(std::move(cells));
    } else {
      table.add_row(std::move(cells));
      // Under the values' headers, the codes need a label of their own.
      table.add_continuation(kFirstValueColumn,
                             {r.not_tried.empty() ? "why not: " + r.codes : "not tried: " + r.not_tried,
                              verdict_style(r.verdict)});
    }
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
