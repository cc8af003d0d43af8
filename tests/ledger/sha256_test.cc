// SHA-256 against the FIPS 180-4 / NIST test vectors.
#include "ledger/sha256.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace upkeep::ledger {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(DigestHex(Sha256Of("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(DigestHex(Sha256Of("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(DigestHex(Sha256Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(DigestHex(Sha256Of(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Messages whose padding fits in their last block (55, 119 bytes), just does not (56, 63, 120)
// or takes a block of its own (64): the bytes 0, 1, 2, ... Expected digests from Python's
// hashlib.sha256(bytes(range(n))), and NIST's two-block (896-bit) vector.
TEST(Sha256Test, EveryPaddingCaseMatchesAReference) {
  const auto first_bytes = [](size_t n) {
    std::string text;
    for (size_t i = 0; i < n; ++i) text.push_back(static_cast<char>(i));
    return text;
  };
  const struct {
    size_t size;
    std::string_view digest;
  } kCases[] = {
      {55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"},
      {56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"},
      {63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"},
      {64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"},
      {119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"},
      {120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"},
  };
  for (const auto& [size, digest] : kCases) {
    EXPECT_EQ(DigestHex(Sha256Of(first_bytes(size))), digest) << size;
  }
  EXPECT_EQ(DigestHex(Sha256Of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                               "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256Test, IncrementalUpdatesEqualOneShot) {
  const std::string text(1000, 'x');
  for (size_t split : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 999u}) {
    Sha256 h;
    h.Update(std::string_view(text).substr(0, split));
    h.Update(std::string_view(text).substr(split));
    EXPECT_EQ(h.Finish(), Sha256Of(text)) << split;
  }
}

// FinishWith(last) is Update(last) and Finish(), whether what is buffered, `last` and the
// padding fit in one block, in two (compressed in one call), or not (through Update), on
// either compression code.
TEST(Sha256Test, FinishingWithTheLastBytesEqualsUpdatingWithThem) {
  std::string text;
  for (int i = 0; i < 400; ++i) text.push_back(static_cast<char>((i * 37 + 11) & 0xff));
  for (const bool extensions : {false, true}) {
    if (extensions && !SetShaExtensionsForTesting(true)) break;
    if (!extensions) SetShaExtensionsForTesting(false);
    for (size_t first : {0u, 1u, 32u, 55u, 63u, 64u, 100u}) {
      for (size_t last : {0u, 1u, 22u, 23u, 24u, 55u, 56u, 86u, 87u, 88u, 95u, 96u, 200u}) {
        const std::string_view whole = std::string_view(text).substr(0, first + last);
        Sha256 h;
        h.Update(whole.substr(0, first));
        EXPECT_EQ(h.FinishWith(whole.substr(first)), Sha256Of(whole))
            << first << " + " << last << (extensions ? " (SHA extensions)" : " (portable)");
      }
    }
  }
  SetShaExtensionsForTesting(true);
}

TEST(Sha256Test, ShaExtensionsAndPortableCodeAgree) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text.push_back(static_cast<char>((i * 131 + i / 7) & 0xff));
  std::vector<Digest> portable;
  SetShaExtensionsForTesting(false);
  for (size_t size : {0u, 1u, 55u, 56u, 64u, 119u, 128u, 1000u, 5000u}) {
    portable.push_back(Sha256Of(std::string_view(text).substr(0, size)));
  }
  if (!SetShaExtensionsForTesting(true)) GTEST_SKIP() << "this CPU has no SHA extensions";
  size_t i = 0;
  for (size_t size : {0u, 1u, 55u, 56u, 64u, 119u, 128u, 1000u, 5000u}) {
    EXPECT_EQ(Sha256Of(std::string_view(text).substr(0, size)), portable[i++]) << size;
  }
  EXPECT_EQ(DigestHex(Sha256Of(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
}  // namespace upkeep::ledger
