// upkeep/shared_mutex.h: exclusion, sharing, and waiters woken from sleep (a hold longer than
// the 30 us spin puts them to sleep on the lock's word).
#include "upkeep/shared_mutex.h"

#include <atomic>
#include <chrono>
#include <cstdint>
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

TEST(SharedMutexTest, WritersExcludeEachOther) {
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

// Writers keep two counters equal under the lock; readers, sharing it, must never see them
// apart. Some holds are long enough that waiters sleep, so both ways of waiting are used.
TEST(SharedMutexTest, ReadersNeverSeeAWriterHalfway) {
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
