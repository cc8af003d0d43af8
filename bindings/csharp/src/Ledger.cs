// Ledger.cs: budgets, reservations, spends and their decisions with reasons, approvals,
// balances, reports (JSON text) and the journal. A Ledger may be used from many threads.
// A rejected request is a Decision with Outcome.Reject, not an exception; exceptions are for
// calls that could not be made (unknown ids, permissions, bad input).
using System;
using System.Collections.Generic;
using Upkeep.Interop;

namespace Upkeep {

  public enum Role { AccountManager = 0, Manager = 1, Finance = 2, Admin = 3 }
  public enum ScopeKind { Company = 0, Tier = 1, Customer = 2, Owner = 3, Region = 4 }
  // Ordered by severity.
  public enum Outcome { Approve = 0, ApproveWithWarning = 1, NeedsApproval = 2, Reject = 3 }
  public enum ReservationStatus { Open = 0, Posted = 1, Voided = 2, Expired = 3, Pending = 4 }

  public struct Scope {
    public string Period, Key, Category;
    public ScopeKind Kind;
    public Scope(string period, ScopeKind kind, string key, string category) {
      Period = period;
      Kind = kind;
      Key = key;
      Category = category;
    }
    internal ScopeC ToC(Utf8Scope t) {
      return new ScopeC { Size = Sizes.Scope, Period = t.S(Period), Kind = (int)Kind,
                          Key = t.S(Key), Category = t.S(Category) };
    }
    internal static Scope From(ScopeC s) {
      return new Scope(Text.From(s.Period), (ScopeKind)s.Kind, Text.From(s.Key),
                       Text.From(s.Category));
    }
  }

  public struct Balance {
    public long BudgetMinor, ReservedMinor, SpentMinor, AvailableMinor;
    public int BudgetVersion;
    internal static Balance From(BalanceC b) {
      return new Balance { BudgetMinor = b.BudgetMinor, ReservedMinor = b.ReservedMinor,
                           SpentMinor = b.SpentMinor, AvailableMinor = b.AvailableMinor,
                           BudgetVersion = b.BudgetVersion };
    }
  }

  public sealed class Reason {
    public Outcome Outcome;
    public string RuleId, Message, Remedy;
    public Scope Scope;
    public Balance Balance;  // the scope's balance before the request
    public long RequestedMinor, ShortfallMinor;
  }

  public sealed class Decision {
    public Outcome Outcome;
    public bool Replayed;  // this op id was applied before: its first answer again
    public IList<Reason> Reasons = new List<Reason>();
    public string Explanation = "";
  }

  public struct Envelope {
    public string Customer, Tier;  // Tier empty: the customer's tier
    public long AmountMinor;
    public Envelope(string customer, string tier, long amountMinor) {
      Customer = customer;
      Tier = tier;
      AmountMinor = amountMinor;
    }
  }

  // One request of a batch, naming its customer, or its envelope by a handle from
  // Ledger.ResolveEnvelope (then the batch's period and category are not used for it).
  public struct BatchItem {
    public string OpId, Customer;
    public uint Envelope;
    public long AmountMinor;
    public BatchItem(string opId, string customer, long amountMinor) {
      OpId = opId;
      Customer = customer;
      Envelope = 0;
      AmountMinor = amountMinor;
    }
    public BatchItem(string opId, uint envelope, long amountMinor) {
      OpId = opId;
      Customer = null;
      Envelope = envelope;
      AmountMinor = amountMinor;
    }
  }

  // One answer of a batch: Status 0 and an outcome, or the status of a request that could not
  // be made (Error gives its exception).
  public struct BatchResult {
    public int Status;
    public Outcome Outcome;
    public bool Replayed;
    public UpkeepException Error {
      get { return Upkeep.Status.ToException(Status, "request failed"); }
    }
  }

  public struct ReservationInfo {
    public ReservationStatus Status;
    public long AmountMinor, PostedMinor, RefundedMinor, ExpiryMicros;
  }

  public sealed partial class Ledger : IDisposable {
    private readonly LedgerHandle handle_;
    private readonly int currency_;

    // A new, empty ledger with its own in-memory journal. fixedTimeMicros 0: the system clock.
    // refundReturnsToBudget: the default refund policy (a refund gives the budget back).
    public Ledger(string currency, long fixedTimeMicros = 0, string bootstrapAdmin = "admin",
                  bool refundReturnsToBudget = true) {
      using (var t = new Utf8Scope()) {
        var options = Options(t, currency, fixedTimeMicros, bootstrapAdmin, refundReturnsToBudget);
        Status.Check(Native.upk_ledger_new(out handle_, ref options));
        currency_ = Text.CurrencyCode(currency);
      }
    }

