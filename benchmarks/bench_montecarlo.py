"""How fast is the vectorised Monte Carlo engine, compared with a plain lifelines loop?

Run:  python benchmarks/bench_montecarlo.py [--lifelines-trials 100]

Everything is measured in this one run on this machine. Times for the engine include
simulating the trials (simulate_many) and analysing them, as a learner pressing "run 1,000
trials" would wait for; the best of several repeats is reported. The lifelines loop is
timed on at least 100 trials and scaled to 1,000. Targets from issue 3 are printed next to the
figures; they are not assertions.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from _timing import best_of

import edu_survival as es


def engine(n_sims: int, cox: bool, seed: int = 1):
    time_, event, treated = es.simulate_many(es.LAPATINIB, n_sims, seed=seed)
    es.logrank_many(time_, event, treated)
    if cox:
        es.cox_many(time_, event, treated)


def lifelines_loop(n_trials: int, cox: bool) -> float:
    from lifelines import CoxPHFitter
    from lifelines.statistics import logrank_test

    time_, event, treated = es.simulate_many(es.LAPATINIB, n_trials, seed=2)
    start = time.perf_counter()
    for t, e in zip(time_, event, strict=True):
        logrank_test(t[treated], t[~treated], e[treated], e[~treated])
        if cox:
            df = pd.DataFrame({"time": t, "event": e.astype(int), "treated": treated.astype(float)})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                CoxPHFitter().fit(df, "time", "event")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifelines-trials", type=int, default=100)
    parser.add_argument("--peak-trials", type=int, default=100_000)
    args = parser.parse_args()
    n_loop = max(100, args.lifelines_trials)
    n = es.LAPATINIB.n

    engine(1000, cox=True)  # warm up imports and caches
    results = {}
    for n_sims, repeats in ((1_000, 15), (10_000, 3)):
        for cox in (False, True):
            results[n_sims, cox] = best_of(lambda n_sims=n_sims, cox=cox: engine(n_sims, cox), repeats)
    sim_only = best_of(lambda: es.simulate_many(es.LAPATINIB, 1000, seed=1), 15)

    loop = {cox: lifelines_loop(n_loop, cox) * 1000 / n_loop for cox in (False, True)}

    tracemalloc.start()
    start = time.perf_counter()
    res = es.power(es.LAPATINIB, n_sims=args.peak_trials, seed=3, progress=False)
    power_seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"edu_survival Monte Carlo benchmark: case study, n = {n} patients per trial")
    print(f"numpy {np.__version__}; times include simulate_many (alone: {sim_only * 1e3:.1f} ms per 1,000 trials)")
    print()
    targets = {(1_000, False): 0.040, (1_000, True): 0.150, (10_000, False): 0.5, (10_000, True): 1.5}
    speedup_targets = {False: 200, True: 150}
    print(f"{'trials':>7} {'analysis':<16} {'engine':>10} {'target':>8} {'lifelines loop':>15} {'speed-up':>9} {'target':>7}")
    for (n_sims, cox), seconds in results.items():
        label = "log-rank + Cox" if cox else "log-rank"
        loop_s = loop[cox] * n_sims / 1000
        ok = "ok" if seconds <= targets[n_sims, cox] else "MISSED"
        print(
            f"{n_sims:>7,} {label:<16} {seconds * 1e3:>7.1f} ms {targets[n_sims, cox] * 1e3:>5.0f} ms"
            f" {loop_s:>13.1f} s {loop_s / seconds:>8.0f}x {speedup_targets[cox]:>6}x  {ok}"
        )
    print()
    print(
        f"lifelines loop measured on {n_loop} trials: {loop[False]:.1f} s per 1,000 (log-rank), "
        f"{loop[True]:.1f} s per 1,000 (log-rank + CoxPHFitter)"
    )
    print(
        f"power() with {args.peak_trials:,} trials: {power_seconds:.2f} s, power {res.power:.3f}; "
        f"peak traced memory {peak / 2**20:.0f} MiB (tracemalloc), "
        f"process max RSS {max_rss:.0f} MiB (includes pandas/lifelines imports)"
    )


if __name__ == "__main__":
    main()
