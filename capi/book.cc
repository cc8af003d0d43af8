// capi/book.cc: durable books: a ledger journaling into a store opened by URI.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "capi/internal.h"

namespace upkeep::capi {
namespace {

// The book behind a ledger handle; UPK_INVALID_ARGUMENT for a ledger from upk_ledger_new.
upk_status BookOf(const upk_ledger* ledger, store::Book** out) {
  if (upk_status s = NotNull(ledger, "book"); s != UPK_OK) return s;
  if (ledger->book == nullptr) {
    return Fail(UPK_INVALID_ARGUMENT,
                "this ledger is not a book (it was made by upk_ledger_new, not upk_book_open)");
  }
  *out = ledger->book.get();
  return UPK_OK;
}

upk_status StoreOptionsOf(const upk_book_options& o, store::StoreOptions* out) {
  if (o.durability != UPK_DURABILITY_SYNC_EACH_COMMIT &&
      o.durability != UPK_DURABILITY_GROUP_COMMIT) {
    return Fail(UPK_INVALID_ARGUMENT,
                absl::StrCat("options: durability ", o.durability, " is not an UPK_DURABILITY_"));
  }
  if (o.group_events_max == 0) {
    return Fail(UPK_INVALID_ARGUMENT, "options: group_events_max must be at least 1");
  }
  if (o.create_if_missing != 0 && o.create_if_missing != 1) {
    return Fail(UPK_INVALID_ARGUMENT, "options: create_if_missing must be 0 or 1");
  }
  *out = store::StoreOptions{.durability = static_cast<store::Durability>(o.durability),
                             .group_events_max = o.group_events_max,
                             .create_if_missing = o.create_if_missing == 1};
  return UPK_OK;
}

}  // namespace
}  // namespace upkeep::capi

using upkeep::capi::FromStatus;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

upk_status upk_book_open(upk_ledger** out, upk_str uri, const upk_book_options* options) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::CheckStruct(options, "options"); s != UPK_OK) return s;
    std::string_view where;
    if (upk_status s = upkeep::capi::Text(uri, "uri", &where); s != UPK_OK) return s;
    upkeep::store::BookOptions o{.snapshot_every_events = options->snapshot_every_events};
    if (upk_status s = upkeep::capi::StoreOptionsOf(*options, &o.store); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::LedgerOptionsOf(&options->ledger, "options.ledger", &o.ledger);
        s != UPK_OK) {
      return s;
    }
    auto l = std::make_unique<upk_ledger>();
    if (options->registry != nullptr) {
      absl::MutexLock lock(&l->mu);
      l->controls = options->registry->controls;
    }
    // Read while the book opens (Restore, Replay); the handle owns it, so it stays put.
    o.ledger.control_registry = &l->controls;
    absl::StatusOr<std::unique_ptr<upkeep::store::Book>> book =
        upkeep::store::Book::Open(where, std::move(o));
    if (!book.ok()) return FromStatus(book.status());
    l->book = *std::move(book);
    l->ledger = &l->book->ledger();
    l->journal = &l->book->store();
    *out = l.release();
    return UPK_OK;
  });
}

upk_status upk_book_commit(upk_ledger* book) {
  return Guard([&]() -> upk_status {
    upkeep::store::Book* b = nullptr;
    if (upk_status s = upkeep::capi::BookOf(book, &b); s != UPK_OK) return s;
    return FromStatus(b->Commit());
  });
}

upk_status upk_book_snapshot(uint64_t* out, upk_ledger* book) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::store::Book* b = nullptr;
    if (upk_status s = upkeep::capi::BookOf(book, &b); s != UPK_OK) return s;
    absl::StatusOr<uint64_t> covered = b->Snapshot();
    if (!covered.ok()) return FromStatus(covered.status());
    *out = *covered;
    return UPK_OK;
  });
}

upk_status upk_book_verify(const upk_ledger* book) {
  return Guard([&]() -> upk_status {
    upkeep::store::Book* b = nullptr;
    if (upk_status s = upkeep::capi::BookOf(book, &b); s != UPK_OK) return s;
    return FromStatus(b->Verify());
  });
}

upk_status upk_book_close(upk_ledger* book) {
  const upk_status closed = Guard([&]() -> upk_status {
    if (book == nullptr || book->book == nullptr) return UPK_OK;
    return FromStatus(book->book->Close());
  });
  upkeep::capi::GuardVoid([&] { delete book; });
  return closed;
}

}  // extern "C"
