// SHA-256 against the FIPS 180-4 / NIST test vectors.
#include "ledger/sha256.h"

#include <string>
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

TEST(Sha256Test, IncrementalUpdatesEqualOneShot) {
  const std::string text(1000, 'x');
  for (size_t split : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 999u}) {
    Sha256 h;
    h.Update(std::string_view(text).substr(0, split));
    h.Update(std::string_view(text).substr(split));
    EXPECT_EQ(h.Finish(), Sha256Of(text)) << split;
  }
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
