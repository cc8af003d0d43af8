#include "io/file_text.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
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

// What ExitOnShrink's handler writes and exits with.
std::atomic<const char*> shrink_message{nullptr};
std::atomic<int> shrink_exit_status{0};

// Async-signal-safe: write(2) and _exit(2) only.
void OnSigbus(int /*signal*/) {
  const char* message = shrink_message.load();
  if (message != nullptr) (void)!write(STDERR_FILENO, message, std::strlen(message));
  _exit(shrink_exit_status.load());
}

}  // namespace

absl::StatusOr<FileText> FileText::Open(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(path, errno);
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    close(fd);
    return IoError(path, error);
  }
  FileText text;
  if (!S_ISREG(info.st_mode) || static_cast<size_t>(info.st_size) < kMapFromBytes) {
    close(fd);
    UPKEEP_ASSIGN_OR_RETURN(text.read_, ReadFile(path));
    return text;
  }
  const auto bytes = static_cast<size_t>(info.st_size);
  void* mapped = mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  const int error = errno;
  close(fd);  // the mapping keeps the file
  if (mapped == MAP_FAILED) return IoError(path, error);
  text.mapped_ = static_cast<const char*>(mapped);
  text.mapped_bytes_ = bytes;
  return text;
}

void FileText::ExitOnShrink(const char* message, int exit_status) {
  shrink_message.store(message);
  shrink_exit_status.store(exit_status);
  struct sigaction action {};
  action.sa_handler = OnSigbus;
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
  if (mapped_ != nullptr) munmap(const_cast<char*>(mapped_), mapped_bytes_);
  mapped_ = nullptr;
  mapped_bytes_ = 0;
}

}  // namespace upkeep::io
