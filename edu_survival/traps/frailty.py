"""A patient's prognosis, shared by two processes: a gamma frailty and its normal score.

Patients differ in how ill they are beyond what a trial records. A *frailty* ``Z`` (mean 1)
multiplies a patient's hazard of death: ``Z = 2`` dies at twice the rate of an average patient.
When another process (dropping out, switching treatment) also depends on ``Z``, it becomes
linked to survival: that is how lessons 10 and 11 make censoring informative and switching
selective.

``Z`` follows a gamma distribution with mean 1 and variance ``variance``. Its *normal score*
``W = Phi^-1(F(Z))`` is standard normal. A second process's time (to dropout, say) is linked to
``W`` through a normal copula with correlation ``rho`` (:func:`linked_exponential`): its own
distribution stays exactly what it was, so changing ``rho`` changes *who* is affected, not how
many.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._checks import check_number

# The normal score is clipped to +-8 standard deviations: beyond, gammainc rounds to 0 or 1.
_SCORE_LIMIT = 8.0


def check_variance(variance) -> float:
    """A frailty variance: > 0 and at most 10 (beyond, almost everyone's frailty is near 0)."""
    return check_number("frailty_variance", variance, "> 0 and at most 10", lambda v: 0 < v <= 10)


def frailty_given_death(rng: np.random.Generator, cumulative_hazard, variance: float) -> np.ndarray:
    """Draw each patient's frailty given the time of their death.

    Under a gamma frailty with mean 1 and variance ``v`` acting on a baseline cumulative hazard
    ``H0``, the marginal cumulative hazard is ``H = ln(1 + v H0) / v``. Given a death at a time
    where the marginal cumulative hazard is ``H``, the frailty is Gamma(shape ``1/v + 1``, rate
    ``1/v + H0``) with ``H0 = (exp(v H) - 1) / v``. Drawing deaths from the marginal model and
    then ``Z`` from this conditional gives exactly the frailty model's joint distribution, so
    the deaths stay those of :func:`edu_survival.simulate` (same seed, same patients).

    Examples
    --------
    >>> z = frailty_given_death(np.random.default_rng(1), np.full(200_000, 0.7), 1.0)
    >>> bool(abs(z.mean() - 2 / (1 + np.expm1(0.7))) < 0.01)  # E[Z | H] = (k + 1) / (k + H0)
    True
    """
    k = 1.0 / variance
    baseline = np.expm1(variance * np.asarray(cumulative_hazard, dtype=float)) / variance
    return rng.gamma(k + 1.0, 1.0, size=baseline.shape) / (k + baseline)


def normal_score(z, variance: float) -> np.ndarray:
    """The standard normal score of frailties ``z``: ``Phi^-1(F(z))``, F the gamma's cdf.

    Examples
    --------
    >>> normal_score(np.array([1.0]), 1.0).round(3).tolist()  # the median of Exp(1) is ln 2
    [0.34]
    """
    k = 1.0 / variance
    score = special.ndtri(special.gammainc(k, k * np.asarray(z, dtype=float)))
    return np.clip(score, -_SCORE_LIMIT, _SCORE_LIMIT)


def linked_exponential(unit, score, correlation: float) -> np.ndarray:
    """Unit exponential times re-drawn to correlate (normal copula) with ``score``.

    Each ``unit`` time (standard exponential) is mapped to its normal score ``N``, mixed with
    ``score`` as ``V = correlation * score + sqrt(1 - correlation**2) * N`` and mapped back, so
    the result is again standard exponential, whatever ``correlation`` (from -1 to 1). A
    negative correlation makes the time short where ``score`` is high. With correlation 0 the
    times come back unchanged.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> unit, score = rng.standard_exponential(100_000), rng.standard_normal(100_000)
    >>> t = linked_exponential(unit, score, -0.8)
    >>> round(float(t.mean()), 2), bool(np.corrcoef(t, score)[0, 1] < -0.5)
    (1.0, True)
    """
    unit = np.asarray(unit, dtype=float)
    if correlation == 0:
        return unit
    noise = special.ndtri(-np.expm1(-unit))
    mixed = correlation * np.asarray(score, dtype=float) + np.sqrt(1 - correlation**2) * noise
    return -special.log_ndtr(-mixed)
