"""Helpers of lesson 03 (median survival), and of its exercises, only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario import Scenario
from ..simulate import simulate
from ..tables import with_caption
from .common import LABELS, km_median


def medians_over_trials(scenario: Scenario, n_trials: int = 20, seed: int | None = None) -> pd.DataFrame:
    """Kaplan–Meier medians per arm in ``n_trials`` simulated trials of the same design."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_trials):
        data = simulate(scenario, seed=int(rng.integers(2**31)))
        row = {"trial": k + 1}
        for arm, part in data.groupby("arm", sort=True):
            row[f"median, {LABELS.get(arm, arm)}"] = km_median(part)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("trial")
    return with_caption(
        table, f"Kaplan–Meier medians (months) in {n_trials} trials of the same design", simulated=True
    )
