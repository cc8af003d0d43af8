#include "upkeep/monitor/forecast_control.h"

#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "monitor/alert_text.h"
#include "monitor/params_util.h"
#include "upkeep/money.h"

namespace upkeep::monitor {
namespace {

class ForecastGuard final : public ledger::ControlPolicy {
 public:
  ForecastGuard(std::shared_ptr<const std::vector<ledger::Period>> periods,
                std::shared_ptr<const ForecastMethod> forecast, ledger::ScopeKind level,
                ledger::Outcome action, int64_t margin_bp)
      : periods_(std::move(periods)),
        forecast_(std::move(forecast)),
        level_(level),
        action_(action),
        margin_bp_(margin_bp) {}

  void Evaluate(const ledger::ControlContext& context, std::string_view rule_id,
                ledger::Decision* decision) const override {
    const size_t at = level_ == ledger::ScopeKind::kCustomer ? 0
                      : level_ == ledger::ScopeKind::kTier   ? 1
                                                             : 2;
    if (context.path.size() <= at) return;
    const ledger::Period* period = nullptr;
    for (const ledger::Period& p : *periods_) {
      if (p.id == context.period) period = &p;
    }
    if (period == nullptr) return;
    const ledger::Balance& b = context.path[at];
    const int64_t used = b.spent_minor + b.reserved_minor + context.amount_minor;
    absl::StatusOr<Projection> p = forecast_->Project({.start_micros = period->start_micros,
                                                       .end_micros = period->end_micros,
                                                       .now_micros = context.time_micros,
                                                       .used_minor = used,
                                                       .explain = false});
    if (!p.ok()) return;
    const absl::int128 limit = absl::int128(b.budget_minor) * (10000 + margin_bp_);
    if (absl::int128(p->projected_minor) * 10000 <= limit) return;
    ledger::Reason reason;
    reason.outcome = action_;
    reason.rule_id = std::string(rule_id);
    reason.scope = {.period = std::string(context.period),
                    .kind = level_,
                    .key = level_ == ledger::ScopeKind::kCustomer ? std::string(context.customer)
                           : level_ == ledger::ScopeKind::kTier   ? std::string(context.tier)
                                                                  : std::string(),
                    .category = std::string(context.category)};
    reason.balance = b;
    reason.requested_minor = context.amount_minor;
    reason.message = absl::StrCat(
        "with this request ", used, " (minor units) would be used; the ", AsAbsl(forecast_->name()),
        " forecast projects ", p->projected_minor, " by the end of the period, over the budget of ",
        b.budget_minor, " by more than ", internal::Percent(margin_bp_), " %");
    reason.remedy = "spread the spend over the period, or raise the budget";
    decision->Add(std::move(reason));
  }

 private:
  std::shared_ptr<const std::vector<ledger::Period>> periods_;
  std::shared_ptr<const ForecastMethod> forecast_;
  ledger::ScopeKind level_;
  ledger::Outcome action_;
  int64_t margin_bp_;
};

absl::StatusOr<ledger::Outcome> ReadAction(const PolicyParams& params) {
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<std::string> action, params.FindString("action"));
  if (!action || *action == "warn") return ledger::Outcome::kApproveWithWarning;
  if (*action == "reject") return ledger::Outcome::kReject;
  if (*action == "require_approval") return ledger::Outcome::kNeedsApproval;
  return params.Error("action", "must be one of warn, reject, require_approval");
}

}  // namespace

absl::Status RegisterForecastGuard(ledger::ControlPolicyRegistry* registry,
                                   std::shared_ptr<const std::vector<ledger::Period>> periods,
                                   std::shared_ptr<const ForecastMethod> forecast) {
  return registry->Register(
      kForecastGuardName,
      [periods, forecast](
          const PolicyParams& params) -> absl::StatusOr<std::unique_ptr<ledger::ControlPolicy>> {
        UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"level", "action", "margin_pct"}));
        UPKEEP_ASSIGN_OR_RETURN(const ledger::ScopeKind level,
                                internal::ReadLevel(params, ledger::ScopeKind::kCustomer));
        if (level != ledger::ScopeKind::kCustomer && level != ledger::ScopeKind::kTier &&
            level != ledger::ScopeKind::kCompany) {
          return params.Error("level", "must be one of customer, tier, company");
        }
        UPKEEP_ASSIGN_OR_RETURN(const ledger::Outcome action, ReadAction(params));
        UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> margin,
                                internal::FindPercentBp(params, "margin_pct", 0, 1'000'000));
        return std::make_unique<ForecastGuard>(periods, forecast, level, action,
                                               margin.value_or(0));
      });
}

}  // namespace upkeep::monitor
