// Feedback records: every bad input has its own status and changes nothing; records are
// idempotent; the log survives JSON; the monitor checks customers and periods against the ledger.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "monitor_fixture.h"

namespace upkeep::monitor::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

OutcomeRecord Outcome(std::string customer, int64_t revenue, int64_t before, Renewal renewal) {
  return {.customer = std::move(customer),
          .period = "Q1",
          .revenue_minor = revenue,
          .revenue_before_minor = before,
          .renewal = renewal};
}

TEST(FeedbackTest, TheMonitorKeepsRecordsAboutCustomersAndPeriodsTheLedgerKnows) {
  Book book;
  EXPECT_THAT(book.monitor.Record(Outcome("c1", 500000, 400000, Renewal::kRenewed)), IsOk());
  EXPECT_THAT(book.monitor.Record(Outcome("nobody", 1, 1, Renewal::kRenewed)),
              StatusIs(ErrorCode::kNotFound, HasSubstr("no customer 'nobody'")));
  OutcomeRecord wrong_period = Outcome("c1", 1, 1, Renewal::kRenewed);
  wrong_period.period = "Q9";
  EXPECT_THAT(book.monitor.Record(wrong_period),
              StatusIs(ErrorCode::kNotFound, HasSubstr("no period 'Q9'")));
  EXPECT_THAT(book.monitor.Record(CustomerFeedback{
                  .id = "f1", .customer = "c2", .period = "Q1", .satisfaction = 9}),
              IsOk());
  EXPECT_THAT(book.monitor.Record(Assessment{.id = "a1",
                                             .customer = "c3",
                                             .period = "Q1",
                                             .author = "mgr",
                                             .role = AssessorRole::kManager,
                                             .rating = -1,
                                             .comment = "slow to answer"}),
              IsOk());
  book.monitor.ReadFeedback([](const Facts&, const FeedbackLog& log) {
    EXPECT_EQ(log.outcomes().size(), 1u);
    EXPECT_EQ(log.feedback().size(), 1u);
    EXPECT_EQ(log.assessments().size(), 1u);
  });
}

TEST(FeedbackTest, RecordingTheSameRecordTwiceChangesNothingAndADifferentOneIsRefused) {
  FeedbackLog log;
  const FeedbackChecker any;
  EXPECT_EQ(log.Record(Outcome("c1", 10, 5, Renewal::kRenewed), any).value(), RecordResult::kAdded);
  EXPECT_EQ(log.Record(Outcome("c1", 10, 5, Renewal::kRenewed), any).value(),
            RecordResult::kUnchanged);
  EXPECT_THAT(log.Record(Outcome("c1", 11, 5, Renewal::kRenewed), any),
              StatusIs(ErrorCode::kAlreadyExists, HasSubstr("'c1'")));
  const CustomerFeedback f{.id = "f1", .customer = "c1", .period = "Q1", .complaints = 2};
  EXPECT_EQ(log.Record(f, any).value(), RecordResult::kAdded);
  EXPECT_EQ(log.Record(f, any).value(), RecordResult::kUnchanged);
  CustomerFeedback other = f;
  other.complaints = 3;
  EXPECT_THAT(log.Record(other, any), StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_EQ(log.outcomes().size(), 1u);
  EXPECT_EQ(log.feedback().size(), 1u);
  EXPECT_EQ(log.feedback()[0].complaints, 2);
}

TEST(FeedbackTest, BadRecordsNameTheFieldAndChangeNothing) {
  FeedbackLog log;
  const FeedbackChecker any;
  EXPECT_THAT(log.Record(Outcome("", 1, 1, Renewal::kUnknown), any),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("customer is empty")));
  EXPECT_THAT(log.Record(Outcome("c1", -1, 1, Renewal::kUnknown), any),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("revenue is negative")));
  EXPECT_THAT(log.Record(Outcome("c1", 1, -1, Renewal::kUnknown), any),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("revenue_before")));
  EXPECT_THAT(log.Record(Outcome("c\xff", 1, 1, Renewal::kUnknown), any),
              StatusIs(ErrorCode::kInvalidUtf8));
  EXPECT_THAT(log.Record(CustomerFeedback{.customer = "c1", .period = "Q1"}, any),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("id is empty")));
  EXPECT_THAT(
      log.Record(CustomerFeedback{.id = "f", .customer = "c1", .period = "Q1", .satisfaction = 11},
                 any),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("satisfaction 11 is outside 0..10")));
  EXPECT_THAT(
      log.Record(CustomerFeedback{.id = "f", .customer = "c1", .period = "Q1", .recommend = -1},
                 any),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("recommend -1")));
  EXPECT_THAT(
      log.Record(CustomerFeedback{.id = "f", .customer = "c1", .period = "Q1", .complaints = -2},
                 any),
      StatusIs(ErrorCode::kInvalidArgument, HasSubstr("complaints is negative")));
  EXPECT_THAT(
      log.Record(
          CustomerFeedback{
              .id = "f", .customer = "c1", .period = "Q1", .comment = std::string("\xc3\x28")},
          any),
      StatusIs(ErrorCode::kInvalidUtf8));
  const Assessment a{.id = "a", .customer = "c1", .period = "Q1", .author = "am", .rating = 3};
  EXPECT_THAT(log.Record(a, any),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("rating 3 is outside -2..2")));
  Assessment anonymous = a;
  anonymous.rating = 1;
  anonymous.author.clear();
  EXPECT_THAT(log.Record(anonymous, any),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("author is empty")));
  EXPECT_TRUE(log.outcomes().empty());
  EXPECT_TRUE(log.feedback().empty());
  EXPECT_TRUE(log.assessments().empty());
}

