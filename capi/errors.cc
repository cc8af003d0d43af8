// capi/errors.cc: version, status names, the thread-local last error, library-owned strings.
#include <cstdlib>
#include <string>

#include "capi/internal.h"
#include "upkeep/status.h"

namespace upkeep::capi {
namespace {

thread_local std::string last_error;

static_assert(UPK_CALLBACK_FAILED == static_cast<int>(ErrorCode::kCallbackFailed),
              "upk_status must mirror upkeep::ErrorCode");
static_assert(UPK_NULL_ARGUMENT == static_cast<int>(ErrorCode::kNullArgument));
static_assert(UPK_INVALID_UTF8 == static_cast<int>(ErrorCode::kInvalidUtf8));

}  // namespace

upk_status Fail(upk_status code, std::string_view message) {
  try {
    last_error.assign(message.data(), message.size());
  } catch (...) {
    last_error.clear();
  }
  return code;
}

upk_status FromStatus(const absl::Status& status) {
  if (status.ok()) return UPK_OK;
  return Fail(static_cast<upk_status>(ErrorCodeOf(status)),
              std::string_view(status.message().data(), status.message().size()));
}

const std::string& LastError() { return last_error; }

}  // namespace upkeep::capi

using upkeep::capi::Fail;

extern "C" {

const char* upk_version(void) { return UPK_VERSION_STRING; }

int32_t upk_version_number(void) { return UPK_VERSION_NUMBER; }

const char* upk_status_name(upk_status status) {
  // ErrorCodeName returns views of string literals, so data() is NUL-terminated and static.
  return upkeep::ErrorCodeName(static_cast<upkeep::ErrorCode>(status)).data();
}

const char* upk_last_error_message(void) { return upkeep::capi::LastError().c_str(); }

upk_status upk_callback_fail(const char* message) {
  return Fail(UPK_CALLBACK_FAILED, message == nullptr ? "callback failed" : message);
}

void upk_string_free(char* text) { std::free(text); }

}  // extern "C"
