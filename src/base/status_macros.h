// base/status_macros.h: early-return helpers for absl::Status inside the engine (not public).
//
//   UPKEEP_RETURN_IF_ERROR(CheckUtf8(id, "customer id"));
//   UPKEEP_ASSIGN_OR_RETURN(Money total, a.Add(b));
#ifndef UPKEEP_BASE_STATUS_MACROS_H_
#define UPKEEP_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define UPKEEP_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::absl::Status upkeep_status_ = (expr);          \
    if (!upkeep_status_.ok()) return upkeep_status_; \
  } while (false)

#define UPKEEP_STATUS_CONCAT_INNER(a, b) a##b
#define UPKEEP_STATUS_CONCAT(a, b) UPKEEP_STATUS_CONCAT_INNER(a, b)

#define UPKEEP_ASSIGN_OR_RETURN(lhs, expr) \
  UPKEEP_ASSIGN_OR_RETURN_IMPL(UPKEEP_STATUS_CONCAT(upkeep_statusor_, __LINE__), lhs, expr)

#define UPKEEP_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr)  \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // UPKEEP_BASE_STATUS_MACROS_H_
