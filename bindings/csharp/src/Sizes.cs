// Sizes.cs: the size field of each C struct, as its _INIT macro sets it.
using System;
using System.Runtime.InteropServices;

namespace Upkeep.Interop {

  internal static class Sizes {
    private static UIntPtr Of(Type t) {
      return (UIntPtr)Marshal.SizeOf(t);
    }
    internal static readonly UIntPtr Customer = Of(typeof(CustomerC));
    internal static readonly UIntPtr PlanOptions = Of(typeof(PlanOptionsC));
    internal static readonly UIntPtr PlanSummary = Of(typeof(PlanSummaryC));
    internal static readonly UIntPtr PlanTier = Of(typeof(PlanTierC));
    internal static readonly UIntPtr PlanCustomer = Of(typeof(PlanCustomerC));
    internal static readonly UIntPtr LedgerOptions = Of(typeof(LedgerOptionsC));
    internal static readonly UIntPtr BudgetRequest = Of(typeof(BudgetRequestC));
    internal static readonly UIntPtr BudgetChange = Of(typeof(BudgetChangeC));
    internal static readonly UIntPtr Scope = Of(typeof(ScopeC));
    internal static readonly UIntPtr Balance = Of(typeof(BalanceC));
    internal static readonly UIntPtr Request = Of(typeof(RequestC));
    internal static readonly UIntPtr Result = Of(typeof(ResultC));
    internal static readonly UIntPtr Settle = Of(typeof(SettleRequestC));
    internal static readonly UIntPtr Reservation = Of(typeof(ReservationC));
    internal static readonly UIntPtr Reason = Of(typeof(ReasonC));
    internal static readonly UIntPtr Callbacks = Of(typeof(CallbacksC));
    internal static readonly UIntPtr TestSummary = Of(typeof(TestSummaryC));
    internal static readonly UIntPtr MonitorOptions = Of(typeof(MonitorOptionsC));
    internal static readonly UIntPtr Metrics = Of(typeof(MetricsC));
    internal static readonly UIntPtr Alert = Of(typeof(AlertC));
    internal static readonly UIntPtr MetricsRequest = Of(typeof(MetricsRequestC));
    internal static readonly UIntPtr BudgetReportRequest = Of(typeof(BudgetReportRequestC));
    internal static readonly UIntPtr UtilizationRequest = Of(typeof(UtilizationRequestC));
    internal static readonly UIntPtr CloseRequest = Of(typeof(CloseRequestC));
    internal static readonly UIntPtr RolloverSummary = Of(typeof(RolloverSummaryC));
    internal static readonly UIntPtr OutcomeRecord = Of(typeof(OutcomeRecordC));
    internal static readonly UIntPtr CustomerFeedback = Of(typeof(CustomerFeedbackC));
    internal static readonly UIntPtr Assessment = Of(typeof(AssessmentC));
    internal static readonly UIntPtr EffectivenessRequest = Of(typeof(EffectivenessRequestC));
    internal static readonly UIntPtr BookOptions = Of(typeof(BookOptionsC));
  }

}  // namespace Upkeep.Interop
