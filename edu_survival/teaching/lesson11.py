"""Helpers of lesson 11 (traps in the trial: interim looks, crossover, surrogate endpoints).

Thin calls into :mod:`edu_survival.traps` with the lesson's settings. Every trial here is
simulated, from the story's summary figures or from invented settings; none is patient data.
"""

from __future__ import annotations

import functools

import pandas as pd

from ..scenario import LAPATINIB
from ..tables import with_caption
from ..traps import boundaries, crossover, looks, published, surrogate

LOOKS = 5
"""Interim analyses in the lesson's trials: at a fifth, two fifths, ... of the planned deaths."""


@functools.lru_cache(maxsize=2)
def null_looks(n_sims: int = 2000, seed: int = 2024) -> looks.LookPaths:
    """Trials of the story's design with no effect at all, each analysed at 5 looks."""
    return looks.simulate_looks(looks.NULL_SCENARIO, looks=LOOKS, n_sims=n_sims, seed=seed)


@functools.lru_cache(maxsize=2)
def effect_looks(n_sims: int = 1000, seed: int = 2025) -> looks.LookPaths:
    """Trials of the story's design with its medians (true hazard ratio 0.72), at 5 looks."""
    return looks.simulate_looks(LAPATINIB, looks=LOOKS, n_sims=n_sims, seed=seed)


def designs(fractions) -> dict[str, boundaries.Boundaries]:
    """The four ways of looking the lesson compares, at these information fractions."""
    return {
        "no adjustment": boundaries.nominal(fractions=fractions),
        "Pocock": boundaries.pocock(fractions=fractions),
        "O'Brien–Fleming": boundaries.obrien_fleming(fractions=fractions),
        "Lan–DeMets spending (O'Brien–Fleming type)": boundaries.spending(fractions=fractions),
    }


def false_alarms(paths: looks.LookPaths | None = None) -> pd.DataFrame:
    """Per design: the first and last boundary, and the share of no-effect trials that stopped."""
    paths = null_looks() if paths is None else paths
    rows = {}
    for name, b in designs(paths.fractions).items():
        stop = paths.stop(b)
        rows[name] = {"boundary at look 1": round(float(b.z[0]), 2), f"at look {b.looks}": round(float(b.z[-1]), 2),
                      "false alarms (simulated)": f"{stop.rate:.1%}", "Monte Carlo SE": f"{stop.se:.1%}",
                      "exact": f"{b.type1_error:.1%}"}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "how the looks are judged"
    return with_caption(table, f"{paths.n_sims:,} trials with no effect, each looked at {paths.z.shape[1]} times",
                        simulated=True)


def stopping(paths: looks.LookPaths | None = None, design: str = "O'Brien–Fleming") -> looks.Stopping:
    """The trials with a real effect, stopped by one of :func:`designs`."""
    paths = effect_looks() if paths is None else paths
    return paths.stop(designs(paths.fractions)[design])


def egf100151(*keys: str) -> pd.DataFrame:
    """What EGF100151 published (a real trial), by the keys of ``traps.EGF100151``."""
    return published.published_table(*(f"EGF100151 {k}" for k in keys))


@functools.lru_cache(maxsize=4)
def crossover_table(who: str = "at random", n_sims: int = 300, seed: int = 2024) -> pd.DataFrame:
    """ITT and per-protocol hazard ratios as more control patients switch (simulated)."""
    table = crossover.crossover_bias(who=who, n_sims=n_sims, seed=seed)
    shown = table[["control patients who switched", "ITT HR", "per-protocol HR", "HR with no switching"]].round(2)
    return with_caption(shown, table.attrs["caption"].split(" (simulated")[0], simulated=True)


@functools.lru_cache(maxsize=4)
def surrogate_table(n_sims: int = 300, seed: int = 2024) -> pd.DataFrame:
    """Hazard ratios for TTP, PFS and OS as survival after progression lengthens (simulated)."""
    return surrogate.surrogate_table(n_sims=n_sims, seed=seed)
