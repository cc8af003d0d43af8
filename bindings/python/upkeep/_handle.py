"""The base of every object that owns a library handle (freed once, by close or collection)."""

import ctypes


class Handle:
    _free = None  # the upk_*_free function, set by subclasses

    def __init__(self, handle, owned=True):
        self._handle = handle if isinstance(handle, ctypes.c_void_p) else ctypes.c_void_p(handle)
        self._owned = owned

    @property
    def handle(self):
        return self._handle

    def close(self):
        if getattr(self, "_owned", False) and self._handle:
            type(self)._free(self._handle)
        self._handle = ctypes.c_void_p()

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
