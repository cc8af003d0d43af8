#include "customer/config_errors.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/absl_compat.h"
#include "upkeep/status.h"

namespace upkeep::customer_internal {
namespace {

bool IsIndex(absl::string_view segment) {
  if (segment.empty()) return false;
  for (char c : segment) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "weights/0/metric" -> "weights[0].metric".
std::string StructFieldName(std::string_view field) {
  std::string out;
  for (absl::string_view segment : absl::StrSplit(AsAbsl(field), '/')) {
    if (IsIndex(segment)) {
      absl::StrAppend(&out, "[", segment, "]");
    } else {
      absl::StrAppend(&out, out.empty() ? "" : ".", segment);
    }
  }
  return out;
}

}  // namespace

ConfigErrors ConfigErrors::ForStruct(std::string_view classifier) {
  return ConfigErrors(/*json=*/false, classifier);
}

ConfigErrors ConfigErrors::ForSection(std::string_view section_path) {
  return ConfigErrors(/*json=*/true, section_path);
}

absl::Status ConfigErrors::At(std::string_view field, std::string_view message) const {
  if (json_) {
    // The JSON Pointer of the field; "/" names the document root.
    const std::string path = absl::StrCat(prefix_, field.empty() ? "" : "/", AsAbsl(field));
    return MakeError(
        ErrorCode::kPolicyInvalid,
        absl::StrCat(path.empty() ? absl::string_view("/") : path, ": ", AsAbsl(message)));
  }
  if (field.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, absl::StrCat(prefix_, ": ", AsAbsl(message)));
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   absl::StrCat(prefix_, ": ", StructFieldName(field), ": ", AsAbsl(message)));
}

}  // namespace upkeep::customer_internal
