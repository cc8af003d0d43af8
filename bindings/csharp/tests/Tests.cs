// Tests.cs: the C# binding's test program. Usage: mono UpkeepTests.exe <source dir>
// Prints one line per failed check and "N passed, M failed"; exits 1 on any failure.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Upkeep;

static class Tests {
  static int passed_, failed_;
  static string root_;

  static void Check(bool ok, string what) {
    if (ok) {
      ++passed_;
      return;
    }
    ++failed_;
    Console.WriteLine("FAILED: " + what);
  }

  static void Throws<T>(Action action, string what, string messagePart = null)
      where T : Exception {
    try {
      action();
      Check(false, what + ": expected " + typeof(T).Name + ", nothing thrown");
    } catch (T e) {
      Check(messagePart == null || e.Message.Contains(messagePart),
            what + ": message '" + e.Message + "' lacks '" + messagePart + "'");
    } catch (Exception e) {
      Check(false,
            what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
    }
  }

  static void Run(string name, Action test) {
    try {
      test();
    } catch (Exception e) {
      Check(false, name + " threw " + e);
    }
  }

  static string Read(string relative) {
    return File.ReadAllText(Path.Combine(root_, relative));
  }

  // ---- custom policies (the same names as the Python tests and policy_cases.json) ----

  static long Param(string paramsJson, string name) {
    var p = (IDictionary<string, object>)Json.Parse(paramsJson);
    return Convert.ToInt64(p[name]);
  }

  sealed class TopByRevenue : Classifier {
    public override IList<Placement> Classify(string paramsJson, Portfolio portfolio,
                                              int tierCount) {
      long limit = Param(paramsJson, "min_revenue_minor");
      var placed = new List<Placement>();
      for (int i = 0; i < portfolio.Count; ++i) {
        double revenue = portfolio.Metric("revenue", i);
        placed.Add(new Placement(revenue >= limit ? 0 : tierCount - 1, revenue));
      }
      return placed;
    }
  }

  sealed class MaxGift : ControlPolicy {
    public override IEnumerable<Verdict> Evaluate(string paramsJson, ControlContext context) {
      long over = context.AmountMinor - Param(paramsJson, "max_minor");
      if (over > 0)
        yield return new Verdict(Outcome.Reject, "the gift is above the maximum", "ask for less",
                                 over);
    }
  }

  sealed class Evenly : AllocationPolicy {
    public override Allocation Allocate(string paramsJson, Portfolio portfolio, int[] tiers,
                                        int tierCount, long poolMinor) {
      int n = tiers.Length;
      var a = new Allocation { AmountsMinor = new long[n], Weights = new ulong[n] };
      for (int i = 0; i < n; ++i) {
        a.AmountsMinor[i] = poolMinor / n + (i < poolMinor % n ? 1 : 0);
        a.Weights[i] = 1;
      }
      return a;
    }
  }

  sealed class Broken : Classifier {
    public override IList<Placement> Classify(string paramsJson, Portfolio portfolio,
                                              int tierCount) {
      throw new KeyNotFoundException("broken on purpose");
    }
  }

  sealed class Crashing : ControlPolicy {
    public override IEnumerable<Verdict> Evaluate(string paramsJson, ControlContext context) {
      throw new DivideByZeroException("control crashed");
    }
  }

  static Registry NewRegistry() {
    var r = new Registry();
    r.Add("host_top_by_revenue", new TopByRevenue());
    r.Add("host_max_gift", new MaxGift());
    r.Add("evenly", new Evenly());
    r.Add("broken", new Broken());
    r.Add("crashing", new Crashing());
    return r;
  }

  // ---- fixtures ----

  const string P = "2026-Q1";
  const string Control =
      "{\"availability\": [{\"id\": \"envelope-block\", \"level\": \"customer\", \"mode\": \"block\"}," +
      " {\"id\": \"tier-ignore\", \"level\": \"tier\", \"mode\": \"ignore\"}," +
      " {\"id\": \"company-ignore\", \"level\": \"company\", \"mode\": \"ignore\"}]}";

  // Category gift, period 2026-Q1, tiers A/B, c1 (A, amy, 100.00), c2 (B, bob, 50.00).
  static Ledger NewLedger() {
    var l = new Ledger("CNY", fixedTimeMicros: 1);
    l.DefineCategory("admin", "gift");
    l.DefinePeriod("admin", P, 0, 4102444800000000);
    l.DefineTier("admin", "A");
    l.DefineTier("admin", "B");
    l.DefineActor("admin", "amy", Role.AccountManager);
    l.DefineActor("admin", "bob", Role.AccountManager);
    l.DefineActor("admin", "mia", Role.Manager);
    l.DefineActor("admin", "fin", Role.Finance);
    l.DefineCustomer("admin", "c1", "A", "amy", "north");
    l.DefineCustomer("admin", "c2", "B", "bob", "south");
    l.ApplyAllocation("budget-1", "fin", P, "gift",
                      new[] { new Envelope("c1", "A", 10000), new Envelope("c2", "", 5000) });
    l.SetPolicies("admin", Control);
    return l;
  }

  static Scope Envelope(string customer) {
    return new Scope(P, ScopeKind.Customer, customer, "gift");
  }

  // ---- tests ----

  static void Basics() {
    Check(Library.Version.Length > 0 && Library.VersionNumber >= 10000, "version");
    Throws<PolicyInvalidException>(() => Policy.Compile("{\"upkeep_policy\": 1}"),
                                   "bad policy names a path", "currency");
    Throws<PolicyInvalidException>(() => Policy.Compile("[1,"), "malformed policy");
    var e = Status.ToException(7, "x");
    Check(e is NotFoundException && e.StatusName == "not_found", "status table");
    Check(Status.ToException(0, "") == null &&
              Status.ToException(999, "?").GetType() == typeof(UpkeepException),
          "status table edges");
  }

  static void Planning() {
    using (Policy policy = Policy.Compile(Read("examples/policy.json"))) using (
        Portfolio portfolio =
            Portfolio.FromCsv(Read("examples/data/portfolio.csv"), "CNY",
                              out string rejected)) using (var plan = new Plan(policy, portfolio)) {
      Check(rejected == "[]", "csv rejected nothing: " + rejected);
      Check(policy.Currency == "CNY" && policy.Tiers.Count >= 2, "policy currency and tiers");
      PlanSummary s = plan.Summary;
      Check(s.CustomerCount == portfolio.Count && s.CustomerCount > 0, "plan covers the portfolio");
      List<PlanCustomer> customers = plan.Customers.ToList();
      Check(customers.Sum(c => c.AmountMinor) == s.AllocatedMinor,
            "customers add up to the allocation");
      Check(s.AllocatedMinor + s.ReserveMinor + s.UnallocatedMinor == s.PoolMinor, "pool adds up");
      List<PlanTier> tiers = plan.Tiers.ToList();
      Check(tiers.Count == s.TierCount && tiers.Sum(t => t.AmountMinor) == s.AllocatedMinor,
            "tiers add up");
      Check(tiers.Sum(t => t.Customers) == s.CustomerCount, "tiers count every customer");
      PlanCustomer first = customers[0];
      Check(plan.Customer(first.Id).AmountMinor == first.AmountMinor, "find a customer");
      Check(portfolio[0].Id == first.Id, "portfolio order");
      Check(plan.ExplainAmount(0).Length > 0 && plan.ExplainTier(0).Length > 0, "explanations");
      Check(plan.ToJson().Contains("\"customers\""), "plan JSON");
      Throws<NotFoundException>(() => plan.Customer("nobody"), "unknown customer");
      using (var samePool = new Plan(policy, portfolio, s.PoolMinor)) {
        Check(samePool.Summary.AllocatedMinor == s.AllocatedMinor,
              "the sized pool given explicitly");
      }
    }
    using (Portfolio built = Portfolio.Build(
               "CNY", new[] { new Customer { Id = "b", RevenueMinor = 100 },
                              new Customer { Id = "a", Name = "客户甲", RevenueMinor = 300 } })) {
      Check(built.Count == 2 && built[0].Id == "a" && built[0].Name == "客户甲",
            "builder sorts by id, UTF-8 round trip");
    }
    Throws<AlreadyExistsException>(
        () =>
            Portfolio.Build("CNY", new[] { new Customer { Id = "a" }, new Customer { Id = "a" } }),
        "duplicate id");
  }

  static void LedgerOperations() {
    using (Ledger l = NewLedger()) {
      Decision ok = l.Reserve("r1", "amy", P, "c1", "gift", 6000);
      Check(ok.Outcome == Outcome.Approve && !ok.Replayed, "reserve approves");
      Decision again = l.Reserve("r1", "amy", P, "c1", "gift", 6000);
      Check(again.Replayed && again.Outcome == Outcome.Approve, "retry is replayed");
      Decision no = l.Reserve("r2", "amy", P, "c1", "gift", 5000);
      Check(no.Outcome == Outcome.Reject, "over the envelope: reject");
      Reason why = no.Reasons.First(r => r.Outcome == Outcome.Reject);
      Check(why.RuleId == "envelope-block" && why.ShortfallMinor == 1000 && why.Scope.Key == "c1" &&
                why.Balance.AvailableMinor == 4000 && why.Message.Length > 0,
            "reject reason");
      Check(no.Explanation.Contains("envelope-block"), "explanation names the rule");
      Check(l.Check("r3", "amy", P, "c1", "gift", 4000).Outcome == Outcome.Approve,
            "check approves");
      Check(l.GetBalance(Envelope("c1")).ReservedMinor == 6000, "check changed nothing");
      l.Post("p1", "amy", "r1", 5000);
      Balance b = l.GetBalance(Envelope("c1"));
      Check(b.SpentMinor == 5000 && b.ReservedMinor == 0 && b.AvailableMinor == 5000,
            "partial post releases the rest");
      Check(l.Reservation("r1").Status == ReservationStatus.Posted &&
                l.Reservation("r1").PostedMinor == 5000,
            "reservation posted");
      Throws<InvalidStateException>(() => l.Void("v1", "amy", "r1"), "void after post");
      l.Refund("f1", "mia", "r1", 1000);
      Check(l.GetBalance(Envelope("c1")).SpentMinor == 4000, "refund");
      Check(
          l.Reserve("r4", "amy", P, "c1", "gift", 100, expiryMicros: 10).Outcome == Outcome.Approve,
          "reserve with expiry");
      Check(l.Expire("mia", 11) == 1 && l.Reservation("r4").Status == ReservationStatus.Expired,
            "expire");
      Check(l.Spend("s1", "bob", P, "c2", "gift", 100).Outcome == Outcome.Approve, "spend");
      Throws<NotFoundException>(() => l.Reserve("r5", "amy", P, "nobody", "gift", 1),
                                "unknown customer");
      Throws<NotFoundException>(() => l.Reserve("r6", "eve", P, "c1", "gift", 1), "unknown actor");
      Throws<IdempotencyConflictException>(() => l.Reserve("r1", "amy", P, "c1", "gift", 7),
                                           "op id reused differently");
      l.Transfer("t1", "fin", Envelope("c2"), Envelope("c1"), 1000, "rebalance");
      Check(l.GetBalance(Envelope("c1")).BudgetMinor == 11000, "transfer");
      l.Revise("v2", "fin", Envelope("c2"), 3000, "cut");
      Check(l.GetBalance(Envelope("c2")).BudgetMinor == 3000, "revise");
      Check(l.ScopesJson().Contains("2026-Q1/customer:c1/gift"), "scopes report");
      Check(l.DumpState().Length > 0 && l.JournalSize > 10, "dump and journal");
      Check(l.Seal().Length == 32, "seal");
      l.Verify();
      l.ClosePeriod("fin", P);
      Throws<PeriodClosedException>(() => l.Reserve("late", "amy", P, "c1", "gift", 1),
                                    "closed period");
    }
  }

  static void Approvals() {
    using (Ledger l = NewLedger()) {
      l.SetPolicies(
          "admin",
          "{\"availability\": [{\"id\": \"all-ignore\", \"level\": \"company\", \"mode\": \"ignore\"}]," +
              " \"limits\": [{\"id\": \"gift-max\", \"category\": \"gift\", \"per_request_max\": \"30.00\"," +
              " \"action\": \"require_approval\"}]}");
      Decision d = l.Reserve("big", "amy", P, "c1", "gift", 4000);
      Check(d.Outcome == Outcome.NeedsApproval && d.Reasons.Any(r => r.RuleId == "gift-max"),
            "needs approval");
      Check(l.PendingApprovalsJson().Contains("big"), "pending list");
      Throws<PermissionDeniedException>(() => l.Approve("amy", "big"), "requester cannot approve");
      Check(l.Approve("mia", "big", "key account").Outcome == Outcome.ApproveWithWarning,
            "approved");
      l.Reserve("big-2", "amy", P, "c1", "gift", 3100);
      l.Reserve("big-3", "amy", P, "c1", "gift", 3200);
      l.RejectApproval("mia", "big-2", "not now");
      Throws<PermissionDeniedException>(() => l.WithdrawApproval("mia", "big-3"),
                                        "only the requester withdraws");
      l.WithdrawApproval("amy", "big-3", "customer declined");
      Check(l.PendingApprovalsJson() == "[]", "nothing pending: " + l.PendingApprovalsJson());
      Check(l.Reservation("big-3").Status == ReservationStatus.Voided, "withdrawn reads as voided");
    }
  }

  static void Batches() {
    using (Ledger l = NewLedger()) {
      BatchResult[] results =
          l.ReserveBatch("bob", P, "gift",
                         new[] { new BatchItem("b1", "c2", 100), new BatchItem("b2", "c2", 1000000),
                                 new BatchItem("b3", "nobody", 100) });
      Check(results[0].Status == 0 && results[0].Outcome == Outcome.Approve, "batch approve");
      Check(results[1].Status == 0 && results[1].Outcome == Outcome.Reject, "batch reject");
      Check(results[2].Error is NotFoundException, "batch per-request status");
      Check(l.SpendBatch("bob", P, "gift", new[] { new BatchItem("s1", "c2", 100) })[0].Outcome ==
                Outcome.Approve,
            "spend batch");
      var many = new BatchItem[1000];
      for (int i = 0; i < many.Length; ++i) many[i] = new BatchItem("m" + i, "c1", 1);
      Check(l.ReserveBatch("amy", P, "gift", many)
                .All(r => r.Status == 0 && r.Outcome == Outcome.Approve),
            "1000 in one batch");
      Check(l.GetBalance(Envelope("c1")).ReservedMinor == 1000, "batch reserved");
      Check(l.ReserveBatch("amy", P, "gift", new BatchItem[0]).Length == 0, "empty batch");
      uint c1 = l.ResolveEnvelope(P, "c1", "gift");
      BatchResult[] byHandle = l.ReserveBatch(
          "amy", P, "gift",
          new[] { new BatchItem("h1", c1, 10), new BatchItem("h2", 0x7FFFFFFFu, 10) });
      Check(c1 != 0 && byHandle[0].Status == 0 && byHandle[0].Outcome == Outcome.Approve,
            "batch by envelope handle");
      Check(byHandle[1].Status != 0 && l.GetBalance(Envelope("c1")).ReservedMinor == 1010,
            "unknown handle changes nothing");
      Throws<NotFoundException>(() => l.ResolveEnvelope(P, "nobody", "gift"),
                                "resolve an unknown envelope");
    }
  }

  static void CheckBatches() {
    using (Ledger l = NewLedger()) {
      l.Reserve("r1", "amy", P, "c1", "gift", 4000);
      l.Spend("s1", "amy", P, "c1", "gift", 1000);
      Balance before = l.GetBalance(Envelope("c1"));
      ulong events = l.JournalSize;
      Check(before.AvailableMinor == 5000, "check batch: c1 has 50.00 left");
      var items = new[] { new BatchItem("k1", "c1", 3000), new BatchItem("k2", "c1", 3000),
                          new BatchItem("k3", "nobody", 1), new BatchItem("k4", "c1", 5001),
                          new BatchItem("r1", "c1", 4000) };
      BatchResult[] checks = l.CheckBatch("amy", P, "gift", items);
      Check(checks.Length == 5, "check batch: one answer per item");
      Check(checks[0].Status == 0 && checks[0].Outcome == Outcome.Approve &&
                checks[1].Status == 0 && checks[1].Outcome == Outcome.Approve,
            "check batch: each fits on its own, though not both, and both approve");
      Check(checks[2].Status == 7 && checks[2].Error is NotFoundException,
            "check batch per-request status");
      Check(checks[3].Status == 0 && checks[3].Outcome == Outcome.Reject,
            "check batch: over the envelope rejects");
      Check(checks[4].Status == 0 && checks[4].Replayed && !checks[0].Replayed,
            "check batch: the reservation's op id replays");
      BatchResult[] spends = l.CheckBatch(
          "amy", P, "gift",
          new[] { items[0], items[1], items[3], new BatchItem("s1", "c1", 1000), items[4] },
          asSpend: true);
      Check(spends[0].Outcome == Outcome.Approve && spends[1].Outcome == Outcome.Approve &&
                spends[2].Status == 0 && spends[2].Outcome == Outcome.Reject,
            "check batch as spends: approve, approve, reject");
      Check(spends[3].Status == 0 && spends[3].Replayed,
            "check batch as spends: the spend replays");
      Check(spends[4].Error is IdempotencyConflictException,
            "check batch as spends: a reservation's op id conflicts");
      uint c1 = l.ResolveEnvelope(P, "c1", "gift");
      BatchResult[] byHandle = l.CheckBatch(
          "amy", P, "gift", new[] { new BatchItem("h1", c1, 5000), new BatchItem("h2", c1, 5001) },
          asSpend: true);
      Check(byHandle[0].Status == 0 && byHandle[0].Outcome == Outcome.Approve &&
                byHandle[1].Status == 0 && byHandle[1].Outcome == Outcome.Reject,
            "check batch by envelope handle");
      Check(l.CheckBatch("bob", P, "gift", new[] { new BatchItem("k5", "c1", 1) })[0].Error is
                PermissionDeniedException,
            "check batch: another owner's customer");
      Balance after = l.GetBalance(Envelope("c1"));
      Check(after.Equals(before) && after.ReservedMinor == 4000 && after.SpentMinor == 1000,
            "check batch changed no balance");
      Check(l.GetBalance(Envelope("c2")).ReservedMinor == 0, "check batch changed c2 neither");
      Check(l.JournalSize == events, "check batch recorded no event");
      Throws<NotFoundException>(() => l.Reservation("k1"), "check batch reserved nothing");
      Check(l.CheckBatch("amy", P, "gift", new BatchItem[0]).Length == 0 &&
                l.CheckBatch("amy", P, "gift", new BatchItem[0], asSpend: true).Length == 0,
            "empty check batch");
      BatchResult[] applied = l.ReserveBatch("amy", P, "gift", new[] { items[0], items[1] });
      Check(applied[0].Outcome == Outcome.Approve && applied[1].Outcome == Outcome.Reject,
            "reserved together, the two checked items do not both fit");
    }
  }

  static void CustomPolicies() {
    using (Registry registry = NewRegistry()) using (
        Portfolio portfolio =
            Portfolio.FromCsv(Read("examples/data/portfolio.csv"), "CNY", out string rejected)) {
      const string evenly =
          "{\"upkeep_policy\": 1, \"currency\": \"CNY\", \"tiers\": [\"top\", \"rest\"]," +
          " \"classification\": {\"classifier\": \"host_top_by_revenue\", \"min_revenue_minor\": 30000000}," +
          " \"allocation\": {\"policy\": \"evenly\"}}";
      using (Policy policy = Policy.Compile(evenly, registry)) using (
          var plan = new Plan(policy, portfolio, 1000001)) {
        Check(plan.Summary.AllocatedMinor == 1000001, "custom allocation adds up");
        Check(plan.Customer(0).AmountMinor == 501 &&
                  plan.Customer(portfolio.Count - 1).AmountMinor == 500,
              "evenly");
        Check(plan.Customers.Any(c => c.Tier == 0) && plan.Customers.Any(c => c.Tier == 1),
              "host classifier placed both tiers");
      }
      const string broken =
          "{\"upkeep_policy\": 1, \"currency\": \"CNY\", \"tiers\": [\"A\", \"B\"]," +
          " \"classification\": {\"classifier\": \"broken\"}," +
          " \"allocation\": {\"policy\": \"tier_shares\", \"shares_pct\": {\"A\": 50, \"B\": 50}}}";
      using (Policy policy = Policy.Compile(broken, registry)) {
        Throws<KeyNotFoundException>(() => new Plan(policy, portfolio, 100),
                                     "classifier exception surfaces as itself",
                                     "broken on purpose");
      }
      Throws<NotFoundException>(
          () => Policy.Compile(broken.Replace("broken", "unregistered"), registry),
          "unknown custom policy", "unregistered");
    }
    using (Registry registry = NewRegistry()) using (Ledger l = NewLedger()) {
      l.SetPolicies(
          "admin",
          "{\"availability\": [{\"id\": \"all-ignore\", \"level\": \"company\", \"mode\": \"ignore\"}]," +
              " \"custom\": [{\"id\": \"small-gifts\", \"policy\": \"host_max_gift\", \"params\": {\"max_minor\": 2000}}]}",
          registry);
      Decision d = l.Reserve("g1", "amy", P, "c1", "gift", 2500);
      Check(d.Outcome == Outcome.Reject && d.Reasons[0].RuleId == "small-gifts" &&
                d.Reasons[0].ShortfallMinor == 500,
            "C# control policy rejects");
      Check(l.Reserve("g2", "amy", P, "c1", "gift", 1500).Outcome == Outcome.Approve,
            "C# control policy allows");
      l.SetPolicies(
          "admin",
          "{\"availability\": [{\"id\": \"all-ignore\", \"level\": \"company\", \"mode\": \"ignore\"}]," +
              " \"custom\": [{\"id\": \"boom\", \"policy\": \"crashing\"}]}",
          registry);
      Throws<DivideByZeroException>(() => l.Reserve("g3", "amy", P, "c1", "gift", 100),
                                    "control exception surfaces", "control crashed");
      Check(l.GetBalance(Envelope("c1")).ReservedMinor == 1500,
            "the crashed request changed nothing");
    }
  }

  static void PolicyTestRunner() {
    using (Registry registry = NewRegistry()) {
      PolicyTestReport report =
          PolicyTests.Run(Read("capi/tests/data/policy_cases.json"), registry);
      Check(report.Failed == 0 && report.Passed == 6 && report.Json.Contains("6 passed, 0 failed"),
            "shared case file with C# policies: " + report.Json);
    }
    PolicyTestReport failing = PolicyTests.Run(
        "{\"policy\": {\"upkeep_policy\": 1, \"currency\": \"CNY\", \"tiers\": [\"A\"]," +
        " \"classification\": {\"classifier\": \"abc\", \"cumulative_pct\": []}," +
        " \"allocation\": {\"policy\": \"tier_shares\", \"shares_pct\": {\"A\": 100}}}," +
        " \"cases\": [{\"name\": \"wrong\", \"portfolio\": [{\"id\": \"a\"}], \"pool\": \"10.00\"," +
        " \"expect\": {\"amounts\": {\"a\": \"9.00\"}}}]}");
    Check(failing.Passed == 0 && failing.Failed == 1 &&
              failing.Json.Contains("expected 9.00, got 10.00"),
          "a failing case is reported");
    Throws<PolicyInvalidException>(() => PolicyTests.Run("{\"cases\": 3}"), "malformed case file");
  }

  // Registries freed (and their GCHandles released by destroy) while plans still run them.
  static void CallbackLifetime() {
    Policy policy;
    using (Registry registry = NewRegistry()) {
      policy = Policy.Compile(
          "{\"upkeep_policy\": 1, \"currency\": \"CNY\", \"tiers\": [\"top\", \"rest\"]," +
              " \"classification\": {\"classifier\": \"host_top_by_revenue\", \"min_revenue_minor\": 1}," +
              " \"allocation\": {\"policy\": \"evenly\"}}",
          registry);
    }
    GC.Collect();
    GC.WaitForPendingFinalizers();
    using (policy) using (Portfolio p = Portfolio.Build("CNY", new[] {
      new Customer { Id = "a", RevenueMinor = 5 }
    })) using (var plan = new Plan(policy, p, 10)) {
      Check(plan.Customer(0).AmountMinor == 10, "policy outlives its registry");
    }
  }

  // ---- monitoring ----

  const long Half = 2051222400000000;  // half of the fixture's period [0, 2100-01-01)

  static Policy MonitoringPolicy() {
    return Policy.Compile(Read("capi/tests/data/monitoring_policy.json"));
  }

  static void MonitoringErrors() {
    using (Policy policy = MonitoringPolicy()) using (Ledger l = NewLedger()) {
      Throws<InvalidStateException>(() => l.ActiveAlerts(), "alerts before attaching",
                                    "attach_monitoring");
      Throws<InvalidStateException>(() => l.Sweep(1), "sweep before attaching");
      Throws<InvalidStateException>(() => { l.AlertRaised += a => {}; },
                                    "subscribe before attaching");
      Throws<InvalidArgumentException>(() => l.AttachMonitoring(policy, 0), "alert log of 0",
                                       "alert_log_max");
      using (
          Policy usd = Policy.Compile(
              "{\"upkeep_policy\": 1, \"currency\": \"USD\", \"tiers\": [\"A\"]," +
              " \"classification\": {\"classifier\": \"threshold\", \"metric\": \"revenue\", \"thresholds\": []}," +
              " \"allocation\": {\"policy\": \"tier_shares\", \"shares_pct\": {\"A\": 100}}}")) {
        Throws<CurrencyMismatchException>(() => l.AttachMonitoring(usd),
                                          "policy in another currency");
      }
      l.AttachMonitoring(policy, 1000);
      Throws<AlreadyExistsException>(() => l.AttachMonitoring(policy), "attached twice");
      Throws<NotFoundException>(() => l.GetMetrics(Envelope("nobody"), Half),
                                "metrics of an unknown scope");
      // C# strings cannot carry invalid UTF-8 across: a lone surrogate is encoded as U+FFFD.
      Throws<NotFoundException>(() => l.GetMetrics(Envelope("c1\uD800"), Half), "a lone surrogate",
                                "c1\uFFFD");
      Throws<InvalidArgumentException>(() => l.GetMetrics(Envelope("c1\0"), Half),
                                       "a NUL inside the key");
      l.Dispose();
      Throws<ObjectDisposedException>(() => l.ActiveAlerts(), "a disposed ledger");
    }
  }

  static void Alerts() {
    using (Policy policy = MonitoringPolicy()) using (Ledger l = NewLedger()) {
      l.AttachMonitoring(policy);
      var seen = new List<Alert>();
      l.AlertRaised += seen.Add;
      l.Reserve("r1", "amy", P, "c1", "gift", 6000);
      Check(seen.Count == 1 && seen[0].RuleId == "usage" && seen[0].Kind == AlertKind.Threshold &&
                seen[0].ThresholdBp == 5000 && !seen[0].Cleared,
            "alert raised to the handler");
      Check(seen[0].Scope.Key == "c1" && seen[0].Metrics.UsedMinor == 6000 &&
                seen[0].Message.Contains("60.00 %"),
            "alert numbers");
      Check(l.ActiveAlerts().Count == 1 && l.ActiveAlerts()[0].Seq == seen[0].Seq, "active alerts");
      Check(l.TakeAlerts().Count == 1 && l.TakeAlerts().Count == 0, "take alerts once");
      Check(l.AlertsJson(AlertSet.Log).Contains("\"rule\":\"usage\""), "alerts as JSON");
      l.Void("v1", "amy", "r1");
      Check(seen.Count == 2 && seen[1].Cleared && l.ActiveAlerts().Count == 0 &&
                l.AlertLog().Count == 2,
            "cleared alert");
      Action<Alert> failing = a => { throw new FormatException("handler failed on " + a.RuleId); };
      l.AlertRaised += failing;
      Throws<FormatException>(() => l.Reserve("r2", "amy", P, "c1", "gift", 6000),
                              "handler exception surfaces", "handler failed on usage");
      Check(l.GetBalance(Envelope("c1")).ReservedMinor == 6000 && seen.Count == 3,
            "the operation was applied");
      l.AlertRaised -= failing;
      Check(l.Reserve("r3", "amy", P, "c1", "gift", 100).Outcome == Outcome.Approve,
            "the next call is clean");
      Metrics m = l.GetMetrics(Envelope("c1"), Half, 20000);
      Check(m.UsedMinor == 6100 && m.ElapsedBp == 5000 && m.ProjectedMinor == 12200 &&
                m.VarianceMinor == -7800,
            "metrics with a plan");
      l.Sweep(Half);
    }
  }

  // The handler stays reachable by the library however the program drops its references.
  static void AlertHandlerLifetime() {
    using (Policy policy = MonitoringPolicy()) using (Ledger l = NewLedger()) {
      l.AttachMonitoring(policy);
      int[] calls = { 0 };
      Subscribe(l, calls);
      GC.Collect();
      GC.WaitForPendingFinalizers();
      GC.Collect();
      l.Reserve("r1", "amy", P, "c1", "gift", 8500);
      Check(calls[0] == 2, "handler called after collections: " + calls[0]);
    }
    using (Policy policy = MonitoringPolicy()) {
      Ledger late = NewLedger();
      late.Reserve("r1", "amy", P, "c1", "gift", 6000);
      late.AttachMonitoring(policy);
      Check(late.ActiveAlerts().Count == 1, "attached late: the past is replayed");
      late.AlertRaised += a => {};
      late = null;  // never disposed: the finalizer frees the ledger and destroy its GCHandle
      GC.Collect();
      GC.WaitForPendingFinalizers();
    }
  }

  static void Reports() {
    using (Policy policy = MonitoringPolicy()) using (Ledger l = NewLedger()) {
      Throws<InvalidStateException>(() => l.BudgetReportJson(P), "report before attaching");
      l.AttachMonitoring(policy);
      l.Spend("s1", "amy", P, "c1", "gift", 2500);
      l.Reserve("r1", "bob", P, "c2", "gift", 1000);
      var report = (IDictionary<string, object>)Json.Parse(l.BudgetReportJson(P));
      var rows = (IList<object>)report["rows"];
      var a = (IDictionary<string, object>)rows[0];
      Check(report["report"].Equals("budget_vs_actual") && rows.Count == 2 &&
                a["key"].Equals("A") && a["actual"].Equals("25.00") && a["budget"].Equals("100.00"),
            "budget vs actual by tier");
      Check(l.BudgetReportJson(P, Dimension.Owner, "gift").Contains("\"key\":\"bob\""), "by owner");
      Throws<NotFoundException>(() => l.BudgetReportJson("2031-Q9"), "unknown period");
      Throws<InvalidArgumentException>(() => l.BudgetReportJson(P, (Dimension)17),
                                       "unknown dimension");
      var tiers = (IDictionary<string, object>)Json.Parse(l.UtilizationJson(P, nowMicros: Half));
      var tierA = (IDictionary<string, object>)((IList<object>)tiers["rows"])[0];
      Check(tiers["level"].Equals("tier") && tierA["key"].Equals("A") &&
                tierA["projected"].Equals("50.00"),
            "utilization by tier");
      Check(l.UtilizationJson(P, ScopeKind.Customer, "gift", Half).Contains("\"key\":\"c2\""),
            "by customer");
      Throws<InvalidArgumentException>(() => l.UtilizationJson(P, (ScopeKind)9), "unknown level");
      var forecast =
          (IDictionary<string, object>)Json.Parse(l.ForecastJson(Envelope("c1"), Half, 4000));
      Check(forecast["projected"].Equals("50.00") && forecast["variance"].Equals("10.00") &&
                ((string)forecast["forecast"]).StartsWith("linear"),
            "forecast of one scope");
      Throws<NotFoundException>(
          () => l.ForecastJson(new Scope(P, ScopeKind.Tier, "Z", "gift"), Half),
          "forecast of an unknown scope");
    }
  }

  static Portfolio FeedbackPortfolio(params string[] extra) {
    var customers = new List<Customer> { new Customer { Id = "c1", RevenueMinor = 200000 },
                                         new Customer { Id = "c2", RevenueMinor = 50000 } };
    foreach (string id in extra) customers.Add(new Customer { Id = id });
    return Portfolio.Build("CNY", customers);
  }

  static void FeedbackLoop() {
    using (Policy policy = Policy.Compile(Read("capi/tests/data/feedback_policy.json"))) using (
        Policy noFeedback = MonitoringPolicy()) using (Ledger l = NewLedger()) {
      var c1 = new OutcomeRecord { Customer = "c1", Period = P, RevenueMinor = 200000,
                                   RevenueBeforeMinor = 100000, Renewal = Renewal.Renewed };
      Throws<InvalidStateException>(() => l.Record(c1), "no monitoring");
      l.AttachMonitoring(policy);
      l.Spend("s1", "amy", P, "c1", "gift", 4000);
      l.Spend("s2", "bob", P, "c2", "gift", 2000);
      Check(l.RecordAll(new[] {
        c1, new OutcomeRecord { Customer = "c2", Period = P, RevenueMinor = 50000,
                                RevenueBeforeMinor = 60000, Renewal = Renewal.Churned }
      }) == 2,
            "outcomes in bulk");
      Check(l.Record(c1) == RecordResult.Unchanged, "the same outcome again");
      var survey = new CustomerFeedback { Id = "s-c1", Customer = "c1", Period = P,
                                          Satisfaction = 9, Recommend = 9 };
      Check(l.Record(survey) == RecordResult.Added, "feedback");
      Check(l.RecordAll(
                new[] { new Assessment { Id = "a-c2", Customer = "c2", Period = P, Author = "mia",
                                         Role = AssessorRole.Manager, Rating = -2 } }) == 1,
            "assessments in bulk");
      string log = l.FeedbackJson();
      Throws<IdempotencyConflictException>(
          () => l.Record(
              new CustomerFeedback { Id = "s-c1", Customer = "c1", Period = P, Satisfaction = 2 }),
          "another record under a taken id");
      Throws<NotFoundException>(() => l.Record(new OutcomeRecord { Customer = "c9", Period = P }),
                                "unknown customer", "c9");
      Throws<NotFoundException>(
          () => l.Record(
              new Assessment { Id = "a2", Customer = "c1", Period = "1999-Q1", Author = "mia" }),
          "unknown period");
      Throws<InvalidArgumentException>(
          () => l.Record(
              new CustomerFeedback { Id = "s2", Customer = "c1", Period = P, Recommend = 11 }),
          "score out of range", "recommend");
      Throws<InvalidArgumentException>(
          () => l.Record(new Assessment { Id = "a3", Customer = "c1", Period = P, Author = "mia",
                                          Rating = -3 }),
          "rating out of range", "rating");
      Throws<InvalidArgumentException>(
          () => l.Record(new CustomerFeedback { Id = "s\0", Customer = "c1", Period = P }),
          "a NUL in the id");
      Check(l.FeedbackJson() == log, "failed records recorded nothing");
      Check(log.Contains("\"revenue\":\"2000.00\"") && log.Contains("\"role\":\"manager\""),
            "the log as JSON");

      string byTier = l.EffectivenessJson(P);
      Check(byTier.Contains("\"report\":\"effectiveness\"") &&
                byTier.Contains("\"revenue_change\":\"900.00\""),
            "effectiveness by tier");
      Check(l.EffectivenessJson(P, Dimension.Customer).Contains("\"key\":\"c2\""),
            "effectiveness by customer");
      Throws<NotFoundException>(() => l.EffectivenessJson("1999-Q1"), "unknown period");

      Throws<NotFoundException>(() => l.Propose(noFeedback, P), "no feedback section", "feedback");
      using (Portfolio now = FeedbackPortfolio()) using (
          Portfolio next = FeedbackPortfolio(
              "c3")) using (var current =
                                new Plan(policy, now, 100000)) using (Proposal proposal =
                                                                          l.Propose(policy, P)) {
        Check(proposal.State == ProposalState.Draft, "a draft");
        Check(proposal.ToJson().Contains("\"customer\":\"c2\""), "proposal JSON");
        Check(proposal.SimulateJson(policy, current, next, 100000).Contains("\"customer\":\"c3\""),
              "simulation");
        Throws<InvalidStateException>(() => proposal.NextPlan(policy, current, now, 100000),
                                      "plan from a draft");
        Throws<InvalidArgumentException>(() => proposal.Approve(""), "no approver");
        proposal.Approve("cfo");
        Throws<InvalidStateException>(() => proposal.Reject("cfo"), "reject when approved");
        using (Plan planned = proposal.NextPlan(policy, current, now, 100000)) {
          Check(
              planned.Customer("c1").AmountMinor > current.Customer("c1").AmountMinor &&
                  planned.Customer("c2").AmountMinor < current.Customer("c2").AmountMinor &&
                  planned.Customer("c2").AmountMinor * 10 >= current.Customer("c2").AmountMinor * 8,
              "the next plan moves money within the bound");
          Check(planned.Summary.AllocatedMinor == current.Summary.AllocatedMinor,
                "the money adds up");
        }
        proposal.MarkApplied();
        Check(proposal.State == ProposalState.Applied, "applied");
      }
    }
  }

  static void Rollover() {
    const string Q2 = "2026-Q2";
    using (Policy policy = MonitoringPolicy()) using (Ledger l = NewLedger()) {
      l.DefinePeriod("fin", Q2, 4102444800000000, 4133980800000000);
      l.ApplyAllocation("budget-q2", "fin", Q2, "gift",
                        new[] { new Envelope("c1", "", 1000), new Envelope("c2", "", 1000) });
      l.Spend("s1", "amy", P, "c1", "gift", 3000);
      l.Reserve("r1", "bob", P, "c2", "gift", 1000);
      string before = l.DumpState();
      Throws<PermissionDeniedException>(() => l.CloseAndRollover(policy, "amy", P, Q2),
                                        "account manager closes");
      Throws<NotFoundException>(() => l.CloseAndRollover(policy, "fin", P, "2027-Q1"),
                                "unknown next period");
      Throws<ParseException>(
          () => l.CloseAndRollover(policy, "fin", P, Q2, "{\"c1/gift\": [[0, 5]]}"), "bad lots");
      Throws<ArgumentNullException>(() => l.CloseAndRollover(null, "fin", P, Q2), "no policy");
      Throws<InvalidArgumentException>(() => l.CloseAndRollover(policy, "fin\0", P, Q2),
                                       "a NUL in the actor");
      Check(l.DumpState() == before, "failed closes changed nothing");
      RolloverResult r = l.CloseAndRollover(policy, "fin", P, Q2);
      Check(r.SettlementCount == 2 && r.UnusedMinor == 12000 && r.CarriedMinor == 2000 &&
                r.ForfeitedMinor == 10000,
            "rollover totals");
      Check(r.UnusedMinor == r.CarriedMinor + r.ForfeitedMinor + r.SweptMinor + r.MovedMinor,
            "settles exactly");
      Check(r.PlanJson.Contains("\"rule_id\":\"vip\"") && r.PlanJson.Contains("\"lots_after\""),
            "plan JSON");
      Check(r.PlanJson.Contains("\"level\":\"customer\""), "settlement level");
      Check(l.GetBalance(new Scope(Q2, ScopeKind.Customer, "c1", "gift")).BudgetMinor == 3000,
            "carried into Q2");
      Throws<InvalidStateException>(() => l.CloseAndRollover(policy, "fin", P, Q2), "closed twice");
    }
  }

  static void Populate(Ledger l) {
    l.DefineCategory("admin", "gift");
    l.DefinePeriod("admin", P, 0, 4102444800000000);
    l.DefineTier("admin", "A");
    l.DefineActor("admin", "amy", Role.AccountManager);
    l.DefineCustomer("admin", "c1", "A", "amy", "north");
    l.ApplyAllocation("budget-1", "admin", P, "gift", new[] { new Envelope("c1", "A", 10000) });
    l.SetPolicies("admin", Control);
  }

  static void Books() {
    string dir = Path.Combine(Path.GetTempPath(), "upkeep-cs-book-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(dir);
    try {
      string uri = "sqlite:" + Path.Combine(dir, "book.db");
      string state;
      using (Book book = Book.Open(uri, "CNY", new BookOptions { FixedTimeMicros = 1 })) {
        Populate(book.Ledger);
        book.Ledger.Reserve("r1", "amy", P, "c1", "gift", 2500);
        Throws<BusyException>(() => Book.Open(uri, "CNY"), "a second writer");
        book.Verify();
        Check(book.Snapshot() == book.Ledger.JournalSize, "snapshot covers the journal");
        state = book.Ledger.DumpState();
        book.Close();
        book.Close();
        Throws<ObjectDisposedException>(() => book.Ledger.DumpState(), "a closed book's ledger");
      }
      Throws<CurrencyMismatchException>(() => Book.Open(uri, "USD"), "another currency");
      var group = new BookOptions { Durability = Durability.GroupCommit, CreateIfMissing = false };
      using (Book again = Book.Open(uri, "CNY", group)) {
        Check(again.Ledger.DumpState() == state, "reopened in the same state");
        again.Ledger.Reserve("r2", "amy", P, "c1", "gift", 500);
        again.Commit();
        again.Ledger.AttachMonitoring();
        Check(again.Ledger.GetMetrics(Envelope("c1"), Half).ReservedMinor == 3000,
              "monitoring over a book");
      }
      using (Book third = Book.Open(uri, "CNY")) {
        Check(third.Ledger.GetBalance(Envelope("c1")).ReservedMinor == 3000,
              "group commit was durable");
      }
      Throws<NotFoundException>(() => Book.Open(Path.Combine(dir, "missing.db"), "CNY",
                                                new BookOptions { CreateIfMissing = false }),
                                "missing book");
      File.WriteAllText(Path.Combine(dir, "junk.db"),
                        "not a database at all, only some text that is long enough");
      Throws<CorruptException>(() => Book.Open(Path.Combine(dir, "junk.db"), "CNY"), "not a book");
      Throws<InvalidArgumentException>(() => Book.Open("ftp://example/book", "CNY"),
                                       "unknown scheme");
      Throws<InvalidArgumentException>(
          () => Book.Open(uri, "CNY", new BookOptions { GroupEventsMax = 0 }), "group of 0");
      Throws<InvalidArgumentException>(
          () => Book.Open(uri, "CNY", new BookOptions { Durability = (Durability)5 }),
          "unknown durability");
      Throws<UnknownCurrencyException>(() => Book.Open("memory:", "XXQ"), "unknown currency");
      using (Book memory = Book.Open("memory:", "CNY")) {
        Populate(memory.Ledger);
        memory.Commit();
      }
    } finally {
      Directory.Delete(dir, true);
    }
  }

  // What the Python binding has that C# lacked: dimension budgets, money helpers, history,
  // the sizing explanation, reserving without details, the refund default.
  static void PythonParity() {
    using (Ledger l = NewLedger()) {
      l.SetDimensionBudget("d1", "fin", new Scope(P, ScopeKind.Owner, "amy", "gift"), 5000,
                           "cap amy");
      l.SetDimensionBudget("d2", "fin", new Scope(P, ScopeKind.Region, "south", "gift"), 2000);
      Check(l.GetBalance(new Scope(P, ScopeKind.Owner, "amy", "gift")).BudgetMinor == 5000,
            "owner budget");
      Decision d = l.Reserve("r1", "amy", P, "c1", "gift", 6000);
      Check(d.Outcome == Outcome.Reject &&
                d.Reasons.Any(r => r.Outcome == Outcome.Reject && r.Scope.Kind == ScopeKind.Owner),
            "the owner budget rejects");
      Check(l.Reserve("r2", "bob", P, "c2", "gift", 2000).Outcome == Outcome.Approve,
            "region budget allows");
      Throws<AlreadyExistsException>(
          () => l.SetDimensionBudget("d3", "fin", new Scope(P, ScopeKind.Owner, "amy", "gift"), 1),
          "owner budget twice");
      Throws<InvalidArgumentException>(
          () => l.SetDimensionBudget("d4", "fin", new Scope(P, ScopeKind.Tier, "A", "gift"), 1),
          "a tier is not a dimension");
      Throws<NotFoundException>(
          () =>
              l.SetDimensionBudget("d5", "fin", new Scope(P, ScopeKind.Owner, "nobody", "gift"), 1),
          "unknown owner");
      Throws<PermissionDeniedException>(
          () =>
              l.SetDimensionBudget("d6", "amy", new Scope(P, ScopeKind.Region, "north", "gift"), 1),
          "an account manager sets budgets");
      Decision quick = l.Reserve("r3", "bob", P, "c2", "gift", 100000, details: false);
      Check(quick.Outcome == Outcome.Reject && quick.Reasons.Count == 0 && quick.Explanation == "",
            "without details");
      Check(l.HistoryJson(Envelope("c2")).Contains("\"op_id\":\"r2\""), "history of an envelope");
      Throws<NotFoundException>(() => l.HistoryJson(Envelope("nobody")),
                                "history of an unknown scope");
    }
    using (var l = new Ledger("CNY", 1, "admin", refundReturnsToBudget: false)) {
      Populate(l);
      l.Spend("s1", "amy", P, "c1", "gift", 1000);
      l.Refund("f1", "admin", "s1");
      Check(l.GetBalance(Envelope("c1")).AvailableMinor == 9000,
            "refund default: not back to the budget");
    }
    Check(Money.Exponent("CNY") == 2 && Money.Exponent("JPY") == 0 && Money.Exponent("KWD") == 3,
          "exponents");
    Check(Money.Parse("1234.56", "CNY") == 123456 && Money.Parse("-0.005", "KWD") == -5, "parse");
    Check(Money.Format(123456, "CNY") == "1234.56" && Money.Format(-5, "KWD") == "-0.005",
          "format");
    Check(Money.ToDecimal(123456, "CNY") == 1234.56m && Money.ToDecimal(7, "JPY") == 7m,
          "to decimal");
    Check(Money.ToMinor(1234.5m, "CNY") == 123450 && Money.ToMinor(1.500m, "CNY") == 150 &&
              Money.ToMinor(1200m, "JPY") == 1200,
          "to minor units");
    Throws<PrecisionException>(() => Money.Parse("1.505", "CNY"), "too many decimals");
    Throws<PrecisionException>(() => Money.ToMinor(1.505m, "CNY"), "too many decimals (decimal)");
    Throws<ParseException>(() => Money.Parse("12,5", "CNY"), "not a decimal");
    Throws<UnknownCurrencyException>(() => Money.Exponent("XXQ"), "unknown currency");
    Throws<InvalidArgumentException>(() => Money.Parse("1\0", "CNY"), "a NUL inside");
    using (Policy policy = Policy.Compile(Read("examples/policy.json"))) using (
        Portfolio portfolio =
            Portfolio.FromCsv(Read("examples/data/portfolio.csv"), "CNY",
                              out string rejected)) using (var plan = new Plan(policy, portfolio)) {
      Check(plan.ExplainSizing().Contains("market"), "sizing explained: " + plan.ExplainSizing());
    }
  }

  static void Subscribe(Ledger l, int[] calls) {
    l.AlertRaised += a => ++calls[0];
  }

  static int Main(string[] args) {
    root_ = args.Length > 0 ? args[0] : ".";
    Run("basics", Basics);
    Run("planning", Planning);
    Run("ledger", LedgerOperations);
    Run("approvals", Approvals);
    Run("batches", Batches);
    Run("check batches", CheckBatches);
    Run("custom policies", CustomPolicies);
    Run("policy test runner", PolicyTestRunner);
    Run("callback lifetime", CallbackLifetime);
    Run("monitoring errors", MonitoringErrors);
    Run("alerts", Alerts);
    Run("alert handler lifetime", AlertHandlerLifetime);
    Run("reports", Reports);
    Run("rollover", Rollover);
    Run("feedback loop", FeedbackLoop);
    Run("books", Books);
    Run("Python parity", PythonParity);
    Console.WriteLine(passed_ + " passed, " + failed_ + " failed");
    return failed_ == 0 ? 0 : 1;
  }
}
