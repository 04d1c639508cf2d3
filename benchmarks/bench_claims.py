"""How long does check_claims take when it simulates the chance share of the medians-vs-HR gap?

Run:  python benchmarks/bench_claims.py [--repeats 3]

For the story (medians 17.3 / 23.9, HR 0.62, 24 + 24 months) at 321 and at 3,000 patients:
the default call (the chance share simulated, seeded), the same call with simulate=False (the
approximation: the baseline, run in the same process), their ratio, and the trials simulated.
Issue 23's goals: under 0.3 s at n 321 and under 1 s at n 3,000. Nothing here is an assertion.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of

import edu_survival as es

GOALS = {321: 0.3, 3000: 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="calls timed per case (the fastest counts)")
    args = parser.parse_args()
    story = {"median_control": 17.3, "median_treatment": 23.9, "hr": 0.62}
    print(f"{'n':>6} {'with chance':>12} {'baseline':>9} {'ratio':>6} {'trials':>7}  share (MC SE)   goal")
    for n, goal in GOALS.items():
        es.check_claims(n=n, **story)  # warm up: imports, caches
        simulated = best_of(lambda n=n: es.check_claims(n=n, **story), args.repeats)
        baseline = best_of(lambda n=n: es.check_claims(n=n, simulate=False, **story), args.repeats)
        check = es.check_claims(n=n, **story).find("hazard ratio vs medians")
        share, se, trials = (check.values[k] for k in ("chance_share", "chance_se", "chance_trials"))
        met = "met" if simulated < goal else "MISSED"
        print(f"{n:>6} {simulated:>11.3f}s {baseline:>8.3f}s {simulated / baseline:>6.1f} {trials:>7,}  "
              f"{100 * share:4.1f}% ({100 * se:.1f}%)   < {goal:g} s: {met}")


if __name__ == "__main__":
    main()
