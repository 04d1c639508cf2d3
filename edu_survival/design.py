"""Planning a trial: how many deaths, how many patients, and what power (times in months).

Formulas (two-sided test at level ``alpha``, allocation fraction ``p`` on treatment):

* Schoenfeld: deaths ``D = (z_{1-alpha/2} + z_power)^2 / (p (1 - p) ln(HR)^2)``.
* Freedman: ``D = (z_{1-alpha/2} + z_power)^2 (1 + r HR)^2 / (r (1 - HR)^2)`` with ``r = p / (1 - p)``.
* Expected log-rank z with ``D`` deaths: ``|ln HR| sqrt(D p (1 - p))``.
"""

from __future__ import annotations

import math

from scipy import integrate, stats

from ._checks import check_fraction, check_number
from .scenario import Scenario


def _check_hr(hr) -> float:
    hr = check_number("hr", hr, "> 0 and finite, and not 1 (no effect)", lambda v: v > 0)
    if hr == 1:
        raise ValueError("hr must differ from 1: with no effect no number of deaths gives power")
    return hr


def _design_inputs(hr, power, alpha, allocation) -> tuple[float, float, float, float]:
    """The validated inputs of the deaths-needed formulas."""
    return (_check_hr(hr), check_fraction("power", power), check_fraction("alpha", alpha),
            check_fraction("allocation", allocation))


def _z(alpha: float, power: float) -> float:
    return float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))


def schoenfeld_events(hr: float, power: float = 0.8, alpha: float = 0.05, allocation: float = 0.5) -> float:
    """Deaths needed to detect hazard ratio ``hr`` with a two-sided log-rank test (Schoenfeld 1981).

    Returns the unrounded number; round up to plan a trial.

    Examples
    --------
    >>> round(schoenfeld_events(0.5), 1)
    65.3
    """
    hr, power, alpha, p = _design_inputs(hr, power, alpha, allocation)
    return float(_z(alpha, power) ** 2 / (p * (1 - p) * math.log(hr) ** 2))


def freedman_events(hr: float, power: float = 0.8, alpha: float = 0.05, allocation: float = 0.5) -> float:
    """Deaths needed by Freedman's (1982) formula, the one lifelines' power functions use.

    Examples
    --------
    >>> round(freedman_events(0.5), 1)
    70.6
    """
    hr, power, alpha, p = _design_inputs(hr, power, alpha, allocation)
    r = p / (1 - p)
    return float(_z(alpha, power) ** 2 * (1 + r * hr) ** 2 / (r * (1 - hr) ** 2))


def death_probability(scenario: Scenario, arm: str) -> float:
    """Probability that a patient's death is observed by the analysis (uniform accrual).

    A patient entering at month ``e`` (uniform on ``[0, A]``) is censored at ``C = A + F - e``
    (uniform on ``[F, A + F]``) or by dropout (exponential, rate ``m``). Swapping the order of
    integration, ``P = int_0^{A+F} f(t) exp(-m t) P(C > t) dt`` with ``P(C > t) = 1`` before
    ``F`` and ``(A + F - t) / A`` after. Closed form for exponential survival without delay;
    otherwise one adaptive integral on the scale of the log cumulative hazard ``s = ln H(t)``,
    where ``f(t) dt = exp(-u) u ds`` (``u = H(t)``) spreads the deaths out whatever the shape
    and median, split at the delay, at ``F`` and at ``A + F`` (where the integrand has kinks).

    Examples
    --------
    >>> from edu_survival import LAPATINIB
    >>> round(death_probability(LAPATINIB, "control"), 3)
    0.754
    >>> round(death_probability(LAPATINIB.replace(shape=3.0), "control"), 3)
    0.978
    """
    s = scenario
    m = s.dropout_hazard
    A, F = s.accrual, s.follow_up
    if s.shape == 1 and (arm == "control" or (s.delay == 0 and s.early_hr == 1)):
        lam = math.log(2) / (s.median_control if arm == "control" else s.median_treatment)
        rate = lam + m
        if A == 0:
            observed_by_end = -math.expm1(-rate * F)
        else:
            # (exp(-rate F) - exp(-rate (A + F))) / (rate A), written to keep its digits.
            observed_by_end = 1 - math.exp(-rate * F) * -math.expm1(-rate * A) / (rate * A)
        return lam / rate * observed_by_end
    time_at, hazard_at = _weibull_maps(s, arm)
    T = A + F

    def integrand(log_u):
        # In s = ln u the deaths' weight exp(-u) du = exp(-u) u ds is a smooth bump, and
        # t(u) = scale * (...)^(1/shape) is smooth in s for every shape.
        u = math.exp(log_u)
        t = time_at(u)
        at_risk = 1.0 if t <= F else (T - t) / A
        return math.exp(-u - m * t) * u * at_risk if at_risk > 0 else 0.0

    # Beyond u = 60 the deaths left weigh exp(-60) ~ 1e-26, below u = 1e-30 they weigh 1e-30.
    top = min(hazard_at(T), _U_MAX)
    if top <= _U_MIN:
        return 0.0
    kinks = (hazard_at(F), hazard_at(s.delay) if arm == "treatment" else 0.0)
    cuts = sorted({_U_MIN, top, *(c for c in kinks if _U_MIN < c < top)})
    total = 0.0
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        total += integrate.quad(integrand, math.log(a), math.log(b), epsabs=1e-11, epsrel=1e-10,
                                limit=200)[0]
    return min(max(total, 0.0), 1.0)


