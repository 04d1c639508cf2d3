"""How fast and how right is expected_events over every kind of valid scenario?

Run:  python benchmarks/bench_design.py [--old-limit 5]

Prints the slowest expected_events time over a grid of Weibull shapes (0.05 to 20), control
medians (1e-3 to 1e3 months), delays (with early hazard ratios up to 1e6) and dropouts, against
the issue 9 target of 20 ms. The old implementation (nested scipy quad over entry time and
death time, kept below only for this comparison) is run in the same process on the grid
points where it finishes within --old-limit seconds, for a speed ratio and its error; where it
does not finish in time, that is printed. Nothing here is an assertion.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import time
import warnings
from itertools import product
from pathlib import Path

import numpy as np
from scipy import integrate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import edu_survival as es
from edu_survival import design


# ----- the old implementation (before issue 9), for the baseline only ----------------------------
def _old_hazard(s, t, arm):
    lam, k = s.scale("control"), s.shape
    t = max(float(t), 1e-12)
    base = k / lam * (t / lam) ** (k - 1)
    if arm == "treatment":
        return base * (s.hr if t > s.delay else s.early_hr)
    return base


def old_death_probability(s, arm):
    m = s.dropout_hazard
    A, F = s.accrual, s.follow_up
    if s.shape == 1 and (arm == "control" or (s.delay == 0 and s.early_hr == 1)):
        lam = math.log(2) / (s.median_control if arm == "control" else s.median_treatment)
        rate = lam + m
        if A == 0:
            observed_by_end = 1 - math.exp(-rate * F)
        else:
            observed_by_end = 1 - (math.exp(-rate * F) - math.exp(-rate * (A + F))) / (rate * A)
        return lam / rate * observed_by_end

    def died_before(c):
        if c <= 0:
            return 0.0
        dens = lambda t: (  # noqa: E731
            np.exp(-s.cumulative_hazard(t, arm)) * _old_hazard(s, t, arm) * math.exp(-m * t)
        )
        points = [s.delay] if 0 < s.delay < c else None
        return integrate.quad(dens, 0, c, points=points, limit=200)[0]

    if A == 0:
        return died_before(F)
    return integrate.quad(lambda e: died_before(A + F - e), 0, A, limit=200)[0] / A


def old_expected_events(s):
    return sum(n * old_death_probability(s, arm) for arm, n in s.arm_sizes.items())


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def best_time(fn, repeats=3):
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-limit", type=float, default=5.0,
                        help="seconds allowed to the old implementation per scenario")
    args = parser.parse_args(argv)
    shapes = (0.05, 0.1, 0.3, 0.7, 1.0, 1.5, 3.0, 10.0, 20.0)
    medians = (1e-3, 0.1, 17.3, 1e3)
    extras = ({}, {"dropout": 0.3}, {"delay": 6.0, "early_hr": 1e6}, {"delay": 6.0, "dropout": 0.3})
    rows = []
    for k, med, extra in product(shapes, medians, extras):
        s = es.LAPATINIB.replace(shape=k, median_control=med, median_treatment=med * 1.38, **extra)
        seconds, value = best_time(lambda s=s: design.expected_events(s))
        rows.append((seconds, k, med, extra, value, s))
    rows.sort(key=lambda r: r[0])
    print(f"expected_events over {len(rows)} scenarios (shapes {shapes[0]}-{shapes[-1]}, "
          f"control medians {medians[0]:g}-{medians[-1]:g} months, delays, early HR 1e6, dropout)")
    times = np.array([r[0] for r in rows])
    print(f"  median {1e3 * np.median(times):.2f} ms, slowest {1e3 * times[-1]:.2f} ms "
          f"(target <= 20 ms) at shape {rows[-1][1]}, median {rows[-1][2]:g}, {rows[-1][3] or 'no extras'}")

    print(f"\nOld nested-quad implementation, same process, {args.old_limit:g} s allowed per scenario:")
    signal.signal(signal.SIGALRM, _alarm)
    warnings.simplefilter("ignore")  # the old quad warns where it misses mass; we print the error
    ratios, errors, timeouts = [], [], []
    for seconds, k, med, extra, value, s in rows:
        signal.setitimer(signal.ITIMER_REAL, args.old_limit)
        try:
            t0 = time.perf_counter()
            old = old_expected_events(s)
            old_seconds = time.perf_counter() - t0
        except _Timeout:
            timeouts.append((k, med, extra))
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        ratios.append(old_seconds / seconds)
        errors.append((abs(old - value), k, med, extra, old, value))
    if ratios:
        print(f"  {len(ratios)} scenarios finished: old / new time, median {np.median(ratios):.0f}x, "
              f"smallest {min(ratios):.0f}x")
        errors.sort(key=lambda e: -e[0])
        for err, k, med, extra, old, new in errors[:5]:
            print(f"  largest disagreement: {err:.1f} deaths (old {old:.1f}, new {new:.1f}) at shape {k}, "
                  f"median {med:g}, {extra or 'no extras'}")
    print(f"  {len(timeouts)} scenarios did not finish within {args.old_limit:g} s with the old code, e.g. "
          + "; ".join(f"shape {k}, median {m:g}" for k, m, _ in timeouts[:4]))
    print("  (the disagreements are the old code missing mass; tests/test_design.py checks the new "
          "numbers against simulation)")

    # The explorer case: 172 s to build and 169 s per slider move at shape 0.1 before.
    from edu_survival.censoring import censored_share_range
    from edu_survival.widgets import TrialExplorer

    scenario = es.LAPATINIB.replace(shape=0.1)
    seconds, _ = best_time(lambda: censored_share_range(scenario))
    print(f"\ncensored_share_range at shape 0.1: {1e3 * seconds:.1f} ms")
    t0 = time.perf_counter()
    explorer = TrialExplorer(scenario)
    print(f"TrialExplorer(LAPATINIB.replace(shape=0.1)) builds in {time.perf_counter() - t0:.2f} s "
          "(172 s before, issue 9)")
    explorer.controls["censoring_mode"].value = "share"
    slider = explorer.controls["share_censored"]
    moves = []
    for value in (slider.min + 0.01, slider.max - 0.01, round((slider.min + slider.max) / 2, 2)):
        t0 = time.perf_counter()
        slider.value = value
        moves.append(time.perf_counter() - t0)
    print(f"  share-censored slider move: slowest {1e3 * max(moves):.0f} ms (169 s before)")


if __name__ == "__main__":
    main()
