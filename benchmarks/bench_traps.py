"""How fast do lessons 10 and 11's explorers answer a control, against the trial explorer?

Run:  python benchmarks/bench_traps.py [--changes 20]

Kernel side only (the browser's part is ``bench_browser.py``'s): for each explorer a slider is
set ``--changes`` times after two warm-up changes, and each change is timed from setting
``.value`` to the picture drawn and to the PNG handed to the figure view. Medians (and the
slowest change) are printed, with the ratio to the trial explorer's "Median, control" slider
timed the same way in the same process (the baseline learners already know). Then the
statistics behind the lessons' tables are timed once each (best of 3), so that a teacher
knows what a cell costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

import matplotlib

matplotlib.use("Agg")

from _timing import best_of

import edu_survival as es
from edu_survival import widgets
from edu_survival.traps import (
    boundaries,
    competing,
    crossover,
    informative,
    landmark,
    looks,
    surrogate,
)


def _values(lo, hi, k):
    return [round(lo + (hi - lo) * ((i * 7) % k) / (k - 1), 3) for i in range(k)]


def widget_times(make, control, values, warmup=2):
    explorer = make()
    slider = explorer.controls[control]
    drawn, encoded = [], []
    for i, value in enumerate(values[:warmup] + values):
        start = time.perf_counter()
        slider.value = value
        if i >= warmup:
            drawn.append(explorer.view.drawn_at - start)
            encoded.append(explorer.view.encoded_at - start)
    assert "cannot be shown" not in explorer.message.value, explorer.message.value
    return statistics.median(drawn), statistics.median(encoded), max(encoded)


CASES = [
    ("TrialExplorer: median, control (baseline)", lambda: widgets.TrialExplorer(es.LAPATINIB, seed=1),
     "median_control", lambda k: _values(14.0, 20.0, k)),
    ("CensoringExplorer: how strongly (the sicker drop out)",
     lambda: widgets.CensoringExplorer(es.teaching.DROPOUT_SCENARIO, who="the sicker", horizon=24),
     "strength", lambda k: _values(0.0, 1.0, k)),
    ("CompetingRisksExplorer: deaths from other causes", widgets.CompetingRisksExplorer,
     "competing", lambda k: _values(0.0, 0.5, k)),
    ("CrossoverExplorer: share who switch", widgets.CrossoverExplorer,
     "share", lambda k: _values(0.0, 1.0, k)),
    ("SurrogateExplorer: survival after progression", widgets.SurrogateExplorer,
     "median_after", lambda k: [float(round(v)) for v in _values(1.0, 48.0, k)]),
]

STATISTICS = [
    ("Lan–DeMets boundaries, 5 looks", lambda: boundaries.spending(5)),
    ("Pocock's constant, 5 looks", lambda: boundaries.pocock(5)),
    ("2,000 trials at 5 looks (simulate_looks)", lambda: looks.simulate_looks(n_sims=2000, seed=1)),
    ("KM bias over 1,000 trials (km_bias)", lambda: informative.km_bias(n_sims=1000, seed=1)),
    ("competing_gap, 5 rates x 300 groups", lambda: competing.competing_gap(n_sims=300, seed=1)),
    ("responder_bias, 1,000 trials", lambda: landmark.responder_bias(n_sims=1000, seed=1)),
    ("crossover_bias, 5 shares x 300 trials", lambda: crossover.crossover_bias(n_sims=300, seed=1)),
    ("surrogate_table, 5 rows x 300 trials", lambda: surrogate.surrogate_table(n_sims=300, seed=1)),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args(argv)
    print(f"Kernel-side latency per change, {args.changes} changes each (ms, median; worst to PNG)")
    print(f"{'widget: control':56s} {'drawn':>7s} {'PNG':>7s} {'worst':>7s} {'x baseline':>10s}")
    baseline = None
    for name, make, control, values in CASES:
        drawn, png, worst = widget_times(make, control, values(args.changes))
        baseline = baseline or png
        print(f"{name:56s} {1000 * drawn:7.1f} {1000 * png:7.1f} {1000 * worst:7.1f} {png / baseline:10.2f}")
    print("\nStatistics behind the lessons' cells (best of 3, seconds)")
    for name, fn in STATISTICS:
        print(f"{name:56s} {best_of(fn, 3):7.3f}")


if __name__ == "__main__":
    main()
