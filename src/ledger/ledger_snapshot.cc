// Snapshots: the whole state of a ledger in one versioned, checksummed string.
//
// Layout: "UPKS", a format varint, the body, then the SHA-256 of everything before it. The body
// holds the currency, the journal entries covered and their chain head, every name table in
// index order (so indices and ScopeIds come back the same), the scopes, the operations, the
// expiry heap, the pending approvals and the policy document. Varints as in codec.h.
#include <algorithm>
#include <array>
#include <cstring>
#include <future>
#include <span>
#include <utility>

#include "base/second_thread.h"
#include "base/status_macros.h"
#include "ledger/codec.h"
#include "ledger/ledger_state.h"
#include "ledger/policy_document.h"
#include "ledger/reason_json.h"
#include "ledger/sha256.h"
#include "ledger/text.h"
#include "ledger/validate.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

constexpr std::string_view kMagic = "UPKS";
// Format 3 writes an operation's record without its fields that hold nothing (WriteOp): a spend
// takes about 7 bytes, not 13. Format 2, read still, wrote every field of a record; format 1 also
// wrote every name whole, an operation's fingerprint as it is (ten bytes for a payload without
// text) and its four small fields in a byte each. From format 2 each name is what it adds to
// the name before it (PutNames).
constexpr uint64_t kFormat = 3;
constexpr uint64_t kFormatUnpackedOps = 1;
constexpr uint64_t kFormatEveryOpField = 2;
constexpr uint64_t kMaxCount = uint64_t{1} << 32;
// From this many operations a snapshot's op ids and operations are written and read on two
// threads.
constexpr uint64_t kOpsOnTwoThreads = 100'000;

// kNone travels as 0, an index i as i + 1.
uint64_t IndexValue(uint32_t index) { return index == kNone ? 0 : uint64_t{index} + 1; }
void PutIndex(uint32_t index, std::string* out) { PutVarint(IndexValue(index), out); }
// The most bytes an index takes.
constexpr size_t kMaxIndexBytes = 5;
uint32_t GetIndex(Reader& in, std::string_view what, uint64_t size) {
  const uint64_t value = in.Bounded(what, size);
  return value == 0 ? kNone : static_cast<uint32_t>(value - 1);
}

// A name table: its size, then each name as the length of the prefix it shares with the name
// before it and the rest (sequential ids such as S0000001, S0000002 take three bytes, not nine).
void PutNames(const Interner& names, std::string* out) {
  PutVarint(names.size(), out);
  std::string_view previous;
  AppendRecords(
      names.size(),
      [&](size_t i) {
        return kMaxVarintBytes + MaxStringBytes(names.Name(static_cast<uint32_t>(i)));
      },
      [&](size_t i, char* dst) {
        const std::string_view name = names.Name(static_cast<uint32_t>(i));
        const size_t shared = static_cast<size_t>(
            std::mismatch(name.begin(), name.end(), previous.begin(), previous.end()).first -
            name.begin());
        previous = name;
        return WriteString(name.substr(shared), WriteVarint(shared, dst));
      },
      out);
}

// Reads the names of a table one after another, in snapshot format `format` (PutNames; format
// 1: each name whole). From format 2 a name longer than `max_bytes` (what the table's names may
// be: validate.h) is damage: without the bound, a snapshot could make each name a copy of a long
// one plus a byte, and take memory far beyond its size.
class NameReader {
 public:
  NameReader(uint64_t format, size_t max_bytes)
      : whole_(format == kFormatUnpackedOps), max_bytes_(max_bytes) {}

  // The next name: a view into the snapshot (format 1) or into `buffer`, where it is built.
  std::string_view Next(Reader& in, std::string_view what, std::string& buffer) {
    if (whole_) return in.Text(what);
    const uint64_t shared = in.Bounded(what, previous_.size());
    const std::string_view rest = in.Raw(what, in.Bounded(what, max_bytes_ - shared));
    if (!in.ok()) return {};
    previous_.resize(shared);
    previous_.append(rest);
    if (!IsValidUtf8(previous_)) return in.Fail(what, "invalid UTF-8"), std::string_view();
    buffer = previous_;
    return buffer;
  }
  // Moves `in` past the next name, unchecked.
  void Skip(Reader& in, std::string_view what) const {
    if (!whole_) in.Varint(what);
    in.Raw(what, in.Varint(what));
  }

