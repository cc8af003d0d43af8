#include "upkeep/status.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

TEST(StatusTest, MakeErrorCarriesBothCodes) {
  absl::Status s = MakeError(ErrorCode::kCurrencyMismatch, "cannot add USD to CNY");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kCurrencyMismatch);
  EXPECT_EQ(s.message(), "cannot add USD to CNY");
  EXPECT_THAT(s, StatusIs(ErrorCode::kCurrencyMismatch, HasSubstr("USD")));
}

TEST(StatusTest, OkIsOk) {
  EXPECT_EQ(ErrorCodeOf(absl::OkStatus()), ErrorCode::kOk);
  EXPECT_THAT(absl::OkStatus(), IsOk());
}

TEST(StatusTest, MakeErrorRefusesOkAndGivesInternal) {
  absl::Status s = MakeError(ErrorCode::kOk, "not an error");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInternal);
}

TEST(StatusTest, ForeignStatusesMapToClosestCode) {
  EXPECT_EQ(ErrorCodeOf(absl::NotFoundError("x")), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorCodeOf(absl::OutOfRangeError("x")), ErrorCode::kOverflow);
  EXPECT_EQ(ErrorCodeOf(absl::PermissionDeniedError("x")), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ErrorCodeOf(absl::UnknownError("x")), ErrorCode::kInternal);
}

TEST(StatusTest, EveryCodeHasADistinctNameAndRoundTrips) {
  std::set<std::string_view> names;
  for (int32_t n = 1; n <= static_cast<int32_t>(ErrorCode::kCallbackFailed); ++n) {
    const auto code = static_cast<ErrorCode>(n);
    const std::string_view name = ErrorCodeName(code);
    EXPECT_NE(name, "unknown") << n;
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    absl::Status s = MakeError(code, "m");
    EXPECT_EQ(ErrorCodeOf(s), code) << name;
    EXPECT_EQ(s.code(), CanonicalCodeOf(code)) << name;
  }
  EXPECT_EQ(ErrorCodeName(static_cast<ErrorCode>(9999)), "unknown");
}

TEST(StatusTest, CorruptPayloadFallsBackToCanonicalCode) {
  absl::Status s = absl::NotFoundError("x");
  s.SetPayload("type.upkeep.dev/upkeep.ErrorCode", absl::Cord("not a number"));
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace upkeep
