"""Helpers of lesson 04 (hazards and the hazard ratio), and of its exercises, only."""

from __future__ import annotations

import pandas as pd

from ..analyze import Analysis
from ..scenario import LAPATINIB, Scenario
from ..tables import with_caption
from .common import STORY, StoryReport, _pct


def median_puzzle(story: StoryReport = STORY) -> str:
    """The 38% vs 28% puzzle, with every number computed from the reported figures.

    Examples
    --------
    >>> "0.724" in median_puzzle()
    True
    """
    implied = Scenario.from_hr(story.median_control, story.hr_reported)
    other_way = story.median_treatment * story.hr_reported
    return "\n".join(
        [
            f"If survival is exponential (a constant hazard), the hazard ratio is the inverse ratio of "
            f"the medians: {story.median_control:g} / {story.median_treatment:g} = "
            f"{story.hr_from_medians:.3f}, a {_pct(story.reduction_from_medians)} lower hazard, "
            f"not {_pct(story.reduction)}.",
            f"Read as a hazard ratio, the story's \"{_pct(story.reduction)} reduction\" is "
            f"1 - {story.reduction:g} = {story.hr_reported:.2f}.",
            f"The other ratio, {story.median_treatment:g} / {story.median_control:g} = "
            f"{story.median_ratio:.2f}, says the median is {_pct(story.median_ratio - 1)} longer. "
            f"A longer median does mean a lower hazard, but a {_pct(story.median_ratio - 1)} longer "
            f"median is not a {_pct(story.median_ratio - 1)} lower hazard: the likeliest source of "
            "the story's figure.",
            f"Under the same model, a hazard ratio of {story.hr_reported:.2f} with a control median of "
            f"{story.median_control:g} months would give a treatment median of "
            f"{implied.median_treatment:.1f} months; with a treatment median of "
            f"{story.median_treatment:g} months it would need a control median of {other_way:.1f}.",
        ]
    )


