// ledger/sha256_x86.h: SHA-256 compression with the x86 SHA extensions. Internal.
//
// Sha256 (sha256.h) calls CompressShaExtensions instead of its portable rounds when
// CpuHasShaExtensions() says the CPU has them; the results are the same bytes.
// Thread safety: pure functions.
#ifndef UPKEEP_SRC_LEDGER_SHA256_X86_H_
#define UPKEEP_SRC_LEDGER_SHA256_X86_H_

#include <cstddef>
#include <cstdint>

namespace upkeep::ledger {

// True on an x86-64 CPU with SHA, SSSE3 and SSE4.1.
bool CpuHasShaExtensions();
// Compresses `blocks` 64-byte blocks of `data` into `state` (8 words, A..H);
// `round_constants` are the 64 K words. Only when CpuHasShaExtensions().
void CompressShaExtensions(uint32_t* state, const uint32_t* round_constants, const uint8_t* data,
                           size_t blocks);

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_SHA256_X86_H_
