"""Helpers of lesson 10 (traps in the data: informative censoring, competing risks, responders).

Thin calls into :mod:`edu_survival.traps`, with the settings the lesson uses, so that each
notebook cell is one line. Every data set here is simulated; none is patient data.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..analyze import kaplan_meier
from ..scenario import ARMS, LAPATINIB
from ..tables import with_caption
from ..traps import competing, informative, landmark, published

DROPOUT_SCENARIO = LAPATINIB.replace(n=200, dropout=0.3)
"""The censoring explorer's trial in lesson 10: enough patients (200) and dropout (30% a year)
for informative dropout to show in one trial, not only on average (tested for its seeds)."""

LESSON10_SEED = 4
"""The seed of the lesson's single trials of dropout and competing deaths."""

RESPONDER_VISIT = 4.0
"""Months from randomisation to the visit at which response is measured."""
RESPONDER_SEED = 8
"""A typical responder trial: its naive hazard ratio is close to the median over 1,000 trials
(tested in ``tests/test_traps_lessons.py``)."""


def dropout_looks_alike(seed: int = LESSON10_SEED, strength: float = 0.8, horizon: float = 24.0) -> pd.DataFrame:
    """What the data show, and what they hide, when different patients drop out.

    The same simulated patients three times (control arm), with dropout at random, of the
    sicker and of the healthier: the share lost and when they left are much alike, while the
    Kaplan–Meier estimate at ``horizon`` moves away from the truth, which only full follow-up
    (never available in a real trial) reveals.
    """
    rows = {}
    for who in informative.WHO_DROPS_OUT:
        df = informative.simulate_informative(who=who, strength=0 if who == "at random" else strength, seed=seed)
        arm = df[df["arm"] == ARMS[0]]
        lost = arm["reason"] == "lost to follow-up"
        km = kaplan_meier(arm["time"], arm["event"]).at(horizon)
        rows[who] = {
            "lost to follow-up": f"{lost.mean():.0%}",
            "median month of leaving": round(float(arm.loc[lost, "time"].median()), 1),
            f"Kaplan–Meier at {horizon:g} months": f"{float(km):.0%}",
            "truth (full follow-up)": f"{float(np.mean(arm['death_time'] > horizon)):.0%}",
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "who drops out"
    return with_caption(table, f"The same control patients, three kinds of dropout (strength {strength:g}); "
                               "the last column is hidden in a real trial", simulated=True)


@functools.lru_cache(maxsize=4)
def km_bias_table(n_sims: int = 400, seed: int = 2024) -> pd.DataFrame:
    """Kaplan–Meier's average error at 24 months as dropout depends more on prognosis."""
    return informative.km_bias_table(n_sims=n_sims, seed=seed)


def competing_trial(competing_risk: float = 0.2, seed: int = LESSON10_SEED) -> competing.CompetingRisks:
    """One simulated group (the story's chemotherapy-alone patients) with deaths from other causes."""
    return competing.competing_risks(competing.simulate_competing(competing=competing_risk, seed=seed))


@functools.lru_cache(maxsize=4)
def competing_gap_table(n_sims: int = 300, seed: int = 2024) -> pd.DataFrame:
    """1 − Kaplan–Meier against the cumulative incidence at 24 months as other deaths grow."""
    table = competing.competing_gap(n_sims=n_sims, seed=seed)
    shown = table[["1 − KM (mean)", "CIF (mean)", "gap (mean)", "gap MC SE"]].round(3)
    return with_caption(shown, table.attrs["caption"].split(" (simulated")[0], simulated=True)


def responder_trial(seed: int = RESPONDER_SEED, visit: float = RESPONDER_VISIT) -> landmark.ResponderComparison:
    """One simulated trial in which response, measured at ``visit`` months, does nothing."""
    return landmark.compare_responders(landmark.simulate_responders(visit=visit, seed=seed))


@functools.lru_cache(maxsize=4)
def responder_bias(visit: float = RESPONDER_VISIT, n_sims: int = 1000, seed: int = 2024) -> landmark.ResponderBias:
    """The naive and the landmark comparison over many trials in which response does nothing."""
    return landmark.responder_bias(visit=visit, n_sims=n_sims, seed=seed)


def detect_iii() -> pd.DataFrame:
    """What DETECT III published about patients whose tumour cells cleared (a real trial)."""
    return published.published_table("DETECT III enrolled", "DETECT III clearance_os_months")
