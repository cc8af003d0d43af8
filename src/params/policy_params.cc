#include "upkeep/policy_params.h"

#include <charconv>
#include <limits>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

// JSON Pointer escaping of one reference token (RFC 6901): '~' -> "~0", '/' -> "~1".
std::string EscapeToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

absl::Status Invalid(std::string_view path, std::string_view message) {
  return MakeError(ErrorCode::kPolicyInvalid,
                   absl::StrCat(path.empty() ? "/" : AsAbsl(path), ": ", AsAbsl(message)));
}

absl::StatusOr<std::string> ReadString(const nlohmann::json& node, std::string_view path) {
  if (!node.is_string()) return Invalid(path, "must be a string");
  return node.get<std::string>();
}

// A JSON number or string read as an exact Decimal. Floats are read from their shortest
// round-trip text, so 0.1 in the document is exactly 1/10.
absl::StatusOr<Decimal> ReadDecimal(const nlohmann::json& node, std::string_view path) {
  std::string text;
  if (node.is_string()) {
    text = node.get<std::string>();
  } else if (node.is_number_integer()) {
    text = node.dump();
  } else if (node.is_number_float()) {
    const double value = node.get<double>();
    char buffer[64];
    const std::to_chars_result written = std::to_chars(buffer, buffer + sizeof(buffer), value);
    if (written.ec != std::errc()) return Invalid(path, "must be a decimal number");
    text.assign(buffer, written.ptr);
    if (text.find_first_of("eE") != std::string::npos) {
      return Invalid(path, "must be written without an exponent (use a string, e.g. \"0.0001\")");
    }
  } else {
    return Invalid(path, "must be a decimal number or a decimal string");
  }
  absl::StatusOr<Decimal> decimal = Decimal::Parse(text);
  if (!decimal.ok()) {
    return Invalid(path, absl::StrCat("must be a decimal number: ", decimal.status().message()));
  }
  return decimal;
}

absl::StatusOr<int64_t> ReadInt(const nlohmann::json& node, std::string_view path) {
  if (node.is_number_unsigned()) {
    const auto value = node.get<uint64_t>();
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Invalid(path, "is too large");
    }
    return static_cast<int64_t>(value);
  }
  if (!node.is_number_integer()) return Invalid(path, "must be an integer");
  return node.get<int64_t>();
}

absl::StatusOr<double> ReadNumber(const nlohmann::json& node, std::string_view path) {
  if (!node.is_number()) return Invalid(path, "must be a number");
  return node.get<double>();
}

absl::StatusOr<bool> ReadBool(const nlohmann::json& node, std::string_view path) {
  if (!node.is_boolean()) return Invalid(path, "must be true or false");
  return node.get<bool>();
}

}  // namespace

PolicyParams::PolicyParams(const nlohmann::json& node, std::string path)
    : node_(&node), path_(std::move(path)) {}

std::string PolicyParams::ChildPath(std::string_view key) const {
  return absl::StrCat(path_, "/", EscapeToken(key));
}

bool PolicyParams::Has(std::string_view key) const {
  if (!node_->is_object()) return false;
  auto it = node_->find(key);
  return it != node_->end() && !it->is_null();
}

absl::Status PolicyParams::Error(std::string_view key, std::string_view message) const {
  return Invalid(key.empty() ? path_ : ChildPath(key), message);
}

absl::Status PolicyParams::CheckKeys(std::initializer_list<std::string_view> allowed) const {
  if (!node_->is_object()) return Invalid(path_, "must be an object");
  for (const auto& [key, value] : node_->items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || name == key;
    if (!known) return Invalid(ChildPath(key), "is not a known setting here");
  }
  return absl::OkStatus();
}

absl::StatusOr<PolicyParams> PolicyParams::Child(std::string_view key) const {
  if (!node_->is_object()) return Invalid(path_, "must be an object");
  auto it = node_->find(key);
  if (it == node_->end() || it->is_null()) return Invalid(ChildPath(key), "is required");
  return PolicyParams(*it, ChildPath(key));
}

std::optional<PolicyParams> PolicyParams::OptionalChild(std::string_view key) const {
  if (!Has(key)) return std::nullopt;
  return PolicyParams(*node_->find(key), ChildPath(key));
}

absl::StatusOr<std::string> PolicyParams::GetString(std::string_view key) const {
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, Child(key));
  return child.AsString();
}

absl::StatusOr<Decimal> PolicyParams::GetDecimal(std::string_view key) const {
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, Child(key));
  return child.AsDecimal();
}

absl::StatusOr<int64_t> PolicyParams::GetInt(std::string_view key) const {
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, Child(key));
  return ReadInt(child.json(), child.path());
}

absl::StatusOr<double> PolicyParams::GetNumber(std::string_view key) const {
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, Child(key));
  return ReadNumber(child.json(), child.path());
}

absl::StatusOr<bool> PolicyParams::GetBool(std::string_view key) const {
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams child, Child(key));
  return ReadBool(child.json(), child.path());
}

absl::StatusOr<std::optional<std::string>> PolicyParams::FindString(std::string_view key) const {
  if (!Has(key)) return std::optional<std::string>();
  return GetString(key);
}

absl::StatusOr<std::optional<Decimal>> PolicyParams::FindDecimal(std::string_view key) const {
  if (!Has(key)) return std::optional<Decimal>();
  return GetDecimal(key);
}

absl::StatusOr<std::optional<int64_t>> PolicyParams::FindInt(std::string_view key) const {
  if (!Has(key)) return std::optional<int64_t>();
  return GetInt(key);
}

absl::StatusOr<std::optional<double>> PolicyParams::FindNumber(std::string_view key) const {
  if (!Has(key)) return std::optional<double>();
  return GetNumber(key);
}

absl::StatusOr<std::optional<bool>> PolicyParams::FindBool(std::string_view key) const {
  if (!Has(key)) return std::optional<bool>();
  return GetBool(key);
}

absl::StatusOr<std::vector<PolicyParams>> PolicyParams::Elements() const {
  if (!node_->is_array()) return Invalid(path_, "must be an array");
  std::vector<PolicyParams> elements;
  elements.reserve(node_->size());
  for (size_t i = 0; i < node_->size(); ++i) {
    elements.emplace_back((*node_)[i], absl::StrCat(path_, "/", i));
  }
  return elements;
}

absl::StatusOr<std::vector<std::pair<std::string, PolicyParams>>> PolicyParams::Members() const {
  if (!node_->is_object()) return Invalid(path_, "must be an object");
  std::vector<std::pair<std::string, PolicyParams>> members;
  members.reserve(node_->size());
  for (const auto& [key, value] : node_->items()) {
    members.emplace_back(key, PolicyParams(value, ChildPath(key)));
  }
  return members;
}

absl::StatusOr<std::string> PolicyParams::AsString() const { return ReadString(*node_, path_); }

absl::StatusOr<Decimal> PolicyParams::AsDecimal() const { return ReadDecimal(*node_, path_); }

}  // namespace upkeep
