"""Small helpers the lessons call, so that no statistics are written in a notebook.

Everything here is a thin layer over the statistics core: the story's reported figures and what
follows from them (as sentences whose numbers are computed, never typed), a tiny invented data
set for computing a Kaplan–Meier curve by hand, the naive summaries that censoring breaks, and a
trial whose curves cross. Times are in months unless a data set says otherwise.

Data made here are *simulated* (or, for :func:`tiny_trial`, invented); never patient data.
Every table returned here carries a caption (``attrs["caption"]``, shown in its HTML) that says
what it is and, where the data are simulated, that they are not patient data
(:func:`edu_survival.tables.with_caption`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import integrate

from . import design, lifetable
from .analyze import Analysis, analyze, format_p, kaplan_meier, median_of
from .censoring import naive_survival
from .design import expected_logrank_z  # noqa: F401  (lessons and exercises call it from here)
from .scenario import LAPATINIB, STORY_LABELS, Scenario
from .simulate import simulate
from .tables import SIMULATED as SIMULATED
from .tables import is_simulated, with_caption

LABELS = STORY_LABELS
"""How the lessons name the two arms of the story's trial."""



@dataclass(frozen=True)
class StoryReport:
    """What the news story (attributed to "MedNews") reports, and nothing more.

    Examples
    --------
    >>> round(STORY.hr_from_medians, 3), round(STORY.median_ratio, 2), round(STORY.hr_reported, 2)
    (0.724, 1.38, 0.62)
    """

    n: int = 321
    median_control: float = 17.3
    median_treatment: float = 23.9
    reduction: float = 0.38
    source: str = "MedNews"
    not_reported: tuple = (
        "the hazard ratio's confidence interval",
        "a p-value",
        "the number of deaths",
        "how long patients were followed",
        "how long enrolment took",
        "how patients were allocated to the arms",
    )

    @property
    def hr_reported(self) -> float:
        """The hazard ratio a "38% reduction in the risk of death" stands for: 1 - 0.38."""
        return 1 - self.reduction

    @property
    def hr_from_medians(self) -> float:
        """Hazard ratio implied by the two medians under exponential survival."""
        return self.median_control / self.median_treatment

    @property
    def reduction_from_medians(self) -> float:
        """The relative reduction in the hazard that the medians imply."""
        return 1 - self.hr_from_medians

    @property
    def median_ratio(self) -> float:
        """How many times longer the treatment median is than the control median."""
        return self.median_treatment / self.median_control


STORY = StoryReport()


def _pct(x: float, digits: int = 0) -> str:
    return f"{100 * x:.{digits}f}%"


def story_summary(story: StoryReport = STORY) -> str:
    """The story's figures in plain lines: what it reports and what it leaves out."""
    lines = [
        f"What the story ({story.source}) reports:",
        f"  - {story.n} patients, randomised to lapatinib + chemotherapy or chemotherapy alone",
        "  - primary endpoint: overall survival (time from the start of treatment to death from any cause)",
        f"  - median overall survival {story.median_treatment:g} months with lapatinib vs "
        f"{story.median_control:g} months without",
        f"  - a \"{_pct(story.reduction)} reduction in the risk of death\"",
        "What it leaves out:",
    ]
    lines += [f"  - {item}" for item in story.not_reported]
    return "\n".join(lines)


