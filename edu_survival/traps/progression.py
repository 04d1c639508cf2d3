"""Progression, then death: the illness–death model behind lessons on crossover and surrogates.

Every patient starts progression-free. From there they progress (hazard ``a``) or die first
(hazard ``d0``); after progressing they die at hazard ``d1 * Z``, where the frailty ``Z``
(mean 1, :mod:`.frailty`) makes some patients' disease more aggressive than others'. All
hazards are constant (months). The *drug* (lapatinib, in the story) multiplies the hazard of
progression by ``hr_progression`` and every hazard of death by ``hr_death`` for as long as a
patient takes it: the treatment arm from randomisation, and control patients who *switch*
(cross over) from the month they switch. Without switching, the drug's whole effect on
survival is the ITT hazard ratio of a trial with no crossover.

Times are months; the arms are "control" and "treatment". All data here are simulated from
invented figures, never patient data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import special

from .._checks import check_number
from ..scenario import LAPATINIB, Scenario
from ..simulate import _check_scenario, treated_vector
from .frailty import normal_score

__all__ = ["NO_SWITCHING", "PROGRESSION", "ProgressionModel", "Switching", "draw_progression"]


def _months(name, value):
    return check_number(name, value, "> 0 and finite (months)", lambda v: v > 0)


def _ratio(name, value):
    return check_number(name, value, "from 0.05 to 20", lambda v: 0.05 <= v <= 20)


@dataclass(frozen=True)
class ProgressionModel:
    """How patients progress and die, and what the drug does (months).

    Parameters
    ----------
    design : Scenario
        Patients, allocation, enrolment, follow-up and dropout; its survival medians are not used.
    median_progression : float
        Median months to progression off the drug, had nobody died first.
    median_death_before : float
        Median months to death while progression-free, off the drug (deaths before progression).
    median_after : float
        Median months from progression to death for an average patient (frailty 1), off the drug.
    hr_progression : float
        Hazard ratio of progression on the drug (below 1: the drug delays progression).
    hr_death : float
        Hazard ratio of death on the drug, before and after progression (1: no direct effect).
    frailty_variance : float
        Variance of the frailty that multiplies the death hazard after progression (0: none).
    """

    design: Scenario = LAPATINIB
    median_progression: float = 4.5
    median_death_before: float = 60.0
    median_after: float = 8.0
    hr_progression: float = 0.5
    hr_death: float = 1.0
    frailty_variance: float = 0.5

    def __post_init__(self):
        _check_scenario(self.design)
        for name in ("median_progression", "median_death_before", "median_after"):
            object.__setattr__(self, name, _months(name, getattr(self, name)))
        for name in ("hr_progression", "hr_death"):
            object.__setattr__(self, name, _ratio(name, getattr(self, name)))
        object.__setattr__(self, "frailty_variance", check_number(
            "frailty_variance", self.frailty_variance, "from 0 to 10", lambda v: 0 <= v <= 10))

    def replace(self, **changes) -> ProgressionModel:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @property
    def hazards(self) -> tuple[float, float, float]:
        """Monthly hazards off the drug: progression, death before, death after progression."""
        ln2 = math.log(2)
        return ln2 / self.median_progression, ln2 / self.median_death_before, ln2 / self.median_after


PROGRESSION = ProgressionModel()
"""Invented settings of the size EGF100151 reported (time to progression of about 4.5 months
on capecitabine alone, halved progression hazard on lapatinib), not that trial's data."""

WHO_SWITCHES = ("at random", "the healthier", "the sicker")
_DIRECTION = {"at random": 0.0, "the healthier": -1.0, "the sicker": 1.0}


@dataclass(frozen=True)
class Switching:
    """Which control patients switch to the drug, and when.

    ``share``: probability that a control patient switches after progressing (if alive then);
    ``delay``: months from progression to switching; ``who``: whether switchers are chosen at
    random or by prognosis after progression (their frailty); ``strength`` (0 to 1): how
    strongly, as the correlation between frailty and the wish to switch.
    """

    share: float = 0.0
    delay: float = 0.0
    who: str = "at random"
    strength: float = 0.7

    def __post_init__(self):
        object.__setattr__(self, "share", check_number("share", self.share, "a proportion from 0 to 1",
                                                       lambda v: 0 <= v <= 1))
        object.__setattr__(self, "delay", check_number("delay", self.delay, ">= 0 months", lambda v: v >= 0))
        if self.who not in _DIRECTION:
            raise ValueError(f"who must be one of {WHO_SWITCHES}; got {self.who!r}")
        object.__setattr__(self, "strength", check_number("strength", self.strength, "from 0 to 1",
                                                          lambda v: 0 <= v <= 1))

    @property
    def correlation(self) -> float:
        return _DIRECTION[self.who] * self.strength