TEST(FeedbackTest, NamesParseBackAndUnknownNamesAreRefused) {
  for (Renewal r : {Renewal::kUnknown, Renewal::kRenewed, Renewal::kChurned}) {
    EXPECT_EQ(ParseRenewal(RenewalName(r)).value(), r);
  }
  EXPECT_THAT(ParseRenewal("lost"), StatusIs(ErrorCode::kInvalidArgument, HasSubstr("'lost'")));
  EXPECT_EQ(ParseAssessorRole("manager").value(), AssessorRole::kManager);
  EXPECT_THAT(ParseAssessorRole("ceo"), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(FeedbackTest, TheLogRoundTripsThroughJsonAndBadJsonNamesTheRecord) {
  FeedbackLog log;
  const FeedbackChecker any;
  ASSERT_THAT(log.Record(Outcome("c1", 123456, 100000, Renewal::kChurned), any).status(), IsOk());
  ASSERT_THAT(log.Record(CustomerFeedback{.id = "f1",
                                          .customer = "c1",
                                          .period = "Q1",
                                          .satisfaction = 7,
                                          .recommend = 10,
                                          .complaints = 1,
                                          .comment = "很好"},
                         any)
                  .status(),
              IsOk());
  ASSERT_THAT(
      log.Record(
             Assessment{.id = "a1", .customer = "c1", .period = "Q1", .author = "am", .rating = 2},
             any)
          .status(),
      IsOk());
  const nlohmann::json j = ToJson(log, Cny());
  EXPECT_EQ(j["outcomes"][0]["revenue"], "1234.56");
  const FeedbackLog back = FeedbackLogFromJson(j, Cny(), any).value();
  EXPECT_EQ(back.outcomes(), log.outcomes());
  EXPECT_EQ(back.feedback(), log.feedback());
  EXPECT_EQ(back.assessments(), log.assessments());

  nlohmann::json bad = j;
  bad["outcomes"][0]["revenue"] = "12.345";
  EXPECT_THAT(FeedbackLogFromJson(bad, Cny(), any),
              StatusIs(ErrorCode::kParse, HasSubstr("/outcomes/0/revenue")));
  bad = j;
  bad["feedback"][0]["satisfaction"] = 12;
  EXPECT_THAT(FeedbackLogFromJson(bad, Cny(), any),
              StatusIs(ErrorCode::kParse, HasSubstr("/feedback/0/satisfaction")));
  bad = j;
  bad["assessments"][0]["role"] = "boss";
  EXPECT_THAT(FeedbackLogFromJson(bad, Cny(), any),
              StatusIs(ErrorCode::kParse, HasSubstr("/assessments/0/role")));
  EXPECT_THAT(FeedbackLogFromJson(j, Currency::FromCode("USD").value(), any),
              StatusIs(ErrorCode::kCurrencyMismatch));
  const FeedbackChecker strict{
      .customer = [](std::string_view) { return MakeError(ErrorCode::kNotFound, "unknown"); }};
  EXPECT_THAT(FeedbackLogFromJson(j, Cny(), strict),
              StatusIs(ErrorCode::kNotFound, HasSubstr("/outcomes/0")));
}

}  // namespace
}  // namespace upkeep::monitor::testing
