"""Medians against the hazard ratio: chance first, then the shape of the hazard.

Under constant hazards the medians' ratio (control / treatment) is the hazard ratio; under
proportional Weibull hazards of shape k the hazard ratio is that ratio to the power k. A
reported pair can differ by chance (both are estimates from the same patients), by the shape
of the hazard, or because the hazards are not proportional at all. Medians and an HR alone can
never prove a number wrong, so this check gives one of three verdicts, never [!!]:

* [OK] when chance commonly gives such a gap (in more than 20% of trials like the report's);
* [~~] when chance (1% to 20%) or a plausible Weibull shape reconciles them, naming both;
* [><] when neither does: the figures fit only if the hazards are not proportional.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..design import expected_events
from ..scenario import Scenario
from .chance import (
    MAX_SIMULATED_N,
    approximate_share,
    default_trials,
    design_for_deaths,
    one_in,
    share_words,
    simulated_gaps,
    tail_df,
)
from .deaths import information
from .endpoints import shape_meaning
from .report import Report, implied_hr, implied_hr_range, pct
from .verdicts import CONSISTENT, DEPENDS, INFO, NOT_PROPORTIONAL, UNCHECKED, Check

TOPIC = "hazard ratio vs medians"
COMMON, RARE = 0.20, 0.01  # chance "commonly" and "rarely" gives a gap: the verdict's bounds


@dataclass(frozen=True)
class Chance:
    """The share of trials like the report's whose gap is at least the reported one."""

    share: float  # at the printed gap, constant hazards
    share_plausible: float  # at the gap left by the nearest plausible shape and printed digits
    se: float  # Monte Carlo SE of ``share`` (0 for the approximation)
    trials: int  # 0 for the approximation
    detail: str


def _chance_design(r: Report) -> tuple[Scenario, str]:
    """The trials to simulate: the report's n, allocation and medians, constant hazards, and the
    deaths it states or implies (else those of the assumed design), with words for them."""
    base = Scenario(n=r.n, median_control=r.median_control, median_treatment=r.median_treatment,
                    allocation=r.allocation, accrual=r.accrual, follow_up=r.follow_up, dropout=r.dropout)
    info = information(r, r.hr)
    if info is not None and info.source != "design":
        matched = design_for_deaths(base, info.deaths)
        if matched is not None:
            how = "as reported" if info.source == "reported" else "as the width of the confidence interval implies"
            return matched, f"about {info.deaths:.0f} deaths {how}, enrolment and follow-up scaled to give them"
    return base, f"about {expected_events(base):.0f} deaths expected with {r.assumed_design} (an assumption)"


def assess_chance(r: Report, gap: float, gap_plausible: float) -> Chance | None:
    """Simulated (or, for speed, approximate) share; None without n or when it cannot be judged."""
    if r.n is None:
        return None
    design, deaths = _chance_design(r)
    like = (f"constant hazards, true medians {r.show('median_control')} and "
            f"{r.show('median_treatment')}, {r.n:,} patients, {r.split}, {deaths}")
    if r.simulate and r.n <= MAX_SIMULATED_N:
        trials = r.chance_trials or default_trials(r.n)
        gaps = simulated_gaps(design, trials, r.seed)
        share, share_r = (float(np.mean(gaps >= g - 1e-12)) for g in (gap, gap_plausible))
        se = math.sqrt(share * (1 - share) / len(gaps))
        left = f"; {trials - len(gaps):,} left out, a median not reached" if len(gaps) < trials else ""
        return Chance(share, share_r, se, trials,
                      f"In {trials:,} simulated trials ({like}; seed {r.seed}{left}) the gap was at least "
                      f"{gap:.3f} in {share_words(share, se, len(gaps))}.")
    share, share_r = (approximate_share(design, g) for g in (gap, gap_plausible))
    if not math.isfinite(share):
        return None
    why = "simulate=True simulates it" if r.n <= MAX_SIMULATED_N else "too many patients to simulate quickly"
    return Chance(share, share_r, 0.0, 0,
                  f"Approximation ({like}): the gap's spread by the delta method, with tails for "
                  f"{tail_df(design):.0f} deaths in the arm with fewer; a gap of at least {gap:.3f} comes in "
                  f"about {100 * share:.1f}% of trials ({why}).")


def _chance_words(chance: Chance | None) -> str:
    if chance is None:
        return "chance cannot be judged without the number of patients"
    if chance.share >= RARE:
        return f"by chance in about {one_in(chance.share)} if hazards are constant"
    return "by chance in fewer than 1 trial in 100 if hazards are constant"


