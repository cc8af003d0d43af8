#include "upkeep/utf8.h"

#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "upkeep/status.h"

namespace upkeep {

size_t FirstInvalidUtf8Byte(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    // Ids and names are mostly ASCII: eight bytes at a time while none has its high bit, and
    // the last few (all of a short cell) at once when none of them has.
    if (size - i >= 8) {
      uint64_t word = 0;
      std::memcpy(&word, bytes + i, 8);
      if ((word & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    } else {
      unsigned char high_bits = 0;
      for (size_t k = i; k < size; ++k) high_bits |= bytes[k];
      if (high_bits < 0x80) return size;
    }
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t min_code_point = 0;
    uint32_t code_point = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      min_code_point = 0x80;
      code_point = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      min_code_point = 0x800;
      code_point = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      min_code_point = 0x10000;
      code_point = lead & 0x07u;
    } else {
      return i;  // a continuation byte or 0xF8..0xFF as a lead
    }
    if (size - i < length) return i;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = bytes[i + k];
      if ((next & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    const bool overlong = code_point < min_code_point;
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) return i;
    i += length;
  }
  return size;
}

absl::Status CheckUtf8(std::string_view text, std::string_view what) {
  const size_t bad = FirstInvalidUtf8Byte(text);
  if (bad == text.size()) return absl::OkStatus();
  return MakeError(ErrorCode::kInvalidUtf8,
                   absl::StrCat(AsAbsl(what), ": invalid UTF-8 at byte ", bad));
}

}  // namespace upkeep
