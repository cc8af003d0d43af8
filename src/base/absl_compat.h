// base/absl_compat.h: bridges std::string_view to Debian's Abseil (not public).
//
// Debian 12 builds Abseil with ABSL_OPTION_USE_STD_STRING_VIEW=0, so absl::string_view is its
// own type and absl::StrCat, absl::Status and absl::StrFormat do not take std::string_view.
// upkeep's interfaces use std::string_view; AsAbsl converts at the call into Abseil.
//
//   absl::StrCat("unknown metric \"", AsAbsl(name), "\"");
#ifndef UPKEEP_BASE_ABSL_COMPAT_H_
#define UPKEEP_BASE_ABSL_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace upkeep {

inline absl::string_view AsAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace upkeep

#endif  // UPKEEP_BASE_ABSL_COMPAT_H_
