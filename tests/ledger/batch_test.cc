// Batches: ReserveBatch / SpendBatch / PostBatch answer each request exactly as the single calls
// would, in order, one error not stopping the others, and leave the same state and journal;
// CheckBatch answers each as Check would and changes nothing (properties over random request
// lists with bad, repeated and conflicting requests).
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace upkeep::ledger::testing {
namespace {

using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

// Ids and names live here so that the requests' views stay valid.
struct Requests {
  Requests() { texts.reserve(kMaxTexts); }  // never reallocates: the views stay valid
  static constexpr size_t kMaxTexts = 256;
  std::vector<std::string> texts;
  std::vector<Request> reserves;
  std::vector<PostRequest> posts;
  const std::string& Keep(std::string text) {
    if (texts.size() == kMaxTexts) {  // a reallocation would move the short texts kept inline
      std::fprintf(stderr, "batch_test: more than %zu texts kept\n", kMaxTexts);
      std::abort();
    }
    return texts.emplace_back(std::move(text));
  }
};

TEST(BatchTest, RoomForOperationsChangesNoAnswerAndNoState) {
  MemoryJournal plain_journal, roomy_journal;
  std::unique_ptr<Ledger> plain = MakeLedger(&plain_journal);
  std::unique_ptr<Ledger> roomy = MakeLedger(&roomy_journal);
  const auto spend = [](const std::string& id) {
    return Request{.op_id = id,
                   .actor = "mgr",
                   .period = "Q1",
                   .customer = "c1",
                   .category = "gift",
                   .amount = Cny(10)};
  };
  ASSERT_THAT(plain->Spend(spend("s-0")).status(), IsOk());
  ASSERT_THAT(roomy->Spend(spend("s-0")).status(), IsOk());
  roomy->ReserveOperations(100'000);
  for (int n = 1; n < 300; ++n) {
    ASSERT_THAT(plain->Spend(spend("s-" + std::to_string(n))).status(), IsOk());
    ASSERT_THAT(roomy->Spend(spend("s-" + std::to_string(n))).status(), IsOk());
  }
  // An id from before the room was made is still known: its retry is the first answer.
  ASSERT_OK_AND_ASSIGN(const Result again, roomy->Spend(spend("s-0")));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(roomy->DumpState(), plain->DumpState());
  EXPECT_EQ(roomy_journal.size(), plain_journal.size());
}

TEST(BatchTest, EachRequestIsAnsweredInOrderAndErrorsStayWithTheirRequest) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  const std::vector<Request> requests = {{.op_id = "b1",
                                          .actor = "mgr",
                                          .period = "Q1",
                                          .customer = "c1",
                                          .category = "gift",
                                          .amount = Cny(1000)},
                                         {.op_id = "b2",
                                          .actor = "mgr",
                                          .period = "Q1",
                                          .customer = "nobody",
                                          .category = "gift",
                                          .amount = Cny(1000)},
                                         {.op_id = "b3",
                                          .actor = "mgr",
                                          .period = "Q1",
                                          .customer = "c2",
                                          .category = "gift",
                                          .amount = Cny(999999)},
                                         {.op_id = "b1",
                                          .actor = "mgr",
                                          .period = "Q1",
                                          .customer = "c1",
                                          .category = "gift",
                                          .amount = Cny(1000)},
                                         {.op_id = "b1",
                                          .actor = "mgr",
                                          .period = "Q1",
                                          .customer = "c1",
                                          .category = "gift",
                                          .amount = Cny(2000)}};
  const std::vector<absl::StatusOr<Result>> results = ledger->ReserveBatch(requests);
  ASSERT_EQ(results.size(), 5u);
  ASSERT_THAT(results[0].status(), IsOk());
  EXPECT_EQ(results[0]->decision.outcome, Outcome::kApprove);
  EXPECT_THAT(results[1].status(), StatusIs(ErrorCode::kNotFound));
  ASSERT_THAT(results[2].status(), IsOk());
  EXPECT_EQ(results[2]->decision.outcome, Outcome::kReject);
  ASSERT_THAT(results[3].status(), IsOk());
  EXPECT_TRUE(results[3]->replayed);
  EXPECT_THAT(results[4].status(), StatusIs(ErrorCode::kIdempotencyConflict));
  const std::vector<PostRequest> posts = {{.op_id = "p1", .actor = "mgr", .reservation_id = "b1"},
                                          {.op_id = "p2", .actor = "mgr", .reservation_id = "b1"},
                                          {.op_id = "p3", .actor = "mgr", .reservation_id = "b2"}};
  const std::vector<absl::Status> posted = ledger->PostBatch(posts);
  ASSERT_EQ(posted.size(), 3u);
  EXPECT_THAT(posted[0], IsOk());
  EXPECT_THAT(posted[1], StatusIs(ErrorCode::kInvalidState));
  EXPECT_THAT(posted[2], StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(ledger->GetBalance(Envelope("c1")).value().spent_minor, 1000);
  EXPECT_TRUE(ledger->SpendBatch({}).empty());
}

// The fixture's clock moves 1 us at every reading: an operation reads it once (its decision and
// its event share that time), a batch once for all its requests, and a check (the fixture has no
// rule that asks for the time) not at all.
TEST(BatchTest, AnOperationReadsTheClockOnceAndABatchOnceForAll) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  const uint64_t first = journal.size();
  const int64_t before_micros = EventTimes(journal, first - 1).at(0);
  ASSERT_THAT(ledger->Check(Ask("k1", "c1", 100)).status(), IsOk());
  const std::vector<Request> checks = {Ask("k2", "c1", 100), Ask("k3", "c2", 100)};
  for (const auto& result : ledger->CheckBatch(checks)) ASSERT_THAT(result.status(), IsOk());
  ASSERT_THAT(ledger->Reserve(Ask("r1", "c1", 100)).status(), IsOk());
  ASSERT_THAT(ledger->Post({.op_id = "p1", .actor = "mgr", .reservation_id = "r1"}), IsOk());
  EXPECT_THAT(EventTimes(journal, first),
              ::testing::ElementsAre(before_micros + 1, before_micros + 2));

  const std::vector<Request> reserves = {Ask("r2", "c1", 100), Ask("r3", "c2", 100),
                                         Ask("r4", "c3", 100)};
  for (const auto& result : ledger->ReserveBatch(reserves)) ASSERT_THAT(result.status(), IsOk());
  const std::vector<PostRequest> posts = {{.op_id = "p2", .actor = "mgr", .reservation_id = "r2"},
                                          {.op_id = "p3", .actor = "mgr", .reservation_id = "r3"}};
  for (const absl::Status& posted : ledger->PostBatch(posts)) ASSERT_THAT(posted, IsOk());
  EXPECT_THAT(EventTimes(journal, first + 2),
              ::testing::ElementsAre(before_micros + 3, before_micros + 3, before_micros + 3,
                                     before_micros + 4, before_micros + 4));
}

TEST(BatchTest, ChecksDoNotSeeEachOtherAndChangeNothing) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  ASSERT_THAT(ledger->Spend(Ask("done", "c2", 100)).status(), IsOk());
  const int64_t available_minor = BalanceOf(*ledger, Envelope("c1")).available_minor;
  const std::string state_before = ledger->DumpState();
  const size_t events_before = journal.size();
  const std::vector<Request> checks = {
      Ask("k1", "c1", available_minor * 3 / 5),
      Ask("k2", "c1", available_minor * 3 / 5),
      Ask("k3", "c1", 1, "ghost"),
      Ask("k4", "c1", -5),
      Ask("done", "c2", 100),  // as already applied: its first answer
      Ask("done", "c2", 200),  // the same id for something else
  };
  const std::vector<absl::StatusOr<Result>> results = ledger->CheckBatch(checks, true);
  ASSERT_EQ(results.size(), 6u);
  // Each is answered as if it were alone: both fit, though both together would not.
  ASSERT_THAT(results[0].status(), IsOk());
  EXPECT_EQ(results[0]->decision.outcome, Outcome::kApprove);
  ASSERT_THAT(results[1].status(), IsOk());
  EXPECT_EQ(results[1]->decision.outcome, Outcome::kApprove);
  EXPECT_THAT(results[2].status(), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(results[3].status(), StatusIs(ErrorCode::kInvalidArgument));
  ASSERT_THAT(results[4].status(), IsOk());
  EXPECT_TRUE(results[4]->replayed);
  EXPECT_THAT(results[5].status(), StatusIs(ErrorCode::kIdempotencyConflict));
  EXPECT_EQ(ledger->DumpState(), state_before);
  EXPECT_EQ(journal.size(), events_before);
  EXPECT_TRUE(ledger->CheckBatch({}).empty());
}

// A check batch takes the lock in turns of 1,024 requests: batches just under, at and over a
// turn, and of several, answer each request as Check does (the requests vary by customer,
// amount and actor, a few of them bad).
TEST(BatchTest, ACheckBatchOfSeveralTurnsAnswersEachAsCheckDoes) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  const char* const customers[] = {"c1", "c2", "c3", "zz"};
  const char* const actors[] = {"mgr", "amy", "ghost"};
  std::vector<std::string> ids;
  for (size_t k = 0; k < 2500; ++k) ids.push_back("k" + std::to_string(k));
  for (const size_t count : {size_t{1023}, size_t{1024}, size_t{1025}, size_t{2500}}) {
    std::vector<Request> checks;
    for (size_t k = 0; k < count; ++k) {
      checks.push_back(Ask(ids[k], customers[k % 4], static_cast<int64_t>(k % 7) * 40'000 - 1,
                           actors[k % 11 == 0 ? 1 + k % 2 : 0]));
    }
    const std::vector<absl::StatusOr<Result>> got = ledger->CheckBatch(checks);
    ASSERT_EQ(got.size(), count);
    for (size_t k = 0; k < count; ++k) {
      const absl::StatusOr<Result> want = ledger->Check(checks[k]);
      ASSERT_EQ(got[k].status(), want.status()) << count << " " << k;
      if (want.ok()) {
        ASSERT_EQ(got[k]->decision.Explain(), want->decision.Explain()) << count << " " << k;
      }
    }
  }
}

// Envelopes in three (period, category) tables, some customers in only some of them.
void AllocateMoreTables(Ledger& ledger) {
  RC_ASSERT(ledger
                .ApplyAllocation({.op_id = "alloc-q2",
                                  .actor = "fin",
                                  .period = "Q2",
                                  .category = "gift",
                                  .envelopes = {{"c1", "A", 100000}, {"c2", "B", 50000}}})
                .ok());
  RC_ASSERT(ledger
                .ApplyAllocation({.op_id = "alloc-visit",
                                  .actor = "fin",
                                  .period = "Q1",
                                  .category = "visit",
                                  .envelopes = {{"c2", "B", 50000}, {"c3", "", 50000}}})
                .ok());
}

// Random reserve requests (bad, repeated and conflicting ones among them), each with a post of
// its id, into `r`; some name their envelope by a handle `ledger` resolves, some expire.
void AddRandomRequests(Requests& r, const Ledger& ledger) {
  static const char* const kCustomers[] = {"c1", "c2", "c3", "zz"};
  static const char* const kActors[] = {"mgr", "amy", "bob", "ghost"};
  static const char* const kPeriods[] = {"Q1", "Q2", "Q9"};
  static const char* const kCategories[] = {"gift", "visit", "none"};
  std::string_view actor, period, category;
  const int n = *rc::gen::inRange(0, 60);
  for (int i = 0; i < n; ++i) {
    const std::string& id = r.Keep("op-" + std::to_string(*rc::gen::inRange(0, 40)));
    // Mostly the period, category and actor of the request before (as in a file of one
    // month's gifts), sometimes others, known or not: what a batch remembers of names must not
    // leak.
    if (i == 0 || *rc::gen::inRange(0, 4) == 0) {
      actor = kActors[*rc::gen::inRange(0, 4)];
      period = kPeriods[*rc::gen::inRange(0, 3)];
      category = kCategories[*rc::gen::inRange(0, 3)];
    }
    // The actor's name is sometimes a copy kept elsewhere, sometimes the start of a name (at
    // the same address, another name): a batch knows actors by their names, not their places.
    std::string_view named = actor;
    if (const int place = *rc::gen::inRange(0, 6); place == 0) {
      named = r.Keep(std::string(actor));
    } else if (place == 1) {
      named = actor.substr(0, actor.size() - 1);
    }
    Request request{.op_id = id,
                    .actor = named,
                    .period = period,
                    .customer = kCustomers[*rc::gen::inRange(0, 4)],
                    .category = category,
                    .amount = Cny(*rc::gen::inRange<int64_t>(-1, 30000)),
                    .expiry_micros = *rc::gen::inRange(0, 8) == 0 ? int64_t{5} : 0,
                    .explain = *rc::gen::inRange(0, 4) == 0};
    if (*rc::gen::inRange(0, 8) == 0) {
      if (const absl::StatusOr<EnvelopeHandle> handle =
              ledger.ResolveEnvelope(request.period, request.customer, request.category);
          handle.ok()) {
        request.envelope = *handle;
        request.period = request.customer = request.category = {};
      }
    }
    r.reserves.push_back(request);
    const std::string& post_id = r.Keep("post-" + std::to_string(*rc::gen::inRange(0, 40)));
    // Mostly by a manager; sometimes by the reserve's actor, who may not post it or not exist.
    const std::string_view poster = *rc::gen::inRange(0, 3) == 0 ? actor : "mgr";
    r.posts.push_back({.op_id = post_id, .actor = poster, .reservation_id = id});
  }
}

RC_GTEST_PROP(BatchProperty, ABatchDoesWhatItsRequestsDoOneByOne, ()) {
  MemoryJournal batch_journal, single_journal;
  std::unique_ptr<Ledger> batched = MakeLedger(&batch_journal);
  std::unique_ptr<Ledger> single = MakeLedger(&single_journal);
  AllocateMoreTables(*batched);
  AllocateMoreTables(*single);
  Requests r;
  AddRandomRequests(r, *single);
  const bool spend = *rc::gen::arbitrary<bool>();
  const std::vector<absl::StatusOr<Result>> got =
      spend ? batched->SpendBatch(r.reserves) : batched->ReserveBatch(r.reserves);
  RC_ASSERT(got.size() == r.reserves.size());
  for (size_t i = 0; i < r.reserves.size(); ++i) {
    const absl::StatusOr<Result> want =
        spend ? single->Spend(r.reserves[i]) : single->Reserve(r.reserves[i]);
    RC_ASSERT(got[i].status() == want.status());
    if (want.ok()) {
      RC_ASSERT(got[i]->decision.outcome == want->decision.outcome);
      RC_ASSERT(got[i]->decision.Explain() == want->decision.Explain());
      RC_ASSERT(got[i]->replayed == want->replayed);
    }
  }
  const std::vector<absl::Status> posted = batched->PostBatch(r.posts);
  RC_ASSERT(posted.size() == r.posts.size());
  for (size_t i = 0; i < r.posts.size(); ++i) RC_ASSERT(posted[i] == single->Post(r.posts[i]));
  RC_ASSERT(batched->DumpState() == single->DumpState());
  RC_ASSERT(batch_journal.size() == single_journal.size());
}

// A check batch against a ledger that already holds some of its ids (posted, open and voided
// reservations): each answer is Check's, and nothing changes.
RC_GTEST_PROP(BatchProperty, ACheckBatchAnswersAsCheckDoesAndChangesNothing, ()) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  AllocateMoreTables(*ledger);
  Requests earlier;
  AddRandomRequests(earlier, *ledger);
  ledger->ReserveBatch(earlier.reserves);
  const size_t half = earlier.posts.size() / 2;
  ledger->PostBatch(std::span(earlier.posts).first(half));
  for (size_t i = half; i < earlier.posts.size(); i += 2) {  // some of the others voided
    ledger
        ->Void({.op_id = earlier.Keep("void-" + std::to_string(i)),
                .actor = "mgr",
                .reservation_id = earlier.posts[i].reservation_id})
        .IgnoreError();  // not every id is an open reservation
  }
  Requests r;
  AddRandomRequests(r, *ledger);
  const bool as_spend = *rc::gen::arbitrary<bool>();
  const std::string state_before = ledger->DumpState();
  const size_t events_before = journal.size();
  const std::vector<absl::StatusOr<Result>> got = ledger->CheckBatch(r.reserves, as_spend);
  RC_ASSERT(got.size() == r.reserves.size());
  for (size_t i = 0; i < r.reserves.size(); ++i) {
    const absl::StatusOr<Result> want = ledger->Check(r.reserves[i], as_spend);
    RC_ASSERT(got[i].status() == want.status());
    if (want.ok()) {
      RC_ASSERT(got[i]->decision.outcome == want->decision.outcome);
      RC_ASSERT(got[i]->decision.Explain() == want->decision.Explain());
      RC_ASSERT(got[i]->replayed == want->replayed);
    }
  }
  RC_ASSERT(ledger->DumpState() == state_before);
  RC_ASSERT(journal.size() == events_before);
}

}  // namespace
}  // namespace upkeep::ledger::testing
