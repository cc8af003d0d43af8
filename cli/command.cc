#include "command.h"

#include <utility>

#include "exit_codes.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/portfolio_csv.h"
#include "upkeep/status.h"

namespace upkeep::cli {

void OnRun(CLI::App& command, int* exit_code, Action action) {
  command.callback([exit_code, action = std::move(action)] {
    absl::StatusOr<int> result = action();
    *exit_code = result.ok() ? *result : ReportError(result.status());
  });
}

void AddPlanInputOptions(CLI::App& command, PlanInputs& inputs) {
  command.add_option("--policy", inputs.policy_path, "the policy document (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--portfolio", inputs.portfolio_path, "the customers and their metrics (CSV)")
      ->required()
      ->check(CLI::ExistingFile);
}

absl::StatusOr<std::shared_ptr<const PolicySet>> LoadPolicy(const std::string& path) {
  absl::StatusOr<std::string> document = io::ReadFile(path);
  if (!document.ok()) return document.status();
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = PolicySet::Compile(*document);
  if (!policy.ok()) {
    return MakeError(ErrorCodeOf(policy.status()),
                     path + ": " + std::string(policy.status().message()));
  }
  return policy;
}

absl::StatusOr<Portfolio> LoadPortfolio(const std::string& path, Currency currency) {
  absl::StatusOr<std::string> text = io::ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<io::PortfolioImport> imported =
      io::ParsePortfolioCsv(*text, currency, io::ImportMode::kStrict, path);
  if (!imported.ok()) return imported.status();
  return std::move(imported->portfolio);
}

}  // namespace upkeep::cli
