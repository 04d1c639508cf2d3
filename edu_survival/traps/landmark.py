"""Responders, immortal time and the landmark analysis (times in months).

A "responder analysis" splits patients by something measured *after* randomisation, such as
circulating tumour cells cleared at the first follow-up visit, and compares their survival from
the start. It is biased even when response does nothing: to be counted as a responder a
patient must live until the visit, so responders get the months before it for free ("immortal
time"), while every patient who dies before the visit lands among the non-responders.

The **landmark analysis** removes that bias: keep only the patients alive (and still followed)
at the visit, and time survival from the visit. It answers a narrower question (among patients
alive at the visit, does response predict what follows?) and says nothing about those who died
before it; even then, an association is not an effect of response.

Here response is simulated with *no* effect on survival: every patient alive at the visit
responds with the same probability, whatever their prognosis. All data here are simulated,
never patient data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_fraction, check_number, check_seed, check_whole
from ..analyze import Analysis, analyze, format_p
from ..montecarlo import cox_many, logrank_many
from ..scenario import LAPATINIB, Scenario
from ..simulate import _check_scenario, draw_patients, observe

__all__ = [
    "GROUP_LABELS",
    "RESPONDER_SCENARIO",
    "ResponderBias",
    "ResponderComparison",
    "compare_responders",
    "landmark_data",
    "responder_bias",
    "simulate_responders",
]

RESPONDER_SCENARIO = LAPATINIB.replace(median_treatment=LAPATINIB.median_control)
"""The story's design with the same survival in both arms (the arms are pooled here)."""

GROUP_LABELS = {False: "non-responders", True: "responders"}


def _check_visit(visit, scenario: Scenario) -> float:
    return check_number("visit", visit, f"> 0 and below the analysis at {scenario.analysis_time:g} months",
                        lambda v: 0 < v < scenario.analysis_time)


def _classify(time, visit: float, response_draw, response_rate: float):
    """Alive and followed at the visit, and responder (measured at the visit, and responded)."""
    seen = time > visit
    return seen, seen & (response_draw < response_rate)


def simulate_responders(scenario: Scenario = RESPONDER_SCENARIO, visit: float = 3.0,
                        response_rate: float = 0.5, seed: int | None = None) -> pd.DataFrame:
    """One simulated trial whose patients are called responders at a visit, with no effect of response.

    Parameters
    ----------
    scenario : Scenario
        Enrolment, follow-up and survival (months); the arms are pooled.
    visit : float
        Months from randomisation to the visit at which response is measured.
    response_rate : float
        Probability that a patient alive and followed at the visit is a responder (0 to 1).
        It does not depend on the patient's prognosis, and response changes nothing.
    seed : int, optional
        Random seed; the patients are those of :func:`edu_survival.simulate` with this seed.

    Returns
    -------
    pandas.DataFrame
        ``patient``, ``time``, ``event`` (1 died), ``at_visit`` (alive and followed at the visit)
        and ``responder`` (True only for patients measured at the visit who responded; patients
        who died or left before it count as non-responders, as in a naive responder analysis).

    Examples
    --------
    >>> df = simulate_responders(seed=1)
    >>> bool((df.loc[df.responder, "time"] > 3).all())  # every responder lived past the visit
    True
    """
    scenario = _check_scenario(scenario)
    visit = _check_visit(visit, scenario)
    response_rate = check_fraction("response_rate", response_rate) if response_rate not in (0, 1) else float(response_rate)
    rng = np.random.default_rng(check_seed(seed))
    entry, death, lost, _ = draw_patients(scenario, rng)
    time, event, _ = observe(scenario, entry, death, lost)
    at_visit, responder = _classify(time, visit, rng.uniform(size=scenario.n), response_rate)
    df = pd.DataFrame({"patient": np.arange(1, scenario.n + 1), "time": time, "event": event.astype(int),
                       "at_visit": at_visit, "responder": responder})
    df.attrs.update(scenario=scenario, visit=visit, response_rate=response_rate,
                    source="simulated from assumed summary figures, not patient data")
    return df


def landmark_data(data: pd.DataFrame, visit: float | None = None) -> pd.DataFrame:
    """The landmark data set: patients alive and followed at ``visit``, times from the visit."""
    visit = data.attrs["visit"] if visit is None else float(visit)
    kept = data.loc[data["time"] > visit].copy()
    kept["time"] = kept["time"] - visit
    kept.attrs.update(data.attrs)
    return kept


