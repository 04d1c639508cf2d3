"""Interim looks: a trial analysed several times as deaths accrue (times in months).

Each simulated trial is followed until its planned number of deaths; the log-rank test is run
at ``looks`` equally spaced numbers of deaths (the last at the planned total). Stopping at the
first look whose p-value is below 0.05 raises the chance of a false alarm well above 5%
(about 14% for 5 looks, Armitage, McPherson & Rowe 1969); group-sequential boundaries
(:mod:`.boundaries`) bring it back to 5%. Trials that stop early, when they stop because the
effect looked large, overestimate it: the hazard ratio at stopping is further from 1 than the
truth. All data here are simulated, never patient data.

The z statistics are signed so that a positive z favours the treatment (fewer deaths than
expected): ``z = -sign(log HR) * sqrt(log-rank chi-square)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_seed, check_whole
from ..design import expected_events
from ..montecarlo import cox_many, logrank_many
from ..scenario import LAPATINIB, Scenario
from ..simulate import _check_scenario, draw_patients
from ..tables import with_caption
from .boundaries import Boundaries

__all__ = ["LookPaths", "NULL_SCENARIO", "Stopping", "simulate_looks"]

NULL_SCENARIO = LAPATINIB.replace(median_treatment=LAPATINIB.median_control)
"""The story's design with no effect at all: both arms have median 17.3 months."""

_CHUNK = 500  # trials simulated and analysed at a time


@dataclass(frozen=True)
class LookPaths:
    """The z statistic and hazard ratio of every simulated trial at every look.

    ``z`` and ``hr`` have shape ``(n_sims, looks)``; ``deaths`` the deaths at each look (the
    same in every trial), ``fractions`` the information fractions ``deaths / planned``, and
    ``months`` the calendar month of each look in each trial.
    """

    z: np.ndarray
    hr: np.ndarray
    months: np.ndarray
    deaths: np.ndarray
    scenario: Scenario

    @property
    def fractions(self) -> np.ndarray:
        return self.deaths / self.deaths[-1]

    @property
    def n_sims(self) -> int:
        return self.z.shape[0]

    def stop(self, boundaries: Boundaries) -> Stopping:
        """Apply two-sided boundaries: each trial stops at the first look with ``|z| >= z_k``."""
        if not isinstance(boundaries, Boundaries) or boundaries.looks != self.z.shape[1]:
            raise ValueError(f"boundaries must be a Boundaries with {self.z.shape[1]} looks; got {boundaries!r}")
        crossed = np.abs(self.z) >= boundaries.z
        first = np.where(crossed.any(axis=1), crossed.argmax(axis=1) + 1, 0)
        at = np.where(first > 0, first, self.z.shape[1]) - 1
        return Stopping(self, boundaries, first, self.hr[np.arange(self.n_sims), at])


@dataclass(frozen=True)
class Stopping:
    """Which look each trial stopped at (0: never crossed) and its hazard ratio then.

    ``hr_at_end`` is the hazard ratio where the trial ended: at the look where it stopped, or
    at the last look if it never crossed a boundary.
    """

    paths: LookPaths
    boundaries: Boundaries
    look: np.ndarray
    hr_at_end: np.ndarray

    @property
    def rate(self) -> float:
        """Share of trials that crossed a boundary at some look (the false-alarm rate if HR = 1)."""
        return float(np.mean(self.look > 0))

    @property
    def se(self) -> float:
        """Binomial Monte Carlo standard error of :attr:`rate`."""
        return math.sqrt(self.rate * (1 - self.rate) / len(self.look))

    def by_look(self) -> pd.DataFrame:
        """Per look: trials that stopped there, and the median hazard ratio at stopping."""
        true_hr = self.paths.scenario.hr
        rows = {}
        for k in range(1, self.boundaries.looks + 1):
            mask = self.look == k
            rows[k] = {"deaths": int(self.paths.deaths[k - 1]), "boundary z": round(float(self.boundaries.z[k - 1]), 2),
                       "trials stopped": int(mask.sum()),
                       "median HR when stopping": round(float(np.median(self.hr_at_end[mask])), 2) if mask.any() else np.nan}
        never = self.look == 0
        rows["never"] = {"deaths": int(self.paths.deaths[-1]), "boundary z": np.nan, "trials stopped": int(never.sum()),
                         "median HR when stopping": round(float(np.median(self.hr_at_end[never])), 2) if never.any() else np.nan}
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "look"
        return with_caption(table, f"{self.boundaries.name}: where {self.paths.n_sims:,} simulated trials stopped "
                                   f"(true hazard ratio {true_hr:.2f})", simulated=True)

    def sentence(self) -> str:
        lo, hi = self.rate - 1.96 * self.se, self.rate + 1.96 * self.se
        what = "false alarms (type I error)" if self.paths.scenario.hr == 1 else "trials stopped for a difference"
        if self.paths.scenario.hr == 1:
            theory = f"the exact calculation for these boundaries gives {self.boundaries.type1_error:.1%}"
        else:
            drift = abs(math.log(self.paths.scenario.hr)) * math.sqrt(self.paths.deaths[-1] / 4)
            theory = f"the normal approximation predicts {self.boundaries.power(drift):.1%}"
        return (f"{self.boundaries.name}: {self.rate:.1%} {what} over {len(self.look):,} simulated trials "
                f"(Monte Carlo SE {self.se:.1%}, 95% interval {lo:.1%} to {hi:.1%}); {theory}.")

    def overestimate(self, early_looks: int = 2) -> str:
        """How trials that stopped at the first ``early_looks`` looks misjudge the hazard ratio."""
        true_hr = self.paths.scenario.hr
        early = (self.look > 0) & (self.look <= early_looks)
        if not early.any():
            return f"No trial stopped at the first {early_looks} looks."
        hrs = self.hr_at_end[early]
        return (f"{int(early.sum()):,} of {len(self.look):,} trials stopped at one of the first {early_looks} looks; "
                f"their median hazard ratio at stopping was {np.median(hrs):.2f} against a true {true_hr:.2f}, "
                f"and {np.mean(np.abs(np.log(hrs)) > abs(math.log(true_hr))):.0%} of them overstated the effect.")

    def __str__(self) -> str:
        return self.sentence()


