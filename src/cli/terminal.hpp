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
  /// Narrower than this, a wrapped column is harder to read than a long line:
  /// text that would wrap narrower keeps this width and the line runs longer.
  static constexpr std::size_t kMinWrapWidth = 24;

  explicit Table(std::vector<Column> columns);

  /// A row with fewer cells than columns is completed with empty cells; extra
  /// cells are dropped.
  void add_row(std::vector<Cell> cells);
  /// A line of its own under the last row added, starting where `column`
  /// starts and running across the columns after it: text of another kind
  /// than those columns hold (the reasons under a row whose neighbours hold
  /// negotiated values). It does not widen any column. Without a row, ignored.
  void add_continuation(std::size_t column, Cell cell);
  [[nodiscard]] std::size_t row_count() const { return rows_.size(); }
  /// Prefix of every line (e.g. "  " to nest a table under a heading).
  void set_indent(std::string indent) { indent_ = std::move(indent); }
  /// Wraps the last column's cells and the continuation lines at spaces so
  /// that lines, indent included, end by `columns` (e.g. 80 for a terminal);
  /// wrapped lines go on under where the text started. 0, the default, never
  /// wraps. Headers are never wrapped.
  void set_max_line_width(std::size_t columns) { max_line_width_ = columns; }

  void render(std::ostream& out, const Painter& painter) const;
  [[nodiscard]] std::string render(const Painter& painter) const;

 private:
  struct Continuation {
    std::size_t column;
    Cell cell;
  };
  struct Row {
    std::vector<Cell> cells;
    std::vector<Continuation> continuations;
  };
  /// The width left for text that starts `start` columns into a line (after the indent).
  [[nodiscard]] std::size_t wrap_width(std::size_t start) const;

  std::vector<Column> columns_;
  std::vector<Row> rows_;
  std::string indent_;
  std::size_t max_line_width_ = 0;
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
