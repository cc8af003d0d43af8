// Bad inputs: each gets its own status and a message naming what was wrong, and changes nothing
// (the state dump and the journal are the same before and after).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"

namespace upkeep::ledger::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

struct BadCase {
  std::string name;
  std::function<absl::Status(Ledger&)> call;
  ErrorCode code;
  std::string message;
};

template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

Request With(Request r, std::function<void(Request&)> change) {
  change(r);
  return r;
}

std::vector<BadCase> Cases() {
  const Currency usd = Currency::FromCode("USD").value();
  return {
      {"zero amount", [](Ledger& l) { return StatusOf(l.Reserve(Ask("x", "c1", 0))); },
       ErrorCode::kInvalidArgument, "must be positive"},
      {"negative amount", [](Ledger& l) { return StatusOf(l.Spend(Ask("x", "c1", -5))); },
       ErrorCode::kInvalidArgument, "must be positive"},
      {"unknown customer", [](Ledger& l) { return StatusOf(l.Reserve(Ask("x", "c404", 1))); },
       ErrorCode::kNotFound, "customer 'c404'"},
      {"unknown category",
       [](Ledger& l) { return StatusOf(l.Reserve(Ask("x", "c1", 1, "mgr", "yacht"))); },
       ErrorCode::kNotFound, "category 'yacht'"},
      {"category without a budget",
       [](Ledger& l) { return StatusOf(l.Reserve(Ask("x", "c1", 1, "mgr", "visit"))); },
       ErrorCode::kNotFound, "no budget for visit"},
      {"unknown period",
       [](Ledger& l) {
         return StatusOf(l.Reserve(With(Ask("x", "c1", 1), [](Request& r) { r.period = "Q9"; })));
       },
       ErrorCode::kNotFound, "period 'Q9'"},
      {"wrong currency",
       [usd](Ledger& l) {
         return StatusOf(l.Reserve(
             With(Ask("x", "c1", 1), [usd](Request& r) { r.amount = Money::FromMinor(1, usd); })));
       },
       ErrorCode::kCurrencyMismatch, "USD"},
      {"overflow", [](Ledger& l) { return StatusOf(l.Reserve(Ask("x", "c1", INT64_MAX))); },
       ErrorCode::kOverflow, "overflow"},
      {"duplicate id, other payload",
       [](Ledger& l) { return StatusOf(l.Reserve(Ask("r-open", "c1", 2))); },
       ErrorCode::kIdempotencyConflict, "r-open"},
      {"posting more than reserved",
       [](Ledger& l) {
         return l.Post(
             {.op_id = "p", .actor = "mgr", .reservation_id = "r-open", .amount = Cny(1001)});
       },
       ErrorCode::kInvalidArgument, "holds only 10.00"},
      {"post of an unknown reservation",
       [](Ledger& l) { return l.Post({.op_id = "p", .actor = "mgr", .reservation_id = "zz"}); },
       ErrorCode::kNotFound, "reservation 'zz'"},
      {"closed period",
       [](Ledger& l) {
         return StatusOf(l.Reserve(With(Ask("x", "c1", 1), [](Request& r) { r.period = "Q2"; })));
       },
       ErrorCode::kPeriodClosed, "'Q2' is closed"},
      {"unknown actor", [](Ledger& l) { return StatusOf(l.Reserve(Ask("x", "c1", 1, "eve"))); },
       ErrorCode::kNotFound, "actor 'eve'"},
      {"missing permission",
       [](Ledger& l) { return StatusOf(l.Reserve(Ask("x", "c3", 1, "amy"))); },
       ErrorCode::kPermissionDenied, "may not reserve"},
      {"empty op id", [](Ledger& l) { return StatusOf(l.Reserve(Ask("", "c1", 1))); },
       ErrorCode::kInvalidArgument, "op id must not be empty"},
      {"invalid UTF-8 op id",
       [](Ledger& l) { return StatusOf(l.Reserve(Ask("\xc3\x28", "c1", 1))); },
       ErrorCode::kInvalidUtf8, "op id"},
      {"expiry on a spend",
       [](Ledger& l) {
         return StatusOf(
             l.Spend(With(Ask("x", "c1", 1), [](Request& r) { r.expiry_micros = 10; })));
       },
       ErrorCode::kInvalidArgument, "expiry"},
      {"transfer without a reason",
       [](Ledger& l) {
         return l.Transfer({.op_id = "t",
                            .actor = "fin",
                            .from = Envelope("c1"),
                            .to = Envelope("c2"),
                            .amount = Cny(1)});
       },
       ErrorCode::kInvalidArgument, "needs a reason"},
      {"transfer to a crossing scope",
       [](Ledger& l) {
         return l.Transfer({.op_id = "t",
                            .actor = "fin",
                            .from = Envelope("c1"),
                            .to = Envelope("c1"),
                            .amount = Cny(1),
                            .reason = "x"});
       },
       ErrorCode::kInvalidArgument, "cannot transfer"},
      {"negative budget",
       [](Ledger& l) {
         return l.Revise({.op_id = "v",
                          .actor = "fin",
                          .scope = Envelope("c1"),
                          .budget = Cny(-1),
                          .reason = "x"});
       },
       ErrorCode::kInvalidArgument, "must not be negative"},
      {"allocation for an existing envelope",
       [](Ledger& l) {
         return l.ApplyAllocation({.op_id = "a2",
                                   .actor = "fin",
                                   .period = "Q1",
                                   .category = "gift",
                                   .envelopes = {{"c1", "", 1}}});
       },
       ErrorCode::kAlreadyExists, "revise it instead"},
      {"allocation with a wrong tier",
       [](Ledger& l) {
         return l.ApplyAllocation({.op_id = "a2",
                                   .actor = "fin",
                                   .period = "Q1",
                                   .category = "visit",
                                   .envelopes = {{"c1", "B", 1}}});
       },
       ErrorCode::kInvalidArgument, "is in tier A, not B"},
      {"allocation overflow",
       [](Ledger& l) {
         return l.ApplyAllocation({.op_id = "a2",
                                   .actor = "fin",
                                   .period = "Q1",
                                   .category = "visit",
                                   .envelopes = {{"c1", "", INT64_MAX}, {"c2", "", 1}}});
       },
       ErrorCode::kOverflow, "overflow"},
      {"duplicate customer",
       [](Ledger& l) {
         return l.DefineCustomer("admin", {"c1", "A", "", ""});
       },
       ErrorCode::kAlreadyExists, "customer 'c1'"},
      {"customer of an unknown tier",
       [](Ledger& l) {
         return l.DefineCustomer("admin", {"c9", "Z", "", ""});
       },
       ErrorCode::kNotFound, "tier 'Z'"},
      {"period ending before it starts",
       [](Ledger& l) {
         return l.DefinePeriod("fin", {"Q3", 10, 5});
       },
       ErrorCode::kInvalidArgument, "start must be before end"},
  };
}

