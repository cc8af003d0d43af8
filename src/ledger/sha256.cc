#include "ledger/sha256.h"

#include <atomic>
#include <bit>
#include <cstring>

#include "ledger/sha256_x86.h"

namespace upkeep::ledger {
namespace {

constexpr std::array<uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::array<uint32_t, 8> kInitial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

constexpr uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

uint32_t LoadBigEndian(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Writes `value` at `p`, most significant byte first, whatever the machine's byte order: one
// byte swap and one store (byte-wide stores, which the compiler kept as they were, made the
// compression's wide loads of the last block wait: BM_JournalSeal 135 -> 148 ns).
template <typename Word>
void StoreBigEndian(Word value, uint8_t* p) {
  static_assert(sizeof(Word) == 4 || sizeof(Word) == 8);
  if constexpr (std::endian::native == std::endian::little) {
    if constexpr (sizeof(Word) == 4) {
      value = __builtin_bswap32(value);
    } else {
      value = __builtin_bswap64(value);
    }
  }
  std::memcpy(p, &value, sizeof value);
}

std::atomic<bool> use_sha_extensions{CpuHasShaExtensions()};

}  // namespace

bool SetShaExtensionsForTesting(bool enabled) {
  const bool available = CpuHasShaExtensions();
  use_sha_extensions = enabled && available;
  return available;
}

Sha256::Sha256() : state_(kInitial) {}

void Sha256::CompressBlocks(const uint8_t* data, size_t blocks) {
  if (use_sha_extensions.load(std::memory_order_relaxed)) {
    CompressShaExtensions(state_.data(), kRound.data(), data, blocks);
    return;
  }
  for (; blocks > 0; --blocks, data += 64) Compress(data);
}

void Sha256::Compress(const uint8_t* block) {
  std::array<uint32_t, 64> w;
  for (size_t i = 0; i < 16; ++i) w[i] = LoadBigEndian(block + 4 * i);
  for (size_t i = 16; i < 64; ++i) {
    const uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
  for (size_t i = 0; i < 64; ++i) {
    const uint32_t s1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
    const uint32_t choose = (e & f) ^ (~e & g);
    const uint32_t t1 = h + s1 + choose + kRound[i] + w[i];
    const uint32_t s0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
    const uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
    const uint32_t t2 = s0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
  state_[5] += f;
  state_[6] += g;
  state_[7] += h;
}

void Sha256::Update(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size();
  total_bytes_ += n;
  if (buffered_ > 0) {
    const size_t take = std::min(n, buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, p, take);
    buffered_ += take;
    p += take;
    n -= take;
    if (buffered_ < buffer_.size()) return;
    CompressBlocks(buffer_.data(), 1);
    buffered_ = 0;
  }
  const size_t blocks = n / 64;
  CompressBlocks(p, blocks);
  p += 64 * blocks;
  n -= 64 * blocks;
  std::memcpy(buffer_.data(), p, n);
  buffered_ = n;
}

void Sha256::Update(const Digest& digest) {
  Update(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Digest Sha256::Finish() { return FinishWith({}); }

Digest Sha256::FinishWith(std::string_view last) {
  constexpr size_t kLengthBytes = 8;
  // What is buffered, `last`, 0x80 and the length must fit in two blocks; else `last` goes
  // through Update first and only the buffered rest is finished here.
  if (buffered_ + last.size() + 1 + kLengthBytes > 128) {
    Update(last);
    return Finish();
  }
  // The final blocks are built in one stack buffer, after a copy of the buffered bytes, and
  // compressed in one call: the message's last bytes, 0x80, zeros, and its length in bits,
  // big-endian, in the last 8 bytes. (Padding built apart and fed through Update took a tenth
  // of the import's writer thread, which chains a hash for every journal entry.)
  std::array<uint8_t, 128> blocks;
  std::memcpy(blocks.data(), buffer_.data(), buffered_);
  if (!last.empty()) std::memcpy(blocks.data() + buffered_, last.data(), last.size());
  const size_t used = buffered_ + last.size();
  const size_t block_count = used + 1 + kLengthBytes <= 64 ? 1 : 2;
  const size_t length_at = 64 * block_count - kLengthBytes;
  blocks[used] = 0x80;
  std::memset(blocks.data() + used + 1, 0, length_at - used - 1);
  StoreBigEndian((total_bytes_ + last.size()) * 8, blocks.data() + length_at);
  CompressBlocks(blocks.data(), block_count);
  Digest out;
  for (size_t i = 0; i < 8; ++i) StoreBigEndian(state_[i], out.data() + 4 * i);
  return out;
}

Digest Sha256Of(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.Finish();
}

Digest ChainHash(const Digest& previous, std::string_view entry) {
  Sha256 h;
  h.Update(previous);
  return h.FinishWith(entry);  // an entry of up to 87 bytes: two blocks, one call
}

}  // namespace upkeep::ledger
