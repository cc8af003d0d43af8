#include "book_settings.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "nlohmann/json.hpp"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

constexpr const char* kPolicyVersionKey = "policy.version";
constexpr const char* kCategoriesKey = "categories";
constexpr const char* kFiscalStartKey = "fiscal_year_start_month";
constexpr const char* kLotsKey = "rollover.lots";

std::string PolicyKey(int64_t version) { return absl::StrCat("policy.", version); }

absl::Status Corrupt(const OpenedBook& book, std::string_view key, std::string_view what) {
  return MakeError(ErrorCode::kCorrupt,
                   absl::StrCat(book.path(), ": property ", AsAbsl(key), ": ", AsAbsl(what)));
}

// Defines `name` with `define` unless the ledger has it already.
template <typename Define>
absl::Status DefineIfMissing(Define define) {
  absl::Status defined = define();
  if (ErrorCodeOf(defined) == ErrorCode::kAlreadyExists) return absl::OkStatus();
  return defined;
}

}  // namespace

absl::StatusOr<int64_t> PolicyVersion(OpenedBook& book) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, book.store().GetProperty(kPolicyVersionKey));
  if (text.empty()) return int64_t{0};
  int64_t version = 0;
  if (!absl::SimpleAtoi(text, &version) || version < 1) {
    return Corrupt(book, kPolicyVersionKey, "not a version number");
  }
  return version;
}

absl::StatusOr<std::string> PolicyText(OpenedBook& book, int64_t version) {
  UPKEEP_ASSIGN_OR_RETURN(const int64_t latest, PolicyVersion(book));
  if (latest == 0) {
    return MakeError(ErrorCode::kNotFound,
                     book.path() + ": the book has no policy document (upkeep policy set FILE)");
  }
  if (version < 1 || version > latest) {
    return MakeError(ErrorCode::kNotFound, absl::StrCat(book.path(), ": no policy version ",
                                                        version, " (versions 1 to ", latest, ")"));
  }
  return book.store().GetProperty(PolicyKey(version));
}

absl::StatusOr<std::shared_ptr<const PolicySet>> BookPolicy(OpenedBook& book) {
  UPKEEP_ASSIGN_OR_RETURN(const int64_t version, PolicyVersion(book));
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, PolicyText(book, version));
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = PolicySet::Compile(text);
  if (!policy.ok()) {
    return MakeError(
        ErrorCodeOf(policy.status()),
        absl::StrCat(book.path(), ": policy version ", version, ": ", policy.status().message()));
  }
  return policy;
}

absl::StatusOr<int64_t> RecordPolicy(OpenedBook& book, const PolicySet& policy,
                                     std::string_view text, std::string_view actor) {
  if (policy.currency() != book.currency()) {
    return MakeError(
        ErrorCode::kCurrencyMismatch,
        absl::StrCat("the policy is in ", AsAbsl(policy.currency().code()), ", the book ",
                     book.path(), " in ", AsAbsl(book.currency().code())));
  }
  UPKEEP_ASSIGN_OR_RETURN(const int64_t latest, PolicyVersion(book));
  ledger::Ledger& ledger = book.ledger();
  for (const std::string& tier : policy.tier_names()) {
    UPKEEP_RETURN_IF_ERROR(DefineIfMissing([&] { return ledger.DefineTier(actor, tier); }));
  }
  UPKEEP_RETURN_IF_ERROR(ledger.SetPolicies(actor, policy.control()));
  const int64_t version = latest + 1;
  UPKEEP_RETURN_IF_ERROR(book.store().SetProperty(PolicyKey(version), text));
  UPKEEP_RETURN_IF_ERROR(book.store().SetProperty(kPolicyVersionKey, absl::StrCat(version)));
  return version;
}

absl::StatusOr<std::vector<CategoryShare>> BookCategories(OpenedBook& book) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, book.store().GetProperty(kCategoriesKey));
  if (text.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     book.path() + ": the book has no fee categories (upkeep init --categories)");
  }
  absl::StatusOr<std::vector<CategoryShare>> shares = ParseCategoryShares(text);
  if (!shares.ok()) return Corrupt(book, kCategoriesKey, std::string(shares.status().message()));
  return shares;
}

