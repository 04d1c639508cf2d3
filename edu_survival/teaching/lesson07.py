"""Helpers of lesson 07 (when hazards are not proportional), and of its exercises, only."""

from __future__ import annotations

from dataclasses import dataclass

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


def _loglog_gap(result: Analysis, t: float) -> float:
    """log(-log S) of the other arm minus that of the reference arm at ``t`` (the log-log plot's gap)."""
    ref, oth = (float(result.curves[arm].at(t)) for arm in (result.reference, result.other))
    if not (0 < ref < 1 and 0 < oth < 1):
        raise ValueError(f"the log-log gap needs both curves strictly between 0 and 1 at {t:g}; got {ref:g}, {oth:g}")
    return float(np.log(-np.log(oth)) - np.log(-np.log(ref)))


@dataclass(frozen=True)
class GapByChance:
    """How much a trial's log-log gap moves between two times, against trials with proportional hazards.

    ``gaps`` are the trial's gaps at ``times``; ``share`` the share of ``n_trials`` trials simulated
    with proportional hazards (the scenario's hazard ratio from the first day) whose gap moved at
    least as much; ``se`` its Monte Carlo standard error. ``str()`` is the sentence.
    """

    times: tuple
    gaps: tuple
    share: float
    se: float
    n_trials: int
    hr: float
    labels: tuple

    @property
    def change(self) -> float:
        return abs(self.gaps[1] - self.gaps[0])

    def __str__(self) -> str:
        (t1, t2), (g1, g2) = self.times, self.gaps
        other, reference = self.labels
        return (
            f"This trial's log-log gap ({other} minus {reference}) is {g1:.2f} at {t1:g} months and "
            f"{g2:.2f} at {t2:g} months: it moves by {self.change:.2f}. In {self.n_trials:,} trials "
            f"simulated with proportional hazards (hazard ratio {self.hr:.2f} from the first day, otherwise "
            f"the same design; simulated from the story's summary figures, not patient data), the gap moved "
            f"at least that much in {self.share:.0%} of them (Monte Carlo SE {self.se:.0%})."
        )


def loglog_gap_by_chance(result: Analysis, times=(12.0, 36.0), n_trials: int = 200, seed: int = 7) -> GapByChance:
    """Weigh chance before reading a log-log plot: does the gap move more than proportional hazards allow?

    The trial's log-log gap (other arm minus reference, ``log(-log S)``) at the two ``times``
    (months) is set against ``n_trials`` trials of the trial's own scenario with the delay and any
    early hazard ratio removed, so that the hazards are proportional (seeded).
    """
    scenario = result.scenario
    if scenario is None:
        raise ValueError("loglog_gap_by_chance needs a simulated trial (its scenario is unknown)")
    t1, t2 = (float(t) for t in times)
    observed = (_loglog_gap(result, t1), _loglog_gap(result, t2))
    proportional = scenario.replace(delay=0.0, early_hr=1.0)
    rng = np.random.default_rng(seed)
    moved = []
    for _ in range(int(n_trials)):
        trial = analyze(simulate(proportional, seed=int(rng.integers(2**31))), engine="numpy")
        try:
            moved.append(abs(_loglog_gap(trial, t2) - _loglog_gap(trial, t1)))
        except ValueError:  # a curve at 0 or 1 at one of the times: counts as a large move
            moved.append(np.inf)
    share = float(np.mean(np.asarray(moved) >= abs(observed[1] - observed[0])))
    return GapByChance((t1, t2), observed, share, float(np.sqrt(share * (1 - share) / len(moved))),
                       len(moved), float(proportional.hr),
                       (result.labels[result.other], result.labels[result.reference]))


def fh_weights(result: Analysis, p: float = 0.0, q: float = 1.0, at=(0, 3, 6, 12, 24, 36)) -> pd.DataFrame:
    """The Fleming–Harrington weight of the deaths at a few times: S(t-)^p (1 - S(t-))^q.

    S(t-) is the Kaplan–Meier survival of both arms together just before the death time t (the
    definition of Fleming and Harrington, and lifelines' ``logrank_test(weightings=
    "fleming-harrington")``). One row per time in ``at`` (the first death time at or after it, in
    the data's time unit); ``at=None`` gives every death time.
    """
    from ..analyze import kaplan_meier

    pooled = kaplan_meier(result.data["time"], result.data["event"])
    death_times = pooled.time[pooled.events > 0]
    if at is None:
        chosen = death_times
    else:
        idx = np.searchsorted(death_times, np.asarray(at, dtype=float), side="left")
        chosen = np.unique(death_times[idx[idx < len(death_times)]])
    before = pooled.survival[np.searchsorted(pooled.time, chosen, side="left") - 1]
    table = pd.DataFrame({
        f"death time ({result.unit})": chosen,
        "S(t−), both arms": before,
        f"weight S^{p:g} (1 − S)^{q:g}": before ** p * (1 - before) ** q,
    })
    table = table.round(3) if at is not None else table
    return with_caption(
        table, f"Fleming–Harrington weights (p = {p:g}, q = {q:g}) of the deaths at chosen times",
        result.simulated,
    )
