"""What the lessons share: the story's reported figures, the simulated trial every lesson
analyses, and the twelve invented patients of lessons 02 and 03.

Helpers that serve one lesson only live in ``lessonNN.py`` beside this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .. import lifetable
from ..analyze import Analysis, analyze, kaplan_meier, median_of
from ..scenario import LAPATINIB, STORY_LABELS, Scenario
from ..simulate import simulate
from ..tables import is_simulated, with_caption

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

    @property
    def reconciling_shape(self) -> float:
        """The Weibull shape k at which the medians give the reported hazard ratio.

        Under proportional hazards with Weibull survival of shape k, HR = (median_control /
        median_treatment) ** k, so k = ln(HR) / ln(median_control / median_treatment): about 1.48,
        a hazard that rises over time.

        Examples
        --------
        >>> round(STORY.reconciling_shape, 2)
        1.48
        """
        return math.log(self.hr_reported) / math.log(self.hr_from_medians)


STORY = StoryReport()


def _pct(x: float, digits: int = 0) -> str:
    return f"{100 * x:.{digits}f}%"


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


@dataclass(frozen=True)
class FormulaVsSimulation:
    """Schoenfeld's analytic power beside the power of simulated trials (lessons 06 and 07).

    ``analytic`` is :func:`edu_survival.analytic_power`; ``simulated`` the
    :class:`~edu_survival.PowerResult`; ``sentence`` (also ``str``) says both and whether the
    formula's value lies inside the simulation's 95% interval.
    """

    analytic: float
    simulated: object  # a PowerResult

    @property
    def where(self) -> str:
        """``"inside"``, ``"above"`` or ``"below"`` the simulation's 95% interval."""
        lo, hi = self.simulated.ci
        return "above" if self.analytic > hi else "below" if self.analytic < lo else "inside"

    @property
    def sentence(self) -> str:
        scenario = self.simulated.scenario
        ignoring = (f" (here: the hazard ratio {scenario.hr:.2f} from randomisation on, ignoring the "
                    f"{scenario.delay:g}-month delay)" if scenario.delay > 0 else "")
        return (f"Schoenfeld's formula, which assumes proportional hazards{ignoring}, predicts power "
                f"{self.analytic:.1%}. Simulation: {self.simulated} The formula's {self.analytic:.1%} "
                f"lies {self.where} the simulation's 95% interval.")

    def __str__(self) -> str:
        return self.sentence

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(self.sentence)}</p>"


def formula_vs_simulation(scenario: Scenario = LAPATINIB, n_sims: int = 1000, seed: int = 2024,
                          alpha: float = 0.05) -> FormulaVsSimulation:
    """Power by Schoenfeld's formula and by ``n_sims`` simulated trials of ``scenario``.

    Examples
    --------
    >>> check = formula_vs_simulation(n_sims=200, seed=1)
    >>> round(check.analytic, 2), check.where
    (0.68, 'inside')
    >>> print(check)  # doctest: +ELLIPSIS
    Schoenfeld's formula, which assumes proportional hazards, predicts power 67.6%. Simulation: Power ...
    """
    from ..design import analytic_power
    from ..montecarlo import power

    return FormulaVsSimulation(analytic_power(scenario, alpha),
                               power(scenario, n_sims=n_sims, alpha=alpha, seed=seed))


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


def naive_medians(data: pd.DataFrame, duration: str = "time", event: str = "event") -> dict:
    """*Wrong* medians: of all recorded times, and of the death times only."""
    return {
        "all times": float(data[duration].median()),
        "death times only": float(data.loc[data[event] == 1, duration].median()),
    }


def km_median(data: pd.DataFrame) -> float:
    """Kaplan–Meier median (first time the curve is at or below 0.5; inf if not reached)."""
    return median_of(kaplan_meier(data["time"], data["event"])).estimate


# ----- real data, used by lessons 07 (checking proportional hazards) and 08 -----------------
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
