"""The words the plots share: what the time axis measures, the hazard-ratio headline and the
plain-language summary of a trial under its plot (also the plot's text alternative)."""

from __future__ import annotations

from ..analysis.words import fmt_time, format_p, hr_with_ci, level_of
from ..analyze import Analysis

_fmt_t = fmt_time  # one time format for tables, axes and sentences


def time_phrase(analysis: Analysis) -> str:
    """What the time axis measures, in words: the analysis's ``time_label`` when it has one
    (e.g. "days since diagnosis"; "since diagnosis" gets the unit in front), otherwise
    "months since randomisation" for a simulated trial and "<unit> since the start of
    follow-up" for real data (its groups are not always randomised).

    Examples
    --------
    >>> import edu_survival as es
    >>> time_phrase(es.analyze(es.simulate(es.LAPATINIB, seed=1)))
    'months since randomisation'
    """
    unit = analysis.unit
    label = getattr(analysis, "time_label", None)
    if label:
        label = str(label).strip()
        # "days since diagnosis" as it is; "since diagnosis" gets the unit in front.
        first = label.split(" ", 1)[0].lower()
        return f"{unit} {label}" if first in ("since", "from", "after") else label
    if analysis.simulated:
        return f"{unit} since randomisation"
    return f"{unit} since the start of follow-up"


def _hr_text(analysis: Analysis) -> str:
    if analysis.hr_defined:
        hr = f"HR {hr_with_ci(analysis.hr, analysis.hr_ci, level_of(analysis.alpha))}"
    else:
        hr = "HR undefined"
    return f"{hr}; log-rank {format_p(analysis.logrank_p)}"


def describe(analysis: Analysis) -> str:
    """The plain-language summary of a trial, with the censored patients per arm.

    The text a learner reads under the plot, and the plot's text alternative.

    Examples
    --------
    >>> import edu_survival as es
    >>> text = describe(es.analyze(es.simulate(es.LAPATINIB, seed=1)))
    >>> text.split(". ")[0]
    "Median survival 23.2 months (95% CI 19.6 to 27.8) with treatment vs 14.2 months (95% CI 12.6 to 20.5) with control (CIs by the log-log transform, lifelines' default; R's survfit default is conf_type='log')"
    >>> "Censored (alive at the analysis or lost to follow-up): treatment 50 of 161" in text
    True
    """
    if not isinstance(analysis, Analysis):
        raise ValueError(f"analysis must be an edu_survival Analysis; got {type(analysis).__name__}")
    lab = analysis.labels
    censored = "; ".join(
        f"{lab[arm]} {analysis.censored[arm]} of {analysis.n[arm]}"
        for arm in (analysis.other, analysis.reference)
    )
    return (
        f"{analysis.summary()} Censored (alive at the analysis or lost to follow-up): {censored}."
    )
