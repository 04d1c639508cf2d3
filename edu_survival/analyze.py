"""What one trial shows: Kaplan–Meier curves, medians, hazard ratio and log-rank test.

:func:`analyze` works on simulated trials (from :func:`edu_survival.simulate`) and on real data
(for example lifelines' ``load_lung()`` grouped by ``sex``). The default engine calls lifelines for
every estimate; ``engine="numpy"`` computes the same numbers with this package's vectorised code
(checked against lifelines to 1e-10), which the live widgets use because it is several times faster.
Median CIs and bands use the log-log transform by default (lifelines' convention); ``conf_type="log"``
gives R's ``survfit`` default and ``"plain"`` the untransformed band.

:func:`analyze` is a short pipeline whose steps live in :mod:`edu_survival.analysis`: clean and
validate (``prepare``), per-arm Kaplan–Meier (``km``), log-rank (``logrank``), Cox (``cox``),
then :class:`Analysis` assembles the results; its sentences come from ``analysis.words``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._checks import check_number
from .analysis import words
from .analysis.cox import (
    MAX_LOG_HR_SE,
    HRByPeriod,
    cox,
    fit_cox_lifelines,
    hr_by_period,
)
from .analysis.km import (
    CONF_TYPES,
    KMCurve,
    Median,
    _first_time_below_half,
    _fit_checked,
    _greenwood_terms,
    greenwood_variance,
    kaplan_meier,
    median_of,
    nice_times,
    rmst_of,
    rmst_variance,
    z_of,
)
from .analysis.logrank import (
    LOGRANK_WEIGHTINGS,
    LogRankResult,
    expected_deaths,
    has_no_information,
    logrank,
    weighted_logrank,
)
from .analysis.ph import PH_METHODS, PH_TRANSFORMS, PHTest, approximate_ph_test, exact_ph_test
from .analysis.prepare import (
    ENGINES,
    EVENT_CODINGS,
    Prepared,
    _check_events,
    _check_times,
    _clean,
    _plain,
    prepare,
)
from .analysis.words import format_p

# Users import these from here: say so in their reprs, pickles and API page.
for _public in (Median, KMCurve, kaplan_meier, median_of, rmst_of, greenwood_variance, rmst_variance,
                nice_times, format_p, LogRankResult, PHTest, HRByPeriod):
    _public.__module__ = __name__
del _public

# The names these steps had when they lived in this module (other modules import some of them).
_z, _cox, _fit_cox_lifelines, _logrank = z_of, cox, fit_cox_lifelines, logrank
_expected_deaths, _logrank_has_no_information = expected_deaths, has_no_information
_fmt_median, _fmt_time, _plural = words.fmt_median, words.fmt_time, words.plural
_follow_up_words, _TRANSFORM_WORDS = words.follow_up_words, words.TRANSFORM_WORDS

__all__ = [
    "CONF_TYPES", "ENGINES", "EVENT_CODINGS", "PH_METHODS", "LOGRANK_WEIGHTINGS", "MAX_LOG_HR_SE", "PH_TRANSFORMS",
    "Analysis", "FollowUp", "HRByPeriod", "KMCurve", "LogRankResult", "Median", "PHTest",
    "analyze", "format_p", "greenwood_variance", "kaplan_meier", "median_of", "nice_times",
    "rmst_of", "rmst_variance",
    # private names other modules of the package import from here
    "_TRANSFORM_WORDS", "_check_events", "_check_times", "_clean", "_cox", "_expected_deaths",
    "_first_time_below_half", "_fit_cox_lifelines", "_fmt_median", "_fmt_time", "_follow_up_words",
    "_greenwood_terms", "_logrank", "_logrank_has_no_information", "_plain", "_plural", "_z",
]


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
        return words.follow_up_sentence(self.overall, self.unit, level)


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
    conf_type: str = "log-log"

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
        ``times`` (in the data's unit) must be finite and >= 0; default: round times from 0 to
        the end of follow-up.
        """
        times = self._check_times(times)
        counts = (counts,) if isinstance(counts, str) else counts
        counts = tuple(counts) if isinstance(counts, Iterable) else counts
        if not isinstance(counts, tuple) or not counts:
            raise ValueError("counts must be 'at risk', 'censored' or 'events', or a list of them; "
                             f"got {counts!r}")
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

    def _check_times(self, times) -> np.ndarray:
        if times is None:
            return nice_times(max(float(c.time[-1]) for c in self.curves.values()))
        values = np.atleast_1d(np.asarray(times))
        if values.ndim != 1 or values.dtype.kind not in "iuf":
            raise ValueError(f"times must be a list of times in {self.unit} (numbers >= 0); got {times!r}")
        values = values.astype(float)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            raise ValueError(f"times must be finite times >= 0 ({self.unit}); got {values[bad].tolist()} "
                             f"among {values.tolist()}")
        return values

    def summary(self) -> str:
        """A few plain sentences a learner can read."""
        return words.summary(self)

    def __str__(self) -> str:
        return self.summary()

    def to_frame(self) -> pd.DataFrame:
        """Per-arm numbers as a small table."""
        level = words.level_of(self.alpha)
        horizon = f"RMST to {_fmt_time(round(self.rmst_horizon, 1))} {self.unit}"
        rows = [
            {
                "arm": self.labels[arm],
                "patients": self.n[arm],
                "deaths": self.deaths[arm],
                "censored": self.censored[arm],
                f"median ({self.unit})": _fmt_median(self.median[arm], "", level),
                horizon: round(self.rmst[arm], 1),
            }
            for arm in self.arms
        ]
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

    def ph_test(self, transform: str = "rank", method: str = "exact") -> PHTest:
        """Test of proportional hazards: does the log hazard ratio drift with time?

        ``method="exact"`` (default) is the score test R's ``cox.zph`` computes since survival
        3.0: add ``arm x g(t)`` to the Cox model and test its coefficient, with the full
        information matrix (computed here in O(n log n), tested against R's published closed
        forms). ``method="approximate"`` is lifelines' ``proportional_hazard_test``, the
        Grambsch and Therneau (1994) approximation R used before 3.0; it replaces the
        information at each death by its average, which gives somewhat different numbers
        (0.180 instead of 0.2387 on R's own test data). See ``edu_survival.analysis.ph``.

        Parameters
        ----------
        transform : {"rank", "km", "identity", "log"}
            The function ``g`` of time the log HR is tested against (R's default is "km").
        method : {"exact", "approximate"}
            R's current test, or lifelines' (R's before survival 3.0).

        Returns
        -------
        PHTest
            ``statistic`` (chi-square, 1 df), ``p``, ``transform``, ``method`` and a ``sentence``.
        """
        if transform not in PH_TRANSFORMS:
            raise ValueError(f"transform must be one of {PH_TRANSFORMS}; got {transform!r}")
        if method not in PH_METHODS:
            raise ValueError(f"method must be one of {PH_METHODS}; got {method!r}")
        self._require_hr("ph_test")
        if method == "approximate":
            return approximate_ph_test(self._frame(), self.alpha, transform)
        frame = self._frame()
        return exact_ph_test(frame["time"].to_numpy(), frame["event"].to_numpy(),
                             frame["treated"].to_numpy() == 1, transform, self.alpha)

    def hr_by_period(self, cut: float) -> HRByPeriod:
        """Hazard ratio before and after ``cut`` (in the data's unit), from one Cox model.

        Each patient followed past ``cut`` is split into two episodes, ``(0, cut]`` and
        ``(cut, time]``; the model has arm x period as covariates (a time-split covariate), so
        it estimates one hazard ratio for each period with a common baseline hazard. The
        partial likelihood then factorises by period, so each HR is fitted on its period's
        deaths with the usual risk sets (O(n log n); tested against lifelines'
        ``CoxTimeVaryingFitter`` on the split data). Where a period's HR is undefined (e.g. all
        its deaths in one arm) its row is NaN and ``problems`` (and the sentence) say why.

        Parameters
        ----------
        cut : float
            The time that splits follow-up (> 0, before the last death).

        Returns
        -------
        HRByPeriod
            ``table`` (rows "before {cut}", "after {cut}"; columns ``hr``, ``lower``,
            ``upper``, ``p``, ``deaths``), ``problems`` and a ``sentence``.
        """
        self._require_hr("hr_by_period")
        return hr_by_period(
            self._frame(), cut, alpha=self.alpha, unit=self.unit, other=self.labels[self.other],
            reference=self.labels[self.reference], simulated=self.simulated,
        )

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
        frame = self._frame()
        treated = frame["treated"].to_numpy() == 1
        return weighted_logrank(frame["time"].to_numpy(), frame["event"].to_numpy(), treated, weighting, p, q)

    def _repr_html_(self) -> str:
        return self.to_frame().to_html() + f"<p>{html.escape(self.summary())}</p>"


