// Native.cs: the P/Invoke layer over libupkeep.so: the C structs, the callback signatures and
// every upk_* function. Nothing here is for users; the classes in the other files wrap it.
//
// Layout rules (upkeep.h): structs are sequential and blittable; size_t is UIntPtr; upk_str is
// (pointer, length) into memory the caller keeps alive for the call (Utf8Scope); upk_money's
// 4-byte currency code is one int. Strings the library returns are IntPtr, copied, and (for
// char** outputs) freed with upk_string_free: a returned const char* marshalled as string would
// be freed by the marshaller.
using System;
using System.Runtime.InteropServices;

namespace Upkeep.Interop {

  [StructLayout(LayoutKind.Sequential)]
  internal struct Str {
    public IntPtr Data;
    public UIntPtr Size;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct MoneyC {
    public long AmountMinor;
    public int Currency;  // the ISO code's 4 bytes (NUL-padded)
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct BalanceC {
    public UIntPtr Size;
    public long BudgetMinor, ReservedMinor, SpentMinor, AvailableMinor;
    public int BudgetVersion;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct ScopeC {
    public UIntPtr Size;
    public Str Period;
    public int Kind;
    public Str Key;
    public Str Category;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct ControlContextC {
    public UIntPtr Size;
    public Str RuleId, Actor, Period, Customer, Tier, Owner, Region, Category;
    public long AmountMinor, TimeMicros;
    public int UsesInPeriod;
    public IntPtr Path;  // const upk_balance*
    public UIntPtr PathCount;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct AllocationInputC {
    public UIntPtr Size;
    public IntPtr Portfolio;
    public IntPtr Tier;  // const uint32_t*
    public UIntPtr Count, TierCount;
    public MoneyC Pool;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct CallbacksC {  // the three callback tables share this layout
    public UIntPtr Size;
    public IntPtr UserData;
    public IntPtr Function;
    public IntPtr Destroy;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct CustomerC {
    public UIntPtr Size;
    public Str Id, Name, Owner, Region;
    public long RevenueMinor, GrossMarginMinor;
    public double Growth, TenureMonths, OrderCount, RecencyDays, Satisfaction, ChurnRisk;
    public IntPtr Attributes;
    public UIntPtr AttributeCount;
    public IntPtr CustomMetrics;
    public UIntPtr CustomMetricCount;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct CsvOptionsC {
    public UIntPtr Size;
    public Str Currency, Source;
    public int SkipBadRows;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct PlanOptionsC {
    public UIntPtr Size;
    public int HasPool;
    public MoneyC Pool;
    public IntPtr Previous;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct PlanSummaryC {
    public UIntPtr Size, CustomerCount, TierCount;
    public MoneyC Pool;
    public long AllocatedMinor, ReserveMinor, UnallocatedMinor;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct PlanTierC {
    public UIntPtr Size;
    public Str Name, Rule;
    public UIntPtr Customers;
    public long AmountMinor, SmallestMinor, LargestMinor;
    public uint Flags;
    public long BoundMinor;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct PlanCustomerC {
    public UIntPtr Size;
    public Str Id;
    public uint Tier, RuleTier;
    public int TierReason;
    public double Score;
    public long AmountMinor, BaseMinor;
    public ulong Weight;
    public long BoundMinor;
    public uint Step, Flags;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct LedgerOptionsC {
    public UIntPtr Size;
    public Str Currency, BootstrapAdmin;
    public long FixedTimeMicros;
    public int RefundReturnsToBudget;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct EnvelopeC {
    public Str Customer, Tier;
    public long AmountMinor;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct BudgetRequestC {
    public UIntPtr Size;
    public Str OpId, Actor, Period, Category, Reason;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct BudgetChangeC {
    public UIntPtr Size;
    public Str OpId, Actor;
    public ScopeC Scope, To;
    public MoneyC Amount;
    public Str Reason;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct RequestC {
    public UIntPtr Size;
    public Str OpId, Actor, Period, Customer, Category;
    public MoneyC Amount;
    public long ExpiryMicros;
    public Str Reason;
    public int Explain;
    public uint Envelope;  // 0: by names; else upk_ledger_resolve_envelope's handle
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct ResultC {
    public UIntPtr Size;
    public int Status, Outcome, Replayed;
    public uint ReasonCount;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct SettleRequestC {
    public UIntPtr Size;
    public Str OpId, Actor, TargetId;
    public int HasAmount;
    public MoneyC Amount;
    public int ReturnToBudget;
    public Str Reason;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct ReservationC {
    public UIntPtr Size;
    public int Status;
    public long AmountMinor, PostedMinor, RefundedMinor, ExpiryMicros;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct ReasonC {
    public UIntPtr Size;
    public int Outcome;
    public Str RuleId;
    public ScopeC Scope;
    public BalanceC Balance;
    public long RequestedMinor, ShortfallMinor;
    public Str Message, Remedy;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct MonitorOptionsC {
    public UIntPtr Size, AlertLogMax;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct MetricsC {
    public UIntPtr Size;
    public long BudgetMinor, ReservedMinor, SpentMinor, AvailableMinor, UsedMinor, UtilizationBp,
        ElapsedBp, BurnRateMinorPerDay, ProjectedMinor, ExpectedShareBp;
    public int HasDaysUntilExhaustion;
    public long DaysUntilExhaustion, PlanMinor, VarianceMinor;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct AlertC {
    public UIntPtr Size;
    public ulong Seq;
    public Str RuleId;
    public int Kind, Cleared;
    public long ThresholdBp, TimeMicros;
    public ScopeC Scope;
    public MetricsC Metrics;
    public long SpendMinor, MedianMinor;
    public Str Message, Forecast;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct MetricsRequestC {
    public UIntPtr Size;
    public ScopeC Scope;
    public long NowMicros;
    public int HasPlan;
    public long PlanMinor;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct OutcomeRecordC {
    public UIntPtr Size;
    public Str Customer, Period;
    public long RevenueMinor, RevenueBeforeMinor;
    public int Renewal;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct CustomerFeedbackC {
    public UIntPtr Size;
    public Str Id, Customer, Period;
    public int HasSatisfaction, Satisfaction, HasRecommend, Recommend, Complaints;
    public Str Comment;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct AssessmentC {
    public UIntPtr Size;
    public Str Id, Customer, Period, Author;
    public int Role, Rating;
    public Str Comment;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct EffectivenessRequestC {
    public UIntPtr Size;
    public Str Period;
    public int GroupBy;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct BudgetReportRequestC {
    public UIntPtr Size;
    public Str Period;
    public int GroupBy;
    public Str Category;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct UtilizationRequestC {
    public UIntPtr Size;
    public Str Period;
    public int Level;
    public Str Category;
    public long NowMicros;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct CloseRequestC {
    public UIntPtr Size;
    public Str Actor, Period, NextPeriod, CarryLotsJson;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct RolloverSummaryC {
    public UIntPtr Size, SettlementCount;
    public long UnusedMinor, CarriedMinor, ForfeitedMinor, SweptMinor, MovedMinor;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct BookOptionsC {
    public UIntPtr Size;
    public LedgerOptionsC Ledger;
    public int Durability;
    public uint GroupEventsMax;
    public int CreateIfMissing;
    public ulong SnapshotEveryEvents;
    public IntPtr Registry;
  }

  [StructLayout(LayoutKind.Sequential)]
  internal struct TestSummaryC {
    public UIntPtr Size, Passed, Failed;
  }

  [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
  internal delegate int ClassifyFn(IntPtr userData, Str paramsJson, IntPtr portfolio,
                                   UIntPtr tierCount, IntPtr tierOut, IntPtr scoreOut,
                                   UIntPtr count);
  [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
  internal delegate int AllocateFn(IntPtr userData, Str paramsJson, IntPtr input, IntPtr amountOut,
                                   IntPtr weightOut, IntPtr unallocatedOut);
  [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
  internal delegate int EvaluateFn(IntPtr userData, Str paramsJson, IntPtr context, IntPtr verdict);
  [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
  internal delegate void DestroyFn(IntPtr userData);
  [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
  internal delegate void OnAlertFn(IntPtr userData, IntPtr alert);

  internal static class Native {
    private const string Lib = "upkeep";

    [DllImport(Lib)]
    internal static extern IntPtr upk_version();
    [DllImport(Lib)]
    internal static extern int upk_version_number();
    [DllImport(Lib)]
    internal static extern IntPtr upk_status_name(int status);
    [DllImport(Lib)]
    internal static extern IntPtr upk_last_error_message();
    [DllImport(Lib)]
    internal static extern int upk_callback_fail(byte[] message);
    [DllImport(Lib)]
    internal static extern void upk_string_free(IntPtr text);
    [DllImport(Lib)]
    internal static extern IntPtr upk_outcome_name(int outcome);
    [DllImport(Lib)]
    internal static extern int upk_money_format(out IntPtr text, MoneyC money);
    [DllImport(Lib)]
    internal static extern int upk_money_parse(out MoneyC money, Str text, Str currency);
    [DllImport(Lib)]
    internal static extern int upk_control_verdict_add(IntPtr verdict, int outcome,
                                                       long shortfallMinor, Str message,
                                                       Str remedy);

    [DllImport(Lib)]
    internal static extern int upk_registry_new(out RegistryHandle registry);
    [DllImport(Lib)]
    internal static extern void upk_registry_free(IntPtr registry);
    [DllImport(Lib)]
    internal static extern int upk_registry_add_classifier(RegistryHandle registry, Str name,
                                                           ref CallbacksC callbacks);
    [DllImport(Lib)]
    internal static extern int upk_registry_add_allocation(RegistryHandle registry, Str name,
                                                           ref CallbacksC callbacks);
    [DllImport(Lib)]
    internal static extern int upk_registry_add_control(RegistryHandle registry, Str name,
                                                        ref CallbacksC callbacks);

    [DllImport(Lib)]
    internal static extern int upk_policy_compile(out PolicyHandle policy, Str document,
                                                  RegistryHandle registry);
    [DllImport(Lib)]
    internal static extern void upk_policy_free(IntPtr policy);
    [DllImport(Lib)]
    internal static extern int upk_policy_currency(out Str currency, PolicyHandle policy);
    [DllImport(Lib)]
    internal static extern int upk_policy_tier_count(out UIntPtr count, PolicyHandle policy);
    [DllImport(Lib)]
    internal static extern int upk_policy_tier_name(out Str name, PolicyHandle policy,
                                                    UIntPtr tier);

    [DllImport(Lib)]
    internal static extern int upk_portfolio_builder_new(out BuilderHandle builder, Str currency);
    [DllImport(Lib)]
    internal static extern void upk_portfolio_builder_free(IntPtr builder);
    [DllImport(Lib)]
    internal static extern int upk_portfolio_builder_add(BuilderHandle builder,
                                                         ref CustomerC customer);
    [DllImport(Lib)]
    internal static extern int upk_portfolio_build(out PortfolioHandle portfolio,
                                                   BuilderHandle builder);
    [DllImport(Lib)]
    internal static extern int upk_portfolio_from_csv(out PortfolioHandle portfolio,
                                                      out IntPtr rejectedJson, Str csv,
                                                      ref CsvOptionsC options);
    [DllImport(Lib)]
    internal static extern void upk_portfolio_free(IntPtr portfolio);
    [DllImport(Lib)]
    internal static extern int upk_portfolio_count(out UIntPtr count, IntPtr portfolio);
    [DllImport(Lib)]
    internal static extern int upk_portfolio_customer(ref CustomerC customer, IntPtr portfolio,
                                                      UIntPtr index);
    [DllImport(Lib)]
    internal static extern int upk_portfolio_find(out UIntPtr index, IntPtr portfolio, Str id);
    [DllImport(Lib)]
    internal static extern int upk_portfolio_metric(out double value, IntPtr portfolio, Str metric,
                                                    UIntPtr index);

    [DllImport(Lib)]
    internal static extern int upk_plan_new(out PlanHandle plan, PolicyHandle policy,
                                            PortfolioHandle portfolio, ref PlanOptionsC options);
    [DllImport(Lib)]
    internal static extern void upk_plan_free(IntPtr plan);
    [DllImport(Lib)]
    internal static extern int upk_plan_summary_get(ref PlanSummaryC summary, PlanHandle plan);
    [DllImport(Lib)]
    internal static extern int upk_plan_tier_get(ref PlanTierC tier, PlanHandle plan,
                                                 UIntPtr index);
    [DllImport(Lib)]
    internal static extern int upk_plan_customer_get(ref PlanCustomerC customer, PlanHandle plan,
                                                     UIntPtr index);
    [DllImport(Lib)]
    internal static extern int upk_plan_find_customer(out UIntPtr index, PlanHandle plan, Str id);
    [DllImport(Lib)]
    internal static extern int upk_plan_explain_tier(out IntPtr text, PlanHandle plan,
                                                     UIntPtr index);
    [DllImport(Lib)]
    internal static extern int upk_plan_explain_amount(out IntPtr text, PlanHandle plan,
                                                       UIntPtr index);
    [DllImport(Lib)]
    internal static extern int upk_plan_to_json(out IntPtr text, PlanHandle plan);

    [DllImport(Lib)]
    internal static extern int upk_ledger_new(out LedgerHandle ledger, ref LedgerOptionsC options);
    [DllImport(Lib)]
    internal static extern void upk_ledger_free(IntPtr ledger);
    [DllImport(Lib)]
    internal static extern int upk_ledger_define_actor(LedgerHandle ledger, Str actor, Str id,
                                                       int role);
    [DllImport(Lib)]
    internal static extern int upk_ledger_define_category(LedgerHandle ledger, Str actor,
                                                          Str category);
    [DllImport(Lib)]
    internal static extern int upk_ledger_define_tier(LedgerHandle ledger, Str actor, Str tier);
    [DllImport(Lib)]
    internal static extern int upk_ledger_define_customer(LedgerHandle ledger, Str actor, Str id,
                                                          Str tier, Str owner, Str region);
    [DllImport(Lib)]
    internal static extern int upk_ledger_define_period(LedgerHandle ledger, Str actor, Str id,
                                                        long startMicros, long endMicros);
    [DllImport(Lib)]
    internal static extern int upk_ledger_close_period(LedgerHandle ledger, Str actor, Str period);
    [DllImport(Lib)]
    internal static extern int upk_ledger_set_policies(LedgerHandle ledger, Str actor,
                                                       Str controlJson, RegistryHandle registry);
    [DllImport(Lib)]
    internal static extern int upk_ledger_apply_allocation(LedgerHandle ledger,
                                                           ref BudgetRequestC request,
                                                           EnvelopeC[] envelopes, UIntPtr count);
    [DllImport(Lib)]
    internal static extern int upk_ledger_apply_plan(LedgerHandle ledger,
                                                     ref BudgetRequestC request, PlanHandle plan);
    [DllImport(Lib)]
    internal static extern int upk_ledger_revise(LedgerHandle ledger, ref BudgetChangeC change);
    [DllImport(Lib)]
    internal static extern int upk_ledger_transfer(LedgerHandle ledger, ref BudgetChangeC change);
    [DllImport(Lib)]
    internal static extern int upk_ledger_reserve(ref ResultC result, DecisionHandle details,
                                                  LedgerHandle ledger, ref RequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_spend(ref ResultC result, DecisionHandle details,
                                                LedgerHandle ledger, ref RequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_check(ref ResultC result, DecisionHandle details,
                                                LedgerHandle ledger, ref RequestC request,
                                                int asSpend);
    [DllImport(Lib)]
    internal static extern int upk_ledger_resolve_envelope(out uint handle, LedgerHandle ledger,
                                                           Str period, Str customer, Str category);
    [DllImport(Lib)]
    internal static extern int upk_ledger_reserve_batch([In, Out] ResultC[] results,
                                                        LedgerHandle ledger,
                                                        [In] RequestC[] requests, UIntPtr count);
    [DllImport(Lib)]
    internal static extern int upk_ledger_spend_batch([In, Out] ResultC[] results,
                                                      LedgerHandle ledger, [In] RequestC[] requests,
                                                      UIntPtr count);
    [DllImport(Lib)]
    internal static extern int upk_ledger_check_batch([In, Out] ResultC[] results,
                                                      LedgerHandle ledger, [In] RequestC[] requests,
                                                      UIntPtr count, int asSpend);
    [DllImport(Lib)]
    internal static extern int upk_ledger_post(LedgerHandle ledger, ref SettleRequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_void(LedgerHandle ledger, ref SettleRequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_refund(LedgerHandle ledger, ref SettleRequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_expire(out long count, LedgerHandle ledger, Str actor,
                                                 long nowMicros);
    [DllImport(Lib)]
    internal static extern int upk_ledger_approve(ref ResultC result, DecisionHandle details,
                                                  LedgerHandle ledger, Str actor, Str approvalId,
                                                  Str reason);
    [DllImport(Lib)]
    internal static extern int upk_ledger_reject_approval(LedgerHandle ledger, Str actor,
                                                          Str approvalId, Str reason);
    [DllImport(Lib)]
    internal static extern int upk_ledger_withdraw_approval(LedgerHandle ledger, Str actor,
                                                            Str approvalId, Str reason);
    [DllImport(Lib)]
    internal static extern int upk_ledger_balance(ref BalanceC balance, LedgerHandle ledger,
                                                  ref ScopeC scope);
    [DllImport(Lib)]
    internal static extern int upk_ledger_reservation(ref ReservationC reservation,
                                                      LedgerHandle ledger, Str opId);
    [DllImport(Lib)]
    internal static extern int upk_ledger_scopes_json(out IntPtr text, LedgerHandle ledger);
    [DllImport(Lib)]
    internal static extern int upk_ledger_pending_approvals_json(out IntPtr text,
                                                                 LedgerHandle ledger);
    [DllImport(Lib)]
    internal static extern int upk_ledger_dump_state(out IntPtr text, LedgerHandle ledger);
    [DllImport(Lib)]
    internal static extern int upk_ledger_journal_size(out ulong size, LedgerHandle ledger);
    [DllImport(Lib)]
    internal static extern int upk_ledger_journal_seal([Out] byte[] head, LedgerHandle ledger);
    [DllImport(Lib)]
    internal static extern int upk_ledger_journal_verify(LedgerHandle ledger);

    [DllImport(Lib)]
    internal static extern int upk_decision_new(out DecisionHandle decision);
    [DllImport(Lib)]
    internal static extern void upk_decision_free(IntPtr decision);
    [DllImport(Lib)]
    internal static extern int upk_decision_reason_count(out UIntPtr count,
                                                         DecisionHandle decision);
    [DllImport(Lib)]
    internal static extern int upk_decision_reason(ref ReasonC reason, DecisionHandle decision,
                                                   UIntPtr index);
    [DllImport(Lib)]
    internal static extern int upk_decision_explain(out IntPtr text, DecisionHandle decision);

    [DllImport(Lib)]
    internal static extern int upk_ledger_attach_monitoring(LedgerHandle ledger,
                                                            PolicyHandle policy,
                                                            [In] MonitorOptionsC[] options);
    [DllImport(Lib)]
    internal static extern int upk_ledger_sweep(LedgerHandle ledger, long nowMicros);
    [DllImport(Lib)]
    internal static extern int upk_alert_list_new(out AlertListHandle list);
    [DllImport(Lib)]
    internal static extern void upk_alert_list_free(IntPtr list);
    [DllImport(Lib)]
    internal static extern int upk_alert_list_count(out UIntPtr count, AlertListHandle list);
    [DllImport(Lib)]
    internal static extern int upk_alert_list_get(ref AlertC alert, AlertListHandle list,
                                                  UIntPtr index);
    [DllImport(Lib)]
    internal static extern int upk_alert_list_to_json(out IntPtr text, AlertListHandle list);
    [DllImport(Lib)]
    internal static extern int upk_ledger_alerts(AlertListHandle list, LedgerHandle ledger,
                                                 int which);
    [DllImport(Lib)]
    internal static extern int upk_ledger_subscribe_alerts(LedgerHandle ledger,
                                                           ref CallbacksC callbacks);
    [DllImport(Lib)]
    internal static extern int upk_ledger_metrics(ref MetricsC metrics, LedgerHandle ledger,
                                                  ref MetricsRequestC request);

    [DllImport(Lib)]
    internal static extern int upk_ledger_budget_report_json(out IntPtr text, LedgerHandle ledger,
                                                             ref BudgetReportRequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_utilization_json(out IntPtr text, LedgerHandle ledger,
                                                           ref UtilizationRequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_forecast_json(out IntPtr text, LedgerHandle ledger,
                                                        ref MetricsRequestC request);

    [DllImport(Lib)]
    internal static extern int upk_ledger_record_outcome(out int result, LedgerHandle ledger,
                                                         ref OutcomeRecordC record);
    [DllImport(Lib)]
    internal static extern int upk_ledger_record_feedback(out int result, LedgerHandle ledger,
                                                          ref CustomerFeedbackC record);
    [DllImport(Lib)]
    internal static extern int upk_ledger_record_assessment(out int result, LedgerHandle ledger,
                                                            ref AssessmentC record);
    [DllImport(Lib)]
    internal static extern int upk_ledger_record_outcomes(out UIntPtr done, LedgerHandle ledger,
                                                          [In] OutcomeRecordC[] records,
                                                          UIntPtr count);
    [DllImport(Lib)]
    internal static extern int upk_ledger_record_feedbacks(out UIntPtr done, LedgerHandle ledger,
                                                           [In] CustomerFeedbackC[] records,
                                                           UIntPtr count);
    [DllImport(Lib)]
    internal static extern int upk_ledger_record_assessments(out UIntPtr done, LedgerHandle ledger,
                                                             [In] AssessmentC[] records,
                                                             UIntPtr count);
    [DllImport(Lib)]
    internal static extern int upk_ledger_feedback_json(out IntPtr text, LedgerHandle ledger);
    [DllImport(Lib)]
    internal static extern int upk_ledger_effectiveness_json(out IntPtr text, LedgerHandle ledger,
                                                             ref EffectivenessRequestC request);
    [DllImport(Lib)]
    internal static extern int upk_ledger_propose(out ProposalHandle proposal, LedgerHandle ledger,
                                                  PolicyHandle policy, Str period);
    [DllImport(Lib)]
    internal static extern void upk_proposal_free(IntPtr proposal);
    [DllImport(Lib)]
    internal static extern int upk_proposal_state(out int state, ProposalHandle proposal);
    [DllImport(Lib)]
    internal static extern int upk_proposal_approve(ProposalHandle proposal, Str actor);
    [DllImport(Lib)]
    internal static extern int upk_proposal_reject(ProposalHandle proposal, Str actor);
    [DllImport(Lib)]
    internal static extern int upk_proposal_mark_applied(ProposalHandle proposal);
    [DllImport(Lib)]
    internal static extern int upk_proposal_to_json(out IntPtr text, ProposalHandle proposal);
    [DllImport(Lib)]
    internal static extern int upk_proposal_simulate_json(out IntPtr text, PolicyHandle policy,
                                                          PlanHandle current, PortfolioHandle next,
                                                          ProposalHandle proposal,
                                                          ref PlanOptionsC options);
    [DllImport(Lib)]
    internal static extern int upk_plan_from_proposal(out PlanHandle plan, PolicyHandle policy,
                                                      PlanHandle current, PortfolioHandle next,
                                                      ProposalHandle proposal,
                                                      ref PlanOptionsC options);

    [DllImport(Lib)]
    internal static extern int upk_ledger_close_and_rollover(ref RolloverSummaryC summary,
                                                             out IntPtr planJson,
                                                             LedgerHandle ledger,
                                                             PolicyHandle policy,
                                                             ref CloseRequestC request);

    [DllImport(Lib)]
    internal static extern int upk_book_open(out LedgerHandle book, Str uri,
                                             ref BookOptionsC options);
    [DllImport(Lib)]
    internal static extern int upk_book_commit(LedgerHandle book);
    [DllImport(Lib)]
    internal static extern int upk_book_snapshot(out ulong covered, LedgerHandle book);
    [DllImport(Lib)]
    internal static extern int upk_book_verify(LedgerHandle book);
    [DllImport(Lib)]
    internal static extern int upk_book_close(IntPtr book);

    [DllImport(Lib)]
    internal static extern int upk_currency_exponent(out int exponent, Str currency);
    [DllImport(Lib)]
    internal static extern int upk_ledger_set_dimension_budget(LedgerHandle ledger,
                                                               ref BudgetChangeC change);
    [DllImport(Lib)]
    internal static extern int upk_ledger_history_json(out IntPtr text, LedgerHandle ledger,
                                                       ref ScopeC scope);
    [DllImport(Lib)]
    internal static extern int upk_plan_explain_sizing(out IntPtr text, PlanHandle plan);

    [DllImport(Lib)]
    internal static extern int upk_run_policy_tests(ref TestSummaryC summary, out IntPtr report,
                                                    Str casesJson, RegistryHandle registry);
  }

}  // namespace Upkeep.Interop
