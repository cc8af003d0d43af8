// upkeep/checked.h: integer arithmetic that reports overflow instead of wrapping.
//
// Money in upkeep is int64 minor units. Every sum, difference and product of amounts goes through
// these helpers, which return ErrorCode::kOverflow (absl OutOfRange) naming the operands when the
// exact result does not fit. They are header-only and branch-light: the hot paths use them too.
//
//   absl::StatusOr<int64_t> total = upkeep::CheckedAdd(a_minor, b_minor);
//
// Thread safety: pure functions.
#ifndef UPKEEP_CHECKED_H_
#define UPKEEP_CHECKED_H_

#include <cstdint>
#include <span>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "upkeep/status.h"

namespace upkeep {

inline absl::StatusOr<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) {
    return MakeError(ErrorCode::kOverflow, absl::StrCat("overflow: ", a, " + ", b));
  }
  return out;
}

inline absl::StatusOr<int64_t> CheckedSub(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_sub_overflow(a, b, &out)) {
    return MakeError(ErrorCode::kOverflow, absl::StrCat("overflow: ", a, " - ", b));
  }
  return out;
}

inline absl::StatusOr<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) {
    return MakeError(ErrorCode::kOverflow, absl::StrCat("overflow: ", a, " * ", b));
  }
  return out;
}

// The exact sum of `values`, or kOverflow if any partial sum does not fit.
inline absl::StatusOr<int64_t> CheckedSum(std::span<const int64_t> values) {
  int64_t total = 0;
  for (int64_t v : values) {
    if (__builtin_add_overflow(total, v, &total)) {
      return MakeError(ErrorCode::kOverflow,
                       absl::StrCat("overflow: sum of ", values.size(), " values"));
    }
  }
  return total;
}

}  // namespace upkeep

#endif  // UPKEEP_CHECKED_H_
