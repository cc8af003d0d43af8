// upkeep/shared_mutex.h: the reader/writer lock of the engine's hot paths.
//
// One 32-bit word: a writer bit, a "someone sleeps" bit and a count of readers, changed with one
// compare-and-swap to lock and one atomic read-modify-write to unlock; a waiter that gives up
// spinning sleeps on the word (C++20 atomic wait, a futex), and an unlock wakes sleepers only
// when the word says there are some. With Abseil's thread-safety annotations, so that
// ABSL_GUARDED_BY and friends keep working. Why not std::shared_mutex: glibc's reader/writer
// lock costs 30-35 ns a lock/unlock pair on this machine against 18-21 ns for the word
// (BM_SharedMutexLockPair, BM_StdSharedMutexBaseline), and a book's import takes its open
// batch's lock once a row. Why not absl::Mutex: Debian's Abseil is
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
// the pairs (BM_Reserve/threads:2, interleaved); one thread is not affected. Readers are let in
// while a writer waits (as glibc's default lock does). Slower paths that wait on conditions
// (the stores' group commit) keep absl::Mutex.
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
    if (!Spin([this] { return TryLock(); })) Sleep([this] { return TryLock(); }, ~kSleepers);
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    // The holder's word is kWriter, with kSleepers if someone sleeps: wake them all, each tries
    // again (and sleeps again, setting kSleepers, if it loses).
    if (word_.exchange(0, std::memory_order_release) & kSleepers) word_.notify_all();
  }
  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() {
    if (!Spin([this] { return TryReaderLock(); })) {
      Sleep([this] { return TryReaderLock(); }, kWriter);
    }
  }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() {
    // The last reader out with sleepers waiting wakes them, unless someone took the lock in
    // between (its unlock then does).
    uint32_t left = word_.fetch_sub(kReader, std::memory_order_release) - kReader;
    if (left == kSleepers && word_.compare_exchange_strong(left, 0, std::memory_order_relaxed,
                                                           std::memory_order_relaxed)) {
      word_.notify_all();
    }
  }

 private:
  static constexpr uint32_t kWriter = 1;    // held exclusively
  static constexpr uint32_t kSleepers = 2;  // a waiter sleeps (or is about to) on the word
  static constexpr uint32_t kReader = 4;    // each shared holder adds this
  static constexpr std::chrono::nanoseconds kSpinTime{30'000};
  static constexpr std::chrono::nanoseconds kLongestGap{1'000};

  bool TryLock() {
    uint32_t word = word_.load(std::memory_order_relaxed);
    while ((word & ~kSleepers) == 0) {
      if (word_.compare_exchange_weak(word, word | kWriter, std::memory_order_acquire,
                                      std::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }
  bool TryReaderLock() {
    uint32_t word = word_.load(std::memory_order_relaxed);
    while ((word & kWriter) == 0) {
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
    if (try_lock()) return true;
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
  // Sleeps on the word until `try_lock` succeeds; `blocked_by`: the bits of the word that keep
  // it from succeeding.
  template <typename TryLock>
  void Sleep(TryLock try_lock, uint32_t blocked_by) {
    while (!try_lock()) {
      uint32_t word = word_.load(std::memory_order_relaxed);
      if ((word & blocked_by) == 0) continue;  // freed meanwhile
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
