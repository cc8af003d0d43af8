#include "io/spend_rows_ahead.h"

#include <pthread.h>

#include <utility>

#include "absl/status/statusor.h"

namespace upkeep::io {

SpendRowsAhead::SpendRowsAhead(SpendCsvReader reader) : reader_(std::move(reader)) {
  {
    absl::MutexLock lock(&mu_);
    // Two for Next (the chunk it hands out and the one before) while the reading thread fills
    // the others.
    for (size_t i = 0; i < kChunksAhead + 2; ++i) free_.push_back(std::make_unique<Chunk>());
  }
  thread_ = std::thread([this] { ReadLoop(); });
}

SpendRowsAhead::~SpendRowsAhead() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void SpendRowsAhead::ReadLoop() {
  pthread_setname_np(pthread_self(), "upkeep-csv");  // for top, perf and debuggers
  for (;;) {
    std::unique_ptr<Chunk> chunk;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SpendRowsAhead* s)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) { return !s->free_.empty() || s->stopping_; },
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
    absl::MutexLock lock(&mu_);
    read_.push_back(std::move(chunk));
    if (last) return;
  }
}

absl::Status SpendRowsAhead::Next(Record& record) {
  while (current_ == nullptr || at_ == current_->size) {
    if (current_ != nullptr && !current_->error.ok()) return current_->error;
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](SpendRowsAhead* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) { return !s->read_.empty(); },
        this));
    // The chunk before the one at hand goes back to the reading thread: every record in it was
    // handed out at least a whole chunk ago.
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
  record.bad = read == RowRead::kBad ? &current_->bad[i] : nullptr;
  return absl::OkStatus();
}

}  // namespace upkeep::io