 private:
  const bool whole_;
  const size_t max_bytes_;
  std::string previous_;  // at most max_bytes_
};

// The fingerprint of a payload without text: an operation's fingerprint travels XORed with it,
// so that the common case is one byte.
const uint64_t kNoTextFingerprint = Fingerprint("");

// The most bytes WriteOp writes: five 64-bit varints, three indices and the month (at most as
// long as an index), two bytes.
constexpr size_t kMaxOpBytes = 5 * kMaxVarintBytes + 4 * kMaxIndexBytes + 2;

// What the second byte of an operation's record says: its two flags, then which of the fields
// that most records leave empty follow.
constexpr unsigned kImplicitAmount = 1;
constexpr unsigned kReturned = 2;
constexpr unsigned kHasSettled = 4;
constexpr unsigned kHasRefunded = 8;
constexpr unsigned kHasExpiry = 16;
constexpr unsigned kHasText = 32;  // a fingerprint other than kNoTextFingerprint
constexpr unsigned kHasRef = 64;
constexpr unsigned kHasMonth = 128;  // other than the one expected (ExpectedMonth)

// Whether operations of `kind` record the month they were applied in (reserves and spends: the
// frequency limits count them by month); the others keep month 0.
bool RecordsMonth(OpKind kind) { return kind == OpKind::kReserve || kind == OpKind::kSpend; }

// The month a format-3 record leaves out: for a reserve or spend, the month of the last reserve
// or spend before it (`carried`, 0 before the first); for the others 0.
int32_t ExpectedMonth(OpKind kind, int32_t carried) { return RecordsMonth(kind) ? carried : 0; }

// An operation's record (format 3): kind | status << 3 | outcome << 6 in a byte, a byte of
// those bits (kImplicitAmount...), the amount, the settled, refunded and expiry amounts when not
// zero, the fingerprint (XORed with kNoTextFingerprint) when there is text, the actor and scope,
// the ref when there is one, the month when it is not `expected_month` (ExpectedMonth).
char* WriteOp(const Op& op, int32_t expected_month, char* dst) {
  static_assert(static_cast<int>(OpKind::kBudget) < 8 &&
                static_cast<int>(OpStatus::kWithdrawn) < 8 &&
                static_cast<int>(Outcome::kReject) < 4);
  *dst++ =
      static_cast<char>(static_cast<unsigned>(op.kind) | static_cast<unsigned>(op.status) << 3 |
                        static_cast<unsigned>(op.outcome) << 6);
  const uint64_t text = op.text_fingerprint ^ kNoTextFingerprint;
  const unsigned bits =
      (op.implicit_amount ? kImplicitAmount : 0) | (op.returned ? kReturned : 0) |
      (op.settled_minor != 0 ? kHasSettled : 0) | (op.refunded_minor != 0 ? kHasRefunded : 0) |
      (op.expiry_micros != 0 ? kHasExpiry : 0) | (text != 0 ? kHasText : 0) |
      (op.ref != kNone ? kHasRef : 0) | (op.month != expected_month ? kHasMonth : 0);
  *dst++ = static_cast<char>(bits);
  dst = WriteSigned(op.amount_minor, dst);
  if ((bits & kHasSettled) != 0) dst = WriteSigned(op.settled_minor, dst);
  if ((bits & kHasRefunded) != 0) dst = WriteSigned(op.refunded_minor, dst);
  if ((bits & kHasExpiry) != 0) dst = WriteSigned(op.expiry_micros, dst);
  if ((bits & kHasText) != 0) dst = WriteVarint(text, dst);
  dst = WriteVarint(IndexValue(op.actor), dst);
  dst = WriteVarint(IndexValue(op.scope), dst);
  if ((bits & kHasRef) != 0) dst = WriteVarint(IndexValue(op.ref), dst);
  if ((bits & kHasMonth) != 0) dst = WriteSigned(op.month, dst);
  return dst;
}

