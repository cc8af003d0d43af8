#include <algorithm>
#include <utility>

#include "base/status_macros.h"
#include "ledger/sha256.h"
#include "ledger/text.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/status.h"

namespace upkeep::ledger {

std::string DigestHex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

absl::Status Journal::AppendBatch(std::span<const Event> events) {
  for (const Event& event : events) UPKEEP_RETURN_IF_ERROR(Append(event));
  return absl::OkStatus();
}

absl::StatusOr<Digest> Journal::HeadAt(uint64_t /*count*/) {
  return absl::UnimplementedError("this journal does not report chain heads");
}

absl::Status MemoryJournal::Append(const Event& event) {
  return AppendBatch(std::span<const Event>(&event, 1));
}

absl::Status MemoryJournal::AppendBatch(std::span<const Event> events) {
  WriterLock lock(&mu_);
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].seq != ends_.size() + i) {
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat("journal append: event seq ", events[i].seq, " but the next is ",
                              ends_.size() + i));
    }
  }
  for (const Event& event : events) {
    std::string& chunk = ChunkForAppendLocked();
    EncodeEvent(event, &chunk);
    ends_.push_back(static_cast<uint32_t>(chunk.size()));
  }
  return absl::OkStatus();
}

uint64_t MemoryJournal::size() const {
  ReaderLock lock(&mu_);
  return ends_.size();
}

std::string& MemoryJournal::ChunkForAppendLocked() {
  // A chunk takes entries until it is nearly full; one larger entry may overfill it.
  if (chunks_.empty() || chunks_.back().size() + 4096 > kChunkBytes) {
    chunks_.emplace_back().reserve(kChunkBytes);
    chunk_first_.push_back(ends_.size());
  }
  return chunks_.back();
}

std::string_view MemoryJournal::EntryLocked(uint64_t index) const {
  const size_t chunk = static_cast<size_t>(
      std::upper_bound(chunk_first_.begin(), chunk_first_.end(), index) - chunk_first_.begin() - 1);
  const uint32_t begin = index == chunk_first_[chunk] ? 0 : ends_[index - 1];
  return std::string_view(chunks_[chunk]).substr(begin, ends_[index] - begin);
}

absl::Status MemoryJournal::ForEach(uint64_t from_seq,
                                    absl::FunctionRef<absl::Status(const Event&)> fn) const {
  ReaderLock lock(&mu_);
  for (uint64_t i = from_seq; i < ends_.size(); ++i) {
    absl::StatusOr<Event> event = DecodeEvent(EntryLocked(i));
    if (!event.ok()) {
      return MakeError(ErrorCode::kCorrupt,
                       StrCat("journal entry ", i, ": ", FromAbsl(event.status().message())));
    }
    absl::Status status = fn(*event);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

Digest MemoryJournal::SealLocked(uint64_t count) {
  for (uint64_t i = hashes_.size(); i < count; ++i) {
    hashes_.push_back(ChainHash(i == 0 ? Digest{} : hashes_[i - 1], EntryLocked(i)));
  }
  return count == 0 ? Digest{} : hashes_[count - 1];
}

Digest MemoryJournal::Seal() {
  WriterLock lock(&mu_);
  return SealLocked(ends_.size());
}

absl::StatusOr<Digest> MemoryJournal::HeadAt(uint64_t count) {
  WriterLock lock(&mu_);
  if (count > ends_.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat("journal head at ", count, ": only ", ends_.size(), " entries"));
  }
  return SealLocked(count);
}

absl::Status MemoryJournal::Verify() const {
  ReaderLock lock(&mu_);
  Digest previous{};
  const uint64_t checked = std::min<uint64_t>(hashes_.size(), ends_.size());
  for (uint64_t i = 0; i < checked; ++i) {
    const std::string_view entry = EntryLocked(i);
    if (ChainHash(previous, entry) == hashes_[i]) {
      previous = hashes_[i];
      continue;
    }
    absl::StatusOr<Event> event = DecodeEvent(entry);
    if (event.ok() && event->seq != i) {
      return MakeError(ErrorCode::kCorrupt, StrCat("journal entry ", i, " removed: found seq ",
                                                   event->seq, " in its place"));
    }
    return MakeError(
        ErrorCode::kCorrupt,
        StrCat("journal entry ", i, " altered: its hash does not match ", DigestHex(hashes_[i])));
  }
  if (ends_.size() < hashes_.size()) {
    return MakeError(ErrorCode::kCorrupt,
                     StrCat("journal entry ", ends_.size(), " removed: ", hashes_.size(),
                            " entries were sealed, ", ends_.size(), " remain"));
  }
  return absl::OkStatus();
}

size_t MemoryJournal::MemoryBytes() const {
  ReaderLock lock(&mu_);
  size_t bytes = 0;
  for (const std::string& chunk : chunks_) bytes += chunk.capacity();
  return bytes + chunk_first_.capacity() * sizeof(uint64_t) + ends_.capacity() * sizeof(uint32_t) +
         hashes_.capacity() * sizeof(Digest);
}

void MemoryJournal::RebuildLocked(std::vector<std::string> entries) {
  chunks_.clear();
  chunk_first_.clear();
  ends_.clear();
  for (const std::string& entry : entries) {
    std::string& chunk = ChunkForAppendLocked();
    chunk.append(entry);
    ends_.push_back(static_cast<uint32_t>(chunk.size()));
  }
}

void MemoryJournal::ReplaceBytesForTesting(uint64_t index, std::string bytes) {
  WriterLock lock(&mu_);
  std::vector<std::string> entries;
  for (uint64_t i = 0; i < ends_.size(); ++i) {
    entries.emplace_back(i == index ? bytes : std::string(EntryLocked(i)));
  }
  RebuildLocked(std::move(entries));
}

void MemoryJournal::EraseForTesting(uint64_t index) {
  WriterLock lock(&mu_);
  std::vector<std::string> entries;
  for (uint64_t i = 0; i < ends_.size(); ++i) {
    if (i != index) entries.emplace_back(EntryLocked(i));
  }
  RebuildLocked(std::move(entries));
}

std::string MemoryJournal::BytesForTesting(uint64_t index) const {
  ReaderLock lock(&mu_);
  return std::string(EntryLocked(index));
}

}  // namespace upkeep::ledger
