"""How close a reconstruction gets: a simulated person digitising a figure, round trips through
the algorithm, and the accuracy studies quoted in :mod:`edu_survival.reconstruct`.

:func:`digitise` plays the person with the mouse; :func:`compare` puts an original trial and
its reconstruction side by side; :func:`round_trip` chains figure, clicks, rebuild and
comparison for a data set whose true patients are known; :func:`accuracy_runs` repeats it over
many digitisations of the :data:`VALIDATION_SETS`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from .._checks import check_number, check_seed, check_whole
from ..analyze import Analysis, KMCurve, analyze, kaplan_meier, nice_times
from .guyot import trial
from .read import TIME_WINDOW

GAP_AT_RISK = 10  # compare's second gap: only where at least this many are still followed

MAX_JITTER = 0.005
"""The largest hand jitter :func:`digitise` takes, as a share of the plot area's smaller side
(1.75 pixels on 500 by 350)."""


class Digitised(NamedTuple):
    """What a person takes from one arm of a printed figure: the clicked points and the table."""

    curve: pd.DataFrame
    at_risk: pd.DataFrame


def _as_km(km, name: str = "km") -> KMCurve:
    if isinstance(km, KMCurve):
        return km
    if hasattr(km, "durations") and hasattr(km, "event_observed"):  # lifelines KaplanMeierFitter
        return kaplan_meier(np.asarray(km.durations), np.asarray(km.event_observed))
    raise ValueError(
        f"{name} must be a KMCurve (analysis.curves[arm]) or a lifelines KaplanMeierFitter "
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
        Standard deviation of a click's error in pixels, from 0 (a perfect hand) to 0.5% of the
        plot area's smaller side (1.75 on 500 by 350, ``MAX_JITTER``): beyond it, clicks stray
        further than the readers take as hand error.
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
    width, height, jitter = _hand(resolution, jitter)
    last_time = float(curve.time[-1])
    if t_max is None:
        t_max = last_time if last_time > 0 else 1.0
    t_max = check_number("t_max", t_max, f"> 0 and at least the curve's last time {last_time:g}",
                         lambda v: v > 0 and v >= last_time)
    times = _table_times(at_risk_times)
    drops = np.flatnonzero(np.diff(curve.survival) < 0) + 1
    corner_t = np.r_[0.0, np.repeat(curve.time[drops], 2), last_time]
    corner_s = np.r_[1.0, np.column_stack([curve.survival[drops - 1], curve.survival[drops]]).ravel(),
                     curve.survival[-1]]
    rng = np.random.default_rng(check_seed(seed))
    px = np.round(corner_t / t_max * width + rng.normal(0, jitter, len(corner_t)) if jitter else corner_t / t_max * width)
    py = np.round(corner_s * height + rng.normal(0, jitter, len(corner_s)) if jitter else corner_s * height)
    pixels = pd.DataFrame({"x": px, "y": py}).drop_duplicates()
    clicks = pd.DataFrame({"time": pixels["x"].to_numpy() * t_max / width,
                           "survival": pixels["y"].to_numpy() / height})
    clicks = clicks.sort_values("time", kind="stable").reset_index(drop=True)
    table = pd.DataFrame({"time": times, "at_risk": curve.number_at_risk(times).astype(int)})
    return Digitised(clicks, table)


def _hand(resolution, jitter) -> tuple[int, int, float]:
    """The plot area's width and height in pixels, and the hand's jitter, checked: at most
    ``MAX_JITTER`` of the smaller side, so that a click strays beyond the 2% of an axis
    that the readers take as hand error (left of the time axis, off the curve) only 4 standard
    deviations out."""
    try:
        width, height = (int(v) for v in resolution)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"resolution must be (width, height) in pixels, each >= 50; got {resolution!r}") from None
    if width < 50 or height < 50 or tuple(resolution) != (width, height):
        raise ValueError(f"resolution must be (width, height) in whole pixels, each >= 50; got {resolution!r}")
    side = min(width, height)
    most = MAX_JITTER * side
    jitter = check_number("jitter", jitter, f"a number of pixels from 0 to {most:g} ({MAX_JITTER:.1%} of the "
                          f"plot area's smaller side, {side} px: a hand that strays further puts clicks "
                          "beyond the 2% of an axis that read_digitised and guyot take as hand error)",
                          lambda v: 0 <= v <= most)
    return width, height, jitter


def _table_times(at_risk_times) -> np.ndarray:
    """The at-risk table's times as floats: finite real numbers, from 0, increasing."""
    try:
        times = np.asarray(at_risk_times)
        ok = times.ndim == 1 and len(times) > 0 and times.dtype.kind in "iuf"
        times = times.astype(float) if ok else times
    except (TypeError, ValueError):
        ok = False
    if not (ok and np.isfinite(times).all() and times[0] == 0 and (np.diff(times) > 0).all()):
        raise ValueError("at_risk_times must start at 0 and increase (finite times, e.g. [0, 12, 24]); "
                         f"got {at_risk_times!r:.80}")
    return times


