// ledger/codec.h: the varint encoding shared by events and snapshots. Internal.
//
// Unsigned integers are LEB128 varints, signed ones zig-zag varints, strings a varint length
// and then UTF-8 bytes. A Reader keeps the first problem it meets (kCorrupt "<what>: <problem>"
// with its prefix) and returns zero values after it, so a decoder reads on and checks once.
// Thread safety: none needed (values on the stack).
#ifndef UPKEEP_SRC_LEDGER_CODEC_H_
#define UPKEEP_SRC_LEDGER_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace upkeep::ledger {

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
  std::string String(std::string_view what);
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

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_CODEC_H_
