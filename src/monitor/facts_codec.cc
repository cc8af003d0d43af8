// Facts as bytes: "UPKF", a format varint, the periods, the customers, the scopes (unknown ones
// as a 0 byte) and the spend columns, in index order, so that indices and ScopeIds come back
// the same. Varints as in ledger/codec.h. Format 2 writes each spend's time as the difference
// from the spend before (spends come in time order: mostly one byte, where a time is eight);
// format 1, read still, wrote the times themselves.
#include <algorithm>
#include <string>

#include "ledger/codec.h"
#include "upkeep/monitor/facts.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

using ledger::PutSigned;
using ledger::PutString;
using ledger::PutVarint;

constexpr std::string_view kMagic = "UPKF";
constexpr uint64_t kFormat = 2;
constexpr uint64_t kFormatWithTimes = 1;
constexpr uint64_t kMaxCount = uint64_t{1} << 32;
// The fewest bytes a scope (its known flag and five numbers) and a spend (three numbers) take:
// a count in damaged bytes cannot make Decode allocate for more than the bytes could hold.
constexpr uint64_t kMinScopeBytes = 6;
constexpr uint64_t kMinSpendBytes = 3;

void PutBalance(const ledger::Balance& balance, std::string* out) {
  PutSigned(balance.budget_minor, out);
  PutSigned(balance.reserved_minor, out);
  PutSigned(balance.spent_minor, out);
  PutSigned(balance.available_minor, out);
  PutSigned(balance.budget_version, out);
}

ledger::Balance GetBalance(ledger::Reader& in) {
  ledger::Balance balance;
  balance.budget_minor = in.Signed("budget");
  balance.reserved_minor = in.Signed("reserved");
  balance.spent_minor = in.Signed("spent");
  balance.available_minor = in.Signed("available");
  balance.budget_version = static_cast<int32_t>(in.Signed("budget version"));
  return balance;
}

// An index into a table of `size` entries, or kNoIndex (written as 0; index i as i + 1).
void PutIndex(int32_t index, std::string* out) {
  PutVarint(index == kNoIndex ? 0 : static_cast<uint64_t>(index) + 1, out);
}
int32_t GetIndex(ledger::Reader& in, std::string_view what, size_t size) {
  const uint64_t value = in.Bounded(what, size);
  return value == 0 ? kNoIndex : static_cast<int32_t>(value - 1);
}

}  // namespace

std::string Facts::Encode() const {
  std::string out(kMagic);
  PutVarint(kFormat, &out);
  PutVarint(periods_.size(), &out);
  for (const ledger::Period& period : periods_) {
    PutString(period.id, &out);
    PutSigned(period.start_micros, &out);
    PutSigned(period.end_micros, &out);
  }
  PutVarint(customers_.size(), &out);
  for (const CustomerFacts& customer : customers_) {
    for (const std::string* text :
         {&customer.id, &customer.tier, &customer.owner, &customer.region}) {
      PutString(*text, &out);
    }
  }
  PutVarint(scopes_.size(), &out);
  for (const ScopeFacts& scope : scopes_) {
    out.push_back(scope.known ? '\1' : '\0');
    if (scope.known) {
      PutString(scope.ref.period, &out);
      out.push_back(static_cast<char>(scope.ref.kind));
      PutString(scope.ref.key, &out);
      PutString(scope.ref.category, &out);
      PutIndex(scope.period, &out);
      PutIndex(scope.customer, &out);
    }
    PutBalance(scope.balance, &out);
  }
  PutVarint(spends_.size(), &out);
  // Most spends take 6 to 8 bytes; a chunk's room is made for the most they may take.
  out.reserve(out.size() + spends_.size() * 8 + 4096 * 3 * ledger::kMaxVarintBytes);
  uint64_t time_before = 0;  // times as unsigned: a difference wraps around, and back
  ledger::AppendRecords(
      spends_.size(), [](size_t) { return 3 * ledger::kMaxVarintBytes; },
      [&](size_t i, char* dst) {
        const auto time = static_cast<uint64_t>(spends_.time_micros[i]);
        dst = ledger::WriteVarint(spends_.scope[i], dst);
        dst = ledger::WriteSigned(static_cast<int64_t>(time - time_before), dst);
        time_before = time;
        return ledger::WriteSigned(spends_.amount_minor[i], dst);
      },
      &out);
  return out;
}

