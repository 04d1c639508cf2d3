"""What a report says (:class:`Report`), with the rounding of its digits, and the arithmetic the
checks share."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from scipy import special

from ..analysis.words import format_p
from ..scenario import Scenario
from .endpoints import Endpoint, check_endpoint
from .printed import decimals

# How far apart two z statistics of the same trial may be without rounding being the cause:
# the log-rank z and the Cox Wald z differ by a few percent, and the information that the
# deaths imply is an approximation (more so when the deaths per arm are estimated). Checked on
# simulated trials in tests/test_claims_calibration.py.
Z_RELATIVE = 0.10
Z_ABSOLUTE = 0.10
# The CI's centre (on the log scale) may differ from the HR by this much beyond rounding:
# Wald intervals are symmetric on the log scale; other methods almost so.
CENTRE_SLACK = 0.02
CLOSE = "close enough: rounding and the small gap between the log-rank and Cox tests allow it"


def rounded(value: float, places: int) -> tuple[float, float]:
    """Every number that rounds to ``value`` printed with ``places`` decimals."""
    half = 0.5 * 10.0 ** -places
    return value - half, value + half


def allocation_words(allocation: float) -> str:
    """``"1:1"``, ``"2:1"`` (treatment : control) or ``"60% on treatment"``."""
    ratio = Fraction(allocation / (1 - allocation)).limit_denominator(5)
    if abs(ratio.numerator / (ratio.numerator + ratio.denominator) - allocation) < 1e-3:
        return f"{ratio.numerator}:{ratio.denominator}"
    return f"{100 * allocation:.0f}% on treatment"


@dataclass(frozen=True)
class Report:
    """The numbers a report gives (``None`` where it is silent) and the design facts.

    Built and validated by :func:`~edu_survival.check_claims`; each check function reads it.
    ``digits`` holds the decimals each number was printed with (by name; numbers missing from
    it keep the digits of their float); ``stated`` names the design facts the report gave
    (``"allocation"``, ``"ci_level"``, ``"sided"``, ``"endpoint"``, ``"design"``).
    """

    n: int | None = None
    median_control: float | None = None
    median_treatment: float | None = None
    hr: float | None = None
    hr_ci: tuple | None = None
    p_value: float | None = None
    p_relation: str = "="
    p_text: str = ""
    deaths: int | None = None
    allocation: float = 0.5
    accrual: float = 24.0
    follow_up: float = 24.0
    dropout: float = 0.0
    alpha: float = 0.05
    simulate: bool = False
    n_sims: int = 0
    seed: int | None = 2024
    ci_level: float = 0.95
    sided: int = 2
    endpoint: str = "OS"
    digits: dict = field(default_factory=dict)
    stated: frozenset = frozenset()
    chance_trials: int | None = None

    # -- the design facts
    @property
    def outcome(self) -> Endpoint:
        return check_endpoint(self.endpoint)

    @cached_property
    def z_crit(self) -> float:
        return float(special.ndtri(1 - (1 - self.ci_level) / 2))

    @property
    def level(self) -> str:
        return f"{100 * self.ci_level:.4g}%"

    @property
    def pq(self) -> float:
        return self.allocation * (1 - self.allocation)

    @property
    def pq_most(self) -> float:
        """p(1 - p) for a bound that must hold whatever the allocation (1:1 gives the most)."""
        return self.pq if "allocation" in self.stated else 0.25

    @property
    def split(self) -> str:
        return allocation_words(self.allocation)

    @property
    def assumed_design(self) -> str:
        return (f"{self.accrual:g} months' uniform enrolment, {self.follow_up:g} months' further "
                f"follow-up, {'no' if self.dropout == 0 else f'{self.dropout:.0%} a year'} loss to follow-up")

    @property
    def design_words(self) -> str:
        """The design a power or a death count rests on, with the facts the report did not give."""
        return (f"{self.n:,} patients, {self.split}, {self.assumed_design}, "
                f"two-sided alpha {self.alpha:g}")

    def scenario(self, hr: float, shape: float = 1.0) -> Scenario:
        """The assumed design with the reported n and control median and hazard ratio ``hr``."""
        return Scenario.from_hr(self.median_control, hr, n=self.n, allocation=self.allocation,
                                accrual=self.accrual, follow_up=self.follow_up,
                                dropout=self.dropout, shape=shape)

    # -- rounding of the printed digits
    def places(self, name: str, value: float) -> int:
        return self.digits.get(name, decimals(repr(float(value))))

    def show(self, name: str, value: float | None = None) -> str:
        """A reported number as printed: with its printed digits if given as a string."""
        value = getattr(self, name) if value is None else value
        return f"{value:.{self.digits[name]}f}" if name in self.digits else f"{value:g}"

    def rounded(self, name: str) -> tuple[float, float]:
        """Every value that prints as the reported ``name`` (``"hr"``, ``"median_control"``...)."""
        value = getattr(self, name)
        return rounded(value, self.places(name, value))

    def ci_rounded(self) -> tuple[tuple[float, float], tuple[float, float]]:
        lo, hi = self.hr_ci
        return rounded(lo, self.places("hr_ci_lower", lo)), rounded(hi, self.places("hr_ci_upper", hi))

    @property
    def p_words(self) -> str:
        """The reported p-value as printed: "p = 0.03", "one-sided p < 0.001"."""
        return f"{'one-sided ' if self.sided == 1 else ''}p {self.p_relation} {self.p_text}"

    def p_range(self) -> tuple[float, float]:
        """Every two-sided p-value the printed one allows (a bound stays a bound; a one-sided
        p counts double)."""
        if self.p_relation == "<":
            lo, hi = 0.0, self.p_value
        elif self.p_relation == ">":
            lo, hi = self.p_value, 1.0
        else:
            lo, hi = rounded(self.p_value, self.places("p_value", self.p_value))
        factor = 2.0 if self.sided == 1 else 1.0
        return max(lo * factor, 0.0), min(hi * factor, 1.0)

    def z_from_p(self) -> tuple[float, float]:
        """The ``|z|`` values the reported p-value allows."""
        lo, hi = self.p_range()
        return z_of(hi), (math.inf if lo <= 0 else z_of(lo))

    @property
    def z_point(self) -> float:
        """The ``|z|`` of the printed p-value itself (a one-sided p counts double)."""
        return z_of(min(1.0, self.p_value * (2.0 if self.sided == 1 else 1.0)))

    def log_hr_range(self) -> tuple[float, float]:
        """The ``|ln HR|`` values the rounded HR allows (0 if it could be 1)."""
        return abs_log_range(*self.rounded("hr"))

    def se_range(self) -> tuple[float, float]:
        """SE(ln HR) the rounded CI allows: (ln U - ln L) / (2 z)."""
        (l_lo, l_hi), (u_lo, u_hi) = self.ci_rounded()
        width = 2 * self.z_crit
        # Rounding can make a very narrow CI's width 0 (then nothing bounds the z from above).
        return max(math.log(u_lo / l_hi), 0.0) / width, math.log(u_hi / max(l_lo, 1e-300)) / width

    @property
    def se(self) -> float:
        return (math.log(self.hr_ci[1]) - math.log(self.hr_ci[0])) / (2 * self.z_crit)


# ----- arithmetic the checks share -----------------------------------------------------------
def z_of(p: float) -> float:
    """The ``|z|`` of a two-sided p-value. This and :func:`p_of` use scipy.special directly: a
    check converts often, and scipy.stats' validation costs 0.4 ms a call."""
    return float(-special.ndtri(p / 2))