NO_SWITCHING = Switching()


@dataclass(frozen=True)
class Draw:
    """One draw of patients, as arrays of shape (n,) or (n_sims, n), months."""

    entry: np.ndarray
    censor: np.ndarray  # months from randomisation to the end of observation (analysis or dropout)
    progression: np.ndarray  # inf if the patient died first
    death: np.ndarray
    switch: np.ndarray  # month of switching; inf for patients who never switch
    treated: np.ndarray
    frailty: np.ndarray


def _wants_to_switch(u, score, switching: Switching) -> np.ndarray:
    """Switch if a latent propensity, correlated with prognosis, is in the top ``share``."""
    if switching.share == 0:
        return np.zeros(np.shape(u), dtype=bool)
    rho = switching.correlation
    latent = rho * score + math.sqrt(1 - rho**2) * special.ndtri(u)
    return latent >= special.ndtri(1 - switching.share)


def draw_progression(model: ProgressionModel, switching: Switching, rng: np.random.Generator,
                     n_sims: int | None = None) -> Draw:
    """Draw patients' progression, switching and death (the same draws whatever ``switching``)."""
    design = model.design
    shape = (design.n,) if n_sims is None else (n_sims, design.n)
    treated = treated_vector(design)
    entry = rng.uniform(0.0, design.accrual, size=shape)
    e_prog, e_before, e_after = (rng.standard_exponential(size=shape) for _ in range(3))
    with np.errstate(over="ignore", divide="ignore"):
        lost = (rng.standard_exponential(size=shape) / design.dropout_hazard if design.dropout > 0
                else np.full(shape, np.inf))
    v = model.frailty_variance
    frailty = rng.gamma(1 / v, v, size=shape) if v > 0 else np.ones(shape)
    u_switch = rng.uniform(size=shape)

    a, d0, d1 = model.hazards
    drug = np.where(treated, 1.0, 0.0)
    hp = model.hr_progression ** drug
    hd = model.hr_death ** drug
    prog_time = e_prog / (a * hp)
    death_before = e_before / (d0 * hd)
    progressed = prog_time < death_before
    progression = np.where(progressed, prog_time, np.inf)

    after = d1 * frailty * hd  # hazard after progression, treatment arm on the drug throughout
    score = normal_score(frailty, v) if v > 0 else np.zeros(shape)
    wants = ~treated & progressed & _wants_to_switch(u_switch, score, switching)
    survives_wait = e_after > d1 * frailty * switching.delay
    switches = wants & survives_wait
    with np.errstate(invalid="ignore"):
        death_after = np.where(
            switches,
            prog_time + switching.delay + (e_after - d1 * frailty * switching.delay) / (d1 * frailty * model.hr_death),
            prog_time + e_after / after,
        )
    death = np.where(progressed, death_after, death_before)
    switch = np.where(switches, prog_time + switching.delay, np.inf)
    censor = np.minimum(design.analysis_time - entry, lost)
    return Draw(entry, censor, progression, death, switch, treated, frailty)


def endpoints(draw: Draw) -> dict:
    """What the analysis sees of a draw: time and event for OS, TTP and PFS, and switching.

    OS counts deaths; TTP progressions (a death first censors); PFS progression or death.
    ``switched`` is True where the switch happened before the end of observation.
    """
    c = draw.censor
    os_time = np.minimum(draw.death, c)
    first = np.minimum(draw.progression, draw.death)
    pfs_time = np.minimum(first, c)
    return {
        "os": (os_time, draw.death <= c),
        "ttp": (pfs_time, draw.progression <= c),
        "pfs": (pfs_time, first <= c),
        "switched": draw.switch <= np.minimum(c, draw.death),
    }
