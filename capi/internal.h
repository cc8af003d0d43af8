// capi/internal.h: what the adapter files share (not installed).
//
// The handle types behind the opaque C names, the catch-all guard every extern "C" body runs
// in, the thread-local error message, and the checks that turn C arguments into C++ values:
// NULL pointers, struct sizes, text (NULL data, NUL bytes that betray a wrong length, UTF-8,
// length limits) and money. The checks only validate and convert; all decisions stay in the
// engine.
#ifndef UPKEEP_CAPI_INTERNAL_H_
#define UPKEEP_CAPI_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "upkeep/currency.h"
#include "upkeep/ledger.h"
#include "upkeep/money.h"
#include "upkeep/monitor/alerts.h"
#include "upkeep/monitor/monitor.h"
#include "upkeep/monitor/proposal.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"
#include "upkeep/store/book.h"
#include "upkeep/upkeep.h"

// ---- Handles ----------------------------------------------------------------------------------

struct upk_registry {
  upkeep::PolicyRegistry policies;
  upkeep::ledger::ControlPolicyRegistry controls ABSL_GUARDED_BY(mu);
};

struct upk_policy {
  std::shared_ptr<const upkeep::PolicySet> set;
};

struct upk_portfolio_builder {
  explicit upk_portfolio_builder(upkeep::Currency currency) : builder(currency) {}
  upkeep::PortfolioBuilder builder;
};

struct upk_portfolio {
  std::shared_ptr<const upkeep::Portfolio> portfolio;
};

struct upk_plan {
  std::shared_ptr<const upkeep::Portfolio> portfolio;
  upkeep::PeriodPlan plan;
  std::vector<upkeep::TierSummary> tiers;
};

// A ledger with its own in-memory journal (upk_ledger_new) or a durable book (upk_book_open),
// and the monitoring attached to it.
// Members are destroyed in reverse order: the ledger first, then its journal, then the monitor that
// observed it, then the alert subscribers the monitor called.
struct upk_ledger {
  absl::Mutex mu;  // guards the two members marked so (the rest is set at creation)
  std::vector<std::unique_ptr<upkeep::monitor::AlertSink>> subscribers ABSL_GUARDED_BY(mu);
  std::unique_ptr<upkeep::monitor::Monitor> monitor;  // set once, by attach_monitoring
  std::unique_ptr<upkeep::ledger::MemoryJournal> memory;
  std::unique_ptr<upkeep::store::Book> book;
  std::unique_ptr<upkeep::ledger::Ledger> owned;  // the ledger of `memory`
  upkeep::ledger::Ledger* ledger = nullptr;       // `owned`, or the book's
  upkeep::ledger::Journal* journal = nullptr;     // `memory`, or the book's store
  // The custom control policies last given (set_policies, book_open), so that replaying the
  // journal (attach_monitoring) can rebuild the policies it names.
  upkeep::ledger::ControlPolicyRegistry controls ABSL_GUARDED_BY(mu);
};

struct upk_proposal {
  upkeep::monitor::Proposal proposal;
};

struct upk_decision {
  upkeep::ledger::Decision decision;
};