    // A ledger over a handle the library gave (a book's).
    internal Ledger(LedgerHandle handle, string currency) {
      handle_ = handle;
      currency_ = Text.CurrencyCode(currency);
    }

    internal LedgerHandle Handle {
      get { return handle_; }
    }

    internal static LedgerOptionsC Options(Utf8Scope t, string currency, long fixedTimeMicros,
                                           string bootstrapAdmin, bool refundReturnsToBudget) {
      return new LedgerOptionsC { Size = Sizes.LedgerOptions, Currency = t.S(currency),
                                  BootstrapAdmin = t.S(bootstrapAdmin),
                                  FixedTimeMicros = fixedTimeMicros,
                                  RefundReturnsToBudget = refundReturnsToBudget ? 1 : 0 };
    }

    public void Dispose() {
      handle_.Dispose();
    }

    // ---- definitions ----

    public void DefineActor(string actor, string id, Role role) {
      using (var t = new Utf8Scope())
          Status.Check(Native.upk_ledger_define_actor(handle_, t.S(actor), t.S(id), (int)role));
    }
    public void DefineCategory(string actor, string category) {
      using (var t = new Utf8Scope())
          Status.Check(Native.upk_ledger_define_category(handle_, t.S(actor), t.S(category)));
    }
    public void DefineTier(string actor, string tier) {
      using (var t = new Utf8Scope())
          Status.Check(Native.upk_ledger_define_tier(handle_, t.S(actor), t.S(tier)));
    }
    public void DefineCustomer(string actor, string id, string tier, string owner = "",
                               string region = "") {
      using (var t = new Utf8Scope()) {
        Status.Check(Native.upk_ledger_define_customer(handle_, t.S(actor), t.S(id), t.S(tier),
                                                       t.S(owner), t.S(region)));
      }
    }
    public void DefinePeriod(string actor, string id, long startMicros, long endMicros) {
      using (var t = new Utf8Scope()) Status.Check(
          Native.upk_ledger_define_period(handle_, t.S(actor), t.S(id), startMicros, endMicros));
    }
    public void ClosePeriod(string actor, string period) {
      using (var t = new Utf8Scope())
          Status.Check(Native.upk_ledger_close_period(handle_, t.S(actor), t.S(period)));
    }
    // Replaces the control policies with a control document (JSON text).
    public void SetPolicies(string actor, string controlJson, Registry registry = null) {
      using (var t = new Utf8Scope()) {
        Status.Check(Native.upk_ledger_set_policies(handle_, t.S(actor), t.S(controlJson),
                                                    Registry.HandleOf(registry)));
      }
    }

    // ---- budgets ----

    private static BudgetRequestC Budget(Utf8Scope t, string opId, string actor, string period,
                                         string category, string reason) {
      return new BudgetRequestC { Size = Sizes.BudgetRequest, OpId = t.S(opId),
                                  Actor = t.S(actor),         Period = t.S(period),
                                  Category = t.S(category),   Reason = t.S(reason) };
    }

    public void ApplyAllocation(string opId, string actor, string period, string category,
                                IList<Envelope> envelopes, string reason = "") {
      using (var t = new Utf8Scope()) {
        var request = Budget(t, opId, actor, period, category, reason);
        var c = new EnvelopeC[envelopes.Count];
        for (int i = 0; i < c.Length; ++i) {
          c[i] =
              new EnvelopeC { Customer = t.S(envelopes[i].Customer), Tier = t.S(envelopes[i].Tier),
                              AmountMinor = envelopes[i].AmountMinor };
        }
        Status.Check(
            Native.upk_ledger_apply_allocation(handle_, ref request, c, (UIntPtr)c.Length));
      }
    }

    public void ApplyPlan(string opId, string actor, string period, string category, Plan plan,
                          string reason = "") {
      using (var t = new Utf8Scope()) {
        var request = Budget(t, opId, actor, period, category, reason);
        Status.Check(Native.upk_ledger_apply_plan(handle_, ref request, plan.Handle));
      }
    }

    // A scope's new budget (revise) or an amount moved between two scopes (transfer).
    public void Revise(string opId, string actor, Scope scope, long budgetMinor, string reason) {
      Change(ChangeKind.Revise, opId, actor, scope, scope, budgetMinor, reason);
    }
    public void Transfer(string opId, string actor, Scope from, Scope to, long amountMinor,
                         string reason) {
      Change(ChangeKind.Transfer, opId, actor, from, to, amountMinor, reason);
    }
    // A budget for an owner or a region (ScopeKind.Owner or Region), crossing the tier tree and
    // counted from the envelopes below it; checked at every request on its path like the others.
    public void SetDimensionBudget(string opId, string actor, Scope scope, long budgetMinor,
                                   string reason = "") {
      Change(ChangeKind.Dimension, opId, actor, scope, scope, budgetMinor, reason);
    }

