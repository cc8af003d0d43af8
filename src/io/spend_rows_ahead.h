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
// The caller may also have the reading thread work out a Note from each good row: whatever
// depends on the row alone (the importer looks up the row's customer and period there, so that
// the thread applying the rows does not). The notes of a chunk are worked out together once its
// rows are read (so that the caller can load what a row needs while the rows before it are
// noted), and each is handed out with its row.
//
//   SpendRowsAhead<Note> rows(std::move(reader), [&](std::span<const SpendRow> rows,
//                                                    std::span<const RowRead> reads,
//                                                    std::span<Note> notes) {...});
//   SpendRowsAhead<Note>::Record record;
//   for (;;) {
//     UPKEEP_RETURN_IF_ERROR(rows.Next(record));
//     if (record.read == RowRead::kEnd) break;
//     ... *record.row and *record.note (kRow) or *record.bad (kBad) ...
//   }
//
// Thread safety: Next is called from one thread at a time. The note function runs on the
// reading thread, once per chunk after the chunk is read, while the caller runs: what it reads
// must not change meanwhile, and what it changes must be its own. Destroying the object stops the
// reading thread (it finishes the chunk it is reading).
#ifndef UPKEEP_SRC_IO_SPEND_ROWS_AHEAD_H_
#define UPKEEP_SRC_IO_SPEND_ROWS_AHEAD_H_

#include <pthread.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/spend_csv.h"

namespace upkeep::io {

// The note of a caller that wants none.
struct NoNote {};

template <typename Note = NoNote>
class SpendRowsAhead {
 public:
  static constexpr size_t kChunkRows = 4096;
  static constexpr size_t kChunksAhead = 3;

  // Sets notes[i] (as an earlier chunk left it: set every field) from rows[i] for each i where
  // reads[i] is kRow; the three are a chunk's records, of the same size.
  using NoteRows = absl::AnyInvocable<void(std::span<const SpendRow> rows,
                                           std::span<const RowRead> reads, std::span<Note> notes)>;

  // One record handed out: a row (kRow: `row` and `note` set), a bad row (kBad, `bad` set), or
  // the end. What it points to stays valid until kChunkRows more records have been handed out.
  struct Record {
    RowRead read = RowRead::kEnd;
    const SpendRow* row = nullptr;
    const Note* note = nullptr;
    const RejectedRow* bad = nullptr;
  };

  // `note_rows` may be empty: then each row's note is a value-initialized Note.
  explicit SpendRowsAhead(SpendCsvReader reader, NoteRows note_rows = nullptr)
      : reader_(std::move(reader)), note_rows_(std::move(note_rows)) {
    {
      absl::MutexLock lock(&mu_);
      // Two for Next (the chunk it hands out and the one before) while the reading thread fills
      // the others.
      for (size_t i = 0; i < kChunksAhead + 2; ++i) free_.push_back(std::make_unique<Chunk>());
    }
    thread_ = std::thread([this] { ReadLoop(); });
  }
  ~SpendRowsAhead() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    thread_.join();
  }
  SpendRowsAhead(const SpendRowsAhead&) = delete;
  SpendRowsAhead& operator=(const SpendRowsAhead&) = delete;

  // Sets `record` to the next record, or returns the reader's error (then the same error on
  // every later call, `record` unchanged). kEnd is handed out again on every call after the last
  // record. (The record is filled where the caller keeps it: a Record returned inside a
  // StatusOr was read back wider than it was written, docs/architecture.md "The ledger's hot
  // path".)
  absl::Status Next(Record& record) {
    while (current_ == nullptr || at_ == current_->size) {
      if (current_ != nullptr && !current_->error.ok()) return current_->error;
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SpendRowsAhead* s)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) { return !s->read_.empty(); },
          this));
      // The chunk before the one at hand goes back to the reading thread: every record in it
      // was handed out at least a whole chunk ago.
      if (previous_ != nullptr) free_.push_back(std::move(previous_));
      previous_ = std::exchange(current_, std::move(read_.front()));
      read_.pop_front();
      at_ = 0;
    }
    const size_t i = at_;
    const RowRead read = current_->reads[i];
    // kEnd is handed out again on every later call.
    if (read != RowRead::kEnd) ++at_;
    record.read = read;
    record.row = read == RowRead::kRow ? &current_->rows[i] : nullptr;
    record.note = read == RowRead::kRow ? &current_->notes[i] : nullptr;
    record.bad = read == RowRead::kBad ? &current_->bad[i] : nullptr;
    return absl::OkStatus();
  }

 private:
  // Records read together; the reading thread fills it, then hands it over whole.
  struct Chunk {
    std::vector<SpendRow> rows = std::vector<SpendRow>(kChunkRows);
    std::vector<Note> notes = std::vector<Note>(kChunkRows);
    std::vector<RejectedRow> bad = std::vector<RejectedRow>(kChunkRows);
    std::vector<RowRead> reads = std::vector<RowRead>(kChunkRows);
    size_t size = 0;     // records in it
    absl::Status error;  // the reader's error, after the records (then nothing follows)
  };

  void ReadLoop() {
    pthread_setname_np(pthread_self(), "upkeep-csv");  // for top, perf and debuggers
    for (;;) {
      std::unique_ptr<Chunk> chunk;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](SpendRowsAhead* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
              return !s->free_.empty() || s->stopping_;
            },
            this));
        if (stopping_) return;
        chunk = std::move(free_.back());
        free_.pop_back();
      }
      chunk->size = 0;
      chunk->error = absl::OkStatus();
      bool last = false;
      while (!last && chunk->size < kChunkRows) {
        const size_t i = chunk->size;
        absl::StatusOr<RowRead> read = reader_.Next(chunk->rows[i], chunk->bad[i]);
        if (!read.ok()) {
          chunk->error = read.status();
          last = true;
          break;
        }
        chunk->reads[i] = *read;
        ++chunk->size;
        last = *read == RowRead::kEnd;
      }
      if (note_rows_) {
        note_rows_(std::span<const SpendRow>(chunk->rows.data(), chunk->size),
                   std::span<const RowRead>(chunk->reads.data(), chunk->size),
                   std::span<Note>(chunk->notes.data(), chunk->size));
      }
      absl::MutexLock lock(&mu_);
      read_.push_back(std::move(chunk));
      if (last) return;
    }
  }

  SpendCsvReader reader_;  // the reading thread's
  NoteRows note_rows_;     // the reading thread's
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
