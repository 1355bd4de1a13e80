"""Loaded into Schemathesis by both passes of tests/fuzz/run.sh, which test
several operations at once (`workers`): CPython 3.11's `ast.parse` is not
safe to call from two threads at once (python/cpython#106905: "AST
constructor recursion depth mismatch"), and Hypothesis parses sources with
it to describe its strategies. One lock around it, and the threads take
turns there (it is off the hot path)."""

import ast
import threading

_lock = threading.Lock()
_parse = ast.parse


def _parse_one_at_a_time(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)


ast.parse = _parse_one_at_a_time
