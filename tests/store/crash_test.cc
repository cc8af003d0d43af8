// The crash test: a child process (store_crash_child) runs a long stream of operations on a
// book and reports each one once it is durable; this test SIGKILLs it at random moments
// (seeded), reopens the book and checks that every acknowledged operation is there, that the
// operation in flight is wholly applied or not at all, that the invariants hold, and that the
// reopened state (snapshot + tail) equals a replay of the whole journal.
//
// Rounds alternate a sync per operation and group commit. UPKEEP_CRASH_KILLS sets the number of
// kill points (default 200); UPKEEP_CRASH_SEED the seed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "store/book_fixture.h"
#include "store/crash_ops.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ledger::testing::Envelope;
using ledger::testing::InvariantViolations;
using ledger::testing::ReplayedDump;
using testing::CrashBookOptions;
using testing::CrashId;
using testing::CrashOpKind;
using testing::CrashOpKindOf;
using testing::TempDir;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::atoi(value);
}

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of its stdout
};

Child Spawn(const std::string& program, const std::string& path, int round, bool group) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  Child child;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    const std::string round_text = std::to_string(round);
    ::execl(program.c_str(), program.c_str(), path.c_str(), round_text.c_str(),
            group ? "group" : "sync", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  child.out = fds[0];
  return child;
}

// Everything the child wrote, after it died: the acknowledged op numbers, in order.
std::vector<int> Acknowledged(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::read(fd, buffer, sizeof(buffer))) > 0;) {
    text.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  std::vector<int> acked;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    acked.push_back(std::atoi(text.substr(start, end - start).c_str()));
  }
  return acked;  // a torn last line (no newline) is not an acknowledgement
}

// Whether operation n of `round` is applied; "half" when only part of it is.
enum class Applied { kNo, kYes, kHalf };

Applied WhetherApplied(const ledger::Ledger& ledger, int round, int n) {
  switch (CrashOpKindOf(n)) {
    case CrashOpKind::kReserve:
      return ledger.GetReservation(CrashId('k', round, n)).ok() ? Applied::kYes : Applied::kNo;
    case CrashOpKind::kPost: {
      absl::StatusOr<ledger::ReservationInfo> r = ledger.GetReservation(CrashId('k', round, n - 1));
      return r.ok() && r->status == ledger::ReservationStatus::kPosted ? Applied::kYes
                                                                       : Applied::kNo;
    }
    case CrashOpKind::kAllocate: {
      const std::string category = CrashId('k', round, n);
      int present = 0;
      for (const char* c : {"c1", "c2", "c3"}) {
        absl::StatusOr<ledger::Balance> b = ledger.GetBalance(Envelope(c, category));
        present += b.ok() && b->budget_minor == 100 ? 1 : 0;
      }
      ledger::ScopeRef company{
          .period = "Q1", .kind = ledger::ScopeKind::kCompany, .key = "", .category = category};
      absl::StatusOr<ledger::Balance> total = ledger.GetBalance(company);
      const bool company_set = total.ok() && total->budget_minor == 300;
      if (present == 0 && !company_set) return Applied::kNo;
      return present == 3 && company_set ? Applied::kYes : Applied::kHalf;
    }
  }
  return Applied::kHalf;
}

TEST(CrashTest, EveryAcknowledgedOperationSurvivesSigkill) {
  const char* program = std::getenv("UPKEEP_CRASH_CHILD");
  ASSERT_NE(program, nullptr) << "set UPKEEP_CRASH_CHILD to the store_crash_child program";
  const int kills = EnvInt("UPKEEP_CRASH_KILLS", 200);
  std::mt19937 random(static_cast<uint32_t>(EnvInt("UPKEEP_CRASH_SEED", 20240611)));
  TempDir dir;
  const std::string path = dir.File("book.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, CrashBookOptions(Durability::kSyncEachCommit)));
    testing::Populate(book->ledger());
  }
  int64_t acknowledged_total = 0;
  for (int round = 0; round < kills; ++round) {
    const bool group = round % 2 == 1;
    Child child = Spawn(program, path, round, group);
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(2'000, 100'000)(random)));
    ::kill(child.pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child.pid, &status, 0), child.pid);
    const std::vector<int> acked = Acknowledged(child.out);
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << ": the child exited by itself ("
                                     << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ")";
    acknowledged_total += static_cast<int64_t>(acked.size());

    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, CrashBookOptions(Durability::kSyncEachCommit)));
    const ledger::Ledger& ledger = book->ledger();
    for (size_t i = 0; i < acked.size(); ++i) {
      ASSERT_EQ(acked[i], static_cast<int>(i)) << "round " << round;
      ASSERT_EQ(WhetherApplied(ledger, round, acked[i]), Applied::kYes)
          << "round " << round << ": acknowledged op " << acked[i] << " is missing";
    }
    // Durable but unacknowledged operations may follow; none is half applied.
    int n = static_cast<int>(acked.size());
    while (WhetherApplied(ledger, round, n) == Applied::kYes) ++n;
    ASSERT_EQ(WhetherApplied(ledger, round, n), Applied::kNo)
        << "round " << round << ": op " << n << " is half applied";
    ASSERT_EQ(InvariantViolations(ledger), "") << "round " << round;
    if (round % 20 == 19 || round + 1 == kills) {
      ASSERT_THAT(book->Verify(), upkeep::testing::IsOk());
      ASSERT_EQ(ledger.DumpState(), ReplayedDump(book->store())) << "round " << round;
      // The readable tables, refreshed by snapshots that kills interrupted, catch up on close
      // with every reservation once.
      ASSERT_THAT(book->Close(), upkeep::testing::IsOk());
      ASSERT_EQ(testing::SqlInt(path, "SELECT value FROM meta WHERE key = 'tables_seq'"),
                testing::SqlInt(path, "SELECT value FROM meta WHERE key = 'head_count'"));
      ASSERT_EQ(
          testing::SqlInt(path, "SELECT count(*) FROM reservations"),
          testing::SqlInt(path, "SELECT count(*) FROM journal_entries WHERE kind = 'reserved'"))
          << "round " << round;
      ASSERT_EQ(testing::SqlInt(path, "SELECT count(*) FROM reservations WHERE status = 'posted'"),
                testing::SqlInt(path, "SELECT count(*) FROM journal_entries WHERE kind = 'posted'"))
          << "round " << round;
    }
  }
  std::printf("%d kill points, %lld acknowledged operations checked\n", kills,
              static_cast<long long>(acknowledged_total));
}

}  // namespace
}  // namespace upkeep::store
