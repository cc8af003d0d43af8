// cli/command.h: how a command runs, and the inputs that several commands read.
//
// Each command registers an Action with OnRun; main() gets the exit status from it. Loading
// helpers prefix errors with the file they came from, so every error names its file.
#ifndef UPKEEP_CLI_COMMAND_H_
#define UPKEEP_CLI_COMMAND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"

namespace upkeep::cli {

// What a command does: an exit status (exit_codes.h), or an error reported as one line.
using Action = std::function<absl::StatusOr<int>()>;

// Runs `action` when `command` is chosen and stores its exit status in `*exit_code`.
void OnRun(CLI::App& command, int* exit_code, Action action);

// `--policy FILE` and `--portfolio FILE.csv` (both required unless `required` is false).
struct PlanInputs {
  std::string policy_path;
  std::string portfolio_path;
};
void AddPlanInputOptions(CLI::App& command, PlanInputs& inputs, bool required = true);

// The policy document at `path`, compiled; errors start with the path.
absl::StatusOr<std::shared_ptr<const PolicySet>> LoadPolicy(const std::string& path);

// The same, with the document's text as it was read.
struct PolicyFile {
  std::string text;
  std::shared_ptr<const PolicySet> policy;
};
absl::StatusOr<PolicyFile> LoadPolicyFile(const std::string& path);

// "YYYY-MM-DD" as microseconds since the epoch at 00:00 UTC; kParse naming `what` otherwise.
absl::StatusOr<int64_t> ParseDay(std::string_view text, std::string_view what);
// The UTC day of `time_micros` as "YYYY-MM-DD".
std::string FormatDay(int64_t time_micros);
// Now, from the system clock, in microseconds since the epoch.
int64_t NowMicros();

// The portfolio CSV at `path` in `currency`; the first bad row fails (naming file and line).
absl::StatusOr<Portfolio> LoadPortfolio(const std::string& path, Currency currency);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_COMMAND_H_
