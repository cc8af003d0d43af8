// ledger/validate.h: checks on text that enters the ledger. Internal.
#ifndef UPKEEP_SRC_LEDGER_VALIDATE_H_
#define UPKEEP_SRC_LEDGER_VALIDATE_H_

#include <string_view>

#include "absl/status/status.h"

namespace upkeep::ledger {

inline constexpr size_t kMaxIdBytes = 256;
inline constexpr size_t kMaxTextBytes = 4096;

namespace validate_internal {

// True when `text` is at most 16 bytes, all ASCII: the common id or reason, passed without a
// call.
inline bool IsShortAscii(std::string_view text) {
  if (text.size() > 16) return false;
  unsigned char high_bits = 0;
  for (const char c : text) high_bits |= static_cast<unsigned char>(c);
  return high_bits < 0x80;
}

absl::Status CheckIdFully(std::string_view id, std::string_view what);
absl::Status CheckTextFully(std::string_view text, std::string_view what);

}  // namespace validate_internal

// kInvalidArgument if empty or longer than kMaxIdBytes; kInvalidUtf8 if not UTF-8.
inline absl::Status CheckId(std::string_view id, std::string_view what) {
  if (!id.empty() && validate_internal::IsShortAscii(id)) return absl::OkStatus();
  return validate_internal::CheckIdFully(id, what);
}
// kInvalidArgument if longer than kMaxTextBytes; kInvalidUtf8 if not UTF-8. May be empty.
inline absl::Status CheckText(std::string_view text, std::string_view what) {
  if (validate_internal::IsShortAscii(text)) return absl::OkStatus();
  return validate_internal::CheckTextFully(text, what);
}

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_VALIDATE_H_
