// upkeep_allocate_example: the main job on a portfolio, from the command line.
//
//   upkeep_allocate_example --policy examples/policy.json --portfolio examples/data/portfolio.csv
//       [--top N]
//
// Reads the policy document and the portfolio CSV, then classifies the customers, sizes the
// period's pool and allocates it, and prints the sizing formula, the allocation by tier and the
// largest envelopes with the reason for each. Exit codes: 0 ok, 2 bad arguments, 3 bad input.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/portfolio_csv.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/status.h"

namespace {

struct Arguments {
  std::string policy_path;
  std::string portfolio_path;
  size_t top = 10;
};

int Usage(const char* program) {
  std::fprintf(stderr, "usage: %s --policy FILE.json --portfolio FILE.csv [--top N]\n", program);
  return 2;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "error: %s: %s\n",
               std::string(upkeep::ErrorCodeName(upkeep::ErrorCodeOf(status))).c_str(),
               std::string(status.message()).c_str());
  return 3;
}

// "1,234,567.89": a decimal amount with thousands separators, for people to read.
std::string Grouped(int64_t amount_minor, upkeep::Currency currency) {
  const std::string plain = upkeep::Money::FromMinor(amount_minor, currency).ToDecimalString();
  const size_t sign = plain[0] == '-' ? 1 : 0;
  const size_t point = plain.find('.') == std::string::npos ? plain.size() : plain.find('.');
  std::string out = plain.substr(0, sign);
  for (size_t k = sign; k < point; ++k) {
    if (k > sign && (point - k) % 3 == 0) out += ',';
    out += plain[k];
  }
  return out + plain.substr(point);
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  for (int k = 1; k < argc; ++k) {
    const std::string_view flag = argv[k];
    if (k + 1 >= argc) return Usage(argv[0]);
    const char* value = argv[++k];
    if (flag == "--policy") {
      args.policy_path = value;
    } else if (flag == "--portfolio") {
      args.portfolio_path = value;
    } else if (flag == "--top") {
      args.top = std::strtoul(value, nullptr, 10);
    } else {
      return Usage(argv[0]);
    }
  }
  if (args.policy_path.empty() || args.portfolio_path.empty()) return Usage(argv[0]);

  absl::StatusOr<std::string> document = upkeep::io::ReadFile(args.policy_path);
  if (!document.ok()) return Fail(document.status());
  absl::StatusOr<std::shared_ptr<const upkeep::PolicySet>> policy =
      upkeep::PolicySet::Compile(*document);
  if (!policy.ok()) return Fail(policy.status());
  const upkeep::Currency currency = (*policy)->currency();

  absl::StatusOr<std::string> csv = upkeep::io::ReadFile(args.portfolio_path);
  if (!csv.ok()) return Fail(csv.status());
  absl::StatusOr<upkeep::io::PortfolioImport> imported = upkeep::io::ParsePortfolioCsv(
      *csv, currency, upkeep::io::ImportMode::kStrict, args.portfolio_path);
  if (!imported.ok()) return Fail(imported.status());
  const upkeep::Portfolio& portfolio = imported->portfolio;

  absl::StatusOr<upkeep::PeriodPlan> plan = upkeep::PlanPeriod(**policy, portfolio);
  if (!plan.ok()) return Fail(plan.status());
  const upkeep::Allocation& allocation = plan->allocation;
  const std::string code(currency.code());

  absl::PrintF("upkeep: %s\n", (*policy)->name());
  absl::PrintF("%d customers from %s\n\n", portfolio.size(), args.portfolio_path);
  absl::PrintF("Classification: %s\n\n", plan->classification.rule);
  absl::PrintF("Budget sizing:\n%s\n\n", plan->sizing.Explain());

  absl::PrintF("Allocation by tier (%s)\n", code);
  absl::PrintF("%-12s %9s %18s %7s %14s %14s\n", "tier", "customers", "amount", "share", "smallest",
               "largest");
  int64_t allocated_minor = 0;
  size_t customers = 0;
  for (const upkeep::TierSummary& tier : upkeep::SummarizeByTier(*plan)) {
    const double share = allocation.pool_minor == 0
                             ? 0.0
                             : 100.0 * static_cast<double>(tier.amount_minor) /
                                   static_cast<double>(allocation.pool_minor);
    absl::PrintF("%-12s %9d %18s %6.1f%% %14s %14s\n", tier.tier, tier.customers,
                 Grouped(tier.amount_minor, currency), share,
                 Grouped(tier.smallest_minor, currency), Grouped(tier.largest_minor, currency));
    allocated_minor += tier.amount_minor;
    customers += tier.customers;
  }
  absl::PrintF("%-12s %9d %18s\n", "allocated", customers, Grouped(allocated_minor, currency));
  absl::PrintF("%-12s %9s %18s\n", "reserve", "", Grouped(allocation.reserve_minor, currency));
  if (allocation.unallocated_minor != 0) {
    absl::PrintF("%-12s %9s %18s\n", "unallocated", "",
                 Grouped(allocation.unallocated_minor, currency));
  }
  absl::PrintF("%-12s %9s %18s\n\n", "pool", "", Grouped(allocation.pool_minor, currency));

  std::vector<size_t> order(allocation.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const size_t top = std::min(args.top, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](size_t a, size_t b) {
                      return allocation.amount_minor[a] != allocation.amount_minor[b]
                                 ? allocation.amount_minor[a] > allocation.amount_minor[b]
                                 : a < b;
                    });
  absl::PrintF("Largest envelopes\n");
  for (size_t k = 0; k < top; ++k) {
    const size_t i = order[k];
    absl::PrintF("  %-8s %-28s %s\n", portfolio.customer(i).id, portfolio.customer(i).name,
                 allocation.Explain(i));
  }
  return 0;
}
