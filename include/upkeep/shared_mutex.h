// upkeep/shared_mutex.h: the reader/writer lock of the engine's hot paths.
//
// One 32-bit word: a writer bit, a "someone sleeps" bit, a "writer waits" bit and a count of
// readers, changed with one compare-and-swap to lock and one to unlock (the usual case: one
// holder, nobody waiting); a waiter that gives up spinning sleeps on the word (C++20 atomic wait, a
// futex), and an unlock wakes sleepers only when the word says there are some. With Abseil's
// thread-safety annotations, so that ABSL_GUARDED_BY and friends keep working. Why not
// std::shared_mutex: glibc's reader/writer lock costs 29-35 ns a lock/unlock pair on this
// machine against 15 ns for the word (BM_SharedMutexLockPair, BM_StdSharedMutexBaseline), and a
// book's import takes its open batch's lock once a row. Why not absl::Mutex: Debian's Abseil is
// built without NDEBUG, so every absl::Mutex lock and unlock also goes through the process-wide
// deadlock graph behind one global spinlock (64 ns a lock/unlock pair on this machine against
// 24 ns for std::shared_mutex; about a fifth of a reserve + post when its data is in the cache).
// The switch that turns that off, absl::SetMutexDeadlockDetectionMode, is process-wide and
// belongs to the host, not to a library. Why the spin: the engine's critical sections are a
// microsecond or two, far shorter than a futex sleep and wake-up, so a waiter spins first (as
// absl::Mutex does): for up to kSpinTime (30 us, a queue of several sections), trying the lock
// between pauses whose length doubles up to about kLongestGap (1 us). Fewer tries leave the
// lock's cache line with its holder, and a holder that comes straight back often finds it free,
// keeping the data it works on in its core. Against 200 pauses with a try after each (a pause
// is about 15 ns on this machine), two threads reserving and posting on one ledger did 1.3-1.6x
// the pairs (BM_Reserve/threads:2, interleaved); one thread is not affected. While a writer
// waits, readers join readers that hold the lock (so a thread that holds it shared may take it
// shared again, as with glibc's lock) but do not take a free lock: a reader that gives it up and
// takes it straight back, turn after turn (a long check batch), lets the writer in between (as
// glibc's lock hands it over), while readers that keep overlapping keep it waiting (as there).
// Slower paths that wait on conditions (the stores' group commit) keep absl::Mutex.
//
//   mutable SharedMutex mu_;
//   int value_ ABSL_GUARDED_BY(mu_);
//   { WriterLock lock(&mu_); ++value_; }
//   { ReaderLock lock(&mu_); return value_; }
//
// Thread safety: that is what it is for. Not recursive; a writer waits for every reader.
#ifndef UPKEEP_SHARED_MUTEX_H_
#define UPKEEP_SHARED_MUTEX_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "absl/base/thread_annotations.h"

namespace upkeep {

class ABSL_LOCKABLE SharedMutex {
 public:
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    const auto try_lock = [this] {
      if (TryLock()) return true;
      // Waiting: no new round of readers starts until this writer has had its turn.
      if ((word_.load(std::memory_order_relaxed) & kWriterWaits) == 0) {
        word_.fetch_or(kWriterWaits, std::memory_order_relaxed);
      }
      return false;
    };
    if (!Spin(try_lock)) Sleep(try_lock, [](uint32_t word) { return WriterBlocked(word); });
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    // Clears kWriter and kSleepers (keeping another writer's kWriterWaits) and wakes the
    // sleepers: each tries again, and sleeps again, setting kSleepers, if it loses.
    uint32_t word = kWriter;  // most likely: nobody waits (then one compare-and-swap)
    while (!word_.compare_exchange_weak(word, word & kWriterWaits, std::memory_order_release,
                                        std::memory_order_relaxed)) {
    }
    if ((word & kSleepers) != 0) word_.notify_all();
  }
  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() {
    const auto try_lock = [this] { return TryReaderLock(); };
    if (!Spin(try_lock)) Sleep(try_lock, [](uint32_t word) { return ReaderBlocked(word); });
  }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() {
    // One change of the word: the last reader out also clears kSleepers, and then wakes the
    // sleepers (only the word's address is used after the change: a futex wake-up).
    uint32_t word = kReader;  // most likely: the only reader, nobody waits
    uint32_t left = 0;
    do {
      left = word - kReader;
      if (left < kReader) left &= ~kSleepers;
    } while (!word_.compare_exchange_weak(word, left, std::memory_order_release,
                                          std::memory_order_relaxed));
    if (word - kReader != left) word_.notify_all();
  }

