"""Informative censoring: when who drops out depends on how ill they are (times in months).

Kaplan–Meier rests on one assumption: a patient censored at month ``t`` has the same chance of
dying afterwards as the patients still followed at ``t``. Here that fails on purpose. Each
patient has a frailty ``Z`` (:mod:`.frailty`, mean 1) that multiplies their hazard of death,
and their time to dropping out is linked to ``Z`` with a correlation set by the *strength*
(0 to 1, :func:`.frailty.linked_exponential`): at 0 dropout is at random; at 1 the sickest (or
the healthiest) are always the first to leave. The time to dropout keeps the scenario's
distribution whatever the strength: only *who* drops out changes.

The deaths are exactly those of :func:`edu_survival.simulate` with the same seed (the frailty is
drawn given each death, :func:`.frailty.frailty_given_death`), so the true survival curves are
the scenario's and only the dropout changes with ``c``. Nothing in the observed data can reveal
``c``: the same data could come from independent dropout in a different population.
All data here are simulated, never patient data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_number, check_seed, check_whole
from ..scenario import ARMS, LAPATINIB, Scenario
from ..simulate import _check_scenario, draw_patients, observe
from .estimators import km_many
from .frailty import check_variance, frailty_given_death, linked_exponential, normal_score

__all__ = [
    "INFORMATIVE_SCENARIO",
    "WHO_DROPS_OUT",
    "KMBias",
    "dropout_strength",
    "km_bias",
    "km_bias_table",
    "simulate_informative",
]

WHO_DROPS_OUT = ("at random", "the sicker", "the healthier")
"""Who leaves the trial early: the choices of :func:`simulate_informative` and the explorer."""
_DIRECTION = {"at random": 0.0, "the sicker": -1.0, "the healthier": 1.0}
MAX_STRENGTH = 1.0
FRAILTY_VARIANCE = 1.0
"""Variance of the patients' frailty: a hazard of death that varies several-fold between patients."""

INFORMATIVE_SCENARIO = LAPATINIB.replace(dropout=0.3)
"""The story's design with 30% of patients a year lost to follow-up (an invented figure)."""


def dropout_strength(who: str, strength: float) -> float:
    """The correlation between frailty and the time to dropout: ``-strength`` if the sicker drop
    out sooner, ``+strength`` if the healthier do, 0 at random.

    Examples
    --------
    >>> dropout_strength("the sicker", 0.5), dropout_strength("at random", 0.5)
    (-0.5, 0.0)
    """
    if who not in _DIRECTION:
        raise ValueError(f"who must be one of {WHO_DROPS_OUT}; got {who!r}")
    strength = check_number("strength", strength, f"from 0 to {MAX_STRENGTH:g}",
                            lambda v: 0 <= v <= MAX_STRENGTH)
    return _DIRECTION[who] * strength


def _draw(scenario: Scenario, rng, n_sims, c: float, variance: float):
    """Entry, death and (informative) dropout times, the arm vector and the frailties."""
    entry, death, lost, treated = draw_patients(scenario, rng, n_sims)
    cumulative = np.where(treated, scenario.cumulative_hazard(death, "treatment"),
                          scenario.cumulative_hazard(death, "control"))
    frailty = frailty_given_death(rng, cumulative, variance)
    if c != 0 and scenario.dropout > 0:
        mu = scenario.dropout_hazard
        with np.errstate(over="ignore", invalid="ignore"):
            lost = linked_exponential(lost * mu, normal_score(frailty, variance), c) / mu
    return entry, death, lost, treated, frailty


def simulate_informative(scenario: Scenario = INFORMATIVE_SCENARIO, who: str = "the sicker",
                         strength: float = 0.7, seed: int | None = None,
                         frailty_variance: float = FRAILTY_VARIANCE) -> pd.DataFrame:
    """One simulated trial whose dropout depends on prognosis, with every patient's true death.

    Parameters
    ----------
    scenario : Scenario
        The design (months); its ``dropout`` is the average annual share lost to follow-up.
    who : {"at random", "the sicker", "the healthier"}
        Who is more likely to drop out.
    strength : float
        How strongly prognosis drives dropout, from 0 (not at all) to 1 (the sickest, or the
        healthiest, always leave first): the correlation between a patient's frailty and how
        soon they would drop out.
    seed : int, optional
        The same seed gives the same patients; ``"at random"`` (or strength 0) gives exactly the
        trial of :func:`edu_survival.censoring.full_follow_up` with that seed.
    frailty_variance : float
        Variance of the frailty (mean 1) that links death and dropout.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`edu_survival.censoring.full_follow_up` (what the analysis sees,
        ``death_time``, ``observed_until``, ``death_at``) plus ``frailty``.
        ``attrs["dropout"]`` says who drops out and how strongly.

    Examples
    --------
    >>> from edu_survival.censoring import full_follow_up
    >>> same = simulate_informative(who="at random", seed=3)
    >>> bool((same["time"] == full_follow_up(INFORMATIVE_SCENARIO, seed=3)["time"]).all())
    True
    """
    scenario = _check_scenario(scenario)
    c = dropout_strength(who, strength)
    variance = check_variance(frailty_variance)
    rng = np.random.default_rng(check_seed(seed))
    entry, death, lost, treated, frailty = _draw(scenario, rng, None, c, variance)
    time, event, reason_code = observe(scenario, entry, death, lost)
    reasons = np.array(["death", "end of study", "lost to follow-up"])
    df = pd.DataFrame({
        "patient": np.arange(1, scenario.n + 1),
        "arm": np.where(treated, ARMS[1], ARMS[0]),
        "entry": entry, "time": time, "event": event.astype(int), "reason": reasons[reason_code],
        "death_time": death, "observed_until": entry + time, "death_at": entry + death,
        "frailty": frailty,
    })
    df.attrs["scenario"] = scenario
    df.attrs["source"] = "simulated from assumed summary figures, not patient data"
    df.attrs["dropout"] = {"who": who, "strength": float(strength)}
    return df