def p_of(z: float) -> float:
    """The two-sided p-value of ``z`` (as :func:`edu_survival.design.two_sided_p`)."""
    return float(2 * special.ndtr(-abs(z)))


def abs_log_range(lo: float, hi: float) -> tuple[float, float]:
    """The ``|ln x|`` for x in ``[lo, hi]``: (0 if 1 is inside, else the smaller end, the larger)."""
    a, b = abs(math.log(max(lo, 1e-300))), abs(math.log(hi))
    return (0.0 if lo <= 1 <= hi else min(a, b)), max(a, b)


def implied_hr(r: Report):
    """The hazard ratio the medians imply under constant hazards (control / treatment)."""
    if r.median_control is not None and r.median_treatment is not None:
        return r.median_control / r.median_treatment
    return None


def implied_hr_range(r: Report) -> tuple[float, float]:
    (c_lo, c_hi), (t_lo, t_hi) = r.rounded("median_control"), r.rounded("median_treatment")
    return max(c_lo, 1e-300) / t_hi, c_hi / max(t_lo, 1e-300)


def candidates(r: Report) -> list[tuple[str, float]]:
    """The effects a report could mean: the reported HR, and the one its medians imply."""
    out = []
    if r.hr is not None and r.hr != 1:
        out.append(("reported", r.hr))
    implied = implied_hr(r)
    if implied is not None and implied != 1 and (r.hr is None or abs(implied - r.hr) > 1e-9):
        out.append(("implied by the medians under constant hazards", implied))
    return out


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def p_text(z: float) -> str:
    return format_p(p_of(z))


def z_agree(z_lo: float, z_hi: float, zp_lo: float, zp_hi: float) -> bool:
    """Do two ranges of |z| overlap, allowing for the approximations named at the top?"""
    return z_hi * (1 + Z_RELATIVE) + Z_ABSOLUTE >= zp_lo and z_lo / (1 + Z_RELATIVE) - Z_ABSOLUTE <= zp_hi


def p_between(z_lo: float, z_hi: float) -> str:
    """The p-values of a range of |z| in words: "p = 0.0018", "p between 0.0010 and 0.0030"."""
    p_hi, p_lo = p_of(z_lo), (0.0 if math.isinf(z_hi) else p_of(z_hi))
    if format_p(p_lo) == format_p(p_hi):
        return format_p(p_hi)
    lo = "below 0.001" if p_lo < 0.001 else format_p(p_lo)[4:]
    return f"p between {lo} and {format_p(p_hi)[4:]}" if p_hi >= 0.001 else "p < 0.001"
