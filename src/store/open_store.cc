// OpenStore: picks the store for a URI.
#include "base/status_macros.h"
#include "ledger/text.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "upkeep/status.h"
#include "upkeep/store/store.h"

namespace upkeep::store {

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri,
                                                 const StoreOptions& options) {
  if (uri == "memory:") return std::make_unique<MemoryStore>();
  std::string_view path = uri;
  if (path.starts_with("sqlite:")) {
    path.remove_prefix(7);
  } else if (const size_t colon = path.find(':');
             colon != std::string_view::npos && path.find('/') > colon) {
    return MakeError(ErrorCode::kInvalidArgument,
                     ledger::StrCat("store URI \"", uri,
                                    "\": unknown scheme (use sqlite:/path/book.db or memory:)"));
  }
  if (path.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     ledger::StrCat("store URI \"", uri, "\": no path"));
  }
  if (options.group_events_max == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "StoreOptions.group_events_max must be > 0");
  }
  if (const uint32_t page = options.new_book_page_bytes;
      page < 512 || page > 65536 || (page & (page - 1)) != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     ledger::StrCat("StoreOptions.new_book_page_bytes must be a power of two from "
                                    "512 to 65536, not ",
                                    page));
  }
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                          SqliteStore::Open(std::string(path), options));
  return store;
}

}  // namespace upkeep::store