absl::Status RecordCategories(OpenedBook& book, const std::vector<CategoryShare>& shares,
                              std::string_view actor) {
  for (const CategoryShare& share : shares) {
    UPKEEP_RETURN_IF_ERROR(
        DefineIfMissing([&] { return book.ledger().DefineCategory(actor, share.category); }));
  }
  return book.store().SetProperty(kCategoriesKey, FormatCategoryShares(shares));
}

absl::StatusOr<monitor::Calendar> BookCalendar(OpenedBook& book) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, book.store().GetProperty(kFiscalStartKey));
  int first_month = 1;
  if (!text.empty() && !absl::SimpleAtoi(text, &first_month)) {
    return Corrupt(book, kFiscalStartKey, "not a month number");
  }
  absl::StatusOr<monitor::Calendar> calendar = monitor::Calendar::Fiscal(first_month);
  if (!calendar.ok())
    return Corrupt(book, kFiscalStartKey, std::string(calendar.status().message()));
  return calendar;
}

absl::Status RecordFiscalYearStart(OpenedBook& book, int first_month) {
  UPKEEP_RETURN_IF_ERROR(monitor::Calendar::Fiscal(first_month).status());
  return book.store().SetProperty(kFiscalStartKey, absl::StrCat(first_month));
}

absl::StatusOr<std::string> MetricsText(OpenedBook& book, std::string_view period) {
  return book.store().GetProperty(absl::StrCat("metrics.", AsAbsl(period)));
}

absl::Status RecordMetrics(OpenedBook& book, std::string_view period, std::string_view csv) {
  return book.store().SetProperty(absl::StrCat("metrics.", AsAbsl(period)), csv);
}

absl::StatusOr<monitor::CarryLots> CarriedLots(OpenedBook& book) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, book.store().GetProperty(kLotsKey));
  monitor::CarryLots lots;
  if (text.empty()) return lots;
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Corrupt(book, kLotsKey, "not a JSON object");
  for (const auto& [envelope, entries] : json.items()) {
    if (!entries.is_array()) return Corrupt(book, kLotsKey, envelope);
    for (const nlohmann::json& lot : entries) {
      if (!lot.is_array() || lot.size() != 2 || !lot[0].is_number_integer() ||
          !lot[1].is_number_integer()) {
        return Corrupt(book, kLotsKey, envelope);
      }
      lots[envelope].emplace_back(lot[0].get<int32_t>(), lot[1].get<int64_t>());
    }
  }
  return lots;
}

absl::Status RecordCarriedLots(OpenedBook& book, const monitor::CarryLots& lots) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [envelope, entries] : lots) {
    nlohmann::json& list = json[envelope] = nlohmann::json::array();
    for (const auto& [age, amount_minor] : entries) list.push_back({age, amount_minor});
  }
  return book.store().SetProperty(kLotsKey, json.dump());
}

absl::StatusOr<std::optional<KeptProposal>> ProposalKept(OpenedBook& book,
                                                         std::string_view period) {
  const std::string key = absl::StrCat("proposal.", AsAbsl(period));
  UPKEEP_ASSIGN_OR_RETURN(const std::string text, book.store().GetProperty(key));
  if (text.empty()) return std::nullopt;
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Corrupt(book, key, "not a JSON object");
  absl::StatusOr<monitor::Proposal> proposal =
      monitor::ProposalFromJson(json.contains("proposal") ? json.at("proposal") : nlohmann::json());
  if (!proposal.ok()) return Corrupt(book, key, std::string(proposal.status().message()));
  KeptProposal kept{*std::move(proposal), json.value("metrics", ""), json.value("next_metrics", ""),
                    json.value("applied_to", "")};
  return kept;
}

absl::Status RecordProposal(OpenedBook& book, const KeptProposal& kept) {
  const nlohmann::json json = {{"proposal", monitor::ToJson(kept.proposal)},
                               {"metrics", kept.metrics},
                               {"next_metrics", kept.next_metrics},
                               {"applied_to", kept.applied_to}};
  return book.store().SetProperty(absl::StrCat("proposal.", kept.proposal.period), json.dump());
}

}  // namespace upkeep::cli
