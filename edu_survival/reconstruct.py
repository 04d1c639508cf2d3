"""Rebuild a trial from its published curve: the reconstruction of Guyot et al. (2012).

A reader who wants to check a survival claim rarely has the patients' data. They have the
paper's Kaplan–Meier figure and the numbers at risk printed under it. This module goes from those
two things back to approximate individual patient data (IPD), which
:func:`edu_survival.analyze` can then re-analyse:

1. :func:`read_digitised` reads the points a person clicked on the figure (a WebPlotDigitizer
   CSV) and cleans them;
2. :func:`guyot` rebuilds one arm's patients from its points and its numbers at risk;
3. :func:`trial` does both arms and gives a data set for :func:`edu_survival.analyze`;
4. :func:`compare` puts the original and the reconstruction side by side.

:func:`digitise` plays the person with the mouse (for round trips in tests and lessons) and
:func:`round_trip` chains everything for a data set whose true patients we know.

How close a reconstruction gets
-------------------------------
Measured by ``tools/reconstruct_accuracy.py`` with :func:`round_trip` and
:func:`round_trip_errors`: 200 digitisations per data set (seeds 1000 to 1199; a plot area of
500 by 350 pixels, clicks scattered by 1 pixel, the at-risk table at the figure's round times,
total deaths not used). The median and the 99th percentile of each error, the larger of the
two arms where there is one per arm:

======================  =============  =============  =============  ===========  =============
data set                KM gap         KM gap, 10+    abs. log HR    log-rank     median
                        (whole curve)  at risk        difference     chi-square   (data's unit)
======================  =============  =============  =============  ===========  =============
story, simulated (321)  0.043 / 0.197  0.028 / 0.044  0.010 / 0.078  0.28 / 2.3   0.15 / 1.5 mo
lung by sex (228)       0.046 / 0.074  0.043 / 0.058  0.013 / 0.026  0.74 / 1.2   2.2 / 54 days
gbsg2 by horTh (686)    0.115 / 0.144  0.042 / 0.052  0.005 / 0.015  0.25 / 0.71  8.9 / 62 days
leukemia by Rx (42)     0.19 / 0.19    0.19 / 0.19    0.045 / 0.082  0.50 / 1.2   0.09 / 0.19 wk
======================  =============  =============  =============  ===========  =============

Where at least 10 patients are still at risk, the rebuilt curve stays within about 0.03 to
0.06 of the original (a few pixels); the whole-curve gap is larger because it includes the
tail, where one patient is a tall step and the last interval's censoring is a guess. The
hazard ratio typically comes back within 1% (log HR 0.01), rarely worse than 8%, and the
log-rank chi-square within about one. A median sits where the curve crosses one half; where
the curve runs flat there, a small vertical error moves it along the flat stretch (54 days in
the lung data, 62 in gbsg2). Leukemia's 0.19 is ties: four of 21 patients died in the same
week, and a click one pixel left of that step puts the rebuilt drop before the original, a gap
of the whole step for one pixel's width. Knowing each arm's total deaths (``total_events``)
pins the last interval: for the story's trial the 99th percentile of the log HR error falls
from 0.078 to 0.028 and of the chi-square from 2.3 to 1.1; for the three real data sets it
changes nothing, because their last interval (after the last at-risk time) is short.
``tests/test_reconstruct.py`` checks these bounds on 30 other seeds per data set.

Guyot et al. report, from repeated reconstructions of published trials by several people, no
material systematic error, excellent accuracy for survival probabilities and medians, and
reasonable accuracy for hazard ratios only when the numbers at risk or the total number of
events are reported, which these runs agree with.

Against an R implementation (``tools/check_against_reconstructKM.py``, run by hand because the
R package's data stay out of this project): on the clicks that reconstructKM ships for the
EF-14 trial's placebo arm, the first six rebuilt deaths are the six its README prints, to the 7
decimals printed; on its KEYNOTE-189 clicks, the rebuilt trial gives HR 0.49 (95% CI 0.38 to
0.64) and 12-month survival 0.692 vs 0.495, beside the 0.49 (0.38 to 0.64) and 69.2% vs 49.4%
published by Gandhi et al. (NEJM 2018).

What cannot be recovered: *when* patients were censored within an interval of the at-risk
table (the algorithm spreads them evenly), ties (deaths at one time closer than a pixel merge),
and the last interval's censoring, which after the last at-risk time is a guess (below).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._checks import check_number, check_whole
from .analyze import Analysis, KMCurve, analyze, kaplan_meier, nice_times

TIME_UNITS = {"months": 1.0, "days": 12 / 365.25, "weeks": 12 * 7 / 365.25, "years": 12.0}
SURVIVAL_SCALES = ("auto", "proportion", "percent")
MAX_ADJUSTMENTS = 1000  # the paper's loops have no cap; a cycle between two counts must end
GAP_AT_RISK = 10  # compare's second gap: only where at least this many are still followed
SOURCE = "reconstructed from a digitised Kaplan-Meier figure (approximate, not patient data)"


# ----- reading and cleaning the clicks ------------------------------------------------------
def _check_left_of_axis(time: np.ndarray, what: str) -> None:
    span = float(time.max() - min(time.min(), 0.0))
    if time.min() < -0.02 * span:
        raise ValueError(
            f"{what}: times must be >= 0 (a click up to 2% of the axis left of 0 counts as 0); "
            f"the smallest is {float(time.min())!r}: is the time axis calibrated?"
        )


def _clean(time: np.ndarray, survival: np.ndarray) -> pd.DataFrame:
    """The cleaning the method needs: sorted, non-increasing, within [0, 1], starting at (0, 1)."""
    order = np.lexsort((-survival, time))  # by time; at one time, the upper corner first
    time, survival = time[order], np.clip(survival[order], 0.0, 1.0)
    survival = np.minimum.accumulate(survival)  # a click above the previous one is hand jitter
    keep = time > 0
    return pd.DataFrame({"time": np.r_[0.0, time[keep]], "survival": np.r_[1.0, survival[keep]]})


def read_digitised(source, time_unit: str = "months", survival_scale: str = "auto") -> pd.DataFrame:
    """Read one curve's points as exported by WebPlotDigitizer, and clean them.

    Parameters
    ----------
    source : path or file-like
        A CSV file with two columns, time and survival, one clicked point per line, with or
        without a header line (WebPlotDigitizer writes none).
    time_unit : {"months", "days", "weeks", "years"}
        The unit of the figure's time axis; times are converted to months, this package's unit.
    survival_scale : {"auto", "proportion", "percent"}
        How the survival axis is labelled. "auto" takes percent when any value is above 1.5
        (a proportion clicked slightly above 1 is still a proportion).

    Returns
    -------
    pandas.DataFrame
        Columns ``time`` (months) and ``survival`` (proportion), cleaned as the method needs:
        sorted by time, survival made non-increasing (a point above an earlier one is lowered
        to it), clipped to [0, 1], a point at (0, 1) first, and points at or before time 0
        dropped (a click just left of the axis is time 0). ``attrs`` records the units used.

    Raises
    ------
    ValueError
        For a file that cannot be read as a two-column CSV, a cell that is not a number, fewer
        than two points, or a time far below 0 (the axis was calibrated wrongly).

    Examples
    --------
    >>> import io
    >>> csv = io.StringIO("0.1,99.5\\n12,80\\n5,92\\n18,81\\n")
    >>> read_digitised(csv).round(3).values.tolist()
    [[0.0, 1.0], [0.1, 0.995], [5.0, 0.92], [12.0, 0.8], [18.0, 0.8]]
    """
    if time_unit not in TIME_UNITS:
        raise ValueError(f"time_unit must be one of {list(TIME_UNITS)}; got {time_unit!r}")
    if survival_scale not in SURVIVAL_SCALES:
        raise ValueError(f"survival_scale must be one of {list(SURVIVAL_SCALES)}; got {survival_scale!r}")
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else getattr(source, "name", "source")
    try:
        raw = pd.read_csv(source, header=None, dtype=str, skip_blank_lines=True, skipinitialspace=True)
    except FileNotFoundError:
        raise ValueError(f"source: no file at {name!r}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, TypeError) as err:
        raise ValueError(
            f"source {name!r} could not be read as a two-column CSV of time, survival ({err})"
        ) from None
    raw = raw.dropna(axis=1, how="all")  # a trailing comma on every line
    if raw.shape[1] != 2:
        raise ValueError(
            f"source {name!r} must have 2 columns (time, survival); it has {raw.shape[1]}. "
            "Export one curve per file from WebPlotDigitizer."
        )
    numbers = raw.apply(lambda col: pd.to_numeric(col.str.strip(), errors="coerce"))
    if len(raw) and numbers.iloc[0].isna().all():
        numbers, raw = numbers.iloc[1:], raw.iloc[1:]  # a header line
    bad = numbers.isna().to_numpy()
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"source {name!r}: every cell must be a number; line {raw.index[row] + 1}, column "
            f"{col + 1} is {raw.iat[row, col]!r}"
        )
    if len(numbers) < 2:
        raise ValueError(f"source {name!r} must hold at least 2 points; it has {len(numbers)}")
    time = numbers.iloc[:, 0].to_numpy(float)
    survival = numbers.iloc[:, 1].to_numpy(float)
    if not (np.isfinite(time).all() and np.isfinite(survival).all()):
        raise ValueError(f"source {name!r}: times and survival must be finite numbers")
    _check_left_of_axis(time, f"source {name!r}")
    scale = survival_scale
    if scale == "auto":
        scale = "percent" if survival.max() > 1.5 else "proportion"
    if scale == "percent":
        survival = survival / 100.0
    curve = _clean(time * TIME_UNITS[time_unit], survival)
    curve.attrs.update(time_unit=time_unit, survival_scale=scale, source=str(name))
    return curve


# ----- the algorithm ------------------------------------------------------------------------
def _curve_arrays(curve) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(curve, pd.DataFrame) or not {"time", "survival"} <= set(curve.columns):
        raise ValueError(
            "curve must be a pandas DataFrame with columns 'time' and 'survival' "
            f"(as read_digitised returns); got {type(curve).__name__}"
            + (f" with columns {list(curve.columns)}" if isinstance(curve, pd.DataFrame) else "")
        )
    if len(curve) < 2:
        raise ValueError(f"curve must hold at least 2 points; it has {len(curve)}")
    try:
        time = curve["time"].to_numpy(float)
        survival = curve["survival"].to_numpy(float)
    except (TypeError, ValueError):
        raise ValueError("curve's 'time' and 'survival' must be numbers") from None
    if not (np.isfinite(time).all() and np.isfinite(survival).all()):
        raise ValueError("curve's times and survival must be finite numbers")
    _check_left_of_axis(time, "curve")
    if survival.max() > 1.5:
        raise ValueError(
            f"curve's survival must be proportions between 0 and 1; the largest is {survival.max():g} "
            "(percentages? read_digitised converts them)"
        )
    cleaned = _clean(time, survival)
    return cleaned["time"].to_numpy(), cleaned["survival"].to_numpy()


def _at_risk_arrays(at_risk) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(at_risk, pd.DataFrame) or not {"time", "at_risk"} <= set(at_risk.columns):
        raise ValueError(
            "at_risk must be a pandas DataFrame with columns 'time' and 'at_risk' (the published "
            f"numbers at risk); got {type(at_risk).__name__}"
            + (f" with columns {list(at_risk.columns)}" if isinstance(at_risk, pd.DataFrame) else "")
        )
    try:
        times = at_risk["time"].to_numpy(float)
        counts = at_risk["at_risk"].to_numpy(float)
    except (TypeError, ValueError):
        raise ValueError("at_risk's 'time' and 'at_risk' must be numbers") from None
    if len(times) == 0 or times[0] != 0:
        raise ValueError(
            f"at_risk's first row must be at time 0 (everyone randomised); got "
            f"{times[0] if len(times) else 'no rows'!r}"
        )
    if not np.isfinite(times).all() or (np.diff(times) <= 0).any():
        raise ValueError(f"at_risk's times must increase; got {times.tolist()}")
    if not (np.isfinite(counts).all() and (counts == np.round(counts)).all() and (counts >= 0).all()):
        raise ValueError(f"at_risk's counts must be whole numbers >= 0; got {counts.tolist()}")
    if counts[0] < 1:
        raise ValueError(f"at_risk at time 0 must be at least 1 patient; got {counts[0]:g}")
    if (np.diff(counts) > 0).any():
        raise ValueError(f"at_risk's counts cannot rise over time; got {counts.astype(int).tolist()}")
    return times, counts.astype(int)


def _spread(n: int, start: float, end: float, breaks: np.ndarray) -> np.ndarray:
    """``n`` censorings spread evenly inside (start, end), counted per gap between ``breaks``.

    Gaps are closed on the right, (b_j, b_j+1], as R's ``hist`` counts them in the paper's code.
    """
    counts = np.zeros(len(breaks) - 1, dtype=int)
    if n <= 0 or len(counts) == 0:
        return counts
    times = start + np.arange(1, n + 1) * (end - start) / (n + 1)
    gap = np.searchsorted(breaks, times, side="left") - 1
    np.add.at(counts, np.clip(gap, 0, len(counts) - 1), 1)
    return counts


class _Fit:
    """The arrays of the paper's algorithm (0-based indices), shared by its steps."""

    def __init__(self, t, s):
        self.t, self.s = t, s
        self.nhat = np.zeros(len(t) + 1)
        self.d = np.zeros(len(t), dtype=int)
        self.cen = np.zeros(len(t), dtype=int)
        self.km = np.ones(len(t))

    def events(self, first, last_point, n_start, last_event, *, first_point=False, clamp=False,
               update_end=True):
        """Deaths at each point so that the rebuilt KM follows the curve (inverting KM).

        At point k, d_k = round(n_k (1 - S_k / KM_last)), where KM_last is the rebuilt curve at
        the last point with a death; then n_k+1 = n_k - d_k - c_k. Returns the last death's index.
        """
        s, nhat, d, cen, km = self.s, self.nhat, self.d, self.cen, self.km
        nhat[first] = n_start
        last = last_event
        for k in range(first, last_point + 1):
            if first_point and k == first:
                d[k], km[k] = 0, 1.0
            elif km[last] > 0 and nhat[k] > 0:
                d[k] = max(0, int(np.round(nhat[k] * (1 - s[k] / km[last]))))
                km[k] = km[last] * (1 - d[k] / nhat[k])
            else:  # nobody left, or the curve already at 0: no more deaths
                d[k], km[k] = 0, km[last]
            if update_end or k != last_point:
                nhat[k + 1] = nhat[k] - d[k] - cen[k]
                if clamp and nhat[k + 1] < 0:  # at risk cannot be negative
                    nhat[k + 1] = 0
                    cen[k] = nhat[k] - d[k]
            if d[k] != 0:
                last = k
        return last


