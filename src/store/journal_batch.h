// store/journal_batch.h: encoded journal events waiting to be committed together (internal).
//
// The ledger's appends are encoded into a batch on the caller's thread (cheap: a few appends to
// one buffer); the store's writer later hashes and inserts the whole batch in one transaction.
// A sealed batch is never changed again, so readers may hold it while the writer commits it.
//
//   JournalBatch batch;
//   batch.first_seq = 42;
//   batch.Add(event);                        // seq 42
//   std::string_view bytes = batch.Entry(0);
//
// Thread safety: none; the store guards the open batch and shares sealed ones read-only.
#ifndef UPKEEP_SRC_STORE_JOURNAL_BATCH_H_
#define UPKEEP_SRC_STORE_JOURNAL_BATCH_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "upkeep/ledger/event.h"

namespace upkeep::store {

// Entry `i` of entries kept back to back in `bytes`, entry k ending at offset ends[k].
inline std::string_view EntryOf(std::string_view bytes, std::span<const uint32_t> ends, size_t i) {
  const uint32_t begin = i == 0 ? 0 : ends[i - 1];
  return bytes.substr(begin, ends[i] - begin);
}

struct JournalBatch {
  uint64_t first_seq = 0;
  std::string bytes{};           // the encoded events back to back
  std::vector<uint32_t> ends{};  // end offset of each event in bytes
  std::vector<uint8_t> kinds{};  // ledger::EventKind of each event

  void Add(const ledger::Event& event) {
    ledger::EncodeEvent(event, &bytes);
    ends.push_back(static_cast<uint32_t>(bytes.size()));
    kinds.push_back(static_cast<uint8_t>(event.kind));
  }
  size_t size() const { return ends.size(); }
  bool empty() const { return ends.empty(); }
  uint64_t end_seq() const { return first_seq + ends.size(); }
  std::string_view Entry(size_t i) const { return EntryOf(bytes, ends, i); }
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_JOURNAL_BATCH_H_
