// Monitoring.cs: monitoring of a ledger: alerts pulled (objects or JSON) or raised as the
// AlertRaised event, one scope's metrics, and the reports as JSON text (budget vs actual,
// utilization by level, forecast per scope; amounts as decimal strings).
//
// AlertRaised handlers run on the thread whose ledger call raised the alert, inside that call
// (the ledger is locked: they must not call the ledger). An exception a handler throws is
// caught in the bridge and rethrown, as itself, from that ledger call when it returns; the
// operation itself was applied. The library holds the handlers through a GCHandle that its
// destroy callback frees when the ledger is freed; the bridge delegates are static (never
// collected), so no handler can be called after being collected.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Upkeep.Interop;

namespace Upkeep {

  public enum AlertKind { Threshold = 0, Pace = 1, ForecastBreach = 2, Anomaly = 3, UnderUse = 4 }
  // Which alerts to pull: active ones, the whole log, or those new since the last New pull.
  public enum AlertSet { Active = 0, Log = 1, New = 2 }
  // What a budget-vs-actual report groups the envelopes by.
  public enum Dimension { Company = 0, Tier = 1, Customer = 2, Owner = 3, Region = 4, Category = 5 }

  // The numbers of one scope at one time: money in minor units, shares in basis points.
  public sealed class Metrics {
    public long BudgetMinor, ReservedMinor, SpentMinor, AvailableMinor, UsedMinor;
    public long UtilizationBp, ElapsedBp, BurnRateMinorPerDay, ProjectedMinor, ExpectedShareBp;
    public long? DaysUntilExhaustion;
    public long PlanMinor, VarianceMinor;
    internal static Metrics From(MetricsC m) {
      return new Metrics { BudgetMinor = m.BudgetMinor,
                           ReservedMinor = m.ReservedMinor,
                           SpentMinor = m.SpentMinor,
                           AvailableMinor = m.AvailableMinor,
                           UsedMinor = m.UsedMinor,
                           UtilizationBp = m.UtilizationBp,
                           ElapsedBp = m.ElapsedBp,
                           BurnRateMinorPerDay = m.BurnRateMinorPerDay,
                           ProjectedMinor = m.ProjectedMinor,
                           ExpectedShareBp = m.ExpectedShareBp,
                           DaysUntilExhaustion =
                               m.HasDaysUntilExhaustion != 0 ? m.DaysUntilExhaustion : (long?)null,
                           PlanMinor = m.PlanMinor,
                           VarianceMinor = m.VarianceMinor };
    }
  }

  public sealed class Alert {
    public ulong Seq;
    public string RuleId, Message, Forecast;
    public AlertKind Kind;
    public bool Cleared;
    public long ThresholdBp, TimeMicros, SpendMinor, MedianMinor;
    public Scope Scope;
    public Metrics Metrics;
    internal static Alert From(AlertC a) {
      return new Alert { Seq = a.Seq,
                         RuleId = Text.From(a.RuleId),
                         Kind = (AlertKind)a.Kind,
                         Cleared = a.Cleared != 0,
                         ThresholdBp = a.ThresholdBp,
                         TimeMicros = a.TimeMicros,
                         Scope = Scope.From(a.Scope),
                         Metrics = Metrics.From(a.Metrics),
                         SpendMinor = a.SpendMinor,
                         MedianMinor = a.MedianMinor,
                         Message = Text.From(a.Message),
                         Forecast = Text.From(a.Forecast) };
    }
  }

  public sealed partial class Ledger {
    // The subscribers of AlertRaised; the library holds it (GCHandle) once the first one is added.
    // It must not refer to the Ledger, or the GCHandle would keep the Ledger from being collected.
    private sealed class AlertHandlers { internal Action<Alert> Handlers; }
    private AlertHandlers alertHandlers_;
    private readonly object alertLock_ = new object();

    // Attaches monitoring with the alert rules of the policy's "monitoring" section (null: no
    // rules; metrics and reports still work). The journal so far is replayed into it. Once per
    // ledger (AlreadyExistsException the second time).
    public void AttachMonitoring(Policy policy = null, long? alertLogMax = null) {
      MonitorOptionsC[] options = null;
      if (alertLogMax.HasValue) {
        options = new[] { new MonitorOptionsC {
          Size = Sizes.MonitorOptions, AlertLogMax = (UIntPtr)checked((ulong)alertLogMax.Value)
        } };
      }
      Status.Check(Native.upk_ledger_attach_monitoring(
          handle_, policy == null ? PolicyHandle.Null : policy.Handle, options));
    }

    // Evaluates the rules that depend on time passing (pace, forecast breach, under-use).
    public void Sweep(long nowMicros) {
      Status.Check(Native.upk_ledger_sweep(handle_, nowMicros));
    }

    public IList<Alert> ActiveAlerts() {
      return Pull(AlertSet.Active);
    }
    public IList<Alert> AlertLog() {
      return Pull(AlertSet.Log);
    }
    public IList<Alert> TakeAlerts() {
      return Pull(AlertSet.New);
    }

    // The alerts as JSON text (amounts as decimal strings, the scope's metrics then).
    public string AlertsJson(AlertSet which = AlertSet.Active) {
      using (AlertListHandle list = PullInto(which)) {
        IntPtr text;
        Status.Check(Native.upk_alert_list_to_json(out text, list));
        return Text.Take(text);
      }
    }

