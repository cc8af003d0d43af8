// Facts::Encode / Decode: the decoded facts equal the original, report the same, and go on
// learning from later events as the original does; damaged bytes are kCorrupt.
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/codec.h"
#include "monitor_fixture.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::monitor::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

Facts FactsOf(const Book& book) {
  Facts copy;
  book.monitor.ReadFacts([&](const Facts& facts) { copy = facts; });
  return copy;
}

void ExpectSame(const Facts& a, const Facts& b) {
  ASSERT_EQ(a.periods().size(), b.periods().size());
  for (size_t i = 0; i < a.periods().size(); ++i) {
    EXPECT_EQ(a.periods()[i].id, b.periods()[i].id);
    EXPECT_EQ(a.periods()[i].start_micros, b.periods()[i].start_micros);
    EXPECT_EQ(a.periods()[i].end_micros, b.periods()[i].end_micros);
  }
  ASSERT_EQ(a.customers().size(), b.customers().size());
  for (size_t i = 0; i < a.customers().size(); ++i) {
    EXPECT_EQ(a.customers()[i].id, b.customers()[i].id);
    EXPECT_EQ(a.customers()[i].tier, b.customers()[i].tier);
    EXPECT_EQ(a.customers()[i].region, b.customers()[i].region);
  }
  ASSERT_EQ(a.scopes().size(), b.scopes().size());
  for (size_t i = 0; i < a.scopes().size(); ++i) {
    EXPECT_EQ(a.scopes()[i].known, b.scopes()[i].known) << i;
    EXPECT_EQ(a.scopes()[i].ref, b.scopes()[i].ref) << i;
    EXPECT_EQ(a.scopes()[i].period, b.scopes()[i].period) << i;
    EXPECT_EQ(a.scopes()[i].customer, b.scopes()[i].customer) << i;
    EXPECT_EQ(a.scopes()[i].balance, b.scopes()[i].balance) << i;
    if (a.scopes()[i].known) {
      EXPECT_EQ(b.FindScope(a.scopes()[i].ref), i);
    }
  }
  EXPECT_EQ(a.spends().scope, b.spends().scope);
  EXPECT_EQ(a.spends().time_micros, b.spends().time_micros);
  EXPECT_EQ(a.spends().amount_minor, b.spends().amount_minor);
}

TEST(FactsCodecTest, DecodeGivesBackTheFactsAndTheSameReport) {
  Book book;
  book.now = Day(5);
  book.Spend("s1", "c1", 10000);
  book.now = Day(40);
  book.Spend("s2", "c3", 5000);
  book.Spend("s3", "c2", 2000);
  Book::Ok(book.ledger->Refund(
      {.op_id = "f1", .actor = "mgr", .target_id = "s3", .amount = Money::FromMinor(500, Cny())}));
  const Facts facts = FactsOf(book);
  ASSERT_GT(facts.spends().size(), 0u);
  const absl::StatusOr<Facts> decoded = Facts::Decode(facts.Encode());
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectSame(facts, *decoded);
  const ReportRequest options{.period = "Q1", .group_by = Dimension::kCustomer};
  EXPECT_EQ(ToJson(BudgetVsActual(facts, options).value(), Cny()),
            ToJson(BudgetVsActual(*decoded, options).value(), Cny()));
}

// Feeds the events of a ledger to facts of one's own, as the Monitor does.
class FactsFollower final : public ledger::LedgerObserver {
 public:
  FactsFollower(Facts start, const ledger::Ledger& ledger)
      : facts(std::move(start)),
        describe([&ledger](ledger::ScopeId id) { return ledger.DescribeScope(id); }) {}
  void OnApplied(const ledger::Event& event,
                 std::span<const ledger::ScopeChange> changed) override {
    facts.Apply(event, changed, describe);
  }
  Facts facts;
  ScopeDescriber describe;
};

TEST(FactsCodecTest, DecodedFactsLearnLaterEventsAsTheOriginal) {
  Book book;
  book.now = Day(5);
  book.Spend("s1", "c1", 10000);
  FactsFollower follower(Facts::Decode(FactsOf(book).Encode()).value(), *book.ledger);
  book.ledger->AddObserver(&follower);
  book.now = Day(120);
  EXPECT_EQ(book.Reserve("r1", "c2", 3000, "Q2"), ledger::Outcome::kApprove);
  Book::Ok(book.ledger->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}));
  book.Spend("s2", "c3", 700);
  const Facts later = FactsOf(book);
  EXPECT_EQ(later.spends().size(), 3u);
  ExpectSame(later, follower.facts);
}

// Room made for spends ahead (an import) changes nothing the facts say, now or later.
TEST(FactsTest, ReservedRoomForSpendsChangesNothingElse) {
  Book book;
  book.now = Day(5);
  book.Spend("s1", "c1", 10000);
  Facts reserved = FactsOf(book);
  reserved.ReserveSpends(1000);
  EXPECT_GE(reserved.spends().scope.capacity(), 1001u);
  EXPECT_GE(reserved.spends().time_micros.capacity(), 1001u);
  EXPECT_GE(reserved.spends().amount_minor.capacity(), 1001u);
  ExpectSame(FactsOf(book), reserved);
  FactsFollower follower(std::move(reserved), *book.ledger);
  book.ledger->AddObserver(&follower);
  book.Spend("s2", "c3", 700);
  book.Spend("s3", "c1", 50);
  EXPECT_EQ(follower.facts.spends().size(), 3u);
  ExpectSame(FactsOf(book), follower.facts);
}

