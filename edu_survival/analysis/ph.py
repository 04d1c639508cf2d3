"""The test of proportional hazards: does the log hazard ratio drift with (a function of) time?

Two versions, both of Grambsch and Therneau's idea (Biometrika 1994) with the arm as the only
covariate of the Cox model:

- ``method="exact"`` (default): the score test R's ``cox.zph`` computes since survival 3.0.
  Add the covariate ``arm x g(t)`` to the model (``g`` the transformed time, centred on the
  deaths); at the fitted log HR and a zero coefficient for the new term, the score is
  ``u = (0, sum_t g_t U_t)`` and the information the full 2 x 2 matrix ``I`` from the per-time
  information ``I_t``; the statistic is ``u' I^-1 u = (sum g U)^2 / (sum g^2 I - (sum g I)^2 /
  sum I)``, chi-square on 1 degree of freedom under proportional hazards.
- ``method="approximate"``: lifelines' ``proportional_hazard_test``, the approximation R used
  before survival 3.0, which replaces the per-time information by its average
  (``d * var(beta) * (sum g U)^2 / sum (g - mean g)^2``). On R's own test data
  (survival's tests/zph.Rout.save) it gives 0.180 where the exact test gives 0.2387.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import efron, words

PH_TRANSFORMS = ("rank", "km", "identity", "log")
PH_METHODS = ("exact", "approximate")


@dataclass(frozen=True)
class PHTest:
    """Result of :meth:`Analysis.ph_test`: chi-square ``statistic`` (1 df), ``p``, ``transform``.

    ``method`` says which test: "exact" (R's ``cox.zph`` since survival 3.0) or "approximate"
    (lifelines, and R before 3.0).
    """

    statistic: float
    p: float
    transform: str
    alpha: float = 0.05
    method: str = "exact"

    @property
    def sentence(self) -> str:
        """What the test says, and what it cannot say."""
        return words.ph_sentence(self.statistic, self.p, self.transform, self.alpha, self.method)

    def __str__(self) -> str:
        return self.sentence


def transformed_times(time, event, dt: efron.DeathTimes, transform: str) -> np.ndarray:
    """``g(t)`` at each distinct death time, as R's ``cox.zph`` transforms time.

    "identity": t; "log": log t; "rank": the rank of t among all observed times (deaths and
    censored, ties averaged); "km": one minus the pooled Kaplan–Meier curve just before t.
    """
    if transform == "identity":
        return dt.time.copy()
    if transform == "log":
        return np.log(dt.time)
    if transform == "rank":
        ranks = stats.rankdata(time)  # average ranks, as R's rank()
        order = np.argsort(time, kind="stable")
        sorted_time = np.asarray(time, dtype=float)[order]
        return ranks[order][np.searchsorted(sorted_time, dt.time, side="left")]
    # "km": the curve just before each death time (left-continuous)
    at_risk = dt.at_risk0 + dt.at_risk1
    survival_after = np.cumprod(1 - dt.deaths / at_risk)
    return 1 - np.r_[1.0, survival_after[:-1]]


def exact_ph_test(time, event, treated, transform: str, alpha: float) -> PHTest:
    """R's ``cox.zph`` score test (survival >= 3.0), in O(n log n)."""
    dt = efron.death_times(time, event, treated)
    beta, _ = efron.fit(dt)
    _, score, info = efron.terms(dt, beta)
    g = transformed_times(time, event, dt, transform)
    g = g - np.average(g, weights=dt.deaths)  # centred on the deaths (only for round-off)
    u = float(g @ score)
    schur = float((g**2) @ info - (g @ info) ** 2 / info.sum())
    statistic = u**2 / schur if schur > 0 else math.nan
    return PHTest(statistic, float(stats.chi2.sf(statistic, 1)), transform, alpha, "exact")


def approximate_ph_test(frame: pd.DataFrame, alpha: float, transform: str) -> PHTest:
    """lifelines' ``proportional_hazard_test`` (Grambsch and Therneau's approximation)."""
    from lifelines.statistics import proportional_hazard_test

    from .cox import fit_cox_lifelines

    cph = fit_cox_lifelines(frame, alpha)
    result = proportional_hazard_test(cph, frame, time_transform=transform)
    statistic = float(np.ravel(result.test_statistic)[0])
    return PHTest(statistic, float(np.ravel(result.p_value)[0]), transform, alpha, "approximate")