def largest_gap(a: KMCurve, b: KMCurve, min_at_risk: int = 0, time_tolerance: float = 0.0) -> float:
    """Largest vertical distance between two Kaplan–Meier curves, up to the shorter one's end.

    Both are step functions, constant between the union of their jump times, so the largest
    gap is found at one of those times. With ``min_at_risk``, only times at which at least
    that many patients are still at risk in ``a`` count (the tail, where one patient is a
    big step, left out). With ``time_tolerance`` (in the curves' time unit), ``b`` may be
    shifted by up to that much in time at each point: a drop rebuilt half a pixel early or
    late then counts as the small error it is, not as the whole height of the drop.

    Examples
    --------
    >>> a = kaplan_meier([1.0, 1.0, 3.0, 3.0], [1, 1, 1, 1])
    >>> b = kaplan_meier([2.0, 2.5, 2.5, 2.5], [1, 0, 0, 0])
    >>> largest_gap(a, b)
    0.5
    >>> largest_gap(a, kaplan_meier([1.1, 1.1, 3.0, 3.0], [1, 1, 1, 1]), time_tolerance=0.2)
    0.0
    """
    a, b = _as_km(a, "a"), _as_km(b, "b")
    min_at_risk = check_whole("min_at_risk", min_at_risk, 0)
    tol = check_number("time_tolerance", time_tolerance, "a time >= 0", lambda v: v >= 0)
    end = min(a.time[-1], b.time[-1])
    grid = np.union1d(a.time, np.r_[b.time, b.time - tol, b.time + tol])
    grid = grid[(grid >= 0) & (grid <= end)]
    if min_at_risk:
        grid = grid[a.number_at_risk(grid) >= min_at_risk]
    if len(grid) == 0:
        return 0.0
    here = a.at(grid)
    above, below = b.at(np.maximum(grid - tol, 0.0)), b.at(grid + tol)  # b's band within the tolerance
    return float(np.max(np.maximum.reduce([here - above, below - here, np.zeros(len(grid))])))


def _as_analysis(x, name, control=None, engine="lifelines") -> Analysis:
    if isinstance(x, Analysis):
        if x.engine == engine and x.alpha == 0.05 and (control is None or control == x.reference):
            return x
        return analyze(x.data, control=x.reference if control is None else control, engine=engine)
    if isinstance(x, pd.DataFrame):
        return analyze(x, control=control, engine=engine)
    raise ValueError(f"{name} must be an Analysis or a DataFrame with columns arm, time, event; got {type(x).__name__}")


def _unit_and_tolerance(first, second, unit, time_tolerance) -> tuple[str, float]:
    if unit is None:
        unit = first.unit if first.unit != "time units" else "months"
    elif not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit must be a non-empty string such as 'months' or 'days'; got {unit!r}")
    if time_tolerance is None:
        axis = max(float(c.time[-1]) for res in (first, second) for c in res.curves.values())
        time_tolerance = TIME_WINDOW * axis
    return unit, check_number("time_tolerance", time_tolerance, f"a time in {unit} >= 0", lambda v: v >= 0)