def _insert_table_times(t, s, table_times):
    """Add a point at each at-risk time that has none (the curve's value there).

    The paper assumes every interval of the table holds at least one clicked point; a flat
    stretch may hold none, so we add the point a person would have clicked at the interval's
    start. It adds no deaths (the curve does not drop there).
    """
    missing = table_times[~np.isin(table_times, t)]
    if len(missing) == 0:
        return t, s
    at = np.searchsorted(t, missing, side="right")
    values = s[at - 1]
    return np.insert(t, at, missing), np.insert(s, at, values)


def _reconstruct(curve, at_risk, total_events):
    t, s = _curve_arrays(curve)
    table_t, n_risk = _at_risk_arrays(at_risk)
    inside = table_t <= t[-1]
    table_t, n_risk = table_t[inside], n_risk[inside].copy()
    if total_events is not None:
        total_events = check_whole("total_events", total_events, 0)
        if total_events > n_risk[0]:
            raise ValueError(
                f"total_events must be at most the {n_risk[0]} patients at risk at time 0; got {total_events}"
            )
    t, s = _insert_table_times(t, s, table_t)
    m, n_t = len(table_t), len(t)
    lower = np.searchsorted(t, table_t, side="left")
    upper = np.r_[lower[1:] - 1, n_t - 1]

    fit = _Fit(t, s)
    cen = fit.cen
    n_censor = np.zeros(m, dtype=int)
    last_i = np.zeros(m, dtype=int)
    for i in range(m - 1):
        lo, up, nxt = lower[i], upper[i], lower[i + 1]
        ratio = s[nxt] / s[lo] if s[lo] > 0 else 0.0
        n_censor[i] = int(np.round(n_risk[i] * ratio - n_risk[i + 1]))
        for _ in range(MAX_ADJUSTMENTS):
            if n_censor[i] <= 0:
                n_censor[i] = 0
            cen[lo:up + 1] = _spread(n_censor[i], t[lo], t[nxt], t[lo:nxt + 1])
            last = fit.events(lo, up, n_risk[i], last_i[i], first_point=(i == 0))
            rebuilt = fit.nhat[nxt]
            n_censor[i] += int(rebuilt - n_risk[i + 1])
            if not (rebuilt > n_risk[i + 1] or (rebuilt < n_risk[i + 1] and n_censor[i] > 0)):
                break
        if fit.nhat[nxt] < n_risk[i + 1]:
            n_risk[i + 1] = int(fit.nhat[nxt])
        last_i[i + 1] = last

    # The last interval: censoring at the earlier intervals' average rate, as the paper assumes.
    lo, up = lower[-1], upper[-1]
    if m > 1:
        span = t[upper[-2]] - t[lower[0]]
        rate = n_censor[:-1].sum() / span if span > 0 else 0.0
        n_last = int(min(np.round(rate * (t[up] - t[lo])), n_risk[-1]))
    else:
        n_last = 0

    def last_interval(n_cens, update_end=True):
        cen[lo:up] = _spread(max(n_cens, 0), t[lo], t[up], t[lo:up + 1])
        return fit.events(lo, up, n_risk[-1], last_i[-1], first_point=(m == 1), clamp=True,
                          update_end=update_end)

    n_last = max(n_last, 0)
    last_interval(n_last)
    if total_events is not None:
        before = int(fit.d[:upper[-2] + 1].sum()) if m > 1 else 0
        if m > 1 and before >= total_events:
            # The earlier intervals already hold every death: none, and no censoring, after.
            fit.d[lo:up + 1] = 0
            cen[lo:up] = 0
        else:
            deaths = int(fit.d[:up + 1].sum())
            for _ in range(MAX_ADJUSTMENTS):
                if not (deaths > total_events or (deaths < total_events and n_last > 0)):
                    break
                n_last = max(n_last + deaths - total_events, 0)
                last_interval(n_last, update_end=False)
                deaths = int(fit.d[:up + 1].sum())

    d = fit.d
    # At least 0 by construction (deaths never exceed those at risk, counts are clamped); the
    # max only guards a loop stopped by MAX_ADJUSTMENTS, never seen in the validation runs.
    remaining = max(int(n_risk[0] - d.sum() - cen.sum()), 0)
    mid = (t[:-1] + t[1:]) / 2
    time = np.r_[np.repeat(t, d), np.repeat(mid, cen[:-1]), np.full(remaining, t[-1])]
    event = np.r_[np.ones(d.sum(), int), np.zeros(cen[:-1].sum() + remaining, int)]
    order = np.argsort(time, kind="stable")
    ipd = pd.DataFrame({"time": time[order], "event": event[order]})
    ipd.attrs["source"] = SOURCE
    steps = pd.DataFrame(
        {"time": t, "survival": s, "at_risk": fit.nhat[:n_t].astype(int), "events": d,
         "censored": cen, "km": fit.km}
    )
    return ipd, steps


