// upkeep/policy_params.h: typed, path-aware access to one node of a policy document.
//
// Policy documents are JSON. Every built-in policy, and every custom policy a host registers,
// reads its parameters through PolicyParams, so that every error names the JSON Pointer of the
// offending value and the rule it broke, in one form:
//   "/allocation/steps/2/cap_pct: must be between 0 and 100"
// Errors are ErrorCode::kPolicyInvalid. Numbers that feed money are read as exact Decimals:
// a JSON string ("12.5") is parsed exactly; a JSON number is read from its shortest round-trip
// text, so 0.1 is exactly 1/10.
//
//   absl::StatusOr<upkeep::Decimal> pct = params.GetDecimal("cap_pct");
//   if (pct.ok() && !(0 <= *pct <= 100)) return params.Error("cap_pct", "must be between 0 and
//   100");
//
// Ownership: a PolicyParams refers to a json node owned by the caller; it must not outlive it.
// Thread safety: const methods are safe to call concurrently.
#ifndef UPKEEP_POLICY_PARAMS_H_
#define UPKEEP_POLICY_PARAMS_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/money.h"

namespace upkeep {

class PolicyParams {
 public:
  // `path` is the JSON Pointer of `node` in its document ("" for the root).
  PolicyParams(const nlohmann::json& node, std::string path);

  const nlohmann::json& json() const { return *node_; }
  const std::string& path() const { return path_; }
  bool IsObject() const { return node_->is_object(); }
  bool IsArray() const { return node_->is_array(); }
  bool Has(std::string_view key) const;

  // kPolicyInvalid "<path>/<key>: <message>" (key may be empty: "<path>: <message>").
  absl::Status Error(std::string_view key, std::string_view message) const;
  // OK if this is an object whose keys are all in `allowed`; else names the first stranger.
  absl::Status CheckKeys(std::initializer_list<std::string_view> allowed) const;

  // Required members: a missing key is "<path>/<key>: is required"; a wrong JSON type is
  // "<path>/<key>: must be a <type>".
  absl::StatusOr<PolicyParams> Child(std::string_view key) const;
  absl::StatusOr<std::string> GetString(std::string_view key) const;
  absl::StatusOr<Decimal> GetDecimal(std::string_view key) const;
  absl::StatusOr<int64_t> GetInt(std::string_view key) const;
  absl::StatusOr<double> GetNumber(std::string_view key) const;
  absl::StatusOr<bool> GetBool(std::string_view key) const;

  // Optional members: nullopt when absent (or JSON null); errors as above when present.
  std::optional<PolicyParams> OptionalChild(std::string_view key) const;
  absl::StatusOr<std::optional<std::string>> FindString(std::string_view key) const;
  absl::StatusOr<std::optional<Decimal>> FindDecimal(std::string_view key) const;
  absl::StatusOr<std::optional<int64_t>> FindInt(std::string_view key) const;
  absl::StatusOr<std::optional<double>> FindNumber(std::string_view key) const;
  absl::StatusOr<std::optional<bool>> FindBool(std::string_view key) const;

  // The elements of this array, each with its own path ("<path>/0", ...); error if not an array.
  absl::StatusOr<std::vector<PolicyParams>> Elements() const;
  // The members of this object in key order, each with its path; error if not an object.
  absl::StatusOr<std::vector<std::pair<std::string, PolicyParams>>> Members() const;

  // This node itself read as a value (for array elements).
  absl::StatusOr<std::string> AsString() const;
  absl::StatusOr<Decimal> AsDecimal() const;

 private:
  std::string ChildPath(std::string_view key) const;
  const nlohmann::json* node_;
  std::string path_;
};

}  // namespace upkeep

#endif  // UPKEEP_POLICY_PARAMS_H_
