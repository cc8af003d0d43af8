// upkeep/shared_mutex.h: the reader/writer lock of the engine's hot paths.
//
// A std::shared_mutex that spins briefly before it sleeps, with Abseil's thread-safety
// annotations so that ABSL_GUARDED_BY and friends keep working. Why not absl::Mutex: Debian's
// Abseil is built without NDEBUG, so every absl::Mutex lock and unlock also goes through the
// process-wide deadlock graph behind one global spinlock (64 ns a lock/unlock pair on this
// machine against 24 ns without; about a fifth of a reserve + post when its data is in the
// cache). The switch that turns that off, absl::SetMutexDeadlockDetectionMode, is process-wide
// and belongs to the host, not to a library. Why the spin: the engine's critical sections are
// a microsecond or two, far shorter than a futex sleep and wake-up, so a waiter spins first
// (as absl::Mutex does): for up to kSpinTime (30 us, a queue of several sections), trying the
// lock between pauses whose length doubles up to about kLongestGap (1 us). Fewer tries leave
// the lock's cache line with its holder, and a holder that comes straight back often finds it
// free, keeping the data it works on in its core. Against 200 pauses with a try after each (a
// pause is about 15 ns on this machine), two threads reserving and posting on one ledger did
// 1.3-1.6x the pairs (BM_Reserve/threads:2, interleaved); one thread is not affected.
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

#include <chrono>
#include <shared_mutex>

#include "absl/base/thread_annotations.h"

namespace upkeep {

class ABSL_LOCKABLE SharedMutex {
 public:
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    if (!Spin([this] { return mu_.try_lock(); })) mu_.lock();
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }
  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() {
    if (!Spin([this] { return mu_.try_lock_shared(); })) mu_.lock_shared();
  }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock_shared(); }

 private:
  static constexpr std::chrono::nanoseconds kSpinTime{30'000};
  static constexpr std::chrono::nanoseconds kLongestGap{1'000};

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
  std::shared_mutex mu_;
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