namespace upkeep::capi {

// ---- Errors -----------------------------------------------------------------------------------

// Records `message` as this thread's last error and returns `code`.
upk_status Fail(upk_status code, std::string_view message);
// UPK_OK for an OK status; otherwise records the message and returns its ErrorCode.
upk_status FromStatus(const absl::Status& status);
// The message of this thread's last error.
const std::string& LastError();

// Runs `body` (returning upk_status) so that no exception leaves the library.
template <typename Body>
upk_status Guard(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(UPK_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return Fail(UPK_INTERNAL, e.what());
  } catch (...) {
    return Fail(UPK_INTERNAL, "unknown exception inside upkeep");
  }
}

// For void functions (the _free family): swallows everything.
template <typename Body>
void GuardVoid(Body&& body) noexcept {
  try {
    body();
  } catch (...) {
    Fail(UPK_INTERNAL, "exception while freeing");
  }
}

// ---- Callback tables --------------------------------------------------------------------------

// Owns one copied callback table (custom policies, alert subscribers); runs its destroy once,
// when the last user lets go.
template <typename Table>
struct Callbacks {
  explicit Callbacks(const Table& t) : table(t) {}
  ~Callbacks() {
    if (table.destroy != nullptr) table.destroy(table.user_data);
  }
  Callbacks(const Callbacks&) = delete;
  Callbacks& operator=(const Callbacks&) = delete;
  Table table;
};

// ---- Argument checks --------------------------------------------------------------------------

// The most bytes one text argument may have (documents included): 1 GiB.
inline constexpr size_t kMaxTextBytes = size_t{1} << 30;

// UPK_NULL_ARGUMENT naming `what` when `p` is NULL.
upk_status NotNull(const void* p, const char* what);

// A struct that starts with a size field: not NULL, and a size this library knows (smaller:
// UPK_INVALID_ARGUMENT, it was not initialised with its _INIT macro; larger: from a newer
// header, UPK_UNSUPPORTED_VERSION).
upk_status CheckStructSize(const void* p, size_t size, size_t expected, const char* what);
template <typename T>
upk_status CheckStruct(const T* p, const char* what) {
  if (p == nullptr) return NotNull(p, what);
  return CheckStructSize(p, p->size, sizeof(T), what);
}

// `s` as a string_view after checking it: data NULL with size > 0 (UPK_NULL_ARGUMENT), size
// above kMaxTextBytes or a NUL byte inside (UPK_INVALID_ARGUMENT: the length lies), not UTF-8
// (UPK_INVALID_UTF8). Messages name `what`.
upk_status Text(upk_str s, const char* what, std::string_view* out);

// The currency named by a NUL-padded ISO code.
upk_status CurrencyOf(const char (&code)[4], const char* what, Currency* out);
upk_status CurrencyOf(upk_str code, const char* what, Currency* out);
upk_status MoneyOf(const upk_money& money, const char* what, Money* out);
upk_money ToC(Money money);

// ---- Output -----------------------------------------------------------------------------------

upk_str Borrow(std::string_view text);
// A malloc'ed NUL-terminated copy for a char** out-parameter (freed by upk_string_free).
upk_status Emit(std::string_view text, char** out);

// The engine's plan options from `options` (NULL: the defaults); `history` keeps the previous
// plan's tiers that out->previous points to.
upk_status PlanOptionsOf(const upk_plan_options* options, PlanOptions* out,
                         std::optional<TierHistory>* history);
// A plan handle over `plan`, made for `portfolio`.
std::unique_ptr<upk_plan> NewPlan(std::shared_ptr<const Portfolio> portfolio, PeriodPlan plan);

// Converts between the C and C++ ledger vocabularies.
upk_status ScopeOf(const upk_scope* scope, const char* what, ledger::ScopeRef* out);
void FillScope(const ledger::ScopeRef& scope, upk_scope* out);
void FillBalance(const ledger::Balance& balance, upk_balance* out);
// The engine's options from upk_ledger_options (the journal is left to the caller).
upk_status LedgerOptionsOf(const upk_ledger_options* options, const char* what,
                           ledger::LedgerOptions* out);

// Envelope handles in the C API are the engine's envelope ids plus one, so that 0 (the _INIT
// value) means "none"; upk_ledger_resolve_envelope adds the one.
inline ledger::EnvelopeHandle EnvelopeOf(uint32_t handle) {
  return handle == 0 ? ledger::EnvelopeHandle{} : ledger::EnvelopeHandle{.envelope = handle - 1};
}

// Reserve and spend, single, batched or in columns (checks batched or in columns).
enum class Op { kReserve, kSpend };
absl::StatusOr<ledger::Result> Apply(Op op, ledger::Ledger& ledger, const ledger::Request& r);
// What a batch does with its requests: one engine call (Ledger::ReserveBatch, SpendBatch or
// CheckBatch), which takes the ledger's lock once (a check batch once per 1,024 requests).
using RunBatch = absl::FunctionRef<std::vector<absl::StatusOr<ledger::Result>>(
    std::span<const ledger::Request>)>;
// requests[k] as one engine batch; its answer fills out[slots[k]].
void ApplyBatch(RunBatch run, std::span<const ledger::Request> requests,
                std::span<const size_t> slots, upk_result* out);
// A batch of C requests (upk_ledger_*_batch), given as columns (upk_ledger_*_columns): each
// checks its arguments (`ledger` not NULL first), then runs the requests as one batch.
upk_status Batch(const upk_ledger* ledger, RunBatch run, upk_result* out,
                 const upk_request* requests, size_t count);
upk_status Columns(const upk_ledger* ledger, RunBatch run, upk_result* out,
                   const upk_request_columns* columns);
void FillResult(const ledger::Result& result, upk_result* out);
// A request of a batch that could not be made: its status, outcome reject.
void FailResult(upk_status status, upk_result* out);
// The out array of a batch: not NULL, every size set.
upk_status CheckResults(upk_result* out, size_t count);

// The ledger's monitor; UPK_INVALID_STATE when monitoring is not attached.
upk_status MonitorOf(const upk_ledger* ledger, monitor::Monitor** out);
void FillMetrics(const monitor::ScopeMetrics& metrics, upk_metrics* out);
// The metrics `request` asks for, from the ledger's monitor.
upk_status MetricsOf(const upk_ledger* ledger, const upk_metrics_request* request,
                     monitor::ScopeMetrics* out);

}  // namespace upkeep::capi

#endif  // UPKEEP_CAPI_INTERNAL_H_
