"""Helpers of lesson 06 (sample size and power), and of its exercises, only."""

from __future__ import annotations

import math

import pandas as pd

from .. import design
from ..scenario import LAPATINIB, Scenario
from ..tables import with_caption
from .common import _pct


def planning_summary(scenario: Scenario = LAPATINIB, alpha: float = 0.05) -> str:
    """Deaths needed, deaths expected and power for a design, in sentences."""
    d80 = design.schoenfeld_events(scenario.hr, 0.8, alpha, scenario.allocation)
    d90 = design.schoenfeld_events(scenario.hr, 0.9, alpha, scenario.allocation)
    expected = design.expected_events(scenario)
    pw = design.analytic_power(scenario, alpha)
    return "\n".join(
        [
            f"True hazard ratio assumed: {scenario.hr:.3f}.",
            f"Deaths needed (Schoenfeld): {d80:.1f}, so {math.ceil(d80)} (rounded up: a death cannot "
            f"be split) for 80% power; {d90:.1f}, so {math.ceil(d90)} for 90% power.",
            f"Deaths expected with {scenario.n} patients, {scenario.accrual:g} months of enrolment and "
            f"{scenario.follow_up:g} months of further follow-up: about {expected:.0f}.",
            f"So the power is about {_pct(pw)}: the trial finds p < {alpha:g} "
            f"in roughly {pw * 10:.0f} of 10 repetitions.",
        ]
    )


POWER_COLUMNS = {
    "n": "patients",
    "follow_up": "further follow-up (months)",
    "accrual": "enrolment (months)",
    "power": "simulated power",
    "se": "Monte Carlo SE",
    "ci_low": "95% CI from",
    "ci_high": "95% CI to",
    "analytic_power": "Schoenfeld power",
}
"""Readable names for the columns of :func:`edu_survival.power_curve`."""


def power_table(curve: pd.DataFrame) -> pd.DataFrame:
    """A :func:`edu_survival.power_curve` table with readable column names, shares to 3 decimals.

    The first column (what was varied) becomes the index; the Monte Carlo SE is the standard
    error of the simulated share, and the 95% CI is the interval for the true power that the
    simulation gives.
    """
    table = curve.rename(columns=POWER_COLUMNS).round(3)
    table = table.set_index(table.columns[0])
    return with_caption(
        table, f"Power by {table.index.name}: simulated (with its Monte Carlo SE and 95% CI) and "
        "Schoenfeld's formula", simulated=True,
    )


def patients_needed_sentence(scenario: Scenario = LAPATINIB, power: float = 0.8, alpha: float = 0.05) -> str:
    """Patients a design like ``scenario`` needs for ``power`` at its hazard ratio, against its ``n``."""
    needed = design.sample_size(
        scenario.hr, power, alpha, median_control=scenario.median_control, accrual=scenario.accrual,
        follow_up=scenario.follow_up, allocation=scenario.allocation, dropout=scenario.dropout,
        shape=scenario.shape,
    )
    return (
        f"Patients needed for {power:.0%} power at hazard ratio {scenario.hr:.3f} "
        f"({scenario.accrual:g} months' enrolment, {scenario.follow_up:g} months' further follow-up): "
        f"{needed}, against the {scenario.n} randomised."
    )
