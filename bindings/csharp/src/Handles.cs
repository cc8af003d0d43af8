// Handles.cs: one SafeHandle per owned library object; the runtime frees each exactly once
// (Dispose or finalization) with its upk_*_free. Calls that accept NULL get Null, a handle that
// is never valid and never freed.
using System;
using System.Runtime.InteropServices;

namespace Upkeep.Interop {

  internal abstract class UpkHandle : SafeHandle {
    protected UpkHandle() : base(IntPtr.Zero, true) {}
    public override bool IsInvalid {
      get { return handle == IntPtr.Zero; }
    }
  }

  internal sealed class RegistryHandle : UpkHandle {
    internal static readonly RegistryHandle Null = new RegistryHandle();
    protected override bool ReleaseHandle() {
      Native.upk_registry_free(handle);
      return true;
    }
  }

  internal sealed class PolicyHandle : UpkHandle {
    internal static readonly PolicyHandle Null = new PolicyHandle();
    protected override bool ReleaseHandle() {
      Native.upk_policy_free(handle);
      return true;
    }
  }

  internal sealed class BuilderHandle : UpkHandle {
    protected override bool ReleaseHandle() {
      Native.upk_portfolio_builder_free(handle);
      return true;
    }
  }

  internal sealed class PortfolioHandle : UpkHandle {
    protected override bool ReleaseHandle() {
      Native.upk_portfolio_free(handle);
      return true;
    }
  }

  internal sealed class PlanHandle : UpkHandle {
    protected override bool ReleaseHandle() {
      Native.upk_plan_free(handle);
      return true;
    }
  }

  internal sealed class ProposalHandle : UpkHandle {
    protected override bool ReleaseHandle() {
      Native.upk_proposal_free(handle);
      return true;
    }
  }

  internal sealed class LedgerHandle : UpkHandle {
    protected override bool ReleaseHandle() {
      Native.upk_ledger_free(handle);
      return true;
    }
    // Frees a book through upk_book_close (which reports its final commit) instead of
    // upk_ledger_free; the handle is closed afterwards either way. 0 when already closed.
    internal int CloseBook() {
      if (IsClosed || IsInvalid)
        return 0;
      IntPtr book = handle;
      SetHandleAsInvalid();
      return Native.upk_book_close(book);
    }
  }

  internal sealed class DecisionHandle : UpkHandle {
    internal static readonly DecisionHandle Null = new DecisionHandle();
    protected override bool ReleaseHandle() {
      Native.upk_decision_free(handle);
      return true;
    }
  }

  internal sealed class AlertListHandle : UpkHandle {
    protected override bool ReleaseHandle() {
      Native.upk_alert_list_free(handle);
      return true;
    }
  }

}  // namespace Upkeep.Interop
