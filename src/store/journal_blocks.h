// store/journal_blocks.h: the journal of a SQLite book, kept in blocks of entries (internal).
//
// A block is one row of journal_blocks (docs/store.md): the seq of its first entry, a JSON
// array with [kind, size_bytes] for each entry, the encoded entries back to back, and their
// chain hashes (hash = ledger::ChainHash(previous hash, entry)): the first kEntryTagBytes of the
// hash after each entry but the last, then the whole hash after the last. The whole hash at the
// end of each block carries the chain (changing any entry changes it); the tags say which entry
// was changed. Books written before schema version 7 keep the whole hash after every entry;
// both forms are read (a block of one entry is the same in both). A commit inserts one row per
// kEntriesMax entries, so SQLite's cost per row is paid once per block, not once per entry; the
// view journal_entries lists the entries one by one for the sqlite3 shell.
//
//   UPKEEP_ASSIGN_OR_RETURN(JournalBlockWriter blocks, JournalBlockWriter::Prepare(db));
//   ledger::Digest head = head_before;
//   UPKEEP_RETURN_IF_ERROR(blocks.Write(batch, &head));  // inside BEGIN ... COMMIT
//
//   JournalBlock block;  // reading one back: its columns, checked against each other
//   if (!ReadJournalBlock(first_seq, entries_json, bytes, hashes, &block)) { /* malformed */ }
//   for (size_t i = 0; i < block.size(); ++i) Use(block.Entry(i), block.Hash(i));
//
// Thread safety: none; used under the store's connection lock.
#ifndef UPKEEP_SRC_STORE_JOURNAL_BLOCKS_H_
#define UPKEEP_SRC_STORE_JOURNAL_BLOCKS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/journal_batch.h"
#include "store/sqlite_db.h"
#include "upkeep/ledger/journal.h"

namespace upkeep::store {

// The bytes of a whole chain hash.
inline constexpr size_t kEntryHashBytes = sizeof(ledger::Digest);
// The bytes of the tag kept for an entry that does not end its block: the start of its hash.
inline constexpr size_t kEntryTagBytes = 8;

// A block read from journal_blocks; views into the row's columns (valid until the next step).
struct JournalBlock {
  uint64_t first_seq = 0;
  std::string_view bytes;
  std::string_view hashes;
  std::vector<uint32_t> ends;  // end offset of each entry in bytes
  std::vector<uint8_t> kinds;  // the kind the entries column records for each entry

  size_t size() const { return ends.size(); }
  uint64_t end_seq() const { return first_seq + ends.size(); }
  std::string_view Entry(size_t i) const { return EntryOf(bytes, ends, i); }
  // The whole chain hash after entry i, if the block keeps it (its last entry; every entry of a
  // block written before schema version 7), else empty.
  std::string_view WholeHash(size_t i) const {
    if (i + 1 == size()) return hashes.substr(hashes.size() - kEntryHashBytes);
    return tagged() ? std::string_view() : hashes.substr(i * kEntryHashBytes, kEntryHashBytes);
  }
  // Whether `hash` is the one kept for entry i: whole, or its tag.
  bool Keeps(size_t i, const ledger::Digest& hash) const;

 private:
  // Whether entries before the last have tags (schema version 7 on), not whole hashes.
  bool tagged() const { return hashes.size() != kEntryHashBytes * size(); }
};

// Fills `block` from a row's columns. False when they do not fit together: the entries column
// is not a JSON array of [kind, size_bytes] pairs, the sizes do not add up to the bytes, or the
// hashes are neither a tag for each entry but the last and then the whole hash after the last,
// nor a whole hash per entry (an empty block is malformed too).
bool ReadJournalBlock(uint64_t first_seq, std::string_view entries_json, std::string_view bytes,
                      std::string_view hashes, JournalBlock* block);

class JournalBlockWriter {
 public:
  static constexpr size_t kEntriesMax = 1024;

  static absl::StatusOr<JournalBlockWriter> Prepare(SqliteDb& db);

  // Inserts the entries of `batch` (seqs batch.first_seq, ...) as blocks of at most kEntriesMax.
  // `head` is the chain hash before the first of them on entry and after the last on return.
  absl::Status Write(const JournalBatch& batch, ledger::Digest* head);

 private:
  explicit JournalBlockWriter(Statement insert) : insert_(std::move(insert)) {}

  Statement insert_;
  std::string entries_json_;  // reused between blocks
  std::string hashes_;        // the tags, then the last whole hash
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_JOURNAL_BLOCKS_H_
