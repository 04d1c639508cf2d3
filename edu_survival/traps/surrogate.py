"""Surrogate endpoints: when delaying progression does (and does not) lengthen life.

A drug that halves the hazard of progression gives a striking hazard ratio for time to
progression (TTP) or progression-free survival (PFS). Overall survival (OS) gains only the
months by which progression is put off, and only if the months after progression are not
long and unaffected: when patients live long after progressing (further treatment, slow
disease), those months dilute the difference and the OS hazard ratio drifts towards 1.
EGF100151 reported TTP HR 0.49 at its interim analysis and OS HR 0.87 at its final one.

This module simulates the illness–death model of :mod:`.progression` (no crossover) and reports
the hazard ratio for each endpoint. All data here are simulated from invented figures.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._checks import check_seed, check_whole
from ..analyze import Analysis, analyze
from ..montecarlo import cox_many
from ..scenario import ARMS, STORY_LABELS
from ..tables import with_caption
from .progression import NO_SWITCHING, PROGRESSION, ProgressionModel, draw_progression, endpoints

__all__ = ["ENDPOINTS", "SURROGATE_MODEL", "endpoint_analyses", "simulate_endpoints", "surrogate_hrs",
           "surrogate_table"]

ENDPOINTS = {"ttp": "time to progression", "pfs": "progression-free survival", "os": "overall survival"}

SURROGATE_MODEL = PROGRESSION
"""The drug halves the hazard of progression and does not act on death directly (invented settings)."""


def simulate_endpoints(model: ProgressionModel = SURROGATE_MODEL, seed: int | None = None) -> pd.DataFrame:
    """One simulated trial with each patient's TTP, PFS and OS (months; no crossover).

    Returns columns ``patient``, ``arm`` and ``<endpoint>_time``, ``<endpoint>_event`` for
    ``ttp``, ``pfs`` and ``os``.

    Examples
    --------
    >>> df = simulate_endpoints(seed=1)
    >>> bool((df.pfs_time <= df.os_time).all())
    True
    """
    rng = np.random.default_rng(check_seed(seed))
    draw = draw_progression(model, NO_SWITCHING, rng)
    ends = endpoints(draw)
    columns = {"patient": np.arange(1, model.design.n + 1), "arm": np.where(draw.treated, ARMS[1], ARMS[0])}
    for name in ENDPOINTS:
        columns[f"{name}_time"], columns[f"{name}_event"] = ends[name][0], ends[name][1].astype(int)
    df = pd.DataFrame(columns)
    # "scenario" marks the data as simulated for analyze() (its medians are not this model's).
    df.attrs.update(model=model, scenario=model.design, source="simulated from invented figures, not patient data")
    return df


def endpoint_analyses(data: pd.DataFrame, engine: str = "lifelines") -> dict[str, Analysis]:
    """Each endpoint of :func:`simulate_endpoints` data analysed (Kaplan–Meier, Cox, log-rank)."""
    return {name: analyze(data, duration=f"{name}_time", event=f"{name}_event", labels=STORY_LABELS,
                          time_label="months since randomisation", engine=engine) for name in ENDPOINTS}


def surrogate_hrs(model: ProgressionModel = SURROGATE_MODEL, n_sims: int = 500, seed: int = 2024) -> dict:
    """Geometric-mean hazard ratio per endpoint over ``n_sims`` trials, with the MC SE of its log."""
    n_sims = check_whole("n_sims", n_sims, 2)
    draw = draw_progression(model, NO_SWITCHING, np.random.default_rng(seed), n_sims)
    ends = endpoints(draw)
    out = {}
    for name in ENDPOINTS:
        log_hr = np.log(cox_many(*ends[name], draw.treated).hr)
        out[name] = (math.exp(log_hr.mean()), float(log_hr.std(ddof=1) / math.sqrt(n_sims)))
    return out


def surrogate_table(model: ProgressionModel = SURROGATE_MODEL, values=(2.0, 6.0, 12.0, 24.0, 48.0),
                    vary: str = "median_after", n_sims: int = 300, seed: int = 2024) -> pd.DataFrame:
    """Hazard ratios for TTP, PFS and OS as one setting of the model varies (by default the
    median survival after progression, months). Every row uses the same seed."""
    rows = {}
    for value in values:
        res = surrogate_hrs(model.replace(**{vary: value}), n_sims, seed)
        rows[value] = {ENDPOINTS[k]: round(v[0], 2) for k, v in res.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = vary.replace("_", " ")
    return with_caption(table, f"Hazard ratio per endpoint (geometric mean over {n_sims:,} simulated trials)",
                        simulated=True)