_U_MAX, _U_MIN = 60.0, 1e-30


def _weibull_maps(s: Scenario, arm: str):
    """Scalar cumulative hazard ``H(t)`` of an arm and its inverse, with plain floats (fast)."""
    lam, k = s.scale("control"), s.shape
    if arm == "control":
        early, late, d = 1.0, 1.0, 0.0
    else:
        s._median(arm)  # validates the arm's name
        early, late, d = s.early_hr, s.hr, s.delay

    def power(x, p):
        try:
            return x**p
        except OverflowError:
            return math.inf

    h0_d = power(d / lam, k)
    h_d = early * h0_d

    def hazard_at(t):
        h0 = power(t / lam, k)
        return early * h0 if t <= d else h_d + late * (h0 - h0_d)

    def time_at(u):
        base = u / early if u <= h_d else h0_d + (u - h_d) / late
        return lam * power(base, 1 / k)

    return time_at, hazard_at


def expected_events(scenario: Scenario) -> float:
    """Expected number of deaths observed at the analysis, both arms together.

    Examples
    --------
    >>> from edu_survival import LAPATINIB
    >>> round(expected_events(LAPATINIB))
    224
    """
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
    sizes = scenario.arm_sizes
    return sum(sizes[arm] * death_probability(scenario, arm) for arm in sizes)


def expected_logrank_z(hr: float, deaths: float, allocation: float = 0.5) -> float:
    """Log-rank z expected when the hazard ratio is ``hr`` and ``deaths`` deaths are observed.

    ``z = |ln HR| sqrt(D p (1 - p))`` (Schoenfeld), with ``p`` the share on treatment.

    Examples
    --------
    >>> round(expected_logrank_z(0.724, 224), 2)
    2.42
    """
    hr = check_number("hr", hr, "> 0 and finite", lambda v: v > 0)
    deaths = check_number("deaths", deaths, ">= 0", lambda v: v >= 0)
    p = check_fraction("allocation", allocation)
    return math.fabs(math.log(hr)) * math.sqrt(deaths * p * (1 - p))


def two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic ``z``.

    Examples
    --------
    >>> round(two_sided_p(1.959964), 3)
    0.05
    """
    z = check_number("z", z, "a finite number", lambda v: True)
    return float(2 * stats.norm.sf(abs(z)))


def analytic_power(scenario: Scenario, alpha: float = 0.05) -> float:
    """Power of the two-sided log-rank test by Schoenfeld's approximation with expected deaths.

    Assumes proportional hazards: with ``delay > 0`` it uses the hazard ratio after the delay
    and so misstates the power (simulate with :func:`edu_survival.power` instead).

    Examples
    --------
    >>> from edu_survival import LAPATINIB
    >>> round(analytic_power(LAPATINIB), 2)
    0.68
    """
    alpha = check_fraction("alpha", alpha)
    deaths = expected_events(scenario)
    p = scenario.arm_sizes["treatment"] / scenario.n
    if scenario.hr == 1:
        return alpha
    drift = expected_logrank_z(scenario.hr, deaths, p)
    z = stats.norm.ppf(1 - alpha / 2)
    return float(stats.norm.sf(z - drift) + stats.norm.cdf(-z - drift))


def sample_size(
    hr: float,
    power: float = 0.8,
    alpha: float = 0.05,
    *,
    median_control: float,
    accrual: float,
    follow_up: float,
    allocation: float = 0.5,
    dropout: float = 0.0,
    shape: float = 1.0,
    method: str = "schoenfeld",
) -> int:
    """Patients to randomise so that the expected deaths reach the number needed.

    Deaths needed come from ``method`` ("schoenfeld" or "freedman"); each patient's chance of
    an observed death comes from the design (accrual, follow-up, dropout, survival).

    Examples
    --------
    >>> sample_size(0.724, power=0.8, median_control=17.3, accrual=24, follow_up=24)
    432
    """
    if method not in ("schoenfeld", "freedman"):
        raise ValueError(f"method must be 'schoenfeld' or 'freedman'; got {method!r}")
    rule = schoenfeld_events if method == "schoenfeld" else freedman_events
    deaths = rule(hr, power, alpha, allocation)
    design = Scenario.from_hr(
        median_control, hr, n=1000, allocation=allocation, accrual=accrual,
        follow_up=follow_up, dropout=dropout, shape=shape,
    )
    p = allocation
    per_patient = (1 - p) * death_probability(design, "control") + p * death_probability(design, "treatment")
    if not per_patient > 0 or not math.isfinite(deaths / per_patient):
        raise ValueError(
            f"no number of patients is enough: with median_control={median_control!r} months, "
            f"accrual={accrual!r} and follow_up={follow_up!r} months and dropout={dropout!r}, a "
            f"patient's chance of an observed death is {per_patient:.3g}; follow patients for longer"
        )
    return max(int(math.ceil(deaths / per_patient)), _smallest_n(allocation))


def _smallest_n(allocation: float) -> int:
    """The fewest patients a Scenario accepts: at least 2, and at least one in each arm."""
    n = 2
    while True:
        treated = int(math.floor(n * allocation + 0.5))
        if 1 <= treated <= n - 1:
            return n
        n += 1
