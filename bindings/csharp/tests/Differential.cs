// Differential.cs: the differential corpus (capi/tests/data/differential.json) through the C API
// from C#. Usage: mono UpkeepDifferential.exe <corpus.json> <source dir>; prints the canonical
// JSON that capi/tests/differential/differential.cc documents.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Upkeep;
using JObject = System.Collections.Generic.SortedDictionary<string, object>;

static class Differential {
  static readonly string[] Outcomes = { "approve", "approve with warning", "needs approval",
                                        "reject" };
  static readonly string[] Kinds = { "company", "tier", "customer", "owner", "region" };
  static readonly string[] Roles = { "account_manager", "manager", "finance", "admin" };
  static readonly string[] Reservations = { "open", "posted", "voided", "expired", "pending" };

  static JObject Obj(params object[] pairs) {
    var o = new JObject(StringComparer.Ordinal);
    for (int i = 0; i < pairs.Length; i += 2) o[(string)pairs[i]] = pairs[i + 1];
    return o;
  }

  static string S(IDictionary<string, object> o, string key, string fallback = "") {
    object v;
    return o.TryGetValue(key, out v) ? (string)v : fallback;
  }

  static long? L(IDictionary<string, object> o, string key) {
    object v;
    return o.TryGetValue(key, out v) ? (long?)Convert.ToInt64(v) : null;
  }

  static bool B(IDictionary<string, object> o, string key) {
    object v;
    return o.TryGetValue(key, out v) && (bool)v;
  }

  static JObject PlanCase(IDictionary<string, object> c, string root) {
    string document = c.ContainsKey("policy_file")
                          ? File.ReadAllText(Path.Combine(root, (string)c["policy_file"]))
                          : Json.Write(c["policy"]);
    var out_ = Obj("name", c["name"]);
    using (Policy policy = Policy.Compile(document)) using (
        Portfolio portfolio =
            Portfolio.FromCsv(File.ReadAllText(Path.Combine(root, (string)c["portfolio_csv"])),
                              policy.Currency, out string rejected)) {
      Plan plan;
      try {
        plan = new Plan(policy, portfolio, L(c, "pool_minor"));
      } catch (UpkeepException e) {
        out_["status"] = e.StatusName;
        return out_;
      }
      using (plan) {
        PlanSummary s = plan.Summary;
        out_["summary"] =
            Obj("customer_count", (long)s.CustomerCount, "tier_count", (long)s.TierCount,
                "pool_minor", s.PoolMinor, "allocated_minor", s.AllocatedMinor, "reserve_minor",
                s.ReserveMinor, "unallocated_minor", s.UnallocatedMinor);
        out_["tiers"] =
            plan.Tiers
                .Select(t => (object)Obj("name", t.Name, "customers", (long)t.Customers,
                                         "amount_minor", t.AmountMinor, "smallest_minor",
                                         t.SmallestMinor, "largest_minor", t.LargestMinor, "flags",
                                         (long)t.Flags, "bound_minor", t.BoundMinor))
                .ToList();
        out_["customers"] =
            plan.Customers
                .Select(p => (object)Obj("id", p.Id, "tier", (long)p.Tier, "rule_tier",
                                         (long)p.RuleTier, "tier_reason", (long)p.TierReason,
                                         "amount_minor", p.AmountMinor, "base_minor", p.BaseMinor,
                                         "weight", p.Weight, "bound_minor", p.BoundMinor, "step",
                                         (long)p.Step, "flags", (long)p.Flags))
                .ToList();
      }
    }
    return out_;
  }

  static JObject ScopeOf(Scope s) {
    return Obj("period", s.Period, "kind", Kinds[(int)s.Kind], "key", s.Key, "category",
               s.Category);
  }

  static JObject ScopeOf(IDictionary<string, object> reported) {
    return Obj("period", reported["period"], "kind", reported["kind"], "key", reported["key"],
               "category", reported["category"]);
  }

  static void AddDecision(JObject entry, Decision d) {
    entry["outcome"] = Outcomes[(int)d.Outcome];
    entry["replayed"] = d.Replayed;
    entry["reasons"] =
        d.Reasons
            .Select(r => (object)Obj("rule_id", r.RuleId, "outcome", Outcomes[(int)r.Outcome],
                                     "scope", ScopeOf(r.Scope), "requested_minor", r.RequestedMinor,
                                     "shortfall_minor", r.ShortfallMinor, "available_minor",
                                     r.Balance.AvailableMinor, "message", r.Message, "remedy",
                                     r.Remedy))
            .ToList();
  }

