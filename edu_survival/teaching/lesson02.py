"""Helpers of lesson 02 (the Kaplan–Meier curve by hand), and of its exercises, only."""

from __future__ import annotations

import pandas as pd

from ..analyze import kaplan_meier
from ..censoring import naive_survival


def km_at(data: pd.DataFrame, t: float) -> float:
    """Kaplan–Meier survival estimate at ``t``."""
    return float(kaplan_meier(data["time"], data["event"]).at(t))


def naive_share_alive(data: pd.DataFrame, t: float, censored: str = "alive") -> float:
    """A *wrong* share alive at ``t``: ``censored="alive"`` counts censored patients as
    survivors, ``censored="dropped"`` removes those censored before ``t``
    (:func:`edu_survival.censoring.naive_survival`)."""
    methods = {"alive": "share who died", "dropped": "drop censored"}
    if censored not in methods:
        raise ValueError(f"censored must be 'alive' or 'dropped'; got {censored!r}")
    return naive_survival(data["time"], data["event"], t, methods[censored])


def km_comparison_sentence(data: pd.DataFrame, t: float) -> str:
    """Kaplan–Meier survival at ``t`` beside the two naive shares that mishandle censoring."""
    return (
        f"Share alive at month {t:g}:\n"
        f"  censored patients counted as survivors: {naive_share_alive(data, t, 'alive'):.3f}\n"
        f"  censored patients dropped:              {naive_share_alive(data, t, 'dropped'):.3f}\n"
        f"  Kaplan–Meier:                           {km_at(data, t):.3f}"
    )
