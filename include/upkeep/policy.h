// upkeep/policy.h: the policy document, compiled once into an immutable PolicySet.
//
// A company's rules for customer maintenance fees live in one JSON document (format:
// docs/policy-document.md): its currency, its tiers, how customers are classified into them,
// how the period's pool is sized and allocated, how spending is controlled, which alerts watch
// it, what the feedback loop proposes for the next period, and what unused budget becomes at
// period close. Compile checks the whole document and builds every policy it names (built-in or
// registered by the host), so that evaluating it later cannot fail on a bad setting. Errors are
// kPolicyInvalid and name the JSON Pointer of the first problem
// ("/allocation/steps/2/cap_pct: must be between 0 and 100");
// kInvalidUtf8 for a document that is not UTF-8; kUnsupportedVersion for a document written for
// a newer upkeep; kNotFound for a policy name nobody registered.
//
//   absl::StatusOr<std::shared_ptr<const upkeep::PolicySet>> policy =
//       upkeep::PolicySet::Compile(document_text);
//   absl::StatusOr<upkeep::PeriodPlan> plan = upkeep::PlanPeriod(**policy, portfolio);
//
// Custom classifiers and allocation policies: register them in a PolicyRegistry before
// compiling, then name them in the document like a built-in.
//
// Thread safety: a compiled PolicySet is immutable; share it (shared_ptr) between threads and
// evaluate concurrently. A PolicyRegistry is not thread-safe while being filled.
#ifndef UPKEEP_POLICY_H_
#define UPKEEP_POLICY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/allocation.h"
#include "upkeep/classify.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/control.h"
#include "upkeep/monitor/alerts.h"
#include "upkeep/monitor/forecast.h"
#include "upkeep/monitor/proposal.h"
#include "upkeep/monitor/rollover.h"
#include "upkeep/sizing.h"

namespace upkeep {

// The document format version this upkeep reads ("upkeep_policy": 1).
inline constexpr int kPolicyDocumentVersion = 1;

// The policies a document may name: the built-ins, plus what the host registers.
struct PolicyRegistry {
  ClassifierRegistry classifiers = ClassifierRegistry::WithBuiltins();
  AllocationRegistry allocations;  // holds the built-ins from construction
  ledger::ControlPolicyRegistry controls;
  monitor::ForecastRegistry forecasts;  // holds the built-ins from construction
  monitor::FeedbackRegistry feedbacks;  // holds the built-ins from construction
};

class PolicySet {
 public:
  // Compiles `document` (JSON text) with the built-in policies only.
  static absl::StatusOr<std::shared_ptr<const PolicySet>> Compile(std::string_view document);
  // Compiles `document` with `registry`. The registry may be discarded afterwards.
  static absl::StatusOr<std::shared_ptr<const PolicySet>> Compile(std::string_view document,
                                                                  const PolicyRegistry& registry);

  const std::string& name() const { return name_; }  // the document's "name", may be empty
  Currency currency() const { return currency_; }
  const std::vector<std::string>& tier_names() const { return tier_names_; }
  const Classifier& classifier() const { return *classifier_; }
  // The sizing policy, or nullptr when the document has no "sizing" section (the host then
  // gives the pool itself).
  const SizingPolicy* sizing() const { return sizing_.get(); }
  const AllocationPolicy& allocation() const { return *allocation_; }
  // The "control" section for the ledger (Ledger::SetPolicies); empty rules when absent.
  const ledger::ControlPolicySet& control() const { return control_; }
  // The "monitoring" section (alert rules and forecast method), or nullptr when absent.
  const monitor::MonitoringPolicy* monitoring() const { return monitoring_.get(); }
  // The "rollover" section (period close), or nullptr when absent.
  const monitor::RolloverPolicy* rollover() const { return rollover_.get(); }
  // The "feedback" section (the feedback policy and its bound), or nullptr when absent.
  const monitor::FeedbackSection* feedback() const { return feedback_.get(); }
  // The document as compiled (parsed JSON), e.g. to store or show it.
  const nlohmann::json& document() const { return document_; }

 private:
  PolicySet() = default;
  std::string name_;
  Currency currency_;
  std::vector<std::string> tier_names_;
  std::unique_ptr<const Classifier> classifier_;
  std::unique_ptr<const SizingPolicy> sizing_;
  std::unique_ptr<const AllocationPolicy> allocation_;
  ledger::ControlPolicySet control_;
  std::unique_ptr<const monitor::MonitoringPolicy> monitoring_;
  std::unique_ptr<const monitor::RolloverPolicy> rollover_;
  std::unique_ptr<const monitor::FeedbackSection> feedback_;
  nlohmann::json document_;
};

}  // namespace upkeep

#endif  // UPKEEP_POLICY_H_
