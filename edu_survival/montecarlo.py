"""Many simulated trials at once: vectorised log-rank tests, Cox models and power.

One simulated trial is one draw. To see how often a trial "works" we run thousands of them,
and that must take a blink. Everything here works on arrays of shape ``(n_sims, n)``: one row
per simulated trial, one column per patient, times in months. The data come from the same
model as :func:`edu_survival.simulate` (:func:`edu_survival.simulate.draw_trials`); they are
*simulated from assumed summary figures*, never patient data.

The statistics reproduce lifelines exactly, ties included: the log-rank test uses the
hypergeometric variance (as :func:`lifelines.statistics.logrank_test`) and the Cox model is
fitted by Newton-Raphson on the partial likelihood with Efron's method for tied deaths (as
:class:`lifelines.CoxPHFitter`), for every row at once.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from ._checks import check_fraction, check_seed, check_whole
from .design import analytic_power
from .scenario import Scenario
from .simulate import _check_scenario, draw_trials, treated_vector

__all__ = [
    "CoxManyResult",
    "Coverage",
    "PowerResult",
    "cox_many",
    "iter_trials",
    "km_medians_many",
    "logrank_many",
    "power",
    "power_curve",
    "simulate_many",
]

# Trials are simulated about 65,000 patient-cells at a time (204 trials of 321): every
# temporary array is then ~0.5 MB, stays in cache and is recycled by the allocator instead of
# being page-faulted in afresh. Measured 2.5x faster than 0.5 million cells for 10,000 trials,
# and power() needs only a few MB beyond its result arrays whatever n_sims is.
_CHUNK_CELLS = 2**16
MAX_CELLS = 400_000_000
"""Largest n_sims x n that simulate_many returns at once (3.6 GB); power() goes in chunks."""
# Rough cost of simulating and analysing one patient-cell, used only to decide whether a run
# is long enough (about a second) to deserve a progress bar.
_SECONDS_PER_CELL = 1.5e-7
_PROGRESS_AFTER_SECONDS = 1.0
# The statistics work on blocks of the same size, for the same reason (measured about 1.5x
# faster than one big block at 1,000 x 321).
_BLOCK_CELLS = 2**16
# Newton-Raphson for the Cox model: stop when the step in log(HR) is below _COX_TOL; give up
# (NaN) after _COX_MAX_ITER steps, which safeguarded Newton never needs in practice.
_COX_TOL = 1e-10
_COX_MAX_ITER = 100
_COX_MAX_STEP = 5.0  # a log-HR step of 5 is a factor of 150 in the HR
_BETA_LIMIT = 700.0  # exp(700) is still a finite float64


# ----- validation ----------------------------------------------------------------------------
def _as_binary(name: str, values) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype == bool:
        return arr
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be boolean or 0/1; got an array of dtype {arr.dtype}")
    if not np.all((arr == 0) | (arr == 1)):
        bad = arr[(arr != 0) & (arr != 1)].ravel()[0]
        raise ValueError(f"{name} must contain only 0/1 (or True/False); found {bad!r}")
    return arr.astype(bool)


def _check_data(time, event, treated):
    """Validate and return ``time`` (float64), ``event``, ``treated`` as 2-D arrays + 1-D flag."""
    time = np.asarray(time)
    if time.dtype.kind not in "iuf":
        raise ValueError(f"time must be numeric (months); got an array of dtype {time.dtype}")
    if time.ndim not in (1, 2) or time.shape[-1] < 2:
        raise ValueError(
            "time must have shape (n,) for one trial or (n_sims, n) for many, with n >= 2 "
            f"patients; got shape {time.shape}"
        )
    one = time.ndim == 1
    time = np.atleast_2d(time).astype(np.float64, copy=False)
    if time.shape[0] < 1:
        raise ValueError(f"time must hold at least one trial; got shape {time.shape}")
    if not np.all(np.isfinite(time)) or np.any(time < 0):
        raise ValueError("time must be finite and >= 0 (months); found NaN, inf or a negative time")
    event = _as_binary("event", event)
    if one:
        event = np.atleast_2d(event)
    if event.shape != time.shape:
        raise ValueError(
            f"event must have the same shape as time {time.shape[int(one):]}; got {event.shape[int(one):]}"
        )
    treated = _as_binary("treated", treated)
    if treated.ndim == 2 and one:
        raise ValueError(f"treated must have shape ({time.shape[1]},) for one trial; got {treated.shape}")
    if treated.shape not in ((time.shape[1],), time.shape):
        raise ValueError(
            f"treated must have shape ({time.shape[1]},) (one arm vector shared by all trials) "
            f"or {time.shape} (one per trial); got {treated.shape}"
        )
    n_treated = treated.sum(axis=-1)
    if np.any(n_treated == 0) or np.any(n_treated == treated.shape[-1]):
        raise ValueError("treated must contain both arms (some True and some False) in every trial")
    return time, event, treated, one


# ----- simulation ----------------------------------------------------------------------------
def _chunk_trials(scenario: Scenario, chunk) -> int:
    if chunk is None:
        return max(1, _CHUNK_CELLS // scenario.n)
    return check_whole("chunk", chunk, 1)


def iter_trials(
    scenario: Scenario, n_sims: int, seed=None, chunk: int | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yield ``n_sims`` simulated trials in chunks of at most ``chunk`` trials.

    The memory-bounded building block of :func:`simulate_many` and :func:`power`: only one
    chunk exists at a time. The trials, in order, are the same as those of
    ``simulate_many(scenario, n_sims, seed)`` when ``chunk`` is left at its default.

    Parameters
    ----------
    scenario : Scenario
        What we assume about the trial (times in months).
    n_sims : int
        Number of trials in total (>= 1).
    seed : int, numpy.random.Generator or None
        Random seed; the same seed gives the same trials.
    chunk : int, optional
        Trials per chunk (>= 1). By default about 65,000 patients per chunk.

    Yields
    ------
    time, event, treated
        ``time`` (months) and ``event`` (True for a death) of shape ``(k, n)`` with ``k <= chunk``,
        and ``treated`` (True for the treatment arm) of length ``n``.

    Examples
    --------
    >>> import edu_survival as es
    >>> [t.shape for t, e, g in iter_trials(es.LAPATINIB, 5, seed=1, chunk=2)]
    [(2, 321), (2, 321), (1, 321)]
    """
    scenario = _check_scenario(scenario)
    n_sims = check_whole("n_sims", n_sims, 1)
    chunk = _chunk_trials(scenario, chunk)
    rng = np.random.default_rng(check_seed(seed))
    for start in range(0, n_sims, chunk):
        _, time, event, _, treated = draw_trials(scenario, rng, min(chunk, n_sims - start))
        yield time, event, treated


