// io/spend_rows_ahead.h: a spend CSV read on a thread of its own, ahead of the rows' use
// (internal; the command line's `import spend`).
//
// Reading and checking spend rows (cells, amounts, dates, request ids seen before) does not
// depend on what is done with them, so a second thread reads up to kChunksAhead chunks of
// kChunkRows records ahead while the caller applies the ones before. Next() hands out the
// records in file order, as SpendCsvReader::Next reads them, ending with kEnd or with the
// reader's error. A record is handed out in place, not copied: it points into its chunk, which
// is kept until kChunkRows more records have been handed out, so a caller may hold on to the
// records of a batch smaller than that.
//
//   SpendRowsAhead rows(std::move(reader));
//   SpendRowsAhead::Record record;
//   for (;;) {
//     UPKEEP_RETURN_IF_ERROR(rows.Next(record));
//     if (record.read == RowRead::kEnd) break;
//     ... *record.row (kRow) or *record.bad (kBad) ...
//   }
//
// Thread safety: Next is called from one thread at a time. Destroying the object stops the
// reading thread (it finishes the chunk it is reading).
#ifndef UPKEEP_SRC_IO_SPEND_ROWS_AHEAD_H_
#define UPKEEP_SRC_IO_SPEND_ROWS_AHEAD_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/spend_csv.h"

namespace upkeep::io {

class SpendRowsAhead {
 public:
  static constexpr size_t kChunkRows = 4096;
  static constexpr size_t kChunksAhead = 3;

  // One record handed out: a row (kRow, `row` set), a bad row (kBad, `bad` set), or the end.
  // What it points to stays valid until kChunkRows more records have been handed out.
  struct Record {
    RowRead read = RowRead::kEnd;
    const SpendRow* row = nullptr;
    const RejectedRow* bad = nullptr;
  };

  explicit SpendRowsAhead(SpendCsvReader reader);
  ~SpendRowsAhead();
  SpendRowsAhead(const SpendRowsAhead&) = delete;
  SpendRowsAhead& operator=(const SpendRowsAhead&) = delete;

  // Sets `record` to the next record, or returns the reader's error (then the same error on
  // every later call, `record` unchanged). kEnd is handed out again on every call after the last
  // record. (The record is filled where the caller keeps it: a Record returned inside a
  // StatusOr was read back wider than it was written, docs/architecture.md "The ledger's hot
  // path".)
  absl::Status Next(Record& record);

  // The row Next will hand out `k` calls from now (0: the next call), when it is a good row
  // already read into the chunk at hand; else nullptr. For loading what that row will need ahead
  // of its turn. Valid until Next is called again.
  const SpendRow* Peek(size_t k) const {
    if (current_ == nullptr || at_ + k >= current_->size) return nullptr;
    return current_->reads[at_ + k] == RowRead::kRow ? &current_->rows[at_ + k] : nullptr;
  }

 private:
  // Records read together; the reading thread fills it, then hands it over whole.
  struct Chunk {
    std::vector<SpendRow> rows = std::vector<SpendRow>(kChunkRows);
    std::vector<RejectedRow> bad = std::vector<RejectedRow>(kChunkRows);
    std::vector<RowRead> reads = std::vector<RowRead>(kChunkRows);
    size_t size = 0;     // records in it
    absl::Status error;  // the reader's error, after the records (then nothing follows)
  };

  void ReadLoop();

  SpendCsvReader reader_;  // the reading thread's
  absl::Mutex mu_;
  std::deque<std::unique_ptr<Chunk>> read_ ABSL_GUARDED_BY(mu_);   // for Next, in order
  std::vector<std::unique_ptr<Chunk>> free_ ABSL_GUARDED_BY(mu_);  // for the reading thread
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<Chunk> current_;   // Next's, handing out record at_
  std::unique_ptr<Chunk> previous_;  // the one before it: its records may still be held
  size_t at_ = 0;
  std::thread thread_;  // last: started once the rest is built
};

}  // namespace upkeep::io

#endif  // UPKEEP_SRC_IO_SPEND_ROWS_AHEAD_H_
