"""Helpers of lesson 05 (the log-rank test and p-values), and of its exercises, only."""

from __future__ import annotations

import pandas as pd

from .. import design
from ..analyze import Analysis, analyze, format_p
from ..scenario import LAPATINIB
from ..simulate import simulate
from ..tables import with_caption


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


def logrank_sentence(result: Analysis) -> str:
    """The log-rank statistic and p-value in a sentence."""
    return (
        f"Log-rank chi-square {result.logrank_chi2:.2f} on 1 degree of freedom, "
        f"{format_p(result.logrank_p)}: how surprising the gap between observed and expected deaths "
        "would be if both arms had the same hazard."
    )