    private enum ChangeKind { Revise, Transfer, Dimension }
    private void Change(ChangeKind kind, string opId, string actor, Scope scope, Scope to,
                        long amountMinor, string reason) {
      using (var t = new Utf8Scope()) {
        var change = new BudgetChangeC { Size = Sizes.BudgetChange,
                                         OpId = t.S(opId),
                                         Actor = t.S(actor),
                                         Scope = scope.ToC(t),
                                         To = to.ToC(t),
                                         Amount = new MoneyC { AmountMinor = amountMinor,
                                                               Currency = currency_ },
                                         Reason = t.S(reason) };
        Status.Check(kind == ChangeKind.Transfer ? Native.upk_ledger_transfer(handle_, ref change)
                     : kind == ChangeKind.Revise
                         ? Native.upk_ledger_revise(handle_, ref change)
                         : Native.upk_ledger_set_dimension_budget(handle_, ref change));
      }
    }

    // ---- reserve, spend, check ----

    private enum Kind { Reserve, Spend, CheckReserve, CheckSpend }

    // details false: only the outcome (no reasons, no explanation), a cheaper call.
    public Decision Reserve(string opId, string actor, string period, string customer,
                            string category, long amountMinor, long expiryMicros = 0,
                            string reason = "", bool explain = false, bool details = true) {
      return Submit(Kind.Reserve, opId, actor, period, customer, category, amountMinor,
                    expiryMicros, reason, explain, details);
    }
    public Decision Spend(string opId, string actor, string period, string customer,
                          string category, long amountMinor, string reason = "",
                          bool explain = false, bool details = true) {
      return Submit(Kind.Spend, opId, actor, period, customer, category, amountMinor, 0, reason,
                    explain, details);
    }
    // The dry run: what Reserve (or Spend) would answer now; changes nothing.
    public Decision Check(string opId, string actor, string period, string customer,
                          string category, long amountMinor, bool asSpend = false,
                          bool explain = false) {
      return Submit(asSpend ? Kind.CheckSpend : Kind.CheckReserve, opId, actor, period, customer,
                    category, amountMinor, 0, "", explain, true);
    }

    private RequestC Request(Utf8Scope t, string opId, string actor, string period, string customer,
                             string category, long amountMinor, long expiryMicros, string reason,
                             bool explain) {
      return new RequestC { Size = Sizes.Request,
                            OpId = t.S(opId),
                            Actor = t.S(actor),
                            Period = t.S(period),
                            Customer = t.S(customer),
                            Category = t.S(category),
                            Amount = new MoneyC { AmountMinor = amountMinor, Currency = currency_ },
                            ExpiryMicros = expiryMicros,
                            Reason = t.S(reason),
                            Explain = explain ? 1 : 0 };
    }

    private Decision Submit(Kind kind, string opId, string actor, string period, string customer,
                            string category, long amountMinor, long expiryMicros, string reason,
                            bool explain, bool withDetails) {
      using (var t = new Utf8Scope()) using (
          DecisionHandle details = withDetails ? NewDecision() : DecisionHandle.Null) {
        var request = Request(t, opId, actor, period, customer, category, amountMinor, expiryMicros,
                              reason, explain);
        var result = new ResultC { Size = Sizes.Result };
        int status;
        switch (kind) {
          case Kind.Reserve:
            status = Native.upk_ledger_reserve(ref result, details, handle_, ref request);
            break;
          case Kind.Spend:
            status = Native.upk_ledger_spend(ref result, details, handle_, ref request);
            break;
          default:
            status = Native.upk_ledger_check(ref result, details, handle_, ref request,
                                             kind == Kind.CheckSpend ? 1 : 0);
            break;
        }
        Status.Check(status);
        if (!withDetails) {
          return new Decision { Outcome = (Outcome)result.Outcome,
                                Replayed = result.Replayed != 0 };
        }
        return ReadDecision(result, details);
      }
    }

    private static DecisionHandle NewDecision() {
      DecisionHandle d;
      Status.Check(Native.upk_decision_new(out d));
      return d;
    }

