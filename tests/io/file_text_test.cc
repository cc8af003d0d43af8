#include "io/file_text.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

// A path in the test's temporary folder, named for this process (test runs may overlap).
std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + std::to_string(getpid()) + "_" + name;
}

// Writes `bytes` to a file in the test's temporary folder and returns its path.
std::string WriteFile(const std::string& name, const std::string& bytes) {
  const std::string path = TempPath(name);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  EXPECT_NE(file, nullptr);
  if (file == nullptr) return path;
  EXPECT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), file), bytes.size());
  std::fclose(file);
  return path;
}

// `size` bytes that differ from place to place (a misplaced page would show).
std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  return bytes;
}

TEST(FileTextTest, ASmallFileIsReadAndALargeOneMapped) {
  const std::string small = Pattern(FileText::kMapFromBytes - 1);
  const std::string small_path = WriteFile("file_text_small.csv", small);
  ASSERT_OK_AND_ASSIGN(const FileText small_text, FileText::Open(small_path));
  EXPECT_FALSE(small_text.mapped());
  EXPECT_EQ(small_text.view(), small);

  const std::string large = Pattern(FileText::kMapFromBytes + 12'345);
  const std::string large_path = WriteFile("file_text_large.csv", large);
  ASSERT_OK_AND_ASSIGN(const FileText large_text, FileText::Open(large_path));
  EXPECT_TRUE(large_text.mapped());
  EXPECT_EQ(large_text.view(), large);
  std::remove(small_path.c_str());
  std::remove(large_path.c_str());
}

TEST(FileTextTest, AnEmptyFileIsEmpty) {
  const std::string path = WriteFile("file_text_empty.csv", "");
  ASSERT_OK_AND_ASSIGN(const FileText text, FileText::Open(path));
  EXPECT_EQ(text.view(), "");
  std::remove(path.c_str());
}

TEST(FileTextTest, AMoveTakesTheMappingAlong) {
  const std::string large = Pattern(FileText::kMapFromBytes);
  const std::string path = WriteFile("file_text_move.csv", large);
  ASSERT_OK_AND_ASSIGN(FileText text, FileText::Open(path));
  FileText moved = std::move(text);
  EXPECT_TRUE(moved.mapped());
  EXPECT_EQ(moved.view(), large);
  const std::string small_path = WriteFile("file_text_move_small.csv", "a,b\n");
  ASSERT_OK_AND_ASSIGN(moved, FileText::Open(small_path));  // the mapping is released
  EXPECT_FALSE(moved.mapped());
  EXPECT_EQ(moved.view(), "a,b\n");
  std::remove(path.c_str());
  std::remove(small_path.c_str());
}

TEST(FileTextTest, AFolderOrAMissingFileIsIoErrorNamingIt) {
  EXPECT_THAT(FileText::Open(::testing::TempDir()),
              StatusIs(ErrorCode::kIo, HasSubstr("Is a directory")));
  EXPECT_THAT(FileText::Open("/nonexistent/upkeep/spend.csv"),
              StatusIs(ErrorCode::kIo, HasSubstr("/nonexistent/upkeep/spend.csv")));
}

// A named pipe is read from the descriptor that opened it: opening it a second time would lose
// its writer and wait for another.
TEST(FileTextTest, ANamedPipeIsReadToItsEnd) {
  const std::string path = TempPath("file_text_pipe");
  std::remove(path.c_str());
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  const std::string bytes = Pattern(200'000);  // more than a pipe holds at once
  std::thread writer([&] {
    std::FILE* pipe = std::fopen(path.c_str(), "wb");  // waits for the reader
    if (pipe == nullptr) return;
    std::fwrite(bytes.data(), 1, bytes.size(), pipe);
    std::fclose(pipe);
  });
  absl::StatusOr<FileText> text = FileText::Open(path);
  writer.join();
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_FALSE(text->mapped());
  EXPECT_EQ(text->view(), bytes);
  std::remove(path.c_str());
}

TEST(FileTextDeathTest, AMappedFileThatShrinksEndsTheProgramAsExitOnShrinkSays) {
  const std::string path = WriteFile("file_text_shrinks.csv", Pattern(2 * FileText::kMapFromBytes));
  EXPECT_EXIT(
      {
        FileText::ExitOnShrink("upkeep-test: the file shrank\n", 7);
        absl::StatusOr<FileText> text = FileText::Open(path);
        if (!text.ok() || !text->mapped()) std::_Exit(1);
        if (truncate(path.c_str(), 0) != 0) std::_Exit(2);
        const volatile char last = text->view().back();  // its page is gone: SIGBUS
        std::_Exit(last == 0 ? 3 : 4);
      },
      ::testing::ExitedWithCode(7), "the file shrank");
  std::remove(path.c_str());
}

TEST(FileTextDeathTest, AnyOtherSigbusKeepsItsDefaultAction) {
  EXPECT_EXIT(
      {
        FileText::ExitOnShrink("upkeep-test: the file shrank\n", 7);
        raise(SIGBUS);
        std::_Exit(1);
      },
      ::testing::KilledBySignal(SIGBUS), "");
}

}  // namespace
}  // namespace upkeep::io
