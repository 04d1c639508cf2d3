"""Helpers of lesson 07 (when hazards are not proportional), and of its exercises, only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import integrate

from ..analyze import Analysis, analyze
from ..scenario import Scenario
from ..simulate import simulate
from ..tables import with_caption


def median_difference(result: Analysis) -> float:
    """Median of the other arm minus median of the reference arm (inf/nan if not reached)."""
    return result.median[result.other].estimate - result.median[result.reference].estimate


def rmst_sentence(result: Analysis) -> str:
    """The RMST of each arm and their difference with its confidence interval, in a sentence."""
    ref, oth, unit = result.reference, result.other, result.unit
    level = round(100 * (1 - result.alpha))
    lo, hi = result.rmst_diff_ci
    return (
        f"Restricted mean survival up to {result.rmst_horizon:g} {unit}: "
        f"{result.rmst[oth]:.1f} {unit} with {result.labels[oth]} vs {result.rmst[ref]:.1f} with "
        f"{result.labels[ref]}, a difference of {result.rmst_diff:.2f} {unit} ({level}% CI "
        f"{lo:.1f} to {hi:.1f}): the area between the two curves up to {result.rmst_horizon:g} {unit}."
    )


def true_rmst(scenario: Scenario, arm: str, horizon: float) -> float:
    """True restricted mean survival time: the area under the arm's survival curve up to ``horizon``.

    Examples
    --------
    >>> from edu_survival import LAPATINIB
    >>> round(true_rmst(LAPATINIB, "control", 24), 2)
    15.43
    """
    if not horizon > 0:
        raise ValueError(f"horizon must be > 0 months; got {horizon!r}")
    value, _ = integrate.quad(lambda t: float(scenario.survival(t, arm)), 0, horizon, limit=200)
    return float(value)


def crossing_scenario(
    n: int = 321,
    median_control: float = 17.3,
    early_hr: float = 2.5,
    late_hr: float = 0.55,
    switch: float = 4.0,
    accrual: float = 24.0,
    follow_up: float = 24.0,
) -> Scenario:
    """A scenario whose survival curves cross (months).

    The treatment first *raises* the hazard (``early_hr`` times the control's, for ``switch``
    months: think of an operation's early risk), then lowers it (``late_hr``). Control survival
    is exponential with ``median_control``.
    """
    return Scenario.from_hr(
        median_control, late_hr, n=n, delay=switch, early_hr=early_hr, accrual=accrual, follow_up=follow_up
    )


def simulate_crossing(seed: int | None = None, **settings) -> pd.DataFrame:
    """One simulated trial of :func:`crossing_scenario` (invented figures, not patient data)."""
    return simulate(crossing_scenario(**settings), seed=seed)


def crossing_trial(seed: int = 0, rmst_horizon: float | None = 36.0, **settings) -> Analysis:
    """:func:`simulate_crossing` analysed, arms named "standard care" and "new treatment"."""
    data = simulate_crossing(seed=seed, **settings)
    return analyze(
        data, unit="months", labels={"control": "standard care", "treatment": "new treatment"},
        rmst_horizon=rmst_horizon,
    )


def survival_at(result: Analysis, times) -> pd.DataFrame:
    """Kaplan–Meier survival per arm at the given times (rows: arms; columns: times)."""
    times = np.atleast_1d(np.asarray(times, dtype=float))
    rows = {result.labels[arm]: result.curves[arm].at(times).round(3) for arm in result.arms}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=[f"{t:g}" for t in times])
    return with_caption(
        table, f"Kaplan–Meier survival per arm at chosen times ({result.unit})", result.simulated
    )