    private static Decision ReadDecision(ResultC result, DecisionHandle details) {
      var decision =
          new Decision { Outcome = (Outcome)result.Outcome, Replayed = result.Replayed != 0 };
      UIntPtr count;
      Status.Check(Native.upk_decision_reason_count(out count, details));
      for (ulong i = 0; i < count.ToUInt64(); ++i) {
        var r = new ReasonC { Size = Sizes.Reason };
        r.Scope.Size = Sizes.Scope;
        r.Balance.Size = Sizes.Balance;
        Status.Check(Native.upk_decision_reason(ref r, details, (UIntPtr)i));
        decision.Reasons.Add(
            new Reason { Outcome = (Outcome)r.Outcome, RuleId = Text.From(r.RuleId),
                         Scope = Scope.From(r.Scope), Balance = Balance.From(r.Balance),
                         RequestedMinor = r.RequestedMinor, ShortfallMinor = r.ShortfallMinor,
                         Message = Text.From(r.Message), Remedy = Text.From(r.Remedy) });
      }
      IntPtr text;
      Status.Check(Native.upk_decision_explain(out text, details));
      decision.Explanation = Text.Take(text);
      return decision;
    }

    // Batches: one crossing for many requests of one actor, period and category; each request
    // applies on its own and gets its own status and outcome.
    public BatchResult[] ReserveBatch(string actor, string period, string category,
                                      IList<BatchItem> items) {
      return Batch(Kind.Reserve, actor, period, category, items);
    }
    public BatchResult[] SpendBatch(string actor, string period, string category,
                                    IList<BatchItem> items) {
      return Batch(Kind.Spend, actor, period, category, items);
    }
    // The dry run of a batch: what Check (as a reserve, or as a spend) would answer for each
    // item, against the ledger as it is (the items do not see each other); changes nothing.
    public BatchResult[] CheckBatch(string actor, string period, string category,
                                    IList<BatchItem> items, bool asSpend = false) {
      return Batch(asSpend ? Kind.CheckSpend : Kind.CheckReserve, actor, period, category, items);
    }

    private BatchResult[] Batch(Kind kind, string actor, string period, string category,
                                IList<BatchItem> items) {
      using (var t = new Utf8Scope()) {
        Str a = t.S(actor), p = t.S(period), c = t.S(category);
        var requests = new RequestC[items.Count];
        var results = new ResultC[items.Count];
        for (int i = 0; i < requests.Length; ++i) {
          bool byHandle = items[i].Envelope != 0;
          requests[i] = new RequestC { Size = Sizes.Request,
                                       OpId = t.S(items[i].OpId),
                                       Actor = a,
                                       Period = byHandle ? default(Str) : p,
                                       Customer = t.S(items[i].Customer),
                                       Category = byHandle ? default(Str) : c,
                                       Envelope = items[i].Envelope,
                                       Amount = new MoneyC { AmountMinor = items[i].AmountMinor,
                                                             Currency = currency_ } };
          results[i].Size = Sizes.Result;
        }
        var count = (UIntPtr)requests.Length;
        int status;
        switch (kind) {
          case Kind.Reserve:
            status = Native.upk_ledger_reserve_batch(results, handle_, requests, count);
            break;
          case Kind.Spend:
            status = Native.upk_ledger_spend_batch(results, handle_, requests, count);
            break;
          default:
            status = Native.upk_ledger_check_batch(results, handle_, requests, count,
                                                   kind == Kind.CheckSpend ? 1 : 0);
            break;
        }
        Status.Check(status);
        var answers = new BatchResult[results.Length];
        for (int i = 0; i < results.Length; ++i) {
          answers[i] =
              new BatchResult { Status = results[i].Status, Outcome = (Outcome)results[i].Outcome,
                                Replayed = results[i].Replayed != 0 };
        }
        return answers;
      }
    }

    // A handle (never 0) for a customer envelope, for batches on hot paths.
    public uint ResolveEnvelope(string period, string customer, string category) {
      using (var t = new Utf8Scope()) {
        uint handle;
        Status.Check(Native.upk_ledger_resolve_envelope(out handle, handle_, t.S(period),
                                                        t.S(customer), t.S(category)));
        return handle;
      }
    }

    // ---- settle ----

    private enum Settle { Post, Void, Refund }

    // Post all (amountMinor null) or part of a reservation; the rest is released.
    public void Post(string opId, string actor, string reservationId, long? amountMinor = null,
                     string reason = "") {
      DoSettle(Settle.Post, opId, actor, reservationId, amountMinor, null, reason);
    }
    public void Void(string opId, string actor, string reservationId, string reason = "") {
      DoSettle(Settle.Void, opId, actor, reservationId, null, null, reason);
    }
    public void Refund(string opId, string actor, string targetId, long? amountMinor = null,
                       bool? returnToBudget = null, string reason = "") {
      DoSettle(Settle.Refund, opId, actor, targetId, amountMinor, returnToBudget, reason);
    }

