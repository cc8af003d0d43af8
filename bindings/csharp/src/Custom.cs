// Custom.cs: classifiers, allocation policies and control policies written in C#, and the
// policy test runner.
//
// Subclass Classifier, AllocationPolicy or ControlPolicy, add an instance to a Registry under a
// name, and name it in a policy (or control) document like a built-in. The registry hands the
// library a GCHandle to the instance as user_data; the library's destroy callback (which runs
// exactly once, when the registry and everything compiled with it are gone) frees it. The
// bridge delegates are static, so they live as long as the program. Every bridge catches
// everything: an exception thrown by a policy fails the call that ran it and is rethrown, as
// itself, from that call (a control policy's failure also rejects the request: custom controls
// fail closed).
//
// Threading (docs/threading.md): the library may call one policy from several threads at once;
// a control policy runs while the ledger holds its lock and must not call the ledger.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Upkeep.Interop;

namespace Upkeep {

  public struct Placement {
    public int Tier;  // 0 = the highest
    public double Score;
    public Placement(int tier, double score) {
      Tier = tier;
      Score = score;
    }
  }

  public abstract class Classifier {
    // One placement per customer, in portfolio order.
    public abstract IList<Placement> Classify(string paramsJson, Portfolio portfolio,
                                              int tierCount);
  }

  public sealed class Allocation {
    public long[] AmountsMinor;  // per customer, portfolio order
    public ulong[] Weights;      // the numbers that explain them
    public long UnallocatedMinor;
  }

  public abstract class AllocationPolicy {
    // Amounts plus the unallocated rest must add up to the pool exactly.
    public abstract Allocation Allocate(string paramsJson, Portfolio portfolio, int[] tiers,
                                        int tierCount, long poolMinor);
  }

  public sealed class ControlContext {
    public string RuleId, Actor, Period, Customer, Tier, Owner, Region, Category;
    public long AmountMinor, TimeMicros;
    public int UsesInPeriod;
    public Balance[] Path;  // envelope, tier, company (then owner, region)
  }

  public struct Verdict {
    public Outcome Outcome;
    public long ShortfallMinor;
    public string Message, Remedy;
    public Verdict(Outcome outcome, string message, string remedy = "", long shortfallMinor = 0) {
      Outcome = outcome;
      Message = message;
      Remedy = remedy;
      ShortfallMinor = shortfallMinor;
    }
  }

  public abstract class ControlPolicy {
    // Zero or more verdicts (null: nothing to say).
    public abstract IEnumerable<Verdict> Evaluate(string paramsJson, ControlContext context);
  }

  public sealed class Registry : IDisposable {
    private readonly RegistryHandle handle_;

    public Registry() {
      Status.Check(Native.upk_registry_new(out handle_));
    }
    public void Dispose() {
      handle_.Dispose();
    }

    internal static RegistryHandle HandleOf(Registry registry) {
      return registry == null ? RegistryHandle.Null : registry.handle_;
    }

    public void Add(string name, Classifier classifier) {
      Register(0, name, classifier, Bridges.ClassifyPtr);
    }
    public void Add(string name, AllocationPolicy policy) {
      Register(1, name, policy, Bridges.AllocatePtr);
    }
    public void Add(string name, ControlPolicy policy) {
      Register(2, name, policy, Bridges.EvaluatePtr);
    }

    private void Register(int kind, string name, object policy, IntPtr function) {
      if (policy == null)
        throw new ArgumentNullException("policy");
      var table = new CallbacksC { Size = Sizes.Callbacks,
                                   UserData = GCHandle.ToIntPtr(GCHandle.Alloc(policy)),
                                   Function = function, Destroy = Bridges.DestroyPtr };
      using (var t = new Utf8Scope()) {
        // On failure the library has already run destroy (freeing the GCHandle).
        Status.Check(kind == 0   ? Native.upk_registry_add_classifier(handle_, t.S(name), ref table)
                     : kind == 1 ? Native.upk_registry_add_allocation(handle_, t.S(name), ref table)
                                 : Native.upk_registry_add_control(handle_, t.S(name), ref table));
      }
    }
  }

  // The native entry points of custom policies. Static delegates: never collected.
  internal static class Bridges {
    private static readonly ClassifyFn Classify = ClassifyBridge;
    private static readonly AllocateFn Allocate = AllocateBridge;
    private static readonly EvaluateFn Evaluate = EvaluateBridge;
    private static readonly DestroyFn Destroy = DestroyBridge;
    internal static readonly IntPtr ClassifyPtr = Marshal.GetFunctionPointerForDelegate(Classify);
    internal static readonly IntPtr AllocatePtr = Marshal.GetFunctionPointerForDelegate(Allocate);
    internal static readonly IntPtr EvaluatePtr = Marshal.GetFunctionPointerForDelegate(Evaluate);
    internal static readonly IntPtr DestroyPtr = Marshal.GetFunctionPointerForDelegate(Destroy);

    private static T Target<T>(IntPtr userData) {
      return (T)GCHandle.FromIntPtr(userData).Target;
    }

