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
class FollowUp:
    """Median follow-up by the reverse Kaplan–Meier method, overall and per arm.

    The reverse Kaplan–Meier curve treats censoring as the event and deaths as censored: its
    median is how long patients *would have been* followed had none died (Schemper and Smith,
    Controlled Clinical Trials 1996). Each value is a :class:`Median` with its CI.
    """

    overall: Median
    per_arm: dict
    unit: str = "months"

    def sentence(self, level: int = 95) -> str:
        """``"Median follow-up 23.4 months (reverse Kaplan–Meier; 95% CI 21.0 to 25.1)."``"""
        m = self.overall
        if not m.reached:
            return (
                "Median follow-up not reached (reverse Kaplan–Meier): had they not died, more than "
                "half the patients would still have been followed at the end of the data."
            )
        lower = "not reached" if not math.isfinite(m.lower) else f"{m.lower:.1f}"
        upper = "not reached" if not math.isfinite(m.upper) else f"{m.upper:.1f}"
        return (
            f"Median follow-up {m.estimate:.1f} {self.unit} (reverse Kaplan–Meier; {level}% CI "
            f"{lower} to {upper})."
        )


PH_TRANSFORMS = ("rank", "km", "identity", "log")
LOGRANK_WEIGHTINGS = (None, "fleming-harrington", "wilcoxon", "tarone-ware", "peto")
_TRANSFORM_WORDS = {
    "rank": "the rank of the death times",
    "km": "one minus the Kaplan–Meier curve",
    "identity": "time itself",
    "log": "log time",
}


@dataclass(frozen=True)
class PHTest:
    """Result of :meth:`Analysis.ph_test`: chi-square ``statistic`` (1 df), ``p``, ``transform``."""

    statistic: float
    p: float
    transform: str
    alpha: float = 0.05

    @property
    def sentence(self) -> str:
        """What the test says, and what it cannot say."""
        verdict = (
            "the hazard ratio seems to change over time, so a single hazard ratio summarises the "
            "trial poorly"
            if self.p < self.alpha
            else "no clear sign that the hazard ratio changes over time (which does not prove it "
            "is constant: the test has little power with few deaths)"
        )
        return (
            f"Proportional hazards test (scaled Schoenfeld residuals against "
            f"{_TRANSFORM_WORDS[self.transform]}, transform={self.transform!r}): chi-square "
            f"{self.statistic:.2f} on 1 degree of freedom, {format_p(self.p)}; {verdict}."
        )

    def __str__(self) -> str:
        return self.sentence


@dataclass(frozen=True)
class HRByPeriod:
    """Result of :meth:`Analysis.hr_by_period`: a ``table`` with one row per period, a ``sentence``."""

    table: pd.DataFrame
    cut: float
    unit: str
    level: int
    other: str
    reference: str

    @property
    def sentence(self) -> str:
        before, after = self.table.iloc[0], self.table.iloc[1]
        return (
            f"Hazard ratio {self.other} vs {self.reference}: {before.hr:.2f} ({self.level}% CI "
            f"{before.lower:.2f} to {before.upper:.2f}) in the first {_fmt_time(self.cut)} {self.unit}, "
            f"{after.hr:.2f} ({self.level}% CI {after.lower:.2f} to {after.upper:.2f}) after "
            f"(among patients still alive then). Under proportional hazards both estimate the same ratio."
        )

    def __str__(self) -> str:
        return f"{self.table.attrs['caption']}\n{self.table.round(3).to_string()}\n{self.sentence}"

    def _repr_html_(self) -> str:
        from .tables import captioned_html

        return captioned_html(self.table) + f"<p>{html.escape(self.sentence)}</p>"


@dataclass(frozen=True)
class LogRankResult:
    """Result of :meth:`Analysis.logrank`: chi-square ``statistic`` (1 df), ``p``, ``weighting``."""

    statistic: float
    p: float
    weighting: str | None
    fh_p: float | None = None
    fh_q: float | None = None

    @property
    def sentence(self) -> str:
        if self.weighting is None:
            name, focus = "Log-rank test", "every death counts the same"
        elif self.weighting == "fleming-harrington":
            name = f"Fleming–Harrington weighted log-rank test (p={self.fh_p:g}, q={self.fh_q:g})"
            focus = (
                "later deaths count more, which suits an effect that starts late"
                if self.fh_q > self.fh_p
                else "earlier deaths count more"
                if self.fh_p > self.fh_q
                else "deaths in the middle of the curve count most"
                if self.fh_p > 0
                else "every death counts the same"
            )
        else:
            name, focus = f"Weighted log-rank test ({self.weighting})", "earlier deaths count more"
        return (
            f"{name}: chi-square {self.statistic:.2f} on 1 degree of freedom, {format_p(self.p)} "
            f"({focus}; choose the weighting before seeing the data)."
        )

    def __str__(self) -> str:
        return self.sentence


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