def guyot(curve: pd.DataFrame, at_risk: pd.DataFrame, total_events: int | None = None) -> pd.DataFrame:
    """Rebuild one arm's patients from its digitised curve and its numbers at risk.

    The algorithm of Guyot, Ades, Ouwens and Welton, "Enhanced secondary analysis of survival
    data: reconstructing the data from published Kaplan-Meier survival curves", BMC Medical
    Research Methodology 2012;12:9 (doi:10.1186/1471-2288-12-9), written afresh in numpy from
    the paper's description. For each interval between two times of the at-risk table:

    1. first guess of the number censored in the interval: the number at risk at its start times
       the curve's fall ratio, minus the number at risk at its end,
       ``c = round(n_i S(t_i+1) / S(t_i) - n_i+1)``;
    2. spread these censorings evenly over the interval and count them between clicked points;
    3. at each clicked point, invert the Kaplan–Meier formula for the number of deaths,
       ``d_k = round(n_k (1 - S_k / KM_last))``, then ``n_k+1 = n_k - d_k - c_k``;
    4. compare the rebuilt number at risk at the interval's end with the table's; change the
       number censored by the difference and repeat 2 to 4 until they agree (or no censoring is
       left to remove, in which case the table's count is lowered to the rebuilt one).

    The last interval has no number at risk at its end. Its censoring is assumed to go on at
    the average rate of the earlier intervals (censorings per unit time); when ``total_events``
    is given, that number censored is then adjusted until the total number of deaths matches
    it (if the earlier intervals already hold that many deaths, the last interval gets none).
    Deaths are placed at the clicked times, censorings at the midpoint between two clicked
    points, and the patients still at risk at the end are censored at the last clicked time.

    What is approximate: the censoring times within each interval (spread evenly, the real ones
    are unknown), deaths closer together than the clicks can resolve (merged into one time),
    every count (rounded to whole patients, as the paper does), and the last interval's
    censoring (assumed, unless ``total_events`` pins the deaths). Counts are rounded half to
    even, as R's ``round`` in the paper's code. Three deviations from that code, all for
    robustness: a point is added at each at-risk time that has none; a negative number of
    deaths (the rebuilt curve already below a click) is taken as none; and the adjustment loops
    stop after 1,000 rounds (the paper's code may cycle for ever).

    Parameters
    ----------
    curve : pandas.DataFrame
        Columns ``time`` and ``survival`` (a proportion), as :func:`read_digitised` returns;
        cleaned again here (sorted, non-increasing, starting at (0, 1)).
    at_risk : pandas.DataFrame
        Columns ``time`` and ``at_risk``: the published numbers at risk, first row at time 0.
        Rows after the curve's last point are ignored (there is no curve to follow).
    total_events : int, optional
        The reported number of deaths in this arm, if the paper gives it.

    Returns
    -------
    pandas.DataFrame
        One row per patient, sorted by time: ``time`` and ``event`` (1 death, 0 censored).
        :func:`guyot_steps` shows the working behind it.

    Examples
    --------
    >>> curve = pd.DataFrame({"time": [0, 1, 2, 3, 4, 5], "survival": [1, .8, .8, .6, .6, .45]})
    >>> table = pd.DataFrame({"time": [0, 2, 4], "at_risk": [10, 7, 4]})
    >>> ipd = guyot(curve, table)
    >>> len(ipd), int(ipd["event"].sum())
    (10, 4)
    >>> guyot_steps(curve, table)["events"].tolist()
    [0, 2, 0, 1, 0, 1]
    """
    return _reconstruct(curve, at_risk, total_events)[0]


