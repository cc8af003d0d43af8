#include "upkeep/utf8.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("客户维护费"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x92\xB0"));  // U+1F4B0 money bag
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));
}

struct BadCase {
  std::string text;
  size_t first_bad;
};

TEST(Utf8Test, RejectsIllFormedTextAtTheFirstBadByte) {
  const BadCase cases[] = {
      {"\x80", 0},                  // lone continuation byte
      {"ab\xC3", 2},                // truncated two-byte sequence
      {"\xC0\xAF", 0},              // overlong '/'
      {"\xE0\x80\xAF", 0},          // overlong three-byte
      {"\xED\xA0\x80", 0},          // UTF-16 surrogate D800
      {"\xF4\x90\x80\x80", 0},      // above U+10FFFF
      {"\xF8\x88\x80\x80\x80", 0},  // five-byte form
      {"ok\xE4\xB8", 2},            // truncated CJK
      {"\xE4\x41\x41", 0},          // bad continuation
      {"\xFF", 0},
  };
  for (const BadCase& c : cases) {
    EXPECT_EQ(FirstInvalidUtf8Byte(c.text), c.first_bad) << c.text;
    EXPECT_FALSE(IsValidUtf8(c.text));
  }
}

// ASCII is checked eight bytes at a time: a bad byte is found wherever it sits in or after them.
TEST(Utf8Test, FindsABadByteAfterAnyRunOfAscii) {
  for (size_t ascii = 0; ascii <= 20; ++ascii) {
    const std::string run(ascii, 'a');
    EXPECT_TRUE(IsValidUtf8(run + "客户" + run));
    EXPECT_EQ(FirstInvalidUtf8Byte(run + "\xFF" + std::string(9, 'b')), ascii) << ascii;
    EXPECT_EQ(FirstInvalidUtf8Byte(run + "\xC3" + std::string(9, 'b')), ascii) << ascii;
    EXPECT_EQ(FirstInvalidUtf8Byte(run + "é" + run + "\x80"), 2 * ascii + 2) << ascii;
  }
}

TEST(Utf8Test, CheckNamesFieldAndOffset) {
  EXPECT_THAT(CheckUtf8("fine", "customer id"), IsOk());
  EXPECT_THAT(CheckUtf8("ab\xFF", "customer id"),
              StatusIs(ErrorCode::kInvalidUtf8, HasSubstr("customer id: invalid UTF-8 at byte 2")));
}

// Every code point encoded by a straightforward encoder is accepted, and the encoding with its
// last byte removed is rejected.
RC_GTEST_PROP(Utf8Property, EncodedCodePointsAreValid, ()) {
  const auto code_point = *rc::gen::suchThat(rc::gen::inRange<uint32_t>(0, 0x110000),
                                             [](uint32_t c) { return c < 0xD800 || c > 0xDFFF; });
  std::string s;
  if (code_point < 0x80) {
    s += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    s += static_cast<char>(0xC0 | (code_point >> 6));
    s += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    s += static_cast<char>(0xE0 | (code_point >> 12));
    s += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (code_point >> 18));
    s += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (code_point & 0x3F));
  }
  RC_ASSERT(IsValidUtf8(s));
  if (s.size() > 1) RC_ASSERT(!IsValidUtf8(s.substr(0, s.size() - 1)));
}

}  // namespace
}  // namespace upkeep
