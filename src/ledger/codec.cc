#include "ledger/codec.h"

#include "ledger/text.h"
#include "upkeep/status.h"

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

uint64_t Reader::Bounded(std::string_view what, uint64_t max) {
  const uint64_t value = Varint(what);
  if (value > max) return Fail(what, StrCat("value ", value, " is over ", max)), 0;
  return value;
}

std::string Reader::String(std::string_view what) { return std::string(Text(what)); }

void Reader::Fail(std::string_view what, std::string_view problem) {
  if (status_.ok()) {
    status_ = MakeError(ErrorCode::kCorrupt, StrCat(prefix_, " ", what, ": ", problem));
  }
}

}  // namespace upkeep::ledger
