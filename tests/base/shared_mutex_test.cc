// upkeep/shared_mutex.h: exclusion, sharing, a waiting writer's turn, and waiters woken from
// sleep (a hold longer than the 30 us spin puts them to sleep on the lock's word).
#include "upkeep/shared_mutex.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace upkeep {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Waits (yielding) until `flag` is set or `limit` passes; whether it was set.
bool AwaitFlag(const std::atomic<bool>& flag, milliseconds limit) {
  const Clock::time_point end = Clock::now() + limit;
  while (!flag.load(std::memory_order_acquire)) {
    if (Clock::now() >= end) return false;
    std::this_thread::yield();
  }
  return true;
}

// Aborts the test program, naming the test, if it is still running after kLimit: a waiter that
// is never woken would otherwise hang it until CTest's timeout.
class Watchdog {
 public:
  Watchdog()
      : thread_([this] {
          std::unique_lock lock(mu_);
          if (!done_cv_.wait_for(lock, kLimit, [this] { return done_; })) {
            std::fprintf(stderr, "%s: still waiting for the lock after %lld s\n",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                         static_cast<long long>(kLimit.count()));
            std::abort();
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    done_cv_.notify_one();
    thread_.join();
  }

 private:
  static constexpr std::chrono::seconds kLimit{60};
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;  // last: started once the rest is built
};

TEST(SharedMutexTest, WritersExcludeEachOther) {
  Watchdog watchdog;
  SharedMutex mu;
  int64_t count = 0;  // plain: a lost update shows as a short count (and to ThreadSanitizer)
  constexpr int kThreads = 4;
  constexpr int kEach = 200'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        WriterLock lock(&mu);
        ++count;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(count, int64_t{kThreads} * kEach);
}

TEST(SharedMutexTest, ReadersHoldItTogether) {
  Watchdog watchdog;
  SharedMutex mu;
  std::atomic<bool> first_in{false};
  std::atomic<bool> second_in{false};
  bool second_came_while_first_held = false;
  std::thread first([&] {
    ReaderLock lock(&mu);
    first_in.store(true, std::memory_order_release);
    // Were readers exclusive, the second would wait for this one: it gives up after 5 s.
    second_came_while_first_held = AwaitFlag(second_in, milliseconds(5000));
  });
  ASSERT_TRUE(AwaitFlag(first_in, milliseconds(5000)));
  {
    ReaderLock lock(&mu);
    second_in.store(true, std::memory_order_release);
  }
  first.join();
  EXPECT_TRUE(second_came_while_first_held);
}

TEST(SharedMutexTest, AWriterSleepsUntilTheLastReaderLeaves) {
  Watchdog watchdog;
  SharedMutex mu;
  std::atomic<bool> readers_in{false};
  std::atomic<int> readers_left{0};
  int readers_left_seen_by_writer = -1;
  std::vector<std::thread> readers;
  std::atomic<int> readers_holding{0};
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      ReaderLock lock(&mu);
      if (readers_holding.fetch_add(1) + 1 == 2) readers_in.store(true);
      AwaitFlag(readers_in, milliseconds(5000));
      // Far longer than the writer spins: it goes to sleep on the word.
      std::this_thread::sleep_for(milliseconds(50));
      readers_left.fetch_add(1);
    });
  }
  ASSERT_TRUE(AwaitFlag(readers_in, milliseconds(5000)));
  std::thread writer([&] {
    WriterLock lock(&mu);
    readers_left_seen_by_writer = readers_left.load();
  });
  writer.join();  // a writer never woken would hang here (and the test time out)
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(readers_left_seen_by_writer, 2);
}

TEST(SharedMutexTest, SleepingReadersAndWritersAreAllWokenByAWriter) {
  Watchdog watchdog;
  SharedMutex mu;
  std::atomic<bool> held{false};
  std::atomic<bool> released{false};
  std::atomic<int> got_in_after_release{0};
  std::thread holder([&] {
    WriterLock lock(&mu);
    held.store(true);
    std::this_thread::sleep_for(milliseconds(50));  // the others fall asleep
    released.store(true);
  });
  ASSERT_TRUE(AwaitFlag(held, milliseconds(5000)));
  std::vector<std::thread> waiters;
  for (int w = 0; w < 4; ++w) {
    waiters.emplace_back([&, w] {
      if (w % 2 == 0) {
        ReaderLock lock(&mu);
        if (released.load()) got_in_after_release.fetch_add(1);
      } else {
        WriterLock lock(&mu);
        if (released.load()) got_in_after_release.fetch_add(1);
      }
    });
  }
  holder.join();
  for (std::thread& waiter : waiters) waiter.join();
  EXPECT_EQ(got_in_after_release.load(), 4);
}

// A reader that gives the lock up and takes it straight back, turn after turn (as a long check
// batch does), lets a writer that waits in between: the writer does not wait for the last turn.
TEST(SharedMutexTest, AWaitingWriterGoesAheadOfAReaderTakingItInTurns) {
  Watchdog watchdog;
  SharedMutex mu;
  constexpr int kTurns = 200;
  std::atomic<int> turns_done{0};
  std::atomic<bool> writer_started{false};
  std::thread reader([&] {
    for (int turn = 0; turn < kTurns; ++turn) {
      ReaderLock lock(&mu);
      if (turn == 5) writer_started.store(true);
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // longer than a writer spins
      turns_done.fetch_add(1);
    }
  });
  ASSERT_TRUE(AwaitFlag(writer_started, milliseconds(5000)));
  int turns_seen_by_writer = -1;
  {
    WriterLock lock(&mu);
    turns_seen_by_writer = turns_done.load();
  }
  reader.join();
  EXPECT_LT(turns_seen_by_writer, kTurns);
}

// Writers keep two counters equal under the lock; readers, sharing it, must never see them
// apart. Some holds are long enough that waiters sleep, so both ways of waiting are used.
TEST(SharedMutexTest, ReadersNeverSeeAWriterHalfway) {
  Watchdog watchdog;
  SharedMutex mu;
  int64_t a = 0;
  int64_t b = 0;
  std::atomic<int64_t> torn_reads{0};
  std::atomic<int64_t> reads{0};
  constexpr int kWrites = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        WriterLock lock(&mu);
        ++a;
        if ((i + t) % 5'000 == 0) std::this_thread::sleep_for(milliseconds(1));
        ++b;
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kWrites; ++i) {
        ReaderLock lock(&mu);
        if (a != b) torn_reads.fetch_add(1);
        reads.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(torn_reads.load(), 0);
  EXPECT_EQ(reads.load(), 2 * kWrites);
  EXPECT_EQ(a, 2 * kWrites);
  EXPECT_EQ(b, 2 * kWrites);
}

}  // namespace
}  // namespace upkeep
