// io/file_text.h: the whole text of a file for a reader that only reads it, mapped rather than
// copied when it is large. Internal.
//
// A regular file of kMapFromBytes or more is mapped read-only, and its pages are read ahead
// while the caller goes on (MADV_WILLNEED): a 40 MB import file costs a few milliseconds this
// way against 35 ms to read it into memory (the copy, and faulting in and zeroing the memory it
// goes to), and up to 0.12 s while a book opened beside it. Smaller files, what is not a regular
// file (a pipe: read from the descriptor already open, so its writer is not lost), and a file
// system that cannot map, are read.
// The text is the file's bytes as the reader finds them, up to the size the file had when it
// was opened: the file must not change meanwhile. One that shrinks under its mapping raises
// SIGBUS where a page past its new end is read; a program may turn that into a message and an
// exit status (ExitOnShrink; the `upkeep` program does). A library leaves signals to its host.
//
//   UPKEEP_ASSIGN_OR_RETURN(const io::FileText file, io::FileText::Open(path));
//   Parse(file.view());
//
// Thread safety: view() may be read from any number of threads while the FileText lives; Open
// and ExitOnShrink from any thread.
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
  // be opened or read (a folder: "Is a directory").
  static absl::StatusOr<FileText> Open(const std::string& path);

  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText();

  std::string_view view() const { return mapped_ != nullptr ? mapped_view() : read_; }
  // Whether the text is mapped (not read into memory).
  bool mapped() const { return mapped_ != nullptr; }

  // For a program: from now on, a SIGBUS raised by reading a FileText's mapping (its file shrank)
  // writes `message` (static storage, a whole line) to stderr and exits with `exit_status` at
  // once. Any other SIGBUS keeps the default action (the program ends with a core dump).
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
