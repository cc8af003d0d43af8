// capi/registry.cc: custom classifiers, allocation and control policies written in C.
//
// Each registration wraps the host's callback table in a shared holder whose destructor runs
// `destroy` exactly once; the factories and every policy compiled from them share the holder, so
// the host's user_data lives until the last of them is freed. The bridges only translate between
// the engine's C++ interfaces and the callbacks; the engine checks what the callbacks return.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"
#include "upkeep/status.h"

struct upk_control_verdict {
  const upkeep::ledger::ControlContext* context;
  std::string_view rule_id;
  upkeep::ledger::Decision* decision;
};

namespace upkeep::capi {
namespace {

// The engine error for a callback that returned `status`, with what it reported.
absl::Status CallbackError(std::string_view kind, std::string_view name, upk_status status) {
  return MakeError(ErrorCode::kCallbackFailed,
                   absl::StrCat(AsAbsl(kind), " \"", AsAbsl(name), "\" failed (",
                                upk_status_name(status), "): ", LastError()));
}

// A portfolio handle that borrows the engine's portfolio for the duration of a callback.
upk_portfolio BorrowPortfolio(const Portfolio& portfolio) {
  return upk_portfolio{
      std::shared_ptr<const Portfolio>(std::shared_ptr<const Portfolio>(), &portfolio)};
}

class CClassifier final : public Classifier {
 public:
  CClassifier(std::shared_ptr<Callbacks<upk_classifier_callbacks>> callbacks, std::string name,
              std::string params, std::vector<std::string> tier_names)
      : callbacks_(std::move(callbacks)),
        name_(std::move(name)),
        params_(std::move(params)),
        tier_names_(std::move(tier_names)) {}

  std::string_view name() const override { return name_; }

  absl::Status Classify(const Portfolio& portfolio, Classification& out) const override {
    const size_t count = portfolio.size();
    std::vector<uint32_t> tier(count, 0);
    std::vector<double> score(count, 0);
    const upk_portfolio view = BorrowPortfolio(portfolio);
    const upk_status status =
        callbacks_->table.classify(callbacks_->table.user_data, Borrow(params_), &view,
                                   tier_names_.size(), tier.data(), score.data(), count);
    if (status != UPK_OK) return CallbackError("custom classifier", name_, status);
    out.classifier = name_;
    out.rule = absl::StrCat("custom classifier ", name_);
    out.tier_names = tier_names_;
    out.tier_rules.assign(tier_names_.size(), absl::StrCat("placed by ", name_));
    out.tier.resize(count);
    for (size_t i = 0; i < count; ++i) {
      if (tier[i] >= tier_names_.size()) {
        return MakeError(ErrorCode::kCallbackFailed,
                         absl::StrCat("custom classifier \"", name_, "\" gave customer ", i,
                                      " tier ", tier[i], " of ", tier_names_.size()));
      }
      out.tier[i] = static_cast<TierIndex>(tier[i]);
    }
    out.score = std::move(score);
    out.reason.assign(count, TierReason::kCustom);
    out.rule_tier = out.tier;
    out.periods_below.assign(count, 0);
    return absl::OkStatus();
  }

 private:
  std::shared_ptr<Callbacks<upk_classifier_callbacks>> callbacks_;
  std::string name_;
  std::string params_;
  std::vector<std::string> tier_names_;
};

class CAllocation final : public AllocationPolicy {
 public:
  CAllocation(std::shared_ptr<Callbacks<upk_allocation_callbacks>> callbacks, std::string name,
              std::string params, size_t tier_count)
      : callbacks_(std::move(callbacks)),
        name_(std::move(name)),
        params_(std::move(params)),
        tier_count_(tier_count) {}

  std::string_view name() const override { return name_; }

