"""Does every method of an Analysis scale like analyze() itself?

Run:  python benchmarks/bench_scale.py [--sizes 1000 10000 100000 1000000] [--power-sims 20]

For each n, one trial of the story's scenario with n patients is simulated and analysed; then
every method of the result runs on it: hr_by_period, ph_test (exact, as R's cox.zph since
survival 3.0, and lifelines' approximation), logrank with each weighting, at_risk_table, and
es.power on the same design (n_sims trials of n patients). Printed per call: the best time of
--repeats runs, the peak memory Python allocated during one run (tracemalloc), and the ratios
to analyze()'s time at the same n in the same run: the default engine (lifelines) and
engine="numpy" (what the widgets use). power's time and ratios are per simulated trial.
Issue 19's bar: no method above 3x analyze at n = 1e5. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of

import edu_survival as es


def peak_mib(fn) -> float:
    """Peak memory (MiB) Python allocated while ``fn`` ran once (numpy arrays included)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def calls(analysis, scenario, power_sims: int) -> dict:
    cut = float(analysis.data["time"][analysis.data["event"] == 1].median())
    named = {
        "hr_by_period(cut)": lambda: analysis.hr_by_period(cut),
        "ph_test()": analysis.ph_test,
        "ph_test(method='approximate')": lambda: analysis.ph_test(method="approximate"),
        "logrank()": analysis.logrank,
    }
    for weighting in ("fleming-harrington", "wilcoxon", "tarone-ware", "peto"):
        named[f"logrank({weighting!r})"] = lambda w=weighting: analysis.logrank(w)
    named["at_risk_table()"] = analysis.at_risk_table
    named[f"power(n_sims={power_sims}) per trial"] = lambda: es.power(scenario, n_sims=power_sims, seed=1,
                                                                      progress=False)
    return named


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (1 from n = 1e6)")
    parser.add_argument("--power-sims", type=int, default=20)
    args = parser.parse_args()
    worst = {}
    print(f"{'n':>9}  {'call':<34} {'time s':>9} {'peak MiB':>9} {'x analyze':>9} {'x numpy':>9}")
    for n in args.sizes:
        scenario = es.LAPATINIB.replace(n=n)
        data = es.simulate(scenario, seed=1)
        repeats = 1 if n >= 1_000_000 else args.repeats
        base = best_of(lambda: es.analyze(data), repeats)  # noqa: B023 (called right here)
        fast = best_of(lambda: es.analyze(data, engine="numpy"), repeats)  # noqa: B023
        rows = [("analyze() [baseline]", base, peak_mib(lambda: es.analyze(data))),  # noqa: B023
                ("analyze(engine='numpy') [baseline]", fast,
                 peak_mib(lambda: es.analyze(data, engine="numpy")))]  # noqa: B023
        analysis = es.analyze(data)
        for name, fn in calls(analysis, scenario, args.power_sims).items():
            seconds = best_of(fn, repeats)
            per = seconds / args.power_sims if name.startswith("power") else seconds
            rows.append((name, per, peak_mib(fn)))
            worst[n] = max(worst.get(n, (0, "")), (per / base, name))
        for name, seconds, mib in rows:
            print(f"{n:>9,}  {name:<34} {seconds:>9.4f} {mib:>9.1f} {seconds / base:>9.2f} {seconds / fast:>9.2f}")
        print()
    for n, (ratio, name) in worst.items():
        print(f"n = {n:>9,}: slowest method {name} at {ratio:.2f}x analyze()")


if __name__ == "__main__":
    main()
