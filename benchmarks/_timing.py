"""Timing helper shared by the benchmark scripts (run them as ``python benchmarks/bench_*.py``)."""

import time


def best_of(fn, repeats: int) -> float:
    """The fastest of ``repeats`` calls of ``fn``, seconds: the least disturbed by other work."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
