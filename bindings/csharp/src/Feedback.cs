// Feedback.cs: the feedback loop of a monitored ledger: what came back (outcomes, customer
// feedback, internal assessments), effectiveness as JSON, and the next period's proposal
// (approve or reject, simulate against the current plan, the next Plan). docs/c-api.md.
using System;
using System.Collections.Generic;
using Upkeep.Interop;

namespace Upkeep {

  public enum Renewal { Unknown = 0, Renewed = 1, Churned = 2 }
  public enum AssessorRole { AccountManager = 0, Manager = 1 }
  // What recording did: Added, or Unchanged for the same record recorded again.
  public enum RecordResult { Added = 0, Unchanged = 1 }
  public enum ProposalState { Draft = 0, Approved = 1, Rejected = 2, Applied = 3 }

  public sealed class OutcomeRecord {
    public string Customer = "", Period = "";
    public long RevenueMinor, RevenueBeforeMinor;
    public Renewal Renewal = Renewal.Unknown;
    internal OutcomeRecordC ToC(Utf8Scope t) {
      return new OutcomeRecordC { Size = Sizes.OutcomeRecord,
                                  Customer = t.S(Customer),
                                  Period = t.S(Period),
                                  RevenueMinor = RevenueMinor,
                                  RevenueBeforeMinor = RevenueBeforeMinor,
                                  Renewal = (int)Renewal };
    }
  }

  public sealed class CustomerFeedback {
    public string Id = "", Customer = "", Period = "", Comment = "";
    public int? Satisfaction, Recommend;  // 0..10
    public int Complaints;
    internal CustomerFeedbackC ToC(Utf8Scope t) {
      return new CustomerFeedbackC { Size = Sizes.CustomerFeedback,
                                     Id = t.S(Id),
                                     Customer = t.S(Customer),
                                     Period = t.S(Period),
                                     HasSatisfaction = Satisfaction.HasValue ? 1 : 0,
                                     Satisfaction = Satisfaction ?? 0,
                                     HasRecommend = Recommend.HasValue ? 1 : 0,
                                     Recommend = Recommend ?? 0,
                                     Complaints = Complaints,
                                     Comment = t.S(Comment) };
    }
  }

  public sealed class Assessment {
    public string Id = "", Customer = "", Period = "", Author = "", Comment = "";
    public AssessorRole Role = AssessorRole.AccountManager;
    public int Rating;  // -2..+2
    internal AssessmentC ToC(Utf8Scope t) {
      return new AssessmentC { Size = Sizes.Assessment,  Id = t.S(Id),
                               Customer = t.S(Customer), Period = t.S(Period),
                               Author = t.S(Author),     Role = (int)Role,
                               Rating = Rating,          Comment = t.S(Comment) };
    }
  }

  // A proposal for the next period: per customer a tier move and a weight multiplier, with
  // reasons. Draft -> Approved -> Applied, or Draft -> Rejected (InvalidStateException otherwise).
  public sealed class Proposal : IDisposable {
    internal readonly ProposalHandle Handle;
    internal Proposal(ProposalHandle handle) {
      Handle = handle;
    }

    public ProposalState State {
      get {
        int state;
        Status.Check(Native.upk_proposal_state(out state, Handle));
        return (ProposalState)state;
      }
    }

    public void Approve(string actor) {
      using (var t = new Utf8Scope()) Status.Check(Native.upk_proposal_approve(Handle, t.S(actor)));
    }

    public void Reject(string actor) {
      using (var t = new Utf8Scope()) Status.Check(Native.upk_proposal_reject(Handle, t.S(actor)));
    }

    // Once its plan is taken (approved only).
    public void MarkApplied() {
      Status.Check(Native.upk_proposal_mark_applied(Handle));
    }

    public string ToJson() {
      IntPtr text;
      Status.Check(Native.upk_proposal_to_json(out text, Handle));
      return Text.Take(text);
    }

    // The next plan beside the current one, customer by customer (JSON).
    public string SimulateJson(Policy policy, Plan current, Portfolio next, long? poolMinor = null,
                               Plan previous = null) {
      var options = Upkeep.Plan.Options(policy, poolMinor, previous);
      IntPtr text;
      Status.Check(Native.upk_proposal_simulate_json(out text, policy.Handle, current.Handle,
                                                     next.Handle, Handle, ref options));
      GC.KeepAlive(previous);
      return Text.Take(text);
    }

