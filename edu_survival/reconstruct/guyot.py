"""The algorithm of Guyot et al. (2012): one arm's patients from its curve and numbers at risk.

:func:`guyot` rebuilds an arm, :func:`guyot_steps` shows its working, :func:`intervals` the
inputs of its first step, and :func:`trial` rebuilds every arm of a trial for
:func:`edu_survival.analyze`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._checks import check_columns, check_whole
from .read import _check_left_of_axis, _clean, _warn

MAX_ADJUSTMENTS = 1000  # the paper's loops have no cap; a cycle between two counts must end

MAX_PATIENTS = 1_000_000
"""Largest number at risk at time 0 an arm may have: more patients than any randomised trial,
and a rebuilt data set (one row per patient) that still fits in memory."""


MIN_KEPT_DROP = 0.01  # a drop this tall after the last at-risk time keeps its death (3.5 px of 350)

SOURCE = "reconstructed from a digitised Kaplan-Meier figure (approximate, not patient data)"


def _curve_arrays(curve) -> tuple[np.ndarray, np.ndarray]:
    check_columns("curve", curve, ("time", "survival"), "as read_digitised returns")
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
    check_columns("at_risk", at_risk, ("time", "at_risk"), "the published numbers at risk")
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
    if counts[0] > MAX_PATIENTS:
        raise ValueError(f"at_risk at time 0 (the arm's n) must be at most {MAX_PATIENTS:,} patients "
                         f"(more than any randomised trial); got n={counts[0]:,.0f}")
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
    """Guyot's algorithm on one arm: (patients, working), as :func:`guyot` and
    :func:`guyot_steps` return them."""
    t, s, table_t, n_risk, total_events = _inputs(curve, at_risk, total_events)
    t, s = _insert_table_times(t, s, table_t)
    lower = np.searchsorted(t, table_t, side="left")  # each interval's first and last point
    upper = np.r_[lower[1:] - 1, len(t) - 1]
    fit = _Fit(t, s)
    n_censor, last_i = _fit_intervals(fit, lower, upper, n_risk)
    _fit_last_interval(fit, lower, upper, n_risk, n_censor, last_i, total_events)
    return _patients(fit, n_risk[0])


def _inputs(curve, at_risk, total_events):
    """The clicked curve and the at-risk table as arrays, checked; the table cut to the curve."""
    t, s = _curve_arrays(curve)
    table_t, n_risk = _at_risk_arrays(at_risk)
    inside = table_t <= t[-1]
    beyond = ~inside & (n_risk > 0)
    if beyond.any():
        _warn(f"at_risk: {beyond.sum()} of {len(table_t)} rows (times "
              f"{', '.join(f'{v:g}' for v in table_t[beyond])}, with "
              f"{', '.join(str(v) for v in n_risk[beyond])} at risk) lie beyond the curve's last "
              f"point (time {t[-1]:g}) and were not used. Do the curve and the table use the same "
              "time unit (read_digitised and read_at_risk both take time_unit)?")
    table_t, n_risk = table_t[inside], n_risk[inside].copy()
    if total_events is not None:
        total_events = check_whole("total_events", total_events, 0)
        if total_events > n_risk[0]:
            raise ValueError(
                f"total_events must be at most the {n_risk[0]} patients at risk at time 0; got {total_events}"
            )
        if total_events == 0 and s.min() < 1:
            raise ValueError(
                f"total_events=0, but the curve drops (to {s.min():g} by time {t[np.argmin(s)]:g}): "
                "pass the arm's reported number of deaths, or None if the paper does not give it"
            )
    return t, s, table_t, n_risk, total_events


def _fit_intervals(fit, lower, upper, n_risk):
    """Steps 1 to 4 of :func:`guyot` on every interval but the last. Where the curve's drops
    leave fewer at risk than the table prints, even with no censoring, the printed count is
    lowered, as in Guyot's code, and a :class:`ReconstructionWarning` names the time and both
    numbers. Returns the numbers censored per interval and the index
    of the last death before each interval."""
    t = fit.t
    m = len(lower)
    n_censor = np.zeros(m, dtype=int)
    last_i = np.zeros(m, dtype=int)
    for i in range(m - 1):
        nxt = lower[i + 1]
        last = _fit_interval(fit, i, lower, upper, n_risk, n_censor, last_i)
        if fit.nhat[nxt] >= n_risk[i + 1]:
            last_i[i + 1] = last
            continue
        reached, printed = int(fit.nhat[nxt]), int(n_risk[i + 1])
        _warn(f"at_risk: at time {t[nxt]:g} the table prints {printed} at risk, but the curve's "
              f"drops before then leave at most {reached}, even with nobody censored; the "
              f"rebuild uses {reached}, as Guyot's code lowers the printed count. Check the "
              f"clicks before time {t[nxt]:g} and the table's count there")
        n_risk[i + 1] = reached
        last_i[i + 1] = last
    return n_censor, last_i


def _fit_interval(fit, i, lower, upper, n_risk, n_censor, last_i) -> int:
    """Steps 1 to 4 on interval ``i``: censoring adjusted until the rebuilt number at risk at
    its end is the table's, or no censoring is left to remove. Returns the last death's index."""
    t, s, cen = fit.t, fit.s, fit.cen
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
    return last


def _fit_last_interval(fit, lower, upper, n_risk, n_censor, last_i, total_events):
    """The last interval, which has no number at risk at its end: censoring at the earlier
    intervals' average rate, as the paper assumes, adjusted to ``total_events`` if given; but
    never so much censoring that a drop clicked there loses its death (the paper's code can:
    issue 19, item 10f). A
    :class:`ReconstructionWarning` says when the rebuild's deaths differ from ``total_events``."""
    t, s, cen = fit.t, fit.s, fit.cen
    m = len(lower)
    lo, up, n_start = lower[-1], upper[-1], int(n_risk[-1])
    if m > 1:
        span = t[upper[-2]] - t[lower[0]]
        rate = n_censor[:-1].sum() / span if span > 0 else 0.0
        n_last = int(min(np.round(rate * (t[up] - t[lo])), n_start))
    else:
        n_last = 0

    def last_interval(n_cens):
        cen[lo:up] = _spread(n_cens, t[lo], t[up], t[lo:up + 1])
        fit.events(lo, up, n_start, last_i[-1], first_point=(m == 1), clamp=True)
        return int(fit.d[:up + 1].sum())

    n_last = max(n_last, 0)
    deaths = last_interval(n_last)
    before = int(fit.d[:lo].sum())
    if total_events is not None and before >= total_events:
        n_last = n_start  # as few deaths after as the drops allow (the paper's code: none)
    elif total_events is not None:
        for _ in range(MAX_ADJUSTMENTS):
            if not (deaths > total_events or (deaths < total_events and n_last > 0)):
                break
            n_last = min(max(n_last + deaths - total_events, 0), n_start)
            deaths = last_interval(n_last)
    fall = np.r_[s[lo - 1] if lo > 0 else 1.0, s[lo:up]] - s[lo:up + 1]
    drops = lo + np.flatnonzero(fall >= MIN_KEPT_DROP)
    n_last = min(n_last, _most_censored_keeping(drops, n_last, last_interval, fit))
    deaths = last_interval(n_last)
    if total_events is not None and deaths != total_events:
        _warn_total_events(total_events, deaths, before, t, lo, drops)


