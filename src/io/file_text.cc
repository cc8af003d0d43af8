#include "io/file_text.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "upkeep/io/csv.h"
#include "upkeep/status.h"

namespace upkeep::io {
namespace {

absl::Status IoError(const std::string& path, int error) {
  return MakeError(ErrorCode::kIo, absl::StrCat(path, ": ", std::strerror(error)));
}

// read(2) of up to `bytes` into `out`, again when a signal interrupts it.
ssize_t ReadSome(int fd, char* out, size_t bytes) {
  while (true) {
    const ssize_t read_bytes = read(fd, out, bytes);
    if (read_bytes >= 0 || errno != EINTR) return read_bytes;
  }
}

// The open file `fd` at `path`: the size `info` gives a regular file read in place, then blocks
// for what is left (a file that grew, a pipe).
absl::StatusOr<std::string> ReadOpenFile(int fd, const struct stat& info, const std::string& path) {
  std::string contents(S_ISREG(info.st_mode) ? static_cast<size_t>(info.st_size) : 0, '\0');
  size_t got = 0;
  while (got < contents.size()) {
    const ssize_t read_bytes = ReadSome(fd, contents.data() + got, contents.size() - got);
    if (read_bytes < 0) return IoError(path, errno);
    if (read_bytes == 0) break;  // it shrank
    got += static_cast<size_t>(read_bytes);
  }
  contents.resize(got);
  char block[1 << 16];
  while (true) {
    const ssize_t read_bytes = ReadSome(fd, block, sizeof block);
    if (read_bytes < 0) return IoError(path, errno);
    if (read_bytes == 0) return contents;
    contents.append(block, static_cast<size_t>(read_bytes));
  }
}

// A file opened for reading, and what fstat says of it.
struct OpenedFile {
  int fd = -1;
  struct stat info {};
};

absl::StatusOr<OpenedFile> OpenForReading(const std::string& path) {
  OpenedFile file;
  file.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) return IoError(path, errno);
  if (fstat(file.fd, &file.info) != 0) {
    const int error = errno;
    close(file.fd);
    return IoError(path, error);
  }
  return file;
}

// The mappings FileText made, for ExitOnShrink's handler to tell a fault in one of them from any
// other SIGBUS. Slots are claimed and read with atomics only (the handler may run at any time).
struct MappedRange {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
};
std::array<MappedRange, 16> mapped_ranges;

void RegisterMapping(const char* mapped, size_t bytes) {
  const auto begin = reinterpret_cast<uintptr_t>(mapped);
  for (MappedRange& range : mapped_ranges) {
    uintptr_t free = 0;
    if (range.begin.compare_exchange_strong(free, begin)) {
      range.end.store(begin + bytes);
      return;
    }
  }  // all taken: a shrink of this one gets the default SIGBUS
}

void UnregisterMapping(const char* mapped) {
  const auto begin = reinterpret_cast<uintptr_t>(mapped);
  for (MappedRange& range : mapped_ranges) {
    if (range.begin.load() == begin) {
      range.end.store(0);
      range.begin.store(0);
      return;
    }
  }
}

// What ExitOnShrink's handler writes and exits with.
std::atomic<const char*> shrink_message{nullptr};
std::atomic<int> shrink_exit_status{0};

// Async-signal-safe (atomics, write, _exit, sigaction, raise). A fault inside a FileText's
// mapping is reported; any other SIGBUS gets the default action, as without the handler.
void OnSigbus(int signal, siginfo_t* info, void* /*context*/) {
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  const bool read_past_end = info->si_code == BUS_ADRERR;  // not, say, a kill -BUS
  for (const MappedRange& range : mapped_ranges) {
    if (read_past_end && address >= range.begin.load() && address < range.end.load()) {
      const char* message = shrink_message.load();
      if (message != nullptr) (void)!write(STDERR_FILENO, message, std::strlen(message));
      _exit(shrink_exit_status.load());
    }
  }
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signal, &default_action, nullptr);
  raise(signal);  // delivered when the handler returns, with the default action
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  UPKEEP_ASSIGN_OR_RETURN(const OpenedFile file, OpenForReading(path));
  absl::StatusOr<std::string> contents = ReadOpenFile(file.fd, file.info, path);
  close(file.fd);
  return contents;
}

absl::StatusOr<FileText> FileText::Open(const std::string& path) {
  UPKEEP_ASSIGN_OR_RETURN(const OpenedFile file, OpenForReading(path));
  FileText text;
  const auto bytes = static_cast<size_t>(file.info.st_size);
  void* mapped = MAP_FAILED;
  if (S_ISREG(file.info.st_mode) && bytes >= kMapFromBytes) {
    mapped = mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, file.fd, 0);
  }
  if (mapped == MAP_FAILED) {  // small, not a regular file, or a file system that cannot map
    absl::StatusOr<std::string> contents = ReadOpenFile(file.fd, file.info, path);
    close(file.fd);
    UPKEEP_ASSIGN_OR_RETURN(text.read_, std::move(contents));
    return text;
  }
  close(file.fd);  // the mapping keeps the file
  // Read ahead while the caller goes on (opening a book): the pages are read from the disk, if
  // they are not in memory already, while nothing waits for them.
  madvise(mapped, bytes, MADV_WILLNEED);
  text.mapped_ = static_cast<const char*>(mapped);
  text.mapped_bytes_ = bytes;
  RegisterMapping(text.mapped_, bytes);
  return text;
}

void FileText::ExitOnShrink(const char* message, int exit_status) {
  shrink_message.store(message);
  shrink_exit_status.store(exit_status);
  struct sigaction action {};
  action.sa_sigaction = OnSigbus;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, nullptr);
}

FileText::FileText(FileText&& other) noexcept
    : mapped_(std::exchange(other.mapped_, nullptr)),
      mapped_bytes_(std::exchange(other.mapped_bytes_, 0)),
      read_(std::move(other.read_)) {}

FileText& FileText::operator=(FileText&& other) noexcept {
  if (this != &other) {
    Unmap();
    mapped_ = std::exchange(other.mapped_, nullptr);
    mapped_bytes_ = std::exchange(other.mapped_bytes_, 0);
    read_ = std::move(other.read_);
  }
  return *this;
}

FileText::~FileText() { Unmap(); }

void FileText::Unmap() {
  if (mapped_ != nullptr) {
    UnregisterMapping(mapped_);
    munmap(const_cast<char*>(mapped_), mapped_bytes_);
  }
  mapped_ = nullptr;
  mapped_bytes_ = 0;
}

}  // namespace upkeep::io
