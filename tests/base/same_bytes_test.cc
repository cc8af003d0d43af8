#include "base/same_bytes.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace upkeep {
namespace {

// Every length from 0 to 40, equal or different in any one byte: the answer is operator=='s.
RC_GTEST_PROP(SameBytesProperties, AgreesWithEquality, ()) {
  const std::string a = *rc::gen::container<std::string>(*rc::gen::inRange<size_t>(0, 41),
                                                         rc::gen::inRange<char>('a', 'e'));
  std::string b = a;
  if (!b.empty() && *rc::gen::arbitrary<bool>()) {
    const auto at = *rc::gen::inRange<size_t>(0, b.size());
    b[at] = static_cast<char>(b[at] + *rc::gen::inRange(1, 4));
  }
  if (*rc::gen::arbitrary<bool>() && !b.empty()) b.pop_back();  // lengths differ
  RC_ASSERT(SameBytes(a, b) == (a == b));
  RC_ASSERT(SameBytes(b, a) == (a == b));
}

TEST(SameBytesTest, EachLengthFindsADifferenceInEachByte) {
  for (size_t size = 0; size <= 40; ++size) {
    const std::string a(size, 'x');
    EXPECT_TRUE(SameBytes(a, std::string(size, 'x'))) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string b = a;
      b[at] = 'y';
      EXPECT_FALSE(SameBytes(a, b)) << size << " at " << at;
    }
  }
}

// Strings that start where readable memory starts and strings that end where it ends, a page
// that cannot be read on either side: comparing them reads none of it (a stray read would crash
// the test).
TEST(SameBytesTest, ReadsNothingBeforeOrPastTheStrings) {
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  auto* memory = static_cast<char*>(
      mmap(nullptr, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(memory, MAP_FAILED);
  ASSERT_EQ(mprotect(memory, page, PROT_NONE), 0);
  ASSERT_EQ(mprotect(memory + 2 * page, page, PROT_NONE), 0);
  char* const readable = memory + page;
  for (size_t size = 0; size <= 40; ++size) {
    std::memset(readable, 'n', page);
    const std::string_view first(readable, size);               // starts after a guard page
    const std::string_view last(readable + page - size, size);  // ends at the other
    EXPECT_TRUE(SameBytes(first, last)) << size;
    EXPECT_TRUE(SameBytes(last, first)) << size;
    if (size > 0) {
      readable[page - 1] = 'm';
      EXPECT_FALSE(SameBytes(first, last)) << size;
      EXPECT_FALSE(SameBytes(last, first)) << size;
    }
  }
  munmap(memory, 3 * page);
}

}  // namespace
}  // namespace upkeep
