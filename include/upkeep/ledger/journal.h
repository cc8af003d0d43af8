// upkeep/ledger/journal.h: the append-only, hash-chained log of ledger events.
//
// A Journal stores the encoded events of one ledger in order (entry i has seq i). It is also the
// audit log, so its entries are chained: hash(i) = SHA-256(hash(i-1) || bytes(i)), hash(-1) = 32
// zero bytes. Chaining happens when entries are *sealed*: Seal() hashes every entry appended since
// the last seal and returns the head hash. Keep the head somewhere else (print it, store it with a
// backup) and Verify() will find any sealed entry that was altered or removed since.
//
//   upkeep::ledger::MemoryJournal journal;
//   ... the ledger appends ...
//   upkeep::ledger::Digest head = journal.Seal();
//   absl::Status ok = journal.Verify();  // kCorrupt "journal entry 17 altered: ..." if tampered
//
// Sealing is separate from appending so that the reserve/post hot path does not pay for SHA-256
// (about 0.13 us per entry: BM_JournalSeal); a durable store seals at each commit.
//
// Atomicity: an operation that writes several events (an allocation: company, tiers and every
// envelope; an approval: the grant and the reservation; an expiry sweep) hands them to
// AppendBatch in one call. The default implementation appends them one by one; a durable store
// overrides it to commit them all or none, so a crash never leaves half an operation.
//
// Ownership: the ledger holds a Journal* that the host owns and keeps alive.
// Thread safety: every method of MemoryJournal may be called concurrently.
#ifndef UPKEEP_LEDGER_JOURNAL_H_
#define UPKEEP_LEDGER_JOURNAL_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/ledger/event.h"
#include "upkeep/shared_mutex.h"

namespace upkeep::ledger {

using Digest = std::array<uint8_t, 32>;
std::string DigestHex(const Digest& digest);

class Journal {
 public:
  virtual ~Journal() = default;

  // Appends `event`, whose seq must equal size(); kInvalidArgument otherwise.
  virtual absl::Status Append(const Event& event) = 0;
  // Appends `events` (seqs size(), size() + 1, ...) as one unit. The default calls Append for
  // each and stops at the first error; a store that can commit atomically should override it
  // so that either all of them are appended or none is.
  virtual absl::Status AppendBatch(std::span<const Event> events);
  virtual uint64_t size() const = 0;
  // Calls `fn` for entries [from_seq, size()) in order; stops at and returns the first error
  // (kCorrupt if an entry does not decode).
  virtual absl::Status ForEach(uint64_t from_seq,
                               absl::FunctionRef<absl::Status(const Event&)> fn) const = 0;
  // Chains every unsealed entry and returns the head hash (all zeros for an empty journal).
  virtual Digest Seal() = 0;
  // OK, or kCorrupt naming the first sealed entry that was altered or removed.
  virtual absl::Status Verify() const = 0;
  // The chain hash after the first `count` entries (all zeros for 0), sealing them if needed.
  // Snapshots record it so that Ledger::Restore can check that a snapshot belongs to this
  // journal. kInvalidArgument when count > size(). The default returns
  // absl::UnimplementedError, and Restore then skips the check.
  virtual absl::StatusOr<Digest> HeadAt(uint64_t count);
};

class MemoryJournal final : public Journal {
 public:
  MemoryJournal() = default;
  MemoryJournal(const MemoryJournal&) = delete;
  MemoryJournal& operator=(const MemoryJournal&) = delete;

  absl::Status Append(const Event& event) override;
  // All or nothing: checks every seq first.
  absl::Status AppendBatch(std::span<const Event> events) override;
  uint64_t size() const override;
  absl::Status ForEach(uint64_t from_seq,
                       absl::FunctionRef<absl::Status(const Event&)> fn) const override;
  Digest Seal() override;
  absl::Status Verify() const override;
  absl::StatusOr<Digest> HeadAt(uint64_t count) override;

  // Bytes held: encoded events, offsets and hashes.
  size_t MemoryBytes() const;

  // For tamper tests only: replace the stored bytes of entry `index`, or drop it.
  void ReplaceBytesForTesting(uint64_t index, std::string bytes);
  void EraseForTesting(uint64_t index);
  std::string BytesForTesting(uint64_t index) const;

 private:
  std::string_view EntryLocked(uint64_t index) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The chunk the next entry goes to.
  std::string& ChunkForAppendLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Digest SealLocked(uint64_t count) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RebuildLocked(std::vector<std::string> entries) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable SharedMutex mu_;
  // The encoded entries back to back in chunks of about kChunkBytes, so that growing never
  // copies what is already stored.
  static constexpr size_t kChunkBytes = size_t{1} << 20;
  std::vector<std::string> chunks_ ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> chunk_first_ ABSL_GUARDED_BY(mu_);  // index of each chunk's first entry
  std::vector<uint32_t> ends_ ABSL_GUARDED_BY(mu_);         // end offset of each entry in its chunk
  std::vector<Digest> hashes_ ABSL_GUARDED_BY(mu_);         // chain hash of each sealed entry
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_LEDGER_JOURNAL_H_
