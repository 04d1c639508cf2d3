"""What one trial shows: Kaplan–Meier curves, medians, hazard ratio and log-rank test.

:func:`analyze` works on simulated trials (from :func:`edu_survival.simulate`) and on real data
(for example lifelines' ``load_lung()`` grouped by ``sex``). The default engine calls lifelines for
every estimate; ``engine="numpy"`` computes the same numbers with this package's vectorised code
(checked against lifelines to 1e-10), which the live widgets use because it is several times faster.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from ._checks import check_fraction, check_number

ENGINES = ("lifelines", "numpy")
EVENT_CODINGS = ("01", "bool", "R")
MAX_LOG_HR_SE = 10.0


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
    band (exponential Greenwood, "log-log" in R) just after it.
    """

    time: np.ndarray
    survival: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray

    def at(self, t) -> np.ndarray:
        """Survival estimate at times ``t`` (right-continuous step function)."""
        idx = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right") - 1
        return self.survival[np.clip(idx, 0, None)]

    def number_at_risk(self, t) -> np.ndarray:
        """Patients still at risk (followed and alive) just before each time in ``t``."""
        t = np.asarray(t, dtype=float)
        idx = np.searchsorted(self.time, t, side="left")
        total = np.r_[self.at_risk, 0]
        # The at-risk count at a time not in the table is the count at the next observed time.
        return np.where(t <= 0, self.at_risk[0] if len(self.at_risk) else 0, total[idx])

    def cumulative(self, t, what: str) -> np.ndarray:
        """Number of ``events`` or ``censored`` up to and including each time in ``t``."""
        counts = {"events": self.events, "censored": self.censored}[what]
        idx = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right")
        return np.r_[0, np.cumsum(counts)][idx]