def guyot_steps(curve: pd.DataFrame, at_risk: pd.DataFrame, total_events: int | None = None) -> pd.DataFrame:
    """The working behind :func:`guyot`, one row per clicked point (as a person would tabulate it).

    Columns: ``time`` and ``survival`` (the cleaned click, with a point added at each at-risk
    time that had none), ``at_risk`` (rebuilt number at risk just before it), ``events``
    (deaths placed there), ``censored`` (censorings placed between it and the next point) and
    ``km`` (the rebuilt Kaplan–Meier curve there).
    """
    return _reconstruct(curve, at_risk, total_events)[1]


def trial(arms: Mapping, total_events: Mapping | None = None) -> pd.DataFrame:
    """Rebuild a whole trial, arm by arm, ready for :func:`edu_survival.analyze`.

    Parameters
    ----------
    arms : mapping
        Arm name -> ``(curve, at_risk)``, each as :func:`guyot` takes them (a :class:`Digitised`
        from :func:`digitise` is such a pair). Name the arms "control" and "treatment" so that
        ``analyze`` takes "control" as the reference.
    total_events : mapping, optional
        Arm name -> reported number of deaths, for the arms where the paper gives it.

    Returns
    -------
    pandas.DataFrame
        Columns ``arm``, ``time``, ``event``; ``attrs["source"]`` says it is a reconstruction.

    Examples
    --------
    >>> import edu_survival as es
    >>> original = es.analyze(es.simulate(es.LAPATINIB, seed=1))
    >>> times = [0, 12, 24, 36, 48]
    >>> rebuilt = trial({arm: digitise(original.curves[arm], times, seed=2) for arm in original.arms})
    >>> es.analyze(rebuilt).n
    {'control': 160, 'treatment': 161}
    """
    if not isinstance(arms, Mapping) or len(arms) == 0:
        raise ValueError(f"arms must be a mapping arm -> (curve, at_risk) with at least one arm; got {arms!r:.80}")
    total_events = dict(total_events or {})
    unknown = set(total_events) - set(arms)
    if unknown:
        raise ValueError(f"total_events names arms {sorted(map(str, unknown))} not in arms {list(arms)}")
    frames = []
    for arm, pair in arms.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"arms[{arm!r}] must be a pair (curve, at_risk); got {type(pair).__name__}")
        curve, at_risk = pair
        ipd = guyot(curve, at_risk, total_events.get(arm))
        frames.append(ipd.assign(arm=arm)[["arm", "time", "event"]])
    data = pd.concat(frames, ignore_index=True)
    data.attrs["source"] = SOURCE
    return data