  static void Operation(Ledger l, IDictionary<string, object> s, string period, string category,
                        JObject entry) {
    string op = (string)s["op"], actor = S(s, "actor"), id = S(s, "id"), target = S(s, "target"),
           reason = S(s, "reason");
    long? amount = L(s, "amount_minor");
    bool explain = B(s, "explain");
    switch (op) {
      case "reserve":
        AddDecision(entry, l.Reserve(id, actor, period, (string)s["customer"], category,
                                     amount.Value, L(s, "expiry_micros") ?? 0, reason, explain));
        return;
      case "spend":
        AddDecision(entry, l.Spend(id, actor, period, (string)s["customer"], category, amount.Value,
                                   reason, explain));
        return;
      case "check":
        AddDecision(entry, l.Check(id, actor, period, (string)s["customer"], category, amount.Value,
                                   B(s, "as_spend"), explain));
        return;
      case "approve":
        AddDecision(entry, l.Approve(actor, id, reason));
        return;
      case "expire":
        entry["count"] = l.Expire(actor, L(s, "now_micros").Value);
        return;
      case "post":
        l.Post(id, actor, target, amount, reason);
        return;
      case "void":
        l.Void(id, actor, target, reason);
        return;
      case "refund":
        l.Refund(id, actor, target, amount, null, reason);
        return;
      case "reject_approval":
        l.RejectApproval(actor, id, reason);
        return;
      case "withdraw_approval":
        l.WithdrawApproval(actor, id, reason);
        return;
      case "close_period":
        l.ClosePeriod(actor, period);
        return;
      default:
        throw new ArgumentException("unknown op " + op);
    }
  }

  static JObject LedgerCase(IDictionary<string, object> spec) {
    string period = (string)spec["period"], category = (string)spec["category"];
    using (var l = new Ledger((string)spec["currency"], fixedTimeMicros: 1)) {
      l.DefineCategory("admin", category);
      l.DefinePeriod("admin", period, 0, L(spec, "period_end_micros").Value);
      foreach (object tier in (List<object>)spec["tiers"]) l.DefineTier("admin", (string)tier);
      foreach (List<object> a in ((List<object>)spec["actors"]).Cast<List<object>>()) {
        l.DefineActor("admin", (string)a[0], (Role)Array.IndexOf(Roles, (string)a[1]));
      }
      var tierOf = new Dictionary<string, string>();
      foreach (List<object> c in ((List<object>)spec["customers"]).Cast<List<object>>()) {
        l.DefineCustomer("admin", (string)c[0], (string)c[1], (string)c[2], (string)c[3]);
        tierOf[(string)c[0]] = (string)c[1];
      }
      l.ApplyAllocation(
          "budget", "admin", period, category,
          ((List<object>)spec["envelopes"])
              .Cast<List<object>>()
              .Select(e => new Envelope((string)e[0], tierOf[(string)e[0]], (long)e[1]))
              .ToList());
      l.SetPolicies("admin", Json.Write(spec["control"]));
      var operations = new List<object>();
      var specs = ((List<object>)spec["operations"]).Cast<IDictionary<string, object>>().ToList();
      foreach (var s in specs) {
        JObject entry = Obj("op", s["op"], "id", S(s, "id"));
        try {
          Operation(l, s, period, category, entry);
          entry["status"] = "ok";
        } catch (UpkeepException e) {
          entry["status"] = e.StatusName;
        }
        operations.Add(entry);
      }
      var reservations = new JObject(StringComparer.Ordinal);
      foreach (var s in specs.Where(s => (string)s["op"] == "reserve" ||
                                         (string)s["op"] == "spend")) {
        string id = (string)s["id"];
        try {
          ReservationInfo r = l.Reservation(id);
          reservations[id] =
              Obj("status", Reservations[(int)r.Status], "amount_minor", r.AmountMinor,
                  "posted_minor", r.PostedMinor, "refunded_minor", r.RefundedMinor);
        } catch (UpkeepException e) {
          reservations[id] = Obj("status", e.StatusName);
        }
      }
      var scopes =
          ((List<object>)Json.Parse(l.ScopesJson()))
              .Cast<IDictionary<string, object>>()
              .Select(s => {
                var b = (IDictionary<string, object>)s["balance"];
                return (object)Obj("scope", ScopeOf((IDictionary<string, object>)s["scope"]),
                                   "mode", s["mode"], "children_budget_minor",
                                   s["children_budget_minor"], "budget_minor", b["budget_minor"],
                                   "reserved_minor", b["reserved_minor"], "spent_minor",
                                   b["spent_minor"], "available_minor", b["available_minor"]);
              })
              .ToList();
      var pending = ((List<object>)Json.Parse(l.PendingApprovalsJson()))
                        .Cast<IDictionary<string, object>>()
                        .Select(a => (object)Obj(
                                    "approval_id", a["approval_id"], "requester", a["requester"],
                                    "envelope", ScopeOf((IDictionary<string, object>)a["envelope"]),
                                    "amount_minor", a["amount_minor"], "is_spend", a["is_spend"]))
                        .ToList();
      return Obj("operations", operations, "reservations", reservations, "scopes", scopes,
                 "pending", pending);
    }
  }

  static int Main(string[] args) {
    var corpus = (IDictionary<string, object>)Json.Parse(File.ReadAllText(args[0]));
    var allocation = ((List<object>)corpus["allocation"])
                         .Cast<IDictionary<string, object>>()
                         .Select(c => (object)PlanCase(c, args[1]))
                         .ToList();
    var result = Obj("allocation", allocation, "ledger",
                     LedgerCase((IDictionary<string, object>)corpus["ledger"]));
    var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
    stdout.Write(Json.Write(result));
    stdout.Write("\n");
    stdout.Flush();
    return 0;
  }
}
