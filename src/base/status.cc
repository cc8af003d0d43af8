#include "upkeep/status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/types/optional.h"
#include "base/absl_compat.h"

namespace upkeep {
namespace {

// The payload key under which MakeError stores the upkeep code as decimal text.
constexpr std::string_view kPayloadUrl = "type.upkeep.dev/upkeep.ErrorCode";

struct CodeInfo {
  ErrorCode code;
  absl::StatusCode canonical;
  std::string_view name;
};

constexpr CodeInfo kCodes[] = {
    {ErrorCode::kOk, absl::StatusCode::kOk, "ok"},
    {ErrorCode::kInvalidArgument, absl::StatusCode::kInvalidArgument, "invalid_argument"},
    {ErrorCode::kOverflow, absl::StatusCode::kOutOfRange, "overflow"},
    {ErrorCode::kCurrencyMismatch, absl::StatusCode::kInvalidArgument, "currency_mismatch"},
    {ErrorCode::kUnknownCurrency, absl::StatusCode::kInvalidArgument, "unknown_currency"},
    {ErrorCode::kParse, absl::StatusCode::kInvalidArgument, "parse"},
    {ErrorCode::kPrecision, absl::StatusCode::kInvalidArgument, "precision"},
    {ErrorCode::kNotFound, absl::StatusCode::kNotFound, "not_found"},
    {ErrorCode::kInfeasible, absl::StatusCode::kFailedPrecondition, "infeasible"},
    {ErrorCode::kPolicyInvalid, absl::StatusCode::kInvalidArgument, "policy_invalid"},
    {ErrorCode::kInvalidUtf8, absl::StatusCode::kInvalidArgument, "invalid_utf8"},
    {ErrorCode::kAlreadyExists, absl::StatusCode::kAlreadyExists, "already_exists"},
    {ErrorCode::kIdempotencyConflict, absl::StatusCode::kAlreadyExists, "idempotency_conflict"},
    {ErrorCode::kInsufficientFunds, absl::StatusCode::kFailedPrecondition, "insufficient_funds"},
    {ErrorCode::kPermissionDenied, absl::StatusCode::kPermissionDenied, "permission_denied"},
    {ErrorCode::kPeriodClosed, absl::StatusCode::kFailedPrecondition, "period_closed"},
    {ErrorCode::kInvalidState, absl::StatusCode::kFailedPrecondition, "invalid_state"},
    {ErrorCode::kInternal, absl::StatusCode::kInternal, "internal"},
    {ErrorCode::kNullArgument, absl::StatusCode::kInvalidArgument, "null_argument"},
    {ErrorCode::kUnsupportedVersion, absl::StatusCode::kFailedPrecondition, "unsupported_version"},
    {ErrorCode::kIo, absl::StatusCode::kUnavailable, "io"},
    {ErrorCode::kCorrupt, absl::StatusCode::kDataLoss, "corrupt"},
    {ErrorCode::kBusy, absl::StatusCode::kUnavailable, "busy"},
    {ErrorCode::kCallbackFailed, absl::StatusCode::kAborted, "callback_failed"},
};

const CodeInfo* Find(ErrorCode code) {
  for (const CodeInfo& info : kCodes) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

// For statuses made outside MakeError: the closest upkeep code for a canonical code.
ErrorCode FromCanonical(absl::StatusCode canonical) {
  switch (canonical) {
    case absl::StatusCode::kOk:
      return ErrorCode::kOk;
    case absl::StatusCode::kInvalidArgument:
      return ErrorCode::kInvalidArgument;
    case absl::StatusCode::kOutOfRange:
      return ErrorCode::kOverflow;
    case absl::StatusCode::kNotFound:
      return ErrorCode::kNotFound;
    case absl::StatusCode::kAlreadyExists:
      return ErrorCode::kAlreadyExists;
    case absl::StatusCode::kPermissionDenied:
      return ErrorCode::kPermissionDenied;
    case absl::StatusCode::kFailedPrecondition:
      return ErrorCode::kInvalidState;
    case absl::StatusCode::kDataLoss:
      return ErrorCode::kCorrupt;
    case absl::StatusCode::kUnavailable:
      return ErrorCode::kIo;
    default:
      return ErrorCode::kInternal;
  }
}

}  // namespace

absl::StatusCode CanonicalCodeOf(ErrorCode code) {
  const CodeInfo* info = Find(code);
  return info == nullptr ? absl::StatusCode::kInternal : info->canonical;
}

std::string_view ErrorCodeName(ErrorCode code) {
  const CodeInfo* info = Find(code);
  return info == nullptr ? std::string_view("unknown") : info->name;
}

absl::Status MakeError(ErrorCode code, std::string_view message) {
  if (code == ErrorCode::kOk) code = ErrorCode::kInternal;
  absl::Status status(CanonicalCodeOf(code), AsAbsl(message));
  status.SetPayload(AsAbsl(kPayloadUrl), absl::Cord(std::to_string(static_cast<int32_t>(code))));
  return status;
}

ErrorCode ErrorCodeOf(const absl::Status& status) {
  if (status.ok()) return ErrorCode::kOk;
  absl::optional<absl::Cord> payload = status.GetPayload(AsAbsl(kPayloadUrl));
  int32_t number = 0;
  if (payload.has_value() && absl::SimpleAtoi(std::string(*payload), &number) &&
      Find(static_cast<ErrorCode>(number)) != nullptr) {
    return static_cast<ErrorCode>(number);
  }
  return FromCanonical(status.code());
}

}  // namespace upkeep