# ----- playing the person with the mouse ----------------------------------------------------
class Digitised(NamedTuple):
    """What a person takes from one arm of a printed figure: the clicked points and the table."""

    curve: pd.DataFrame
    at_risk: pd.DataFrame


def _as_km(km) -> KMCurve:
    if isinstance(km, KMCurve):
        return km
    if hasattr(km, "durations") and hasattr(km, "event_observed"):  # lifelines KaplanMeierFitter
        return kaplan_meier(np.asarray(km.durations), np.asarray(km.event_observed))
    raise ValueError(
        "km must be a KMCurve (analysis.curves[arm]) or a lifelines KaplanMeierFitter "
        f"(analysis.km[arm]); got {type(km).__name__}"
    )


def digitise(km, at_risk_times, resolution=(500, 350), jitter: float = 1.0, seed: int | None = None,
             t_max: float | None = None) -> Digitised:
    """What a person clicking on a printed Kaplan–Meier figure would record.

    They click both corners of every step (the top, then the bottom of each drop) and the end
    of the curve, on a plot area ``resolution`` pixels wide and high spanning 0 to ``t_max`` and
    0 to 1; each click lands on a whole pixel, off by a hand jitter of ``jitter`` pixels
    (standard deviation). Two clicks on the same pixel are recorded once. The numbers at risk
    are read exactly from the table under the figure.

    Parameters
    ----------
    km : KMCurve or lifelines KaplanMeierFitter
        One arm's curve: ``analysis.curves[arm]`` or ``analysis.km[arm]``.
    at_risk_times : sequence of float
        The times of the printed at-risk table, starting at 0 and increasing.
    resolution : (int, int)
        Width and height of the plot area in pixels (each at least 50).
    jitter : float
        Standard deviation of a click's error in pixels (>= 0; 0 is a perfect hand).
    seed : int, optional
        Random seed of the jitter.
    t_max : float, optional
        Right end of the time axis; default the curve's last time.

    Returns
    -------
    Digitised
        ``curve`` (``time``, ``survival``: the raw clicks in time order, not yet cleaned) and
        ``at_risk`` (``time``, ``at_risk``). A pair, so it can go straight into :func:`trial`.

    Examples
    --------
    >>> from edu_survival.analyze import kaplan_meier
    >>> km = kaplan_meier([2.0, 3.0, 3.0, 5.0, 6.0], [1, 1, 0, 1, 0])
    >>> clicks = digitise(km, [0, 3], jitter=0)
    >>> clicks.curve.round(2).values.tolist()
    [[0.0, 1.0], [2.0, 1.0], [2.0, 0.8], [3.0, 0.8], [3.0, 0.6], [4.99, 0.6], [4.99, 0.3], [6.0, 0.3]]
    >>> clicks.at_risk["at_risk"].tolist()
    [5, 4]
    """
    curve = _as_km(km)
    try:
        width, height = (int(v) for v in resolution)
    except (TypeError, ValueError):
        raise ValueError(f"resolution must be (width, height) in pixels, each >= 50; got {resolution!r}") from None
    if width < 50 or height < 50 or tuple(resolution) != (width, height):
        raise ValueError(f"resolution must be (width, height) in whole pixels, each >= 50; got {resolution!r}")
    jitter = check_number("jitter", jitter, "a number of pixels >= 0", lambda v: v >= 0)
    last_time = float(curve.time[-1])
    if t_max is None:
        t_max = last_time if last_time > 0 else 1.0
    t_max = check_number("t_max", t_max, f"> 0 and at least the curve's last time {last_time:g}",
                         lambda v: v > 0 and v >= last_time)
    times = np.asarray(at_risk_times, dtype=float)
    if times.ndim != 1 or len(times) == 0 or times[0] != 0 or (np.diff(times) <= 0).any():
        raise ValueError(f"at_risk_times must start at 0 and increase; got {np.asarray(at_risk_times).tolist()}")
    drops = np.flatnonzero(np.diff(curve.survival) < 0) + 1
    corner_t = np.r_[0.0, np.repeat(curve.time[drops], 2), last_time]
    corner_s = np.r_[1.0, np.column_stack([curve.survival[drops - 1], curve.survival[drops]]).ravel(),
                     curve.survival[-1]]
    rng = np.random.default_rng(seed)
    px = np.round(corner_t / t_max * width + rng.normal(0, jitter, len(corner_t)) if jitter else corner_t / t_max * width)
    py = np.round(corner_s * height + rng.normal(0, jitter, len(corner_s)) if jitter else corner_s * height)
    pixels = pd.DataFrame({"x": px, "y": py}).drop_duplicates()
    clicks = pd.DataFrame({"time": pixels["x"].to_numpy() * t_max / width,
                           "survival": pixels["y"].to_numpy() / height})
    clicks = clicks.sort_values("time", kind="stable").reset_index(drop=True)
    table = pd.DataFrame({"time": times, "at_risk": curve.number_at_risk(times).astype(int)})
    return Digitised(clicks, table)


# ----- comparing ----------------------------------------------------------------------------
def largest_gap(a: KMCurve, b: KMCurve, min_at_risk: int = 0) -> float:
    """Largest vertical distance between two Kaplan–Meier curves, up to the shorter one's end.

    Both are step functions, constant between the union of their jump times, so the largest
    gap is found at one of those times. With ``min_at_risk``, only times at which at least
    that many patients are still at risk in ``a`` count (the tail, where one patient is a
    big step, left out).

    Examples
    --------
    >>> a = kaplan_meier([1.0, 1.0, 3.0, 3.0], [1, 1, 1, 1])
    >>> b = kaplan_meier([2.0, 2.5, 2.5, 2.5], [1, 0, 0, 0])
    >>> largest_gap(a, b)
    0.5
    """
    end = min(a.time[-1], b.time[-1])
    grid = np.union1d(a.time, b.time)
    grid = grid[grid <= end]
    if min_at_risk:
        grid = grid[a.number_at_risk(grid) >= min_at_risk]
    if len(grid) == 0:
        return 0.0
    return float(np.max(np.abs(a.at(grid) - b.at(grid))))


def _as_analysis(x, name, control=None, engine="lifelines") -> Analysis:
    if isinstance(x, Analysis):
        if x.engine == engine and x.alpha == 0.05 and (control is None or control == x.reference):
            return x
        return analyze(x.data, control=x.reference if control is None else control, engine=engine)
    if isinstance(x, pd.DataFrame):
        return analyze(x, control=control, engine=engine)
    raise ValueError(f"{name} must be an Analysis or a DataFrame with columns arm, time, event; got {type(x).__name__}")


