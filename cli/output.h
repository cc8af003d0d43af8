// cli/output.h: what a command prints, in one of three forms: an aligned table for people
// (`--format table`, the default), CSV or JSON for machines.
//
// A command builds a Report (a few facts and one or more tables) and prints it:
//   Report report;
//   report.facts.push_back({"pool", "10566460.00"});
//   Table& tiers = report.tables.emplace_back(Table{.key = "tiers", .title = "Allocation by tier",
//       .columns = {{"tier"}, {"amount", Cell::kMoney}}});
//   tiers.rows.push_back({"strategic", "4754907.00"});
//   Print(report, Format::kTable, stdout);
//
// Money cells hold plain decimal text ("1234567.89"); the table form groups thousands
// ("1,234,567.89"), CSV and JSON keep it plain (JSON as a string, exact). Text is UTF-8; columns
// are aligned by display width (CJK characters take two cells).
//
//   table  facts as "key: value" lines, then each table under its title.
//   csv    the tables only, each with its header row, separated by a blank line (a report
//          without tables: its facts as key,value rows).
//   json   one object: each fact as a member, each table as an array of row objects.
//
// Thread safety: pure functions.
#ifndef UPKEEP_CLI_OUTPUT_H_
#define UPKEEP_CLI_OUTPUT_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "upkeep/currency.h"

namespace upkeep::cli {

enum class Format { kTable, kCsv, kJson };

// Adds `--format table|csv|json` to `command`.
void AddFormatOption(CLI::App& command, Format& format);

struct Column {
  enum Kind { kText, kMoney, kNumber, kPercent };  // kNumber: a JSON number; kPercent: "12.5"
  std::string name;
  Kind kind = kText;
};

struct Table {
  std::string key;    // the JSON member name
  std::string title;  // the heading in table form
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
};

struct Fact {
  std::string key;
  std::string value;  // may span several lines in table form
};

struct Report {
  std::vector<Fact> facts;
  std::vector<Table> tables;
};

void Print(const Report& report, Format format, std::FILE* out);

// `text` as one CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string CsvField(const std::string& text);

// Terminal cells that `text` (UTF-8) takes.
size_t DisplayWidth(std::string_view text);

// "1234567.89" -> "1,234,567.89"; "-1234" -> "-1,234".
std::string GroupThousands(std::string_view decimal);

// "1234.56": an amount in minor units as exact decimal text in its currency.
std::string AmountText(int64_t amount_minor, Currency currency);

// "12.3": `part` as a percentage of `whole` with one decimal ("0.0" when whole is 0).
std::string Percent(int64_t part, int64_t whole);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_OUTPUT_H_
