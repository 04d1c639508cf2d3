"""Helpers of lesson 01 (time to event and censoring), and of its exercises, only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import integrate

from ..analyze import kaplan_meier, median_of
from ..scenario import LAPATINIB, Scenario
from ..simulate import simulate
from ..tables import is_simulated, with_caption
from .common import km_median


def follow_up_table(data: pd.DataFrame) -> pd.DataFrame:
    """Per arm: patients, deaths observed, censored at the end of the study, lost to follow-up."""
    reasons = ["death", "end of study", "lost to follow-up"]
    table = pd.crosstab(data["arm"], data["reason"]).reindex(columns=reasons, fill_value=0)
    table.insert(0, "patients", table.sum(axis=1))
    table.columns.name = None
    table = table.rename(columns={"death": "deaths observed", "end of study": "alive at the analysis"})
    return with_caption(table, "How each patient's follow-up ended, per arm", is_simulated(data))


def naive_summaries(data: pd.DataFrame, scenario: Scenario | None = None) -> pd.DataFrame:
    """Per arm: naive summaries of follow-up times next to the Kaplan–Meier median (months).

    Columns: ``mean time (everyone)``: the average of all recorded times, dead or censored;
    ``share who died``: deaths / patients; ``KM median``; and ``true mean`` and ``true median``
    survival when the scenario is known (taken from ``data.attrs["scenario"]`` if not given).
    Months are shown to one decimal and shares to two: finer digits would be noise.
    """
    scenario = scenario if scenario is not None else data.attrs.get("scenario")
    rows = {}
    for arm, part in data.groupby("arm", sort=True):
        curve = kaplan_meier(part["time"], part["event"])
        known = isinstance(scenario, Scenario)
        row = {"mean time (everyone)": float(part["time"].mean())}
        if known:
            row["true mean"] = true_mean(scenario, arm)
        row["share who died"] = float(part["event"].mean())
        row["KM median"] = median_of(curve).estimate
        if known:
            row["true median"] = scenario.true_median(arm)
        rows[arm] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table = table.round({c: 2 if c == "share who died" else 1 for c in table.columns})
    return with_caption(
        table, "Naive summaries that ignore censoring, next to the Kaplan–Meier median (months)",
        is_simulated(data),
    )


HEAVY_CENSORING = LAPATINIB.replace(follow_up=6, dropout=0.3)
"""Lesson 01's heavily censored design: 6 months' further follow-up, 30% lost to follow-up a year."""


HEAVY_CENSORING_SEED = 255
"""Seed of lesson 01's heavily censored trial: a *typical* draw, chosen by :func:`typical_seed`
over seeds 1 to 300 (tested), so that the lesson does not show a rare trial as the usual one."""


def typical_seed(scenario: Scenario, seeds=range(1, 301)) -> int:
    """The seed whose trial has the most typical Kaplan–Meier medians among ``seeds``.

    For each arm, the seeds' medians are ranked (a median not reached ranks highest); a seed's
    distance from typical is the larger, over the two arms, of how far its rank is from the middle.
    The seed with the smallest distance (the first, on ties) is returned.
    """
    from scipy.stats import rankdata

    seeds = [int(s) for s in seeds]
    medians = np.array([
        [km_median(part) for _, part in simulate(scenario, seed=s).groupby("arm", sort=True)] for s in seeds
    ])
    ranks = np.column_stack([(rankdata(medians[:, k]) - 0.5) / len(seeds) for k in range(medians.shape[1])])
    distance = np.abs(ranks - 0.5).max(axis=1)
    return seeds[int(np.argmin(distance))]


def true_mean(scenario: Scenario, arm: str) -> float:
    """True mean survival of ``arm`` (months): the area under its whole survival curve.

    Examples
    --------
    >>> round(true_mean(LAPATINIB, "control"), 2)  # exponential: median / ln 2
    24.96
    """
    value, _ = integrate.quad(lambda t: float(scenario.survival(t, arm)), 0, np.inf, limit=200)
    return float(value)


def show_patients(data: pd.DataFrame, per_arm: int = 4) -> pd.DataFrame:
    """The first ``per_arm`` patients of each arm, times rounded to 0.1 month."""
    rows = data.groupby("arm", sort=True).head(per_arm)
    table = rows.round({"entry": 1, "time": 1}).reset_index(drop=True)
    return with_caption(
        table, f"The first {per_arm} patients of each arm (months, to 0.1)", is_simulated(data)
    )