    // The next period's plan from this approved proposal.
    public Plan NextPlan(Policy policy, Plan current, Portfolio next, long? poolMinor = null,
                         Plan previous = null) {
      var options = Upkeep.Plan.Options(policy, poolMinor, previous);
      PlanHandle plan;
      Status.Check(Native.upk_plan_from_proposal(out plan, policy.Handle, current.Handle,
                                                 next.Handle, Handle, ref options));
      GC.KeepAlive(previous);
      return new Plan(plan);
    }

    public void Dispose() {
      Handle.Dispose();
    }
  }

  public sealed partial class Ledger {
    private delegate int RecordOneFn<TC>(out int result, LedgerHandle ledger, ref TC record);
    private delegate int RecordManyFn<TC>(out UIntPtr done, LedgerHandle ledger, TC[] records,
                                          UIntPtr count);

    private RecordResult RecordOne<TC>(Func<Utf8Scope, TC> toC, RecordOneFn<TC> record) {
      using (var t = new Utf8Scope()) {
        TC c = toC(t);
        int result;
        Status.Check(record(out result, handle_, ref c));
        return (RecordResult)result;
      }
    }

    private long RecordMany<T, TC>(IList<T> records, Func<T, Utf8Scope, TC> toC,
                                   RecordManyFn<TC> record) {
      using (var t = new Utf8Scope()) {
        var c = new TC[records.Count];
        for (int i = 0; i < c.Length; ++i) c[i] = toC(records[i], t);
        UIntPtr done;
        Status.Check(record(out done, handle_, c, (UIntPtr)c.Length));
        return checked((long)done.ToUInt64());
      }
    }

    public RecordResult Record(OutcomeRecord record) {
      return RecordOne<OutcomeRecordC>(record.ToC, Native.upk_ledger_record_outcome);
    }

    public RecordResult Record(CustomerFeedback record) {
      return RecordOne<CustomerFeedbackC>(record.ToC, Native.upk_ledger_record_feedback);
    }

    public RecordResult Record(Assessment record) {
      return RecordOne<AssessmentC>(record.ToC, Native.upk_ledger_record_assessment);
    }

    // Many records in one call, in order; stops at the first bad one (its index is in the
    // message). Returns how many were recorded.
    public long RecordAll(IList<OutcomeRecord> records) {
      return RecordMany<OutcomeRecord, OutcomeRecordC>(records, (r, t) => r.ToC(t),
                                                       Native.upk_ledger_record_outcomes);
    }

    public long RecordAll(IList<CustomerFeedback> records) {
      return RecordMany<CustomerFeedback, CustomerFeedbackC>(records, (r, t) => r.ToC(t),
                                                             Native.upk_ledger_record_feedbacks);
    }

    public long RecordAll(IList<Assessment> records) {
      return RecordMany<Assessment, AssessmentC>(records, (r, t) => r.ToC(t),
                                                 Native.upk_ledger_record_assessments);
    }

    // Every record, in the order recorded (amounts as decimal strings).
    public string FeedbackJson() {
      IntPtr text;
      Status.Check(Native.upk_ledger_feedback_json(out text, handle_));
      return Text.Take(text);
    }

    // ROI, cost to serve, retention, satisfaction and NPS per group, a total and a ranking.
    public string EffectivenessJson(string period, Dimension groupBy = Dimension.Tier) {
      using (var t = new Utf8Scope()) {
        var request = new EffectivenessRequestC { Size = Sizes.EffectivenessRequest,
                                                  Period = t.S(period), GroupBy = (int)groupBy };
        IntPtr text;
        Status.Check(Native.upk_ledger_effectiveness_json(out text, handle_, ref request));
        return Text.Take(text);
      }
    }

    // The next period's proposal from the policy's "feedback" section over `period`.
    public Proposal Propose(Policy policy, string period) {
      if (policy == null)
        throw new ArgumentNullException("policy");
      using (var t = new Utf8Scope()) {
        ProposalHandle proposal;
        Status.Check(Native.upk_ledger_propose(out proposal, handle_, policy.Handle, t.S(period)));
        return new Proposal(proposal);
      }
    }
  }

}  // namespace Upkeep
