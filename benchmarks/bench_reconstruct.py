"""How fast is the Guyot reconstruction of one arm, compared with a lifelines KM fit?

Run:  python benchmarks/bench_reconstruct.py [--repeats 20]

The case of issue 12: one arm of 500 patients (exponential deaths, uniform censoring), its
curve digitised as 100 points and an at-risk table of 10 rows (10 intervals, the last one open).
Both figures are the best of several repeats measured in this one run: the reconstruction
(``reconstruct.guyot``) and, as a baseline a reader knows, lifelines' ``KaplanMeierFitter`` fit
on the same 500 patients. The target ("well under a second") is printed, not asserted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from _timing import best_of

from edu_survival import reconstruct
from edu_survival.analyze import kaplan_meier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    rng = np.random.default_rng(12)
    death = rng.exponential(20.0, 500)
    censor = rng.uniform(12.0, 60.0, 500)
    time_, event = np.minimum(death, censor), (death <= censor).astype(int)
    km = kaplan_meier(time_, event)
    table_times = np.arange(10) * 6.0
    clicks = reconstruct.digitise(km, table_times, resolution=(2000, 2000), jitter=1.0, seed=1)
    # a person who clicks 100 points, spread along the curve
    keep = np.unique(np.linspace(0, len(clicks.curve) - 1, 100).round().astype(int))
    curve = clicks.curve.iloc[keep].reset_index(drop=True)

    from lifelines import KaplanMeierFitter

    guyot = best_of(lambda: reconstruct.guyot(curve, clicks.at_risk), args.repeats)
    baseline = best_of(lambda: KaplanMeierFitter().fit(time_, event), args.repeats)
    ipd = reconstruct.guyot(curve, clicks.at_risk)
    print(f"one arm: {len(time_)} patients, {len(curve)} points, {len(clicks.at_risk)} at-risk rows "
          f"({len(clicks.at_risk)} intervals); reconstruction gives {len(ipd)} patients, {int(ipd.event.sum())} deaths "
          f"(original {int(event.sum())})")
    print(f"reconstruct.guyot:              {guyot * 1e3:7.2f} ms  (target: well under 1000 ms)")
    print(f"lifelines KaplanMeierFitter.fit: {baseline * 1e3:7.2f} ms  (baseline, same data)")
    print(f"ratio guyot / KM fit:           {guyot / baseline:7.2f}")


if __name__ == "__main__":
    main()