@dataclass(frozen=True)
class KMBias:
    """How far Kaplan–Meier at ``horizon`` lands from the truth, averaged over simulated trials.

    ``truth``, ``mean_km``, ``se`` and ``bias`` are dictionaries by arm; ``se`` is the Monte
    Carlo standard error of ``mean_km`` (standard deviation over trials / sqrt(n_sims)).
    """

    who: str
    strength: float
    horizon: float
    truth: dict
    mean_km: dict
    se: dict
    n_sims: int
    lost_share: float

    @property
    def bias(self) -> dict:
        return {arm: self.mean_km[arm] - self.truth[arm] for arm in self.truth}

    def __str__(self) -> str:
        arm = "control"
        b = self.bias[arm]
        how = ("Patients drop out at random" if self.who == "at random" or self.strength == 0
               else f"{self.who.capitalize()} drop out sooner (strength {self.strength:g})")
        return (f"{how}: over {self.n_sims:,} simulated trials, Kaplan–Meier "
                f"survival at {self.horizon:g} months in the control arm averages {self.mean_km[arm]:.1%} "
                f"(Monte Carlo SE {self.se[arm]:.1%}) against a true {self.truth[arm]:.1%}: "
                f"{'too high' if b > 0 else 'too low'} by {100 * abs(b):.1f} percentage points on average. "
                f"{self.lost_share:.0%} of patients were lost to follow-up.")


def km_bias(scenario: Scenario = INFORMATIVE_SCENARIO, who: str = "the sicker", strength: float = 0.7,
            horizon: float = 24.0, n_sims: int = 2000, seed: int | None = 2024,
            frailty_variance: float = FRAILTY_VARIANCE) -> KMBias:
    """Average Kaplan–Meier survival at ``horizon`` over ``n_sims`` trials, against the truth.

    The truth is the scenario's survival curve (frailty and informative dropout leave it
    unchanged). Trials are drawn 250 at a time.

    Examples
    --------
    >>> fair = km_bias(who="at random", n_sims=400, seed=1)
    >>> abs(fair.bias["control"]) < 3 * fair.se["control"]
    True
    """
    scenario = _check_scenario(scenario)
    c = dropout_strength(who, strength)
    variance = check_variance(frailty_variance)
    horizon = check_number("horizon", horizon, f"> 0 and below the analysis at {scenario.analysis_time:g} months",
                           lambda v: 0 < v < scenario.analysis_time)
    n_sims = check_whole("n_sims", n_sims, 2)
    rng = np.random.default_rng(check_seed(seed))
    values = {arm: [] for arm in ARMS}
    lost = 0
    for start in range(0, n_sims, 250):
        entry, death, dropout, treated, _ = _draw(scenario, rng, min(250, n_sims - start), c, variance)
        time, event, reason = observe(scenario, entry, death, dropout)
        lost += int(np.count_nonzero(reason == 2))
        for arm, mask in (("control", ~treated), ("treatment", treated)):
            values[arm].append(km_many(time[:, mask], event[:, mask], [horizon])[:, 0])
    values = {arm: np.concatenate(v) for arm, v in values.items()}
    return KMBias(
        who=who, strength=float(strength), horizon=horizon,
        truth={arm: float(scenario.survival(horizon, arm)) for arm in ARMS},
        mean_km={arm: float(v.mean()) for arm, v in values.items()},
        se={arm: float(v.std(ddof=1) / math.sqrt(n_sims)) for arm, v in values.items()},
        n_sims=n_sims, lost_share=lost / (n_sims * scenario.n),
    )


def km_bias_table(scenario: Scenario = INFORMATIVE_SCENARIO, strengths=(0.0, 0.25, 0.5, 0.75, 1.0),
                  horizon: float = 24.0, n_sims: int = 1000, seed: int = 2024,
                  frailty_variance: float = FRAILTY_VARIANCE) -> pd.DataFrame:
    """Kaplan–Meier's average error at ``horizon`` (control arm) as dropout depends more on prognosis.

    One row per strength, one column each for "the sicker" and "the healthier" dropping out:
    the mean Kaplan–Meier survival minus the truth, in percentage points, with the Monte Carlo
    SE. Every cell uses the same seed, so the rows differ by the dropout alone.
    """
    from ..tables import with_caption

    rows = {}
    for s in strengths:
        row = {}
        for who in ("the sicker", "the healthier"):
            res = km_bias(scenario, who, s, horizon, n_sims, seed, frailty_variance)
            row[f"{who} drop out"] = round(100 * res.bias["control"], 1)
            row[f"SE ({who})"] = round(100 * res.se["control"], 1)
        rows[s] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "strength"
    return with_caption(
        table, f"Kaplan–Meier's average error at {horizon:g} months, control arm (percentage points; "
               f"{n_sims:,} trials per cell)", simulated=True)