    private static int ClassifyBridge(IntPtr userData, Str paramsJson, IntPtr portfolio,
                                      UIntPtr tierCount, IntPtr tierOut, IntPtr scoreOut,
                                      UIntPtr count) {
      try {
        int n = checked((int)count.ToUInt64());
        IList<Placement> placed = Target<Classifier>(userData).Classify(
            Text.From(paramsJson), new Portfolio(portfolio), checked((int)tierCount.ToUInt64()));
        if (placed == null || placed.Count != n) {
          throw new InvalidOperationException("Classify returned " +
                                              (placed == null ? 0 : placed.Count) +
                                              " placements for " + n + " customers");
        }
        var tiers = new int[n];
        var scores = new double[n];
        for (int i = 0; i < n; ++i) {
          tiers[i] = placed[i].Tier;
          scores[i] = placed[i].Score;
        }
        Marshal.Copy(tiers, 0, tierOut, n);
        Marshal.Copy(scores, 0, scoreOut, n);
        return 0;
      } catch (Exception e) {
        return Status.Remember(e);
      }
    }

    private static int AllocateBridge(IntPtr userData, Str paramsJson, IntPtr input,
                                      IntPtr amountOut, IntPtr weightOut, IntPtr unallocatedOut) {
      try {
        var given = (AllocationInputC)Marshal.PtrToStructure(input, typeof(AllocationInputC));
        int n = checked((int)given.Count.ToUInt64());
        var tiers = new int[n];
        if (n > 0)
          Marshal.Copy(given.Tier, tiers, 0, n);
        Allocation a = Target<AllocationPolicy>(userData).Allocate(
            Text.From(paramsJson), new Portfolio(given.Portfolio), tiers,
            checked((int)given.TierCount.ToUInt64()), given.Pool.AmountMinor);
        if (a == null || a.AmountsMinor == null || a.Weights == null ||
            a.AmountsMinor.Length != n || a.Weights.Length != n) {
          throw new InvalidOperationException("Allocate must return " + n + " amounts and weights");
        }
        var weights = new long[n];
        for (int i = 0; i < n; ++i) weights[i] = unchecked((long)a.Weights[i]);
        Marshal.Copy(a.AmountsMinor, 0, amountOut, n);
        Marshal.Copy(weights, 0, weightOut, n);
        Marshal.WriteInt64(unallocatedOut, a.UnallocatedMinor);
        return 0;
      } catch (Exception e) {
        return Status.Remember(e);
      }
    }

    private static int EvaluateBridge(IntPtr userData, Str paramsJson, IntPtr context,
                                      IntPtr verdict) {
      try {
        var c = (ControlContextC)Marshal.PtrToStructure(context, typeof(ControlContextC));
        int pathCount = checked((int)c.PathCount.ToUInt64());
        int stride = Marshal.SizeOf(typeof(BalanceC));
        var path = new Balance[pathCount];
        for (int i = 0; i < pathCount; ++i) {
          path[i] = Balance.From((BalanceC)Marshal.PtrToStructure(
              new IntPtr(c.Path.ToInt64() + (long)i * stride), typeof(BalanceC)));
        }
        var ctx =
            new ControlContext { RuleId = Text.From(c.RuleId),  Actor = Text.From(c.Actor),
                                 Period = Text.From(c.Period),  Customer = Text.From(c.Customer),
                                 Tier = Text.From(c.Tier),      Owner = Text.From(c.Owner),
                                 Region = Text.From(c.Region),  Category = Text.From(c.Category),
                                 AmountMinor = c.AmountMinor,   TimeMicros = c.TimeMicros,
                                 UsesInPeriod = c.UsesInPeriod, Path = path };
        IEnumerable<Verdict> verdicts =
            Target<ControlPolicy>(userData).Evaluate(Text.From(paramsJson), ctx);
        if (verdicts == null)
          return 0;
        foreach (Verdict v in verdicts) {
          using (var t = new Utf8Scope()) {
            int status = Native.upk_control_verdict_add(verdict, (int)v.Outcome, v.ShortfallMinor,
                                                        t.S(v.Message), t.S(v.Remedy));
            if (status != 0)
              return status;
          }
        }
        return 0;
      } catch (Exception e) {
        return Status.Remember(e);
      }
    }

    private static void DestroyBridge(IntPtr userData) {
      try {
        GCHandle.FromIntPtr(userData).Free();
      } catch (Exception) {
        // Nothing may cross back into the library; a bad handle here is already a bug report.
      }
    }
  }

  public sealed class PolicyTestReport {
    public int Passed, Failed;
    public string
        Json;  // {"summary": "N passed, M failed", "passed": N, "failed": M, "cases": [...]}
  }

  public static class PolicyTests {
    // Runs a policy test case file (JSON text; docs/c-api.md) with registry's custom policies.
    public static PolicyTestReport Run(string casesJson, Registry registry = null) {
      using (var t = new Utf8Scope()) {
        var summary = new TestSummaryC { Size = Sizes.TestSummary };
        IntPtr report;
        Status.Check(Native.upk_run_policy_tests(ref summary, out report, t.S(casesJson),
                                                 Registry.HandleOf(registry)));
        return new PolicyTestReport { Passed = (int)summary.Passed.ToUInt64(),
                                      Failed = (int)summary.Failed.ToUInt64(),
                                      Json = Text.Take(report) };
      }
    }
  }

  public static class Library {
    public static string Version {
      get { return Text.FromStatic(Native.upk_version()); }
    }
    public static int VersionNumber {
      get { return Native.upk_version_number(); }
    }
  }

}  // namespace Upkeep
