#include "store/journal_blocks.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include "base/status_macros.h"
#include "ledger/sha256.h"

namespace upkeep::store {
namespace {

// Reads the entries column, "[[kind,size_bytes],...]" (spaces allowed, as the sqlite3 shell's
// JSON functions may write them), one value at a time.
class EntriesReader {
 public:
  explicit EntriesReader(std::string_view json) : json_(json) {}

  bool Take(char c) {
    SkipSpaces();
    if (at_ == json_.size() || json_[at_] != c) return false;
    ++at_;
    return true;
  }
  bool Number(uint64_t max, uint64_t* value) {
    SkipSpaces();
    const size_t start = at_;
    uint64_t n = 0;
    for (; at_ < json_.size() && json_[at_] >= '0' && json_[at_] <= '9'; ++at_) {
      n = n * 10 + static_cast<uint64_t>(json_[at_] - '0');
      if (n > max) return false;
    }
    *value = n;
    return at_ > start;
  }
  bool AtEnd() {
    SkipSpaces();
    return at_ == json_.size();
  }

 private:
  void SkipSpaces() {
    while (at_ < json_.size() && (json_[at_] == ' ' || json_[at_] == '\n')) ++at_;
  }

  std::string_view json_;
  size_t at_ = 0;
};

// Appends an entry's [kind,bytes] to a block's list, after a comma unless it is the first
// (written by hand: absl::StrAppend of its six pieces was about 4 % of the import's writer
// thread).
void AppendEntryJson(bool first, uint8_t kind, size_t bytes, std::string* out) {
  char digits[24];
  out->append(first ? "[" : ",[");
  out->append(digits, std::to_chars(digits, digits + sizeof digits, kind).ptr);
  out->push_back(',');
  out->append(digits, std::to_chars(digits, digits + sizeof digits, bytes).ptr);
  out->push_back(']');
}

}  // namespace

bool ReadJournalBlock(uint64_t first_seq, std::string_view entries_json, std::string_view bytes,
                      std::string_view hashes, JournalBlock* block) {
  block->first_seq = first_seq;
  block->bytes = bytes;
  block->hashes = hashes;
  block->ends.clear();
  block->kinds.clear();
  EntriesReader reader(entries_json);
  if (!reader.Take('[')) return false;
  uint64_t end = 0;
  do {
    uint64_t kind = 0;
    uint64_t size = 0;
    if (!reader.Take('[') || !reader.Number(std::numeric_limits<uint8_t>::max(), &kind) ||
        !reader.Take(',') || !reader.Number(bytes.size(), &size) || !reader.Take(']')) {
      return false;
    }
    end += size;
    if (end > bytes.size()) return false;
    block->ends.push_back(static_cast<uint32_t>(end));
    block->kinds.push_back(static_cast<uint8_t>(kind));
  } while (reader.Take(','));
  const size_t tagged_bytes = kEntryTagBytes * (block->size() - 1) + kEntryHashBytes;
  return reader.Take(']') && reader.AtEnd() && end == bytes.size() &&
         (hashes.size() == tagged_bytes || hashes.size() == kEntryHashBytes * block->size());
}

bool JournalBlock::Keeps(size_t i, const ledger::Digest& hash) const {
  const std::string_view whole = WholeHash(i);
  const std::string_view kept =
      whole.empty() ? hashes.substr(i * kEntryTagBytes, kEntryTagBytes) : whole;
  return std::memcmp(kept.data(), hash.data(), kept.size()) == 0;
}

absl::StatusOr<JournalBlockWriter> JournalBlockWriter::Prepare(SqliteDb& db) {
  UPKEEP_ASSIGN_OR_RETURN(
      Statement insert, db.Prepare("INSERT INTO journal_blocks(first_seq, entries, bytes, hashes) "
                                   "VALUES(?1, ?2, ?3, ?4)"));
  return JournalBlockWriter(std::move(insert));
}

absl::Status JournalBlockWriter::Write(const JournalBatch& batch, ledger::Digest* head) {
  for (size_t first = 0; first < batch.size(); first += kEntriesMax) {
    const size_t last = std::min(batch.size(), first + kEntriesMax);  // one past
    const uint32_t begin = first == 0 ? 0 : batch.ends[first - 1];
    entries_json_.clear();
    entries_json_.push_back('[');
    hashes_.resize(kEntryTagBytes * (last - first - 1) + kEntryHashBytes);
    for (size_t i = first; i < last; ++i) {
      const std::string_view entry = batch.Entry(i);
      *head = ledger::ChainHash(*head, entry);
      std::memcpy(hashes_.data() + kEntryTagBytes * (i - first), head->data(),
                  i + 1 < last ? kEntryTagBytes : kEntryHashBytes);
      AppendEntryJson(i == first, batch.kinds[i], entry.size(), &entries_json_);
    }
    entries_json_.push_back(']');
    insert_.BindInt(1, static_cast<int64_t>(batch.first_seq + first));
    insert_.BindText(2, entries_json_);
    insert_.BindBlob(3, std::string_view(batch.bytes).substr(begin, batch.ends[last - 1] - begin));
    insert_.BindBlob(4, hashes_);
    UPKEEP_RETURN_IF_ERROR(insert_.Run("append to the journal"));
  }
  return absl::OkStatus();
}

}  // namespace upkeep::store