def median_puzzle(story: StoryReport = STORY) -> str:
    """The 38% vs 28% puzzle, with every number computed from the reported figures.

    Examples
    --------
    >>> "0.724" in median_puzzle()
    True
    """
    implied = Scenario.from_hr(story.median_control, story.hr_reported)
    other_way = story.median_treatment * story.hr_reported
    return "\n".join(
        [
            f"If survival is exponential, the hazard ratio is the inverse ratio of the medians: "
            f"{story.median_control:g} / {story.median_treatment:g} = {story.hr_from_medians:.3f}, "
            f"a {_pct(story.reduction_from_medians)} lower hazard, not {_pct(story.reduction)}.",
            f"The story's \"{_pct(story.reduction)} reduction\" means a hazard ratio of "
            f"1 - {story.reduction:g} = {story.hr_reported:.2f}.",
            f"The other ratio, {story.median_treatment:g} / {story.median_control:g} = "
            f"{story.median_ratio:.2f}, says the median is {_pct(story.median_ratio - 1)} longer. "
            "A longer median is not a lower risk: the most likely source of the story's figure.",
            f"Under the same model, a hazard ratio of {story.hr_reported:.2f} with a control median of "
            f"{story.median_control:g} months would give a treatment median of "
            f"{implied.median_treatment:.1f} months; with a treatment median of "
            f"{story.median_treatment:g} months it would need a control median of {other_way:.1f}.",
        ]
    )


def simulated_trial(
    seed: int, scenario: Scenario = LAPATINIB, rmst_horizon: float | None = None, **changes
) -> Analysis:
    """Simulate one trial of ``scenario`` (with ``changes``) and analyse it, arms named as in the story.

    ``changes`` are :class:`Scenario` fields (e.g. ``n=100``, ``delay=6``); ``rmst_horizon`` is
    passed to :func:`edu_survival.analyze`.

    Examples
    --------
    >>> result = simulated_trial(seed=1)
    >>> result.labels["treatment"], result.simulated
    ('lapatinib + chemotherapy', True)
    """
    if changes:
        scenario = scenario.replace(**changes)
    return analyze(simulate(scenario, seed=seed), labels=LABELS, rmst_horizon=rmst_horizon)


def median_difference(result: Analysis) -> float:
    """Median of the other arm minus median of the reference arm (inf/nan if not reached)."""
    return result.median[result.other].estimate - result.median[result.reference].estimate


def rmst_sentence(result: Analysis) -> str:
    """The RMST of each arm and their difference, in a sentence."""
    ref, oth, unit = result.reference, result.other, result.unit
    return (
        f"Restricted mean survival up to {result.rmst_horizon:g} {unit}: "
        f"{result.rmst[oth]:.1f} {unit} with {result.labels[oth]} vs {result.rmst[ref]:.1f} with "
        f"{result.labels[ref]}, a difference of {result.rmst_diff:.2f} {unit} "
        f"(the area between the two curves up to {result.rmst_horizon:g})."
    )


# ----- lesson 01: what censoring does to naive summaries ------------------------------------
def follow_up_table(data: pd.DataFrame) -> pd.DataFrame:
    """Per arm: patients, deaths observed, censored at the end of the study, lost to follow-up."""
    reasons = ["death", "end of study", "lost to follow-up"]
    table = pd.crosstab(data["arm"], data["reason"]).reindex(columns=reasons, fill_value=0)
    table.insert(0, "patients", table.sum(axis=1))
    table.columns.name = None
    table = table.rename(columns={"death": "deaths observed", "end of study": "alive at the analysis"})
    return with_caption(table, "How each patient's follow-up ended, per arm", is_simulated(data))


def naive_summaries(data: pd.DataFrame, scenario: Scenario | None = None) -> pd.DataFrame:
    """Per arm: naive summaries of follow-up times next to the Kaplan–Meier median (months).

    Columns: ``mean time (everyone)``: the average of all recorded times, dead or censored;
    ``share who died``: deaths / patients; ``KM median``; and ``true mean`` and ``true median``
    survival when the scenario is known (taken from ``data.attrs["scenario"]`` if not given).
    """
    scenario = scenario if scenario is not None else data.attrs.get("scenario")
    rows = {}
    for arm, part in data.groupby("arm", sort=True):
        curve = kaplan_meier(part["time"], part["event"])
        known = isinstance(scenario, Scenario)
        row = {"mean time (everyone)": float(part["time"].mean())}
        if known:
            row["true mean"] = true_mean(scenario, arm)
        row["share who died"] = float(part["event"].mean())
        row["KM median"] = median_of(curve).estimate
        if known:
            row["true median"] = scenario.true_median(arm)
        rows[arm] = row
    table = pd.DataFrame.from_dict(rows, orient="index").round(3)
    return with_caption(
        table, "Naive summaries that ignore censoring, next to the Kaplan–Meier median (months)",
        is_simulated(data),
    )


