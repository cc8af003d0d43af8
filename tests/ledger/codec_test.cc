// The varint codec shared by events and snapshots: the bytes it writes (the same as the
// original one-byte-at-a-time encoder for edge values) and the errors it reads.
#include "ledger/codec.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::ledger {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();
constexpr int64_t kMinI64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();

// The encoder as it was first written (one push_back a byte): the reference for the format.
std::string OriginalVarint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}

std::string OriginalSigned(int64_t value) {
  const uint64_t bits = static_cast<uint64_t>(value);
  return OriginalVarint(value < 0 ? ~(bits << 1) : bits << 1);
}

const std::vector<uint64_t> kEdgeValues = {0,
                                           1,
                                           127,
                                           128,
                                           255,
                                           16383,
                                           16384,
                                           uint64_t{1} << 32,
                                           (uint64_t{1} << 56) - 1,
                                           uint64_t{1} << 56,
                                           (uint64_t{1} << 63) - 1,
                                           uint64_t{1} << 63,
                                           kMaxU64 - 1,
                                           kMaxU64};

const std::vector<int64_t> kSignedEdgeValues = {0,
                                                1,
                                                -1,
                                                63,
                                                -64,
                                                64,
                                                -65,
                                                8191,
                                                -8192,
                                                int64_t{1} << 32,
                                                -(int64_t{1} << 32),
                                                kMaxI64 - 1,
                                                kMaxI64,
                                                kMinI64 + 1,
                                                kMinI64};

TEST(CodecTest, VarintWritesTheOriginalBytes) {
  for (const uint64_t value : kEdgeValues) {
    std::string put = "prefix";
    PutVarint(value, &put);
    EXPECT_EQ(put, "prefix" + OriginalVarint(value)) << value;
    char bytes[kMaxVarintBytes];
    char* end = WriteVarint(value, bytes);
    EXPECT_EQ(std::string(bytes, end), OriginalVarint(value)) << value;
  }
  EXPECT_EQ(OriginalVarint(0), std::string(1, '\0'));
  EXPECT_EQ(OriginalVarint(127), "\x7f");
  EXPECT_EQ(OriginalVarint(128), "\x80\x01");
  EXPECT_EQ(OriginalVarint(uint64_t{1} << 63), std::string(9, '\x80') + "\x01");
  EXPECT_EQ(OriginalVarint(kMaxU64), std::string(9, '\xff') + "\x01");
}

TEST(CodecTest, SignedWritesTheOriginalZigZagBytes) {
  for (const int64_t value : kSignedEdgeValues) {
    std::string put;
    PutSigned(value, &put);
    EXPECT_EQ(put, OriginalSigned(value)) << value;
    char bytes[kMaxVarintBytes];
    char* end = WriteSigned(value, bytes);
    EXPECT_EQ(std::string(bytes, end), OriginalSigned(value)) << value;
  }
  EXPECT_EQ(OriginalSigned(-1), "\x01");
  EXPECT_EQ(OriginalSigned(1), "\x02");
  EXPECT_EQ(OriginalSigned(-64), "\x7f");
  EXPECT_EQ(OriginalSigned(kMinI64), std::string(9, '\xff') + "\x01");
  EXPECT_EQ(OriginalSigned(kMaxI64), "\xfe" + std::string(8, '\xff') + "\x01");
}

TEST(CodecTest, StringWritesItsLengthThenItsBytes) {
  const std::string text(200, 'x');
  std::string put;
  PutString(text, &put);
  EXPECT_EQ(put, OriginalVarint(200) + text);
  std::string written(MaxStringBytes(text), '\0');
  written.resize(static_cast<size_t>(WriteString(text, written.data()) - written.data()));
  EXPECT_EQ(written, put);
  char empty[kMaxVarintBytes];
  EXPECT_EQ(WriteString("", empty), empty + 1);
  EXPECT_EQ(empty[0], '\0');
}

