"""Simulate one two-arm trial from a :class:`~edu_survival.scenario.Scenario`.

The data are *simulated from assumed summary figures*; they are never patient data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import check_seed
from .scenario import ARMS, Scenario

MAX_SIMULATED_N = 10_000_000
"""Largest trial :func:`simulate` draws (a row per patient; about 1 GB at this size)."""


def _check_scenario(scenario) -> Scenario:
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
    return scenario


def treated_vector(scenario: Scenario) -> np.ndarray:
    """Boolean vector of length ``n``: False for the control patients (first), True for treatment."""
    sizes = scenario.arm_sizes
    return np.r_[np.zeros(sizes["control"], bool), np.ones(sizes["treatment"], bool)]


def draw_patients(scenario: Scenario, rng: np.random.Generator, n_sims: int | None = None):
    """Draw each patient's entry, death and loss-to-follow-up times, before any censoring.

    The patients behind :func:`draw_trials` (the same draws from ``rng``, in the same order), for
    models that need the raw times: informative dropout, competing risks, interim looks.
    Returns ``entry, death, lost, treated``; ``death`` is months from randomisation to death had
    the patient been followed for ever, ``lost`` months to loss to follow-up (inf without dropout).
    """
    treated = treated_vector(scenario)
    shape = (scenario.n,) if n_sims is None else (n_sims, scenario.n)
    entry = rng.uniform(0.0, scenario.accrual, size=shape)
    unit_hazard = rng.standard_exponential(size=shape)
    death = np.where(
        treated,
        scenario.time_at_cumulative_hazard(unit_hazard, "treatment"),
        scenario.time_at_cumulative_hazard(unit_hazard, "control"),
    )
    if scenario.dropout > 0:
        # A tiny dropout hazard overflows to an infinite time: never lost, as intended.
        with np.errstate(over="ignore"):
            lost = rng.standard_exponential(size=shape) / scenario.dropout_hazard
    else:
        lost = np.full(shape, np.inf)
    return entry, death, lost, treated


def observe(scenario: Scenario, entry, death, lost):
    """What the analysis at ``scenario.analysis_time`` sees of patients with these raw times.

    Returns ``time, event, reason_code`` (0 death, 1 end of study, 2 lost to follow-up).
    """
    end_of_study = scenario.analysis_time - entry
    censor = np.minimum(end_of_study, lost)
    event = death <= censor
    time = np.where(event, death, censor)
    reason_code = np.where(event, 0, np.where(lost < end_of_study, 2, 1))
    return time, event, reason_code


def draw_trials(scenario: Scenario, rng: np.random.Generator, n_sims: int | None = None):
    """Draw entry, death and dropout times and what is observed at the analysis.

    The one model behind :func:`simulate` and :func:`edu_survival.montecarlo.simulate_many`.
    Returns ``entry, time, event, reason_code, treated`` where arrays have shape ``(n,)`` or
    ``(n_sims, n)``; ``reason_code`` is 0 death, 1 end of study, 2 lost to follow-up.
    """
    entry, death, lost, treated = draw_patients(scenario, rng, n_sims)
    time, event, reason_code = observe(scenario, entry, death, lost)
    return entry, time, event, reason_code, treated


def simulate(scenario: Scenario, seed: int | None = None) -> pd.DataFrame:
    """Simulate one randomised trial, one row per patient (times in months).

    Patients enrol uniformly over ``accrual`` months and the analysis happens at
    ``accrual + follow_up`` months, so the last patients are followed shortest.
    Deaths follow the scenario's Weibull model; loss to follow-up is exponential.

    Parameters
    ----------
    scenario : Scenario
        What we assume about the trial.
    seed : int, optional
        Random seed (a whole number >= 0, or a numpy Generator); the same seed gives the same
        data on every platform.

    Returns
    -------
    pandas.DataFrame
        Columns ``patient``, ``arm`` ("control"/"treatment"), ``entry`` (month of enrolment),
        ``time`` (months from randomisation to death or censoring), ``event`` (1 death observed,
        0 censored) and ``reason`` ("death", "end of study", "lost to follow-up").
        The scenario travels in ``df.attrs["scenario"]``.

    Examples
    --------
    >>> import edu_survival as es
    >>> df = es.simulate(es.LAPATINIB, seed=1)
    >>> df.groupby("arm").size().to_dict()
    {'control': 160, 'treatment': 161}
    """
    scenario = _check_scenario(scenario)
    if scenario.n > MAX_SIMULATED_N:
        raise ValueError(f"scenario's n must be at most {MAX_SIMULATED_N:,} patients to simulate "
                         f"one trial (a row per patient); got n={scenario.n:,}")
    rng = np.random.default_rng(check_seed(seed))
    entry, time, event, reason_code, treated = draw_trials(scenario, rng)
    reasons = np.array(["death", "end of study", "lost to follow-up"])
    df = pd.DataFrame(
        {
            "patient": np.arange(1, scenario.n + 1),
            "arm": np.where(treated, ARMS[1], ARMS[0]),
            "entry": entry,
            "time": time,
            "event": event.astype(int),
            "reason": reasons[reason_code],
        }
    )
    df.attrs["scenario"] = scenario
    df.attrs["source"] = "simulated from assumed summary figures, not patient data"
    return df
