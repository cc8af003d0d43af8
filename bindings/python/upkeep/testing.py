"""Policy tests: run a case file (JSON) through upk_run_policy_tests."""

import ctypes
import json
import os

from . import _lib
from .errors import check


def run_policy_tests(cases, registry=None):
    """cases: JSON text, a dict, or a path to a JSON file. Returns the report as a dict:
    {"summary": "N passed, M failed", "passed": N, "failed": M, "cases": [...]}."""
    if isinstance(cases, dict):
        text = json.dumps(cases)
    elif isinstance(cases, (str, os.PathLike)) and os.path.exists(cases):
        with open(cases, encoding="utf-8") as f:
            text = f.read()
    else:
        text = cases
    keep = _lib.Keep()
    summary = _lib.TestSummary()
    report = ctypes.c_void_p()
    check(_lib.lib.upk_run_policy_tests(ctypes.byref(summary), ctypes.byref(report),
                                        keep.s(text), registry.handle if registry else None))
    return json.loads(_lib.take_string(report))