@dataclass(frozen=True)
class ResponderComparison:
    """The naive responder comparison and the landmark analysis of the same trial."""

    naive: Analysis
    landmark: Analysis
    visit: float
    dropped: int
    n: int

    def table(self) -> pd.DataFrame:
        from ..tables import with_caption

        rows = {}
        for name, res, dropped in (("naive (from randomisation, everyone)", self.naive, 0),
                                   (f"landmark (from month {self.visit:g}, alive then)", self.landmark, self.dropped)):
            lo, hi = res.hr_ci
            rows[name] = {"patients analysed": res.total_n, "patients dropped": dropped,
                          "hazard ratio, responders vs non-responders": round(res.hr, 2),
                          "95% CI": f"{lo:.2f} to {hi:.2f}", "log-rank test": format_p(res.logrank_p)}
        table = pd.DataFrame.from_dict(rows, orient="index")
        return with_caption(table, "Responders against non-responders, when response does nothing",
                            simulated=True)

    def sentence(self) -> str:
        n, lm = self.naive, self.landmark
        return (f"Counted from randomisation, responders seem to have a hazard ratio of {n.hr:.2f} "
                f"(log-rank {format_p(n.logrank_p)}) against non-responders, a 'benefit' of response that does "
                f"not exist: response was simulated with no effect. Counted from the visit at month "
                f"{self.visit:g}, among the {lm.total_n} patients alive and followed then, the hazard "
                f"ratio is {lm.hr:.2f} ({format_p(lm.logrank_p)}); the landmark analysis drops the "
                f"{self.dropped} patients who died or left before the visit.")

    def __str__(self) -> str:
        return self.sentence()


def compare_responders(data: pd.DataFrame) -> ResponderComparison:
    """Analyse :func:`simulate_responders` data twice: naively, and from the landmark visit."""
    visit = data.attrs["visit"]
    labels = {False: GROUP_LABELS[False], True: GROUP_LABELS[True]}
    naive = analyze(data, group="responder", control=False, labels=labels, unit="months",
                    time_label="months since randomisation")
    lm = landmark_data(data)
    landmark = analyze(lm, group="responder", control=False, labels=labels, unit="months",
                       time_label=f"months since the visit at month {visit:g}")
    return ResponderComparison(naive, landmark, visit, dropped=len(data) - len(lm), n=len(data))


@dataclass(frozen=True)
class ResponderBias:
    """Naive and landmark comparisons over many simulated trials with no effect of response.

    ``naive_hr``/``landmark_hr`` and ``naive_p``/``landmark_p`` hold one value per trial;
    the rejection rates are the shares with log-rank ``p < alpha``, each with its binomial
    Monte Carlo SE.
    """

    naive_hr: np.ndarray
    landmark_hr: np.ndarray
    naive_p: np.ndarray
    landmark_p: np.ndarray
    alpha: float
    visit: float

    @property
    def n_sims(self) -> int:
        return len(self.naive_hr)

    def rate(self, which: str) -> tuple[float, float]:
        p = self.naive_p if which == "naive" else self.landmark_p
        share = float(np.mean(p < self.alpha))
        return share, math.sqrt(share * (1 - share) / len(p))

    def __str__(self) -> str:
        (naive, se_n), (lm, se_l) = self.rate("naive"), self.rate("landmark")
        return (f"Over {self.n_sims:,} simulated trials in which response does nothing, the naive "
                f"comparison gave p < {self.alpha:g} in {naive:.1%} (Monte Carlo SE {se_n:.1%}) with a "
                f"median hazard ratio of {np.median(self.naive_hr):.2f}; the landmark analysis from month "
                f"{self.visit:g} in {lm:.1%} (SE {se_l:.1%}), median hazard ratio "
                f"{np.median(self.landmark_hr):.2f}. A fair test is significant in {self.alpha:.0%} of such trials.")


def responder_bias(scenario: Scenario = RESPONDER_SCENARIO, visit: float = 3.0, response_rate: float = 0.5,
                   n_sims: int = 2000, alpha: float = 0.05, seed: int | None = 2024) -> ResponderBias:
    """The naive and landmark responder comparisons in ``n_sims`` simulated trials (vectorised).

    Patients excluded from the landmark analysis keep their place in the arrays with a time of
    0, censored: nobody is at risk at time 0 once the first death comes, so they drop out of
    every risk set, which is the same as removing them (tested against lifelines).
    """
    scenario = _check_scenario(scenario)
    visit = _check_visit(visit, scenario)
    response_rate = check_number("response_rate", response_rate, "strictly between 0 and 1",
                                 lambda v: 0 < v < 1)
    n_sims = check_whole("n_sims", n_sims, 1)
    alpha = check_fraction("alpha", alpha)
    rng = np.random.default_rng(check_seed(seed))
    entry, death, lost, _ = draw_patients(scenario, rng, n_sims)
    time, event, _ = observe(scenario, entry, death, lost)
    at_visit, responder = _classify(time, visit, rng.uniform(size=time.shape), response_rate)
    lm_time = np.where(at_visit, time - visit, 0.0)
    lm_event = event & at_visit
    out = {}
    for name, t, e in (("naive", time, event), ("landmark", lm_time, lm_event)):
        out[f"{name}_hr"] = cox_many(t, e, responder).hr
        out[f"{name}_p"] = logrank_many(t, e, responder)[1]
    return ResponderBias(**out, alpha=alpha, visit=visit)
