"""The words of an analysis: number formats and the sentences summaries, plots and widgets share.

One rounding rule everywhere: medians, RMST and follow-up to 0.1 of the data's unit, hazard
ratios to 0.01, p-values by :func:`format_p`. The sentences a learner reads when a number is
undefined (``Analysis.problems``) are written here once, so that the summary, the widgets'
message areas and the plots' captions say the same thing.
"""

from __future__ import annotations

import math

SIMULATED = "These data are simulated from assumed summary figures, not patient data."
NO_DEATHS = "No deaths yet: hazard ratio and log-rank test undefined."
NO_INFORMATION = (
    "The log-rank test has no information here (its variance is 0: every death came "
    "when one arm had nobody left at risk, or everyone still at risk died at once), so "
    "it cannot compare the arms; p = 1 by convention, as in lifelines."
)
COX_DIVERGED = (
    "Hazard ratio cannot be estimated: the deaths fall so unevenly between the "
    "arms that the Cox estimate runs off towards 0 or infinity (too few deaths)."
)
BOTH_UNREACHED = (
    "Median survival not reached in either arm: both Kaplan–Meier curves are still above one "
    "half at the end of follow-up."
)
# The medians' CIs depend on how the Kaplan–Meier band is built; R and lifelines differ.
CONF_TYPE_WORDS = {
    "log-log": "log-log transform, lifelines' default; R's survfit default is conf_type='log'",
    "log": "log transform, R's survfit default",
    "plain": "plain, untransformed band",
}
TRANSFORM_WORDS = {
    "rank": "the rank of the death times",
    "km": "one minus the Kaplan–Meier curve",
    "identity": "time itself",
    "log": "log time",
}


# ----- numbers --------------------------------------------------------------------------
def format_p(p: float) -> str:
    """``"p = 0.019"``, ``"p < 0.001"``: two significant figures, three near 0.05 so that
    rounding never puts a p-value on the other side of the usual threshold."""
    if not math.isfinite(p):
        return "p undefined"
    if p < 0.001:
        return "p < 0.001"
    # "#" keeps trailing zeros: 0.09999 reads "0.10", not "0.1".
    if 0.045 <= p < 0.055:
        return f"p = {p:#.3g}"
    return f"p = {p:#.2g}"


def fmt_time(t: float) -> str:
    """A time as printed in tables and sentences: ``4``, ``2.5``."""
    return f"{t:g}"