def simulate_many(scenario: Scenario, n_sims: int, seed=None):
    """Simulate ``n_sims`` independent trials at once, as arrays (times in months).

    The same model as :func:`edu_survival.simulate` (one row per trial instead of one
    DataFrame per trial). For the same seed the first trial differs from ``simulate``'s, but
    the trials have the same distribution.

    Parameters
    ----------
    scenario : Scenario
        What we assume about the trial.
    n_sims : int
        Number of trials (>= 1). The result takes ``9 * n_sims * n`` bytes.
    seed : int, numpy.random.Generator or None
        Random seed; the same seed gives the same trials.

    Returns
    -------
    time : numpy.ndarray of float, shape (n_sims, n)
        Months from randomisation to death or censoring.
    event : numpy.ndarray of bool, shape (n_sims, n)
        True where the death was observed, False where the time is censored.
    treated : numpy.ndarray of bool, shape (n,)
        True for the patients on treatment (the same in every trial).

    Examples
    --------
    >>> import edu_survival as es
    >>> time, event, treated = es.simulate_many(es.LAPATINIB, 1000, seed=1)
    >>> time.shape, int(treated.sum())
    ((1000, 321), 161)
    """
    scenario = _check_scenario(scenario)
    n_sims = check_whole("n_sims", n_sims, 1)
    if n_sims * scenario.n > MAX_CELLS:
        raise ValueError(f"n_sims x n must be at most {MAX_CELLS:,} (the result takes 9 bytes per "
                         f"patient and trial); got n_sims={n_sims:,} trials of n={scenario.n:,}")
    seed = check_seed(seed)
    time = np.empty((n_sims, scenario.n))
    event = np.empty((n_sims, scenario.n), dtype=bool)
    row = 0
    for t, e, _ in iter_trials(scenario, n_sims, seed):
        time[row : row + len(t)] = t
        event[row : row + len(t)] = e
        row += len(t)
    return time, event, treated_vector(scenario)


# ----- the shared risk-set tables ------------------------------------------------------------
@dataclass
class _RiskTable:
    """Per-patient terms, in time order, that both log-rank and Cox need (sorted once).

    At each death (event position) of each row: ``n_risk`` and ``n1`` are the numbers at risk
    overall and in the treatment arm at that death's time, ``d`` the deaths at that time, and
    ``a``/``b`` the control/treatment parts of Efron's adjusted risk set for this death.
    Non-death positions carry ``a = 1, b = 0`` so they contribute nothing.
    """

    is_death: np.ndarray  # bool (m, n)
    g: np.ndarray  # float (m, n), 1.0 for treated
    n_risk: np.ndarray  # float (m, n) or (n,)
    n1: np.ndarray  # float (m, n)
    d: np.ndarray | None  # float (m, n), None when there are no tied times
    a: np.ndarray  # float (m, n)
    b: np.ndarray  # float (m, n)
    deaths: np.ndarray  # int (m,)
    deaths_treated: np.ndarray  # int (m,)