def _look_deaths(planned: int, looks: int) -> np.ndarray:
    return np.round(np.arange(1, looks + 1) * planned / looks).astype(int)


def _analyse_look(entry, death, treated, month):
    """Log-rank z and Cox HR of every trial at calendar ``month`` (one per row)."""
    followed = month[:, None] - entry
    # Patients not yet enrolled: time 0, censored; they are in no risk set.
    time = np.clip(np.minimum(death, followed), 0.0, None)
    event = death <= followed
    chi2, _ = logrank_many(time, event, treated)
    hr = cox_many(time, event, treated).hr
    return -np.sign(np.log(hr)) * np.sqrt(chi2), hr


def simulate_looks(scenario: Scenario = NULL_SCENARIO, looks: int = 5, n_sims: int = 2000,
                   deaths: int | None = None, seed: int | None = 2024) -> LookPaths:
    """Simulate ``n_sims`` trials each analysed at ``looks`` equally spaced numbers of deaths.

    Parameters
    ----------
    scenario : Scenario
        Patients, enrolment (months) and survival; no dropout (every planned death comes).
    looks : int
        Number of analyses, the last at the planned number of deaths (1 to 20).
    n_sims : int
        Number of simulated trials.
    deaths : int, optional
        Deaths planned for the final analysis; by default the deaths the design expects by
        ``accrual + follow_up`` (:func:`edu_survival.expected_events`), rounded.
    seed : int, optional
        Random seed.

    Examples
    --------
    >>> paths = simulate_looks(n_sims=200, seed=1)
    >>> paths.z.shape, paths.deaths.tolist()
    ((200, 5), [48, 97, 145, 194, 242])
    """
    scenario = _check_scenario(scenario)
    if scenario.dropout > 0:
        raise ValueError(f"interim looks are simulated without dropout; got dropout={scenario.dropout!r}")
    looks = check_whole("looks", looks, 1)
    if looks > 20:
        raise ValueError(f"looks must be at most 20; got {looks}")
    n_sims = check_whole("n_sims", n_sims, 1)
    planned = round(expected_events(scenario)) if deaths is None else check_whole("deaths", deaths, looks)
    if not looks <= planned <= scenario.n:
        raise ValueError(f"deaths must be between {looks} (one per look) and the {scenario.n} patients; got {planned}")
    at = _look_deaths(planned, looks)
    rng = np.random.default_rng(check_seed(seed))
    z, hr, months = (np.empty((n_sims, looks)) for _ in range(3))
    for start in range(0, n_sims, _CHUNK):
        rows = slice(start, min(start + _CHUNK, n_sims))
        entry, death, _, treated = draw_patients(scenario, rng, rows.stop - rows.start)
        calendar = np.sort(entry + death, axis=1)
        for k, d in enumerate(at):
            month = calendar[:, d - 1]
            z[rows, k], hr[rows, k] = _analyse_look(entry, death, treated, month)
            months[rows, k] = month
    return LookPaths(z=z, hr=hr, months=months, deaths=at, scenario=scenario)