def plural(count: int, noun: str) -> str:
    """``"1 death"``, ``"2 deaths"``."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _limit(value: float) -> str:
    return "not reached" if not math.isfinite(value) else f"{value:.1f}"


def fmt_median(m, unit: str, level: int = 95) -> str:
    """``"23.2 months (95% CI 19.6 to 27.8)"`` for a :class:`~edu_survival.analyze.Median`."""
    unit = f" {unit}" if unit else ""
    if not m.reached:
        return "not reached"
    return f"{m.estimate:.1f}{unit} ({level}% CI {_limit(m.lower)} to {_limit(m.upper)})"


def level_of(alpha: float) -> int:
    """The confidence level in percent: 95 for alpha 0.05."""
    return round(100 * (1 - alpha))


def hr_with_ci(hr: float, ci, level: int = 95) -> str:
    """``"0.80 (95% CI 0.61 to 1.03)"``: a hazard ratio and its interval, to 0.01."""
    lo, hi = ci
    return f"{hr:.2f} ({level}% CI {lo:.2f} to {hi:.2f})"


# ----- the problems of one analysis --------------------------------------------------------
def no_deaths_in(arm_name: str) -> str:
    return (
        f"No deaths in the {arm_name} arm: hazard ratio undefined "
        "(the Cox model cannot estimate a ratio with zero)."
    )


def follow_up_words(m, unit: str) -> str:
    # A median not reached after short follow-up says little; the reader needs the follow-up.
    if not m.reached:
        return " (median follow-up in that arm not reached either)"
    return f" (median follow-up in that arm {m.estimate:.1f} {unit})"


def median_unreached(arm_name: str, follow_up, unit: str) -> str:
    return (
        f"Median survival not reached with {arm_name}: the Kaplan–Meier curve is still "
        f"above one half at the end of follow-up{follow_up_words(follow_up, unit)}."
    )


def follow_up_sentence(m, unit: str, level: int = 95) -> str:
    """``"Median follow-up 23.4 months (reverse Kaplan–Meier; 95% CI 21.0 to 25.1)."``"""
    if not m.reached:
        return (
            "Median follow-up not reached (reverse Kaplan–Meier): had they not died, more than "
            "half the patients would still have been followed at the end of the data."
        )
    return (
        f"Median follow-up {m.estimate:.1f} {unit} (reverse Kaplan–Meier; {level}% CI "
        f"{_limit(m.lower)} to {_limit(m.upper)})."
    )


# ----- the summary -----------------------------------------------------------------------
def summary(a) -> str:
    """The plain sentences of :meth:`edu_survival.analyze.Analysis.summary`."""
    ref, oth, lab, unit = a.reference, a.other, a.labels, a.unit
    level = level_of(a.alpha)
    sentences = []
    both_unreached = [s for s in a.problems if s == BOTH_UNREACHED]
    if both_unreached:  # said once, where the medians belong
        sentences.extend(both_unreached)
    else:
        transform = CONF_TYPE_WORDS[getattr(a, "conf_type", "log-log")]
        sentences.append(
            f"Median survival {fmt_median(a.median[oth], unit, level)} with {lab[oth]} vs "
            f"{fmt_median(a.median[ref], unit, level)} with {lab[ref]} (CIs by the {transform})."
        )
    if a.follow_up is not None:
        sentences.append(a.follow_up.sentence(level))
    if math.isfinite(a.rmst_diff_se):
        lo, hi = a.rmst_diff_ci
        sentences.append(
            f"Restricted mean survival to {fmt_time(round(a.rmst_horizon, 1))} {unit}: "
            f"{a.rmst[oth]:.1f} with {lab[oth]} vs {a.rmst[ref]:.1f} {unit} with {lab[ref]}, "
            f"difference {a.rmst_diff:.1f} ({level}% CI {lo:.1f} to {hi:.1f})."
        )
    if a.hr_defined:
        sentences.append(f"Hazard ratio {lab[oth]} vs {lab[ref]} {hr_with_ci(a.hr, a.hr_ci, level)}.")
    if math.isfinite(a.logrank_p):
        sentences.append(f"Log-rank {format_p(a.logrank_p)}.")
    sentences.append(
        f"{plural(a.total_deaths, 'death')} among {plural(a.total_n, 'patient')} "
        f"({lab[oth]}: {a.deaths[oth]} of {a.n[oth]}; {lab[ref]}: {a.deaths[ref]} of {a.n[ref]})."
    )
    sentences.extend(s for s in a.problems if s not in both_unreached)
    if a.simulated:
        sentences.append(SIMULATED)
    return " ".join(sentences)


# ----- the checks of proportional hazards ----------------------------------------------------
PH_METHOD_WORDS = {
    "exact": "score test for a log hazard ratio that changes with {g}, as R's cox.zph since "
             "survival 3.0",
    "approximate": "scaled Schoenfeld residuals against {g}, Grambsch and Therneau's approximation "
                   "as in lifelines and R's cox.zph before survival 3.0",
}


def ph_sentence(statistic: float, p: float, transform: str, alpha: float, method: str = "exact") -> str:
    """What a proportional hazards test says, and what it cannot say."""
    verdict = (
        "the hazard ratio seems to change over time, so a single hazard ratio summarises the "
        "trial poorly"
        if p < alpha
        else "no clear sign that the hazard ratio changes over time (which does not prove it "
        "is constant: the test has little power with few deaths)"
    )
    how = PH_METHOD_WORDS[method].format(g=TRANSFORM_WORDS[transform])
    return (
        f"Proportional hazards test ({how}; transform={transform!r}): chi-square "
        f"{statistic:.2f} on 1 degree of freedom, {format_p(p)}; {verdict}."
    )


def logrank_sentence(statistic: float, p: float, weighting, fh_p=None, fh_q=None) -> str:
    """The log-rank test's result, and which deaths its weighting counts most."""
    if weighting is None:
        name, focus = "Log-rank test", "every death counts the same"
    elif weighting == "fleming-harrington":
        name = f"Fleming–Harrington weighted log-rank test (p={fh_p:g}, q={fh_q:g})"
        focus = (
            "later deaths count more, which suits an effect that starts late"
            if fh_q > fh_p
            else "earlier deaths count more"
            if fh_p > fh_q
            else "deaths in the middle of the curve count most"
            if fh_p > 0
            else "every death counts the same"
        )
    else:
        name, focus = f"Weighted log-rank test ({weighting})", "earlier deaths count more"
    return (
        f"{name}: chi-square {statistic:.2f} on 1 degree of freedom, {format_p(p)} "
        f"({focus}; choose the weighting before seeing the data)."
    )


def period_undefined(period: int, cut: float, unit: str, deaths_by_arm: dict) -> str:
    """Why the hazard ratio of one period (0: before ``cut``, 1: after) is undefined."""
    when = f"in the first {fmt_time(cut)} {unit}" if period == 0 else f"after {fmt_time(cut)} {unit}"
    empty = [arm for arm, d in deaths_by_arm.items() if d == 0]
    if empty:
        return (f"No deaths in the {empty[0]} arm {when}: hazard ratio undefined there "
                "(the Cox model cannot estimate a ratio with zero).")
    return (f"Hazard ratio {when} cannot be estimated: the deaths then fall so unevenly between "
            "the arms that the Cox estimate runs off towards 0 or infinity (too few deaths).")


def _period_hr(row, level: int) -> str:
    if not math.isfinite(row.hr):
        return "undefined"
    return hr_with_ci(row.hr, (row.lower, row.upper), level)


def hr_by_period_sentence(table, cut: float, unit: str, level: int, other: str, reference: str,
                          problems=()) -> str:
    """The hazard ratio before and after ``cut``, and what the comparison means."""
    before, after = table.iloc[0], table.iloc[1]
    said = (
        f"Hazard ratio {other} vs {reference}: {_period_hr(before, level)} in the first "
        f"{fmt_time(cut)} {unit}, {_period_hr(after, level)} after (among patients still alive then)."
    )
    if problems:
        return " ".join([said, *problems])
    return said + " Under proportional hazards both estimate the same ratio."


def hr_by_period_caption(cut: float, unit: str, level: int, other: str, reference: str, simulated: bool) -> str:
    return (
        f"Hazard ratio {other} vs {reference} before and after "
        f"{fmt_time(cut)} {unit} (one Cox model, arm x period; {level}% CIs)"
        + ("; simulated from the story's summary figures, not patient data" if simulated else "")
        + "."
    )
