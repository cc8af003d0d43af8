// base/second_thread.h: work that may run on a thread of its own. Internal.
//
//   std::future<Digest> sum =
//       OnSecondThreadIf(bytes.size() >= kHashAsideBytes, [&] { return Hash(bytes); });
//   ...  // the caller's own work meanwhile
//   Use(sum.get());
//
// The work runs on a new thread when `on_thread` is true and a thread can be had; otherwise
// (small work, or no thread to be had) it runs in the caller's get(). Either way get() returns
// its result, so a caller never depends on the second thread for correctness. The future's
// destructor waits for a started thread: whatever the work refers to must outlive the future.
#ifndef UPKEEP_SRC_BASE_SECOND_THREAD_H_
#define UPKEEP_SRC_BASE_SECOND_THREAD_H_

#include <cstddef>
#include <future>
#include <system_error>
#include <utility>

namespace upkeep {

// From this size up, hashing bytes (SHA-256, a few milliseconds) is worth a thread of its own
// beside the caller's work on them.
inline constexpr size_t kHashAsideBytes = size_t{4} << 20;

template <typename Work>
auto OnSecondThreadIf(bool on_thread, Work work) {
  if (on_thread) {
    try {
      return std::async(std::launch::async, work);  // a copy: `work` stays for the fallback
    } catch (const std::system_error&) {            // no thread to be had: deferred below
    }
  }
  return std::async(std::launch::deferred, std::move(work));
}

}  // namespace upkeep

#endif  // UPKEEP_SRC_BASE_SECOND_THREAD_H_