absl::StatusOr<Facts> Facts::Decode(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    return MakeError(ErrorCode::kCorrupt, "monitor facts: not encoded facts");
  }
  ledger::Reader in(bytes.substr(kMagic.size()), "monitor facts");
  const uint64_t format = in.Varint("format");
  if (in.ok() && format != kFormat && format != kFormatWithTimes) {
    return MakeError(ErrorCode::kUnsupportedVersion,
                     "monitor facts: format " + std::to_string(format) + " is not known here");
  }
  Facts facts;
  const uint64_t periods = in.Bounded("periods", kMaxCount);
  for (uint64_t i = 0; in.ok() && i < periods; ++i) {
    ledger::Period period;
    period.id = in.String("period id");
    period.start_micros = in.Signed("period start");
    period.end_micros = in.Signed("period end");
    facts.AddPeriod(period);
  }
  const uint64_t customers = in.Bounded("customers", kMaxCount);
  for (uint64_t i = 0; in.ok() && i < customers; ++i) {
    CustomerFacts customer;
    for (std::string* text : {&customer.id, &customer.tier, &customer.owner, &customer.region}) {
      *text = in.String("customer");
    }
    facts.AddCustomer(customer);
  }
  const uint64_t scopes =
      in.Bounded("scopes", std::min<uint64_t>(kMaxCount, in.remaining_bytes() / kMinScopeBytes));
  facts.scopes_.resize(scopes);
  facts.spent_minor_.resize(scopes);
  for (uint64_t id = 0; in.ok() && id < scopes; ++id) {
    ScopeFacts& scope = facts.scopes_[id];
    scope.known = in.Byte("scope known") != 0;
    if (scope.known) {
      scope.ref.period = in.String("scope period");
      const uint8_t kind = in.Byte("scope kind");
      if (kind > static_cast<uint8_t>(ledger::ScopeKind::kRegion)) in.Fail("scope kind", "unknown");
      scope.ref.kind = static_cast<ledger::ScopeKind>(kind);
      scope.ref.key = in.String("scope key");
      scope.ref.category = in.String("scope category");
      scope.period = GetIndex(in, "scope period index", facts.periods_.size());
      scope.customer = GetIndex(in, "scope customer index", facts.customers_.size());
      if (in.ok())
        facts.scope_index_.emplace(scope.ref.ToString(), static_cast<ledger::ScopeId>(id));
    }
    scope.balance = GetBalance(in);
    facts.spent_minor_[id] = scope.balance.spent_minor;
  }
  const uint64_t spends = in.Bounded("spends", in.remaining_bytes() / kMinSpendBytes);
  facts.spends_.scope.reserve(spends);
  facts.spends_.time_micros.reserve(spends);
  facts.spends_.amount_minor.reserve(spends);
  uint64_t time_before = 0;
  for (uint64_t i = 0; in.ok() && i < spends; ++i) {
    facts.spends_.scope.push_back(
        static_cast<ledger::ScopeId>(in.Bounded("spend scope", scopes == 0 ? 0 : scopes - 1)));
    const auto written = static_cast<uint64_t>(in.Signed("spend time"));
    const uint64_t time = format == kFormatWithTimes ? written : time_before + written;
    facts.spends_.time_micros.push_back(static_cast<int64_t>(time));
    facts.spends_.amount_minor.push_back(in.Signed("spend amount"));
    time_before = time;
  }
  if (in.ok() && !in.done()) in.Fail("end", "bytes after the spends");
  if (!in.ok()) return in.status();
  return facts;
}

}  // namespace upkeep::monitor
