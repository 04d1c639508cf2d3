"""How close a Guyot reconstruction gets: round trips over many digitisations of each data set.

Run from the repository root (prints the quantiles quoted in ``edu_survival/reconstruct/__init__.py`` and
used to set the bounds in ``tests/test_reconstruct.py``; takes a few minutes on one core):

    PYTHONPATH=$PWD python tools/reconstruct_accuracy.py [n_seeds]

Calibration seeds are 1000, 1001, ...; the tests use seeds 0 to 29, a separate set.
"""

import sys

import pandas as pd

from edu_survival import reconstruct

n_seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
seeds = range(1000, 1000 + n_seeds)
rows = []
for total_events in (False, True):
    for name in reconstruct.VALIDATION_SETS:
        runs = reconstruct.accuracy_runs(name, seeds, total_events=total_events)
        for q in (0.5, 0.9, 0.99, 1.0):
            rows.append({"data": name, "total deaths known": total_events, "quantile": q,
                         **runs.quantile(q).round(4).to_dict()})
table = pd.DataFrame(rows).set_index(["total deaths known", "data", "quantile"])
pd.set_option("display.width", 120)
print(f"{n_seeds} digitisations per data set (seeds {seeds.start} to {seeds.stop - 1}):")
print(table.to_string())
