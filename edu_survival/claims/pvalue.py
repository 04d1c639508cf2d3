"""The p-value against the hazard ratio and the deaths, and the deaths a design needs."""

from __future__ import annotations

import math

from ..design import schoenfeld_events
from .deaths import information
from .report import (
    CLOSE,
    Z_ABSOLUTE,
    Z_RELATIVE,
    Report,
    abs_log_range,
    candidates,
    implied_hr,
    implied_hr_range,
    p_between,
    p_of,
    p_text,
    pct,
    z_agree,
)
from .verdicts import CONSISTENT, DEPENDS, INCONSISTENT, INFO, UNCHECKED, Check

TOPIC = "p-value vs hazard ratio and deaths"


def check_deaths_needed(r: Report) -> list[Check]:
    """Deaths a trial needs for 80% and 90% power (Schoenfeld), for each reading of the effect."""
    out = []
    assumptions = (f"Schoenfeld's formula: proportional hazards, {r.split} allocation, "
                   f"two-sided alpha {r.alpha:g}")
    for which, value in candidates(r):
        d80 = schoenfeld_events(value, 0.8, r.alpha, r.allocation)
        d90 = schoenfeld_events(value, 0.9, r.alpha, r.allocation)
        need80, need90 = math.ceil(d80), math.ceil(d90)  # whole deaths, rounded up
        sentence = (f"To detect HR {value:.3g} ({which}) a trial needs {need80:,} deaths for 80% power "
                    f"and {need90:,} for 90% ({assumptions})")
        if r.n is not None and need80 >= 10 * r.n:
            sentence += f"; that is {need80 / r.n:.0f} and {need90 / r.n:.0f} times the {r.n:,} patients"
        elif r.n is not None:
            # shares of the deaths printed, so "403 ... of the 321" reads 126%, not 125%
            sentence += f"; that is {pct(need80 / r.n)} and {pct(need90 / r.n)} of the {r.n:,} patients"
            if need80 > r.n:
                sentence += ", so even if every patient died the power would stay below 80%"
        sentence += "."
        if r.deaths is not None:
            sentence += f" The report counts {r.deaths:,} deaths."
        out.append(Check(f"deaths needed, HR {value:.3g}", INFO, sentence,
                         {"deaths_80": d80, "deaths_90": d90},
                         f"Schoenfeld: D = (z_alpha/2 + z_power)^2 / (p(1-p) ln(HR)^2) = "
                         f"{d80:.1f} and {d90:.1f}, rounded up."))
    if not out:
        out.append(Check("deaths needed", UNCHECKED, "Needs a hazard ratio other than 1, or both medians."))
    return out


def deaths_for_p(r: Report, log_hr: float, z: float | None = None, pq: float | None = None) -> float:
    """Deaths that give |z| (by default the printed p's) at ``|ln HR| = log_hr``: (z / ln HR)^2 / (p(1-p))."""
    if z is None:
        z = r.z_point
    return (z / log_hr) ** 2 / (r.pq if pq is None else pq) if log_hr > 0 else math.inf


def impossible_for_n(r: Report, lh_hi: float) -> Check | None:
    """[!!] when even every patient dying could not give the printed p at this HR."""
    if r.n is None or r.p_value is None or r.p_relation == ">":
        return None
    zp_lo = r.z_from_p()[0]
    z_most = lh_hi * math.sqrt(r.n * r.pq_most)  # all n dead, split as the arms (most information)
    if z_most * (1 + Z_RELATIVE) + Z_ABSOLUTE >= zp_lo:
        return None
    needed = deaths_for_p(r, abs(math.log(r.hr)) or lh_hi, zp_lo, r.pq_most)
    sentence = (f"Impossible whatever the design: {r.p_words} with HR {r.show('hr')} needs at least about "
                f"{needed:,.0f} deaths, more than the {r.n:,} patients.")
    detail = (f"Even if all {r.n:,} patients died, |z| <= |ln HR| sqrt(n p(1-p)) = {lh_hi:.3f} x "
              f"sqrt({r.n:,} x {r.pq_most:g}) = {z_most:.2f} ({p_between(z_most, z_most)}), while "
              f"{r.p_words} needs |z| >= {zp_lo:.2f}; deaths needed (z / |ln HR|)^2 / (p(1-p)) = {needed:,.0f}.")
    return Check(TOPIC, INCONSISTENT, sentence, {"deaths_needed": needed}, detail)


def _hr_in_words(r: Report):
    """The HR this check uses, its |ln HR| range under rounding, and its name in a sentence."""
    if r.hr is not None:
        return r.hr, r.log_hr_range(), f"HR {r.show('hr')}"
    hr = implied_hr(r)
    return hr, abs_log_range(*implied_hr_range(r)), f"the HR of {hr:.3f} the medians imply under constant hazards"


def check_p_vs_hr_and_deaths(r: Report) -> list[Check]:
    """The p-value a log-rank test gives with this HR and this many deaths."""
    if r.hr is not None and (impossible := impossible_for_n(r, r.log_hr_range()[1])) is not None:
        return [impossible]
    hr = r.hr if r.hr is not None else implied_hr(r)
    info = information(r, hr)
    if hr is None or info is None:
        missing = [] if hr is not None else ["a hazard ratio (or both medians)"]
        if info is None:
            missing.append("a number of deaths (or a CI, or n and a control median to expect one)")
        return [Check(TOPIC, UNCHECKED, "Needs " + " and ".join(missing) + ".")]
    hr, (lh_lo, lh_hi), hr_words = _hr_in_words(r)
    z = abs(math.log(hr)) / math.sqrt(info.se_low * info.se_high)
    z_lo, z_hi = lh_lo / info.se_high, lh_hi / info.se_low
    values = {"z": z, "p_implied": p_of(z), "deaths_used": info.deaths}
    detail = (f"{info.how}; z = |ln HR| / SE = {abs(math.log(hr)):.3f} / {math.sqrt(info.se_low * info.se_high):.3f} "
              f"= {z:.2f}; with rounding, {p_between(z_lo, z_hi)}.")
    lead = f"With {info.words}, {hr_words} gives {p_text(z)}."
    if r.p_value is None:
        return [Check(TOPIC, INFO, lead + " The report gives no p-value.", values, detail)]
    zp_lo, zp_hi = r.z_from_p()
    if z_agree(z_lo, z_hi, zp_lo, zp_hi):
        close = "" if zp_lo <= z <= zp_hi else f" ({CLOSE})"
        return [Check(TOPIC, CONSISTENT, f"{lead} The report says {r.p_words}: consistent{close}.", values, detail)]
    needed = deaths_for_p(r, abs(math.log(hr)) or lh_hi)
    if info.assumed or r.hr is None:
        assumption = "the assumed design" if info.assumed else "constant hazards"
        return [Check(TOPIC, DEPENDS,
                      f"{lead} The report says {r.p_words}: they agree only if {assumption} is wrong "
                      f"({r.p_words} with {hr_words} needs about {needed:.0f} deaths).", values, detail)]
    return [Check(TOPIC, INCONSISTENT,
                  f"{lead} The report says {r.p_words}: these disagree even allowing for rounding "
                  f"({r.p_words} would need about {needed:.0f} deaths).", values, detail)]