 private:
  static constexpr uint32_t kWriter = 1;       // held exclusively
  static constexpr uint32_t kSleepers = 2;     // a waiter sleeps (or is about to) on the word
  static constexpr uint32_t kWriterWaits = 4;  // a writer waits: readers start no new round
  static constexpr uint32_t kReader = 8;       // each shared holder adds this
  static constexpr std::chrono::nanoseconds kSpinTime{30'000};
  static constexpr std::chrono::nanoseconds kLongestGap{1'000};

  // A writer waits for a writer or readers; a reader for a writer, or for a waiting writer's
  // turn when no reader holds it (it joins readers that do, as glibc's lock lets it: a thread
  // that holds it shared may take it shared again).
  static bool WriterBlocked(uint32_t word) { return (word & ~(kSleepers | kWriterWaits)) != 0; }
  static bool ReaderBlocked(uint32_t word) {
    return (word & kWriter) != 0 || ((word & kWriterWaits) != 0 && word < kReader);
  }

  bool TryLock() {
    uint32_t word = 0;  // most likely: free (then one compare-and-swap)
    while (!WriterBlocked(word)) {
      if (word_.compare_exchange_weak(word, (word | kWriter) & ~kWriterWaits,
                                      std::memory_order_acquire, std::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }
  bool TryReaderLock() {
    uint32_t word = word_.load(std::memory_order_relaxed);
    while (!ReaderBlocked(word)) {
      if (word_.compare_exchange_weak(word, word + kReader, std::memory_order_acquire,
                                      std::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  // Tries `try_lock` for up to kSpinTime, pausing between tries; a pause takes 15 to 50 ns
  // depending on the processor, so the gap is timed: it doubles while it is under kLongestGap.
  // True once a try succeeds.
  template <typename TryLock>
  static bool Spin(TryLock try_lock) {
    if (try_lock()) return true;  // before the clock is read: most locks are free
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    Clock::time_point last_try = start;
    for (int pauses = 1;;) {
      for (int pause = 0; pause < pauses; ++pause) __builtin_ia32_pause();
      if (try_lock()) return true;
      const Clock::time_point now = Clock::now();
      if (now - start >= kSpinTime) return false;
      if (now - last_try < kLongestGap) pauses *= 2;
      last_try = now;
    }
  }
  // Sleeps on the word until `try_lock` succeeds; `blocked(word)`: whether the word keeps it
  // from succeeding.
  template <typename TryLock, typename Blocked>
  void Sleep(TryLock try_lock, Blocked blocked) {
    while (!try_lock()) {
      uint32_t word = word_.load(std::memory_order_relaxed);
      if (!blocked(word)) continue;  // freed meanwhile
      if ((word & kSleepers) == 0 &&
          !word_.compare_exchange_weak(word, word | kSleepers, std::memory_order_relaxed,
                                       std::memory_order_relaxed)) {
        continue;
      }
      // Returns at once if the word is no longer what it was (an unlock came in between).
      word_.wait(word | kSleepers, std::memory_order_relaxed);
    }
  }

  std::atomic<uint32_t> word_{0};
};

// Holds `mu` exclusively for its scope.
class ABSL_SCOPED_LOCKABLE WriterLock {
 public:
  explicit WriterLock(SharedMutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~WriterLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  SharedMutex* const mu_;
};

// Holds `mu` shared for its scope.
class ABSL_SCOPED_LOCKABLE ReaderLock {
 public:
  explicit ReaderLock(SharedMutex* mu) ABSL_SHARED_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->ReaderLock();
  }
  ~ReaderLock() ABSL_UNLOCK_FUNCTION() { mu_->ReaderUnlock(); }
  ReaderLock(const ReaderLock&) = delete;
  ReaderLock& operator=(const ReaderLock&) = delete;

 private:
  SharedMutex* const mu_;
};

}  // namespace upkeep

#endif  // UPKEEP_SHARED_MUTEX_H_
