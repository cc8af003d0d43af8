"""Python objects handed to the library as callbacks' user_data, alive until its destroy runs.

The library calls destroy(user_data) exactly once (when the registry, ledger or whatever holds
the callback table is freed, or at once when registering fails); DESTROY then lets go.
"""

import itertools
import threading

from . import _lib

_alive = {}
_alive_lock = threading.Lock()
_keys = itertools.count(1)


def hold(obj):
    """The user_data key under which `obj` stays alive until DESTROY runs for it."""
    key = next(_keys)
    with _alive_lock:
        _alive[key] = obj
    return key


def held(key):
    """The object held under `key` (None once destroyed)."""
    with _alive_lock:
        return _alive.get(key)


def _destroy(user_data):
    with _alive_lock:
        _alive.pop(user_data, None)


DESTROY = _lib.DESTROY_FN(_destroy)