def _risk_table(time: np.ndarray, event: np.ndarray, treated: np.ndarray) -> _RiskTable:
    m, n = time.shape
    order = np.argsort(time, axis=1)
    ts = np.take_along_axis(time, order, axis=1)
    es = np.take_along_axis(event, order, axis=1)
    gs = treated[order] if treated.ndim == 1 else np.take_along_axis(treated, order, axis=1)
    g = gs.astype(np.float64)
    # Treated still at risk at each position, self included.
    cum_g = np.cumsum(g, axis=1)
    n1_total = cum_g[:, -1:]
    deaths = np.count_nonzero(es, axis=1)
    deaths_treated = np.count_nonzero(es & gs, axis=1)
    idx = np.arange(n)
    if not np.any(ts[:, 1:] == ts[:, :-1]):
        # No tied times (the usual case for simulated data): every death is alone.
        n_risk = (n - idx).astype(np.float64)
        n1 = n1_total - cum_g + g
        b = n1 * es
        a = np.where(es, n_risk - n1, 1.0)
        return _RiskTable(es, g, n_risk, n1, None, a, b, deaths, deaths_treated)

    # Tied times: everyone in a tie group shares the at-risk counts of the group's first
    # position and the death counts of the whole group (censored at t are still at risk at t).
    new = np.ones((m, n), dtype=bool)
    new[:, 1:] = ts[:, 1:] != ts[:, :-1]
    last = np.ones((m, n), dtype=bool)
    last[:, :-1] = new[:, 1:]
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=1)
    stop = np.minimum.accumulate(np.where(last, idx, n - 1)[:, ::-1], axis=1)[:, ::-1]
    e = es.astype(np.float64)
    cum_e = np.cumsum(e, axis=1)
    cum_e1 = np.cumsum(e * g, axis=1)
    before_e = np.take_along_axis(cum_e - e, start, axis=1)
    d = np.take_along_axis(cum_e, stop, axis=1) - before_e
    d1 = np.take_along_axis(cum_e1, stop, axis=1) - np.take_along_axis(cum_e1 - e * g, start, axis=1)
    n_risk = (n - start).astype(np.float64)
    n1 = n1_total - np.take_along_axis(cum_g - g, start, axis=1)
    # Efron: the l-th of d tied deaths (l = 0..d-1) sees the risk set minus l/d of the dead.
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(es, (cum_e - e - before_e) / d, 0.0)
    b = np.where(es, n1 - frac * d1, 0.0)
    a = np.where(es, (n_risk - n1) - frac * (d - d1), 1.0)
    return _RiskTable(es, g, n_risk, n1, d, a, b, deaths, deaths_treated)