def compare(original, reconstructed, engine: str = "lifelines") -> pd.DataFrame:
    """The original trial and its reconstruction, side by side.

    Both are analysed with :func:`edu_survival.analyze` (the same reference arm, the same RMST
    horizon: the shorter of the two default horizons).

    Parameters
    ----------
    original, reconstructed : Analysis or pandas.DataFrame
        Data with columns ``arm``, ``time``, ``event`` (or their analyses).
    engine : {"lifelines", "numpy"}
        Passed to ``analyze`` (the same numbers to 1e-10; numpy is faster for many runs).

    Returns
    -------
    pandas.DataFrame
        Rows: patients and deaths, median and RMST per arm, the hazard ratio with its
        confidence limits, the log-rank chi-square and p, and per arm the largest vertical gap
        between the two Kaplan–Meier curves, over the whole curve and only where at least 10
        patients are still at risk in the original; columns ``original``, ``reconstructed``
        and ``difference`` (reconstructed minus original; for the gap rows, the gap itself).

    Examples
    --------
    >>> import edu_survival as es
    >>> data = es.simulate(es.LAPATINIB, seed=1)
    >>> table = compare(data, data, engine="numpy")
    >>> float(table.loc["hazard ratio", "difference"])
    0.0
    """
    first = _as_analysis(original, "original", engine=engine)
    second = _as_analysis(reconstructed, "reconstructed", control=first.reference, engine=engine)
    if set(second.arms) != set(first.arms):
        raise ValueError(f"reconstructed has arms {list(second.arms)}; original has {list(first.arms)}")
    horizon = min(first.rmst_horizon, second.rmst_horizon)
    if first.rmst_horizon != horizon:
        first = analyze(first.data, control=first.reference, rmst_horizon=horizon, engine=engine)
    if second.rmst_horizon != horizon:
        second = analyze(second.data, control=first.reference, rmst_horizon=horizon, engine=engine)
    level = round(100 * (1 - first.alpha))
    rows = {}
    for arm in first.arms:
        rows[f"patients ({arm})"] = (first.n[arm], second.n[arm])
        rows[f"deaths ({arm})"] = (first.deaths[arm], second.deaths[arm])
    for arm in first.arms:
        rows[f"median ({arm})"] = (first.median[arm].estimate, second.median[arm].estimate)
    for arm in first.arms:
        rows[f"RMST to {round(horizon, 1):g} {first.unit} ({arm})"] = (first.rmst[arm], second.rmst[arm])
    rows["hazard ratio"] = (first.hr, second.hr)
    rows[f"HR {level}% CI lower"] = (first.hr_ci[0], second.hr_ci[0])
    rows[f"HR {level}% CI upper"] = (first.hr_ci[1], second.hr_ci[1])
    rows["log-rank chi-square"] = (first.logrank_chi2, second.logrank_chi2)
    rows["log-rank p"] = (first.logrank_p, second.logrank_p)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["original", "reconstructed"], dtype=float)
    with np.errstate(invalid="ignore"):
        table["difference"] = table["reconstructed"] - table["original"]
    for arm in first.arms:
        gap = largest_gap(first.curves[arm], second.curves[arm])
        table.loc[f"largest KM gap ({arm})"] = (math.nan, math.nan, gap)
    for arm in first.arms:
        gap = largest_gap(first.curves[arm], second.curves[arm], min_at_risk=GAP_AT_RISK)
        table.loc[f"largest KM gap, {GAP_AT_RISK}+ at risk ({arm})"] = (math.nan, math.nan, gap)
    table.attrs["rmst_horizon"] = horizon
    return table


def round_trip(data: pd.DataFrame, at_risk_times=None, *, resolution=(500, 350), jitter: float = 1.0,
               seed: int | None = None, total_events: bool = False, engine: str = "lifelines") -> pd.DataFrame:
    """Draw the figure of a known data set, digitise it, rebuild it and :func:`compare`.

    Parameters
    ----------
    data : pandas.DataFrame or Analysis
        Columns ``arm``, ``time``, ``event`` (e.g. from :func:`edu_survival.simulate`), or its
        analysis (its reference arm is kept).
    at_risk_times : sequence of float, optional
        The at-risk table's times; default the round times a plot would print
        (:func:`edu_survival.analyze.nice_times`), which both arms share.
    resolution, jitter, seed
        As for :func:`digitise` (the arms get seeds ``seed`` and ``seed + 1``).
    total_events : bool
        Whether the "paper" reports each arm's number of deaths (used by :func:`guyot`).
    engine : {"lifelines", "numpy"}
        Passed to :func:`compare`.

    Examples
    --------
    >>> import edu_survival as es
    >>> table = round_trip(es.simulate(es.LAPATINIB, seed=1), seed=3, engine="numpy")
    >>> float(table.loc["largest KM gap, 10+ at risk (control)", "difference"])
    0.025
    """
    original = data if isinstance(data, Analysis) else analyze(data, engine="numpy")
    t_max = max(float(c.time[-1]) for c in original.curves.values())
    if at_risk_times is None:
        at_risk_times = nice_times(t_max)
    at_risk_times = np.asarray(at_risk_times, dtype=float)
    seed = 0 if seed is None else seed
    arms = {
        arm: digitise(original.curves[arm], at_risk_times, resolution=resolution, jitter=jitter,
                      seed=seed + j, t_max=t_max)
        for j, arm in enumerate(original.arms)
    }
    events = original.deaths if total_events else None
    rebuilt = trial(arms, total_events=events)
    return compare(original, rebuilt, engine=engine)


def round_trip_errors(table: pd.DataFrame) -> dict:
    """The accuracy of one reconstruction, from a :func:`compare` table.

    ``km_gap``: the largest vertical gap between the original and rebuilt Kaplan–Meier curves
    (the larger of the two arms); ``km_gap_10``: the same where at least 10 patients are still
    at risk; ``log_hr``: absolute difference of the log hazard ratios
    (0.05 is a hazard ratio 5% off); ``chi2``: absolute difference of the log-rank
    chi-squares; ``median``: the larger absolute difference of the two arms' medians (0 when
    neither is reached, infinite when only one is).
    """
    rows = table.index
    gap = table.loc[[r for r in rows if r.startswith("largest KM gap (")], "difference"].max()
    gap_body = table.loc[[r for r in rows if r.startswith("largest KM gap, ")], "difference"].max()
    medians = []
    for r in (r for r in rows if r.startswith("median (")):
        a, b = table.loc[r, "original"], table.loc[r, "reconstructed"]
        medians.append(0.0 if math.isinf(a) and math.isinf(b) else abs(b - a))
    return {
        "km_gap": float(gap),
        "km_gap_10": float(gap_body),
        "log_hr": abs(math.log(table.loc["hazard ratio", "reconstructed"]) - math.log(table.loc["hazard ratio", "original"])),
        "chi2": abs(float(table.loc["log-rank chi-square", "difference"])),
        "median": float(max(medians)),
    }


