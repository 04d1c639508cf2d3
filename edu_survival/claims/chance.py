"""Could chance alone open the gap between a reported hazard ratio and the reported medians?

Both are estimates from the same patients. Under constant hazards the ratio of the medians
(control / treatment) estimates the hazard ratio too, so ``|ln HR - ln(median ratio)|`` is
zero on average, but not in one trial. :func:`chance_gaps` simulates many trials of the
report's size and design and gives the share in which the gap is at least as large as
reported. :func:`approximate_share` is a quick approximation (the delta method, with tails
for the number of deaths), for bulk work and very large trials; tests/test_claims_chance.py
measures where it matches the simulation.

Data simulated here come from the reported summary figures, never from patients.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import integrate, optimize, special

from .._checks import check_number, check_seed, check_whole
from ..design import death_probability, expected_events
from ..montecarlo import cox_many, iter_trials, km_medians_many
from ..scenario import Scenario

MAX_SIMULATED_N = 5000
"""Largest trial whose chance share is simulated; beyond it :func:`approximate_share` is used
(with thousands of patients the gap is very nearly normal, and the approximation exact)."""
_MAX_CELLS = 50_000_000  # patients x trials in one call of chance_gaps: a few seconds at most
# check_claims simulates about 1.3 million patient-cells (0.1 to 0.3 s): 4,000 trials of the
# story's 321 patients (Monte Carlo SE 0.45% at its 9%), never fewer than 2,000 up to 1,000
# patients, and at least 500 beyond.
_CELLS_BUDGET = 1_300_000


def default_trials(n: int) -> int:
    """Trials check_claims simulates for a trial of ``n`` patients."""
    return int(min(4000, max(2000 if n <= 1000 else 500, _CELLS_BUDGET // n)))


def reported_gap(median_control: float, median_treatment: float, hr: float) -> float:
    """``|ln HR - ln(median_control / median_treatment)|``: the gap a report shows."""
    return abs(math.log(hr) - math.log(median_control / median_treatment))


@dataclass(frozen=True)
class ChanceGaps:
    """Simulated gaps ``|ln HR - ln(median ratio)|`` and the share at least as large as reported.

    Attributes
    ----------
    gaps : numpy.ndarray
        One gap per simulated trial in which both medians were reached and the HR was finite.
    reported_gap : float
        The report's gap, ``|ln reported_hr - ln(median_control / median_treatment)|``.
    share, se : float
        Share of ``gaps`` at least ``reported_gap``, and its Monte Carlo standard error.
    n_trials, n_undefined : int
        Trials simulated, and those left out (a median not reached, or an infinite HR).
    scenario : Scenario
        The simulated design (its ``shape`` 1 means constant hazards).
    """

    gaps: np.ndarray
    reported_gap: float
    share: float
    se: float
    n_trials: int
    n_undefined: int
    scenario: Scenario

    @property
    def shape(self) -> float:
        return self.scenario.shape

    def share_at(self, gap: float) -> float:
        """Share of the simulated gaps at least ``gap``."""
        return float(np.mean(self.gaps >= gap - 1e-12)) if len(self.gaps) else math.nan

    @property
    def sentence(self) -> str:
        s = self.scenario
        hazards = ("constant hazards" if s.shape == 1 else
                   f"a Weibull shape of {s.shape:.3g} (a hazard that {'rises' if s.shape > 1 else 'falls'} over time)")
        left_out = (f" ({self.n_undefined:,} left out: a median not reached)" if self.n_undefined else "")
        return (f"In {self.n_trials:,} simulated trials of {s.n:,} patients with {hazards} and true "
                f"medians {s.median_control:g} and {s.median_treatment:g} months, the gap between ln HR "
                f"and ln(median ratio) was at least the reported {self.reported_gap:.3f} in "
                f"{share_words(self.share, self.se, len(self.gaps))}{left_out}.")

    def __str__(self) -> str:
        return self.sentence

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.sentence)}</p>"


def one_in(share: float) -> str:
    """"1 trial in 11" for a share of 0.091."""
    return f"1 trial in {round(1 / share):,}" if share > 0 else "no trial"


def share_words(share: float, se: float, count: int) -> str:
    """"9.1% of them (about 1 trial in 11; Monte Carlo SE 0.6%)"."""
    if share == 0:
        return f"none of them (fewer than 1 in {count:,})"
    return f"{_pct1(share)} of them (about {one_in(share)}; Monte Carlo SE {_pct1(se)})"


def _pct1(x: float) -> str:
    return f"{100 * x:.1f}%" if x >= 0.001 else f"{100 * x:.2f}%"


def _check_design(n, median_control, median_treatment, shape, allocation, accrual, follow_up, dropout):
    n = check_whole("n", n, 4)
    if n > MAX_SIMULATED_N:
        raise ValueError(f"n must be at most {MAX_SIMULATED_N:,} patients to simulate; got {n:,}")
    shape = check_number("shape", shape, "between 0.1 and 10", lambda v: 0.1 <= v <= 10)
    return Scenario(n=n, median_control=median_control, median_treatment=median_treatment,
                    allocation=allocation, accrual=accrual, follow_up=follow_up, dropout=dropout,
                    shape=shape)


def chance_gaps(*, n: int, median_control: float, median_treatment: float, reported_hr: float,
                shape: float = 1.0, n_trials: int = 2000, seed: int | None = 2024,
                allocation: float = 0.5, accrual: float = 24.0, follow_up: float = 24.0,
                dropout: float = 0.0) -> ChanceGaps:
    """Simulate trials and measure the gap between ln HR and ln(median ratio) in each.

    Each trial has ``n`` patients, true medians ``median_control`` and ``median_treatment``
    (months) and Weibull ``shape`` (1: constant hazards, where the two figures agree on average);
    it is analysed as a paper would (Cox hazard ratio, Kaplan-Meier medians). Data simulated from
    the reported figures, not patient data.

    Parameters
    ----------
    n : int
        Patients, 4 to 5,000.
    median_control, median_treatment : float
        True median survival per arm, months (> 0).
    reported_hr : float
        The reported hazard ratio; its gap to the medians is what the simulated gaps are
        compared with.
    shape : float
        Weibull shape, 0.1 to 10.
    n_trials : int
        Trials to simulate, 100 to 100,000 (and ``n * n_trials`` at most 50 million).
    seed : int or None
        Random seed; the same seed gives the same trials.
    allocation, accrual, follow_up, dropout
        The design, as in :class:`~edu_survival.Scenario`.

    Returns
    -------
    ChanceGaps
        ``gaps`` (for a histogram), ``reported_gap``, ``share`` with its Monte Carlo ``se``,
        and a ``sentence``.

    Examples
    --------
    >>> story = chance_gaps(n=321, median_control=17.3, median_treatment=23.9, reported_hr=0.62,
    ...                     n_trials=2000, seed=2024)
    >>> round(story.reported_gap, 3), len(story.gaps)
    (0.155, 2000)
    >>> bool(0.07 < story.share < 0.11)
    True
    """
    scenario = _check_design(n, median_control, median_treatment, shape, allocation, accrual,
                             follow_up, dropout)
    hr = check_number("reported_hr", reported_hr, "> 0 and finite", lambda v: v > 0)
    n_trials = check_whole("n_trials", n_trials, 100)
    if n_trials > 100_000 or n_trials * scenario.n > _MAX_CELLS:
        raise ValueError(f"n_trials must be at most 100,000 and n x n_trials at most "
                         f"{_MAX_CELLS:,}; got n_trials={n_trials:,} with n={scenario.n:,}")
    gaps = simulated_gaps(scenario, n_trials, check_seed(seed, generator_ok=False))
    gap = reported_gap(scenario.median_control, scenario.median_treatment, hr)
    share = float(np.mean(gaps >= gap - 1e-12)) if len(gaps) else math.nan
    se = math.sqrt(share * (1 - share) / len(gaps)) if len(gaps) else math.nan
    return ChanceGaps(gaps, gap, share, se, n_trials, n_trials - len(gaps), scenario)


def simulated_gaps(scenario: Scenario, n_trials: int, seed) -> np.ndarray:
    """``|ln HR - ln(median ratio)|`` of each simulated trial where both are defined."""
    out = []
    for time, event, treated in iter_trials(scenario, n_trials, seed):
        log_hr = cox_many(time, event, treated).log_hr
        control, treatment = km_medians_many(time, event, treated)
        ok = np.isfinite(log_hr) & np.isfinite(control) & np.isfinite(treatment)
        out.append(np.abs(log_hr[ok] - np.log(control[ok] / treatment[ok])))
    return np.concatenate(out)


# ----- the normal approximation --------------------------------------------------------------
@lru_cache(maxsize=256)  # a check asks twice (printed and rounded gaps); scenarios are frozen
def gap_sd(scenario: Scenario) -> float:
    """Standard deviation of ``ln HR - ln(median ratio)`` under constant hazards (delta method).

    Influence functions of the Cox estimate (binary covariate) and of each arm's Kaplan-Meier
    median, with ``pi(u)`` the chance of being at risk at ``u`` and ``z(u)`` the hazard-weighted
    share of the treated among those at risk: ``Var(ln HR) = 1 / (n I)``,
    ``Var(ln m) = int_0^m lam / pi / (n_arm (lam m)^2)`` and
    ``Cov(ln HR, ln m_control) = int_0^m z lam / (n I lam m)`` (with ``1 - z`` and a minus sign
    for the treatment arm). Returns ``nan`` when a median lies beyond the follow-up.
    """
    s = scenario
    tau = s.accrual + s.follow_up
    if max(s.median_control, s.median_treatment) >= tau:
        return math.nan
    p = s.arm_sizes["treatment"] / s.n
    lam = {"control": math.log(2) / s.median_control, "treatment": math.log(2) / s.median_treatment}

    def at_risk(u, arm):
        admin = np.clip((tau - u) / s.accrual, 0.0, 1.0) if s.accrual > 0 else (u < tau) * 1.0
        return np.exp(-(lam[arm] + s.dropout_hazard) * u) * np.where(u < s.follow_up, 1.0, admin)

    def share_treated(u):
        rate_t = p * at_risk(u, "treatment") * lam["treatment"]
        rate_c = (1 - p) * at_risk(u, "control") * lam["control"]
        return rate_t / np.maximum(rate_t + rate_c, 1e-300), rate_t + rate_c

    u = np.linspace(0.0, tau, 4001)
    z, rate = share_treated(u)
    info = s.n * integrate.trapezoid(z * (1 - z) * rate, u)
    var = 1.0 / info
    for arm in ("control", "treatment"):
        m = s.median_control if arm == "control" else s.median_treatment
        um = np.linspace(0.0, m, 2001)
        var += integrate.trapezoid(lam[arm] / at_risk(um, arm), um) / (s.arm_sizes[arm] * math.log(2) ** 2)
        z_m = share_treated(um)[0]
        weight = z_m if arm == "control" else 1 - z_m
        var -= 2 * integrate.trapezoid(weight * lam[arm], um) / (info * math.log(2))
    return math.sqrt(var) if var > 0 else math.nan


@lru_cache(maxsize=256)
def tail_df(scenario: Scenario) -> float:
    """Degrees of freedom of the t distribution used for the gap: the deaths expected in the arm
    with fewer (at least 3). Few deaths make the medians move in steps and the HR spread
    heavy-tailed; with many the t distribution is the normal one."""
    return max(3.0, min(scenario.arm_sizes[arm] * death_probability(scenario, arm)
                        for arm in ("control", "treatment")))


def approximate_share(scenario: Scenario, gap: float) -> float:
    """Approximate share of trials whose gap is at least ``gap`` under constant hazards:
    ``P(|T| >= gap / sd)`` for ``T`` t-distributed with :func:`tail_df` degrees of freedom and
    ``sd`` from :func:`gap_sd` (nan when a median lies beyond the follow-up).

    Measured against simulation (tests/test_claims_chance.py): within Monte Carlo error from
    about 300 patients when both medians fall before the end of the shortest follow-up. In
    smaller trials, or with a median in the censored stretch of follow-up, the medians vary
    more than the delta method says, and a share of 1% may really be up to 2.5%. So
    check_claims simulates unless told not to, and uses this only for speed or beyond
    :data:`MAX_SIMULATED_N` patients.
    """
    sd = gap_sd(scenario)
    return float(2 * special.stdtr(tail_df(scenario), -gap / sd)) if math.isfinite(sd) else math.nan


# ----- a design that gives the deaths a report states ----------------------------------------
def design_for_deaths(scenario: Scenario, deaths: float) -> Scenario | None:
    """``scenario`` with enrolment and follow-up stretched (or shrunk) by one factor so that it
    expects ``deaths`` deaths; None if no such design exists (deaths at or above n)."""
    if not 0 < deaths < scenario.n:
        return None

    def excess(log_c):
        c = math.exp(log_c)
        return expected_events(scenario.replace(accrual=scenario.accrual * c,
                                                follow_up=scenario.follow_up * c)) - deaths

    lo, hi = -12.0, 12.0
    if excess(lo) > 0 or excess(hi) < 0:
        return None
    c = math.exp(optimize.brentq(excess, lo, hi, xtol=1e-10))
    return scenario.replace(accrual=scenario.accrual * c, follow_up=scenario.follow_up * c)