def _most_censored_keeping(drops, n_max, last_interval, fit) -> int:
    """The largest number censored in the last interval, at most ``n_max``, that leaves every
    clicked drop there a death that does not take the
    rebuilt curve below the click by more than half the drop (from 0.078 to 0.039 with 1 at
    risk, its death would end the curve at 0: it needs 2). By bisection: more censoring, fewer
    at risk."""
    s = fit.s
    fall = np.where(drops > 0, s[np.maximum(drops - 1, 0)], 1.0) - s[drops]
    lowest = s[drops] - fall / 2 - 1e-12

    def keeps(n):
        last_interval(n)
        return bool(((fit.d[drops] > 0) & (fit.km[drops] >= lowest)).all())

    if keeps(n_max):
        return n_max
    if not keeps(0):  # a drop too small for the patients left: as few censored as possible
        return 0
    good, bad = 0, n_max
    while bad - good > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if keeps(mid) else (good, mid)
    return good


def _warn_total_events(total_events, deaths, before, t, lo, drops):
    plural = "s" if len(drops) != 1 else ""
    clicked = (f"{len(drops)} drop{plural} clicked after it (at time{plural} "
               f"{', '.join(f'{v:g}' for v in t[drops][:5])}{' ...' if len(drops) > 5 else ''})")
    if deaths < total_events:
        why = (f"the curve's drops hold no more, even with nobody censored after time {t[lo]:g} "
               "(the last at-risk time)")
    elif before >= total_events:
        why = (f"the curve and the table before time {t[lo]:g} (the last at-risk time) already "
               f"imply {before}" + (f", and the {clicked} keep their deaths" if len(drops) else ""))
    else:
        why = (f"{before} before time {t[lo]:g} (the last at-risk time), and the {clicked} need "
               f"{deaths - before}: every clicked drop keeps its deaths")
    _warn(f"total_events={total_events}, but the rebuild has {deaths} deaths: {why}. Is "
          "total_events this arm's number of deaths, and are the clicks and the table right?")


