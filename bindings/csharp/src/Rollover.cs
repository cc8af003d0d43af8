// Rollover.cs: period close, and what each envelope's unused or overspent money becomes in the
// next period, by the "rollover" section of a policy document (docs/monitoring.md).
using System;
using Upkeep.Interop;

namespace Upkeep {

  // The totals of a close in minor units (Unused == Carried + Forfeited + Swept + Moved), and the
  // whole plan as JSON text: every settlement with its rule and explanation, and "lots_after"
  // (pass it to the next close when carry_expiring rules are used).
  public sealed class RolloverResult {
    public long SettlementCount, UnusedMinor, CarriedMinor, ForfeitedMinor, SweptMinor, MovedMinor;
    public string PlanJson;
  }

  public sealed partial class Ledger {
    // Closes `period` and settles it into `nextPeriod` (allocate the next period first). Errors
    // change nothing. carryLotsJson: the previous close's "lots_after", or "" for none.
    public RolloverResult CloseAndRollover(Policy policy, string actor, string period,
                                           string nextPeriod, string carryLotsJson = "") {
      if (policy == null)
        throw new ArgumentNullException("policy");
      using (var t = new Utf8Scope()) {
        var request =
            new CloseRequestC { Size = Sizes.CloseRequest, Actor = t.S(actor), Period = t.S(period),
                                NextPeriod = t.S(nextPeriod), CarryLotsJson = t.S(carryLotsJson) };
        var summary = new RolloverSummaryC { Size = Sizes.RolloverSummary };
        IntPtr plan;
        Status.Check(Native.upk_ledger_close_and_rollover(ref summary, out plan, handle_,
                                                          policy.Handle, ref request));
        return new RolloverResult { SettlementCount =
                                        checked((long)summary.SettlementCount.ToUInt64()),
                                    UnusedMinor = summary.UnusedMinor,
                                    CarriedMinor = summary.CarriedMinor,
                                    ForfeitedMinor = summary.ForfeitedMinor,
                                    SweptMinor = summary.SweptMinor,
                                    MovedMinor = summary.MovedMinor,
                                    PlanJson = Text.Take(plan) };
      }
    }
  }

}  // namespace Upkeep
