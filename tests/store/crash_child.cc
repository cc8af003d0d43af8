// store_crash_child <book path> <round> <sync|group>: the writer the crash test kills.
//
// Opens the book and runs operations until killed: reserve k<round>-<n>, post it, and every
// 10th n an allocation of a new category "k<round>-<n>" over c1..c3 (7 events in one batch).
// After each operation is durable it writes "<n>\n" to stdout: at once with a sync per
// operation, after each Commit() (every 25 operations) in group mode. Exits 2 on any error.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "store/crash_ops.h"
#include "upkeep/store.h"

namespace {

void Acknowledge(const std::vector<int>& done) {
  std::string text;
  for (int n : done) text += std::to_string(n) + "\n";
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t w = ::write(STDOUT_FILENO, text.data() + written, text.size() - written);
    if (w <= 0) std::_Exit(3);
    written += static_cast<size_t>(w);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::string path = argv[1];
  const int round = std::atoi(argv[2]);
  const bool group = std::string(argv[3]) == "group";
  upkeep::store::BookOptions options = upkeep::store::testing::CrashBookOptions(
      group ? upkeep::store::Durability::kGroupCommit : upkeep::store::Durability::kSyncEachCommit);
  absl::StatusOr<std::unique_ptr<upkeep::store::Book>> book =
      upkeep::store::Book::Open(path, options);
  if (!book.ok()) {
    std::fprintf(stderr, "open: %s\n", std::string(book.status().message()).c_str());
    return 2;
  }
  std::vector<int> waiting;
  for (int n = 0;; ++n) {
    absl::Status status = upkeep::store::testing::RunCrashOp((*book)->ledger(), round, n);
    if (!status.ok()) {
      std::fprintf(stderr, "op %d: %s\n", n, std::string(status.message()).c_str());
      return 2;
    }
    waiting.push_back(n);
    if (!group || waiting.size() == 25) {
      if (group && !(*book)->Commit().ok()) return 2;
      Acknowledge(waiting);
      waiting.clear();
    }
  }
}
