"""Censoring: how much of it a design produces, and what ignoring it does (times in months).

A patient is *censored* when the analysis comes before their death: they enrolled late (the
end of the study), or were lost to follow-up. Learners think of censoring as "a share of
patients"; :func:`dropout_for_censored_share` turns that share into the dropout a
:class:`~edu_survival.scenario.Scenario` needs. :func:`full_follow_up` shows the same simulated
patients as :func:`~edu_survival.simulate.simulate`, followed until they die, and
:func:`naive_estimates` compares Kaplan–Meier with two tempting shortcuts that ignore censoring.
All data here are simulated from assumed summary figures, never patient data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize

from .analyze import kaplan_meier
from .design import expected_events
from .scenario import ARMS, Scenario, _check_number
from .simulate import _check_scenario, simulate
from .tables import is_simulated, with_caption

__all__ = [
    "MAX_DROPOUT",
    "censored_share_range",
    "dropout_for_censored_share",
    "expected_censored_share",
    "full_follow_up",
    "naive_estimates",
]

# The largest annual dropout the explorer offers: 95% lost within a year already censors
# nearly everyone; closer to 1 the dropout hazard (-log(1 - p)) runs off to infinity.
MAX_DROPOUT = 0.95
# Follow-up long enough that every simulated death happens before it (months).
_FOREVER = 1e9


def expected_censored_share(scenario: Scenario) -> float:
    """Expected share of patients censored at the analysis (alive then, or lost to follow-up).

    ``1 - expected deaths / n``, from :func:`edu_survival.design.expected_events`.

    Examples
    --------
    >>> from edu_survival import LAPATINIB
    >>> round(expected_censored_share(LAPATINIB), 2)
    0.3
    >>> round(expected_censored_share(LAPATINIB.replace(dropout=0.2)), 2)
    0.4
    """
    scenario = _check_scenario(scenario)
    return 1.0 - expected_events(scenario) / scenario.n


def censored_share_range(scenario: Scenario) -> tuple[float, float]:
    """The expected censored shares reachable by changing only the dropout.

    From no dropout (only the end of the study censors) to :data:`MAX_DROPOUT` a year.

    Examples
    --------
    >>> from edu_survival import LAPATINIB
    >>> [round(v, 2) for v in censored_share_range(LAPATINIB)]
    [0.3, 0.88]
    """
    scenario = _check_scenario(scenario)
    return (
        expected_censored_share(scenario.replace(dropout=0.0)),
        expected_censored_share(scenario.replace(dropout=MAX_DROPOUT)),
    )


def dropout_for_censored_share(scenario: Scenario, share: float) -> float:
    """The annual dropout that makes the expected share censored equal ``share``.

    Every other assumption (medians, accrual, follow-up in months) stays as in ``scenario``;
    their end-of-study censoring sets the smallest share possible.

    Parameters
    ----------
    scenario : Scenario
        The design; its own ``dropout`` is ignored.
    share : float
        Target expected share of patients censored, within :func:`censored_share_range`.

    Returns
    -------
    float
        Annual probability of loss to follow-up (0 to :data:`MAX_DROPOUT`).

    Raises
    ------
    ValueError
        If ``share`` is outside the reachable range, naming the range.

    Examples
    --------
    >>> from edu_survival import LAPATINIB
    >>> p = dropout_for_censored_share(LAPATINIB, 0.5)
    >>> round(p, 3), round(expected_censored_share(LAPATINIB.replace(dropout=p)), 3)
    (0.263, 0.5)
    """
    scenario = _check_scenario(scenario)
    share = _check_number("share", share, "a proportion from 0 to 1", lambda v: 0 <= v <= 1)
    low, high = censored_share_range(scenario)
    if not low - 1e-9 <= share <= high + 1e-9:
        raise ValueError(
            f"share must be between {low:.0%} and {high:.0%} for this design (accrual "
            f"{scenario.accrual:g} and follow-up {scenario.follow_up:g} months censor {low:.0%} "
            f"even with no dropout); got {share:.0%}"
        )
    if share <= low:
        return 0.0
    if share >= high:
        return MAX_DROPOUT

    def gap(p):
        return expected_censored_share(scenario.replace(dropout=p)) - share

    return float(optimize.brentq(gap, 0.0, MAX_DROPOUT, xtol=1e-10))


def full_follow_up(scenario: Scenario, seed: int | None = None) -> pd.DataFrame:
    """The patients of ``simulate(scenario, seed)``, observed and followed until death.

    Parameters
    ----------
    scenario : Scenario
        What we assume about the trial (months).
    seed : int, optional
        The same seed as for :func:`edu_survival.simulate`.

    Returns
    -------
    pandas.DataFrame
        ``simulate``'s columns (``patient``, ``arm``, ``entry``, ``time``, ``event``,
        ``reason``: what the analysis sees) plus ``death_time``: months from randomisation
        to death had everyone been followed for ever (equal to ``time`` where the death was
        observed), and the calendar months since the trial opened at which each patient's
        observation ends (``observed_until``) and they die (``death_at``); the analysis date
        is ``scenario.analysis_time``.

    Examples
    --------
    >>> import edu_survival as es
    >>> df = full_follow_up(es.LAPATINIB, seed=1)
    >>> bool((df.death_time >= df.time).all())
    True
    >>> bool((df.death_time == df.time)[df.event == 1].all())
    True
    """
    scenario = _check_scenario(scenario)
    observed = simulate(scenario, seed)
    # simulate draws each patient's entry and death time first and any dropout after them,
    # so the same seed with endless follow-up and no dropout gives the same patients' deaths.
    forever = simulate(scenario.replace(follow_up=_FOREVER, dropout=0.0), seed)
    death = np.where(forever["event"].to_numpy() == 1, forever["time"].to_numpy(), np.inf)
    full = observed.copy()
    full["death_time"] = death
    full["observed_until"] = full["entry"] + full["time"]
    full["death_at"] = full["entry"] + full["death_time"]
    full.attrs.update(observed.attrs)
    return full


NAIVE_METHODS = ("share who died", "drop censored")


def naive_survival(time, event, horizon: float, method: str) -> float:
    """A *wrong* share alive at ``horizon`` months, for comparison with Kaplan–Meier.

    ``"share who died"``: ``1 - deaths seen by horizon / all patients``, counting every patient
    censored before ``horizon`` as a survivor (too optimistic). ``"drop censored"``: the same
    after removing the patients censored before ``horizon`` (too pessimistic: they were alive
    when last seen); NaN when every patient was censored before ``horizon`` (nobody is kept).

    Examples
    --------
    >>> naive_survival([2, 3, 5, 9], [1, 0, 1, 0], 6, "share who died")
    0.5
    >>> round(naive_survival([2, 3, 5, 9], [1, 0, 1, 0], 6, "drop censored"), 3)
    0.333
    >>> naive_survival([2, 3], [0, 0], 6, "drop censored")
    nan
    """
    if method not in NAIVE_METHODS:
        raise ValueError(f"method must be one of {NAIVE_METHODS}; got {method!r}")
    horizon = _check_number("horizon", horizon, "a time in months >= 0", lambda v: v >= 0)
    time, event = np.asarray(time, dtype=float), np.asarray(event)
    died = (event == 1) & (time <= horizon)
    if method == "share who died":
        return float(1 - died.mean())
    keep = ~((event == 0) & (time < horizon))
    if not keep.any():  # everyone was censored before the horizon: 0/0, no answer
        return math.nan
    return float(1 - died[keep].sum() / keep.sum())


def _arm_estimates(part: pd.DataFrame, arm: str, horizon: float, scenario) -> dict[str, float]:
    """One arm's survival at ``horizon`` by each method of :func:`naive_estimates`."""
    time, event = part["time"].to_numpy(), part["event"].to_numpy()
    # Beyond the last observed time nobody is at risk: without censoring every death is
    # known and the curve is exact, otherwise the censored patients' fate is unknown.
    unknown = horizon > float(time.max()) and bool((event == 0).any())
    return {
        "truth": float(scenario.survival(horizon, arm)) if scenario is not None else math.nan,
        "same patients, full follow-up": float(np.mean(part["death_time"].to_numpy() > horizon)),
        "Kaplan–Meier": math.nan if unknown else float(kaplan_meier(time, event).at(horizon)),
        **{method: naive_survival(time, event, horizon, method) for method in NAIVE_METHODS},
    }


