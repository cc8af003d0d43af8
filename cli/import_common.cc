#include "import_common.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "exit_codes.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

constexpr size_t kListed = 10;

absl::Status WriteRejects(const std::string& path, const std::vector<RejectLine>& rejected) {
  std::error_code error;
  if (rejected.empty()) {
    std::filesystem::remove(path, error);
    if (error) return MakeError(ErrorCode::kIo, path + ": " + error.message());
    return absl::OkStatus();
  }
  std::string text = "line,code,reason\n";
  for (const RejectLine& row : rejected) {
    absl::StrAppend(&text, row.line, ",", row.code, ",", CsvField(row.reason), "\n");
  }
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return MakeError(ErrorCode::kIo, path + ": cannot write the rejects file");
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (std::fclose(file) != 0 || !written) {
    return MakeError(ErrorCode::kIo, path + ": cannot write the rejects file");
  }
  return absl::OkStatus();
}

}  // namespace

void AddImportOptions(CLI::App& command, ImportArguments& args) {
  command.add_option("file", args.file, "the CSV file")->required();
  AddBookOption(command, args.book);
  command.add_option("--rejects", args.rejects_path,
                     "where to list the rows left out (default: FILE.rejects.csv)");
  command.add_flag("--quiet", args.quiet, "no progress on stderr");
  AddFormatOption(command, args.format);
}

std::string DefaultRejectsPath(const std::string& file) {
  const std::filesystem::path path(file);
  std::filesystem::path rejects = path;
  if (path.extension() == ".csv") {
    rejects.replace_extension(".rejects.csv");
  } else {
    rejects += ".rejects.csv";
  }
  return rejects.string();
}

void ImportTally::Reject(const io::RejectedRow& row) {
  ++bad;
  rejected.push_back({row.line, std::string(ErrorCodeName(row.code)), row.reason});
}

void ImportTally::Reject(size_t line, const absl::Status& status, std::string_view source) {
  Reject(
      {line, ErrorCodeOf(status), absl::StrCat(AsAbsl(source), ":", line, ": ", status.message())});
}

void ImportTally::Deny(size_t line, std::string reason) {
  rejected.push_back({line, "denied", std::move(reason)});
}

Progress::Style ProgressStyle(const ImportArguments& args) {
  return args.quiet ? Progress::Style::kQuiet : Progress::Style::kAuto;
}

bool IsRowError(const absl::Status& status) {
  const int code = ExitCodeOf(status);
  return code >= kExitBadInput && code <= kExitConflict;
}

absl::StatusOr<int> FinishImport(const ImportArguments& args, ImportTally& tally) {
  std::stable_sort(tally.rejected.begin(), tally.rejected.end(),
                   [](const RejectLine& a, const RejectLine& b) { return a.line < b.line; });
  const std::string rejects_path =
      args.rejects_path.empty() ? DefaultRejectsPath(args.file) : args.rejects_path;
  absl::Status written = WriteRejects(rejects_path, tally.rejected);
  if (!written.ok()) return written;

  Report report;
  report.facts = {{"file", args.file},
                  {"book", args.book.path},
                  {"rows", absl::StrCat(tally.rows)},
                  {"imported", absl::StrCat(tally.imported)},
                  {"already in the book", absl::StrCat(tally.unchanged)},
                  {"rejected", absl::StrCat(tally.rejected.size())}};
  for (Fact& fact : tally.details) report.facts.push_back(std::move(fact));
  if (!tally.rejected.empty()) {
    report.facts.push_back({"rejects file", rejects_path});
    Table& table = report.tables.emplace_back(
        Table{"rejected_rows",
              absl::StrCat("Rejected rows (", std::min(kListed, tally.rejected.size()), " of ",
                           tally.rejected.size(), "; all in the rejects file)"),
              {{"line", Column::kNumber}, {"code"}, {"reason"}}});
    for (size_t k = 0; k < std::min(kListed, tally.rejected.size()); ++k) {
      const RejectLine& row = tally.rejected[k];
      table.rows.push_back({absl::StrCat(row.line), row.code, row.reason});
    }
  }
  Print(report, args.format, stdout);
  if (tally.bad == 0) return kExitOk;
  std::fflush(stdout);
  return ReportError(MakeError(ErrorCode::kInvalidArgument,
                               absl::StrCat(tally.bad, " of ", tally.rows, " rows of ", args.file,
                                            " are bad and were left out; see ", rejects_path)));
}

}  // namespace upkeep::cli
