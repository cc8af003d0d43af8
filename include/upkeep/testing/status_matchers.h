// upkeep/testing/status_matchers.h: GoogleMock matchers for absl::Status and upkeep error codes.
//
// Part of the upkeep test kit, installed with the library for users who test their own policies.
// (Debian's Abseil 20220623 ships no status matchers, so upkeep provides these.)
//
//   EXPECT_THAT(money.Add(other), upkeep::testing::IsOk());
//   EXPECT_THAT(status, upkeep::testing::StatusIs(upkeep::ErrorCode::kCurrencyMismatch));
//   EXPECT_THAT(status, upkeep::testing::StatusIs(upkeep::ErrorCode::kPolicyInvalid,
//                                                 ::testing::HasSubstr("/allocation/steps/2")));
//   ASSERT_OK_AND_ASSIGN(upkeep::Money m, upkeep::Money::Parse("1.00", cny));
//
// Works with absl::Status and absl::StatusOr<T>.
#ifndef UPKEEP_TESTING_STATUS_MATCHERS_H_
#define UPKEEP_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "upkeep/status.h"

namespace upkeep::testing {
namespace internal {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

inline std::string Describe(const absl::Status& status) {
  if (status.ok()) return "OK";
  return std::string(ErrorCodeName(ErrorCodeOf(status))) + ": " + std::string(status.message());
}

}  // namespace internal

MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  const absl::Status& status = internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "which is " << internal::Describe(status);
  return status.ok();
}

MATCHER_P(StatusIs, code,
          std::string(negation ? "does not have" : "has") + " upkeep code " +
              std::string(::upkeep::ErrorCodeName(code))) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "which is " << internal::Describe(status);
  return ::upkeep::ErrorCodeOf(status) == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string(negation ? "does not have" : "has") + " upkeep code " +
               std::string(::upkeep::ErrorCodeName(code)) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher, negation)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "which is " << internal::Describe(status);
  return ::upkeep::ErrorCodeOf(status) == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

}  // namespace upkeep::testing

#define UPKEEP_TESTING_CONCAT_INNER(a, b) a##b
#define UPKEEP_TESTING_CONCAT(a, b) UPKEEP_TESTING_CONCAT_INNER(a, b)

// ASSERT_OK_AND_ASSIGN(lhs, expr): asserts that the StatusOr `expr` is OK and moves its value.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(UPKEEP_TESTING_CONCAT(upkeep_status_or_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(var, lhs, expr)                               \
  auto var = (expr);                                                            \
  ASSERT_TRUE(var.ok()) << ::upkeep::testing::internal::Describe(var.status()); \
  lhs = std::move(var).value()

#endif  // UPKEEP_TESTING_STATUS_MATCHERS_H_
