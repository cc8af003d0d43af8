// ledger/policy_document.h: control policies as the JSON document that journals them. Internal.
//
// SetPolicies journals the canonical document of the set (the section ParseControlPolicies
// reads), and replay parses it back; so the set a ledger decides with is always one that its
// journal can rebuild.
// Thread safety: pure functions.
#ifndef UPKEEP_SRC_LEDGER_POLICY_DOCUMENT_H_
#define UPKEEP_SRC_LEDGER_POLICY_DOCUMENT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/control.h"

namespace upkeep::ledger {

// The canonical control section for `set`, amounts in `currency`.
std::string PolicyDocument(const ControlPolicySet& set, Currency currency);

// Parses a journaled document. Custom rules are built from `registry`; without one, a document
// with custom rules is kPolicyInvalid ("no control policy registered as ...").
absl::StatusOr<ControlPolicySet> ParsePolicyDocument(std::string_view document, Currency currency,
                                                     const ControlPolicyRegistry* registry);

// `set` as it will be rebuilt from its document: kPolicyInvalid if the document does not parse
// (a hand-built rule the document language cannot say). Custom rules keep their instances.
absl::StatusOr<ControlPolicySet> CanonicalPolicies(const ControlPolicySet& set, Currency currency,
                                                   std::string* document);

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_POLICY_DOCUMENT_H_