def _z(alpha: float) -> float:
    return float(stats.norm.ppf(1 - alpha / 2))


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

    Uncertainty: ``rmst_se[arm]`` and ``rmst_ci[arm]`` (Greenwood-type variance of the area
    under the Kaplan–Meier curve, :func:`rmst_variance`), ``rmst_diff_se`` and
    ``rmst_diff_ci`` (the arms are independent, so the variances add). ``follow_up`` is the
    median follow-up by reverse Kaplan–Meier (:class:`FollowUp`). ``time_label`` names the time
    axis, e.g. "months since randomisation".
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
    rmst_se: dict = field(default_factory=dict)
    rmst_ci: dict = field(default_factory=dict)
    rmst_diff_se: float = float("nan")
    rmst_diff_ci: tuple = (float("nan"), float("nan"))
    follow_up: FollowUp | None = None
    time_label: str = "time since the start of follow-up"
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
        both_unreached = [s for s in self.problems if s.startswith("Median survival not reached in either")]
        if both_unreached:  # said once, where the medians belong
            sentences.extend(both_unreached)
        else:
            sentences.append(
                f"Median survival {_fmt_median(med_o, self.unit, level)} with {lab[oth]} vs "
                f"{_fmt_median(med_r, self.unit, level)} with {lab[ref]}."
            )
        if self.follow_up is not None:
            sentences.append(self.follow_up.sentence(level))
        if math.isfinite(self.rmst_diff_se):
            lo, hi = self.rmst_diff_ci
            sentences.append(
                f"Restricted mean survival to {_fmt_time(round(self.rmst_horizon, 1))} {self.unit}: "
                f"{self.rmst[oth]:.1f} with {lab[oth]} vs {self.rmst[ref]:.1f} {self.unit} with {lab[ref]}, "
                f"difference {self.rmst_diff:.1f} ({level}% CI {lo:.1f} to {hi:.1f})."
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
        sentences.extend(s for s in self.problems if s not in both_unreached)
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
                    f"RMST to {_fmt_time(round(self.rmst_horizon, 1))} {self.unit}": round(self.rmst[arm], 1),
                }
            )
        table = pd.DataFrame(rows).set_index("arm")
        table.attrs["level"] = level
        return table

    # ----- checking proportional hazards ---------------------------------------------------
    def _frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "time": self.data["time"].to_numpy(dtype=float),
            "event": self.data["event"].to_numpy(),
            "treated": (self.data["arm"] == self.other).to_numpy(dtype=float),
        })

    def _require_hr(self, what: str):
        if not self.hr_defined:
            raise ValueError(f"{what} needs a hazard ratio, which is undefined here: {' '.join(self.problems)}")

    def ph_test(self, transform: str = "rank") -> PHTest:
        """Test of proportional hazards: do the scaled Schoenfeld residuals trend with time?

        lifelines' ``proportional_hazard_test`` on the Cox model (arm as the only covariate):
        the Grambsch and Therneau (1994) test, the one R's ``cox.zph`` gave before survival
        3.0 (since then R computes the exact score test, which gives slightly different numbers).

        Parameters
        ----------
        transform : {"rank", "km", "identity", "log"}
            The function of time the residuals are tested against.

        Returns
        -------
        PHTest
            ``statistic`` (chi-square, 1 df), ``p``, ``transform`` and a ``sentence``.
        """
        if transform not in PH_TRANSFORMS:
            raise ValueError(f"transform must be one of {PH_TRANSFORMS}; got {transform!r}")
        self._require_hr("ph_test")
        from lifelines.statistics import proportional_hazard_test

        frame = self._frame()
        cph = _fit_cox_lifelines(frame, self.alpha)
        result = proportional_hazard_test(cph, frame, time_transform=transform)
        statistic = float(np.ravel(result.test_statistic)[0])
        p = float(np.ravel(result.p_value)[0])
        return PHTest(statistic, p, transform, self.alpha)

    def hr_by_period(self, cut: float) -> HRByPeriod:
        """Hazard ratio before and after ``cut`` (in the data's unit), from one Cox model.

        Each patient followed past ``cut`` is split into two episodes, ``(0, cut]`` and
        ``(cut, time]``; the model has arm x period as covariates (a time-split covariate), so
        it estimates one hazard ratio for each period with a common baseline hazard. Fitted
        with lifelines' ``CoxTimeVaryingFitter``.

        Parameters
        ----------
        cut : float
            The time that splits follow-up (> 0, before the last death).

        Returns
        -------
        HRByPeriod
            ``table`` (rows "before {cut}", "after {cut}"; columns ``hr``, ``lower``,
            ``upper``, ``p``, ``deaths``) and a ``sentence``.
        """
        self._require_hr("hr_by_period")
        frame = self._frame()
        died = frame["time"][frame["event"] == 1]
        last = float(died.max())
        cut = check_number(
            "cut", cut, f"> 0 and before the last death at {last:g} {self.unit}", lambda v: 0 < v < last
        )
        from lifelines import CoxTimeVaryingFitter

        frame["id"] = np.arange(len(frame))
        early = frame.assign(start=0.0, stop=np.minimum(frame["time"], cut),
                             event=np.where(frame["time"] <= cut, frame["event"], 0), late=0.0)
        late = frame[frame["time"] > cut].assign(start=cut, stop=lambda d: d["time"], late=1.0)
        episodes = pd.concat([early, late], ignore_index=True)
        episodes["arm_before"] = episodes["treated"] * (1 - episodes["late"])
        episodes["arm_after"] = episodes["treated"] * episodes["late"]
        deaths = [int(((frame["time"] <= cut) & (frame["event"] == 1)).sum()),
                  int(((frame["time"] > cut) & (frame["event"] == 1)).sum())]
        if min(deaths) == 0:
            raise ValueError(
                f"cut={cut:g} leaves no deaths {'before' if deaths[0] == 0 else 'after'} it; choose a "
                f"time between the first and last deaths ({float(died.min()):g} to {last:g} {self.unit})"
            )
        import warnings

        from lifelines.exceptions import ConvergenceWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            ctv = CoxTimeVaryingFitter(alpha=self.alpha).fit(
                episodes[["id", "start", "stop", "event", "arm_before", "arm_after"]],
                id_col="id", event_col="event", start_col="start", stop_col="stop",
                fit_options={"precision": 1e-12},
            )
        z = _z(self.alpha)
        rows = {}
        for name, covariate, n_deaths in (
            (f"before {_fmt_time(cut)}", "arm_before", deaths[0]),
            (f"after {_fmt_time(cut)}", "arm_after", deaths[1]),
        ):
            beta, se = float(ctv.params_[covariate]), float(ctv.standard_errors_[covariate])
            rows[name] = {
                "hr": math.exp(beta), "lower": math.exp(beta - z * se), "upper": math.exp(beta + z * se),
                "p": float(ctv.summary.loc[covariate, "p"]), "deaths": n_deaths,
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = f"period ({self.unit})"
        level = round(100 * (1 - self.alpha))
        table.attrs["caption"] = (
            f"Hazard ratio {self.labels[self.other]} vs {self.labels[self.reference]} before and after "
            f"{_fmt_time(cut)} {self.unit} (one Cox model, arm x period; {level}% CIs)"
            + ("; simulated from the story's summary figures, not patient data" if self.simulated else "")
            + "."
        )
        return HRByPeriod(table, cut, self.unit, level, self.labels[self.other], self.labels[self.reference])

    def logrank(self, weighting: str | None = None, p: float = 0.0, q: float = 1.0) -> LogRankResult:
        """The log-rank test, optionally weighted to look harder at early or late differences.

        Parameters
        ----------
        weighting : {None, "fleming-harrington", "wilcoxon", "tarone-ware", "peto"}
            None: the ordinary log-rank test (every death counts the same). Fleming–Harrington
            weights each death by ``S(t-)^p (1 - S(t-))^q`` (pooled Kaplan–Meier): ``p=0, q=1``
            counts late deaths more, so it suits a treatment whose effect starts late.
            "wilcoxon", "tarone-ware" and "peto" weight early deaths more.
        p, q : float
            Fleming–Harrington exponents (>= 0); used only with that weighting.

        Returns
        -------
        LogRankResult
            ``statistic`` (chi-square, 1 df), ``p``, ``weighting`` and a ``sentence``.
            Computed by lifelines' ``logrank_test(weightings=...)``.
        """
        if weighting not in LOGRANK_WEIGHTINGS:
            raise ValueError(f"weighting must be one of {LOGRANK_WEIGHTINGS}; got {weighting!r}")
        if weighting == "fleming-harrington":
            p = check_number("p", p, ">= 0", lambda v: v >= 0)
            q = check_number("q", q, ">= 0", lambda v: v >= 0)
        if self.total_deaths == 0:
            raise ValueError("logrank needs at least one death; there are none yet")
        from lifelines.statistics import logrank_test

        frame = self._frame()
        a, b = frame[frame["treated"] == 0], frame[frame["treated"] == 1]
        extra = {"weightings": weighting, "p": p, "q": q} if weighting == "fleming-harrington" else (
            {"weightings": weighting} if weighting else {}
        )
        res = logrank_test(a["time"], b["time"], a["event"], b["event"], **extra)
        return LogRankResult(float(res.test_statistic), float(res.p_value), weighting,
                             p if weighting == "fleming-harrington" else None,
                             q if weighting == "fleming-harrington" else None)

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
    time_label: str | None = None,
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
    time_label : str, optional
        What the times measure, for axes and alt text. Default: "months since randomisation"
        for simulated trials, else "{unit} since the start of follow-up" (say "days since
        diagnosis" or similar for a cohort: its groups were not randomised).

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
    if time_label is None:
        time_label = f"{unit} since randomisation" if simulated else f"{unit} since the start of follow-up"
    elif not isinstance(time_label, str) or not time_label.strip():
        raise ValueError(f"time_label must be a non-empty string such as 'days since diagnosis'; got {time_label!r}")
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

        def reverse_median(mask):
            kmf = KaplanMeierFitter(alpha=alpha).fit(time[mask], 1 - ev[mask])
            ci = median_survival_times(kmf.confidence_interval_).to_numpy().ravel()
            return Median(float(kmf.median_survival_time_), float(ci[0]), float(ci[1]))
    else:
        median = {arm: median_of(curves[arm]) for arm in arms}
        rmst = {arm: rmst_of(curves[arm], rmst_horizon) for arm in arms}

        def reverse_median(mask):
            return median_of(kaplan_meier(time[mask], 1 - ev[mask], alpha))

    follow_up = FollowUp(
        overall=reverse_median(np.ones(len(time), dtype=bool)),
        per_arm={arm: reverse_median(arm_mask[arm]) for arm in arms},
        unit=unit,
    )
    # Both engines: lifelines has no variance of the RMST estimate (see rmst_variance).
    z = _z(alpha)
    rmst_se = {arm: math.sqrt(rmst_variance(curves[arm], rmst_horizon)) for arm in arms}
    rmst_ci = {arm: (rmst[arm] - z * rmst_se[arm], rmst[arm] + z * rmst_se[arm]) for arm in arms}
    rmst_diff = rmst[arms[1]] - rmst[arms[0]]
    rmst_diff_se = math.hypot(rmst_se[arms[0]], rmst_se[arms[1]])

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
    unreached = [arm for arm in arms if not median[arm].reached]
    if len(unreached) == 2:  # one sentence for both arms, not the same words twice
        problems.append(
            "Median survival not reached in either arm: both Kaplan–Meier curves are still above one "
            "half at the end of follow-up."
        )
    for arm in unreached if len(unreached) == 1 else []:
        problems.append(
            f"Median survival not reached with {names[arm]}: the Kaplan–Meier curve is still "
            f"above one half at the end of follow-up{_follow_up_words(follow_up.per_arm[arm], unit)}."
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
        rmst_diff=rmst_diff,
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
        rmst_se=rmst_se,
        rmst_ci=rmst_ci,
        rmst_diff_se=rmst_diff_se,
        rmst_diff_ci=(rmst_diff - z * rmst_diff_se, rmst_diff + z * rmst_diff_se),
        follow_up=follow_up,
        time_label=time_label,
        _km_fitted=km_fitted,
    )


def _follow_up_words(m: Median, unit: str) -> str:
    # A median not reached after short follow-up says little; the reader needs the follow-up.
    if not m.reached:
        return " (median follow-up in that arm not reached either)"
    return f" (median follow-up in that arm {m.estimate:.1f} {unit})"


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


def _fit_cox_lifelines(frame: pd.DataFrame, alpha: float):
    import warnings

    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceWarning

    # Divergence is detected by the caller and reported in words, so lifelines' warnings about
    # it would only repeat it to the learner.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        # lifelines' default stopping rule leaves the HR up to ~3e-4 from the maximum;
        # a tighter one makes both engines agree to 1e-8.
        return CoxPHFitter(alpha=alpha).fit(
            frame, "time", "event", fit_options={"precision": 1e-12, "r_precision": 1e-12}
        )


def _cox(time, ev, treated, alpha, engine):
    """Hazard ratio (treated vs reference), SE of log HR, CI and Wald p."""
    if engine == "lifelines":
        from lifelines.exceptions import ConvergenceError

        frame = pd.DataFrame({"time": time, "event": ev, "treated": treated.astype(float)})
        try:
            cph = _fit_cox_lifelines(frame, alpha)
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
