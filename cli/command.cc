#include "command.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/absl_compat.h"
#include "exit_codes.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/portfolio_csv.h"
#include "upkeep/monitor/calendar.h"
#include "upkeep/status.h"

namespace upkeep::cli {

void OnRun(CLI::App& command, int* exit_code, Action action) {
  command.callback([exit_code, action = std::move(action)] {
    absl::StatusOr<int> result = action();
    *exit_code = result.ok() ? *result : ReportError(result.status());
  });
}

void AddPlanInputOptions(CLI::App& command, PlanInputs& inputs, bool required) {
  command.add_option("--policy", inputs.policy_path, "the policy document (JSON)")
      ->required(required)
      ->check(CLI::ExistingFile);
  command.add_option("--portfolio", inputs.portfolio_path, "the customers and their metrics (CSV)")
      ->required(required)
      ->check(CLI::ExistingFile);
}

absl::StatusOr<std::shared_ptr<const PolicySet>> LoadPolicy(const std::string& path) {
  absl::StatusOr<PolicyFile> file = LoadPolicyFile(path);
  if (!file.ok()) return file.status();
  return std::move(file->policy);
}

absl::StatusOr<PolicyFile> LoadPolicyFile(const std::string& path) {
  absl::StatusOr<std::string> document = io::ReadFile(path);
  if (!document.ok()) return document.status();
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = PolicySet::Compile(*document);
  if (!policy.ok()) {
    return MakeError(ErrorCodeOf(policy.status()),
                     path + ": " + std::string(policy.status().message()));
  }
  return PolicyFile{*std::move(document), *std::move(policy)};
}

absl::StatusOr<int64_t> ParseDay(std::string_view text, std::string_view what) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(AsAbsl(text), &day)) {
    return MakeError(ErrorCode::kParse, absl::StrCat(AsAbsl(what), ": not a date (YYYY-MM-DD): \"",
                                                     AsAbsl(text), "\""));
  }
  return monitor::DayStartMicros(day);
}

std::string FormatDay(int64_t time_micros) {
  const absl::CivilDay day =
      absl::ToCivilDay(absl::FromUnixMicros(time_micros), absl::UTCTimeZone());
  return absl::FormatCivilTime(day);
}

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

absl::StatusOr<Portfolio> LoadPortfolio(const std::string& path, Currency currency) {
  absl::StatusOr<std::string> text = io::ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<io::PortfolioImport> imported =
      io::ParsePortfolioCsv(*text, currency, io::ImportMode::kStrict, path);
  if (!imported.ok()) return imported.status();
  return std::move(imported->portfolio);
}

}  // namespace upkeep::cli