    private AlertListHandle PullInto(AlertSet which) {
      AlertListHandle list;
      Status.Check(Native.upk_alert_list_new(out list));
      try {
        Status.Check(Native.upk_ledger_alerts(list, handle_, (int)which));
        return list;
      } catch {
        list.Dispose();
        throw;
      }
    }

    private IList<Alert> Pull(AlertSet which) {
      using (AlertListHandle list = PullInto(which)) {
        UIntPtr count;
        Status.Check(Native.upk_alert_list_count(out count, list));
        var alerts = new List<Alert>();
        for (ulong i = 0; i < count.ToUInt64(); ++i) {
          var a = new AlertC { Size = Sizes.Alert };
          Status.Check(Native.upk_alert_list_get(ref a, list, (UIntPtr)i));
          alerts.Add(Alert.From(a));
        }
        return alerts;
      }
    }

    // Raised for every alert raised or cleared after the first handler was added (see the top of
    // this file for the thread and for exceptions).
    public event Action<Alert> AlertRaised {
      add {
        lock (alertLock_) {
          if (alertHandlers_ == null) {
            var handlers = new AlertHandlers();
            var table =
                new CallbacksC { Size = Sizes.Callbacks,
                                 UserData = GCHandle.ToIntPtr(GCHandle.Alloc(handlers)),
                                 Function = AlertBridge.OnAlertPtr, Destroy = Bridges.DestroyPtr };
            // On failure the library has already run destroy (freeing the GCHandle).
            Status.Check(Native.upk_ledger_subscribe_alerts(handle_, ref table));
            alertHandlers_ = handlers;
          }
          alertHandlers_.Handlers += value;
        }
      }
      remove {
        lock (alertLock_) {
          if (alertHandlers_ != null)
            alertHandlers_.Handlers -= value;
        }
      }
    }

    // The numbers of a scope at nowMicros; planMinor null: the plan is the current budget.
    public Metrics GetMetrics(Scope scope, long nowMicros, long? planMinor = null) {
      using (var t = new Utf8Scope()) {
        var request = MetricsRequest(t, scope, nowMicros, planMinor);
        var m = new MetricsC { Size = Sizes.Metrics };
        Status.Check(Native.upk_ledger_metrics(ref m, handle_, ref request));
        return Metrics.From(m);
      }
    }

    private static MetricsRequestC MetricsRequest(Utf8Scope t, Scope scope, long nowMicros,
                                                  long? planMinor) {
      return new MetricsRequestC { Size = Sizes.MetricsRequest, Scope = scope.ToC(t),
                                   NowMicros = nowMicros, HasPlan = planMinor.HasValue ? 1 : 0,
                                   PlanMinor = planMinor ?? 0 };
    }

    // Budget vs actual of a period's envelopes grouped by a dimension (optionally one category):
    // monthly and cumulative actuals, variance and utilization per row, and a total.
    public string BudgetReportJson(string period, Dimension groupBy = Dimension.Tier,
                                   string category = "") {
      using (var t = new Utf8Scope()) {
        var request =
            new BudgetReportRequestC { Size = Sizes.BudgetReportRequest, Period = t.S(period),
                                       GroupBy = (int)groupBy, Category = t.S(category) };
        IntPtr text;
        Status.Check(Native.upk_ledger_budget_report_json(out text, handle_, ref request));
        return Text.Take(text);
      }
    }

    // Every scope of a level in a period (utilization by tier by default), with its metrics and
    // forecast at nowMicros, sorted by key.
    public string UtilizationJson(string period, ScopeKind level = ScopeKind.Tier,
                                  string category = "", long nowMicros = 0) {
      using (var t = new Utf8Scope()) {
        var request = new UtilizationRequestC { Size = Sizes.UtilizationRequest,
                                                Period = t.S(period), Level = (int)level,
                                                Category = t.S(category), NowMicros = nowMicros };
        IntPtr text;
        Status.Check(Native.upk_ledger_utilization_json(out text, handle_, ref request));
        return Text.Take(text);
      }
    }

    // One scope's metrics and forecast ("forecast": the projection in words).
    public string ForecastJson(Scope scope, long nowMicros, long? planMinor = null) {
      using (var t = new Utf8Scope()) {
        var request = MetricsRequest(t, scope, nowMicros, planMinor);
        IntPtr text;
        Status.Check(Native.upk_ledger_forecast_json(out text, handle_, ref request));
        return Text.Take(text);
      }
    }

    // The native entry point of AlertRaised. A static delegate: never collected.
    private static class AlertBridge {
      private static readonly OnAlertFn OnAlert = OnAlertBridge;
      internal static readonly IntPtr OnAlertPtr = Marshal.GetFunctionPointerForDelegate(OnAlert);

      private static void OnAlertBridge(IntPtr userData, IntPtr alert) {
        try {
          var handlers = (AlertHandlers)GCHandle.FromIntPtr(userData).Target;
          Action<Alert> call = handlers.Handlers;
          if (call != null)
            call(Alert.From((AlertC)Marshal.PtrToStructure(alert, typeof(AlertC))));
        } catch (Exception e) {
          Status.Remember(e);
        }
      }
    }
  }

}  // namespace Upkeep
