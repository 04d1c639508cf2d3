"""The Kaplan–Meier calculation one row at a time, for learners to follow by hand.

:func:`life_table` lists every distinct observed time of a small data set with the patients
at risk just before it, the deaths and censorings at it, the chance of surviving that moment
(``1 - deaths / at risk``) and the running product, which is the Kaplan–Meier estimate.
:func:`example_patients` gives a dozen simulated patients (never patient data) to step through.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .analyze import kaplan_meier
from .scenario import LAPATINIB
from .simulate import simulate
from .tables import is_simulated, with_caption

__all__ = ["example_patients", "life_table"]


def example_patients(n: int = 12, seed: int = 6) -> pd.DataFrame:
    """A small simulated group of patients (both arms pooled), times rounded to 0.1 month.

    Drawn from the news story's control-arm assumptions with some loss to follow-up, so that
    both deaths and censorings appear. Simulated, not patient data.

    Parameters
    ----------
    n : int
        Number of patients, 2 to 40 (a table longer than that cannot be followed by hand).
    seed : int
        Random seed.

    Returns
    -------
    pandas.DataFrame
        ``patient`` (1..n, in order of enrolment), ``entry`` and ``time`` (months), ``event``
        (1 death, 0 censored) and ``reason``.

    Examples
    --------
    >>> df = example_patients()
    >>> len(df), int(df.event.sum()), int((df.event == 0).sum())
    (12, 7, 5)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= 40:
        raise ValueError(f"n must be a whole number of patients from 2 to 40; got {n!r}")
    scenario = LAPATINIB.replace(n=n, median_treatment=LAPATINIB.median_control, accrual=18.0,
                                 follow_up=12.0, dropout=0.15)
    df = simulate(scenario, seed)
    df = df.sort_values("entry", kind="stable").reset_index(drop=True)
    df["patient"] = np.arange(1, n + 1)
    # One decimal: easy to read; a time rounded to 0 would be a death at randomisation.
    df["time"] = np.maximum(df["time"].round(1), 0.1)
    df["entry"] = df["entry"].round(1)
    df.attrs.update(simulate(scenario, seed).attrs)
    return df[["patient", "entry", "time", "event", "reason"]]


def _numbers(name: str, values) -> np.ndarray:
    """``values`` as an array of real numbers (ValueError naming ``name`` otherwise)."""
    array = np.asarray(values) if isinstance(values, (list, tuple, np.ndarray, pd.Series)) else None
    if array is None or array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of numbers; got {values!r}"[:300])
    return array.astype(float) if name == "time" else array


def life_table(time, event) -> pd.DataFrame:
    """The Kaplan–Meier life table: one row per distinct observed time.

    Parameters
    ----------
    time : array of float
        Months from randomisation to death or censoring (>= 0).
    event : array of 0/1
        1 where the death was observed, 0 where the patient was censored.

    Returns
    -------
    pandas.DataFrame
        Columns ``time``; ``at_risk`` (followed and alive just before it; a patient censored at
        a time of death still counts as at risk then); ``deaths``; ``censored``; ``factor``
        (``1 - deaths / at_risk``, the chance of surviving this time for those at risk);
        ``survival`` (the product of the factors so far: the Kaplan–Meier estimate); and the
        arithmetic as text: ``factor_text`` (e.g. ``"1 - 1/12 = 0.917"``) and
        ``product_text`` (e.g. ``"1.000 × 0.917 = 0.917"``). ``attrs["caption"]`` says what the table
        is, and that the data are simulated when ``time`` is a column of simulated data.

    Examples
    --------
    >>> table = life_table([2.0, 3.0, 3.0, 5.0], [1, 1, 0, 1])
    >>> table[["time", "at_risk", "deaths", "censored", "survival"]].to_numpy().tolist()
    [[2.0, 4.0, 1.0, 0.0, 0.75], [3.0, 3.0, 1.0, 1.0, 0.5], [5.0, 1.0, 1.0, 0.0, 0.0]]
    >>> table.product_text[1]
    '0.750 × 0.667 = 0.500'
    """
    curve = kaplan_meier(*_check_time_and_event(time, event))
    keep = (curve.events + curve.censored) > 0  # drop the added time-0 row
    t, n, d, c = curve.time[keep], curve.at_risk[keep], curve.events[keep], curve.censored[keep]
    factor = 1.0 - d / n
    survival = np.cumprod(factor)
    before = np.r_[1.0, survival[:-1]]
    table = pd.DataFrame(
        {
            "time": t,
            "at_risk": n,
            "deaths": d,
            "censored": c,
            "factor": factor,
            "survival": survival,
            "factor_text": [f"1 - {di}/{ni} = {fi:.3f}" for di, ni, fi in zip(d, n, factor, strict=True)],
            "product_text": [
                f"{b:.3f} × {fi:.3f} = {s:.3f}" for b, fi, s in zip(before, factor, survival, strict=True)
            ],
        }
    )
    # A column of a simulated data set carries the data set's attrs.
    return with_caption(table, "The Kaplan–Meier life table, one row per observed time (months)",
                        is_simulated(time))


def _check_time_and_event(time, event) -> tuple[np.ndarray, np.ndarray]:
    """``time`` as floats (finite, >= 0) and ``event`` (0/1) as arrays of one length >= 1."""
    time, event = _numbers("time", time), _numbers("event", event)
    if time.ndim != 1 or time.shape != event.shape or len(time) == 0:
        raise ValueError(
            f"time and event must be 1-D arrays of the same length >= 1; got shapes {time.shape} "
            f"and {event.shape}"
        )
    if not np.all(np.isfinite(time)) or np.any(time < 0):
        raise ValueError("time must hold finite times >= 0 (months)")
    if not np.all(np.isin(event, (0, 1))):
        raise ValueError(f"event must hold only 0 (censored) and 1 (death); got {sorted(set(event.tolist()))}")
    return time, event