TEST(BadInputTest, EachHasItsOwnStatusAndChangesNothing) {
  for (const BadCase& c : Cases()) {
    MemoryJournal journal;
    std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
    ASSERT_THAT(ledger->Reserve(Ask("r-open", "c1", 1000)), IsOk());
    ASSERT_THAT(ledger->ApplyAllocation({.op_id = "a-q2",
                                         .actor = "fin",
                                         .period = "Q2",
                                         .category = "gift",
                                         .envelopes = {{"c1", "", 100}}}),
                IsOk());
    ASSERT_THAT(ledger->ClosePeriod("fin", "Q2"), IsOk());
    const std::string before = ledger->DumpState();
    const uint64_t events = journal.size();
    EXPECT_THAT(c.call(*ledger), StatusIs(c.code, HasSubstr(c.message))) << c.name;
    EXPECT_EQ(ledger->DumpState(), before) << c.name;
    EXPECT_EQ(journal.size(), events) << c.name;
  }
}

TEST(BadInputTest, CreateNeedsAnEmptyJournal) {
  EXPECT_THAT(Ledger::Create({.currency = Cny()}), StatusIs(ErrorCode::kNullArgument));
  MemoryJournal journal;
  ASSERT_THAT(Ledger::Create({.currency = Cny(), .journal = &journal}), IsOk());
  EXPECT_THAT(Ledger::Create({.currency = Cny(), .journal = &journal}),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("must be empty")));
}

}  // namespace
}  // namespace upkeep::ledger::testing