// Interns the `count` names that follow in `in`, in snapshot format `format`, each of at most
// `max_bytes`.
void InternNames(Reader& in, uint64_t format, size_t max_bytes, std::string_view what,
                 uint64_t count, Interner* names) {
  // Each name takes at least its length byte: a damaged count reserves no more than that.
  // An eighth more than the table holds: the journal's tail after the snapshot, replayed next,
  // adds names without growing the table (growing rehashes it and copies the views).
  const uint64_t expected = std::min<uint64_t>(count, in.remaining_bytes());
  names->Reserve(expected + expected / 8);
  // Interning a large table (the op ids) is bound by two cache misses per name: names are read
  // kAhead before they are interned and their slots prefetched meanwhile, so misses overlap.
  // Each name is hashed once.
  constexpr uint64_t kAhead = 16;
  struct Ahead {
    std::string_view name;  // into the snapshot or into `built`
    uint32_t tag = 0;
    std::string built;
  };
  std::array<Ahead, kAhead> ahead;
  NameReader reader(format, max_bytes);
  uint64_t read = 0;
  for (uint64_t i = 0; in.ok() && i < count; ++i) {
    for (; in.ok() && read < count && read < i + kAhead; ++read) {
      Ahead& next = ahead[read % kAhead];
      next.name = reader.Next(in, what, next.built);
      next.tag = Interner::TagOf(next.name);
      names->Prefetch(next.tag);
    }
    const Ahead& name = ahead[i % kAhead];
    if (in.ok() && !names->Intern(name.name, name.tag).second) in.Fail(what, "duplicate name");
  }
}

void GetNames(Reader& in, uint64_t format, size_t max_bytes, std::string_view what,
              Interner* names) {
  InternNames(in, format, max_bytes, what, in.Bounded(what, kMaxCount), names);
}

// `in` moved past `count` names, unchecked (InternNames checks them).
Reader SkipNames(Reader in, uint64_t format, std::string_view what, uint64_t count) {
  const NameReader reader(format, kMaxIdBytes);
  for (uint64_t i = 0; in.ok() && i < count; ++i) reader.Skip(in, what);
  return in;
}

// The fewest bytes an operation's record takes: a byte per field it always has (GetOps).
uint64_t MinOpRecordBytes(uint64_t format) {
  return format == kFormatUnpackedOps ? 13 : format == kFormatEveryOpField ? 11 : 5;
}

// Sets an operation's kind, status and outcome in `op` from their values; bad ones fail `in`.
void SetKindStatusOutcome(Reader& in, uint64_t kind, uint64_t status, uint64_t outcome, Op& op) {
  if (kind > static_cast<uint64_t>(OpKind::kBudget)) in.Fail("op kind", "bad");
  if (status > static_cast<uint64_t>(OpStatus::kWithdrawn)) in.Fail("op status", "bad");
  if (outcome > static_cast<uint64_t>(Outcome::kReject)) in.Fail("op outcome", "bad");
  op.kind = static_cast<OpKind>(kind);
  op.status = static_cast<OpStatus>(status);
  op.outcome = static_cast<Outcome>(outcome);
}

// The same from the byte they are packed in (kind | status << 3 | outcome << 6, as WriteOp
// writes it; format 2 wrote it too).
void SetPackedKindStatusOutcome(Reader& in, uint8_t packed, Op& op) {
  SetKindStatusOutcome(in, packed & 7u, packed >> 3 & 7u, packed >> 6, op);
}

// Reads a format-3 record (WriteOp) into `op`. `*carried`: the month of the last reserve or
// spend read (ExpectedMonth), which a reserve or spend then sets.
void GetOpFormat3(Reader& in, size_t actor_count, size_t scope_count, size_t ref_count, Op& op,
                  int32_t* carried) {
  SetPackedKindStatusOutcome(in, in.Byte("op kind"), op);
  const unsigned bits = in.Byte("op flags");
  op.implicit_amount = (bits & kImplicitAmount) != 0;
  op.returned = (bits & kReturned) != 0;
  op.amount_minor = in.Signed("op");
  op.settled_minor = (bits & kHasSettled) != 0 ? in.Signed("op") : 0;
  op.refunded_minor = (bits & kHasRefunded) != 0 ? in.Signed("op") : 0;
  op.expiry_micros = (bits & kHasExpiry) != 0 ? in.Signed("op") : 0;
  op.text_fingerprint = ((bits & kHasText) != 0 ? in.Varint("op") : 0) ^ kNoTextFingerprint;
  op.actor = GetIndex(in, "op actor", actor_count);
  op.scope = GetIndex(in, "op scope", scope_count);
  op.ref = (bits & kHasRef) != 0 ? GetIndex(in, "op ref", ref_count) : kNone;
  op.month = (bits & kHasMonth) != 0 ? static_cast<int32_t>(in.Signed("op month"))
                                     : ExpectedMonth(op.kind, *carried);
  if (RecordsMonth(op.kind)) *carried = op.month;
}

