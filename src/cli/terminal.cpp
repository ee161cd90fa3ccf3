#include "terminal.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <sstream>
#include <vector>

#include "edgefetch/base/ascii.hpp"

namespace edgefetch::cli::terminal {
namespace {

std::string_view sgr(Style style) {
  switch (style) {
    case Style::plain:
      return "";
    case Style::bold:
      return "\x1b[1m";
    case Style::dim:
      return "\x1b[2m";
    case Style::red:
      return "\x1b[31m";
    case Style::green:
      return "\x1b[32m";
    case Style::yellow:
      return "\x1b[33m";
    case Style::blue:
      return "\x1b[34m";
    case Style::cyan:
      return "\x1b[36m";
  }
  return "";
}

constexpr std::string_view kReset = "\x1b[0m";

bool resolve(ColorMode mode, int fd) {
  switch (mode) {
    case ColorMode::always:
      return true;
    case ColorMode::never:
      return false;
    case ColorMode::automatic:
      return wants_color(fd);
  }
  return false;
}

void pad(std::ostream& out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    out.put(' ');
  }
}

// `text` as the lines it wraps to at `width` columns (0: one line, as it is).
// Text that fits is left alone, runs of spaces included.
std::vector<std::string> wrapped_lines(std::string_view text, std::size_t width) {
  if (width == 0 || display_width(text) <= width) {
    return {std::string(text)};
  }
  const std::string wrapped = wrap(text, width, "");
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = wrapped.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(wrapped.substr(start));
      return lines;
    }
    lines.push_back(wrapped.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

bool wants_color(int fd) {
  const char* no_color = std::getenv("NO_COLOR");  // NOLINT(concurrency-mt-unsafe): read-only use
  if (no_color != nullptr && *no_color != '\0') {
    return false;
  }
  // A terminal that says it cannot show escape sequences (Emacs shells, some CI consoles).
  const char* term = std::getenv("TERM");  // NOLINT(concurrency-mt-unsafe): read-only use
  if (term != nullptr && std::string_view(term) == "dumb") {
    return false;
  }
  return isatty(fd) == 1;
}

Painter Painter::for_stdout(ColorMode mode) {
  return Painter(resolve(mode, STDOUT_FILENO));
}

Painter Painter::for_stderr(ColorMode mode) {
  return Painter(resolve(mode, STDERR_FILENO));
}

std::string Painter::paint(std::string_view text, Style style) const {
  if (!enabled_ || style == Style::plain || text.empty()) {
    return std::string(text);
  }
  std::string out(sgr(style));
  out += text;
  out += kReset;
  return out;
}

std::size_t display_width(std::string_view text) {
  // Count bytes that start a code point (everything but UTF-8 continuation bytes).
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

std::string displayable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // U+0080-U+009F are C1 controls (0x9B is CSI to some terminals): C2 80-9F in UTF-8.
    const bool c1 =
        byte == 0xC2 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xE0U) == 0x80U;
    if (byte < 0x20 || byte == 0x7F) {
      base::append_hex_escape(out, byte);
    } else if (c1) {
      base::append_hex_escape(out, byte);
      base::append_hex_escape(out, static_cast<unsigned char>(text[++i]));
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string wrap(std::string_view text, std::size_t width, std::string_view indent) {
  // Every line, the first included, holds at most `width` columns after the indent.
  std::string out;
  std::size_t column = 0;
  std::size_t start = 0;
  bool first_word = true;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (!word.empty()) {
      if (!first_word && column + 1 + display_width(word) > width) {
        out += "\n";
        out += indent;
        column = 0;
      } else if (!first_word) {
        out += ' ';
        ++column;
      }
      out += word;
      column += display_width(word);
      first_word = false;
    }
    start = end + 1;
  }
  return out;
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::add_row(std::vector<Cell> cells) {
  cells.resize(columns_.size());
  rows_.push_back({std::move(cells), {}});
}

void Table::add_continuation(std::size_t column, Cell cell) {
  if (rows_.empty() || columns_.empty()) {
    return;
  }
  rows_.back().continuations.push_back({std::min(column, columns_.size() - 1), std::move(cell)});
}

std::size_t Table::wrap_width(std::size_t start) const {
  if (max_line_width_ == 0) {
    return 0;
  }
  const std::size_t used = display_width(indent_) + start;
  return used + kMinWrapWidth >= max_line_width_ ? kMinWrapWidth : max_line_width_ - used;
}

void Table::render(std::ostream& out, const Painter& painter) const {
  if (columns_.empty()) {
    return;
  }
  const std::size_t last = columns_.size() - 1;
  // Every column but the last is as wide as its widest cell; the last is as
  // wide as its widest line once wrapped, which depends on where it starts.
  std::vector<std::size_t> widths(columns_.size());
  std::vector<std::size_t> starts(columns_.size());  // offsets after the indent
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    widths[c] = display_width(columns_[c].header);
    starts[c] = c == 0 ? 0 : starts[c - 1] + widths[c - 1] + 2;
    if (c == last) {
      break;
    }
    for (const auto& row : rows_) {
      widths[c] = std::max(widths[c], display_width(row.cells[c].text));
    }
  }
  // A right-aligned last column is not wrapped: its lines would not line up on the right.
  const std::size_t last_wrap = columns_[last].align == Align::left ? wrap_width(starts[last]) : 0;
  std::vector<std::vector<std::string>> last_lines;
  last_lines.reserve(rows_.size());
  for (const auto& row : rows_) {
    last_lines.push_back(wrapped_lines(row.cells[last].text, last_wrap));
    for (const auto& line : last_lines.back()) {
      widths[last] = std::max(widths[last], display_width(line));
    }
  }

  // The last column is left unpadded unless right-aligned, so that no line ends in blanks.
  const auto write_line = [&](const std::vector<Cell>& cells) {
    std::ostringstream buffer;
    buffer << indent_;
    std::size_t pending_blanks = 0;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::size_t fill = widths[c] - display_width(cells[c].text);
      if (c > 0) {
        pending_blanks += 2;
      }
      if (columns_[c].align == Align::right) {
        pending_blanks += fill;
      }
      if (!cells[c].text.empty()) {
        pad(buffer, pending_blanks);
        pending_blanks = 0;
        buffer << painter.paint(cells[c].text, cells[c].style);
      }
      if (columns_[c].align == Align::left) {
        pending_blanks += fill;
      }
    }
    out << buffer.str() << '\n';
  };
  // A line of its own that starts where a column starts (wrapped text, continuations).
  const auto write_under = [&](std::size_t start, std::string_view text, Style style) {
    out << indent_;
    pad(out, start);
    out << painter.paint(text, style) << '\n';
  };
  std::vector<Cell> header;
  std::vector<Cell> rule;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    header.push_back({columns_[c].header, Style::bold});
    rule.push_back({std::string(widths[c], '-'), Style::dim});
  }
  write_line(header);
  write_line(rule);
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    const Row& row = rows_[r];
    std::vector<Cell> first_line = row.cells;
    first_line[last].text = last_lines[r].front();
    write_line(first_line);
    for (std::size_t i = 1; i < last_lines[r].size(); ++i) {
      write_under(starts[last], last_lines[r][i], row.cells[last].style);
    }
    for (const auto& continuation : row.continuations) {
      const std::size_t start = starts[continuation.column];
      for (const auto& line : wrapped_lines(continuation.cell.text, wrap_width(start))) {
        write_under(start, line, continuation.cell.style);
      }
    }
  }
}

std::string Table::render(const Painter& painter) const {
  std::ostringstream out;
  render(out, painter);
  return out.str();
}

void KeyValueList::add(std::string key, std::string value, Style value_style) {
  entries_.push_back({std::move(key), std::move(value), value_style});
}

void KeyValueList::render(std::ostream& out, const Painter& painter) const {
  std::size_t width = 0;
  for (const Entry& e : entries_) {
    width = std::max(width, display_width(e.key));
  }
  for (const Entry& e : entries_) {
    out << indent_ << e.key;
    if (!e.value.empty()) {
      pad(out, width - display_width(e.key) + 2);
      out << painter.paint(e.value, e.style);
    }
    out << '\n';
  }
}

std::string KeyValueList::render(const Painter& painter) const {
  std::ostringstream out;
  render(out, painter);
  return out.str();
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    out += items[i];
  }
  return out;
}

}  // namespace edgefetch::cli::terminal
