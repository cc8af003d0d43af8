#include "output.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "upkeep/money.h"

namespace upkeep::cli {
namespace {

bool IsWide(uint32_t code_point) {
  return (code_point >= 0x1100 && code_point <= 0x115F) ||
         (code_point >= 0x2E80 && code_point <= 0xA4CF) ||
         (code_point >= 0xAC00 && code_point <= 0xD7A3) ||
         (code_point >= 0xF900 && code_point <= 0xFAFF) ||
         (code_point >= 0xFE30 && code_point <= 0xFE4F) ||
         (code_point >= 0xFF00 && code_point <= 0xFF60) ||
         (code_point >= 0xFFE0 && code_point <= 0xFFE6) ||
         (code_point >= 0x20000 && code_point <= 0x3FFFD);
}

std::string Shown(const Column& column, const std::string& cell) {
  return column.kind == Column::kMoney ? GroupThousands(cell) : cell;
}

bool RightAligned(const Column& column) { return column.kind != Column::kText; }

void PrintTable(const Table& table, std::FILE* out) {
  const size_t columns = table.columns.size();
  // Each cell as shown and its width, worked out once: they size the columns, then are printed.
  std::vector<std::string> shown;
  std::vector<size_t> shown_width_cells;
  shown.reserve(table.rows.size() * columns);
  shown_width_cells.reserve(table.rows.size() * columns);
  std::vector<size_t> width_cells(columns);
  for (size_t c = 0; c < columns; ++c) width_cells[c] = DisplayWidth(table.columns[c].name);
  for (const std::vector<std::string>& row : table.rows) {
    for (size_t c = 0; c < columns; ++c) {
      shown.push_back(Shown(table.columns[c], row[c]));
      shown_width_cells.push_back(DisplayWidth(shown.back()));
      width_cells[c] = std::max(width_cells[c], shown_width_cells.back());
    }
  }
  std::string line;
  // Prints the row whose cell c is `text_of(c)`, `width_cells_of(c)` cells wide.
  auto print_row = [&](auto text_of, auto width_cells_of) {
    line.clear();
    for (size_t c = 0; c < columns; ++c) {
      const size_t padding = width_cells[c] - width_cells_of(c);
      const bool right = RightAligned(table.columns[c]);
      if (c > 0) line += "  ";
      if (right) line.append(padding, ' ');
      line += text_of(c);
      if (!right && c + 1 < columns) line.append(padding, ' ');
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  };
  if (!table.title.empty()) absl::FPrintF(out, "%s\n", table.title);
  print_row([&](size_t c) -> std::string_view { return table.columns[c].name; },
            [&](size_t c) { return DisplayWidth(table.columns[c].name); });
  size_t rule_cells = 0;
  for (const size_t cells : width_cells) rule_cells = std::max(rule_cells, cells);
  const std::string rule(rule_cells, '-');
  print_row([&](size_t c) { return std::string_view(rule).substr(0, width_cells[c]); },
            [&](size_t c) { return width_cells[c]; });
  for (size_t r = 0; r < table.rows.size(); ++r) {
    print_row([&](size_t c) -> std::string_view { return shown[r * columns + c]; },
              [&](size_t c) { return shown_width_cells[r * columns + c]; });
  }
}

void PrintCsv(const Table& table, std::FILE* out) {
  auto print_row = [&](auto cell_text) {
    std::string line;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) line += ',';
      line += CsvField(cell_text(c));
    }
    absl::FPrintF(out, "%s\n", line);
  };
  print_row([&](size_t c) { return table.columns[c].name; });
  for (const std::vector<std::string>& row : table.rows) {
    print_row([&](size_t c) { return row[c]; });
  }
}

nlohmann::json TableJson(const Table& table) {
  nlohmann::json rows = nlohmann::json::array();
  for (const std::vector<std::string>& row : table.rows) {
    nlohmann::json object = nlohmann::json::object();
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (table.columns[c].kind == Column::kNumber) {
        object[table.columns[c].name] = nlohmann::json::parse(row[c]);
      } else {
        object[table.columns[c].name] = row[c];
      }
    }
    rows.push_back(std::move(object));
  }
  return rows;
}

// A report without tables prints its facts as a two-column table in CSV form.
Table FactTable(const std::vector<Fact>& facts) {
  Table table{"facts", "", {{"key"}, {"value"}}};
  for (const Fact& fact : facts) table.rows.push_back({fact.key, fact.value});
  return table;
}

}  // namespace

void AddFormatOption(CLI::App& command, Format& format) {
  const std::map<std::string, Format> names = {
      {"table", Format::kTable}, {"csv", Format::kCsv}, {"json", Format::kJson}};
  command.add_option("--format", format, "output form: table (default), csv or json")
      ->transform(CLI::CheckedTransformer(names, CLI::ignore_case));
}

void Print(const Report& report, Format format, std::FILE* out) {
  switch (format) {
    case Format::kTable: {
      for (const Fact& fact : report.facts) absl::FPrintF(out, "%s: %s\n", fact.key, fact.value);
      for (const Table& table : report.tables) {
        absl::FPrintF(out, "\n");
        PrintTable(table, out);
      }
      return;
    }
    case Format::kCsv: {
      if (report.tables.empty()) {
        PrintCsv(FactTable(report.facts), out);
        return;
      }
      for (size_t t = 0; t < report.tables.size(); ++t) {
        if (t > 0) absl::FPrintF(out, "\n");
        PrintCsv(report.tables[t], out);
      }
      return;
    }
    case Format::kJson: {
      nlohmann::json object = nlohmann::json::object();
      for (const Fact& fact : report.facts) object[fact.key] = fact.value;
      for (const Table& table : report.tables) object[table.key] = TableJson(table);
      absl::FPrintF(out, "%s\n", object.dump(2));
      return;
    }
  }
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

size_t DisplayWidth(std::string_view text) {
  size_t width_cells = 0;
  for (size_t k = 0; k < text.size();) {
    const auto lead = static_cast<unsigned char>(text[k]);
    const size_t length = lead < 0x80   ? size_t{1}
                          : lead < 0xE0 ? size_t{2}
                          : lead < 0xF0 ? size_t{3}
                                        : size_t{4};
    uint32_t code_point = length == 1 ? lead : lead & (0x7Fu >> length);
    for (size_t j = 1; j < length && k + j < text.size(); ++j) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[k + j]) & 0x3Fu);
    }
    const bool combining = code_point >= 0x0300 && code_point <= 0x036F;
    width_cells += combining ? size_t{0} : IsWide(code_point) ? size_t{2} : size_t{1};
    k += length;
  }
  return width_cells;
}

std::string GroupThousands(std::string_view decimal) {
  const size_t sign = !decimal.empty() && decimal[0] == '-' ? 1 : 0;
  const size_t point = std::min(decimal.find('.'), decimal.size());
  std::string out(decimal.substr(0, sign));
  for (size_t k = sign; k < point; ++k) {
    if (k > sign && (point - k) % 3 == 0) out += ',';
    out += decimal[k];
  }
  out += decimal.substr(point);
  return out;
}

std::string AmountText(int64_t amount_minor, Currency currency) {
  return Money::FromMinor(amount_minor, currency).ToDecimalString();
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "0.0";
  return absl::StrFormat("%.1f", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

}  // namespace upkeep::cli