// Reads a record of format 1 or 2, every field present, into `op`.
void GetOpFormat1Or2(Reader& in, uint64_t format, size_t actor_count, size_t scope_count,
                     size_t ref_count, Op& op) {
  const bool packed = format != kFormatUnpackedOps;
  op.amount_minor = in.Signed("op");
  op.settled_minor = in.Signed("op");
  op.refunded_minor = in.Signed("op");
  op.expiry_micros = in.Signed("op");
  op.text_fingerprint = in.Varint("op") ^ (packed ? kNoTextFingerprint : 0);
  op.actor = GetIndex(in, "op actor", actor_count);
  op.scope = GetIndex(in, "op scope", scope_count);
  op.ref = GetIndex(in, "op ref", ref_count);
  op.month = static_cast<int32_t>(in.Signed("op month"));
  if (packed) {
    SetPackedKindStatusOutcome(in, in.Byte("op kind"), op);
  } else {
    const uint64_t kind = in.Varint("op kind");
    const uint64_t status = in.Varint("op status");
    SetKindStatusOutcome(in, kind, status, in.Varint("op outcome"), op);
  }
  const uint64_t flags = in.Bounded("op flags", 3);
  op.implicit_amount = (flags & 1) != 0;
  op.returned = (flags & 2) != 0;
}

// Reads the operations that follow in `in`, in snapshot format `format`, into `ops`; `in` ends
// after them. Op indices are checked against the sizes of the tables they point into.
void GetOps(Reader& in, uint64_t format, StableVector<Op>& ops, size_t actor_count,
            size_t scope_count) {
  const size_t ref_count = std::max(ops.size(), scope_count);  // an op, or a transfer's scope
  int32_t carried_month = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (format > kFormatEveryOpField) {
      GetOpFormat3(in, actor_count, scope_count, ref_count, ops[i], &carried_month);
    } else {
      GetOpFormat1Or2(in, format, actor_count, scope_count, ref_count, ops[i]);
    }
  }
}

Digest Checksum(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.Finish();
}

// Whether a snapshot's trailing SHA-256 matches the bytes before it. A large snapshot is hashed
// on a thread of its own while the caller reads the body (reading a damaged body is safe: every
// count and index is bounded), which hides the hash (half a second for a 5,000,000-operation
// book) behind the reading; Matches() waits for it. The caller's result counts only if it
// matches.
class SnapshotChecksum {
 public:
  explicit SnapshotChecksum(std::string_view snapshot) {
    if (snapshot.size() < 32) return;  // too short to have one: never matches
    std::memcpy(expected_.data(), snapshot.data() + snapshot.size() - 32, expected_.size());
    const std::string_view body = snapshot.substr(0, snapshot.size() - 32);
    actual_ = OnSecondThreadIf(body.size() >= kHashAsideBytes, [body] { return Checksum(body); });
  }
  bool Matches() { return actual_.valid() && actual_.get() == expected_; }

 private:
  Digest expected_{};
  std::future<Digest> actual_;  // invalid when there is no checksum
};

// A reader over `snapshot` without its trailing checksum (empty when too short to have one).
Reader BodyReader(std::string_view snapshot) {
  return Reader(
      snapshot.size() < 32 ? std::string_view() : snapshot.substr(0, snapshot.size() - 32),
      "snapshot");
}