def naive_estimates(full: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """Survival at ``horizon`` months by Kaplan–Meier and by two shortcuts that ignore censoring.

    For each arm:

    * ``truth``: the share alive at ``horizon`` under the scenario's survival model;
    * ``same patients, full follow-up``: the share of these patients whose death (seen or
      not by the analysis) comes after ``horizon``: what a perfect analysis would report;
    * ``Kaplan–Meier``: from what the analysis sees; NaN when ``horizon`` lies beyond the
      arm's last observed time and some patient was censored (nobody is left at risk, so the
      curve says nothing about that time; a last death would otherwise drop it to 0);
    * ``share who died`` and ``drop censored``: the two shortcuts of :func:`naive_survival`.

    Parameters
    ----------
    full : pandas.DataFrame
        From :func:`full_follow_up`.
    horizon : float
        Months from randomisation (> 0).

    Returns
    -------
    pandas.DataFrame
        Rows ``(arm, method)``; columns ``survival`` (proportion alive at ``horizon``) and
        ``error`` (``survival`` minus that of the same patients with full follow-up).
        ``attrs["horizon"]`` is ``horizon`` and ``attrs["last_time"]`` each arm's last observed
        time (months), beyond which Kaplan–Meier cannot be estimated.
        ``attrs["caption"]`` says what the table is (shown in its HTML).

    Examples
    --------
    >>> import edu_survival as es
    >>> table = naive_estimates(full_follow_up(es.LAPATINIB.replace(dropout=0.3), seed=1), 24)
    >>> table.loc[("control", "Kaplan–Meier"), "survival"].round(2)
    np.float64(0.33)
    >>> bool(table.loc[("control", "drop censored"), "error"] < 0)
    True
    """
    needed = {"arm", "time", "event", "death_time"}
    if not isinstance(full, pd.DataFrame) or not needed <= set(full.columns):
        raise ValueError(f"full must be the DataFrame from full_follow_up, with columns {sorted(needed)}")
    for column in sorted(needed - {"arm"}):
        values = full[column]
        if isinstance(values, pd.DataFrame) or not pd.api.types.is_numeric_dtype(values):
            raise ValueError(f"full's column {column!r} must be one column of numbers; got "
                             f"{'several' if isinstance(values, pd.DataFrame) else values.dtype}")
    horizon = _check_number("horizon", horizon, "> 0 (months)", lambda v: v > 0)
    scenario = full.attrs.get("scenario")
    rows, last_time = {}, {}
    for arm in ARMS:
        part = full[full["arm"] == arm]
        if len(part) == 0:
            continue
        last_time[arm] = float(part["time"].to_numpy().max())
        values = _arm_estimates(part, arm, horizon, scenario)
        sample = values["same patients, full follow-up"]
        for method, value in values.items():
            rows[(arm, method)] = {"survival": value, "error": value - sample}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["arm", "method"])
    table.attrs["horizon"] = horizon
    table.attrs["last_time"] = last_time
    return with_caption(
        table, f"Share alive at {horizon:g} months: Kaplan–Meier and two shortcuts that ignore censoring",
        is_simulated(full),
    )
