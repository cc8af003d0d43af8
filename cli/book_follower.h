// cli/book_follower.h: what the command line derives from a book's journal, kept with the book.
//
// Commands need the book's directory (book_directory.h) and reports the monitor's facts
// (upkeep/monitor/facts.h); both are functions of the journal. Reading them by replaying the
// whole journal costs about as much as the journal is long (seconds at a million entries), so
// a BookFollower keeps them instead: it observes the book's ledger (every event it applies,
// the journal tail replayed when the book opens included), and OpenedBook saves it in the book
// (property `follower`, book_settings.h) when it snapshots. The saved state names the journal
// entries it covers and the chain hash after them; it is used only when it continues this
// journal exactly: the same hash at its entry, and the replayed tail starting at or before it.
// Otherwise (a book written by another host, a crash between the snapshot and the save, a
// damaged value) the follower is rebuilt by replaying the whole journal, once.
//
//   BookFollower follower = BookFollower::FromSaved(saved);      // or BookFollower() for none
//   options.observers.push_back(&follower);                     // before the book opens
//   follower.CheckHead(store);                                   // after it opened
//   if (!follower.current(store.size())) ... rebuild ...
//
// Errors: CheckHead and Rebuild return the store's and the journal's (kCorrupt naming an
// entry); a saved state that does not decode is not an error (it is rebuilt).
// Ownership: plain values; the host keeps the follower alive as long as the ledger it observes.
// Thread safety: as an observer (the ledger's write lock); one command, one thread.
#ifndef UPKEEP_CLI_BOOK_FOLLOWER_H_
#define UPKEEP_CLI_BOOK_FOLLOWER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "book_directory.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/ledger/observer.h"
#include "upkeep/monitor/facts.h"
#include "upkeep/store/store.h"

namespace upkeep::cli {

class BookFollower final : public ledger::LedgerObserver {
 public:
  // A follower of an empty journal.
  BookFollower() = default;
  // The follower saved by Save(); one that follows nothing (never current) when `saved` is
  // empty or does not decode.
  static BookFollower FromSaved(std::string_view saved);

  // Learns an event: the next one it has not seen; an earlier one (a replayed tail that
  // starts before the saved state) is skipped; a later one means entries were missed.
  void OnApplied(const ledger::Event& event, std::span<const ledger::ScopeChange> changed) override;

  // Whether the saved state is of this journal: the chain hash after its entries must be the
  // journal's there. A mismatch makes the follower not current; only the store's errors fail.
  absl::Status CheckHead(store::Store& store);
  // Whether it holds what the first `entries` journal entries define (and nothing after).
  bool current(uint64_t entries) const { return !lost_ && next_seq_ == entries; }
  // Replays the whole journal of `store` into a new follower state (the ledger replays into a
  // scratch copy; `currency` is the book's).
  absl::Status Rebuild(const store::Store& store, Currency currency);

  // What it knows. facts() first names the scopes learned while the ledger was not yet there
  // to name them (scope ids and names are the ledger's).
  const BookDirectory& directory() const { return directory_; }
  const monitor::Facts& facts(const ledger::Ledger& ledger);
  // The facts when every scope is named already (a saved state: facts() named them before it
  // was saved), without a ledger; null when one is not.
  const monitor::Facts* named_facts() const;

  // Makes room for `count` more spends (monitor::Facts::ReserveSpends).
  void ReserveSpends(size_t count) { facts_.ReserveSpends(count); }

  // The state to keep in the book, with the chain hash after the entries it covers.
  std::string Save(const ledger::Digest& head) const;
  uint64_t entries() const { return next_seq_; }

 private:
  uint64_t next_seq_ = 0;  // the journal entries learned: [0, next_seq_)
  bool lost_ = false;      // an entry was missed, or the saved state was unusable
  ledger::Digest head_{};  // saved: the chain hash after next_seq_ entries
  bool check_head_ = false;
  BookDirectory directory_{};
  monitor::Facts facts_{};
};

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_FOLLOWER_H_