// Reads the header (magic, format, currency, entries, head) from `in`, a BodyReader of
// `snapshot`, leaving it at the first name table.
absl::StatusOr<Ledger::SnapshotInfo> ReadHeader(std::string_view snapshot, Reader& in) {
  if (snapshot.size() < kMagic.size() + 1 + 32 || snapshot.substr(0, kMagic.size()) != kMagic) {
    return MakeError(ErrorCode::kCorrupt, "not a ledger snapshot");
  }
  Ledger::SnapshotInfo info;
  in.Raw("magic", kMagic.size());
  info.format = in.Varint("format");
  if (in.ok() && info.format > kFormat) {
    return MakeError(
        ErrorCode::kUnsupportedVersion,
        StrCat("snapshot format ", info.format, " is newer than this library's (", kFormat, ")"));
  }
  if (in.ok() && info.format == 0) in.Fail("format", "0 is not a format");
  info.currency = in.String("currency");
  info.entries = in.Varint("seq");
  const std::string_view head = in.Raw("head", info.head.size());
  if (in.ok()) std::memcpy(info.head.data(), head.data(), head.size());
  UPKEEP_RETURN_IF_ERROR(in.status());
  return info;
}

}  // namespace

absl::StatusOr<Ledger::SnapshotInfo> Ledger::ReadSnapshotInfo(std::string_view snapshot) {
  Reader in = BodyReader(snapshot);
  return ReadHeader(snapshot, in);
}

std::string LedgerState::Snapshot(const Digest& head) const {
  // The op ids and the operations (most of a large snapshot) are encoded at the same time: the
  // ids on a second thread, while this one encodes the rest; the ids then go in their place.
  std::future<std::string> ids = OnSecondThreadIf(ops.size() >= kOpsOnTwoThreads, [this] {
    std::string encoded;
    PutNames(op_ids, &encoded);
    return encoded;
  });
  std::string out(kMagic);
  out.reserve(scopes.size() * 64 + customers.size() * 32 + 4096);
  PutVarint(kFormat, &out);
  PutString(options.currency.code(), &out);
  PutVarint(next_seq, &out);
  out.append(reinterpret_cast<const char*>(head.data()), head.size());

  PutNames(actor_ids, &out);
  for (int8_t role : actor_roles) PutSigned(role, &out);
  PutNames(categories, &out);
  PutNames(tiers, &out);
  PutNames(regions, &out);
  PutNames(periods, &out);
  for (const PeriodState& period : period_states) {
    PutSigned(period.start_micros, &out);
    PutSigned(period.end_micros, &out);
    PutVarint(period.closed ? 1 : 0, &out);
  }
  PutNames(customers, &out);
  for (const CustomerState& customer : customer_states) {
    PutIndex(customer.tier, &out);
    PutIndex(customer.owner, &out);
    PutIndex(customer.region, &out);
  }
  PutVarint(scopes.size(), &out);
  for (const Scope& scope : scopes) {
    out.push_back(static_cast<char>(scope.kind));
    PutVarint(scope.period, &out);
    PutVarint(scope.category, &out);
    PutIndex(scope.key, &out);
    PutIndex(scope.parent, &out);
    PutSigned(scope.budget_minor, &out);
    PutSigned(scope.reserved_minor, &out);
    PutSigned(scope.spent_minor, &out);
    PutSigned(scope.children_budget_minor, &out);
    PutSigned(scope.version, &out);
    PutSigned(scope.uses, &out);
  }
  std::string rest;  // what follows the op ids
  // A guess at the room the operations take (a spend's record is about 7 bytes, a post's 10),
  // made at once so that the string is not copied as it grows; a larger state grows it.
  constexpr size_t kOpRecordBytesGuess = 16;
  rest.reserve(ops.size() * kOpRecordBytesGuess + policy_document.size() + 4096);
  int32_t carried_month = 0;  // ExpectedMonth's: records are written in order
  AppendRecords(
      ops.size(), [](size_t) { return kMaxOpBytes; },
      [&](size_t i, char* dst) {
        const Op& op = ops[i];
        dst = WriteOp(op, ExpectedMonth(op.kind, carried_month), dst);
        if (RecordsMonth(op.kind)) carried_month = op.month;
        return dst;
      },
      &rest);
  PutVarint(expiry_heap.size(), &rest);
  for (const auto& [expiry_micros, op] : expiry_heap) {
    PutSigned(expiry_micros, &rest);
    PutVarint(op, &rest);
  }
  PutVarint(pending.size(), &rest);
  for (uint32_t op : pending) PutVarint(op, &rest);
  std::vector<uint32_t> decided;
  for (const auto& [op, decision] : decisions) decided.push_back(op);
  std::sort(decided.begin(), decided.end());
  PutVarint(decided.size(), &rest);
  for (uint32_t op : decided) {
    const Decision& decision = decisions.at(op);
    PutVarint(op, &rest);
    PutVarint(static_cast<uint64_t>(decision.outcome), &rest);
    PutVarint(decision.reasons.size(), &rest);
    for (const Reason& reason : decision.reasons) PutString(EncodeReason(reason), &rest);
  }
  PutSigned(policy_version, &rest);
  PutString(policy_document, &rest);

  // The parts are held apart until here: a snapshot takes about twice its size for a moment.
  const std::string encoded_ids = ids.get();
  out.reserve(out.size() + encoded_ids.size() + rest.size() + sizeof(Digest));
  out += encoded_ids;
  out += rest;
  const Digest sum = Checksum(out);
  out.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  return out;
}

