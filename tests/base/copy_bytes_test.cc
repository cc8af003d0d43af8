#include "base/copy_bytes.h"

#include <cstddef>
#include <string>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace upkeep {
namespace {

// Copies `source` into the middle of a buffer of guard bytes and returns the whole buffer.
std::string CopiedBetweenGuards(const std::string& source) {
  constexpr size_t kGuard = 24;
  std::string buffer(kGuard + source.size() + kGuard, '#');
  CopyBytes(buffer.data() + kGuard, source.data(), source.size());
  return buffer;
}

// Every length from 0 to 40, each byte distinct from its neighbours: the bytes arrive in order
// and nothing before or after them is touched.
TEST(CopyBytesTest, EachLengthCopiesExactlyItsBytes) {
  for (size_t size = 0; size <= 40; ++size) {
    std::string source;
    for (size_t i = 0; i < size; ++i) source.push_back(static_cast<char>('A' + i % 26));
    EXPECT_EQ(CopiedBetweenGuards(source), std::string(24, '#') + source + std::string(24, '#'))
        << size;
  }
}

TEST(CopyBytesTest, ANullSourceOfNoBytesCopiesNothing) {
  char dst[4] = {'a', 'b', 'c', 'd'};
  CopyBytes(dst, nullptr, 0);
  EXPECT_EQ(std::string(dst, 4), "abcd");
}

RC_GTEST_PROP(CopyBytesProperties, AgreesWithTheSource, ()) {
  const std::string source = *rc::gen::container<std::string>(*rc::gen::inRange<size_t>(0, 70),
                                                              rc::gen::arbitrary<char>());
  RC_ASSERT(CopiedBetweenGuards(source) == std::string(24, '#') + source + std::string(24, '#'));
}

}  // namespace
}  // namespace upkeep
