#include "ledger/codec.h"

#include "ledger/text.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::ledger {

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutSigned(int64_t value, std::string* out) {
  const uint64_t bits = static_cast<uint64_t>(value);
  PutVarint((bits << 1) ^ (value < 0 ? ~uint64_t{0} : 0), out);
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
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const uint8_t b = Byte(what);
    if (!status_.ok()) return 0;
    value |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return value;
  }
  return Fail(what, "varint too long"), 0;
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

std::string Reader::String(std::string_view what) {
  const uint64_t size = Varint(what);
  std::string text(Raw(what, size));
  if (!IsValidUtf8(text)) return Fail(what, "invalid UTF-8"), std::string();
  return text;
}

void Reader::Fail(std::string_view what, std::string_view problem) {
  if (status_.ok()) {
    status_ = MakeError(ErrorCode::kCorrupt, StrCat(prefix_, " ", what, ": ", problem));
  }
}

}  // namespace upkeep::ledger