absl::Status LedgerState::Load(std::string_view snapshot, uint64_t* covered, Digest* head) {
  Reader in = BodyReader(snapshot);
  UPKEEP_ASSIGN_OR_RETURN(const Ledger::SnapshotInfo info, ReadHeader(snapshot, in));
  SnapshotChecksum checksum(snapshot);
  absl::Status loaded;
  if (info.currency != options.currency.code()) {
    loaded = MakeError(ErrorCode::kCurrencyMismatch,
                       StrCat("the snapshot keeps ", info.currency, " but the ledger is for ",
                              options.currency.code()));
  } else {
    next_seq = info.entries;
    *covered = info.entries;
    *head = info.head;
    loaded = LoadBody(in, info.format);
  }
  if (!checksum.Matches()) {
    return MakeError(ErrorCode::kCorrupt, "ledger snapshot damaged: its checksum does not match");
  }
  return loaded;
}

absl::Status LedgerState::LoadBody(Reader& in, uint64_t format) {
  GetNames(in, format, kMaxTextBytes, "actors", &actor_ids);  // owners too
  actor_roles.resize(actor_ids.size());
  for (int8_t& role : actor_roles) {
    const int64_t value = in.Signed("actor role");
    if (value < -1 || value > static_cast<int64_t>(Role::kAdmin)) in.Fail("actor role", "bad");
    role = static_cast<int8_t>(value);
  }
  GetNames(in, format, kMaxIdBytes, "categories", &categories);
  GetNames(in, format, kMaxIdBytes, "tiers", &tiers);
  GetNames(in, format, kMaxTextBytes, "regions", &regions);
  GetNames(in, format, kMaxIdBytes, "periods", &periods);
  period_states.resize(periods.size());
  for (PeriodState& period : period_states) {
    period.start_micros = in.Signed("period");
    period.end_micros = in.Signed("period");
    period.closed = in.Bounded("period", 1) == 1;
  }
  GetNames(in, format, kMaxIdBytes, "customers", &customers);
  customer_states.resize(customers.size());
  for (CustomerState& customer : customer_states) {
    customer.tier = GetIndex(in, "customer tier", tiers.size());
    customer.owner = GetIndex(in, "customer owner", actor_ids.size());
    customer.region = GetIndex(in, "customer region", regions.size());
  }
  const uint64_t scope_count = in.Bounded("scopes", kMaxCount);
  for (uint64_t i = 0; in.ok() && i < scope_count; ++i) {
    Scope scope;
    scope.kind =
        static_cast<ScopeKind>(in.Bounded("scope kind", static_cast<uint64_t>(ScopeKind::kRegion)));
    scope.period = static_cast<uint16_t>(in.Bounded("scope period", 0xFFFF));
    scope.category = static_cast<uint16_t>(in.Bounded("scope category", 0xFFFF));
    scope.key = GetIndex(in, "scope key", kMaxCount);
    scope.parent = GetIndex(in, "scope parent", i);
    scope.budget_minor = in.Signed("scope");
    scope.reserved_minor = in.Signed("scope");
    scope.spent_minor = in.Signed("scope");
    scope.children_budget_minor = in.Signed("scope");
    scope.version = static_cast<int32_t>(in.Signed("scope"));
    scope.uses = static_cast<int32_t>(in.Signed("scope"));
    const uint32_t keys[] = {1, tiers.size(), customers.size(), actor_ids.size(), regions.size()};
    const bool key_ok = scope.kind == ScopeKind::kCompany
                            ? scope.key == kNone
                            : scope.key < keys[static_cast<size_t>(scope.kind)];
    if (!key_ok || scope.period >= periods.size() || scope.category >= categories.size()) {
      in.Fail("scope", "names an unknown period, category or key");
    }
    if (!in.ok()) break;
    const auto index = static_cast<uint32_t>(scopes.size());
    if (!scope_index
             .try_emplace(uint64_t{static_cast<uint8_t>(scope.kind)} << 61 |
                              uint64_t{scope.period} << 47 | uint64_t{scope.category} << 32 |
                              scope.key,
                          index)
             .second) {
      in.Fail("scopes", "duplicate scope");
    }
    if (scope.kind == ScopeKind::kCustomer) {
      envelopes[uint32_t{scope.period} << 16 | scope.category].Set(scope.key, index,
                                                                   customers.size());
    }
    has_dimension_budgets |= scope.kind == ScopeKind::kOwner || scope.kind == ScopeKind::kRegion;
    scopes.push_back(scope);
  }
  // The op ids and the operations (most of a large snapshot) are read at the same time: the
  // operations on a second thread, from where the ids end, while this one interns the ids.
  const uint64_t op_count = in.Bounded("ops", kMaxCount);
  if (op_count > in.remaining_bytes()) in.Fail("ops", "truncated");  // a name is >= 1 byte
  if (!in.ok()) return in.status();
  Reader op_records = SkipNames(in, format, "ops", op_count);
  // Nothing is allocated for a damaged count: the ids must be there, and a record's bytes.
  if (op_records.ok() && op_count > op_records.remaining_bytes() / MinOpRecordBytes(format)) {
    op_records.Fail("ops", "truncated");
  }
  if (!op_records.ok()) return op_records.status();
  ops.resize(op_count);
  const size_t actors_loaded = actor_ids.size();
  const size_t scopes_loaded = scopes.size();
  std::future<void> getting_ops = OnSecondThreadIf(op_count >= kOpsOnTwoThreads, [&] {
    GetOps(op_records, format, ops, actors_loaded, scopes_loaded);
  });
  InternNames(in, format, kMaxIdBytes, "ops", op_count, &op_ids);
  getting_ops.get();
  UPKEEP_RETURN_IF_ERROR(in.status());
  in = op_records;
  const uint64_t heap_size = in.Bounded("expiry heap", ops.size());
  for (uint64_t i = 0; in.ok() && i < heap_size; ++i) {
    const int64_t expiry_micros = in.Signed("expiry heap");
    expiry_heap.emplace_back(expiry_micros,
                             static_cast<uint32_t>(in.Bounded("expiry heap", ops.size())));
  }
  const uint64_t pending_count = in.Bounded("pending", ops.size());
  for (uint64_t i = 0; in.ok() && i < pending_count; ++i) {
    pending.insert(static_cast<uint32_t>(in.Bounded("pending", ops.size())));
  }
  const uint64_t decided = in.Bounded("decisions", ops.size());
  for (uint64_t i = 0; in.ok() && i < decided; ++i) {
    const auto op = static_cast<uint32_t>(in.Bounded("decision op", ops.size()));
    Decision& decision = decisions[op];
    decision.outcome =
        static_cast<Outcome>(in.Bounded("decision", static_cast<uint64_t>(Outcome::kReject)));
    const uint64_t count = in.Bounded("decision", kMaxCount);
    for (uint64_t r = 0; in.ok() && r < count; ++r) {
      absl::StatusOr<Reason> reason = DecodeReason(in.String("decision reason"));
      if (!reason.ok()) {
        in.Fail("decision reason", FromAbsl(reason.status().message()));
        break;
      }
      decision.reasons.push_back(*std::move(reason));
    }
  }
  const int64_t version = in.Signed("policy version");
  const std::string document = in.String("policy document");
  if (in.ok() && !in.done()) in.Fail("end", "trailing bytes");
  UPKEEP_RETURN_IF_ERROR(in.status());
  if (version > 0) {
    UPKEEP_ASSIGN_OR_RETURN(ControlPolicySet set, ParsePolicyDocument(document, options.currency,
                                                                      options.control_registry));
    SetPolicies(std::move(set), document);
  }
  policy_version = version;
  return absl::OkStatus();
}

}  // namespace upkeep::ledger
