"""The Kaplan–Meier curve as plain arrays: estimate, pointwise band, median, RMST and variances.

Numerically identical to lifelines' ``KaplanMeierFitter`` (tested to 1e-10); the live widgets and
the ``engine="numpy"`` path of :func:`edu_survival.analyze` use it because it is faster.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import stats

from .._checks import check_fraction

# How the pointwise band (and so the median's CI) is built from Greenwood's variance, named as in
# R's survfit(conf.type=): "log-log" (lifelines' exponential Greenwood; our default), "log" (R's
# default) and "plain" (linear, clipped to [0, 1]).
CONF_TYPES = ("log-log", "log", "plain")


@functools.lru_cache(maxsize=64)  # scipy's ppf costs 0.1 ms; an analysis asks for it 7 times
def z_of(alpha: float) -> float:
    """The normal quantile of a two-sided ``1 - alpha`` interval (1.96 for alpha 0.05)."""
    return float(stats.norm.ppf(1 - alpha / 2))


class Median(NamedTuple):
    """Median survival with its confidence interval; ``inf`` means "not reached"."""

    estimate: float
    lower: float
    upper: float

    @property
    def reached(self) -> bool:
        """True when the survival curve has dropped to 50% or below."""
        return math.isfinite(self.estimate)


@dataclass(frozen=True)
class KMCurve:
    """A Kaplan–Meier curve as plain arrays (the step function starts at time 0, survival 1).

    ``time`` holds 0 and every distinct observed time; at each, ``at_risk`` is the number
    still followed just before it, ``events`` the deaths and ``censored`` the patients censored
    there; ``survival``, ``lower`` and ``upper`` are the estimate and its pointwise confidence
    band just after it, built by ``conf_type`` ("log-log": exponential Greenwood, lifelines'
    band; "log" or "plain" as R's ``survfit(conf.type=)``, NaN where the curve is 0, as R's NA).
    """

    time: np.ndarray
    survival: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    conf_type: str = "log-log"

    def at(self, t) -> np.ndarray:
        """Survival estimate at times ``t`` (right-continuous step function)."""
        idx = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right") - 1
        return self.survival[np.clip(idx, 0, None)]

    def number_at_risk(self, t) -> np.ndarray:
        """Patients still at risk (followed and alive) just before each time in ``t``."""
        t = np.asarray(t, dtype=float)
        idx = np.searchsorted(self.time, t, side="left")
        total = np.append(self.at_risk, 0)
        # The at-risk count at a time not in the table is the count at the next observed time.
        return np.where(t <= 0, self.at_risk[0] if len(self.at_risk) else 0, total[idx])

    def cumulative(self, t, what: str) -> np.ndarray:
        """Number of ``events`` or ``censored`` up to and including each time in ``t``."""
        counts = {"events": self.events, "censored": self.censored}[what]
        idx = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right")
        return np.concatenate(([0], np.cumsum(counts)))[idx]


def kaplan_meier(time, event, alpha: float = 0.05, conf_type: str = "log-log") -> KMCurve:
    """Kaplan–Meier estimate with numpy, numerically identical to lifelines' ``KaplanMeierFitter``.

    Parameters
    ----------
    time : array of float
        Months from randomisation to death or censoring (finite, >= 0).
    event : array of 0/1 (or bool)
        1 where the death was observed, 0 where the patient was censored.
    alpha : float
        1 - confidence level of the band (strictly between 0 and 1).
    conf_type : {"log-log", "log", "plain"}
        The transform of the pointwise band: "log-log" (lifelines' band, the default), "log"
        (R's ``survfit`` default) or "plain"; the same names as R's ``conf.type``.

    Examples
    --------
    >>> curve = kaplan_meier([2.0, 3.0, 3.0, 5.0], [1, 1, 0, 1])
    >>> curve.survival.round(3).tolist()
    [1.0, 0.75, 0.5, 0.0]
    """
    time, event = check_survival_data(time, event)
    alpha = check_fraction("alpha", alpha)
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {CONF_TYPES}; got {conf_type!r}")
    return _fit_checked(time, event, z_of(alpha), conf_type)


def _fit_checked(time: np.ndarray, event: np.ndarray, z: float, conf_type: str) -> KMCurve:
    """:func:`kaplan_meier` of data already checked (float times >= 0, events 0/1 or bool),
    with the band's normal quantile ``z``: the live widgets fit five curves per picture."""
    order = np.argsort(time, kind="stable")
    time, event = time[order], event[order]
    distinct, first = np.unique(time, return_index=True)
    n = len(time)
    removed = np.diff(first, append=n)
    deaths = np.add.reduceat(event.astype(float), first) if n else np.zeros(0)
    at_risk = n - first
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.exp(np.cumsum(np.log(at_risk - deaths) - np.log(at_risk)))
        greenwood = np.cumsum(np.where(at_risk > deaths, deaths / (at_risk * (at_risk - deaths)), 0.0))
    lower, upper = _band(survival, greenwood, z, conf_type)
    if len(distinct) == 0 or distinct[0] > 0:
        distinct = _prepend(0.0, distinct)
        survival, lower, upper = _prepend(1.0, survival), _prepend(1.0, lower), _prepend(1.0, upper)
        at_risk, deaths, removed = _prepend(n, at_risk), _prepend(0.0, deaths), _prepend(0, removed)
    return KMCurve(
        time=distinct,
        survival=survival,
        lower=lower,
        upper=upper,
        at_risk=at_risk.astype(int),
        events=deaths.astype(int),
        censored=(removed - deaths).astype(int),
        conf_type=conf_type,
    )


def _prepend(value, values: np.ndarray) -> np.ndarray:
    return np.concatenate(([value], values))


def _band(survival: np.ndarray, greenwood: np.ndarray, z: float, conf_type: str):
    """Pointwise band from Greenwood's sum (the variance of log S), as R's ``survfit_confint``."""
    se = np.sqrt(greenwood)  # standard error of log S (of the cumulative hazard)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "log-log":  # lifelines' exponential Greenwood, to the last digit
            v = np.log(survival)
            lower = np.exp(-np.exp(np.log(-v) - z * se / v))
            upper = np.exp(-np.exp(np.log(-v) + z * se / v))
            # NaN where S is 1 (0 / 0 in the transform): the band is 1 there, as lifelines'.
            return np.where(np.isnan(lower), 1.0, lower), np.where(np.isnan(upper), 1.0, upper)
        if conf_type == "log":
            lower, upper = survival * np.exp(-z * se), np.minimum(survival * np.exp(z * se), 1.0)
        else:
            lower = np.maximum(survival - z * se * survival, 0.0)
            upper = np.minimum(survival + z * se * survival, 1.0)
    # R: the band is the curve itself where its SE is 0, and NA (here NaN) where the curve is 0.
    lower, upper = np.where(se == 0, survival, lower), np.where(se == 0, survival, upper)
    gone = survival == 0
    return np.where(gone, np.nan, lower), np.where(gone, np.nan, upper)


def time_hint(dtype) -> str:
    """What to do with dates or durations given where numbers of months are expected."""
    kind = getattr(dtype, "kind", "")
    if kind == "M":
        return (" (dates: give each patient's follow-up time as a number, e.g. "
                "(end - start).dt.days / 30.4375 for months)")
    if kind == "m":
        return " (durations: convert them to numbers, e.g. .dt.days / 30.4375 for months)"
    return ""


def check_survival_data(time, event) -> tuple[np.ndarray, np.ndarray]:
    """``time`` (finite, >= 0) and ``event`` (0/1 or bool) as arrays of equal length, or a
    ValueError naming the parameter, the value and what is allowed."""
    time_arr, event_arr = _one_dimensional("time", time), _one_dimensional("event", event)
    if len(time_arr) != len(event_arr):
        raise ValueError(f"time and event must have the same length; got {len(time_arr)} and {len(event_arr)}")
    if time_arr.dtype.kind not in "iuf" or time_arr.dtype.kind == "b":
        raise ValueError(f"time must hold numbers (months >= 0); got dtype {time_arr.dtype}"
                         f"{time_hint(time_arr.dtype)}")
    time_arr = time_arr.astype(float)
    bad = ~np.isfinite(time_arr) | (time_arr < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(f"time must hold finite times >= 0; {int(bad.sum())} do not "
                         f"(first: {float(time_arr[first])!r} at position {first})")
    if event_arr.dtype.kind == "b":
        return time_arr, event_arr
    if event_arr.dtype.kind not in "iuf":
        raise ValueError(f"event must hold 0 (censored) and 1 (death), or booleans; got dtype {event_arr.dtype}")
    odd = ~np.isin(event_arr, (0, 1))
    if odd.any():
        found = sorted({float(v) if event_arr.dtype.kind == "f" else int(v) for v in event_arr[odd][:10]}, key=str)
        raise ValueError(f"event must hold only 0 (censored) and 1 (death); found {found}")
    return time_arr, event_arr.astype(bool)


def _one_dimensional(name: str, values) -> np.ndarray:
    if isinstance(values, (str, bytes)) or values is None:
        raise ValueError(f"{name} must be an array of numbers; got {values!r}")
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per patient); got shape {array.shape}")
    return array


def _first_time_below_half(time: np.ndarray, curve: np.ndarray) -> float:
    # lifelines' convention: the first time at which the curve is at or below 0.5.
    below = np.flatnonzero(curve <= 0.5)
    return float(time[below[0]]) if len(below) else math.inf


def median_of(curve: KMCurve) -> Median:
    """Median survival and its CI read off a curve and its band, as lifelines does."""
    return Median(
        _first_time_below_half(curve.time, curve.survival),
        _first_time_below_half(curve.time, curve.lower),
        _first_time_below_half(curve.time, curve.upper),
    )


def rmst_of(curve: KMCurve, horizon: float) -> float:
    """Restricted mean survival time: the area under the curve from 0 to ``horizon`` months."""
    edges = np.r_[curve.time[curve.time < horizon], horizon]
    heights = curve.at(edges[:-1])
    return float(np.sum(np.diff(edges) * heights))


def _greenwood_terms(curve: KMCurve) -> np.ndarray:
    # d / (n (n - d)) at each time; 0 where the curve drops to 0 (R and lifelines do the same).
    n, d = curve.at_risk.astype(float), curve.events.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > d, d / (n * (n - d)), 0.0)


def greenwood_variance(curve: KMCurve, t) -> np.ndarray:
    """Greenwood's variance of the Kaplan–Meier estimate at times ``t``.

    ``S(t)^2 * sum over death times <= t of d / (n (n - d))``; its square root is the standard
    error lifelines and R report for the survival estimate.

    Examples
    --------
    >>> curve = kaplan_meier([2.0, 3.0, 3.0, 5.0, 6.0], [1, 1, 0, 1, 0])
    >>> round(float(greenwood_variance(curve, 2.5)), 4)  # 0.8^2 * 1 / (5 * 4)
    0.032
    """
    t = np.asarray(t, dtype=float)
    idx = np.searchsorted(curve.time, t, side="right") - 1
    cum = np.cumsum(_greenwood_terms(curve))
    return curve.at(t) ** 2 * cum[np.clip(idx, 0, None)]


def rmst_variance(curve: KMCurve, horizon: float) -> float:
    """Variance of the Kaplan–Meier RMST up to ``horizon`` (the delta-method, Greenwood-type one).

    ``sum over death times t_i <= horizon of A_i^2 * d_i / (n_i (n_i - d_i))``, where ``A_i`` is
    the area under the curve from ``t_i`` to ``horizon`` (Klein and Moeschberger, section 4.5;
    the ``se(rmean)`` that R's ``print(survfit(...), rmean=)`` shows). This is the sampling
    variance of the *estimate*; lifelines' ``restricted_mean_survival_time(...,
    return_variance=True)`` returns something else: the variance of a patient's survival time
    truncated at ``horizon``, which does not shrink as the trial grows.

    Examples
    --------
    >>> curve = kaplan_meier([1.0, 2.0, 4.0], [1, 1, 0])
    >>> round(rmst_of(curve, 3.0), 4), round(rmst_variance(curve, 3.0), 4)  # 1^2/6 + (1/3)^2/2
    (2.0, 0.2222)
    """
    edges = np.r_[curve.time[curve.time < horizon], horizon]
    rectangles = np.diff(edges) * curve.at(edges[:-1])
    # Area under the curve from each edge to the horizon (0 from the horizon itself).
    tail = np.r_[np.cumsum(rectangles[::-1])[::-1], 0.0]
    keep = (curve.time <= horizon) & (curve.events > 0)
    areas = tail[np.searchsorted(edges, curve.time[keep])]
    return float(np.sum(areas**2 * _greenwood_terms(curve)[keep]))


def nice_times(t_max: float, n_max: int = 7) -> np.ndarray:
    """Round times from 0 to ``t_max`` for an at-risk table (steps of 1, 2, 3, 6, 12, ... months)."""
    if not math.isfinite(t_max) or t_max <= 0:
        return np.array([0.0])
    for step in (1, 2, 3, 6, 12, 24, 30, 60, 90, 100, 180, 200, 365, 500, 1000, 2000, 5000):
        if t_max / step <= n_max - 1:
            break
    else:
        step = 10 ** math.ceil(math.log10(t_max / (n_max - 1)))
    return np.arange(0, t_max + 1e-9, step, dtype=float)
