// upkeep/monitor/facts.h: what the monitor has learned from the ledger's events.
//
// Facts follows a ledger through its observer events (Monitor feeds it; see monitor.h): the
// periods and their windows, the customers with their tier, owner and region, every scope
// (by the ledger's dense ScopeId) with its latest balance, and every change of a customer
// envelope's spent amount as a spend record (time, amount; refunds are negative). Reports
// (report.h) and effectiveness (effectiveness.h) read it.
//
// Encode / Decode turn facts into bytes and back, so that a host can keep them beside a ledger
// snapshot and go on from there instead of replaying the journal into a new Monitor (the
// command line does, cli/book_follower.h).
//
// Memory: spend records are stored as three columns, 20 bytes per record.
// Ownership: plain values. Thread safety: none of its own; Monitor guards its Facts with a lock
// and hands them out under it (Monitor::ReadFacts).
#ifndef UPKEEP_MONITOR_FACTS_H_
#define UPKEEP_MONITOR_FACTS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "upkeep/ledger/event.h"
#include "upkeep/ledger/observer.h"
#include "upkeep/ledger/types.h"

namespace upkeep::monitor {

inline constexpr int32_t kNoIndex = -1;

struct CustomerFacts {
  std::string id{};
  std::string tier{};
  std::string owner{};
  std::string region{};
};

struct ScopeFacts {
  bool known = false;  // described (ref filled)
  ledger::ScopeRef ref{};
  int32_t period = kNoIndex;    // index into Facts::periods
  int32_t customer = kNoIndex;  // envelopes: index into Facts::customers
  ledger::Balance balance{};
};

struct SpendColumns {
  std::vector<ledger::ScopeId> scope{};  // a customer envelope
  std::vector<int64_t> time_micros{};
  std::vector<int64_t> amount_minor{};  // the change of spent: > 0 spend, < 0 refund
  size_t size() const { return scope.size(); }
};

using ScopeDescriber = std::function<absl::StatusOr<ledger::ScopeRef>(ledger::ScopeId)>;

class Facts {
 public:
  // Learns from one applied event; new scope ids are described with `describe`.
  void Apply(const ledger::Event& event, std::span<const ledger::ScopeChange> changed,
             const ScopeDescriber& describe);
  void AddPeriod(const ledger::Period& period);
  void AddCustomer(const CustomerFacts& customer);
  // Makes room for `count` more spends in one step, for a host about to apply many (an
  // import): the columns then do not grow, copying, on the way. Changes nothing else.
  void ReserveSpends(size_t count);

  const std::vector<ledger::Period>& periods() const { return periods_; }
  const std::vector<CustomerFacts>& customers() const { return customers_; }
  const std::vector<ScopeFacts>& scopes() const { return scopes_; }
  const SpendColumns& spends() const { return spends_; }
  std::optional<int32_t> FindPeriod(std::string_view id) const;
  std::optional<int32_t> FindCustomer(std::string_view id) const;
  std::optional<ledger::ScopeId> FindScope(const ledger::ScopeRef& ref) const;
  // What scopes()[id].balance.spent_minor says (0 for a scope not seen yet), from a compact
  // column: reading it for every change does not load the scope's whole record.
  int64_t spent_minor(ledger::ScopeId id) const {
    return id < spent_minor_.size() ? spent_minor_[id] : 0;
  }
  // Makes room for `id` and learns its ref (once) through `describe`. Without a describer the
  // scope itself is not read (a follower that names scopes later applies each spend with one
  // cache line of its scope, not two).
  void Describe(ledger::ScopeId id, const ScopeDescriber& describe) {
    if (id >= scopes_.size()) {
      scopes_.resize(size_t{id} + 1);
      spent_minor_.resize(size_t{id} + 1);
    }
    if (describe && !scopes_[id].known) Learn(id, describe);
  }

  // The facts as bytes (facts_codec.cc), and back: Decode(Encode()) has the same periods,
  // customers, scopes and spends, and learns from later events as the original would.
  // Decode: kCorrupt naming what is damaged.
  std::string Encode() const;
  static absl::StatusOr<Facts> Decode(std::string_view bytes);

 private:
  // Describe's work for a scope not yet described: its ref, period, customer and index entry.
  void Learn(ledger::ScopeId id, const ScopeDescriber& describe);

  std::vector<ledger::Period> periods_{};
  absl::flat_hash_map<std::string, int32_t> period_index_{};
  std::vector<CustomerFacts> customers_{};
  absl::flat_hash_map<std::string, int32_t> customer_index_{};
  std::vector<ScopeFacts> scopes_{};
  // scopes_[i].balance.spent_minor again, 8 bytes a scope: Apply reads the spent amount before
  // each change here, where 10,000 envelopes take 80 KB that stay in cache, and only writes the
  // scope's own 150 bytes (a load that misses stalls the follower; a store does not).
  std::vector<int64_t> spent_minor_{};
  absl::flat_hash_map<std::string, ledger::ScopeId> scope_index_{};  // ScopeRef::ToString()
  SpendColumns spends_{};
};

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_FACTS_H_
