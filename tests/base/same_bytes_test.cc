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

// Strings that end where readable memory ends, the page after them inaccessible: comparing
// them reads none of it (an over-read would crash the test).
TEST(SameBytesTest, ReadsNothingPastTheStrings) {
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  auto* memory = static_cast<char*>(
      mmap(nullptr, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(memory, MAP_FAILED);
  ASSERT_EQ(mprotect(memory + page, page, PROT_NONE), 0);
  ASSERT_EQ(mprotect(memory + 3 * page, page, PROT_NONE), 0);
  char* const first_end = memory + page;  // each string ends at a guard page
  char* const second_end = memory + 3 * page;
  for (size_t size = 0; size <= 40; ++size) {
    std::memset(first_end - size, 'n', size);
    std::memset(second_end - size, 'n', size);
    const std::string_view a(first_end - size, size);
    const std::string_view b(second_end - size, size);
    EXPECT_TRUE(SameBytes(a, b)) << size;
    if (size > 0) {
      second_end[-1] = 'm';
      EXPECT_FALSE(SameBytes(a, b)) << size;
    }
  }
  munmap(memory, 4 * page);
}

}  // namespace
}  // namespace upkeep