def _logrank_from_table(tab: _RiskTable):
    # Each of the d deaths at a time contributes x - n1/n to O - E and
    # (n1/n)(1 - n1/n)(n - d)/(n - 1) to the variance, which sums to the usual per-time terms.
    p1 = tab.n1 / tab.n_risk
    o_minus_e = np.sum(np.where(tab.is_death, tab.g - p1, 0.0), axis=1)
    v = p1 * (1.0 - p1)
    if tab.d is not None:
        # lifelines replaces (n - d)/(n - 1) by 1 when n = 1 (then p1(1 - p1) = 0 anyway).
        with np.errstate(invalid="ignore", divide="ignore"):
            hyper = np.where(tab.n_risk > 1, (tab.n_risk - tab.d) / (tab.n_risk - 1.0), 1.0)
        v = v * hyper
    var = np.sum(np.where(tab.is_death, v, 0.0), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # No information (no deaths, or none while both arms are at risk): chi2 is NaN.
        chi2 = np.where(var > 0, o_minus_e**2 / var, np.nan)
    return chi2, special.chdtrc(1, chi2)


def _cox_from_table(tab: _RiskTable):
    """Maximum partial likelihood log(HR), its information and a convergence flag, per row."""
    a, b = tab.a, tab.b
    deaths_treated = tab.deaths_treated.astype(np.float64)
    m = a.shape[0]
    # The score U(beta) = d1 - sum_deaths b / (a exp(-beta) + b) falls from U(-inf) to U(+inf).
    # The MLE is finite only if U(-inf) > 0 > U(+inf); otherwise it is -inf or +inf (every
    # death in one arm while the other arm is at risk), or undefined (no information).
    u_plus = deaths_treated - np.count_nonzero(tab.is_death & (b > 0), axis=1)
    u_minus = deaths_treated - np.count_nonzero(tab.is_death & (a <= 0), axis=1)
    beta = np.zeros(m)
    info = np.zeros(m)
    converged = np.zeros(m, dtype=bool)
    finite = (u_plus < 0) & (u_minus > 0)
    beta[(u_plus >= 0) & (u_minus > 0)] = np.inf
    beta[(u_plus < 0) & (u_minus <= 0)] = -np.inf
    beta[(u_plus >= 0) & (u_minus <= 0)] = np.nan

    rows = np.flatnonzero(finite)
    a, b, d1 = a[rows], b[rows], deaths_treated[rows]
    bt = np.zeros(len(rows))
    lo = np.full(len(rows), -np.inf)
    hi = np.full(len(rows), np.inf)
    for _ in range(_COX_MAX_ITER):
        if len(rows) == 0:
            break
        q = np.exp(-np.clip(bt, -_BETA_LIMIT, _BETA_LIMIT))[:, None]
        mean = b / (a * q + b)  # P(the death is treated | risk set), per death
        s1 = mean.sum(axis=1)
        score = d1 - s1
        inf_ = s1 - np.einsum("ij,ij->i", mean, mean)
        # Safeguarded Newton: keep a bracket around the root, bisect when Newton leaves it.
        lo = np.where(score > 0, bt, lo)
        hi = np.where(score < 0, bt, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.clip(score / inf_, -_COX_MAX_STEP, _COX_MAX_STEP)
        new = bt + step
        outside = ~((new > lo) & (new < hi)) | ~np.isfinite(new)
        both = np.isfinite(lo) & np.isfinite(hi)
        # np.where evaluates every branch: lo + hi is -inf + inf where the bracket is still open.
        with np.errstate(invalid="ignore"):
            new = np.where(outside & both, 0.5 * (lo + hi), new)
        new = np.where(outside & ~both & np.isfinite(lo), lo + _COX_MAX_STEP, new)
        new = np.where(outside & ~both & np.isfinite(hi), hi - _COX_MAX_STEP, new)
        done = (np.abs(new - bt) < _COX_TOL) | (score == 0)
        bt = new
        if np.any(done):
            r = rows[done]
            beta[r], info[r], converged[r] = bt[done], inf_[done], True
            keep = ~done
            rows, a, b, d1 = rows[keep], a[keep], b[keep], d1[keep]
            bt, lo, hi = bt[keep], lo[keep], hi[keep]
    beta[rows] = np.nan  # did not converge within _COX_MAX_ITER steps (never seen in practice)
    return beta, info, converged


def _analyse(time, event, treated, logrank: bool = True, cox: bool = True) -> dict:
    """Sort each row once and compute the requested statistics, block by block of rows."""
    m, n = time.shape
    rows = max(1, _BLOCK_CELLS // n)
    out = {}
    if logrank:
        out["chi2"], out["p"] = np.empty(m), np.empty(m)
    if cox:
        out["beta"], out["info"] = np.empty(m), np.empty(m)
        out["converged"] = np.empty(m, dtype=bool)
    out["deaths"] = np.empty(m, dtype=np.int64)
    for s in range(0, m, rows):
        block = slice(s, min(s + rows, m))
        tab = _risk_table(time[block], event[block], treated if treated.ndim == 1 else treated[block])
        out["deaths"][block] = tab.deaths
        if logrank:
            out["chi2"][block], out["p"][block] = _logrank_from_table(tab)
        if cox:
            out["beta"][block], out["info"][block], out["converged"][block] = _cox_from_table(tab)
    return out


# ----- public statistics ---------------------------------------------------------------------
def logrank_many(time, event, treated):
    """Log-rank test of treatment vs control for every trial (row) at once.

    Identical to :func:`lifelines.statistics.logrank_test` (hypergeometric variance, so tied
    times are handled as lifelines does), vectorised over rows.

    Parameters
    ----------
    time : array_like, shape (n,) or (n_sims, n)
        Months from randomisation to death or censoring (finite, >= 0).
    event : array_like of bool or 0/1, same shape as ``time``
        True (1) for an observed death, False (0) for a censored time.
    treated : array_like of bool or 0/1, shape (n,) or same shape as ``time``
        True (1) for the treatment arm. Each trial needs both arms.

    Returns
    -------
    chi2, p : numpy.ndarray, shape (n_sims,) (scalars for 1-D input)
        The chi-square statistic (1 degree of freedom) and its p-value. When a trial carries
        no information (no deaths, or deaths only while one arm has nobody left at risk) both
        are NaN; lifelines reports chi2 = 0, p = 1 there.

    Examples
    --------
    >>> import edu_survival as es
    >>> time, event, treated = es.simulate_many(es.LAPATINIB, 1000, seed=1)
    >>> chi2, p = es.logrank_many(time, event, treated)
    >>> p.shape
    (1000,)
    >>> bool(0.5 < (p < 0.05).mean() < 0.8)
    True
    """
    time, event, treated, one = _check_data(time, event, treated)
    res = _analyse(time, event, treated, cox=False)
    chi2, p = res["chi2"], res["p"]
    if one:
        return chi2[0], p[0]
    return chi2, p


@dataclass(frozen=True)
class CoxManyResult:
    """Cox model (treated as the only covariate) fitted to every trial; arrays, one per trial.

    Attributes
    ----------
    log_hr, se : numpy.ndarray
        Estimated log hazard ratio (treatment / control) and its standard error
        (from the observed information, as lifelines).
    hr, lower, upper : numpy.ndarray
        Hazard ratio and its Wald confidence interval ``exp(log_hr -/+ z * se)``.
    z, p : numpy.ndarray
        Wald statistic ``log_hr / se`` and its two-sided p-value.
    alpha : float
        The CI has level ``1 - alpha``.
    converged : numpy.ndarray of bool
        True where Newton-Raphson reached a finite estimate.

    Notes
    -----
    When every death happens in one arm while the other arm still has patients at risk,
    the estimate is infinite: ``log_hr`` is -inf (``hr`` 0) or +inf (``hr`` inf), ``se`` is
    inf, the CI is ``(0, inf)`` and ``z`` and ``p`` are NaN (lifelines instead stops after
    many steps with a convergence warning and an arbitrary large estimate). When a trial
    carries no information at all (no deaths) every field is NaN.
    """

    log_hr: np.ndarray
    se: np.ndarray
    hr: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    z: np.ndarray
    p: np.ndarray
    alpha: float = 0.05
    converged: np.ndarray = field(default=None, repr=False)

    def __len__(self) -> int:
        return int(np.size(self.hr))

    def to_frame(self) -> pd.DataFrame:
        """The results as a DataFrame, one row per trial."""
        cols = ("hr", "lower", "upper", "log_hr", "se", "z", "p")
        return pd.DataFrame({c: np.atleast_1d(getattr(self, c)) for c in cols})


def _cox_result(beta, info, converged, alpha: float, one: bool) -> CoxManyResult:
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(converged, 1.0 / np.sqrt(info), np.where(np.isnan(beta), np.nan, np.inf))
        z = np.where(converged, beta / se, np.nan)
    p = special.chdtrc(1, z**2)
    crit = special.ndtri(1.0 - alpha / 2.0)
    with np.errstate(invalid="ignore", over="ignore"):
        lower = np.where(converged, np.exp(beta - crit * se), np.where(np.isnan(beta), np.nan, 0.0))
        upper = np.where(converged, np.exp(beta + crit * se), np.where(np.isnan(beta), np.nan, np.inf))
    out = {"log_hr": beta, "se": se, "hr": np.exp(beta), "lower": lower, "upper": upper, "z": z, "p": p}
    if one:
        out = {k: v[0] for k, v in out.items()}
        converged = converged[0]
    return CoxManyResult(**out, alpha=alpha, converged=converged)


def cox_many(time, event, treated, alpha: float = 0.05) -> CoxManyResult:
    """Cox proportional hazards model, treatment as the only covariate, for every trial.

    Newton-Raphson on the partial likelihood with Efron's method for tied deaths, as
    :class:`lifelines.CoxPHFitter`, vectorised over rows (trials).

    Parameters
    ----------
    time : array_like, shape (n,) or (n_sims, n)
        Months from randomisation to death or censoring (finite, >= 0).
    event : array_like of bool or 0/1, same shape as ``time``
        True (1) for an observed death, False (0) for a censored time.
    treated : array_like of bool or 0/1, shape (n,) or same shape as ``time``
        True (1) for the treatment arm. Each trial needs both arms.
    alpha : float
        The confidence intervals have level ``1 - alpha`` (strictly between 0 and 1).

    Returns
    -------
    CoxManyResult
        Arrays ``hr``, ``se`` (of log HR), ``lower``, ``upper``, ``p``, ``log_hr`` and ``z``,
        one value per trial (scalars for 1-D input). Infinite estimates (all deaths in one
        arm) and trials without information are reported as described in
        :class:`CoxManyResult`; this function never raises for them.

    Examples
    --------
    >>> import edu_survival as es
    >>> time, event, treated = es.simulate_many(es.LAPATINIB, 1000, seed=1)
    >>> fit = es.cox_many(time, event, treated)
    >>> bool(0.68 < np.median(fit.hr) < 0.76)
    True
    """
    alpha = check_fraction("alpha", alpha)
    time, event, treated, one = _check_data(time, event, treated)
    res = _analyse(time, event, treated, logrank=False)
    return _cox_result(res["beta"], res["info"], res["converged"], alpha, one)


def _km_median_rows(time: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Kaplan-Meier median of each row (inf where the curve never reaches 0.5)."""
    # Sort once, on int64 keys: a non-negative float orders like its bit pattern, and the lowest
    # bit (one unit in the 16th digit) carries "censored" so that at a tied time deaths come
    # first, as in the Kaplan-Meier estimator. Sorting keys is ~2x faster than argsort + take.
    key = (np.ascontiguousarray(time).view(np.int64) & ~np.int64(1)) | (~event).astype(np.int64)
    key.sort(axis=1)
    k = key.shape[1]
    factor = np.where((key & 1) == 0, 1.0 - 1.0 / (k - np.arange(k)), 1.0)
    # "At or below 0.5" in exact arithmetic: an even arm loses exactly half after n/2 deaths,
    # which the product of the factors may miss by a rounding error either way.
    below = np.cumprod(factor, axis=1) <= 0.5 + 1e-12
    first = np.argmax(below, axis=1)
    rows = np.arange(len(key))
    median = (key[rows, first] & ~np.int64(1)).view(np.float64)
    return np.where(below[rows, first], median, np.inf)


def km_medians_many(time, event, treated) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier median survival of each arm in every trial (row) at once.

    The median is the first time at which the curve is at or below 0.5 (lifelines'
    convention, taken in exact arithmetic where the curve lands on 0.5), exact to one unit in
    the 16th significant digit; ``inf`` where an arm's curve never gets there (not reached).

    Parameters
    ----------
    time, event, treated : array_like
        As for :func:`cox_many`; ``treated`` must be one vector of length ``n`` shared by all
        trials (as :func:`simulate_many` returns it).

    Returns
    -------
    median_control, median_treatment : numpy.ndarray, shape (n_sims,) (scalars for 1-D input)
        Months.

    Examples
    --------
    >>> import edu_survival as es
    >>> time, event, treated = es.simulate_many(es.LAPATINIB, 1000, seed=1)
    >>> control, treatment = km_medians_many(time, event, treated)
    >>> bool(16 < np.median(control) < 19 and 22 < np.median(treatment) < 26)
    True
    """
    time, event, treated, one = _check_data(time, event, treated)
    if treated.ndim != 1:
        raise ValueError(f"treated must have shape ({time.shape[1]},), one arm vector for all trials")
    out = tuple(_km_median_rows(time[:, arm], event[:, arm]) for arm in (~treated, treated))
    return (out[0][0], out[1][0]) if one else out


# ----- power ---------------------------------------------------------------------------------
_TESTS = {"logrank": "log-rank test", "cox": "Cox model's Wald test"}


def _check_test(test) -> str:
    if not isinstance(test, str) or test not in _TESTS:
        raise ValueError(f"test must be one of {sorted(_TESTS)}; got {test!r}")
    return test


def _check_progress(progress):
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise ValueError(f"progress must be None (decide automatically), True or False; got {progress!r}")
    return progress


def _wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (sensible even at 0 or n successes)."""
    z = float(special.ndtri(0.5 + level / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _no_true_effect(scenario) -> bool:
    """True when the arms' survival is the same at every time (hazard ratio 1 throughout)."""
    return scenario.hr == 1 and (scenario.delay == 0 or scenario.early_hr == 1)


def _rate_name(scenario) -> str:
    """What the share of significant trials is: power, or with no true effect the
    false-positive rate."""
    return "False-positive rate (type I error)" if _no_true_effect(scenario) else "Power"


def _defined_hrs(hrs) -> tuple[np.ndarray, int]:
    """The finite, positive hazard ratios, and how many trials had none (NaN, 0 or inf)."""
    hrs = np.asarray(hrs, dtype=float)
    ok = np.isfinite(hrs) & (hrs > 0)
    return hrs[ok], int(hrs.size - ok.sum())


def _why_undefined(hrs, deaths) -> str:
    """Why the hazard ratio was undefined, trial by trial, counted by cause."""
    hrs, deaths = np.asarray(hrs, dtype=float), np.asarray(deaths)
    no_info = np.isnan(hrs)
    causes = (
        (no_info & (deaths == 0), "no deaths"),
        (no_info & (deaths > 0), "deaths only when one arm had nobody left at risk"),
        ((hrs == 0) | np.isinf(hrs), "perfect separation (the deaths fell so unevenly, e.g. all in "
                                     "one arm, that the Cox estimate has no finite value)"),
    )
    parts = [(int(mask.sum()), words) for mask, words in causes if mask.any()]
    if len(parts) == 1:
        return parts[0][1]
    return ", ".join(f"{words} in {count:,}" for count, words in parts)


class Coverage(NamedTuple):
    """How often confidence intervals contained the truth, with its Monte Carlo uncertainty."""

    share: float
    se: float
    trials: int


def _true_hr_words(scenario) -> str:
    """The true hazard ratio in words; with a delayed effect, when it applies (issue 11, item 10)."""
    if scenario.delay > 0 and scenario.early_hr != scenario.hr:
        return (f"{scenario.hr:.2f} after month {scenario.delay:g} "
                f"({scenario.early_hr:.2f} before, so not proportional hazards)")
    return f"{scenario.hr:.2f}"


@dataclass(frozen=True, repr=False)
class PowerResult:
    """How often simulated trials of a scenario reach significance.

    Its text calls that share the power, or, when the scenario has no true effect (hazard
    ratio 1 throughout), the false-positive rate (type I error); it gives the median of the
    hazard ratios that could be estimated and how many trials had none.

    Attributes
    ----------
    power : float
        Fraction of simulated trials with a two-sided p-value below ``alpha``.
    se : float
        Binomial Monte Carlo standard error of ``power``, ``sqrt(power (1 - power) / n_sims)``.
    ci : tuple of float
        95% Wilson interval for the true power (Monte Carlo uncertainty only).
    p_values, hrs : numpy.ndarray of float, shape (n_sims,)
        Each trial's p-value and Cox hazard ratio (treatment / control), in trial order: the
        raw material for a "dance of the p-values". A trial whose statistic is undefined has
        NaN (it counts as not significant); see :func:`logrank_many` and :class:`CoxManyResult`.
    deaths : numpy.ndarray of int, shape (n_sims,)
        Deaths observed by the analysis in each trial.
    hr_lower, hr_upper : numpy.ndarray of float, shape (n_sims,)
        Each trial's ``1 - alpha`` (95%) Wald confidence interval for the hazard ratio, from
        the same Cox fit as ``hrs`` (see :class:`CoxManyResult`): ``(0, inf)`` when every
        death fell in one arm, NaN when the trial had no information.
    scenario : Scenario
        The assumptions the trials were simulated from.
    alpha : float
        Two-sided significance level.
    n_sims : int
        Number of simulated trials.
    test : str
        ``"logrank"`` or ``"cox"`` (Wald test of the Cox hazard ratio).
    """

    power: float
    se: float
    ci: tuple[float, float]
    p_values: np.ndarray
    hrs: np.ndarray
    deaths: np.ndarray
    scenario: Scenario
    alpha: float
    n_sims: int
    test: str = "logrank"
    hr_lower: np.ndarray | None = None
    hr_upper: np.ndarray | None = None

    @property
    def n_significant(self) -> int:
        """Number of trials with ``p < alpha``."""
        return int(np.count_nonzero(self.p_values < self.alpha))

    @property
    def covers(self) -> np.ndarray:
        """Per trial: does its confidence interval contain the true hazard ratio?

        True or False for every trial whose interval is defined (an interval of ``(0, inf)``,
        when all deaths fell in one arm, contains it); False also where the trial had no
        information (its interval is NaN; :attr:`coverage` leaves those out).
        """
        if self.hr_lower is None or self.hr_upper is None:
            raise ValueError("this PowerResult carries no confidence intervals (made before "
                             "hr_lower/hr_upper existed); run edu_survival.power again")
        true_hr = self.scenario.hr
        return (self.hr_lower <= true_hr) & (true_hr <= self.hr_upper)

    @property
    def coverage(self) -> Coverage:
        """Share of trials whose ``1 - alpha`` interval contains the true hazard ratio.

        A :class:`Coverage` ``(share, se, trials)``: the share among the trials whose interval
        is defined, its binomial Monte Carlo standard error ``sqrt(share (1 - share) / trials)``,
        and that number of trials. About ``1 - alpha`` when the hazards are proportional;
        with a delayed effect (``scenario.delay > 0``) the Cox model estimates an average of
        the early and late hazard ratios, and the intervals cover the late one (``scenario.hr``)
        less often.
        """
        covers = self.covers
        defined = int(np.count_nonzero(~np.isnan(self.hr_lower)))
        if defined == 0:
            return Coverage(math.nan, math.nan, 0)
        share = int(np.count_nonzero(covers)) / defined
        return Coverage(share, math.sqrt(share * (1 - share) / defined), defined)

    def _sentence(self) -> str:
        lo, hi = self.ci
        finite, undefined = _defined_hrs(self.hrs)
        deaths = f"A typical trial saw {np.median(self.deaths):.0f} deaths"
        why = _why_undefined(self.hrs, self.deaths)
        if len(finite) == 0:
            hr_text = f"{deaths}; no trial could estimate the hazard ratio: {why}."
        else:
            over = (f"median over the {len(finite):,} trials where it was defined; in "
                    f"{undefined:,} it was undefined: {why}" if undefined else "median over trials")
            hr_text = f"{deaths} and estimated the hazard ratio at {np.median(finite):.2f} ({over})."
        return (
            f"{_rate_name(self.scenario)} {self.power:.1%} (95% CI {lo:.1%} to {hi:.1%}, Monte Carlo "
            f"SE {self.se:.1%}): {self.n_significant:,} of {self.n_sims:,} simulated trials of "
            f"{self.scenario.n:,} patients with a true hazard ratio of {_true_hr_words(self.scenario)} "
            f"gave p < {self.alpha:g} with the {_TESTS[self.test]}. {hr_text}"
        )

    def __str__(self) -> str:
        return self._sentence()

    def __repr__(self) -> str:
        return f"PowerResult(power={self.power:.4f}, se={self.se:.4f}, n_sims={self.n_sims}, alpha={self.alpha:g})"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self._sentence())}</p>"


def _progress_bar(total: int, cells: float, progress, desc: str):
    show = cells * _SECONDS_PER_CELL > _PROGRESS_AFTER_SECONDS if progress is None else bool(progress)
    if not show:
        return None
    from tqdm.auto import tqdm  # notebook-aware; imported only when a bar is shown

    return tqdm(total=total, unit="trial", desc=desc)


def _power(scenario, n_sims, alpha, seed, test, bar) -> PowerResult:
    p_values = np.empty(n_sims)
    hrs = np.empty(n_sims)
    lower = np.empty(n_sims)
    upper = np.empty(n_sims)
    deaths = np.empty(n_sims, dtype=np.int64)
    row = 0
    for time, event, treated in iter_trials(scenario, n_sims, seed):
        res = _analyse(time, event, treated, logrank=test == "logrank", cox=True)
        k = slice(row, row + len(time))
        fit = _cox_result(res["beta"], res["info"], res["converged"], alpha, False)
        p_values[k] = res["p"] if test == "logrank" else fit.p
        hrs[k] = np.exp(res["beta"])
        lower[k], upper[k] = fit.lower, fit.upper
        deaths[k] = res["deaths"]
        row += len(time)
        if bar is not None:
            bar.update(len(time))
    significant = int(np.count_nonzero(p_values < alpha))  # NaN counts as not significant
    est = significant / n_sims
    return PowerResult(
        power=est,
        se=math.sqrt(est * (1 - est) / n_sims),
        ci=_wilson(significant, n_sims),
        p_values=p_values,
        hrs=hrs,
        deaths=deaths,
        scenario=scenario,
        alpha=alpha,
        n_sims=n_sims,
        test=test,
        hr_lower=lower,
        hr_upper=upper,
    )


def power(
    scenario: Scenario,
    n_sims: int = 1000,
    alpha: float = 0.05,
    seed=None,
    progress: bool | None = None,
    test: str = "logrank",
) -> PowerResult:
    """Estimate a design's power by simulating many trials (times in months).

    Each trial is simulated from ``scenario`` (as :func:`edu_survival.simulate`) and analysed
    with a two-sided test; the power is the fraction of trials with ``p < alpha``. The work
    is done in chunks, so memory stays bounded (a few MB beyond the per-trial result
    arrays) even for ``n_sims = 100_000``.

    Parameters
    ----------
    scenario : Scenario
        What we assume about the trial.
    n_sims : int
        Number of simulated trials (>= 1). The Monte Carlo standard error is at most
        ``0.5 / sqrt(n_sims)`` (0.016 for 1,000 trials).
    alpha : float
        Two-sided significance level, strictly between 0 and 1.
    seed : int, numpy.random.Generator or None
        Random seed; the same seed gives the same trials as ``simulate_many`` with that seed.
    progress : bool or None
        Show a progress bar (tqdm, notebook-aware). None shows one only when the run is
        expected to take more than about a second.
    test : {"logrank", "cox"}
        The log-rank test, or the Wald test of the Cox model's hazard ratio.

    Returns
    -------
    PowerResult
        ``power``, its ``se`` and 95% ``ci``, and per-trial ``p_values``, ``hrs`` (Cox hazard
        ratios) with their ``1 - alpha`` intervals ``hr_lower``, ``hr_upper``, and ``deaths``;
        ``coverage`` is the share of those intervals that contain the true hazard ratio;
        ``str(result)`` is a plain-language sentence.

    Examples
    --------
    >>> import edu_survival as es
    >>> res = es.power(es.LAPATINIB, n_sims=2000, seed=1)
    >>> bool(0.55 < res.power < 0.75), res.p_values.shape
    (True, (2000,))
    """
    scenario = _check_scenario(scenario)
    n_sims = check_whole("n_sims", n_sims, 1)
    alpha = check_fraction("alpha", alpha)
    test = _check_test(test)
    progress = _check_progress(progress)
    seed = check_seed(seed)
    bar = _progress_bar(n_sims, n_sims * scenario.n, progress, "Simulating trials")
    try:
        return _power(scenario, n_sims, alpha, seed, test, bar)
    finally:
        if bar is not None:
            bar.close()


def power_curve(
    scenario: Scenario,
    vary: str = "n",
    values=None,
    n_sims: int = 1000,
    alpha: float = 0.05,
    seed=None,
    test: str = "logrank",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Simulated and analytic power as one scenario field varies.

    Every point uses the same seed (common random numbers), so the curve is smooth: the
    differences between points come from the design, not from fresh Monte Carlo noise.

    Parameters
    ----------
    scenario : Scenario
        The starting assumptions; only ``vary`` changes.
    vary : str
        The :class:`Scenario` field to vary, e.g. ``"n"``, ``"median_treatment"``,
        ``"follow_up"`` (months) or ``"allocation"``.
    values : sequence
        The values ``vary`` takes (at least one; each must be valid for that field).
    n_sims : int
        Simulated trials per point (>= 1).
    alpha : float
        Two-sided significance level, strictly between 0 and 1.
    seed : int, numpy.random.Generator or None
        Random seed, shared by all points.
    test : {"logrank", "cox"}
        The test whose power is simulated.
    progress : bool or None
        Progress bar over all points; None shows one only when the run takes over a second.

    Returns
    -------
    pandas.DataFrame
        One row per value: the varied field, ``power`` (simulated), ``se`` (Monte Carlo
        standard error), ``ci_low``, ``ci_high`` (95%) and ``analytic_power`` (from
        :func:`edu_survival.design.analytic_power`).

    Examples
    --------
    >>> import edu_survival as es
    >>> curve = es.power_curve(es.LAPATINIB, vary="n", values=[100, 321, 600], n_sims=500, seed=1)
    >>> list(curve.columns[:3]), bool(curve.power.is_monotonic_increasing)
    (['n', 'power', 'se'], True)
    """
    scenario = _check_scenario(scenario)
    _check_vary(vary, values)
    n_sims = check_whole("n_sims", n_sims, 1)
    alpha = check_fraction("alpha", alpha)
    test = _check_test(test)
    progress = _check_progress(progress)
    scenarios = [scenario.replace(**{vary: v}) for v in values]  # Scenario names a bad value
    seed = _common_seed(seed)
    cells = n_sims * sum(s.n for s in scenarios)
    bar = _progress_bar(n_sims * len(scenarios), cells, progress, f"Power curve over {vary}")
    try:
        rows = [
            _curve_point(vary, value, sc, n_sims, alpha, seed, test, bar)
            for value, sc in zip(values, scenarios, strict=True)
        ]
    finally:
        if bar is not None:
            bar.close()
    return pd.DataFrame(rows)


def _check_vary(vary, values) -> None:
    """``vary`` names a Scenario field and ``values`` is a non-empty 1-D sequence."""
    if not isinstance(vary, str) or vary not in Scenario.field_names():
        raise ValueError(f"vary must be one of the Scenario fields {list(Scenario.field_names())}; got {vary!r}")
    if values is None or isinstance(values, (str, bytes)) or np.ndim(values) != 1 or len(values) == 0:
        raise ValueError(f"values must be a non-empty 1-D sequence of {vary} values; got {values!r}")


def _common_seed(seed) -> int:
    """One integer seed that every point of a curve starts from (common random numbers)."""
    seed = check_seed(seed)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**63))
    if seed is None:
        return np.random.SeedSequence().entropy
    return seed


def _curve_point(vary: str, value, scenario: Scenario, n_sims, alpha, seed, test, bar) -> dict:
    """One row of :func:`power_curve`: simulated power with its Monte Carlo error, and the
    analytic power beside it."""
    res = _power(scenario, n_sims, alpha, seed, test, bar)
    return {
        vary: value,
        "power": res.power,
        "se": res.se,
        "ci_low": res.ci[0],
        "ci_high": res.ci[1],
        "analytic_power": float(analytic_power(scenario, alpha)),
    }
