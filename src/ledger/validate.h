// ledger/validate.h: checks on text that enters the ledger. Internal.
#ifndef UPKEEP_SRC_LEDGER_VALIDATE_H_
#define UPKEEP_SRC_LEDGER_VALIDATE_H_

#include <string_view>

#include "absl/status/status.h"

namespace upkeep::ledger {

inline constexpr size_t kMaxIdBytes = 256;
inline constexpr size_t kMaxTextBytes = 4096;

// kInvalidArgument if empty or longer than kMaxIdBytes; kInvalidUtf8 if not UTF-8.
absl::Status CheckId(std::string_view id, std::string_view what);
// kInvalidArgument if longer than kMaxTextBytes; kInvalidUtf8 if not UTF-8. May be empty.
absl::Status CheckText(std::string_view text, std::string_view what);

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_VALIDATE_H_
