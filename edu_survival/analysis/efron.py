"""The Cox partial likelihood for one 0/1 covariate (the arm), with Efron's ties, per death time.

With the arm as the only covariate the partial likelihood depends on the data only through,
at each distinct death time, the numbers at risk and the deaths in each arm. Counting them is
one sort (O(n log n)); every Newton step after that costs O(deaths). The period fits of
:meth:`~edu_survival.analyze.Analysis.hr_by_period` and the exact proportional hazards test
of :meth:`~edu_survival.analyze.Analysis.ph_test` both need these per-time terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Newton stops when the step in log HR is below this (quadratic convergence: the next step would
# be far below 1e-15), or after MAX_STEPS.
TOLERANCE = 1e-12
MAX_STEPS = 100
# Beyond this |log HR| the estimate is running off to 0 or infinity (monotone likelihood).
DIVERGED = 30.0


@dataclass(frozen=True)
class DeathTimes:
    """At each distinct death time ``time``: at risk and deaths per arm (0 reference, 1 other).

    ``group`` and ``frac`` expand the deaths one by one: the time each belongs to and its
    ``j / d`` in Efron's approximation (j = 0 .. d - 1 among the d tied deaths).
    """

    time: np.ndarray
    at_risk0: np.ndarray
    at_risk1: np.ndarray
    deaths0: np.ndarray
    deaths1: np.ndarray
    group: np.ndarray
    frac: np.ndarray

    @property
    def deaths(self) -> np.ndarray:
        return self.deaths0 + self.deaths1


def death_times(time, event, treated) -> DeathTimes:
    """Count, at each distinct death time, who is at risk (time >= t) and who dies, per arm."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    treated = np.asarray(treated).astype(bool)
    order = np.argsort(time, kind="stable")
    t, e, x = time[order], event[order], treated[order]
    distinct, first = np.unique(t, return_index=True)
    # At risk at each distinct time: everyone from its first index on.
    after1 = np.r_[np.cumsum(x[::-1])[::-1], 0]
    at_risk = len(t) - first
    at_risk1 = after1[first]
    deaths1 = np.add.reduceat((e & x).astype(float), first) if len(t) else np.zeros(0)
    deaths = np.add.reduceat(e.astype(float), first) if len(t) else np.zeros(0)
    keep = deaths > 0
    d = deaths[keep].astype(int)
    group = np.repeat(np.arange(len(d)), d)
    start = np.r_[0, np.cumsum(d)[:-1]]
    frac = (np.arange(len(group)) - start[group]) / d[group]
    return DeathTimes(
        time=distinct[keep],
        at_risk0=(at_risk - at_risk1)[keep].astype(float),
        at_risk1=at_risk1[keep].astype(float),
        deaths0=(deaths - deaths1)[keep],
        deaths1=deaths1[keep],
        group=group,
        frac=frac,
    )


def terms(dt: DeathTimes, beta: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per death time: log partial likelihood, score and information at ``beta`` (Efron ties).

    With ``theta = exp(beta)`` and, for the j-th of d tied deaths, the risk-set sums
    ``a_j = (r0 + r1 theta) - (j/d)(d0 + d1 theta)`` and ``b_j = (r1 - (j/d) d1) theta``:
    log-likelihood ``beta d1 - sum log a_j``, score ``d1 - sum b_j / a_j`` and information
    ``sum p_j (1 - p_j)`` with ``p_j = b_j / a_j``.
    """
    # Scale both arms' weights by 1/max(1, theta) so that nothing overflows for large |beta|.
    shift = max(beta, 0.0)
    w0, w1 = math.exp(-shift), math.exp(beta - shift)
    g, f = dt.group, dt.frac
    a = (dt.at_risk0[g] - f * dt.deaths0[g]) * w0 + (dt.at_risk1[g] - f * dt.deaths1[g]) * w1
    b = (dt.at_risk1[g] - f * dt.deaths1[g]) * w1
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(a > 0, b / a, 0.0)
    k = len(dt.time)
    loglik = beta * dt.deaths1 - np.bincount(g, np.log(a) + shift, minlength=k)
    score = dt.deaths1 - np.bincount(g, p, minlength=k)
    info = np.bincount(g, p * (1 - p), minlength=k)
    return loglik, score, info


def fit(dt: DeathTimes, use=None) -> tuple[float, float]:
    """Maximum partial likelihood ``(log HR, information)`` over the death times in ``use``.

    ``use`` is a boolean mask over ``dt.time`` (default: all): the hazard ratio of a period
    uses only its deaths, with the same risk sets. Returns ``(nan, nan)`` when the estimate
    runs off to 0 or infinity or there is no information.
    """
    use = np.ones(len(dt.time), dtype=bool) if use is None else np.asarray(use, dtype=bool)
    beta, step, loglik_old = 0.0, 0.0, -math.inf
    for _ in range(MAX_STEPS):
        loglik, score, info = (float(v[use].sum()) for v in terms(dt, beta))
        if not info > 0 or abs(beta) > DIVERGED:
            return math.nan, math.nan
        if loglik < loglik_old - 1e-9 * abs(loglik_old):  # overshot: halve the last step
            step /= 2
            beta -= step
            continue
        step = score / info
        beta, loglik_old = beta + step, loglik
        if abs(step) < TOLERANCE:
            break
    else:
        return math.nan, math.nan
    info = float(terms(dt, beta)[2][use].sum())
    return beta, info
