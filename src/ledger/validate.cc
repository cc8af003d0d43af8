#include "ledger/validate.h"

#include "ledger/text.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::ledger::validate_internal {

absl::Status CheckIdFully(std::string_view id, std::string_view what) {
  if (id.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, StrCat(what, " must not be empty"));
  }
  if (id.size() > kMaxIdBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(what, " is longer than ", kMaxIdBytes, " bytes"));
  }
  return CheckUtf8(id, what);
}

absl::Status CheckTextFully(std::string_view text, std::string_view what) {
  if (text.size() > kMaxTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(what, " is longer than ", kMaxTextBytes, " bytes"));
  }
  return CheckUtf8(text, what);
}

}  // namespace upkeep::ledger::validate_internal