    private void DoSettle(Settle kind, string opId, string actor, string target, long? amountMinor,
                          bool? returnToBudget, string reason) {
      using (var t = new Utf8Scope()) {
        var r = new SettleRequestC {
          Size = Sizes.Settle,
          OpId = t.S(opId),
          Actor = t.S(actor),
          TargetId = t.S(target),
          HasAmount = amountMinor.HasValue ? 1 : 0,
          Amount = new MoneyC { AmountMinor = amountMinor ?? 0, Currency = currency_ },
          ReturnToBudget = returnToBudget.HasValue ? (returnToBudget.Value ? 1 : 0) : -1,
          Reason = t.S(reason)
        };
        Status.Check(kind == Settle.Post   ? Native.upk_ledger_post(handle_, ref r)
                     : kind == Settle.Void ? Native.upk_ledger_void(handle_, ref r)
                                           : Native.upk_ledger_refund(handle_, ref r));
      }
    }

    // Releases open reservations whose expiry <= nowMicros; returns how many.
    public long Expire(string actor, long nowMicros) {
      using (var t = new Utf8Scope()) {
        long count;
        Status.Check(Native.upk_ledger_expire(out count, handle_, t.S(actor), nowMicros));
        return count;
      }
    }

    // ---- approvals ----

    public Decision Approve(string actor, string approvalId, string reason = "") {
      using (var t = new Utf8Scope()) using (DecisionHandle details = NewDecision()) {
        var result = new ResultC { Size = Sizes.Result };
        Status.Check(Native.upk_ledger_approve(ref result, details, handle_, t.S(actor),
                                               t.S(approvalId), t.S(reason)));
        return ReadDecision(result, details);
      }
    }
    public void RejectApproval(string actor, string approvalId, string reason = "") {
      using (var t = new Utf8Scope()) {
        Status.Check(
            Native.upk_ledger_reject_approval(handle_, t.S(actor), t.S(approvalId), t.S(reason)));
      }
    }
    // The requester takes back their own pending request (its op id stays used).
    public void WithdrawApproval(string actor, string approvalId, string reason = "") {
      using (var t = new Utf8Scope()) {
        Status.Check(
            Native.upk_ledger_withdraw_approval(handle_, t.S(actor), t.S(approvalId), t.S(reason)));
      }
    }

    // ---- reads ----

    public Balance GetBalance(Scope scope) {
      using (var t = new Utf8Scope()) {
        var s = scope.ToC(t);
        var b = new BalanceC { Size = Sizes.Balance };
        Status.Check(Native.upk_ledger_balance(ref b, handle_, ref s));
        return Balance.From(b);
      }
    }

    public ReservationInfo Reservation(string opId) {
      using (var t = new Utf8Scope()) {
        var r = new ReservationC { Size = Sizes.Reservation };
        Status.Check(Native.upk_ledger_reservation(ref r, handle_, t.S(opId)));
        return new ReservationInfo { Status = (ReservationStatus)r.Status,
                                     AmountMinor = r.AmountMinor, PostedMinor = r.PostedMinor,
                                     RefundedMinor = r.RefundedMinor,
                                     ExpiryMicros = r.ExpiryMicros };
      }
    }

    private delegate int JsonReport(out IntPtr text, LedgerHandle ledger);
    private string Report(JsonReport report) {
      IntPtr text;
      Status.Check(report(out text, handle_));
      return Text.Take(text);
    }
    public string ScopesJson() {
      return Report(Native.upk_ledger_scopes_json);
    }
    public string PendingApprovalsJson() {
      return Report(Native.upk_ledger_pending_approvals_json);
    }
    // The journaled events behind one scope's balance (budgets, reservations, spends, transfers).
    public string HistoryJson(Scope scope) {
      using (var t = new Utf8Scope()) {
        var s = scope.ToC(t);
        IntPtr text;
        Status.Check(Native.upk_ledger_history_json(out text, handle_, ref s));
        return Text.Take(text);
      }
    }
    public string DumpState() {
      return Report(Native.upk_ledger_dump_state);
    }

    public ulong JournalSize {
      get {
        ulong n;
        Status.Check(Native.upk_ledger_journal_size(out n, handle_));
        return n;
      }
    }
    // Seals the journal; returns the 32-byte chain head.
    public byte[] Seal() {
      var head = new byte[32];
      Status.Check(Native.upk_ledger_journal_seal(head, handle_));
      return head;
    }
    // CorruptException naming the first altered entry.
    public void Verify() {
      Status.Check(Native.upk_ledger_journal_verify(handle_));
    }
  }

}  // namespace Upkeep