def true_mean(scenario: Scenario, arm: str) -> float:
    """True mean survival of ``arm`` (months): the area under its whole survival curve.

    Examples
    --------
    >>> round(true_mean(LAPATINIB, "control"), 2)  # exponential: median / ln 2
    24.96
    """
    value, _ = integrate.quad(lambda t: float(scenario.survival(t, arm)), 0, np.inf, limit=200)
    return float(value)


def show_patients(data: pd.DataFrame, per_arm: int = 4) -> pd.DataFrame:
    """The first ``per_arm`` patients of each arm, times rounded to 0.1 month."""
    rows = data.groupby("arm", sort=True).head(per_arm)
    table = rows.round({"entry": 1, "time": 1}).reset_index(drop=True)
    return with_caption(
        table, f"The first {per_arm} patients of each arm (months, to 0.1)", is_simulated(data)
    )


# ----- lesson 02 and 03: a Kaplan–Meier curve by hand ---------------------------------------
def tiny_trial() -> pd.DataFrame:
    """Twelve invented patients (months; event 1 = died, 0 = censored) for computing KM by hand.

    Examples
    --------
    >>> tiny_trial().shape
    (12, 3)
    """
    time = [2, 3, 4, 5, 5, 7, 8, 10, 11, 13, 15, 18]
    event = [1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0]
    df = pd.DataFrame({"patient": list("ABCDEFGHIJKL"), "time": [float(t) for t in time], "event": event})
    df.attrs["source"] = "invented for a by-hand calculation, not patient data"
    return df


def life_table(data: pd.DataFrame) -> pd.DataFrame:
    """The Kaplan–Meier calculation as a table with learners' column names, from time 0.

    Columns: ``time``, ``at risk`` (followed and alive just before), ``died``, ``censored``,
    ``share surviving this step`` (1 - died / at risk) and ``survival`` (the running product);
    the rows of :func:`edu_survival.lifetable.life_table` after a first row at time 0.

    Examples
    --------
    >>> life_table(tiny_trial())["survival"].round(3).tolist()[:3]
    [1.0, 0.917, 0.917]
    """
    table = lifetable.life_table(data["time"], data["event"])
    start = pd.DataFrame({"time": [0.0], "at_risk": [len(data)], "deaths": [0], "censored": [0],
                          "factor": [1.0], "survival": [1.0]})
    if table["time"].iloc[0] == 0:
        start = start.iloc[0:0]
    table = pd.concat([start, table], ignore_index=True)
    names = {"at_risk": "at risk", "deaths": "died", "factor": "share surviving this step"}
    table = table.rename(columns=names)[
        ["time", "at risk", "died", "censored", "share surviving this step", "survival"]
    ]
    caption = "The Kaplan–Meier calculation, one row per time"
    if not is_simulated(data) and data.attrs.get("source"):
        caption += f" ({data.attrs['source']})"
    return with_caption(table, caption, is_simulated(data))


def km_at(data: pd.DataFrame, t: float) -> float:
    """Kaplan–Meier survival estimate at ``t``."""
    return float(kaplan_meier(data["time"], data["event"]).at(t))


def naive_share_alive(data: pd.DataFrame, t: float, censored: str = "alive") -> float:
    """A *wrong* share alive at ``t``: ``censored="alive"`` counts censored patients as
    survivors, ``censored="dropped"`` removes those censored before ``t``
    (:func:`edu_survival.censoring.naive_survival`)."""
    methods = {"alive": "share who died", "dropped": "drop censored"}
    if censored not in methods:
        raise ValueError(f"censored must be 'alive' or 'dropped'; got {censored!r}")
    return naive_survival(data["time"], data["event"], t, methods[censored])