# ----- the analysis: a pipeline of named steps -----------------------------------------------
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
    conf_type: str = "log-log",
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
        which gives the same numbers (tested to 1e-10, the Cox model included: lifelines is
        run to full convergence) several times faster.
    time_label : str, optional
        What the times measure, for axes and alt text. Default: "months since randomisation"
        for simulated trials, else "{unit} since the start of follow-up" (say "days since
        diagnosis" or similar for a cohort: its groups were not randomised).
    conf_type : {"log-log", "log", "plain"}
        How the Kaplan–Meier bands, and so the medians' CIs, are built from Greenwood's
        variance: "log-log" (lifelines' convention, the default), "log" (R's ``survfit``
        default) or "plain"; the summary names the one used. Tested against R's printed
        output for the ``aml`` and ``ovarian`` data.

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
    setup = prepare(data, duration, event, group, control, alpha, labels=labels, unit=unit,
                    event_coding=event_coding, engine=engine, time_label=time_label, conf_type=conf_type)
    arms = _per_arm_km(setup, rmst_horizon)
    tests = _logrank_step(setup)
    tests.update(_cox_step(setup, problems=tests["problems"]))
    return _assemble(setup, arms, tests)


def _per_arm_km(setup: Prepared, rmst_horizon) -> dict:
    """Step 2: per arm, counts, Kaplan–Meier curve, median, RMST with its CI, and follow-up."""
    arms, time, ev, alpha, conf = setup.arms, setup.time, setup.event, setup.alpha, setup.conf_type
    mask = {arm: setup.mask(arm) for arm in arms}
    # prepare() has checked the data: fit without checking it again (five fits per picture).
    z = z_of(alpha)
    curves = {arm: _fit_checked(time[mask[arm]], ev[mask[arm]], z, conf) for arm in arms}
    horizon = _rmst_horizon(setup, rmst_horizon)
    fitted = {}
    if setup.engine == "lifelines":
        per_arm = {arm: _lifelines_km(time[mask[arm]], ev[mask[arm]], alpha, horizon, str(arm)) for arm in arms}
        fitted = {arm: per_arm[arm][0] for arm in arms}
        # lifelines has only the log-log band: other transforms read the CI off our curve.
        median = {arm: per_arm[arm][1] if conf == "log-log" else
                  Median(per_arm[arm][1].estimate, *median_of(curves[arm])[1:]) for arm in arms}
        rmst = {arm: per_arm[arm][2] for arm in arms}
    else:
        median = {arm: median_of(curves[arm]) for arm in arms}
        rmst = {arm: rmst_of(curves[arm], horizon) for arm in arms}
    follow_up = FollowUp(
        overall=_reverse_median(time, ev, alpha, setup.engine, conf),
        per_arm={arm: _reverse_median(time[mask[arm]], ev[mask[arm]], alpha, setup.engine, conf) for arm in arms},
        unit=setup.unit,
    )
    # Both engines: lifelines has no variance of the RMST estimate (see rmst_variance).
    rmst_se = {arm: math.sqrt(rmst_variance(curves[arm], horizon)) for arm in arms}
    diff = rmst[arms[1]] - rmst[arms[0]]
    diff_se = math.hypot(rmst_se[arms[0]], rmst_se[arms[1]])
    deaths = {arm: int(ev[mask[arm]].sum()) for arm in arms}
    n = {arm: int(mask[arm].sum()) for arm in arms}
    return dict(
        n=n, deaths=deaths, censored={arm: n[arm] - deaths[arm] for arm in arms}, curves=curves,
        median=median, rmst=rmst, rmst_horizon=float(horizon), rmst_diff=diff, rmst_se=rmst_se,
        rmst_ci={arm: (rmst[arm] - z * rmst_se[arm], rmst[arm] + z * rmst_se[arm]) for arm in arms},
        rmst_diff_se=diff_se, rmst_diff_ci=(diff - z * diff_se, diff + z * diff_se),
        follow_up=follow_up, _km_fitted=fitted,
    )


def _rmst_horizon(setup: Prepared, rmst_horizon) -> float:
    """The RMST horizon: the shorter arm's longest follow-up, or a checked one at most that."""
    longest = min(float(setup.time[setup.mask(arm)].max()) for arm in setup.arms)
    if rmst_horizon is None:
        return longest
    # Beyond the shorter follow-up one curve would be extrapolated flat: refuse.
    return check_number(
        "rmst_horizon", rmst_horizon,
        f"> 0 and at most {longest:g} {setup.unit} (the shorter arm's longest follow-up)",
        lambda v: 0 < v <= longest,
    )


def _lifelines_km(time, ev, alpha, horizon, label):
    """lifelines' ``KaplanMeierFitter`` for one arm, its median with CI and its RMST."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import restricted_mean_survival_time

    kmf = KaplanMeierFitter(alpha=alpha).fit(time, ev, label=label)
    rmst = float(restricted_mean_survival_time(kmf, t=horizon)) if horizon > 0 else 0.0
    return kmf, _lifelines_median(kmf), rmst


def _lifelines_median(kmf) -> Median:
    from lifelines.utils import median_survival_times

    ci = median_survival_times(kmf.confidence_interval_).to_numpy().ravel()
    return Median(float(kmf.median_survival_time_), float(ci[0]), float(ci[1]))


def _reverse_median(time, ev, alpha, engine, conf_type="log-log") -> Median:
    """Median follow-up: the median of the reverse Kaplan–Meier curve (censoring as the event)."""
    if engine == "lifelines" and conf_type == "log-log":
        from lifelines import KaplanMeierFitter

        return _lifelines_median(KaplanMeierFitter(alpha=alpha).fit(time, 1 - ev))
    return median_of(_fit_checked(time, 1 - ev, z_of(alpha), conf_type))


def _logrank_step(setup: Prepared) -> dict:
    """Step 3: the log-rank test and the expected deaths per arm (nan with a reason if undefined)."""
    nan = float("nan")
    time, ev, treated, arms = setup.time, setup.event, setup.treated, setup.arms
    total = int(ev.sum())
    result = dict(logrank_chi2=nan, logrank_p=nan, expected={arm: nan for arm in arms}, problems=[])
    if total == 0:
        result["problems"].append(words.NO_DEATHS)
        return result
    chi2, p, expected_reference = logrank(time, ev, treated, setup.engine)
    result.update(logrank_chi2=chi2, logrank_p=p,
                  expected={arms[0]: expected_reference, arms[1]: total - expected_reference})
    if chi2 == 0 and has_no_information(time, ev, treated):
        result["problems"].append(words.NO_INFORMATION)
    return result


def _cox_step(setup: Prepared, problems: list) -> dict:
    """Step 4: the Cox hazard ratio with SE, CI and Wald p (nan with a reason if undefined)."""
    nan = float("nan")
    result = dict(hr=nan, hr_se=nan, hr_p=nan, hr_ci=(nan, nan))
    ev, treated = setup.event, setup.treated
    if not ev.any():
        return result  # the log-rank step said why
    empty = [setup.names[arm] for arm in setup.arms if not ev[setup.mask(arm)].any()]
    if empty:
        problems.append(words.no_deaths_in(empty[0]))
        return result
    fitted = cox(setup.time, ev, treated, setup.alpha, setup.engine)
    if fitted is None:
        problems.append(words.COX_DIVERGED)
        return result
    result["hr"], result["hr_se"], result["hr_ci"], result["hr_p"] = fitted
    return result


def _median_problems(setup: Prepared, median: dict, follow_up: FollowUp) -> list[str]:
    """The sentences for medians not reached (one for both arms, not the same words twice)."""
    unreached = [arm for arm in setup.arms if not median[arm].reached]
    if len(unreached) == 2:
        return [words.BOTH_UNREACHED]
    return [words.median_unreached(setup.names[arm], follow_up.per_arm[arm], setup.unit) for arm in unreached]


def _assemble(setup: Prepared, arms: dict, tests: dict) -> Analysis:
    """Step 5: the :class:`Analysis`, with every problem in the order a reader meets it."""
    problems = tests.pop("problems") + _median_problems(setup, arms["median"], arms["follow_up"])
    return Analysis(
        data=setup.clean, arms=setup.arms, labels=setup.names, unit=setup.unit, alpha=setup.alpha,
        engine=setup.engine, observed=dict(arms["deaths"]), problems=problems,
        simulated=setup.simulated, scenario=setup.scenario, time_label=setup.time_label,
        conf_type=setup.conf_type,
        **arms, **tests,
    )
