#include "ledger/codec.h"

#include <algorithm>

#include "ledger/text.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::ledger {

void PutVarint(uint64_t value, std::string* out) {
  char bytes[kMaxVarintBytes];
  out->append(bytes, WriteVarint(value, bytes));
}

void PutSigned(int64_t value, std::string* out) {
  char bytes[kMaxVarintBytes];
  out->append(bytes, WriteSigned(value, bytes));
}

void PutString(std::string_view text, std::string* out) {
  PutVarint(text.size(), out);
  out->append(text);
}

uint8_t Reader::Byte(std::string_view what) {
  if (rest_.empty()) return Fail(what, "truncated"), 0;
  const auto b = static_cast<uint8_t>(rest_[0]);
  rest_.remove_prefix(1);
  return b;
}

uint64_t Reader::Varint(std::string_view what) {
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

int64_t Reader::Signed(std::string_view what) {
  const uint64_t zz = Varint(what);
  return static_cast<int64_t>((zz >> 1) ^ (~(zz & 1) + 1));
}

uint64_t Reader::Bounded(std::string_view what, uint64_t max) {
  const uint64_t value = Varint(what);
  if (value > max) return Fail(what, StrCat("value ", value, " is over ", max)), 0;
  return value;
}

std::string_view Reader::Raw(std::string_view what, uint64_t size) {
  if (!status_.ok()) return {};
  if (size > rest_.size()) return Fail(what, "truncated"), std::string_view();
  const std::string_view bytes = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return bytes;
}

std::string_view Reader::Text(std::string_view what) {
  const uint64_t size = Varint(what);
  const std::string_view text = Raw(what, size);
  if (!IsValidUtf8(text)) return Fail(what, "invalid UTF-8"), std::string_view();
  return text;
}

std::string Reader::String(std::string_view what) { return std::string(Text(what)); }

void Reader::Fail(std::string_view what, std::string_view problem) {
  if (status_.ok()) {
    status_ = MakeError(ErrorCode::kCorrupt, StrCat(prefix_, " ", what, ": ", problem));
  }
}

}  // namespace upkeep::ledger
