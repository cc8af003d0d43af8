// upkeep/utf8.h: UTF-8 validation for every text that enters the engine.
//
// Ids, names and policy documents are UTF-8. Text that is not well-formed UTF-8 (overlong forms,
// surrogates, code points above U+10FFFF, truncated sequences) is rejected with kInvalidUtf8 and
// a message naming the field and the byte offset of the first bad byte.
//
//   UPKEEP_RETURN_IF_ERROR(upkeep::CheckUtf8(customer.id, "customer id"));
//
// Thread safety: pure functions.
#ifndef UPKEEP_UTF8_H_
#define UPKEEP_UTF8_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"

namespace upkeep {

// The offset of the first byte that makes `text` ill-formed, or text.size() if it is valid.
size_t FirstInvalidUtf8Byte(std::string_view text);

inline bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8Byte(text) == text.size(); }

// OK, or kInvalidUtf8: "<what>: invalid UTF-8 at byte <n>".
absl::Status CheckUtf8(std::string_view text, std::string_view what);

}  // namespace upkeep

#endif  // UPKEEP_UTF8_H_
