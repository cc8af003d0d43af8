// upkeep/status.h: the error vocabulary of the engine.
//
// Every fallible call returns absl::Status or absl::StatusOr<T>; no exception leaves the engine.
// A failed status carries two things:
//   - the most specific canonical absl code (InvalidArgument, NotFound, OutOfRange, ...), and
//   - an upkeep ErrorCode, a stable number that says exactly what went wrong. The C API returns
//     this number as upk_status, so the numbers below never change meaning once released.
// The message names what was wrong (the field, the id, the JSON path) so a person can fix it.
//
// Example:
//   absl::Status s = upkeep::MakeError(upkeep::ErrorCode::kCurrencyMismatch,
//                                      "cannot add USD to CNY");
//   upkeep::ErrorCodeOf(s) == upkeep::ErrorCode::kCurrencyMismatch;   // true
//   s.code() == absl::StatusCode::kInvalidArgument;                    // true
//
// Thread safety: all functions here are pure and safe to call concurrently.
#ifndef UPKEEP_STATUS_H_
#define UPKEEP_STATUS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"

namespace upkeep {

// Stable error numbers. Append only; never renumber. Mirrored by upk_status in the C API.
enum class ErrorCode : int32_t {
  kOk = 0,
  kInvalidArgument = 1,       // a value out of its domain (negative count, empty id, ...)
  kOverflow = 2,              // an amount or sum would not fit in 64 bits
  kCurrencyMismatch = 3,      // two amounts of different currencies were combined
  kUnknownCurrency = 4,       // not an ISO 4217 code
  kParse = 5,                 // a decimal string is malformed
  kPrecision = 6,             // more decimals than the currency has, and no rounding mode given
  kNotFound = 7,              // an unknown id (customer, tier, policy, scope, ...)
  kInfeasible = 8,            // constraints cannot all hold (floors above the pool, ...)
  kPolicyInvalid = 9,         // a malformed policy document; the message names the JSON path
  kInvalidUtf8 = 10,          // text that is not valid UTF-8
  kAlreadyExists = 11,        // a second definition of something that must be unique
  kIdempotencyConflict = 12,  // an operation id reused with a different payload
  kInsufficientFunds = 13,    // a hard-controlled scope would go below zero
  kPermissionDenied = 14,     // the actor may not do this
  kPeriodClosed = 15,         // the period is closed for new activity
  kInvalidState = 16,         // the object is not in a state that allows this (post after void)
  kInternal = 17,             // a broken invariant inside upkeep: a bug, please report it
  kNullArgument = 18,         // a NULL pointer where one is required (C API)
  kUnsupportedVersion = 19,   // data or a struct from a newer or unknown version
  kIo = 20,                   // the store could not read or write
  kCorrupt = 21,              // stored data failed verification
  kBusy = 22,                 // another writer holds the resource
  kCallbackFailed = 23,       // a host callback (custom policy, subscriber) reported failure
};

// The canonical absl code that each ErrorCode maps to.
absl::StatusCode CanonicalCodeOf(ErrorCode code);

// A short stable name, e.g. "currency_mismatch". Unknown numbers give "unknown".
std::string_view ErrorCodeName(ErrorCode code);

// A failed status with both codes set. `code` must not be kOk.
absl::Status MakeError(ErrorCode code, std::string_view message);

// The upkeep code of `status`: kOk for OK; the attached code when MakeError made it; otherwise
// the closest code for its canonical absl code (kInternal when there is none).
ErrorCode ErrorCodeOf(const absl::Status& status);

}  // namespace upkeep

#endif  // UPKEEP_STATUS_H_
