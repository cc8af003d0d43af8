// ledger/sha256.h: SHA-256 (FIPS 180-4), for the journal's hash chain. Internal.
//
//   upkeep::ledger::Sha256 h;
//   h.Update("abc");
//   upkeep::ledger::Digest d = h.Finish();  // ba7816bf...
//
// On x86-64 CPUs with the SHA extensions the blocks are compressed with them (sha256_x86.h).
// Thread safety: a Sha256 object is not shared; the free function is pure.
#ifndef UPKEEP_SRC_LEDGER_SHA256_H_
#define UPKEEP_SRC_LEDGER_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "upkeep/ledger/journal.h"

namespace upkeep::ledger {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view bytes);
  void Update(const Digest& digest);
  Digest Finish();  // the object must not be used afterwards
  // Update(last), then Finish(): in one compression call when the bytes buffered, `last` and
  // the padding fit in two blocks. The object must not be used afterwards.
  Digest FinishWith(std::string_view last);

 private:
  void Compress(const uint8_t* block);  // portable
  // With the CPU's SHA extensions when it has them (sha256_x86.h), else Compress.
  void CompressBlocks(const uint8_t* data, size_t blocks);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// SHA-256 of `bytes`.
Digest Sha256Of(std::string_view bytes);

// The journal's chain hash of an entry: SHA-256(previous || entry), where `previous` is the
// chain hash of the entry before it (32 zero bytes before the first).
Digest ChainHash(const Digest& previous, std::string_view entry);

// Tests only: use the CPU's SHA extensions (when it has them; the default) or the portable code.
// Returns whether the CPU has them.
bool SetShaExtensionsForTesting(bool enabled);

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_SHA256_H_