def hr_by_shape(shapes=(0.7, 1.0, 1.25, 1.75, 2.0), story: StoryReport = STORY) -> pd.DataFrame:
    """The hazard ratio the story's medians imply under Weibull survival of each shape.

    With proportional hazards and a Weibull shape k shared by both arms, the same two medians
    give HR = (median_control / median_treatment) ** k, computed here by :class:`Scenario`.
    The column ``hazard at 24 vs 6 months`` says how the hazard changes over time: 1 for a
    constant hazard (shape 1), above 1 for a hazard that rises.

    Examples
    --------
    >>> hr_by_shape([1.0]).loc[1.0, "hazard ratio from the medians"].round(3)
    np.float64(0.724)
    """
    rows = {}
    for k in shapes:
        scenario = Scenario(median_control=story.median_control, median_treatment=story.median_treatment,
                            shape=float(k))
        rows[float(k)] = {
            "hazard ratio from the medians": scenario.hr,
            "hazard at 24 vs 6 months": (24 / 6) ** (float(k) - 1),
            "the hazard over time": "constant" if k == 1 else ("rises" if k > 1 else "falls"),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").round(3)
    table.index.name = "Weibull shape"
    return with_caption(
        table, f"Hazard ratio the story's medians ({story.median_treatment:g} and {story.median_control:g} "
        "months) imply under Weibull survival of each shape", simulated=False,
    )


def hazard_from_median(median: float) -> float:
    """Monthly hazard of an exponential survival time with this median: ln(2) / median.

    Computed as 1 / :meth:`Scenario.scale`, so that the package converts medians in one place.

    Examples
    --------
    >>> round(hazard_from_median(17.3), 4)
    0.0401
    """
    if not median > 0:
        raise ValueError(f"median must be > 0 months; got {median!r}")
    return 1 / Scenario(median_control=median, median_treatment=median).scale("control")


def hazards_sentence(story: StoryReport = STORY) -> str:
    """The constant monthly hazards implied by the story's medians, one line per arm."""
    lines = []
    for label, months in (("chemotherapy alone", story.median_control), ("lapatinib", story.median_treatment)):
        h = hazard_from_median(months)
        lines.append(
            f"{label}: median {months:g} months -> hazard ln 2 / {months:g} = {h:.4f} per patient-month "
            f"(about {100 * h:.1f} deaths per month among 100 patients still alive)"
        )
    return "\n".join(lines)


def crude_rates(result: Analysis) -> pd.DataFrame:
    """Deaths per 100 patient-months per arm (deaths / total months followed), and their ratio."""
    rows = {}
    for arm in result.arms:
        part = result.data[result.data["arm"] == arm]
        months = float(part["time"].sum())
        rows[result.labels[arm]] = {
            "deaths": int(part["event"].sum()),
            "months followed": round(months, 1),
            "deaths per 100 patient-months": round(100 * part["event"].sum() / months, 3),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    return with_caption(table, "Crude death rates per arm (deaths / months followed)", result.simulated)


def rate_ratio(result: Analysis) -> float:
    """Ratio of the crude death rates, other arm / reference arm (close to the Cox HR here)."""
    # From the data, not from crude_rates' table, whose rates are rounded for display.
    rates = [result.data.loc[result.data["arm"] == arm, "event"].sum()
             / result.data.loc[result.data["arm"] == arm, "time"].sum() for arm in result.arms]
    return float(rates[1] / rates[0])


def rate_ratio_sentence(result: Analysis) -> str:
    """The ratio of crude death rates beside the Cox hazard ratio with its CI, and their gap.

    Examples
    --------
    >>> from edu_survival.teaching import simulated_trial
    >>> print(rate_ratio_sentence(simulated_trial(seed=1)))  # doctest: +ELLIPSIS
    Ratio of crude death rates 0.7...; Cox hazard ratio 0.8... (95% CI 0.6... to 1.0...); they differ by 0.0...
    """
    crude = rate_ratio(result)
    lo, hi = result.hr_ci
    level = round(100 * (1 - result.alpha))
    text = (f"Ratio of crude death rates {crude:.3f}; Cox hazard ratio {result.hr:.3f} ({level}% CI "
            f"{lo:.3f} to {hi:.3f}); they differ by {abs(crude - result.hr):.3f}.")
    return text + (" Simulated data, not patient data." if result.simulated else "")


def deaths_per_100(scenario: Scenario = LAPATINIB, months: float = 24.0, hr: float | None = None) -> dict:
    """Of 100 patients per arm, how many have died by ``months`` under the scenario's true curves.

    With ``hr`` the treatment arm follows the control curve raised to that hazard ratio.
    Returns ``{"control": ..., "treatment": ..., "fewer deaths": ...}``.

    Examples
    --------
    >>> {k: round(v, 1) for k, v in deaths_per_100(hr=0.62).items()}
    {'control': 61.8, 'treatment': 44.9, 'fewer deaths': 16.9}
    """
    if hr is not None:
        scenario = Scenario.from_hr(scenario.median_control, hr, shape=scenario.shape)
    control = 100 * (1 - float(scenario.survival(months, "control")))
    treatment = 100 * (1 - float(scenario.survival(months, "treatment")))
    return {"control": control, "treatment": treatment, "fewer deaths": control - treatment}


def absolute_sentence(hr: float, months: float = 24.0, scenario: Scenario = LAPATINIB) -> str:
    """What a hazard ratio means per 100 patients, in a sentence."""
    d = deaths_per_100(scenario, months, hr)
    return (
        f"With a control median of {scenario.median_control:g} months (exponential), "
        f"{d['control']:.0f} of 100 patients on chemotherapy alone die within {months:g} months. "
        f"A hazard ratio of {hr:.2f} lowers that to {d['treatment']:.0f} of 100: "
        f"about {d['fewer deaths']:.0f} fewer deaths per 100 patients by then, "
        f"not {100 * (1 - hr):.0f}."
    )


def trial_gap(result: Analysis) -> float:
    """``|ln HR - ln(median ratio)|`` of one trial: its Cox hazard ratio against the hazard ratio
    its two Kaplan–Meier medians imply under constant hazards (control / treatment)."""
    import math

    control, treatment = (result.median[arm].estimate for arm in (result.reference, result.other))
    if not (math.isfinite(control) and math.isfinite(treatment) and result.hr_defined):
        raise ValueError("trial_gap needs both medians reached and a hazard ratio")
    return abs(math.log(result.hr) - math.log(control / treatment))


def trial_gap_sentence(result: Analysis, story: StoryReport = STORY) -> str:
    """One trial's two figures for its effect, and their gap, beside the story's gap."""
    import math

    control, treatment = (result.median[arm].estimate for arm in (result.reference, result.other))
    story_gap = abs(math.log(story.hr_reported) - math.log(story.hr_from_medians))
    truth = result.scenario
    built = (f" It was simulated with constant hazards and a true hazard ratio of {truth.hr:.2f}, so in "
             "truth its two figures agree: the gap is chance." if truth is not None and truth.shape == 1
             and truth.delay == 0 else "")
    return (f"Medians {treatment:.1f} and {control:.1f} months: under constant hazards they imply a hazard "
            f"ratio of {control:.1f} / {treatment:.1f} = {control / treatment:.3f}. The Cox model estimates "
            f"{result.hr:.3f}. The gap between the two, |ln {result.hr:.3f} - ln {control / treatment:.3f}| = "
            f"{trial_gap(result):.3f}, is {'larger' if trial_gap(result) > story_gap else 'smaller'} than the "
            f"story's |ln {story.hr_reported:.2f} - ln {story.hr_from_medians:.3f}| = {story_gap:.3f}.{built}")
