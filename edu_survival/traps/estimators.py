"""Kaplan–Meier and Aalen–Johansen estimates for many simulated trials at once.

Rows are trials, columns patients (times in months), as in :mod:`edu_survival.montecarlo`.
Each row is sorted once; tied times are handled as lifelines does (a death and a censoring at
the same time: the censored patient is still at risk at that time). The results equal
lifelines' :class:`~lifelines.KaplanMeierFitter` and :class:`~lifelines.AalenJohansenFitter`
to 1e-10 (``tests/test_traps_estimators.py``); the lessons' Monte Carlo checks need thousands
of curves, for which fitting lifelines one trial at a time takes minutes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cumulative_incidence_many", "km_many"]


def _as_rows(time, cause):
    time = np.asarray(time, dtype=float)
    cause = np.asarray(cause)
    one = time.ndim == 1
    time, cause = np.atleast_2d(time), np.atleast_2d(cause)
    if time.shape != cause.shape or time.shape[-1] < 1:
        raise ValueError(f"time and event must have the same shape (n,) or (n_sims, n); got "
                         f"{time.shape} and {cause.shape}")
    if not np.all(np.isfinite(time)) or np.any(time < 0):
        raise ValueError("time must be finite and >= 0 (months)")
    if cause.dtype == bool:
        cause = cause.astype(int)
    if cause.dtype.kind not in "iuf" or np.any(cause < 0) or np.any(cause != np.round(cause)):
        raise ValueError("event must hold whole numbers: 0 censored, 1 (or another cause) an event")
    return time, cause.astype(int), one


def _steps(time, cause, cause_of_interest):
    """Per sorted position: log of the all-cause KM after it, and the CIF increment at it.

    Only the last position of each group of tied times carries the group's step.
    """
    m, n = time.shape
    order = np.argsort(time, axis=1, kind="stable")
    ts = np.take_along_axis(time, order, axis=1)
    cs = np.take_along_axis(cause, order, axis=1)
    idx = np.arange(n)
    new = np.ones((m, n), dtype=bool)
    new[:, 1:] = ts[:, 1:] != ts[:, :-1]
    last = np.ones((m, n), dtype=bool)
    last[:, :-1] = new[:, 1:]
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=1)
    cum_any = np.cumsum(cs > 0, axis=1)
    cum_k = np.cumsum(cs == cause_of_interest, axis=1)
    before_any = np.take_along_axis(np.c_[np.zeros((m, 1), int), cum_any], start, axis=1)
    before_k = np.take_along_axis(np.c_[np.zeros((m, 1), int), cum_k], start, axis=1)
    at_risk = (n - start).astype(float)
    d_any = np.where(last, cum_any - before_any, 0)
    d_k = np.where(last, cum_k - before_k, 0)
    with np.errstate(divide="ignore"):
        log_factor = np.where(last, np.log1p(-d_any / at_risk), 0.0)
    log_s = np.cumsum(log_factor, axis=1)
    log_s_before = np.take_along_axis(np.c_[np.zeros((m, 1)), log_s], start, axis=1)
    increment = np.exp(log_s_before) * d_k / at_risk
    return ts, log_s, np.cumsum(increment, axis=1)


def _at(ts, cumulative, times, start_value):
    """The step function's value at each of ``times`` (right-continuous), row by row."""
    times = np.atleast_1d(np.asarray(times, dtype=float))
    out = np.empty((ts.shape[0], len(times)))
    padded = np.c_[np.full((ts.shape[0], 1), start_value), cumulative]
    for j, t in enumerate(times):
        k = np.count_nonzero(ts <= t, axis=1)
        out[:, j] = padded[np.arange(ts.shape[0]), k]
    return out


def km_many(time, event, times) -> np.ndarray:
    """Kaplan–Meier survival at ``times`` for each trial (row).

    Parameters
    ----------
    time : array_like, shape (n,) or (n_sims, n)
        Months to the event or censoring (finite, >= 0).
    event : array_like, same shape
        1 (True) for an event, 0 for a censored time. Any value above 0 counts as an event.
    times : array_like
        Where to read the curves (months).

    Returns
    -------
    numpy.ndarray, shape (n_sims, len(times)) or (len(times),) for one trial

    Examples
    --------
    >>> km_many([2.0, 3.0, 3.0, 5.0], [1, 1, 0, 1], [1, 2, 3, 5]).round(3).tolist()
    [1.0, 0.75, 0.5, 0.0]
    """
    time, cause, one = _as_rows(time, event)
    ts, log_s, _ = _steps(time, (cause > 0).astype(int), 1)
    out = _at(ts, np.exp(log_s), times, 1.0)
    return out[0] if one else out


def cumulative_incidence_many(time, cause, times, cause_of_interest: int = 1) -> np.ndarray:
    """Aalen–Johansen cumulative incidence of one cause at ``times``, for each trial (row).

    ``CIF(t) = sum over event times u <= t of S(u-) d_k(u) / n(u)``, where ``S`` is the
    Kaplan–Meier curve of the first event of *any* cause, ``d_k`` the events of the cause of
    interest and ``n`` the number at risk. With one cause it is ``1 - Kaplan–Meier``.

    Parameters
    ----------
    time : array_like, shape (n,) or (n_sims, n)
        Months to the first event or censoring.
    cause : array_like of int, same shape
        0 censored, 1, 2, ... the cause of the event.
    times : array_like
        Where to read the curves (months).
    cause_of_interest : int
        The cause whose cumulative incidence is wanted (>= 1).

    Examples
    --------
    >>> cumulative_incidence_many([1.0, 2.0, 3.0, 4.0], [1, 2, 0, 1], [1, 2, 4]).round(3).tolist()
    [0.25, 0.25, 0.75]
    """
    time, cause, one = _as_rows(time, cause)
    if isinstance(cause_of_interest, bool) or int(cause_of_interest) != cause_of_interest or cause_of_interest < 1:
        raise ValueError(f"cause_of_interest must be a whole number >= 1; got {cause_of_interest!r}")
    ts, _, cif = _steps(time, cause, int(cause_of_interest))
    out = _at(ts, cif, times, 0.0)
    return out[0] if one else out
