#pragma once
// Terminal output shared by every subcommand: aligned tables, aligned
// "key  value" lists, and colour that is used only when it will be seen
// (the stream is a terminal and NO_COLOR is unset or empty, https://no-color.org).
//
//   terminal::Painter paint = terminal::Painter::for_stdout();
//   terminal::Table table({{"#", terminal::Align::right}, {"Name"}});
//   table.add_row({{"1"}, {"ECDHE-RSA-AES128-GCM-SHA256", terminal::Style::green}});
//   table.render(std::cout, paint);

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::cli::terminal {

/// automatic: colour when the stream is a TTY and NO_COLOR is unset or empty.
enum class ColorMode { automatic, always, never };

enum class Style { plain, bold, dim, red, green, yellow, blue, cyan };

/// True when the given file descriptor (1 = stdout, 2 = stderr) is a terminal
/// and the NO_COLOR environment variable is unset or empty.
bool wants_color(int fd);

/// Wraps text in ANSI SGR sequences, or leaves it alone when disabled.
class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}
  static Painter for_stdout(ColorMode mode = ColorMode::automatic);
  static Painter for_stderr(ColorMode mode = ColorMode::automatic);

  [[nodiscard]] bool enabled() const { return enabled_; }
  [[nodiscard]] std::string paint(std::string_view text, Style style) const;

 private:
  bool enabled_;
};

/// Width of text in terminal columns: UTF-8 code points (no East Asian wide
/// characters occur in edgefetch's output). Escape sequences must not be in `text`.
std::size_t display_width(std::string_view text);

/// `text` from a config or a peer, safe to print: control characters (C0, DEL,
/// and C1 as UTF-8) become \xNN, so that an origin Id cannot move the cursor,
/// recolour the terminal or forge a line of the report.
std::string displayable(std::string_view text);

/// Wraps `text` at `width` columns; continuation lines start with `indent`.
std::string wrap(std::string_view text, std::size_t width, std::string_view indent);

enum class Align { left, right };

struct Column {
  std::string header;
  Align align = Align::left;
};

struct Cell {
  std::string text;
  Style style = Style::plain;
};

/// Columns padded to their widest cell, two spaces apart, a bold header row and
/// a dashed rule under it; the last column is not padded (no trailing blanks).
/// Colour is applied after padding, so styled cells stay aligned.
class Table {
 public:
  explicit Table(std::vector<Column> columns);

  /// A row with fewer cells than columns is completed with empty cells; extra
  /// cells are dropped.
  void add_row(std::vector<Cell> cells);
  [[nodiscard]] std::size_t row_count() const { return rows_.size(); }
  /// Prefix of every line (e.g. "  " to nest a table under a heading).
  void set_indent(std::string indent) { indent_ = std::move(indent); }
  /// The line under a column's header, instead of dashes across the column: a
  /// column that holds aligned sub-columns of its own gives their dashes here.
  void set_rule(std::size_t column, std::string rule);

  void render(std::ostream& out, const Painter& painter) const;
  [[nodiscard]] std::string render(const Painter& painter) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::vector<std::string> rules_;  // per column; empty: dashes
  std::string indent_;
};

/// "Key      value" lines, keys padded to the longest key.
class KeyValueList {
 public:
  void add(std::string key, std::string value, Style value_style = Style::plain);
  void set_indent(std::string indent) { indent_ = std::move(indent); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

  void render(std::ostream& out, const Painter& painter) const;
  [[nodiscard]] std::string render(const Painter& painter) const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    Style style;
  };
  std::vector<Entry> entries_;
  std::string indent_;
};

/// Joins items with a separator ("a, b, c").
std::string join(const std::vector<std::string>& items, std::string_view separator);

}  // namespace edgefetch::cli::terminal