def _shape_words(r: Report, k: float | None) -> tuple[str, bool]:
    """How a Weibull shape reconciles the figures, and whether that shape is plausible."""
    if k is None or k <= 0:
        equal = r.median_control == r.median_treatment
        why = "equal medians" if equal else "medians that favour one arm and an HR that favours the other"
        return f"no proportional-hazards Weibull model fits both ({why})", False
    plausible = r.outcome.plausible(k)
    if plausible:
        return f"exactly if the hazard {'rises' if k > 1 else 'falls'} over time (Weibull shape {k:.2f})", True
    return (f"exactly only with Weibull shape {k:.2f}, outside the shapes of about {r.outcome.low:g} "
            f"to {r.outcome.high:g} plausible for {r.outcome.name}"), False


def _misread(r: Report) -> str:
    """The classic misreading: a reduction equal to the percentage by which the median is longer."""
    ratio = r.median_treatment / r.median_control
    if r.hr_ci is not None or not (r.hr < 1 < ratio) or pct(1 - r.hr) != pct(ratio - 1):
        return ""
    return (f"; the reported {pct(1 - r.hr)} matches the {pct(ratio - 1)} longer median "
            f"({r.show('median_treatment')} / {r.show('median_control')} = {ratio:.2f}), its likeliest "
            f"source (a {pct(ratio - 1)} longer median is not a {pct(ratio - 1)} lower hazard)")


def gap_left(r: Report, shapes: tuple[float, float], rounding: bool) -> float:
    """The smallest ``|ln HR - k ln(median_control / median_treatment)|`` over Weibull shapes k
    in ``shapes`` (and, with ``rounding``, over every value that prints as reported)."""
    if rounding:
        (h_lo, h_hi), (m_lo, m_hi) = r.rounded("hr"), implied_hr_range(r)
    else:
        h_lo = h_hi = r.hr
        m_lo = m_hi = implied_hr(r)
    corners = [k * math.log(m) for k in shapes for m in (m_lo, m_hi)]
    return max(0.0, min(corners) - math.log(h_hi), math.log(h_lo) - max(corners))


def _verdict(chance: Chance | None) -> str:
    if chance is not None and chance.share > COMMON:
        return CONSISTENT
    if chance is not None and chance.share_plausible < RARE:
        return NOT_PROPORTIONAL
    return DEPENDS


def _edge(r: Report, k: float | None) -> float:
    """The plausible shape nearest the one that would reconcile the figures."""
    return r.outcome.high if k is not None and k > r.outcome.high else r.outcome.low


def _sentence(r: Report, verdict: str, chance: Chance | None, k: float | None, lead: str) -> str:
    shape, plausible = _shape_words(r, k)
    meaning = f" Shape {k:.2f} means {shape_meaning(k, r.outcome)}." if k is not None and k > 0 else ""
    if verdict == CONSISTENT:
        also = ""
        if k is not None and k > 0:
            how = "rises" if k > 1 else "falls"
            also = f"; a hazard that {how} over time (Weibull shape {k:.2f}) would reconcile them exactly"
        return (f"{lead} Chance commonly gives such a gap: in about {pct(chance.share)} of trials of this "
                f"size and design with constant hazards{also}.")
    if verdict == NOT_PROPORTIONAL:
        agree = f"they agree {shape}" if k is not None and k > 0 else shape
        return (f"{lead} These fit only if the hazards are not proportional (for example curves that "
                f"cross): under proportional hazards chance gives this gap in fewer than 1 trial in 100, "
                f"even with the plausible shape nearest the figures ({_edge(r, k):g}); {agree}. Ask for the "
                f"curves.{meaning}")
    nearest = ""
    if chance is not None and not plausible and chance.share_plausible >= RARE:
        nearest = (f"; with the plausible shape nearest the figures ({_edge(r, k):g}) chance leaves such a "
                   f"gap in about {one_in(chance.share_plausible)}")
    return (f"{lead} The numbers can both be right: {_chance_words(chance)}, {shape}{nearest}{_misread(r)}; "
            f"the primary report would settle it.{meaning}")