 protected:
  absl::StatusOr<Allocation> DoAllocate(const Portfolio& portfolio,
                                        const Classification& classification,
                                        Money pool) const override {
    const size_t count = portfolio.size();
    std::vector<uint32_t> tier(classification.tier.begin(), classification.tier.end());
    std::vector<int64_t> amount(count, 0);
    std::vector<uint64_t> weight(count, 0);
    int64_t unallocated_minor = 0;
    const upk_portfolio view = BorrowPortfolio(portfolio);
    const upk_allocation_input input{
        sizeof(upk_allocation_input), &view, tier.data(), count, tier_count_, ToC(pool)};
    const upk_status status =
        callbacks_->table.allocate(callbacks_->table.user_data, Borrow(params_), &input,
                                   amount.data(), weight.data(), &unallocated_minor);
    if (status != UPK_OK) return CallbackError("custom allocation policy", name_, status);
    return MakeAllocation(portfolio, classification, pool, absl::StrCat("custom policy ", name_),
                          std::move(amount), std::move(weight), unallocated_minor);
  }

 private:
  std::shared_ptr<Callbacks<upk_allocation_callbacks>> callbacks_;
  std::string name_;
  std::string params_;
  size_t tier_count_;
};

class CControl final : public ledger::ControlPolicy {
 public:
  CControl(std::shared_ptr<Callbacks<upk_control_callbacks>> callbacks, std::string name,
           std::string params)
      : callbacks_(std::move(callbacks)), name_(std::move(name)), params_(std::move(params)) {}

  void Evaluate(const ledger::ControlContext& context, std::string_view rule_id,
                ledger::Decision* decision) const override {
    upk_balance path[8];
    const size_t path_count = std::min(context.path.size(), std::size(path));
    for (size_t k = 0; k < path_count; ++k) FillBalance(context.path[k], &path[k]);
    const upk_control_context c{sizeof(upk_control_context),
                                Borrow(rule_id),
                                Borrow(context.actor),
                                Borrow(context.period),
                                Borrow(context.customer),
                                Borrow(context.tier),
                                Borrow(context.owner),
                                Borrow(context.region),
                                Borrow(context.category),
                                context.amount_minor,
                                context.time_micros,
                                context.uses_in_period,
                                path,
                                path_count};
    upk_control_verdict verdict{&context, rule_id, decision};
    const upk_status status =
        callbacks_->table.evaluate(callbacks_->table.user_data, Borrow(params_), &c, &verdict);
    if (status == UPK_OK) return;
    // Fail closed: a control that could not decide rejects the request, saying why.
    const std::string message(CallbackError("custom control policy", name_, status).message());
    upk_control_verdict_add(&verdict, UPK_OUTCOME_REJECT, 0, Borrow(message),
                            Borrow("fix the custom control policy"));
  }

 private:
  std::shared_ptr<Callbacks<upk_control_callbacks>> callbacks_;
  std::string name_;
  std::string params_;
};

// Takes ownership of `callbacks` (destroy runs once, also on failure) and registers it.
template <typename Table, typename Register>
upk_status Add(upk_registry* registry, upk_str name, const Table* callbacks, bool has_function,
               const char* what, Register&& register_fn) {
  if (callbacks == nullptr) return NotNull(callbacks, "callbacks");
  if (upk_status s = CheckStruct(callbacks, "callbacks"); s != UPK_OK) return s;
  auto holder = std::make_shared<Callbacks<Table>>(*callbacks);  // destroy is now ours to run
  if (upk_status s = NotNull(registry, "registry"); s != UPK_OK) return s;
  if (!has_function) return Fail(UPK_NULL_ARGUMENT, absl::StrCat(what, " callback is NULL"));
  std::string_view text;
  if (upk_status s = Text(name, "name", &text); s != UPK_OK) return s;
  return FromStatus(register_fn(std::string(text), std::move(holder)));
}

}  // namespace
}  // namespace upkeep::capi

using upkeep::capi::Guard;

extern "C" {

upk_status upk_registry_new(upk_registry** out) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    *out = new upk_registry();
    return UPK_OK;
  });
}

void upk_registry_free(upk_registry* registry) {
  upkeep::capi::GuardVoid([&] { delete registry; });
}

