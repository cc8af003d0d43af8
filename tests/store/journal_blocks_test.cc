// Journal blocks: reading a block's columns back, and what does not fit together.
#include "store/journal_blocks.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace upkeep::store {
namespace {

using ::testing::ElementsAre;

const std::string kHashes2(64, 'h');  // two 32-byte hashes

TEST(JournalBlocksTest, ReadsEachEntryAndItsHashes) {
  JournalBlock block;
  const std::string bytes =
      "\x01\x08"
      "abc"
      "\x01\x09"
      "de";
  const std::string hashes = std::string(32, 'x') + std::string(32, 'y');
  ASSERT_TRUE(ReadJournalBlock(40, "[[8,5],[9,4]]", bytes, hashes, &block));
  EXPECT_EQ(block.first_seq, 40u);
  EXPECT_EQ(block.size(), 2u);
  EXPECT_EQ(block.end_seq(), 42u);
  EXPECT_EQ(block.Entry(0),
            "\x01\x08"
            "abc");
  EXPECT_EQ(block.Entry(1),
            "\x01\x09"
            "de");
  EXPECT_EQ(block.WholeHash(0), std::string(32, 'x'));
  EXPECT_EQ(block.WholeHash(1), std::string(32, 'y'));
  EXPECT_THAT(block.kinds, ElementsAre(8, 9));
}

// A block written since schema version 7: an 8-byte tag for each entry but the last, then the
// whole hash after the last.
TEST(JournalBlocksTest, ABlockWithTagsKeepsOnlyItsLastWholeHash) {
  ledger::Digest first{}, last{};
  for (size_t i = 0; i < first.size(); ++i) {
    first[i] = static_cast<uint8_t>(i);
    last[i] = static_cast<uint8_t>(100 + i);
  }
  const std::string hashes = std::string(reinterpret_cast<const char*>(first.data()), 8) +
                             std::string(reinterpret_cast<const char*>(last.data()), 32);
  JournalBlock block;
  ASSERT_TRUE(ReadJournalBlock(0, "[[8,5],[9,4]]", "123456789", hashes, &block));
  EXPECT_EQ(block.WholeHash(0), "");
  EXPECT_EQ(block.WholeHash(1), hashes.substr(8));
  EXPECT_TRUE(block.Keeps(0, first));
  EXPECT_TRUE(block.Keeps(1, last));
  ledger::Digest other = first;
  other[7] ^= 1;  // within the tag
  EXPECT_FALSE(block.Keeps(0, other));
  other = last;
  other[31] ^= 1;  // past where a tag would end: the last entry's hash is compared whole
  EXPECT_FALSE(block.Keeps(1, other));
}

TEST(JournalBlocksTest, ABlockOfOneEntryIsTheSameInBothForms) {
  JournalBlock block;
  ASSERT_TRUE(ReadJournalBlock(5, "[[7,3]]", "abc", std::string(32, 'z'), &block));
  EXPECT_EQ(block.WholeHash(0), std::string(32, 'z'));
}

TEST(JournalBlocksTest, SpacesAsTheShellWritesThemAreRead) {
  JournalBlock block;
  EXPECT_TRUE(ReadJournalBlock(0, " [ [8, 5] ,\n [9,4] ] ", "123456789", kHashes2, &block));
  EXPECT_THAT(block.ends, ElementsAre(5u, 9u));
}

TEST(JournalBlocksTest, AReusedBlockForgetsTheRowBefore) {
  JournalBlock block;
  ASSERT_TRUE(ReadJournalBlock(0, "[[8,5],[9,4]]", "123456789", kHashes2, &block));
  ASSERT_TRUE(ReadJournalBlock(2, "[[7,3]]", "abc", std::string(32, 'z'), &block));
  EXPECT_THAT(block.ends, ElementsAre(3u));
  EXPECT_THAT(block.kinds, ElementsAre(7));
}

TEST(JournalBlocksTest, ColumnsThatDoNotFitTogetherAreRefused) {
  JournalBlock block;
  const std::string bytes = "123456789";
  // Sizes that do not add up to the bytes, either way.
  EXPECT_FALSE(ReadJournalBlock(0, "[[8,5],[9,3]]", bytes, kHashes2, &block));
  EXPECT_FALSE(ReadJournalBlock(0, "[[8,5],[9,5]]", bytes, kHashes2, &block));
  // Neither a whole hash per entry (64 bytes) nor a tag and a whole hash (40).
  EXPECT_TRUE(ReadJournalBlock(0, "[[8,5],[9,4]]", bytes, std::string(40, 'h'), &block));
  for (size_t size : {0u, 8u, 32u, 39u, 41u, 63u, 65u, 72u}) {
    EXPECT_FALSE(ReadJournalBlock(0, "[[8,5],[9,4]]", bytes, std::string(size, 'h'), &block))
        << size;
  }
  // Not the format: empty, not pairs, negative or fractional numbers, a kind past a byte,
  // trailing text, an unclosed array.
  for (const char* json :
       {"", "[]", "[8,5,9,4]", "[[8,5],[9,-4]]", "[[8,5],[9,4.0]]", "[[256,5],[9,4]]",
        "[[8,5],[9,4]] x", "[[8,5],[9,4]", "{\"a\":1}", "[[8,5][9,4]]", "[[8,5],[9,4],]"}) {
    EXPECT_FALSE(ReadJournalBlock(0, json, bytes, kHashes2, &block)) << json;
  }
}

TEST(JournalBlocksTest, AHugeSizeIsRefusedWithoutOverflow) {
  JournalBlock block;
  EXPECT_FALSE(
      ReadJournalBlock(0, "[[8,18446744073709551621],[9,4]]", "123456789", kHashes2, &block));
}

}  // namespace
}  // namespace upkeep::store
