// ledger/text.h: StrCat / StrAppend that also take std::string_view. Internal.
//
// Debian's Abseil has its own absl::string_view, which std::string_view does not convert to;
// these forward to Abseil, converting std::string_view arguments on the way.
#ifndef UPKEEP_SRC_LEDGER_TEXT_H_
#define UPKEEP_SRC_LEDGER_TEXT_H_

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/absl_compat.h"

namespace upkeep::ledger {

template <typename T>
decltype(auto) ToAbslArg(const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return AsAbsl(value);
  } else {
    return value;
  }
}

template <typename... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(ToAbslArg(args)...);
}

template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  absl::StrAppend(out, ToAbslArg(args)...);
}

// A std::string_view of an Abseil one (status messages).
inline std::string_view FromAbsl(absl::string_view text) {
  return std::string_view(text.data(), text.size());
}

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_TEXT_H_
