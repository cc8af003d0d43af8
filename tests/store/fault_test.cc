// Faults: a second writer, a read-only file, a full disk. Each is a clear status and the book
// stays consistent.
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/book_fixture.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store {
namespace {

using ledger::testing::Ask;
using ledger::testing::InvariantViolations;
using ::testing::HasSubstr;
using testing::Options;
using testing::Populate;
using testing::TempDir;
using upkeep::testing::IsOk;
using upkeep::testing::StatusIs;

TEST(FaultTest, ASecondWriterIsBusy) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  Populate(book->ledger());
  // In this process.
  EXPECT_THAT(Book::Open(path, Options()),
              StatusIs(ErrorCode::kBusy, HasSubstr("open for writing by another writer")));
  // In another process.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    absl::StatusOr<std::unique_ptr<Book>> second = Book::Open(path, Options());
    _exit(ErrorCodeOf(second.status()) == ErrorCode::kBusy ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  // The first writer is undisturbed, and the book opens once it is closed.
  ASSERT_THAT(book->ledger().Reserve(Ask("r-1", "c1", 100)), IsOk());
  const std::string dump = book->ledger().DumpState();
  ASSERT_THAT(book->Close(), IsOk());
  book.reset();
  ASSERT_OK_AND_ASSIGN(book, Book::Open(path, Options()));
  EXPECT_EQ(book->ledger().DumpState(), dump);
}

// A tmpfs mounted for the test (root only), unmounted at the end.
class Mount {
 public:
  explicit Mount(const std::string& dir, const std::string& options) : dir_(dir) {
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~Mount() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool Remount(unsigned long flags, const std::string& options) {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | flags, options.c_str()) == 0;
  }

 private:
  std::string dir_;
  bool mounted_ = false;
};

// A writer that falls behind (another connection holds SQLite's write lock) holds up the
// appends once more than queued_bytes_max bytes wait for it, and lets them go when it catches up:
// an append that hands its batch to the writer itself, and one that only adds to the open batch
// while a sealed one waits.
TEST(FaultTest, AppendsWaitForAWriterThatFallsBehind) {
  for (const uint32_t group_events_max : {1u, 1000u}) {
    SCOPED_TRACE(group_events_max);
    TempDir dir;
    const std::string path = dir.File("book.db");
    BookOptions options = Options(Durability::kGroupCommit);
    options.store.group_events_max = group_events_max;
    options.store.queued_bytes_max = 1;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, options));
    Populate(book->ledger());
    ASSERT_THAT(book->Commit(), IsOk());

    // A second connection takes SQLite's write lock (the store's writer waits up to its busy
    // timeout, 2 s, for it: the lock is held a sixth of that); closing it releases the lock.
    sqlite3* opened = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &opened), SQLITE_OK);
    const std::unique_ptr<sqlite3, int (*)(sqlite3*)> other(opened, &sqlite3_close);
    ASSERT_EQ(sqlite3_exec(other.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    int64_t spent_minor = 100;
    if (group_events_max > 1) {  // a batch that cannot be written waits: the queue is over
      ASSERT_THAT(book->ledger().Spend(Ask("s-0", "c1", 100)), IsOk());
      book->StartCommit();
      spent_minor += 100;
    }
    std::atomic<bool> returned{false};
    absl::Status spend;
    std::thread spender([&] {
      spend = book->ledger().Spend(Ask("s-1", "c1", 100)).status();
      returned = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(returned) << "the spend returned while the writer could not write";
    EXPECT_EQ(sqlite3_exec(other.get(), "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    spender.join();
    EXPECT_THAT(spend, IsOk());
    ASSERT_THAT(book->Commit(), IsOk());
    ASSERT_OK_AND_ASSIGN(const ledger::Balance balance,
                         book->ledger().GetBalance({.period = "Q1",
                                                    .kind = ledger::ScopeKind::kCustomer,
                                                    .key = "c1",
                                                    .category = "gift"}));
    EXPECT_EQ(balance.spent_minor, spent_minor);
  }
}

TEST(FaultTest, AReadOnlyBookIsAnIoError) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  std::string dump;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    Populate(book->ledger());
    dump = book->ledger().DumpState();
  }
  if (geteuid() != 0) {
    ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
    EXPECT_THAT(Book::Open(path, Options()), StatusIs(ErrorCode::kIo, HasSubstr(path)));
    ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  } else {
    // Root writes through file modes: make the whole file system read-only instead.
    const std::string mount_dir = dir.File("ro");
    ASSERT_EQ(::mkdir(mount_dir.c_str(), 0755), 0);
    Mount mount(mount_dir, "size=4m");
    if (!mount.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
    const std::string ro_path = mount_dir + "/book.db";
    {
      ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(ro_path, Options()));
      Populate(book->ledger());
    }
    ASSERT_TRUE(mount.Remount(MS_RDONLY, "size=4m"));
    EXPECT_THAT(Book::Open(ro_path, Options()), StatusIs(ErrorCode::kIo, HasSubstr(ro_path)));
    ASSERT_TRUE(mount.Remount(0, "size=4m"));
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(ro_path, Options()));
    EXPECT_THAT(book->Verify(), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_EQ(book->ledger().DumpState(), dump);
}

// A book on a 1 MiB tmpfs (root only), to fill the disk.
class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
    ASSERT_EQ(::mkdir(mount_dir_.c_str(), 0755), 0);
    mount_ = std::make_unique<Mount>(mount_dir_, "size=1m");
    if (!mount_->mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
  }

  TempDir dir_;
  const std::string mount_dir_ = dir_.File("full");
  const std::string path = mount_dir_ + "/book.db";
  std::unique_ptr<Mount> mount_;
};

TEST_F(FullDiskTest, AFullDiskIsAnIoErrorAndLosesNothingAcknowledged) {
  int acknowledged = 0;
  absl::Status failure;
  std::string dump;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
    Populate(book->ledger());
    for (int n = 0; n < 100'000 && failure.ok(); ++n) {
      absl::StatusOr<ledger::Result> result =
          book->ledger().Reserve(Ask("r-" + std::to_string(n) + std::string(200, 'x'), "c1", 1));
      if (result.ok()) ++acknowledged;
      failure = result.status();
    }
    EXPECT_THAT(failure, StatusIs(ErrorCode::kIo, HasSubstr("disk full")));
    // The failed operation changed nothing: memory still matches the file.
    dump = book->ledger().DumpState();
    EXPECT_EQ(InvariantViolations(book->ledger()), "");
  }
  ASSERT_GT(acknowledged, 10);
  ASSERT_TRUE(mount_->Remount(0, "size=8m"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  EXPECT_EQ(book->ledger().DumpState(), dump);
  EXPECT_THAT(book->Verify(), IsOk());
  EXPECT_THAT(book->ledger().Reserve(Ask("after", "c1", 1)), IsOk());
}

TEST_F(FullDiskTest, UnderPipelinedGroupCommitItBreaksTheBookAndKeepsWhatWasAwaited) {
  int awaited = 0;  // reserves r-0 .. r-(awaited - 1) were acknowledged as durable
  absl::Status failure;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book,
                         Book::Open(path, Options(Durability::kGroupCommit)));
    Populate(book->ledger());
    uint64_t in_flight = book->StartCommit();
    int in_flight_end = 0;
    for (int n = 0; n < 100'000 && failure.ok(); ++n) {
      const std::string id = "r-" + std::to_string(n) + std::string(200, 'x');
      failure = book->ledger().Reserve(Ask(id, "c1", 1)).status();
      if (!failure.ok() || n % 10 != 9) continue;
      const uint64_t next = book->StartCommit();
      failure = book->AwaitDurable(in_flight);
      if (failure.ok()) awaited = in_flight_end;
      in_flight = next;
      in_flight_end = n + 1;
    }
    EXPECT_THAT(failure, StatusIs(ErrorCode::kIo, HasSubstr("disk full")));
    // Broken: nothing more is accepted until the book is reopened.
    EXPECT_THAT(book->ledger().Reserve(Ask("more", "c1", 1)),
                StatusIs(ErrorCode::kIo, HasSubstr("reopen the book")));
    EXPECT_THAT(book->Commit(), StatusIs(ErrorCode::kIo));
  }
  ASSERT_GT(awaited, 10);
  ASSERT_TRUE(mount_->Remount(0, "size=8m"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Book> book, Book::Open(path, Options()));
  for (int n = 0; n < awaited; ++n) {
    ASSERT_THAT(book->ledger().GetReservation("r-" + std::to_string(n) + std::string(200, 'x')),
                IsOk())
        << n;
  }
  EXPECT_THAT(book->Verify(), IsOk());
  EXPECT_EQ(InvariantViolations(book->ledger()), "");
}

}  // namespace
}  // namespace upkeep::store
