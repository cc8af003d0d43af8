// ledger/codec.h: the varint encoding shared by events and snapshots. Internal.
//
// Unsigned integers are LEB128 varints, signed ones zig-zag varints, strings a varint length
// and then UTF-8 bytes. A Reader keeps the first problem it meets (kCorrupt "<what>: <problem>"
// with its prefix) and returns zero values after it, so a decoder reads on and checks once.
//
// A writer that knows a bound on its size (EncodeEvent) grows its string once and writes through
// a pointer with the Write* functions; the Put* functions append one value to a string.
// Thread safety: none needed (values on the stack).
#ifndef UPKEEP_SRC_LEDGER_CODEC_H_
#define UPKEEP_SRC_LEDGER_CODEC_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "base/copy_bytes.h"
#include "upkeep/utf8.h"

namespace upkeep::ledger {

// The most bytes one varint takes (a uint64_t, 7 bits a byte).
inline constexpr size_t kMaxVarintBytes = 10;

// Writes `value` at `dst`, which has room for kMaxVarintBytes; returns the end of what it wrote.
inline char* WriteVarint(uint64_t value, char* dst) {
  while (value >= 0x80) {
    *dst++ = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  *dst++ = static_cast<char>(value);
  return dst;
}

// Zig-zag: 0, -1, 1, -2, ... travel as 0, 1, 2, 3, ...
inline char* WriteSigned(int64_t value, char* dst) {
  const uint64_t bits = static_cast<uint64_t>(value);
  return WriteVarint((bits << 1) ^ (value < 0 ? ~uint64_t{0} : 0), dst);
}

// The most bytes WriteString(text, ...) writes.
inline size_t MaxStringBytes(std::string_view text) { return kMaxVarintBytes + text.size(); }

// Writes the length of `text` and its bytes at `dst`, which has room for MaxStringBytes(text).
inline char* WriteString(std::string_view text, char* dst) {
  dst = WriteVarint(text.size(), dst);
  CopyBytes(dst, text.data(), text.size());  // inline for the short texts of an event
  return dst + text.size();
}

// Appends records [0, count) to `out` through the Write* functions: the room of a chunk of
// records (the sum of `max_bytes(i)`) is made at once, so no value checks the string's capacity.
// `write(i, dst)` writes record i at `dst` and returns the end of what it wrote.
template <typename MaxBytes, typename WriteRecord>
void AppendRecords(size_t count, MaxBytes max_bytes, WriteRecord write, std::string* out) {
  constexpr size_t kChunk = 4096;
  for (size_t first = 0; first < count; first += kChunk) {
    const size_t last = std::min(count, first + kChunk);
    size_t room = 0;
    for (size_t i = first; i < last; ++i) room += max_bytes(i);
    const size_t start = out->size();
    out->resize(start + room);
    char* const begin = out->data();
    char* dst = begin + start;
    for (size_t i = first; i < last; ++i) dst = write(i, dst);
    out->resize(static_cast<size_t>(dst - begin));
  }
}

void PutVarint(uint64_t value, std::string* out);
void PutSigned(int64_t value, std::string* out);
void PutString(std::string_view text, std::string* out);

class Reader {
 public:
  // `prefix` starts every error message ("event", "snapshot").
  Reader(std::string_view bytes, std::string_view prefix) : rest_(bytes), prefix_(prefix) {}

  uint8_t Byte(std::string_view what);
  uint64_t Varint(std::string_view what);
  int64_t Signed(std::string_view what);
  // A varint that must be at most `max` (a count or an index).
  uint64_t Bounded(std::string_view what, uint64_t max);
  // A length-prefixed UTF-8 string; "invalid UTF-8" if it is not.
  std::string String(std::string_view what);
  // The same, as a view into the bytes given to the constructor (valid as long as they are).
  std::string_view Text(std::string_view what);
  // `size` raw bytes.
  std::string_view Raw(std::string_view what, uint64_t size);
  void Fail(std::string_view what, std::string_view problem);
  bool ok() const { return status_.ok(); }
  bool done() const { return rest_.empty(); }
  size_t remaining_bytes() const { return rest_.size(); }
  const absl::Status& status() const { return status_; }

 private:
  std::string_view rest_;
  std::string_view prefix_;
  absl::Status status_;
};

// The reads of every field are inline (a decoder makes one per field); Fail is not.

inline uint8_t Reader::Byte(std::string_view what) {
  if (rest_.empty()) return Fail(what, "truncated"), 0;
  const auto b = static_cast<uint8_t>(rest_[0]);
  rest_.remove_prefix(1);
  return b;
}

inline uint64_t Reader::Varint(std::string_view what) {
  if (!status_.ok()) return 0;
  // At most kMaxVarintBytes are looked at, so the loop needs no check of the end per byte.
  // Bits past the 64th (in a tenth byte over 1) are dropped, as they always were.
  const size_t limit = std::min(rest_.size(), kMaxVarintBytes);
  const auto* bytes = reinterpret_cast<const unsigned char*>(rest_.data());
  uint64_t value = 0;
  for (size_t i = 0; i < limit; ++i) {
    value |= uint64_t{bytes[i] & 0x7fu} << (7 * i);
    if (bytes[i] < 0x80) {
      rest_.remove_prefix(i + 1);
      return value;
    }
  }
  return Fail(what, limit < kMaxVarintBytes ? "truncated" : "varint too long"), 0;
}

inline int64_t Reader::Signed(std::string_view what) {
  const uint64_t zz = Varint(what);
  return static_cast<int64_t>((zz >> 1) ^ (~(zz & 1) + 1));
}

inline std::string_view Reader::Raw(std::string_view what, uint64_t size) {
  if (!status_.ok()) return {};
  if (size > rest_.size()) return Fail(what, "truncated"), std::string_view();
  const std::string_view bytes = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return bytes;
}

inline std::string_view Reader::Text(std::string_view what) {
  const uint64_t size = Varint(what);
  const std::string_view text = Raw(what, size);
  if (!text.empty() && !IsValidUtf8(text)) return Fail(what, "invalid UTF-8"), std::string_view();
  return text;
}

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_CODEC_H_
