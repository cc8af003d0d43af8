#include "exit_codes.h"

#include <cstdio>
#include <string>

#include "upkeep/status.h"

namespace upkeep::cli {

int ExitCodeOf(const absl::Status& status) {
  switch (ErrorCodeOf(status)) {
    case ErrorCode::kOk:
      return kExitOk;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kOverflow:
    case ErrorCode::kCurrencyMismatch:
    case ErrorCode::kUnknownCurrency:
    case ErrorCode::kParse:
    case ErrorCode::kPrecision:
    case ErrorCode::kInfeasible:
    case ErrorCode::kPolicyInvalid:
    case ErrorCode::kInvalidUtf8:
    case ErrorCode::kNullArgument:
    case ErrorCode::kUnsupportedVersion:
      return kExitBadInput;
    case ErrorCode::kInsufficientFunds:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kPeriodClosed:
      return kExitDenied;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kIdempotencyConflict:
    case ErrorCode::kInvalidState:
      return kExitConflict;
    case ErrorCode::kIo:
    case ErrorCode::kBusy:
      return kExitUnavailable;
    case ErrorCode::kCorrupt:
      return kExitCorrupt;
    case ErrorCode::kInternal:
    case ErrorCode::kCallbackFailed:
      return kExitInternal;
  }
  return kExitInternal;
}

int ReportError(const absl::Status& status) {
  const std::string name(ErrorCodeName(ErrorCodeOf(status)));
  const std::string message(status.message());
  std::fprintf(stderr, "upkeep: error: %s: %s\n", name.c_str(), message.c_str());
  return ExitCodeOf(status);
}

int ReportUsageError(std::string_view message) {
  std::fprintf(stderr, "upkeep: error: usage: %.*s\n", static_cast<int>(message.size()),
               message.data());
  return kExitUsage;
}

}  // namespace upkeep::cli