def _detail(r: Report, implied: float, values: dict, k: float | None) -> str:
    detail = (f"Constant hazards: HR = median_control / median_treatment = {r.show('median_control')} / "
              f"{r.show('median_treatment')} = {implied:.3f}; gap |ln {r.show('hr')} - ln {implied:.3f}| = "
              f"{values['gap']:.3f} ({values['gap_rounding']:.3f} at the nearest values that print the same).")
    if k is not None and k > 0:
        detail += (f" Weibull shape k that makes both right: HR = (median_control / median_treatment)^k, "
                   f"so k = ln {r.show('hr')} / ln({r.show('median_control')} / "
                   f"{r.show('median_treatment')}) = {k:.2f}.")
    return detail


def _compare(r: Report, implied: float) -> list[Check]:
    mc, mt, hr = r.median_control, r.median_treatment, r.hr
    k = math.log(hr) / math.log(mc / mt) if mc != mt and hr != 1 else None
    values = {"implied_hr": implied, "reported_hr": hr, "gap": gap_left(r, (1.0, 1.0), False),
              "gap_rounding": gap_left(r, (1.0, 1.0), True),
              "gap_plausible": gap_left(r, (r.outcome.low, r.outcome.high), True)}
    if k is not None:
        values["reconciling_shape"] = k
    detail = _detail(r, implied, values, k)
    lower = f"a {pct(1 - implied)} lower" if implied < 1 else f"a {pct(implied - 1)} higher"
    lead = (f"Under constant hazards the medians imply HR {implied:.3f} ({lower} hazard of "
            f"{r.outcome.event}), not {r.show('hr')}.")
    if values["gap_rounding"] == 0:
        return [Check(TOPIC, CONSISTENT, f"The medians fit the reported HR {r.show('hr')}: with constant "
                      f"hazards they imply HR {implied:.3f}, within the rounding of the printed digits.",
                      values, detail)]
    chance = assess_chance(r, values["gap"], values["gap_plausible"])
    if chance is not None:
        values.update(chance_share=chance.share, chance_share_plausible=chance.share_plausible,
                      chance_se=chance.se, chance_trials=chance.trials)
        detail += f" {chance.detail}"
        if values["gap_plausible"] > 0:
            share = chance.share_plausible
            detail += (f" With the plausible shape nearest the figures ({_edge(r, k):g}) and the nearest "
                       f"printed values the gap left is {values['gap_plausible']:.3f}; chance leaves that "
                       f"much in {'none of the trials' if share == 0 else f'about {100 * share:.1f}% of trials'}.")
    verdict = _verdict(chance)
    return [Check(TOPIC, verdict, _sentence(r, verdict, chance, k, lead), values, detail)]


def check_medians_vs_hr(r: Report) -> list[Check]:
    """Medians and hazard ratio: how often chance gives their gap, and the Weibull shape that
    would reconcile them."""
    implied = implied_hr(r)
    if implied is None:
        if r.hr is not None and (r.median_control is None) != (r.median_treatment is None):
            return []  # check_one_median_and_hr speaks instead
        missing = [name for name in ("median_control", "median_treatment", "hr") if getattr(r, name) is None]
        return [Check(TOPIC, UNCHECKED,
                      f"Needs both medians and a hazard ratio ({', '.join(missing)} not reported).")]
    if r.hr is None:
        lower = f"a {pct(1 - implied)} lower" if implied < 1 else f"a {pct(implied - 1)} higher"
        return [Check(TOPIC, INFO,
                      f"If the hazards were constant, these medians would mean a hazard ratio of "
                      f"{implied:.3f} ({lower} hazard of {r.outcome.event} with treatment, at any time).",
                      {"implied_hr": implied},
                      f"Constant hazards: HR = median_control / median_treatment = {r.show('median_control')} "
                      f"/ {r.show('median_treatment')} = {implied:.3f}.")]
    return _compare(r, implied)


def check_one_median_and_hr(r: Report) -> list[Check]:
    """One median and the HR: the other median under constant hazards."""
    if r.hr is None or (r.median_control is None) == (r.median_treatment is None):
        return []
    if r.median_control is None:
        value = r.median_treatment * r.hr
        which, how = "control", f"{r.show('median_treatment')} x {r.show('hr')} = {value:.1f}"
    else:
        value = r.median_control / r.hr
        which, how = "treatment", f"{r.show('median_control')} / {r.show('hr')} = {value:.1f}"
    return [Check("median implied by the hazard ratio", INFO,
                  f"With constant hazards, HR {r.show('hr')} and the reported median mean a {which} median of "
                  f"about {value:.1f} months.", {f"median_{which}": value},
                  f"Constant hazards: median ratio = 1 / HR; {how} months.")]

