#include "book_follower.h"

#include <cstring>
#include <future>
#include <utility>

#include "base/second_thread.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "ledger/codec.h"
#include "ledger/sha256.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;

// Layout: "UPKW", a format varint, the entries covered, the chain hash after them, the
// directory, the facts (Facts::Encode) as a string, then the SHA-256 of everything before it.
constexpr std::string_view kMagic = "UPKW";
constexpr uint64_t kFormat = 1;
constexpr uint64_t kMaxCount = uint64_t{1} << 32;

void PutStrings(const std::vector<std::string>& texts, std::string* out) {
  lg::PutVarint(texts.size(), out);
  for (const std::string& text : texts) lg::PutString(text, out);
}

std::vector<std::string> GetStrings(lg::Reader& in, std::string_view what) {
  std::vector<std::string> texts;
  const uint64_t count = in.Bounded(what, in.remaining_bytes());
  for (uint64_t i = 0; in.ok() && i < count; ++i) texts.push_back(in.String(what));
  return texts;
}

void PutDirectory(const BookDirectory& directory, std::string* out) {
  lg::PutVarint(directory.actors.size(), out);
  for (const auto& [id, role] : directory.actors) {
    lg::PutString(id, out);
    out->push_back(static_cast<char>(role));
  }
  PutStrings(directory.categories, out);
  PutStrings(directory.tiers, out);
  lg::PutVarint(directory.customers.size(), out);
  for (const auto& [id, customer] : directory.customers) {
    for (const std::string* text :
         {&customer.id, &customer.tier, &customer.owner, &customer.region}) {
      lg::PutString(*text, out);
    }
  }
  lg::PutVarint(directory.periods.size(), out);
  for (const lg::Period& period : directory.periods) {
    lg::PutString(period.id, out);
    lg::PutSigned(period.start_micros, out);
    lg::PutSigned(period.end_micros, out);
  }
  PutStrings({directory.closed_periods.begin(), directory.closed_periods.end()}, out);
}

BookDirectory GetDirectory(lg::Reader& in) {
  BookDirectory directory;
  const uint64_t actors = in.Bounded("actors", kMaxCount);
  for (uint64_t i = 0; in.ok() && i < actors; ++i) {
    std::string id = in.String("actor");
    const uint8_t role = in.Byte("actor role");
    if (role > static_cast<uint8_t>(lg::Role::kAdmin)) in.Fail("actor role", "unknown");
    directory.actors[std::move(id)] = static_cast<lg::Role>(role);
  }
  directory.categories = GetStrings(in, "category");
  directory.tiers = GetStrings(in, "tier");
  const uint64_t customers = in.Bounded("customers", kMaxCount);
  for (uint64_t i = 0; in.ok() && i < customers; ++i) {
    lg::CustomerInfo customer;
    for (std::string* text : {&customer.id, &customer.tier, &customer.owner, &customer.region}) {
      *text = in.String("customer");
    }
    directory.customers[customer.id] = customer;
  }
  const uint64_t periods = in.Bounded("periods", kMaxCount);
  for (uint64_t i = 0; in.ok() && i < periods; ++i) {
    lg::Period period;
    period.id = in.String("period");
    period.start_micros = in.Signed("period start");
    period.end_micros = in.Signed("period end");
    directory.periods.push_back(std::move(period));
  }
  for (std::string& closed : GetStrings(in, "closed period")) {
    directory.closed_periods.insert(std::move(closed));
  }
  return directory;
}

}  // namespace

