#pragma once
// The interop matrix as test output: each cell test records its outcome per
// peer; the matrix (cell -> peers -> pass/fail) is printed at the end of the
// test program and merged into <scratch root>/interop-matrix.txt, because
// ctest runs every cell in a process of its own.

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "support/peer_server.hpp"

namespace edgefetch::support {

enum class CellOutcome { pass, fail, skipped };
std::string_view name(CellOutcome outcome);

class MatrixReport {
 public:
  static MatrixReport& instance();

  /// Records one (matrix, cell, peer) outcome. `matrix` names the table
  /// ("TLS 1.2 / edgefetch"); `note` is a short reason for failures and skips.
  void record(std::string_view matrix, const Cell& cell, PeerKind peer, CellOutcome outcome,
              std::string note = {});

  /// This process's tables, rendered.
  [[nodiscard]] std::string render() const;
  /// Merges this process's rows into the shared file (under a lock) and returns its path.
  std::string persist() const;
  [[nodiscard]] bool empty() const;

  struct Row {
    std::string cell;
    std::map<std::string, std::string> peers;  // peer -> "pass" / "FAIL: why" / "skip: why"
  };
  using Table = std::map<std::string, Row>;  // key: cell sort key

  /// Renders tables (used for this process's rows and for the merged file).
  static std::string render(const std::map<std::string, Table>& tables);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Table> tables_;  // matrix name -> rows
};

/// A gtest environment that prints the matrix after all tests of the program
/// ran and persists it. Registered by the interop test program.
void register_matrix_printer();

}  // namespace edgefetch::support
