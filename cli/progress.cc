#include "progress.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_format.h"
#include "output.h"

namespace upkeep::cli {
namespace {

constexpr size_t kBarCells = 20;

size_t Share(size_t done, size_t total, size_t scale) {
  return total == 0 ? scale : done * scale / total;
}

}  // namespace

Progress::Progress(std::string label, size_t total, Style style, std::FILE* out)
    : label_(std::move(label)), total_(total), style_(style), out_(out) {
  if (style_ == Style::kAuto) style_ = isatty(fileno(out_)) ? Style::kBar : Style::kLines;
}

void Progress::Update(size_t done) {
  if (style_ == Style::kQuiet || finished_) return;
  if (style_ == Style::kBar) {
    const size_t percent = Share(done, total_, 100);
    if (percent != shown_step_ || done == 0) Draw(done);
    shown_step_ = percent;
    return;
  }
  const size_t tenth = Share(done, total_, 10);
  if (tenth > shown_step_ && done < total_) {
    shown_step_ = tenth;
    Draw(done);
  }
}

void Progress::Finish() {
  if (style_ == Style::kQuiet || finished_) return;
  Draw(total_);
  if (style_ == Style::kBar) absl::FPrintF(out_, "\n");
  finished_ = true;
}

void Progress::Finish(size_t total) {
  total_ = total;
  Finish();
}

void Progress::Draw(size_t done) {
  const size_t percent = Share(done, total_, 100);
  if (style_ == Style::kLines) {
    absl::FPrintF(out_, "upkeep: %s: %d of %d rows (%d %%)\n", label_, done, total_, percent);
    return;
  }
  const size_t filled = Share(done, total_, kBarCells);
  absl::FPrintF(out_, "\r%s  [%s%s]  %3d %%  %s / %s rows", label_, std::string(filled, '#'),
                std::string(kBarCells - filled, '.'), percent, GroupThousands(std::to_string(done)),
                GroupThousands(std::to_string(total_)));
  std::fflush(out_);
}

}  // namespace upkeep::cli
