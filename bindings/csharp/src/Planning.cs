// Planning.cs: compiled policies, portfolios and plans (classify, size, allocate). Policies,
// portfolios and plans are immutable: share them between threads freely. Money is long minor
// units of the portfolio's currency.
using System;
using System.Collections.Generic;
using Upkeep.Interop;

namespace Upkeep {

  public sealed class Policy : IDisposable {
    internal readonly PolicyHandle Handle;
    private Policy(PolicyHandle handle) {
      Handle = handle;
    }

    // Compiles a policy document (JSON text); registry supplies custom policies (may be null).
    public static Policy Compile(string document, Registry registry = null) {
      using (var t = new Utf8Scope()) {
        PolicyHandle handle;
        Status.Check(
            Native.upk_policy_compile(out handle, t.S(document), Registry.HandleOf(registry)));
        return new Policy(handle);
      }
    }

    public string Currency {
      get {
        Str s;
        Status.Check(Native.upk_policy_currency(out s, Handle));
        return Text.From(s);
      }
    }

    public IList<string> Tiers {
      get {
        UIntPtr count;
        Status.Check(Native.upk_policy_tier_count(out count, Handle));
        var names = new List<string>();
        for (ulong i = 0; i < count.ToUInt64(); ++i) {
          Str s;
          Status.Check(Native.upk_policy_tier_name(out s, Handle, (UIntPtr)i));
          names.Add(Text.From(s));
        }
        return names;
      }
    }

    public void Dispose() {
      Handle.Dispose();
    }
  }

  // A customer and its standard metrics for the period (money metrics in minor units).
  public sealed class Customer {
    public string Id = "", Name = "", Owner = "", Region = "";
    public long RevenueMinor, GrossMarginMinor;
    public double Growth, TenureMonths, OrderCount, RecencyDays, Satisfaction, ChurnRisk;
  }

  public sealed class Portfolio : IDisposable {
    private readonly PortfolioHandle owned_;  // null for a portfolio borrowed inside a callback
    private readonly IntPtr raw_;

    internal Portfolio(PortfolioHandle handle) {
      owned_ = handle;
      raw_ = handle.DangerousGetHandle();
    }
    internal Portfolio(IntPtr borrowed) {
      raw_ = borrowed;
    }
    internal PortfolioHandle Handle {
      get { return owned_; }
    }

    // Imports CSV text (upkeep/io/portfolio_csv.h); with skipBadRows, bad rows are listed in
    // rejectedJson ([{"line": 7, "reason": "..."}]) instead of failing the import.
    public static Portfolio FromCsv(string csv, string currency, out string rejectedJson,
                                    bool skipBadRows = false) {
      using (var t = new Utf8Scope()) {
        var options = new CsvOptionsC {
          Size = (UIntPtr)System.Runtime.InteropServices.Marshal.SizeOf(typeof(CsvOptionsC)),
          Currency = t.S(currency), Source = t.S("portfolio.csv"), SkipBadRows = skipBadRows ? 1 : 0
        };
        PortfolioHandle handle;
        IntPtr rejected;
        Status.Check(
            Native.upk_portfolio_from_csv(out handle, out rejected, t.S(csv), ref options));
        rejectedJson = Text.Take(rejected);
        return new Portfolio(handle);
      }
    }

    // Builds a portfolio from customers (sorted by id; AlreadyExistsException for a duplicate).
    public static Portfolio Build(string currency, IEnumerable<Customer> customers) {
      using (var t = new Utf8Scope()) {
        BuilderHandle builder;
        Status.Check(Native.upk_portfolio_builder_new(out builder, t.S(currency)));
        using (builder) {
          foreach (Customer c in customers) {
            var cc = new CustomerC { Size = Sizes.Customer,
                                     Id = t.S(c.Id),
                                     Name = t.S(c.Name),
                                     Owner = t.S(c.Owner),
                                     Region = t.S(c.Region),
                                     RevenueMinor = c.RevenueMinor,
                                     GrossMarginMinor = c.GrossMarginMinor,
                                     Growth = c.Growth,
                                     TenureMonths = c.TenureMonths,
                                     OrderCount = c.OrderCount,
                                     RecencyDays = c.RecencyDays,
                                     Satisfaction = c.Satisfaction,
                                     ChurnRisk = c.ChurnRisk };
            Status.Check(Native.upk_portfolio_builder_add(builder, ref cc));
          }
          PortfolioHandle handle;
          Status.Check(Native.upk_portfolio_build(out handle, builder));
          return new Portfolio(handle);
        }
      }
    }

    public int Count {
      get {
        UIntPtr n;
        Status.Check(Native.upk_portfolio_count(out n, raw_));
        GC.KeepAlive(owned_);
        return checked((int)n.ToUInt64());
      }
    }

    public Customer this[int index] {
      get {
        var c = new CustomerC { Size = Sizes.Customer };
        Status.Check(Native.upk_portfolio_customer(ref c, raw_, (UIntPtr)index));
        var customer = new Customer { Id = Text.From(c.Id),
                                      Name = Text.From(c.Name),
                                      Owner = Text.From(c.Owner),
                                      Region = Text.From(c.Region),
                                      RevenueMinor = c.RevenueMinor,
                                      GrossMarginMinor = c.GrossMarginMinor,
                                      Growth = c.Growth,
                                      TenureMonths = c.TenureMonths,
                                      OrderCount = c.OrderCount,
                                      RecencyDays = c.RecencyDays,
                                      Satisfaction = c.Satisfaction,
                                      ChurnRisk = c.ChurnRisk };
        GC.KeepAlive(owned_);
        return customer;
      }
    }