upk_status upk_registry_add_classifier(upk_registry* registry, upk_str name,
                                       const upk_classifier_callbacks* callbacks) {
  using upkeep::capi::CClassifier;
  using Holder = std::shared_ptr<upkeep::capi::Callbacks<upk_classifier_callbacks>>;
  return Guard([&]() -> upk_status {
    return upkeep::capi::Add(
        registry, name, callbacks, callbacks != nullptr && callbacks->classify != nullptr,
        "classify", [&](std::string n, Holder holder) {
          return registry->policies.classifiers.Register(
              n,
              [holder, n](const upkeep::PolicyParams& params, std::span<const std::string> tiers)
                  -> absl::StatusOr<std::unique_ptr<const upkeep::Classifier>> {
                return std::make_unique<CClassifier>(
                    holder, n, params.json().dump(),
                    std::vector<std::string>(tiers.begin(), tiers.end()));
              });
        });
  });
}

upk_status upk_registry_add_allocation(upk_registry* registry, upk_str name,
                                       const upk_allocation_callbacks* callbacks) {
  using upkeep::capi::CAllocation;
  using Holder = std::shared_ptr<upkeep::capi::Callbacks<upk_allocation_callbacks>>;
  return Guard([&]() -> upk_status {
    return upkeep::capi::Add(
        registry, name, callbacks, callbacks != nullptr && callbacks->allocate != nullptr,
        "allocate", [&](std::string n, Holder holder) {
          return registry->policies.allocations.Register(
              n,
              [holder, n](const upkeep::PolicyParams& params,
                          const upkeep::AllocationContext& context)
                  -> absl::StatusOr<std::unique_ptr<const upkeep::AllocationPolicy>> {
                return std::make_unique<CAllocation>(holder, n, params.json().dump(),
                                                     context.tier_names.size());
              });
        });
  });
}

upk_status upk_registry_add_control(upk_registry* registry, upk_str name,
                                    const upk_control_callbacks* callbacks) {
  using upkeep::capi::CControl;
  using Holder = std::shared_ptr<upkeep::capi::Callbacks<upk_control_callbacks>>;
  return Guard([&]() -> upk_status {
    return upkeep::capi::Add(
        registry, name, callbacks, callbacks != nullptr && callbacks->evaluate != nullptr,
        "evaluate", [&](std::string n, Holder holder) {
          return registry->controls.Register(
              n,
              [holder, n](const upkeep::PolicyParams& params)
                  -> absl::StatusOr<std::unique_ptr<upkeep::ledger::ControlPolicy>> {
                return std::make_unique<CControl>(holder, n, params.json().dump());
              });
        });
  });
}

upk_status upk_control_verdict_add(upk_control_verdict* verdict, int32_t outcome,
                                   int64_t shortfall_minor, upk_str message, upk_str remedy) {
  namespace ledger = upkeep::ledger;
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(verdict, "verdict"); s != UPK_OK) return s;
    if (outcome < UPK_OUTCOME_APPROVE || outcome > UPK_OUTCOME_REJECT) {
      return upkeep::capi::Fail(UPK_INVALID_ARGUMENT,
                                absl::StrCat("outcome ", outcome, " is not an UPK_OUTCOME_"));
    }
    std::string_view message_text, remedy_text;
    if (upk_status s = upkeep::capi::Text(message, "message", &message_text); s != UPK_OK) {
      return s;
    }
    if (upk_status s = upkeep::capi::Text(remedy, "remedy", &remedy_text); s != UPK_OK) return s;
    const ledger::ControlContext& c = *verdict->context;
    ledger::Reason reason;
    reason.outcome = static_cast<ledger::Outcome>(outcome);
    reason.rule_id = std::string(verdict->rule_id);
    reason.scope = ledger::ScopeRef{.period = std::string(c.period),
                                    .kind = ledger::ScopeKind::kCustomer,
                                    .key = std::string(c.customer),
                                    .category = std::string(c.category)};
    if (!c.path.empty()) reason.balance = c.path.front();
    reason.requested_minor = c.amount_minor;
    reason.shortfall_minor = shortfall_minor;
    reason.message = std::string(message_text);
    reason.remedy = std::string(remedy_text);
    verdict->decision->Add(std::move(reason));
    return UPK_OK;
  });
}

}  // extern "C"
