"""Exceptions mapped from upk_status codes, and the call helper that raises them."""

import threading

from . import _lib


class UpkeepError(Exception):
    """A failed upkeep call: .status (the number), .status_name and the library's message."""

    status = -1

    def __init__(self, message, status=None):
        super().__init__(message)
        if status is not None:
            self.status = status
        self.status_name = _lib.lib.upk_status_name(self.status).decode()


def _error(name, code):
    return type(name, (UpkeepError,), {"status": code})


InvalidArgument = _error("InvalidArgument", 1)
Overflow = _error("Overflow", 2)
CurrencyMismatch = _error("CurrencyMismatch", 3)
UnknownCurrency = _error("UnknownCurrency", 4)
ParseError = _error("ParseError", 5)
PrecisionError = _error("PrecisionError", 6)
NotFound = _error("NotFound", 7)
Infeasible = _error("Infeasible", 8)
PolicyInvalid = _error("PolicyInvalid", 9)
InvalidUtf8 = _error("InvalidUtf8", 10)
AlreadyExists = _error("AlreadyExists", 11)
IdempotencyConflict = _error("IdempotencyConflict", 12)
InsufficientFunds = _error("InsufficientFunds", 13)
PermissionDenied = _error("PermissionDenied", 14)
PeriodClosed = _error("PeriodClosed", 15)
InvalidState = _error("InvalidState", 16)
InternalError = _error("InternalError", 17)
NullArgument = _error("NullArgument", 18)
UnsupportedVersion = _error("UnsupportedVersion", 19)
StoreIoError = _error("StoreIoError", 20)
Corrupt = _error("Corrupt", 21)
Busy = _error("Busy", 22)
CallbackFailed = _error("CallbackFailed", 23)

_BY_STATUS = {cls.status: cls for cls in UpkeepError.__subclasses__()}

# Exceptions raised inside Python callbacks on this thread, re-raised when the call returns.
_pending = threading.local()


def remember_callback_error(error):
    """Records an exception raised by a Python callback (the first, if several raise during one
    call); returns the C status to give back."""
    if getattr(_pending, "error", None) is None:
        _pending.error = error
    return _lib.lib.upk_callback_fail(str(error).encode("utf-8", "replace"))


def raise_callback_error():
    """Re-raises (once) the exception a callback raised during the last call on this thread."""
    error = getattr(_pending, "error", None)
    if error is not None:
        _pending.error = None
        raise error


def check(status):
    """Raises the exception for a non-zero status (a callback's own exception first)."""
    raise_callback_error()
    if status != 0:
        message = _lib.lib.upk_last_error_message().decode("utf-8", "replace")
        raise _BY_STATUS.get(status, UpkeepError)(message, status)


def error_for(status, message=""):
    """The exception object for `status` (for per-request statuses of batches)."""
    return _BY_STATUS.get(status, UpkeepError)(message, status)