BookFollower BookFollower::FromSaved(std::string_view saved) {
  BookFollower follower;
  follower.lost_ = true;
  if (saved.size() < kMagic.size() + 32 || saved.substr(0, kMagic.size()) != kMagic) {
    return follower;
  }
  const std::string_view body = saved.substr(0, saved.size() - 32);
  const auto matches = [&](const lg::Digest& sum) {
    return std::memcmp(sum.data(), saved.data() + body.size(), sum.size()) == 0;
  };
  // A small follower is checked before it is decoded. A large one is hashed on a second thread
  // while it is decoded (damaged bytes decode safely: every count is bounded by the bytes left),
  // and what was decoded counts only if the checksum matches.
  const bool hash_aside = body.size() >= kHashAsideBytes;
  std::future<lg::Digest> checksum =
      OnSecondThreadIf(hash_aside, [body] { return lg::Sha256Of(body); });
  if (!hash_aside && !matches(checksum.get())) return follower;
  lg::Reader in(body.substr(kMagic.size()), "follower");
  if (in.Varint("format") != kFormat) return follower;
  const uint64_t entries = in.Varint("entries");
  const std::string_view head = in.Raw("head", 32);
  BookDirectory directory = GetDirectory(in);
  const std::string_view facts_bytes =
      in.Raw("facts", in.Bounded("facts size", in.remaining_bytes()));
  if (!in.ok() || !in.done()) return follower;
  absl::StatusOr<monitor::Facts> facts = monitor::Facts::Decode(facts_bytes);
  if (!facts.ok() || (hash_aside && !matches(checksum.get()))) return follower;
  follower.lost_ = false;
  follower.next_seq_ = entries;
  std::memcpy(follower.head_.data(), head.data(), follower.head_.size());
  follower.check_head_ = true;
  follower.directory_ = std::move(directory);
  follower.facts_ = *std::move(facts);
  return follower;
}

void BookFollower::OnApplied(const lg::Event& event, std::span<const lg::ScopeChange> changed) {
  if (lost_ || event.seq < next_seq_) return;
  if (event.seq > next_seq_ || !LearnDefinition(event, directory_).ok()) {
    lost_ = true;
    return;
  }
  // Scopes are named later (facts()): the ledger may not be there yet to name them.
  facts_.Apply(event, changed, monitor::ScopeDescriber());
  ++next_seq_;
}

absl::Status BookFollower::CheckHead(store::Store& store) {
  if (!check_head_ || lost_) return absl::OkStatus();
  check_head_ = false;
  if (next_seq_ > store.size()) {
    lost_ = true;
    return absl::OkStatus();
  }
  absl::StatusOr<lg::Digest> there = store.HeadAt(next_seq_);
  if (!there.ok() && !absl::IsUnimplemented(there.status())) return there.status();
  if (there.ok() && *there != head_) lost_ = true;
  return absl::OkStatus();
}

absl::Status BookFollower::Rebuild(const store::Store& store, Currency currency) {
  BookFollower fresh;
  lg::MemoryJournal scratch;
  lg::LedgerOptions replay;
  replay.currency = currency;
  replay.journal = &scratch;
  replay.bootstrap_admin = kBookAdmin;
  replay.observers = {&fresh};
  UPKEEP_RETURN_IF_ERROR(lg::Ledger::Replay(store, std::move(replay)).status());
  if (fresh.lost_) {
    return MakeError(ErrorCode::kCorrupt,
                     store.uri() + ": a definition in the journal is missing its arguments");
  }
  *this = std::move(fresh);
  return absl::OkStatus();
}

const monitor::Facts& BookFollower::facts(const lg::Ledger& ledger) {
  const monitor::ScopeDescriber describe = [&ledger](lg::ScopeId id) {
    return ledger.DescribeScope(id);
  };
  for (size_t id = 0; id < facts_.scopes().size(); ++id) {
    if (!facts_.scopes()[id].known) facts_.Describe(static_cast<lg::ScopeId>(id), describe);
  }
  return facts_;
}

const monitor::Facts* BookFollower::named_facts() const {
  for (const monitor::ScopeFacts& scope : facts_.scopes()) {
    if (!scope.known) return nullptr;
  }
  return &facts_;
}

std::string BookFollower::Save(const lg::Digest& head) const {
  std::string out(kMagic);
  lg::PutVarint(kFormat, &out);
  lg::PutVarint(next_seq_, &out);
  out.append(reinterpret_cast<const char*>(head.data()), head.size());
  PutDirectory(directory_, &out);
  const std::string facts = facts_.Encode();  // bytes, not text: a size, then the bytes
  lg::PutVarint(facts.size(), &out);
  out += facts;
  const lg::Digest checksum = lg::Sha256Of(out);
  out.append(reinterpret_cast<const char*>(checksum.data()), checksum.size());
  return out;
}

}  // namespace upkeep::cli