def naive_medians(data: pd.DataFrame, duration: str = "time", event: str = "event") -> dict:
    """*Wrong* medians: of all recorded times, and of the death times only."""
    return {
        "all times": float(data[duration].median()),
        "death times only": float(data.loc[data[event] == 1, duration].median()),
    }


def km_median(data: pd.DataFrame) -> float:
    """Kaplan–Meier median (first time the curve is at or below 0.5; inf if not reached)."""
    return median_of(kaplan_meier(data["time"], data["event"])).estimate


def medians_over_trials(scenario: Scenario, n_trials: int = 20, seed: int | None = None) -> pd.DataFrame:
    """Kaplan–Meier medians per arm in ``n_trials`` simulated trials of the same design."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_trials):
        data = simulate(scenario, seed=int(rng.integers(2**31)))
        row = {"trial": k + 1}
        for arm, part in data.groupby("arm", sort=True):
            row[f"median, {LABELS.get(arm, arm)}"] = km_median(part)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("trial")
    return with_caption(
        table, f"Kaplan–Meier medians (months) in {n_trials} trials of the same design", simulated=True
    )


# ----- lesson 04: hazards -------------------------------------------------------------------
def hazard_from_median(median: float) -> float:
    """Monthly hazard of an exponential survival time with this median: ln(2) / median.

    Computed as 1 / :meth:`Scenario.scale`, so that the package converts medians in one place.

    Examples
    --------
    >>> round(hazard_from_median(17.3), 4)
    0.0401
    """
    if not median > 0:
        raise ValueError(f"median must be > 0 months; got {median!r}")
    return 1 / Scenario(median_control=median, median_treatment=median).scale("control")


def hazards_sentence(story: StoryReport = STORY) -> str:
    """The constant monthly hazards implied by the story's medians, one line per arm."""
    lines = []
    for label, months in (("chemotherapy alone", story.median_control), ("lapatinib", story.median_treatment)):
        h = hazard_from_median(months)
        lines.append(
            f"{label}: median {months:g} months -> hazard ln 2 / {months:g} = {h:.4f} per patient-month "
            f"(about {100 * h:.1f} deaths per month among 100 patients still alive)"
        )
    return "\n".join(lines)