VALIDATION_SETS = ("story", "lung", "gbsg2", "leukemia")


def validation_data(name: str, seed: int = 0) -> pd.DataFrame:
    """A data set for round trips, with columns ``arm``, ``time``, ``event``.

    "story": a trial simulated from the story's summary figures (``es.LAPATINIB``, a new trial
    for each ``seed``; months). Real data shipped with lifelines (the same patients whatever the
    seed): "lung" (NCCTG lung cancer by sex, men the reference; days), "gbsg2" (German Breast
    Cancer Study Group 2 by hormone therapy, none the reference; days), "leukemia" (Freireich's
    leukaemia remission times by treatment ``Rx``, 0 the reference; weeks).
    """
    from lifelines import datasets

    if name == "story":
        from .scenario import LAPATINIB
        from .simulate import simulate

        return simulate(LAPATINIB, seed=seed)[["arm", "time", "event"]]
    if name == "lung":
        d = datasets.load_lung()
        return pd.DataFrame({"arm": np.where(d["sex"] == 1, "men", "women"), "time": d["time"], "event": d["status"]})
    if name == "gbsg2":
        d = datasets.load_gbsg2()
        arm = np.where(d["horTh"] == "yes", "hormone therapy", "none")
        return pd.DataFrame({"arm": arm, "time": d["time"], "event": d["cens"]})
    if name == "leukemia":
        d = datasets.load_leukemia()
        return pd.DataFrame({"arm": np.where(d["Rx"] == 1, "Rx 1", "Rx 0"), "time": d["t"], "event": d["status"]})
    raise ValueError(f"name must be one of {list(VALIDATION_SETS)}; got {name!r}")


def accuracy_runs(name: str, seeds, total_events: bool = False, **digitising) -> pd.DataFrame:
    """:func:`round_trip_errors` of one data set over many digitisations, one row per seed.

    ``digitising`` goes to :func:`round_trip` (``resolution``, ``jitter``, ``at_risk_times``).
    """
    rows = []
    for seed in seeds:
        data = validation_data(name, seed)
        control = "none" if name == "gbsg2" else None
        original = analyze(data, control=control, engine="numpy")
        table = round_trip(original, seed=seed, total_events=total_events, engine="numpy", **digitising)
        rows.append({"seed": seed, **round_trip_errors(table)})
    return pd.DataFrame(rows).set_index("seed")


# ----- lesson 09: a published figure, its reconstruction and the reveal ----------------------
HIDDEN = None  # built on first use (see hidden_scenario), so importing stays quick
HIDDEN_SEED = 9
CLICK_SEEDS = {"control": 91, "treatment": 92}
LESSON_FILES = {"control": "09_control.csv", "treatment": "09_treatment.csv", "at_risk": "09_at_risk.csv"}


def hidden_scenario():
    """The invented trial behind lesson 09's "published" figure (simulated, not patient data).

    240 patients, medians 10 and 15 months, 18 months of enrolment and 18 more of follow-up,
    and 15% a year lost to follow-up, so that patients are censored all along the curve.
    """
    from .scenario import Scenario

    return Scenario(n=240, median_control=10.0, median_treatment=15.0, accrual=18.0,
                    follow_up=18.0, dropout=0.15)


def hidden_trial() -> Analysis:
    """The trial behind lesson 09's figure: what the learner does not see until the reveal."""
    from .simulate import simulate

    return analyze(simulate(hidden_scenario(), seed=HIDDEN_SEED))


def published_figure():
    """Lesson 09's "published" figure: the hidden trial's KM curves with the numbers at risk."""
    from .plots import plot_km

    return plot_km(hidden_trial(), ci=False)


def _figure_times(analysis: Analysis) -> np.ndarray:
    # The at-risk times a figure of this analysis prints (as plot_km and at_risk_table do).
    return nice_times(max(float(c.time[-1]) for c in analysis.curves.values()))


def lesson_digitised() -> dict:
    """Lesson 09's clicks on the published figure, arm -> :class:`Digitised` (fixed seeds).

    The files in ``lessons/data/`` are these, written once by ``tools/make_lesson09_data.py``.
    """
    hidden = hidden_trial()
    figure = published_figure()  # the clicks are on its axis, the table is the one it prints
    times, t_max = np.asarray(figure.times, dtype=float), float(figure.ax.get_xlim()[1])
    clicks = {arm: digitise(hidden.curves[arm], times, seed=CLICK_SEEDS[arm], t_max=t_max)
              for arm in hidden.arms}
    # As written to the files: times to 4 decimals, survival in percent to 4 decimals.
    return {arm: Digitised(d.curve.assign(time=d.curve["time"].round(4),
                                          survival=(d.curve["survival"] * 100).round(4) / 100), d.at_risk)
            for arm, d in clicks.items()}


def lesson_rebuilt() -> pd.DataFrame:
    """Lesson 09's reconstruction from its clicks: what the lesson gets from the files."""
    return trial(lesson_digitised())


