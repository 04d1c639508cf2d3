"""How many deaths a report rests on, and the precision of ln HR they give.

Evidence before assumptions: the reported deaths, else the deaths the confidence interval's
width implies, else the deaths expected under an assumed design (said to be an assumption).

The variance of ln HR is about ``1 / d_control + 1 / d_treatment``. When only the total is known
it is split between the arms as exponential survival over a common follow-up would split it,
given the hazard ratio, the allocation and n. Without n the split is unknown: it lies between
the arms' sizes (everyone followed to death, the ``1 / (D p (1 - p))`` shortcut, ``4 / D`` at 1:1)
and the split of rare deaths (in proportion to hazard times arm size), and the checks allow both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import optimize

from ..design import death_probability
from .report import Report


@dataclass(frozen=True)
class Information:
    """The deaths a check uses and the SE(ln HR) they give (a range where the split is unknown).

    ``source`` is ``"reported"``, ``"ci"`` or ``"design"``; ``words`` says it in a sentence's
    terms ("about 243 deaths (implied by the width of the confidence interval)"); ``how`` gives
    the arithmetic of the SE.
    """

    deaths: float
    se_low: float
    se_high: float
    source: str
    words: str
    how: str

    @property
    def assumed(self) -> bool:
        return self.source == "design"


def _by_arm(x: float, hr: float, allocation: float, n: int) -> tuple[float, float]:
    """Deaths by arm after a common follow-up ``x`` (in units of the control hazard)."""
    return n * (1 - allocation) * -math.expm1(-x), n * allocation * -math.expm1(-hr * x)


def split_deaths(total: float, hr: float, allocation: float, n: int) -> tuple[float, float]:
    """Deaths by arm (control, treatment): exponential survival over a common follow-up ``x``
    (in units of the control hazard), ``n (1 - p)(1 - e^-x) + n p (1 - e^-hr x) = total``."""
    if total >= n:
        return n * (1 - allocation), n * allocation
    x = math.exp(optimize.brentq(lambda log_x: sum(_by_arm(math.exp(log_x), hr, allocation, n)) - total,
                                 -60.0, 60.0, xtol=1e-12))
    return _by_arm(x, hr, allocation, n)


def _rare_split(total: float, hr: float, allocation: float) -> tuple[float, float]:
    weight = hr * allocation / (1 - allocation)
    return total / (1 + weight), total * weight / (1 + weight)


def se_from_deaths(r: Report, total: float, hr: float) -> tuple[float, float, str]:
    """SE(ln HR) for ``total`` deaths: ``(low, high, how)``."""
    if r.n is not None:
        d_c, d_t = split_deaths(total, hr, r.allocation, r.n)
        se = math.sqrt(1 / d_c + 1 / d_t)
        return se, se, (f"SE(ln HR) = sqrt(1/d_control + 1/d_treatment) = sqrt(1/{d_c:.0f} + 1/{d_t:.0f}) "
                        f"= {se:.3f} (the {total:.0f} deaths split by arm from HR {hr:.3g}, "
                        f"{r.split} allocation and {r.n:,} patients)")
    shortcut = 1 / math.sqrt(total * r.pq)
    d_c, d_t = _rare_split(total, hr, r.allocation)
    rare = math.sqrt(1 / d_c + 1 / d_t)
    lo, hi = min(shortcut, rare), max(shortcut, rare)
    return lo, hi, (f"SE(ln HR) between {lo:.3f} and {hi:.3f}: without n the split of the {total:.0f} "
                    f"deaths by arm is unknown, from the 1/sqrt(D p(1-p)) shortcut to the split of rare "
                    f"deaths (1/{d_c:.0f} + 1/{d_t:.0f})")


def deaths_from_se(r: Report, se: float, hr: float) -> float:
    """Total deaths whose SE(ln HR) would be ``se`` (inf if even n deaths give less precision)."""
    if r.n is None:
        return 1 / (r.pq * se**2)

    def excess(log_x):  # falls as the follow-up x grows
        d_c, d_t = _by_arm(math.exp(log_x), hr, r.allocation, r.n)
        return 1 / d_c + 1 / d_t - se**2

    if excess(60.0) > 0:
        return math.inf
    return sum(_by_arm(math.exp(optimize.brentq(excess, -60.0, 60.0, xtol=1e-12)), hr, r.allocation, r.n))


def information(r: Report, hr: float | None) -> Information | None:
    """The deaths to use, in order of evidence: reported, implied by the CI, expected by design."""
    if hr is None:
        return None
    if r.deaths is not None:
        lo, hi, how = se_from_deaths(r, r.deaths, hr)
        return Information(r.deaths, lo, hi, "reported", f"{r.deaths:,} deaths (reported)", how)
    if r.hr_ci is not None:
        se_lo, se_hi = r.se_range()
        d = deaths_from_se(r, r.se, hr)
        how = (f"SE(ln HR) from the CI's width, (ln U - ln L) / (2 x {r.z_crit:.2f}) = {r.se:.3f}, "
               f"which about {d:.0f} deaths would give")
        return Information(d, se_lo, se_hi, "ci",
                           f"about {d:.0f} deaths (implied by the width of the confidence interval)", how)
    if r.n is not None and r.median_control is not None:
        s = r.scenario(hr)
        d_c, d_t = (s.arm_sizes[arm] * death_probability(s, arm) for arm in ("control", "treatment"))
        se = math.sqrt(1 / d_c + 1 / d_t)
        return Information(d_c + d_t, se, se, "design",
                           f"about {d_c + d_t:.0f} deaths (expected with {r.assumed_design}: an assumption)",
                           f"SE(ln HR) = sqrt(1/{d_c:.0f} + 1/{d_t:.0f}) = {se:.3f}, deaths by arm expected "
                           "in the assumed design")
    return None