TEST(FactsCodecTest, DamagedBytesAreCorrupt) {
  Book book;
  book.Spend("s1", "c1", 10000);
  const std::string bytes = FactsOf(book).Encode();
  EXPECT_THAT(Facts::Decode("nope"), StatusIs(ErrorCode::kCorrupt));
  EXPECT_THAT(Facts::Decode(bytes.substr(0, bytes.size() - 3)), StatusIs(ErrorCode::kCorrupt));
  EXPECT_THAT(Facts::Decode(bytes + "x"), StatusIs(ErrorCode::kCorrupt));
  EXPECT_THAT(Facts::Decode(Facts().Encode()).status(), StatusIs(ErrorCode::kOk));
}

// spent_minor(id) is every scope's spent amount as its record says, before and after a round
// trip through the bytes, and 0 for a scope not seen.
TEST(FactsCodecTest, SpentMinorIsEachScopesSpentAmount) {
  Book book;
  book.Spend("s1", "c1", 10000);
  book.Spend("s2", "c2", 700);
  book.Spend("s3", "c1", 50);
  const Facts facts = FactsOf(book);
  const Facts decoded = Facts::Decode(facts.Encode()).value();
  int64_t spent_total = 0;
  for (const Facts* f : {&facts, &decoded}) {
    ASSERT_FALSE(f->scopes().empty());
    for (size_t id = 0; id < f->scopes().size(); ++id) {
      const auto scope = static_cast<ledger::ScopeId>(id);
      EXPECT_EQ(f->spent_minor(scope), f->scopes()[id].balance.spent_minor) << id;
      if (f->scopes()[id].ref.kind == ledger::ScopeKind::kCustomer) {
        spent_total += f->spent_minor(scope);
      }
    }
    EXPECT_EQ(f->spent_minor(static_cast<ledger::ScopeId>(f->scopes().size())), 0);
  }
  EXPECT_EQ(spent_total, 2 * 10750);  // the envelopes' spends, in both
}

// A count in damaged bytes asks for no more scopes or spends than the bytes left could hold
// (6 bytes the least a scope takes, 3 a spend), so Decode never allocates for a made-up count.
TEST(FactsCodecTest, ACountPastWhatTheBytesHoldIsCorrupt) {
  const auto facts_with = [](uint64_t scopes, size_t bytes_after) {
    std::string out = "UPKF";
    ledger::PutVarint(2, &out);  // format
    ledger::PutVarint(0, &out);  // periods
    ledger::PutVarint(0, &out);  // customers
    ledger::PutVarint(scopes, &out);
    return out + std::string(bytes_after, '\0');
  };
  // 10 unknown scopes of 6 zero bytes and no spends.
  const std::string ten = facts_with(10, 60) + std::string(1, '\0');
  ASSERT_OK_AND_ASSIGN(const Facts decoded, Facts::Decode(ten));
  EXPECT_EQ(decoded.scopes().size(), 10u);
  EXPECT_THAT(Facts::Decode(facts_with(11, 61)),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("scopes: value 11 is over 10")));
  EXPECT_THAT(Facts::Decode(facts_with(uint64_t{1} << 40, 61)),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("scopes: value")));
  // No scopes, then a spends count of 5 with 12 bytes left: at most 4 spends.
  std::string spends = facts_with(0, 0);
  ledger::PutVarint(5, &spends);
  EXPECT_THAT(Facts::Decode(spends + std::string(12, '\0')),
              StatusIs(ErrorCode::kCorrupt, HasSubstr("spends: value 5 is over 4")));
}

// Format 2 writes spend times as differences from the spend before (a time going back
// included); facts written in format 1, with the times themselves, still decode.
TEST(FactsCodecTest, SpendTimesComeBackInEitherFormat) {
  Book book;
  book.now = Day(40);
  book.Spend("s1", "c1", 100);
  book.now = Day(5);  // earlier than the spend before
  book.Spend("s2", "c2", 200);
  book.now = Day(5);
  book.Spend("s3", "c1", 300);
  const Facts facts = FactsOf(book);
  ASSERT_EQ(facts.spends().size(), 3u);
  const std::string encoded = facts.Encode();
  ASSERT_OK_AND_ASSIGN(const Facts decoded, Facts::Decode(encoded));
  ExpectSame(facts, decoded);

  // One unknown scope and two spends, as format 1 wrote them.
  std::string format1 = "UPKF";
  for (const uint64_t value : std::initializer_list<uint64_t>{1, 0, 0, 1}) {
    ledger::PutVarint(value, &format1);  // format 1, no periods, no customers, one scope
  }
  format1.push_back('\0');                                     // the scope, unknown
  for (int k = 0; k < 5; ++k) ledger::PutSigned(0, &format1);  // its balance
  ledger::PutVarint(2, &format1);
  for (const int64_t time : {Day(40), Day(5)}) {
    ledger::PutVarint(0, &format1);
    ledger::PutSigned(time, &format1);
    ledger::PutSigned(-7, &format1);
  }
  ASSERT_OK_AND_ASSIGN(const Facts old, Facts::Decode(format1));
  EXPECT_THAT(old.spends().time_micros, ::testing::ElementsAre(Day(40), Day(5)));
  EXPECT_THAT(old.spends().amount_minor, ::testing::ElementsAre(-7, -7));
  std::string unknown = format1;
  unknown[4] = '\3';  // format 3
  EXPECT_THAT(Facts::Decode(unknown), StatusIs(ErrorCode::kUnsupportedVersion));
}

}  // namespace
}  // namespace upkeep::monitor::testing
