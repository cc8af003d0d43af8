// Errors.cs: every non-zero upk_status becomes an UpkeepException subclass (the table below,
// by status number; append-only like the codes). An exception thrown by a C# callback during a
// call is rethrown from that call, as itself, before the status is looked at.
using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using Upkeep.Interop;

namespace Upkeep {

  public class UpkeepException : Exception {
    public UpkeepException(int status, string message) : base(message) {
      Status = status;
      StatusName = Text.FromStatic(Native.upk_status_name(status));
    }
    public int Status { get; private set; }
    public string StatusName { get; private set; }
  }

  public class InvalidArgumentException : UpkeepException {
    public InvalidArgumentException(int s, string m) : base(s, m) {}
  }
  public class OverflowException : UpkeepException {
    public OverflowException(int s, string m) : base(s, m) {}
  }
  public class CurrencyMismatchException : UpkeepException {
    public CurrencyMismatchException(int s, string m) : base(s, m) {}
  }
  public class UnknownCurrencyException : UpkeepException {
    public UnknownCurrencyException(int s, string m) : base(s, m) {}
  }
  public class ParseException : UpkeepException {
    public ParseException(int s, string m) : base(s, m) {}
  }
  public class PrecisionException : UpkeepException {
    public PrecisionException(int s, string m) : base(s, m) {}
  }
  public class NotFoundException : UpkeepException {
    public NotFoundException(int s, string m) : base(s, m) {}
  }
  public class InfeasibleException : UpkeepException {
    public InfeasibleException(int s, string m) : base(s, m) {}
  }
  public class PolicyInvalidException : UpkeepException {
    public PolicyInvalidException(int s, string m) : base(s, m) {}
  }
  public class InvalidUtf8Exception : UpkeepException {
    public InvalidUtf8Exception(int s, string m) : base(s, m) {}
  }
  public class AlreadyExistsException : UpkeepException {
    public AlreadyExistsException(int s, string m) : base(s, m) {}
  }
  public class IdempotencyConflictException : UpkeepException {
    public IdempotencyConflictException(int s, string m) : base(s, m) {}
  }
  public class InsufficientFundsException : UpkeepException {
    public InsufficientFundsException(int s, string m) : base(s, m) {}
  }
  public class PermissionDeniedException : UpkeepException {
    public PermissionDeniedException(int s, string m) : base(s, m) {}
  }
  public class PeriodClosedException : UpkeepException {
    public PeriodClosedException(int s, string m) : base(s, m) {}
  }
  public class InvalidStateException : UpkeepException {
    public InvalidStateException(int s, string m) : base(s, m) {}
  }
  public class InternalException : UpkeepException {
    public InternalException(int s, string m) : base(s, m) {}
  }
  public class NullArgumentException : UpkeepException {
    public NullArgumentException(int s, string m) : base(s, m) {}
  }
  public class UnsupportedVersionException : UpkeepException {
    public UnsupportedVersionException(int s, string m) : base(s, m) {}
  }
  public class StoreIoException : UpkeepException {
    public StoreIoException(int s, string m) : base(s, m) {}
  }
  public class CorruptException : UpkeepException {
    public CorruptException(int s, string m) : base(s, m) {}
  }
  public class BusyException : UpkeepException {
    public BusyException(int s, string m) : base(s, m) {}
  }
  public class CallbackFailedException : UpkeepException {
    public CallbackFailedException(int s, string m) : base(s, m) {}
  }

  public static class Status {
    // Index = status number (1..23); upkeep.h's enum, append only.
    private static readonly Func<int, string, UpkeepException>[] ByStatus = {
      null,
      (s, m) => new InvalidArgumentException(s, m),
      (s, m) => new OverflowException(s, m),
      (s, m) => new CurrencyMismatchException(s, m),
      (s, m) => new UnknownCurrencyException(s, m),
      (s, m) => new ParseException(s, m),
      (s, m) => new PrecisionException(s, m),
      (s, m) => new NotFoundException(s, m),
      (s, m) => new InfeasibleException(s, m),
      (s, m) => new PolicyInvalidException(s, m),
      (s, m) => new InvalidUtf8Exception(s, m),
      (s, m) => new AlreadyExistsException(s, m),
      (s, m) => new IdempotencyConflictException(s, m),
      (s, m) => new InsufficientFundsException(s, m),
      (s, m) => new PermissionDeniedException(s, m),
      (s, m) => new PeriodClosedException(s, m),
      (s, m) => new InvalidStateException(s, m),
      (s, m) => new InternalException(s, m),
      (s, m) => new NullArgumentException(s, m),
      (s, m) => new UnsupportedVersionException(s, m),
      (s, m) => new StoreIoException(s, m),
      (s, m) => new CorruptException(s, m),
      (s, m) => new BusyException(s, m),
      (s, m) => new CallbackFailedException(s, m),
    };

    [ThreadStatic]
    private static ExceptionDispatchInfo pending_;

    // The exception for a status (a batch's per-request status, for example); null for 0.
    public static UpkeepException ToException(int status, string message) {
      if (status == 0)
        return null;
      var make = status > 0 && status < ByStatus.Length ? ByStatus[status] : null;
      return make != null ? make(status, message) : new UpkeepException(status, message);
    }

    internal static void Check(int status) {
      ExceptionDispatchInfo pending = pending_;
      pending_ = null;
      if (pending != null)
        pending.Throw();
      if (status != 0) {
        throw ToException(status, Text.FromStatic(Native.upk_last_error_message()));
      }
    }

    // For callback bridges: remembers the exception for Check (the first, if several callbacks
    // throw during one call) and returns the status to give back to the library.
    internal static int Remember(Exception error) {
      if (pending_ == null)
        pending_ = ExceptionDispatchInfo.Capture(error);
      return Native.upk_callback_fail(
          Text.NulTerminated(error.GetType().Name + ": " + error.Message));
    }
  }

}  // namespace Upkeep
