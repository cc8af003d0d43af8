// io/file_text.h: the whole text of a file for a reader that only reads it, mapped rather than
// copied when it is large. Internal.
//
// A regular file of kMapFromBytes or more is mapped read-only (its pages come from the page
// cache, loaded in one go): a 40 MB import file costs about 4 ms this way against 35 ms to read
// it into memory (the copy, and faulting in and zeroing the memory it goes to). Smaller files,
// and what is not a regular file (a pipe, a terminal), are read (io::ReadFile).
// A mapped file must not shrink while it is mapped: reading a page past its new end raises
// SIGBUS. A program may turn that into a message and an exit status (ExitOnShrink; the
// `upkeep` program does); a library leaves signals to its host.
//
//   UPKEEP_ASSIGN_OR_RETURN(const io::FileText file, io::FileText::Open(path));
//   Parse(file.view());
//
// Thread safety: view() may be read from any number of threads while the FileText lives.
#ifndef UPKEEP_SRC_IO_FILE_TEXT_H_
#define UPKEEP_SRC_IO_FILE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace upkeep::io {

class FileText {
 public:
  static constexpr size_t kMapFromBytes = size_t{1} << 20;

  // The text of the file at `path`; kIo naming the path and the system's reason when it cannot
  // be opened or read (a folder included).
  static absl::StatusOr<FileText> Open(const std::string& path);

  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText();

  std::string_view view() const { return mapped_ != nullptr ? mapped_view() : read_; }
  // Whether the text is mapped (not read into memory).
  bool mapped() const { return mapped_ != nullptr; }

  // For a program: from now on, SIGBUS (a mapped file that shrank under its reader) writes
  // `message` (static storage, a whole line) to stderr and exits with `exit_status` at once.
  static void ExitOnShrink(const char* message, int exit_status);

 private:
  FileText() = default;
  std::string_view mapped_view() const { return std::string_view(mapped_, mapped_bytes_); }
  void Unmap();

  const char* mapped_ = nullptr;
  size_t mapped_bytes_ = 0;
  std::string read_;  // when not mapped
};

}  // namespace upkeep::io

#endif  // UPKEEP_SRC_IO_FILE_TEXT_H_