def kaplan_meier(time, event, alpha: float = 0.05) -> KMCurve:
    """Kaplan–Meier estimate with numpy, numerically identical to lifelines' ``KaplanMeierFitter``.

    Parameters
    ----------
    time : array of float
        Months from randomisation to death or censoring (>= 0).
    event : array of 0/1
        1 where the death was observed.
    alpha : float
        1 - confidence level of the band.

    Examples
    --------
    >>> curve = kaplan_meier([2.0, 3.0, 3.0, 5.0], [1, 1, 0, 1])
    >>> curve.survival.round(3).tolist()
    [1.0, 0.75, 0.5, 0.0]
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    order = np.argsort(time, kind="stable")
    time, event = time[order], event[order]
    distinct, first = np.unique(time, return_index=True)
    removed = np.diff(np.r_[first, len(time)])
    deaths = np.add.reduceat(event.astype(float), first) if len(time) else np.zeros(0)
    at_risk = len(time) - first
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.cumsum(np.log(at_risk - deaths) - np.log(at_risk))
        greenwood = np.cumsum(np.where(at_risk > deaths, deaths / (at_risk * (at_risk - deaths)), 0.0))
        survival = np.exp(log_s)
        z = stats.norm.ppf(1 - alpha / 2)
        v = np.log(survival)
        lower = np.exp(-np.exp(np.log(-v) - z * np.sqrt(greenwood) / v))
        upper = np.exp(-np.exp(np.log(-v) + z * np.sqrt(greenwood) / v))
    lower, upper = np.nan_to_num(lower, nan=1.0), np.nan_to_num(upper, nan=1.0)
    if len(distinct) == 0 or distinct[0] > 0:
        n = len(time)
        distinct = np.r_[0.0, distinct]
        survival, lower, upper = np.r_[1.0, survival], np.r_[1.0, lower], np.r_[1.0, upper]
        at_risk, deaths, removed = np.r_[n, at_risk], np.r_[0.0, deaths], np.r_[0, removed]
    return KMCurve(
        time=distinct,
        survival=survival,
        lower=lower,
        upper=upper,
        at_risk=at_risk.astype(int),
        events=deaths.astype(int),
        censored=(removed - deaths).astype(int),
    )


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


# ----- the result ------------------------------------------------------------------------
class _LazyFitters(Mapping):
    """``km[arm]``: lifelines ``KaplanMeierFitter`` per arm, fitted on first use and kept."""

    def __init__(self, analysis: Analysis, fitted: dict | None = None):
        self._analysis = analysis
        self._fitted = dict(fitted or {})

    def __getitem__(self, arm):
        if arm not in self._analysis.arms:
            raise KeyError(arm)
        if arm not in self._fitted:
            from lifelines import KaplanMeierFitter

            rows = self._analysis.data[self._analysis.data["arm"] == arm]
            self._fitted[arm] = KaplanMeierFitter(alpha=self._analysis.alpha).fit(
                rows["time"], rows["event"], label=str(arm)
            )
        return self._fitted[arm]

    def __iter__(self):
        return iter(self._analysis.arms)

    def __len__(self):
        return len(self._analysis.arms)


@dataclass
class Analysis:
    """Everything :func:`analyze` found in one two-arm data set (times in the data's unit).

    Per arm (dictionaries keyed by arm, reference arm first in ``arms``): ``n``, ``deaths``,
    ``censored``, ``km`` (lifelines ``KaplanMeierFitter``), ``curves`` (:class:`KMCurve`),
    ``median`` (:class:`Median`; ``inf`` when not reached), ``rmst`` (restricted mean survival
    time up to ``rmst_horizon``), ``observed`` and ``expected`` deaths under the log-rank test.
    Between arms: ``hr`` (other arm vs reference, Cox model, Efron ties) with ``hr_ci``,
    ``hr_se`` (of log HR) and Wald ``hr_p``; ``logrank_chi2``, ``logrank_p``; ``rmst_diff``
    (other arm minus reference). Where a number is undefined it is ``nan`` and
    ``problems`` says why in plain words.
    """

    data: pd.DataFrame
    arms: tuple
    labels: dict
    unit: str
    alpha: float
    engine: str
    n: dict
    deaths: dict
    censored: dict
    curves: dict
    median: dict
    rmst: dict
    rmst_horizon: float
    rmst_diff: float
    observed: dict
    expected: dict
    hr: float
    hr_ci: tuple
    hr_se: float
    hr_p: float
    logrank_chi2: float
    logrank_p: float
    problems: list = field(default_factory=list)
    simulated: bool = False
    scenario: object = None
    _km_fitted: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.km = _LazyFitters(self, self._km_fitted)

    @property
    def reference(self):
        """The reference (control) arm."""
        return self.arms[0]

    @property
    def other(self):
        """The compared (treatment) arm."""
        return self.arms[1]

    @property
    def total_deaths(self) -> int:
        return int(sum(self.deaths.values()))

    @property
    def total_n(self) -> int:
        return int(sum(self.n.values()))

    @property
    def hr_defined(self) -> bool:
        return math.isfinite(self.hr)

    def at_risk_table(self, times=None, counts=("at risk",)) -> pd.DataFrame:
        """Numbers at risk (and optionally ``"censored"``, ``"events"`` so far) at round times.

        Rows are ``(arm, count)`` pairs, columns the times; the layout printed under KM plots.
        """
        if times is None:
            times = nice_times(max(float(c.time[-1]) for c in self.curves.values()))
        times = np.asarray(times, dtype=float)
        rows = {}
        for arm in self.arms:
            curve = self.curves[arm]
            for what in counts:
                if what == "at risk":
                    values = curve.number_at_risk(times)
                elif what in ("censored", "events"):
                    values = curve.cumulative(times, what)
                else:
                    raise ValueError(f"counts must be 'at risk', 'censored' or 'events'; got {what!r}")
                rows[(self.labels[arm], what)] = values.astype(int)
        table = pd.DataFrame.from_dict(rows, orient="index", columns=[_fmt_time(t) for t in times])
        table.index = pd.MultiIndex.from_tuples(table.index, names=["arm", "count"])
        return table

    def summary(self) -> str:
        """A few plain sentences a learner can read."""
        ref, oth = self.reference, self.other
        lab = self.labels
        sentences = []
        med_o, med_r = self.median[oth], self.median[ref]
        level = round(100 * (1 - self.alpha))
        sentences.append(
            f"Median survival {_fmt_median(med_o, self.unit, level)} with {lab[oth]} vs "
            f"{_fmt_median(med_r, self.unit, level)} with {lab[ref]}."
        )
        if self.hr_defined:
            lo, hi = self.hr_ci
            sentences.append(
                f"Hazard ratio {lab[oth]} vs {lab[ref]} {self.hr:.2f} ({level}% CI {lo:.2f} to {hi:.2f})."
            )
        if math.isfinite(self.logrank_p):
            sentences.append(f"Log-rank {format_p(self.logrank_p)}.")
        sentences.append(
            f"{_plural(self.total_deaths, 'death')} among {_plural(self.total_n, 'patient')} "
            f"({lab[oth]}: {self.deaths[oth]} of {self.n[oth]}; {lab[ref]}: {self.deaths[ref]} of {self.n[ref]})."
        )
        sentences.extend(self.problems)
        if self.simulated:
            sentences.append("These data are simulated from assumed summary figures, not patient data.")
        return " ".join(sentences)

    def __str__(self) -> str:
        return self.summary()

    def to_frame(self) -> pd.DataFrame:
        """Per-arm numbers as a small table."""
        level = round(100 * (1 - self.alpha))
        rows = []
        for arm in self.arms:
            m = self.median[arm]
            rows.append(
                {
                    "arm": self.labels[arm],
                    "patients": self.n[arm],
                    "deaths": self.deaths[arm],
                    "censored": self.censored[arm],
                    f"median ({self.unit})": _fmt_median(m, "", level),
                    f"RMST to {_fmt_time(self.rmst_horizon)} {self.unit}": round(self.rmst[arm], 1),
                }
            )
        table = pd.DataFrame(rows).set_index("arm")
        table.attrs["level"] = level
        return table

    def _repr_html_(self) -> str:
        return (
            self.to_frame().to_html()
            + f"<p>{html.escape(self.summary())}</p>"
        )


# ----- formatting helpers shared by summaries, plots and widgets ---------------------------
def format_p(p: float) -> str:
    """``"p = 0.019"``, ``"p < 0.001"``: two significant figures, three near 0.05 so that
    rounding never puts a p-value on the other side of the usual threshold."""
    if not math.isfinite(p):
        return "p undefined"
    if p < 0.001:
        return "p < 0.001"
    # "#" keeps trailing zeros: 0.09999 reads "0.10", not "0.1".
    if 0.045 <= p < 0.055:
        return f"p = {p:#.3g}"
    return f"p = {p:#.2g}"


def _fmt_time(t: float) -> str:
    return f"{t:g}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _fmt_median(m: Median, unit: str, level: int = 95) -> str:
    unit = f" {unit}" if unit else ""
    if not m.reached:
        return "not reached"
    upper = "not reached" if not math.isfinite(m.upper) else f"{m.upper:.1f}"
    lower = "not reached" if not math.isfinite(m.lower) else f"{m.lower:.1f}"
    return f"{m.estimate:.1f}{unit} ({level}% CI {lower} to {upper})"


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


# ----- input checks ------------------------------------------------------------------------
def _plain(value):
    """A numpy scalar as the plain Python value, so messages say 0, not np.int64(0)."""
    return value.item() if isinstance(value, np.generic) else value


def _check_times(data: pd.DataFrame, duration: str) -> np.ndarray:
    """The duration column as floats, refusing text, booleans, NaN, inf and negative times."""
    time = data[duration]
    if not pd.api.types.is_numeric_dtype(time) or pd.api.types.is_bool_dtype(time):
        raise ValueError(f"duration column {duration!r} must be numeric (months); got dtype {time.dtype}")
    time = time.to_numpy(dtype=float)
    bad = ~np.isfinite(time) | (time < 0)
    if bad.any():
        raise ValueError(
            f"duration column {duration!r} must hold finite times >= 0; "
            f"{int(bad.sum())} do not (first: {float(time[bad][0])!r} in row {_plain(data.index[bad][0])!r})"
        )
    return time


def _check_events(data: pd.DataFrame, event: str, event_coding: str = "01") -> np.ndarray:
    """The event column as 0/1 integers, in the coding ``event_coding`` names."""
    raw = data[event]
    if raw.isna().any():
        raise ValueError(f"event column {event!r} has {int(raw.isna().sum())} missing values")
    is_bool = pd.api.types.is_bool_dtype(raw)
    if event_coding == "bool":
        if not is_bool:
            raise ValueError(f"event_coding='bool' needs a boolean event column; {event!r} is {raw.dtype}")
        ev = raw.to_numpy(dtype=int)
    else:
        if is_bool:
            raise ValueError(
                f"event column {event!r} is boolean; pass event_coding='bool' to accept True = death"
            )
        values = {_plain(v) for v in pd.unique(raw)}
        allowed = {0, 1} if event_coding == "01" else {1, 2}
        if not values <= allowed:
            hint = (
                " (R's Surv() coding 1 = censored, 2 = death? pass event_coding='R')"
                if event_coding == "01" and values <= {1, 2}
                else ""
            )
            raise ValueError(
                f"event column {event!r} must hold only {sorted(allowed)}; "
                f"found {sorted(values, key=str)}{hint}"
            )
        ev = raw.to_numpy(dtype=int) - (1 if event_coding == "R" else 0)
    return ev


def _clean(data, duration, event, group, control, event_coding):
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    missing = [c for c in (duration, event, group) if c not in data.columns]
    if missing:
        raise ValueError(
            f"column(s) {missing} not in data; the columns are {list(data.columns)} "
            "(name them with duration=, event=, group=)"
        )
    if event_coding not in EVENT_CODINGS:
        raise ValueError(f"event_coding must be one of {EVENT_CODINGS}; got {event_coding!r}")
    if len(data) == 0:
        raise ValueError("data has no rows")

    time = _check_times(data, duration)
    ev = _check_events(data, event, event_coding)

    groups = data[group]
    if groups.isna().any():
        raise ValueError(f"group column {group!r} has {int(groups.isna().sum())} missing values")
    # Plain Python values, so arms print as 1 and "control", not np.int64(1).
    levels = sorted(
        (_plain(v) for v in pd.unique(groups)),
        key=lambda v: (str(type(v)), v),
    )
    as_text = {str(v) for v in levels}
    if len(as_text) < len(levels):
        twins = sorted({str(v) for v in levels if sum(str(w) == str(v) for w in levels) > 1})
        raise ValueError(
            f"group column {group!r} holds values that print alike but differ in type "
            f"({[v for v in levels if str(v) in twins]}): make the column one type, e.g. all strings"
        )
    same = [v for v in levels if v == control]
    if control is not None and same and isinstance(control, (bool, np.bool_)) != isinstance(same[0], bool):
        raise ValueError(
            f"control={control!r} is a {type(control).__name__} but group column {group!r} holds "
            f"{type(same[0]).__name__} values; pass control={same[0]!r}"
        )
    if control is not None and control not in levels:
        raise ValueError(f"control={control!r} has no patients in group column {group!r}; levels are {levels}")
    if len(levels) != 2:
        raise ValueError(
            f"group column {group!r} must have exactly two levels (the two arms); "
            f"it has {len(levels)}: {levels[:10]}"
        )
    if control is None:
        control = "control" if "control" in levels else levels[0]
    arms = (control, levels[1] if levels[0] == control else levels[0])
    clean = pd.DataFrame({"time": time, "event": ev, "arm": groups.to_numpy()}, index=data.index)
    return clean, arms


# ----- the analysis ------------------------------------------------------------------------
def analyze(
    data: pd.DataFrame,
    duration: str = "time",
    event: str = "event",
    group: str = "arm",
    control=None,
    alpha: float = 0.05,
    *,
    labels: dict | None = None,
    unit: str | None = None,
    rmst_horizon: float | None = None,
    event_coding: str = "01",
    engine: str = "lifelines",
) -> Analysis:
    """Analyse a two-arm survival data set: KM curves, medians, RMST, Cox HR, log-rank test.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per patient, e.g. from :func:`edu_survival.simulate`.
    duration, event, group : str
        Column names: time to death or censoring (>= 0), death observed (0/1), arm.
    control : optional
        The reference level of ``group``. Default: ``"control"`` if present, else the first
        level in sorted order.
    alpha : float
        1 - confidence level of every interval (0.05 gives 95% intervals).
    labels : dict, optional
        How to name each arm in sentences, e.g. ``{"treatment": "lapatinib"}``.
    unit : str, optional
        Unit of the times for sentences; "months" for simulated data, else "time units".
    rmst_horizon : float, optional
        Horizon of the restricted mean survival time. Default: the shorter of the two arms'
        longest follow-up, so both curves are defined up to it.
    event_coding : {"01", "bool", "R"}
        "01": 1 death, 0 censored. "bool": True death. "R": R's ``Surv()`` 2 death, 1 censored.
    engine : {"lifelines", "numpy"}
        Who computes the numbers: lifelines (default), or this package's vectorised code,
        which gives the same numbers (tested to 1e-10) several times faster.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> import edu_survival as es
    >>> result = es.analyze(es.simulate(es.LAPATINIB, seed=1))
    >>> result.arms
    ('control', 'treatment')
    >>> result.n["treatment"], round(result.hr, 2)
    (161, 0.8)
    """
    alpha = check_fraction("alpha", alpha)
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}; got {engine!r}")
    clean, arms = _clean(data, duration, event, group, control, event_coding)
    simulated = "scenario" in getattr(data, "attrs", {})
    if unit is None:
        unit = "months" if simulated else "time units"
    names = {arm: str(arm) for arm in arms}
    if labels:
        unknown = set(labels) - set(arms)
        if unknown:
            raise ValueError(f"labels name arms {sorted(map(str, unknown))} not in the data; arms are {list(arms)}")
        names.update({k: str(v) for k, v in labels.items()})

    treated = (clean["arm"] == arms[1]).to_numpy()
    time, ev = clean["time"].to_numpy(), clean["event"].to_numpy()
    n = {arm: int((clean["arm"] == arm).sum()) for arm in arms}
    deaths = {arm: int(ev[clean["arm"].to_numpy() == arm].sum()) for arm in arms}
    censored = {arm: n[arm] - deaths[arm] for arm in arms}
    arm_mask = {arms[0]: ~treated, arms[1]: treated}

    curves = {arm: kaplan_meier(time[arm_mask[arm]], ev[arm_mask[arm]], alpha) for arm in arms}
    horizon_default = min(float(time[arm_mask[arm]].max()) for arm in arms)
    if rmst_horizon is None:
        rmst_horizon = horizon_default
    else:
        # Beyond the shorter follow-up one curve would be extrapolated flat: refuse.
        rmst_horizon = check_number(
            "rmst_horizon", rmst_horizon,
            f"> 0 and at most {horizon_default:g} {unit} (the shorter arm's longest follow-up)",
            lambda v: 0 < v <= horizon_default,
        )

    problems = []
    km_fitted = {}
    if engine == "lifelines":
        from lifelines import KaplanMeierFitter
        from lifelines.utils import median_survival_times, restricted_mean_survival_time

        median, rmst = {}, {}
        for arm in arms:
            kmf = KaplanMeierFitter(alpha=alpha).fit(time[arm_mask[arm]], ev[arm_mask[arm]], label=str(arm))
            km_fitted[arm] = kmf
            ci = median_survival_times(kmf.confidence_interval_).to_numpy().ravel()
            median[arm] = Median(float(kmf.median_survival_time_), float(ci[0]), float(ci[1]))
            rmst[arm] = float(restricted_mean_survival_time(kmf, t=rmst_horizon)) if rmst_horizon > 0 else 0.0
    else:
        median = {arm: median_of(curves[arm]) for arm in arms}
        rmst = {arm: rmst_of(curves[arm], rmst_horizon) for arm in arms}

    nan = float("nan")
    chi2 = p_lr = nan
    observed = dict(deaths)
    expected = {arm: nan for arm in arms}
    hr = hr_se = hr_p = nan
    hr_ci = (nan, nan)

    total_deaths = sum(deaths.values())
    if total_deaths == 0:
        problems.append("No deaths yet: hazard ratio and log-rank test undefined.")
    else:
        chi2, p_lr, exp_ref = _logrank(time, ev, treated, engine)
        expected = {arms[0]: exp_ref, arms[1]: total_deaths - exp_ref}
        if chi2 == 0 and _logrank_has_no_information(time, ev, treated):
            problems.append(
                "The log-rank test has no information here (its variance is 0: every death came "
                "when one arm had nobody left at risk, or everyone still at risk died at once), so "
                "it cannot compare the arms; p = 1 by convention, as in lifelines."
            )
        empty = [names[arm] for arm in arms if deaths[arm] == 0]
        if empty:
            problems.append(
                f"No deaths in the {empty[0]} arm: hazard ratio undefined "
                "(the Cox model cannot estimate a ratio with zero)."
            )
        else:
            fitted = _cox(time, ev, treated, alpha, engine)
            if fitted is None:
                problems.append(
                    "Hazard ratio cannot be estimated: the deaths fall so unevenly between the "
                    "arms that the Cox estimate runs off towards 0 or infinity (too few deaths)."
                )
            else:
                hr, hr_se, hr_ci, hr_p = fitted
    for arm in arms:
        if not median[arm].reached:
            problems.append(
                f"Median survival not reached with {names[arm]}: the Kaplan–Meier curve is still "
                "above one half at the end of follow-up."
            )
    return Analysis(
        data=clean,
        arms=arms,
        labels=names,
        unit=unit,
        alpha=alpha,
        engine=engine,
        n=n,
        deaths=deaths,
        censored=censored,
        curves=curves,
        median=median,
        rmst=rmst,
        rmst_horizon=float(rmst_horizon),
        rmst_diff=rmst[arms[1]] - rmst[arms[0]],
        observed=observed,
        expected=expected,
        hr=hr,
        hr_ci=hr_ci,
        hr_se=hr_se,
        hr_p=hr_p,
        logrank_chi2=chi2,
        logrank_p=p_lr,
        problems=problems,
        simulated=simulated,
        scenario=data.attrs.get("scenario"),
        _km_fitted=km_fitted,
    )


def _logrank(time, ev, treated, engine):
    """Log-rank chi-square, p and the expected deaths in the reference arm."""
    if engine == "lifelines":
        from lifelines.statistics import logrank_test

        result = logrank_test(time[~treated], time[treated], ev[~treated], ev[treated])
        chi2, p = float(result.test_statistic), float(result.p_value)
    else:
        from .montecarlo import logrank_many

        chi2, p = (float(np.asarray(v).ravel()[0]) for v in logrank_many(time, ev, treated))
        if not math.isfinite(chi2):  # no information: lifelines reports chi2 0, p 1
            chi2, p = 0.0, 1.0
    return chi2, p, _expected_deaths(time, ev, ~treated)


def _logrank_has_no_information(time, ev, treated) -> bool:
    """True when the log-rank variance is 0 (the test cannot compare the arms)."""
    from .montecarlo import logrank_many

    return not math.isfinite(float(np.asarray(logrank_many(time, ev, treated)[0]).ravel()[0]))


def _expected_deaths(time, ev, in_group) -> float:
    """Deaths expected in one group if both groups had the same hazard (sum of d * n_g / n)."""
    order = np.argsort(time, kind="stable")
    t, e, g = time[order], ev[order], in_group[order]
    distinct, first = np.unique(t, return_index=True)
    at_risk = len(t) - first
    at_risk_group = np.r_[np.cumsum(g[::-1])[::-1], 0][first]
    d = np.add.reduceat(e.astype(float), first)
    return float(np.sum(d * at_risk_group / at_risk))


def _cox(time, ev, treated, alpha, engine):
    """Hazard ratio (treated vs reference), SE of log HR, CI and Wald p."""
    if engine == "lifelines":
        import warnings

        from lifelines import CoxPHFitter
        from lifelines.exceptions import ConvergenceError, ConvergenceWarning

        frame = pd.DataFrame({"time": time, "event": ev, "treated": treated.astype(float)})
        # Divergence is detected below and reported in words, so lifelines' warnings about it
        # would only repeat it to the learner.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                # lifelines' default stopping rule leaves the HR up to ~3e-4 from the maximum;
                # a tighter one makes both engines agree to 1e-8.
                cph = CoxPHFitter(alpha=alpha).fit(
                    frame, "time", "event", fit_options={"precision": 1e-12, "r_precision": 1e-12}
                )
            except ConvergenceError:
                return None
        beta = float(cph.params_["treated"])
        se = float(cph.standard_errors_["treated"])
        p = float(cph.summary.loc["treated", "p"])
    else:
        from .montecarlo import cox_many

        res = cox_many(time, ev, treated)
        beta, se = float(np.ravel(res.log_hr)[0]), float(np.ravel(res.se)[0])
        p = float(np.ravel(res.p)[0])
    # A standard error this large means the partial likelihood has no maximum (monotone
    # likelihood): even one death per arm gives a standard error near 1.4.
    if not (math.isfinite(beta) and math.isfinite(se)) or se > MAX_LOG_HR_SE:
        return None
    z = stats.norm.ppf(1 - alpha / 2)
    return math.exp(beta), se, (math.exp(beta - z * se), math.exp(beta + z * se)), p
