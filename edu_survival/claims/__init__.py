"""Do a report's numbers add up? :func:`check_claims` checks what a news story or abstract says.

Each check is one small function (one topic each, in the modules of this package) that takes the
reported numbers (a :class:`Report`) and returns :class:`Check` objects; :func:`check_claims`
reads and validates the input, runs the functions in :data:`CHECKS` and gathers the results in
a :class:`ClaimReport`.

**The verdict rule.** ``[!!] inconsistent`` means a number must be wrong: the figures disagree
beyond chance, beyond the rounding of their printed digits, and under every model (a hazard
ratio outside its own interval; a p-value that more deaths than there are patients would be
needed for; an interval narrower than the patients could give). Everything short of that is
named for what it rests on:

* ``[OK]`` consistent, or a gap that chance commonly gives (in more than 20% of trials);
* ``[~~]`` depends: chance (1% to 20% of trials) or a plausible assumption (a Weibull shape in
  the endpoint's range, an assumed design) reconciles the figures, and the verdict names both;
* ``[><]`` the figures fit only if the hazards are not proportional (for example curves that
  cross): neither chance (under 1 trial in 100) nor a plausible shape reconciles them. It is
  listed among the report's problems, but it is a clue, not an error: ask for the curves.

Other rules every check follows:

* **Evidence before assumptions.** A check that needs a number of deaths uses the reported
  deaths, else the deaths implied by the reported confidence interval, else the deaths expected
  under an assumed design, and says which.
* **Printed digits count.** "0.80" may be anything from 0.795 to 0.805; a float 0.8 (whose
  trailing zero is lost) anything from 0.75 to 0.85. Give numbers as printed to keep their digits.
* **The report's own design facts are used** (confidence level, one-sided p, allocation,
  endpoint), and the "assumed" line lists only what the report did not say.
"""

from __future__ import annotations

from .chance import ChanceGaps, chance_gaps
from .endpoints import ENDPOINTS, Endpoint
from .inputs import MAX_N, read_report
from .interval import check_confidence_interval
from .medians import check_medians_vs_hr, check_one_median_and_hr
from .power import check_missing, check_power
from .printed import parse_p_value
from .pvalue import check_deaths_needed, check_p_vs_hr_and_deaths
from .report import Report
from .verdicts import (
    CONSISTENT,
    DEPENDS,
    INCONSISTENT,
    INFO,
    NOT_PROPORTIONAL,
    UNCHECKED,
    VERDICTS,
    Check,
    ClaimReport,
)

PLAUSIBLE_SHAPES = ENDPOINTS["OS"].shapes
"""Weibull shapes plausible for overall survival (the default endpoint): 0.7, 1 and 1.5."""

CHECKS = (
    check_medians_vs_hr,
    check_one_median_and_hr,
    check_deaths_needed,
    check_p_vs_hr_and_deaths,
    check_confidence_interval,
    check_power,
    check_missing,
)
"""The check functions :func:`check_claims` runs, in order; each takes a :class:`Report`."""


def check_claims(*, n=None, median_control=None, median_treatment=None, hr=None, hr_ci=None,
                 p_value=None, deaths=None, endpoint=None, allocation=None, ci_level=None,
                 sided=None, accrual=None, follow_up=None, dropout=None, alpha=0.05,
                 simulate=True, n_sims=0, chance_trials=None, seed=2024) -> ClaimReport:
    """Check which reported numbers of a two-arm survival trial are consistent with each other.

    Every number may be given as printed (a string keeps its digits: ``hr="0.80"``,
    ``hr_ci="0.70–0.90"``, ``p_value="P < .001"``, ``n="1,217"``) or as a number. Verdicts and
    the rule behind them are described in :mod:`edu_survival.claims` and in the report's legend.

    Parameters
    ----------
    n, deaths : int or str, optional
        Patients randomised (up to 1,000,000) and deaths reported.
    median_control, median_treatment : float or str, optional
        Reported median survival per arm, months.
    hr, hr_ci : optional
        Hazard ratio, treatment vs control (a "38% lower hazard" is 0.62), and its CI.
    p_value : float or str, optional
        As printed: ``0.03``, ``"<0.001"``, ``"p‹0·001"``, ``"0.001 (log-rank)"``; a bound is a bound.
    endpoint : {"OS", "PFS", "DFS", "TTP"}, optional
        Sets the Weibull shapes called plausible (and the words); overall survival if not given.
    allocation : float or str, optional
        Fraction on treatment, or a ratio treatment:control (``"2:1"``); 1:1 if not given.
    ci_level, sided : optional
        The CI's level (e.g. ``0.979``; 0.95 if not given) and 1 for a one-sided p (2 if not given).
    accrual, follow_up, dropout : float, optional
        The design (months of enrolment, months of further follow-up, annual loss); 24, 24 and
        0 if not given, used only where deaths are not reported, and for power.
    alpha : float
        Two-sided significance level for power and deaths needed.
    simulate : bool
        True: simulate the chance share of the medians-vs-HR gap (seeded; ``chance_trials``
        trials; by default 4,000 for 321 patients, at least 2,000 up to 1,000 patients, at
        least 500 above) and, if ``n_sims`` > 0, the
        power with ``n_sims`` trials per shape. False: approximations only (fast; see
        :func:`edu_survival.claims.chance.approximate_share`).
    seed : int or None
        Random seed of every simulation.

    Returns
    -------
    ClaimReport
        ``print()`` it; ``.find(topic)``, ``.problems``, ``.inconsistent``, ``.depends``.

    Examples
    --------
    >>> report = check_claims(n=321, median_control=17.3, median_treatment=23.9, hr=0.62)
    >>> check = report.find("hazard ratio vs medians")
    >>> check.mark, round(check.values["reconciling_shape"], 2), check.values["chance_trials"]
    ('[~~]', 1.48, 4000)
    >>> bool(0.08 < check.values["chance_share"] < 0.10)
    True
    """
    report, reported, printed, assumed = read_report(dict(locals()))
    checks = [c for run in CHECKS for c in run(report)]
    return ClaimReport(reported=reported, checks=checks, assumed=assumed, printed=printed)


__all__ = [
    "CHECKS", "CONSISTENT", "DEPENDS", "ENDPOINTS", "INCONSISTENT", "INFO", "MAX_N", "NOT_PROPORTIONAL",
    "PLAUSIBLE_SHAPES", "UNCHECKED", "VERDICTS", "ChanceGaps", "Check", "ClaimReport", "Endpoint",
    "Report", "chance_gaps", "check_claims", "check_confidence_interval", "check_deaths_needed",
    "check_medians_vs_hr", "check_missing", "check_one_median_and_hr", "check_p_vs_hr_and_deaths",
    "check_power", "parse_p_value",
]
