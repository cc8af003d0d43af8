// HugePageAllocator and ZeroedArray: blocks below 4 MiB come from the heap, larger ones are
// huge-page mappings; either way a vector keeps its elements across growth and a ZeroedArray
// reads as zeros.
#include "base/huge_pages.h"

#include <cstdint>
#include <numeric>

#include "base/zeroed_array.h"
#include "gtest/gtest.h"

namespace upkeep {
namespace {

TEST(HugePagesTest, MappingsAreWholeHugePages) {
  EXPECT_EQ(HugePageRounded(1), kHugePageBytes);
  EXPECT_EQ(HugePageRounded(kHugePageBytes), kHugePageBytes);
  EXPECT_EQ(HugePageRounded(kHugePageBytes + 1), 2 * kHugePageBytes);
  void* block = MapHugePages(kHugePagesFromBytes + 10);
  ASSERT_NE(block, nullptr);
  const auto* bytes = static_cast<const unsigned char*>(block);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(bytes[kHugePagesFromBytes + 9], 0);
  UnmapHugePages(block, kHugePagesFromBytes + 10);
}

TEST(HugePagesTest, AVectorKeepsItsElementsGrowingPastTheMappedSize) {
  HugePageVector<uint64_t> values;
  const size_t count = 3 * kHugePagesFromBytes / sizeof(uint64_t);  // from heap to mappings
  for (size_t i = 0; i < count; ++i) values.push_back(i * 7);
  ASSERT_EQ(values.size(), count);
  for (size_t i = 0; i < count; i += 4099) ASSERT_EQ(values[i], i * 7) << i;
  EXPECT_EQ(values.back(), (count - 1) * 7);
  values.resize(10);  // shrinking keeps the front
  values.shrink_to_fit();
  EXPECT_EQ(std::accumulate(values.begin(), values.end(), uint64_t{0}), 7u * 45);
}

TEST(HugePagesTest, AnImpossibleSizeThrows) {
  HugePageAllocator<uint64_t> allocator;
  EXPECT_THROW(allocator.allocate(SIZE_MAX / 4), std::bad_array_new_length);
}

TEST(ZeroedArrayTest, SmallAndLargeArraysReadAsZeros) {
  for (const size_t size : {size_t{16}, kHugePagesFromBytes / sizeof(uint32_t) + 3}) {
    ZeroedArray<uint32_t> array(size);
    ASSERT_EQ(array.size(), size);
    EXPECT_EQ(array[0], 0u);
    EXPECT_EQ(array[size - 1], 0u);
    array[size - 1] = 5;
    EXPECT_EQ(array[size - 1], 5u);
    EXPECT_GE(array.MemoryBytes(), size * sizeof(uint32_t));
  }
}

}  // namespace
}  // namespace upkeep
