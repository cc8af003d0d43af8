// cli/progress.h: progress of a long command on stderr.
//
// On a terminal (isatty on stderr) a bar redrawn in place:
//   import spend  [##########..........]  52 %  2,600 / 5,031 rows
// otherwise (a log, a pipe) one plain line at every tenth of the work:
//   upkeep: import spend: 2600 of 5031 rows (50 %)
// Quiet progress prints nothing. The last line is printed by Finish (a bar ends its line).
//
// Thread safety: one thread.
#ifndef UPKEEP_CLI_PROGRESS_H_
#define UPKEEP_CLI_PROGRESS_H_

#include <cstddef>
#include <cstdio>
#include <string>

namespace upkeep::cli {

class Progress {
 public:
  enum class Style { kAuto, kBar, kLines, kQuiet };  // kAuto: a bar on a terminal, else lines

  Progress(std::string label, size_t total, Style style = Style::kAuto, std::FILE* out = stderr);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` of the total are finished.
  void Update(size_t done);
  // All done: the final state, and the bar's line ends.
  void Finish();
  // All done, and the total turned out to be `total` (the one given first was an estimate).
  void Finish(size_t total);

 private:
  void Draw(size_t done);

  std::string label_;
  size_t total_;
  Style style_;
  std::FILE* out_;
  size_t shown_step_ = 0;  // bar: last percent drawn; lines: last tenth printed
  bool finished_ = false;
};

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_PROGRESS_H_