    // Any metric by name (standard or custom); money metrics in minor units.
    public double Metric(string metric, int index) {
      using (var t = new Utf8Scope()) {
        double value;
        Status.Check(Native.upk_portfolio_metric(out value, raw_, t.S(metric), (UIntPtr)index));
        GC.KeepAlive(owned_);
        return value;
      }
    }

    public int Find(string id) {
      using (var t = new Utf8Scope()) {
        UIntPtr index;
        Status.Check(Native.upk_portfolio_find(out index, raw_, t.S(id)));
        GC.KeepAlive(owned_);
        return checked((int)index.ToUInt64());
      }
    }

    public void Dispose() {
      if (owned_ != null)
        owned_.Dispose();
    }
  }

  public sealed class PlanSummary {
    public int CustomerCount, TierCount;
    public long PoolMinor, AllocatedMinor, ReserveMinor, UnallocatedMinor;
  }

  public sealed class PlanTier {
    public string Name, Rule;
    public int Customers;
    public long AmountMinor, SmallestMinor, LargestMinor, BoundMinor;
    public uint Flags;
  }

  public sealed class PlanCustomer {
    public string Id;
    public int Tier, RuleTier, TierReason, Step;
    public double Score;
    public long AmountMinor, BaseMinor, BoundMinor;
    public ulong Weight;
    public uint Flags;
  }

  public sealed class Plan : IDisposable {
    internal readonly PlanHandle Handle;

    // Classifies the portfolio, sizes the pool (or takes poolMinor) and allocates it.
    public Plan(Policy policy, Portfolio portfolio, long? poolMinor = null, Plan previous = null) {
      var options = Options(policy, poolMinor, previous);
      Status.Check(Native.upk_plan_new(out Handle, policy.Handle, portfolio.Handle, ref options));
      GC.KeepAlive(previous);
    }

    internal Plan(PlanHandle handle) {
      Handle = handle;
    }

    // The C plan options; `previous` must stay alive for the call that takes them.
    internal static PlanOptionsC Options(Policy policy, long? poolMinor, Plan previous) {
      return new PlanOptionsC {
        Size = Sizes.PlanOptions, HasPool = poolMinor.HasValue ? 1 : 0,
        Pool = new MoneyC { AmountMinor = poolMinor ?? 0,
                            Currency = Text.CurrencyCode(policy.Currency) },
        Previous = previous == null ? IntPtr.Zero : previous.Handle.DangerousGetHandle()
      };
    }

    public PlanSummary Summary {
      get {
        var s = new PlanSummaryC { Size = Sizes.PlanSummary };
        Status.Check(Native.upk_plan_summary_get(ref s, Handle));
        return new PlanSummary { CustomerCount = (int)s.CustomerCount.ToUInt64(),
                                 TierCount = (int)s.TierCount.ToUInt64(),
                                 PoolMinor = s.Pool.AmountMinor,
                                 AllocatedMinor = s.AllocatedMinor,
                                 ReserveMinor = s.ReserveMinor,
                                 UnallocatedMinor = s.UnallocatedMinor };
      }
    }

    public IEnumerable<PlanTier> Tiers {
      get {
        int count = Summary.TierCount;
        for (int i = 0; i < count; ++i) {
          var t = new PlanTierC { Size = Sizes.PlanTier };
          Status.Check(Native.upk_plan_tier_get(ref t, Handle, (UIntPtr)i));
          yield return new PlanTier { Name = Text.From(t.Name),
                                      Rule = Text.From(t.Rule),
                                      Customers = (int)t.Customers.ToUInt64(),
                                      AmountMinor = t.AmountMinor,
                                      SmallestMinor = t.SmallestMinor,
                                      LargestMinor = t.LargestMinor,
                                      Flags = t.Flags,
                                      BoundMinor = t.BoundMinor };
        }
      }
    }

    // Customers in portfolio order (by id).
    public IEnumerable<PlanCustomer> Customers {
      get {
        int count = Summary.CustomerCount;
        for (int i = 0; i < count; ++i) yield return Customer(i);
      }
    }

    public PlanCustomer Customer(int index) {
      var c = new PlanCustomerC { Size = Sizes.PlanCustomer };
      Status.Check(Native.upk_plan_customer_get(ref c, Handle, (UIntPtr)index));
      return new PlanCustomer {
        Id = Text.From(c.Id),      Tier = (int)c.Tier, RuleTier = (int)c.RuleTier,
        TierReason = c.TierReason, Score = c.Score,    AmountMinor = c.AmountMinor,
        BaseMinor = c.BaseMinor,   Weight = c.Weight,  BoundMinor = c.BoundMinor,
        Step = (int)c.Step,        Flags = c.Flags
      };
    }

    public PlanCustomer Customer(string id) {
      using (var t = new Utf8Scope()) {
        UIntPtr index;
        Status.Check(Native.upk_plan_find_customer(out index, Handle, t.S(id)));
        return Customer((int)index.ToUInt64());
      }
    }

    public string ExplainTier(int index) {
      IntPtr text;
      Status.Check(Native.upk_plan_explain_tier(out text, Handle, (UIntPtr)index));
      return Text.Take(text);
    }

    public string ExplainAmount(int index) {
      IntPtr text;
      Status.Check(Native.upk_plan_explain_amount(out text, Handle, (UIntPtr)index));
      return Text.Take(text);
    }

    // The sizing formula with its terms, in words.
    public string ExplainSizing() {
      IntPtr text;
      Status.Check(Native.upk_plan_explain_sizing(out text, Handle));
      return Text.Take(text);
    }

    public string ToJson() {
      IntPtr text;
      Status.Check(Native.upk_plan_to_json(out text, Handle));
      return Text.Take(text);
    }

    public void Dispose() {
      Handle.Dispose();
    }
  }

}  // namespace Upkeep