def write_lesson_data(directory) -> list:
    """Write lesson 09's digitised points (one WebPlotDigitizer-style CSV per arm, no header,
    survival in percent as a typical figure's axis) and its at-risk table (as printed: one row
    per arm, one column per time). Returns the paths written."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    clicks = lesson_digitised()
    paths = []
    for arm, digitised in clicks.items():
        path = directory / LESSON_FILES[arm]
        points = digitised.curve.assign(survival=digitised.curve["survival"] * 100)
        points.round(4).to_csv(path, header=False, index=False)
        paths.append(path)
    table = pd.DataFrame({arm: d.at_risk.set_index("time")["at_risk"] for arm, d in clicks.items()}).T
    table.columns = [f"{t:g}" for t in table.columns]
    path = directory / LESSON_FILES["at_risk"]
    table.rename_axis("arm").to_csv(path)
    paths.append(path)
    return paths


def read_at_risk(source) -> dict:
    """Read a numbers-at-risk table laid out as printed under a figure: a column ``arm``, then
    one column per time (the header gives the times), one row per arm.

    Returns arm -> DataFrame(``time``, ``at_risk``), each ready for :func:`guyot`.
    """
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "source"
    try:
        table = pd.read_csv(source)
    except FileNotFoundError:
        raise ValueError(f"source: no file at {name!r}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"source {name!r} could not be read as an at-risk table ({err})") from None
    if "arm" not in table.columns or table.shape[1] < 2:
        raise ValueError(f"source {name!r} needs a column 'arm' and one column per time; it has {list(table.columns)}")
    times = pd.to_numeric(pd.Series(table.columns.drop("arm")), errors="coerce")
    if times.isna().any():
        raise ValueError(f"source {name!r}: the header must give times; got {list(table.columns.drop('arm'))}")
    return {row["arm"]: pd.DataFrame({"time": times.to_numpy(float), "at_risk": row.drop("arm").to_numpy(float)})
            for _, row in table.iterrows()}


def intervals(curve: pd.DataFrame, at_risk: pd.DataFrame) -> pd.DataFrame:
    """The inputs of the algorithm's first step, one row per interval of the at-risk table.

    Per interval: its ``start`` and ``end``, the numbers at risk there (``at risk at start``,
    ``at risk at end``) and the clicked curve's value there (``survival at start``,
    ``survival at end``), and the paper's first guess of the number censored in between,
    ``round(at risk at start x survival at end / survival at start - at risk at end)``.
    """
    t, s = _curve_arrays(curve)
    table_t, n_risk = _at_risk_arrays(at_risk)
    inside = table_t <= t[-1]
    table_t, n_risk = table_t[inside], n_risk[inside]
    value = s[np.searchsorted(t, table_t, side="right") - 1]
    rows = pd.DataFrame({
        "start": table_t[:-1], "end": table_t[1:],
        "at risk at start": n_risk[:-1], "at risk at end": n_risk[1:],
        "survival at start": value[:-1].round(3), "survival at end": value[1:].round(3),
    })
    guess = np.round(rows["at risk at start"] * value[1:] / np.where(value[:-1] > 0, value[:-1], 1)
                     - rows["at risk at end"])
    rows["first guess censored"] = guess.astype(int)
    return rows


def rebuild(analysis: Analysis, seed: int = 0, total_events: bool = False, **digitising) -> pd.DataFrame:
    """Digitise both arms of an analysis's figure and rebuild the trial (arm, time, event).

    The at-risk times are the ones its figure prints; ``digitising`` goes to :func:`digitise`.
    """
    times = _figure_times(analysis)
    t_max = max(float(c.time[-1]) for c in analysis.curves.values())
    arms = {arm: digitise(analysis.curves[arm], times, seed=seed + j, t_max=t_max, **digitising)
            for j, arm in enumerate(analysis.arms)}
    return trial(arms, total_events=analysis.deaths if total_events else None)


def lost_table(original, rebuilt) -> pd.DataFrame:
    """Deaths and censorings per interval of the at-risk table: the hidden trial and its rebuild.

    Rows are (arm, interval); the last interval runs from the last at-risk time to the end.
    """
    first = original if isinstance(original, Analysis) else analyze(original)
    second = analyze(rebuilt, control=first.reference) if not isinstance(rebuilt, Analysis) else rebuilt
    times = _figure_times(first)
    rows = []
    for arm in first.arms:
        for label, res in (("hidden", first), ("rebuilt", second)):
            c = res.curves[arm]
            edges = np.r_[times, np.inf]
            events = np.diff(np.r_[0, c.cumulative(edges[1:] - 1e-9, "events")])
            censored = np.diff(np.r_[0, c.cumulative(edges[1:] - 1e-9, "censored")])
            for k in range(len(times)):
                end = "end" if k == len(times) - 1 else f"{times[k + 1]:g}"
                rows.append({"arm": arm, "interval": f"{times[k]:g} to {end}", "data": label,
                             "deaths": int(events[k]), "censored": int(censored[k])})
    table = pd.DataFrame(rows).pivot_table(index=["arm", "interval"], columns="data",
                                           values=["deaths", "censored"], sort=False)
    return table.astype(int)


# ----- lesson 09: the story's trial, had the story printed a figure --------------------------
def story_versions(seed: int = 1) -> dict:
    """Two trials simulated from the story's summary figures, one per reading of its numbers.

    Both have the story's medians (17.3 and 23.9 months) and its 321 patients. "medians":
    constant hazards, so the hazard ratio is the medians' ratio, about 0.72. "38%": hazards
    rising over time (Weibull shape chosen so that the same medians give a hazard ratio of 0.62).
    Same seed, so the same patients' random draws.
    """
    from .scenario import LAPATINIB
    from .simulate import simulate

    shape = math.log(0.62) / math.log(LAPATINIB.median_control / LAPATINIB.median_treatment)
    scenarios = {"medians": LAPATINIB, "38%": LAPATINIB.replace(shape=shape)}
    return {name: analyze(simulate(sc, seed=seed)) for name, sc in scenarios.items()}


def story_hazard_ratios() -> dict:
    """The true hazard ratio of each version of the story's trial (see :func:`story_versions`).

    Examples
    --------
    >>> story_hazard_ratios()
    {'medians': 0.724, '38%': 0.62}
    """
    return {name: round(result.scenario.hr, 3) for name, result in story_versions().items()}


def story_check(seeds=range(1, 6), click_seed: int = 5) -> pd.DataFrame:
    """Had the story printed its figure: for each version of its trial (see
    :func:`story_versions`) and several simulated trials of each, the hazard ratio the trial's
    hidden data give and the one a reader rebuilds from its figure, with the 95% CI.

    Simulated from the story's summary figures, not patient data.
    """
    rows = []
    for seed in seeds:
        for name, result in story_versions(seed).items():
            rebuilt = analyze(rebuild(result, seed=click_seed), engine="numpy")
            rows.append({
                "version": name, "trial (seed)": seed, "true HR": round(result.scenario.hr, 3),
                "trial's HR (hidden data)": round(result.hr, 3), "rebuilt HR": round(rebuilt.hr, 3),
                "rebuilt 95% CI": f"{rebuilt.hr_ci[0]:.2f} to {rebuilt.hr_ci[1]:.2f}",
            })
    return pd.DataFrame(rows).set_index(["version", "trial (seed)"]).sort_index(level=0, sort_remaining=False)


# The reconstruction figure moved to edu_survival.plots (pictures sit above the statistics);
# these names still work here, loaded on first use.
_MOVED_UP = {"ReconstructionPlot", "plot_reconstruction"}


def __getattr__(name):
    if name in _MOVED_UP:
        from .plots import reconstruction

        return getattr(reconstruction, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
