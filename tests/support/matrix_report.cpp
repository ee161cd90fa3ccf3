#include "support/matrix_report.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "support/peer_names.hpp"
#include "support/scratch.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::support {
namespace {

// Rows sort by version, then the suite's position in the peer table (policy
// order), then group and scheme.
std::string sort_key(const Cell& cell) {
  std::size_t suite_index = 999;
  const auto suites = peer_suites();
  for (std::size_t i = 0; i < suites.size(); ++i) {
    if (suites[i].code == cell.suite) suite_index = i;
  }
  char key[64];
  std::snprintf(key, sizeof key, "%04X-%03zu-%04X-%04X", 0xFFFFu - policy::wire(cell.version), suite_index,
                static_cast<unsigned>(cell.group), static_cast<unsigned>(cell.scheme));
  return key;
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  if (text.size() > 120) text = text.substr(0, 117) + "...";
  return text;
}

std::string outcome_text(CellOutcome outcome, const std::string& note) {
  switch (outcome) {
    case CellOutcome::pass:
      return "pass";
    case CellOutcome::fail:
      return note.empty() ? "FAIL" : "FAIL: " + one_line(note);
    case CellOutcome::skipped:
      return note.empty() ? "skip" : "skip: " + one_line(note);
  }
  return "?";
}

// The shared file: one row per line, "matrix \t key \t cell \t peer \t outcome".
std::filesystem::path rows_file() {
  return scratch_root() / "interop-matrix.tsv";
}
std::filesystem::path rendered_file() {
  return scratch_root() / "interop-matrix.txt";
}

class MatrixPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    MatrixReport& report = MatrixReport::instance();
    if (report.empty()) return;
    std::printf("\n%s", report.render().c_str());
    std::printf("(all cells run in this build so far: %s)\n", report.persist().c_str());
    std::fflush(stdout);
  }
};

}  // namespace

std::string_view name(CellOutcome outcome) {
  switch (outcome) {
    case CellOutcome::pass:
      return "pass";
    case CellOutcome::fail:
      return "fail";
    case CellOutcome::skipped:
      return "skip";
  }
  return "?";
}

MatrixReport& MatrixReport::instance() {
  static MatrixReport report;
  return report;
}

void MatrixReport::record(std::string_view matrix, const Cell& cell, PeerKind peer, CellOutcome outcome,
                          std::string note) {
  const std::lock_guard guard(mutex_);
  Row& row = tables_[std::string(matrix)][sort_key(cell)];
  row.cell = cell.label();
  row.peers[std::string(name(peer))] = outcome_text(outcome, note);
}

bool MatrixReport::empty() const {
  const std::lock_guard guard(mutex_);
  return tables_.empty();
}

std::string MatrixReport::render() const {
  const std::lock_guard guard(mutex_);
  return render(tables_);
}

std::string MatrixReport::render(const std::map<std::string, Table>& tables) {
  std::ostringstream out;
  for (const auto& [matrix, rows] : tables) {
    std::set<std::string> peer_names;
    std::size_t cell_width = 4;
    for (const auto& [key, row] : rows) {
      cell_width = std::max(cell_width, row.cell.size());
      for (const auto& [peer, outcome] : row.peers) peer_names.insert(peer);
    }
    std::map<std::string, int> passes;
    std::map<std::string, int> failures;
    out << "=== interop matrix: " << matrix << " ===\n";
    out << std::string("cell") << std::string(cell_width - 4 + 2, ' ');
    for (const auto& peer : peer_names)
      out << peer << std::string(peer.size() < 10 ? 10 - peer.size() : 1, ' ');
    out << '\n';
    for (const auto& [key, row] : rows) {
      out << row.cell << std::string(cell_width - row.cell.size() + 2, ' ');
      std::string notes;
      for (const auto& peer : peer_names) {
        const auto it = row.peers.find(peer);
        std::string shown = "-";
        if (it != row.peers.end()) {
          const std::string& outcome = it->second;
          shown = outcome.starts_with("pass") ? "pass" : outcome.starts_with("FAIL") ? "FAIL" : "skip";
          if (shown == "pass") ++passes[peer];
          if (shown == "FAIL") ++failures[peer];
          if (shown != "pass") notes += "  [" + peer + "] " + outcome;
        }
        out << shown
            << std::string(peer.size() < 10 ? 10 - shown.size() : peer.size() + 1 - shown.size(), ' ');
      }
      out << notes << '\n';
    }
    out << rows.size() << " cells;";
    for (const auto& peer : peer_names) {
      out << ' ' << peer << ": " << passes[peer] << " pass, " << failures[peer] << " fail;";
    }
    out << "\n\n";
  }
  return out.str();
}

std::string MatrixReport::persist() const {
  const std::filesystem::path rows_path = rows_file();
  UniqueFd lock(::open((scratch_root() / "interop-matrix.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock) return "(cannot open the matrix lock)";
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return "(cannot lock the matrix)";
  }
  // Read the merged rows, overlay ours, write both files back.
  std::map<std::string, Table> merged;
  {
    std::ifstream in(rows_path);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string matrix, key, cell, peer, outcome;
      if (std::getline(fields, matrix, '\t') && std::getline(fields, key, '\t') &&
          std::getline(fields, cell, '\t') && std::getline(fields, peer, '\t') &&
          std::getline(fields, outcome)) {
        Row& row = merged[matrix][key];
        row.cell = cell;
        row.peers[peer] = outcome;
      }
    }
  }
  {
    const std::lock_guard guard(mutex_);
    for (const auto& [matrix, rows] : tables_) {
      for (const auto& [key, row] : rows) {
        Row& target = merged[matrix][key];
        target.cell = row.cell;
        for (const auto& [peer, outcome] : row.peers) target.peers[peer] = outcome;
      }
    }
  }
  {
    std::ofstream out(rows_path.string() + ".tmp", std::ios::trunc);
    for (const auto& [matrix, rows] : merged) {
      for (const auto& [key, row] : rows) {
        for (const auto& [peer, outcome] : row.peers) {
          out << matrix << '\t' << key << '\t' << row.cell << '\t' << peer << '\t' << outcome << '\n';
        }
      }
    }
  }
  std::error_code ec;
  std::filesystem::rename(rows_path.string() + ".tmp", rows_path, ec);
  std::ofstream(rendered_file(), std::ios::trunc) << render(merged);
  return rendered_file().string();
}

void register_matrix_printer() {
  static const bool registered = [] {
    ::testing::AddGlobalTestEnvironment(new MatrixPrinter());  // gtest takes ownership
    return true;
  }();
  (void)registered;
}

}  // namespace edgefetch::support