def compare(original, reconstructed, engine: str = "lifelines", unit: str | None = None,
            time_tolerance: float | None = None) -> pd.DataFrame:
    """The original trial and its reconstruction, side by side.

    Both are analysed with :func:`edu_survival.analyze` (the same reference arm, the same RMST
    horizon: the shorter of the two default horizons).

    Parameters
    ----------
    original, reconstructed : Analysis or pandas.DataFrame
        Data with columns ``arm``, ``time``, ``event`` (or their analyses).
    engine : {"lifelines", "numpy"}
        Passed to ``analyze`` (the same numbers to 1e-10; numpy is faster for many runs).
    unit : str, optional
        The unit of the times, named in the row labels: default the original's (``analyze``'s
        ``unit``), or "months" when that is unknown (:func:`read_digitised` gives months).
    time_tolerance : float, optional
        The time shift the third gap row allows (see :func:`largest_gap`); default 1% of the
        longer curve's time axis (5 pixels of a 500-pixel figure).

    Returns
    -------
    pandas.DataFrame
        Rows: patients and deaths, median and RMST per arm, the hazard ratio with its
        confidence limits, the log-rank chi-square and p, and per arm the largest vertical gap
        between the two Kaplan–Meier curves: over the whole curve, only where at least 10
        patients are still at risk in the original, and over the whole curve allowing a shift
        of ``time_tolerance`` in time (a drop half a pixel off is then not a gap of its whole
        height). Columns ``original``, ``reconstructed`` and ``difference`` (reconstructed minus
        original; for the gap rows, the gap itself). ``attrs`` records ``unit`` and
        ``time_tolerance``.

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
    unit, time_tolerance = _unit_and_tolerance(first, second, unit, time_tolerance)
    level = round(100 * (1 - first.alpha))
    rows = {}
    for arm in first.arms:
        rows[f"patients ({arm})"] = (first.n[arm], second.n[arm])
        rows[f"deaths ({arm})"] = (first.deaths[arm], second.deaths[arm])
    for arm in first.arms:
        rows[f"median ({arm})"] = (first.median[arm].estimate, second.median[arm].estimate)
    for arm in first.arms:
        rows[f"RMST to {round(horizon, 1):g} {unit} ({arm})"] = (first.rmst[arm], second.rmst[arm])
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
    for arm in first.arms:
        gap = largest_gap(first.curves[arm], second.curves[arm], time_tolerance=time_tolerance)
        table.loc[f"largest KM gap within ±{time_tolerance:.3g} {unit} ({arm})"] = (math.nan, math.nan, gap)
    table.attrs.update(rmst_horizon=horizon, unit=unit, time_tolerance=time_tolerance)
    return table


def _check_flag(name: str, value) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False (whether the paper reports each arm's "
                         f"number of deaths); got {value!r}")


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
    at_risk_times = _table_times(at_risk_times)
    seed = 0 if seed is None else check_seed(seed, generator_ok=False)
    _check_flag("total_events", total_events)
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
    if not isinstance(table, pd.DataFrame) or "hazard ratio" not in table.index:
        raise ValueError(f"table must be a compare() table (rows such as 'hazard ratio'); got {type(table).__name__}")
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
        from ..scenario import LAPATINIB
        from ..simulate import simulate

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
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise ValueError(f"seeds must be a sequence of seeds (whole numbers >= 0), e.g. range(30); got {seeds!r}")
    seeds = [check_seed(seed, generator_ok=False) for seed in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed (whole numbers >= 0), e.g. range(30); got none")
    rows = []
    for seed in seeds:
        data = validation_data(name, seed)
        control = "none" if name == "gbsg2" else None
        original = analyze(data, control=control, engine="numpy")
        table = round_trip(original, seed=seed, total_events=total_events, engine="numpy", **digitising)
        rows.append({"seed": seed, **round_trip_errors(table)})
    return pd.DataFrame(rows).set_index("seed")


def _figure_times(analysis: Analysis) -> np.ndarray:
    # The at-risk times a figure of this analysis prints (as plot_km and at_risk_table do).
    return nice_times(max(float(c.time[-1]) for c in analysis.curves.values()))


def rebuild(analysis: Analysis, seed: int = 0, total_events: bool = False, **digitising) -> pd.DataFrame:
    """Digitise both arms of an analysis's figure and rebuild the trial (arm, time, event).

    The at-risk times are the ones its figure prints; ``digitising`` goes to :func:`digitise`.
    """
    if not isinstance(analysis, Analysis):
        raise ValueError(f"analysis must be an Analysis (from edu_survival.analyze); got {type(analysis).__name__}")
    seed = check_seed(seed, generator_ok=False)
    seed = 0 if seed is None else seed
    _check_flag("total_events", total_events)
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