def crude_rates(result: Analysis) -> pd.DataFrame:
    """Deaths per 100 patient-months per arm (deaths / total months followed), and their ratio."""
    rows = {}
    for arm in result.arms:
        part = result.data[result.data["arm"] == arm]
        months = float(part["time"].sum())
        rows[result.labels[arm]] = {
            "deaths": int(part["event"].sum()),
            "months followed": round(months, 1),
            "deaths per 100 patient-months": round(100 * part["event"].sum() / months, 3),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    return with_caption(table, "Crude death rates per arm (deaths / months followed)", result.simulated)


def rate_ratio(result: Analysis) -> float:
    """Ratio of the crude death rates, other arm / reference arm (close to the Cox HR here)."""
    rates = crude_rates(result)["deaths per 100 patient-months"].to_numpy()
    return float(rates[1] / rates[0])


def deaths_per_100(scenario: Scenario = LAPATINIB, months: float = 24.0, hr: float | None = None) -> dict:
    """Of 100 patients per arm, how many have died by ``months`` under the scenario's true curves.

    With ``hr`` the treatment arm follows the control curve raised to that hazard ratio.
    Returns ``{"control": ..., "treatment": ..., "fewer deaths": ...}``.

    Examples
    --------
    >>> {k: round(v, 1) for k, v in deaths_per_100(hr=0.62).items()}
    {'control': 61.8, 'treatment': 44.9, 'fewer deaths': 16.9}
    """
    if hr is not None:
        scenario = Scenario.from_hr(scenario.median_control, hr, shape=scenario.shape)
    control = 100 * (1 - float(scenario.survival(months, "control")))
    treatment = 100 * (1 - float(scenario.survival(months, "treatment")))
    return {"control": control, "treatment": treatment, "fewer deaths": control - treatment}


def absolute_sentence(hr: float, months: float = 24.0, scenario: Scenario = LAPATINIB) -> str:
    """What a hazard ratio means per 100 patients, in a sentence."""
    d = deaths_per_100(scenario, months, hr)
    return (
        f"With a control median of {scenario.median_control:g} months (exponential), "
        f"{d['control']:.0f} of 100 patients on chemotherapy alone die within {months:g} months. "
        f"A hazard ratio of {hr:.2f} lowers that to {d['treatment']:.0f} of 100: "
        f"about {d['fewer deaths']:.0f} fewer deaths per 100 patients by then, "
        f"not {100 * (1 - hr):.0f}."
    )


# ----- lesson 05: log-rank ------------------------------------------------------------------
def observed_expected(result: Analysis) -> pd.DataFrame:
    """The log-rank test's raw material per arm: observed and expected deaths."""
    rows = {}
    for arm in result.arms:
        o, e = result.observed[arm], result.expected[arm]
        rows[result.labels[arm]] = {
            "observed deaths (O)": int(o),
            "expected if no difference (E)": round(float(e), 1),
            "O - E": round(float(o - e), 1),
            "O / E": round(float(o / e), 2),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    return with_caption(table, "Observed and expected deaths per arm (the log-rank test)", result.simulated)


def p_from_z(z: float) -> float:
    """Two-sided p-value for a standard normal z (:func:`edu_survival.design.two_sided_p`)."""
    return design.two_sided_p(z)


SIGNIFICANCE_SEED = 33
"""Seed of :func:`significance_vs_size`: its small trial estimates a hazard ratio near its true
0.6 with an interval reaching past 1, and its huge trial's tiny effect is significant (tested)."""


def significance_trials(seed: int = SIGNIFICANCE_SEED) -> dict[str, Analysis]:
    """Two simulated trials: a huge one with a tiny effect and a small one with a big effect."""
    designs = {
        "huge trial, tiny effect": LAPATINIB.replace(n=12000, median_treatment=LAPATINIB.median_control / 0.93),
        "small trial, big effect": LAPATINIB.replace(n=60, median_treatment=LAPATINIB.median_control / 0.6),
    }
    return {name: analyze(simulate(sc, seed=seed), engine="numpy") for name, sc in designs.items()}


def significance_vs_size(seed: int = SIGNIFICANCE_SEED) -> pd.DataFrame:
    """:func:`significance_trials` side by side: size, true and estimated HR, interval, p-value."""
    rows = {}
    for name, res in significance_trials(seed).items():
        rows[name] = {
            "patients": res.total_n,
            "true HR": round(res.scenario.hr, 2),
            "estimated HR": round(res.hr, 2),
            "95% CI": f"{res.hr_ci[0]:.2f} to {res.hr_ci[1]:.2f}",
            "log-rank p": format_p(res.logrank_p),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    return with_caption(table, "Significance is not size: a huge trial and a small one", simulated=True)


# ----- lesson 06: planning ------------------------------------------------------------------
def planning_summary(scenario: Scenario = LAPATINIB, alpha: float = 0.05) -> str:
    """Deaths needed, deaths expected and power for a design, in sentences."""
    d80 = design.schoenfeld_events(scenario.hr, 0.8, alpha, scenario.allocation)
    d90 = design.schoenfeld_events(scenario.hr, 0.9, alpha, scenario.allocation)
    expected = design.expected_events(scenario)
    pw = design.analytic_power(scenario, alpha)
    return "\n".join(
        [
            f"True hazard ratio assumed: {scenario.hr:.3f}.",
            f"Deaths needed (Schoenfeld): {d80:.1f}, so {math.ceil(d80)} (rounded up: a death cannot "
            f"be split) for 80% power; {d90:.1f}, so {math.ceil(d90)} for 90% power.",
            f"Deaths expected with {scenario.n} patients, {scenario.accrual:g} months of enrolment and "
            f"{scenario.follow_up:g} months of further follow-up: about {expected:.0f}.",
            f"So the power is about {_pct(pw)}: the trial finds p < {alpha:g} "
            f"in roughly {pw * 10:.0f} of 10 repetitions.",
        ]
    )


# ----- lesson 07: non-proportional hazards --------------------------------------------------
def true_rmst(scenario: Scenario, arm: str, horizon: float) -> float:
    """True restricted mean survival time: the area under the arm's survival curve up to ``horizon``.

    Examples
    --------
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


# ----- lesson 08: real data -----------------------------------------------------------------
def load_lung() -> pd.DataFrame:
    """lifelines' copy of the NCCTG advanced lung cancer data (real patients, times in days).

    228 patients from the North Central Cancer Treatment Group (Loprinzi et al., Journal of
    Clinical Oncology 1994), as shipped with R's ``survival`` package and lifelines. Columns
    used here: ``time`` (days from enrolment to death or censoring), ``status`` (1 died,
    0 censored; lifelines has recoded R's 2/1) and ``sex`` (1 male, 2 female). Read from the
    copy bundled with lifelines: no network needed.
    """
    from lifelines.datasets import load_lung as _load

    return _load()


def lung_by_sex() -> Analysis:
    """The lung data analysed by sex: men are the reference arm, times in days."""
    return analyze(
        load_lung(), duration="time", event="status", group="sex", control=1,
        labels={1: "men", 2: "women"}, unit="days", time_label="days since enrolment",
    )


def survival_sentence(scenario: Scenario, arm: str, times) -> str:
    """The true share alive in ``arm`` at each of ``times`` (months), one line each."""
    label = LABELS.get(arm, arm)
    lines = [f"True share alive with {label} (model from the story's medians):"]
    for t in np.atleast_1d(times):
        lines.append(f"  at {float(t):g} months: {float(scenario.survival(t, arm)):.2f}")
    return "\n".join(lines)


def km_comparison_sentence(data: pd.DataFrame, t: float) -> str:
    """Kaplan–Meier survival at ``t`` beside the two naive shares that mishandle censoring."""
    return (
        f"Share alive at month {t:g}:\n"
        f"  censored patients counted as survivors: {naive_share_alive(data, t, 'alive'):.3f}\n"
        f"  censored patients dropped:              {naive_share_alive(data, t, 'dropped'):.3f}\n"
        f"  Kaplan–Meier:                           {km_at(data, t):.3f}"
    )


def logrank_sentence(result: Analysis) -> str:
    """The log-rank statistic and p-value in a sentence."""
    return (
        f"Log-rank chi-square {result.logrank_chi2:.2f} on 1 degree of freedom, "
        f"{format_p(result.logrank_p)}: how surprising the gap between observed and expected deaths "
        "would be if both arms had the same hazard."
    )


def patients_needed_sentence(scenario: Scenario = LAPATINIB, power: float = 0.8, alpha: float = 0.05) -> str:
    """Patients a design like ``scenario`` needs for ``power`` at its hazard ratio, against its ``n``."""
    needed = design.sample_size(
        scenario.hr, power, alpha, median_control=scenario.median_control, accrual=scenario.accrual,
        follow_up=scenario.follow_up, allocation=scenario.allocation, dropout=scenario.dropout,
        shape=scenario.shape,
    )
    return (
        f"Patients needed for {power:.0%} power at hazard ratio {scenario.hr:.3f} "
        f"({scenario.accrual:g} months' enrolment, {scenario.follow_up:g} months' further follow-up): "
        f"{needed}, against the {scenario.n} randomised."
    )