def _patients(fit, n_start):
    """The rebuilt patients (deaths at the clicked times, censorings between clicks, those
    still at risk censored at the last click) and the table of the working."""
    t, s, d, cen = fit.t, fit.s, fit.d, fit.cen
    # At least 0 by construction (deaths never exceed those at risk, counts are clamped); the
    # max only guards a loop stopped by MAX_ADJUSTMENTS, never seen in the validation runs.
    remaining = max(int(n_start - d.sum() - cen.sum()), 0)
    mid = (t[:-1] + t[1:]) / 2
    time = np.r_[np.repeat(t, d), np.repeat(mid, cen[:-1]), np.full(remaining, t[-1])]
    event = np.r_[np.ones(d.sum(), int), np.zeros(cen[:-1].sum() + remaining, int)]
    order = np.argsort(time, kind="stable")
    ipd = pd.DataFrame({"time": time[order], "event": event[order]})
    ipd.attrs["source"] = SOURCE
    steps = pd.DataFrame(
        {"time": t, "survival": s, "at_risk": fit.nhat[:len(t)].astype(int), "events": d,
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
       left to remove: see below).

    Where even no censoring leaves fewer at risk than the table prints (a drop clicked just
    before an at-risk time, say), the printed count is lowered to the rebuilt one, as Guyot's
    code does, and a :class:`~edu_survival.reconstruct.ReconstructionWarning` names the time
    and both numbers. (Moving such drops to the table time cost accuracy on small trials.)

    The last interval has no number at risk at its end. Its censoring is assumed to go on at
    the average rate of the earlier intervals (censorings per unit time); when ``total_events``
    is given, that number censored is then adjusted until the total number of deaths matches
    it. Unlike the paper's code, the censoring never goes so far that a drop clicked in that
    interval (at least 0.01 tall, ``MIN_KEPT_DROP``) loses its death: when the earlier intervals
    already hold ``total_events`` deaths, or the curve holds fewer, the rebuild keeps what the
    curve shows, and a warning gives both totals.
    Deaths are placed at the clicked times, censorings at the midpoint between two clicked
    points, and the patients still at risk at the end are censored at the last clicked time.

    What is approximate: the censoring times within each interval (spread evenly, the real ones
    are unknown), deaths closer together than the clicks can resolve (merged into one time),
    every count (rounded to whole patients, as the paper does), and the last interval's
    censoring (assumed, unless ``total_events`` pins the deaths). Counts are rounded half to
    even, as R's ``round`` in the paper's code. Deviations from that code, all for robustness:
    a point is added at each at-risk time that has none; a negative number of deaths (the
    rebuilt curve already below a click) is taken as none; the adjustment loops stop after
    1,000 rounds (the paper's code may cycle for ever); and the last interval's drops kept
    (above).

    Parameters
    ----------
    curve : pandas.DataFrame
        Columns ``time`` and ``survival`` (a proportion), as :func:`read_digitised` returns;
        cleaned again here (sorted, non-increasing, starting at (0, 1)).
    at_risk : pandas.DataFrame
        Columns ``time`` and ``at_risk``: the published numbers at risk, first row at time 0.
        Rows after the curve's last point are not used (there is no curve to follow); a warning
        names them (a table in days against a curve in months?).
    total_events : int, optional
        The reported number of deaths in this arm, if the paper gives it (0 only for a curve
        that never drops).

    Warns
    -----
    ReconstructionWarning
        Where the clicks, the table and ``total_events`` contradict each other: where, and
        what the rebuild did.

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
    >>> from edu_survival.reconstruct import digitise
    >>> original = es.analyze(es.simulate(es.LAPATINIB, seed=1))
    >>> times = [0, 12, 24, 36, 48]
    >>> rebuilt = trial({arm: digitise(original.curves[arm], times, seed=2) for arm in original.arms})
    >>> es.analyze(rebuilt).n
    {'control': 160, 'treatment': 161}
    """
    if not isinstance(arms, Mapping) or len(arms) == 0:
        raise ValueError(f"arms must be a mapping arm -> (curve, at_risk) with at least one arm; got {arms!r:.80}")
    if total_events is not None and not isinstance(total_events, Mapping):
        raise ValueError("total_events must be None or a mapping arm -> reported number of deaths, "
                         f"e.g. {{'control': 120}}; got {total_events!r:.80}")
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