// Records written in chunks of room made at once give the bytes that appending value by value
// gives, across chunk boundaries and after what the string held.
TEST(CodecTest, AppendRecordsWritesWhatPutWrites) {
  std::vector<std::string> names;
  for (size_t i = 0; i < 10'000; ++i)
    names.push_back(std::string(i % 41, static_cast<char>('a' + i % 26)));
  std::string put = "head";
  for (const std::string& name : names) {
    PutString(name, &put);
    PutSigned(-static_cast<int64_t>(name.size()), &put);
  }
  std::string appended = "head";
  AppendRecords(
      names.size(), [&](size_t i) { return MaxStringBytes(names[i]) + kMaxVarintBytes; },
      [&](size_t i, char* dst) {
        return WriteSigned(-static_cast<int64_t>(names[i].size()), WriteString(names[i], dst));
      },
      &appended);
  EXPECT_EQ(appended, put);
  std::string none = "head";
  AppendRecords(
      0, [](size_t) { return size_t{1}; }, [](size_t, char* dst) { return dst; }, &none);
  EXPECT_EQ(none, "head");
}

// Each value decodes the same at the very end of the bytes (fewer than kMaxVarintBytes left)
// and followed by more bytes, and the reader stops right after it.
TEST(CodecTest, VarintReadsBackWithAndWithoutBytesAfterIt) {
  for (const uint64_t value : kEdgeValues) {
    const std::string bytes = OriginalVarint(value);
    Reader alone(bytes, "test");
    EXPECT_EQ(alone.Varint("v"), value);
    EXPECT_TRUE(alone.ok() && alone.done()) << alone.status();
    const std::string padded = bytes + std::string(kMaxVarintBytes, '\x80');
    Reader followed(padded, "test");
    EXPECT_EQ(followed.Varint("v"), value);
    EXPECT_TRUE(followed.ok()) << followed.status();
    EXPECT_EQ(followed.remaining_bytes(), kMaxVarintBytes);
  }
  for (const int64_t value : kSignedEdgeValues) {
    const std::string bytes = OriginalSigned(value) + "\x05";  // the reader views it
    Reader in(bytes, "test");
    EXPECT_EQ(in.Signed("s"), value);
    EXPECT_EQ(in.Varint("next"), 5u);
    EXPECT_TRUE(in.ok() && in.done()) << in.status();
  }
}

TEST(CodecTest, VarintRejectsEveryTruncation) {
  const std::string bytes = OriginalVarint(kMaxU64);
  for (size_t n = 0; n < bytes.size(); ++n) {
    Reader in(std::string_view(bytes).substr(0, n), "test");
    EXPECT_EQ(in.Varint("count"), 0u);
    EXPECT_THAT(in.status(), StatusIs(ErrorCode::kCorrupt, HasSubstr("test count: truncated")))
        << n;
  }
}

TEST(CodecTest, VarintRejectsMoreThanTenBytes) {
  for (const std::string& bytes :
       {std::string(10, '\x80'), std::string(10, '\x80') + '\x01', std::string(20, '\xff')}) {
    Reader in(bytes, "test");
    EXPECT_EQ(in.Varint("seq"), 0u);
    EXPECT_THAT(in.status(), StatusIs(ErrorCode::kCorrupt, HasSubstr("test seq: varint too long")));
  }
}

// A tenth byte over 1 has bits past the 64th: they were always dropped, and still are.
TEST(CodecTest, VarintDropsBitsPastTheSixtyFourth) {
  const std::string bytes = std::string(9, '\xff') + '\x7f';
  Reader in(bytes, "test");
  EXPECT_EQ(in.Varint("v"), kMaxU64);
  EXPECT_TRUE(in.ok() && in.done()) << in.status();
}

TEST(CodecTest, ReaderKeepsTheFirstProblemAndReadsZerosAfterIt) {
  const std::string bytes = std::string("\x02\xff\xfe") + "\x03" + "abc";
  Reader in(bytes, "test");
  EXPECT_EQ(in.Text("name"), "");
  EXPECT_THAT(in.status(), StatusIs(ErrorCode::kCorrupt, HasSubstr("test name: invalid UTF-8")));
  EXPECT_EQ(in.Varint("after"), 0u);
  EXPECT_EQ(in.String("after"), "");
  EXPECT_THAT(in.status(), StatusIs(ErrorCode::kCorrupt, HasSubstr("test name: invalid UTF-8")));
}

TEST(CodecTest, TextAndStringReadTheSameUtf8) {
  std::string bytes;
  PutString("财务", &bytes);
  PutString("财务", &bytes);
  Reader in(bytes, "test");
  const std::string_view text = in.Text("a");
  EXPECT_EQ(text, "财务");
  EXPECT_EQ(text.data(), bytes.data() + 1);  // a view into the bytes, no copy
  EXPECT_EQ(in.String("b"), "财务");
  EXPECT_TRUE(in.ok() && in.done()) << in.status();
}

TEST(CodecTest, StringRejectsALengthPastTheEnd) {
  Reader in(
      "\x05"
      "abc",
      "test");
  EXPECT_EQ(in.Text("name"), "");
  EXPECT_THAT(in.status(), StatusIs(ErrorCode::kCorrupt, HasSubstr("test name: truncated")));
}

}  // namespace
}  // namespace upkeep::ledger
