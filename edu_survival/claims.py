"""Do a report's numbers add up? :func:`check_claims` checks what a news story or abstract says.

Every check states its arithmetic in a plain sentence. Only what is given is checked; what
cannot be checked is said. Assumptions (exponential survival, proportional hazards, two-sided
alpha, accrual and follow-up when not reported) are stated in the sentences that use them.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from scipy import stats

from . import design
from ._checks import check_fraction, check_number, check_whole
from .analyze import format_p
from .scenario import Scenario

CONSISTENT, INCONSISTENT, INFO, UNCHECKED = "consistent", "inconsistent", "information", "cannot check"
_MARKS = {CONSISTENT: "OK", INCONSISTENT: "!!", INFO: "--", UNCHECKED: "??"}


@dataclass(frozen=True)
class Check:
    """One check: what was compared, the verdict and the arithmetic in a sentence."""

    topic: str
    verdict: str
    sentence: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"[{_MARKS[self.verdict]}] {self.topic}: {self.sentence}"


@dataclass
class ClaimReport:
    """All checks made on a set of reported numbers.

    ``checks`` holds every check; ``problems`` those whose numbers disagree; ``unchecked``
    the checks that could not be made for lack of a number.
    """

    reported: dict
    checks: list

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == INCONSISTENT]

    @property
    def unchecked(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == UNCHECKED]

    def find(self, topic: str) -> Check:
        """The check on ``topic`` (e.g. ``"hazard ratio vs medians"``)."""
        for c in self.checks:
            if c.topic == topic:
                return c
        raise KeyError(f"no check on {topic!r}; topics are {[c.topic for c in self.checks]}")

    def __str__(self) -> str:
        given = ", ".join(f"{k} = {v}" for k, v in self.reported.items())
        lines = [f"Reported: {given}."]
        lines += [str(c) for c in self.checks]
        n_bad = len(self.problems)
        lines.append(
            f"{n_bad} check(s) find numbers that disagree." if n_bad else "No disagreement found."
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {CONSISTENT: "#e6f4ea", INCONSISTENT: "#fde7e9", INFO: "#f1f3f4", UNCHECKED: "#fff8e1"}
        rows = "".join(
            f'<tr style="background:{colours[c.verdict]}"><td>{html.escape(c.verdict)}</td>'
            f"<td><b>{html.escape(c.topic)}</b></td><td>{html.escape(c.sentence)}</td></tr>"
            for c in self.checks
        )
        return f"<table><tr><th>verdict</th><th>check</th><th>arithmetic</th></tr>{rows}</table>"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _check_ci(hr_ci, hr):
    try:
        lower, upper = (float(v) for v in hr_ci)
    except (TypeError, ValueError):
        raise ValueError(f"hr_ci must be two numbers (lower, upper); got {hr_ci!r}") from None
    if not (0 < lower < upper < math.inf):
        raise ValueError(f"hr_ci must satisfy 0 < lower < upper; got {hr_ci!r}")
    if hr is not None and not lower <= hr <= upper:
        raise ValueError(f"hr_ci {hr_ci!r} excludes its own hazard ratio hr={hr!r}")
    return lower, upper


def check_claims(
    *,
    n: int | None = None,
    median_control: float | None = None,
    median_treatment: float | None = None,
    hr: float | None = None,
    hr_ci: tuple[float, float] | None = None,
    p_value: float | None = None,
    deaths: int | None = None,
    allocation: float = 0.5,
    accrual: float = 24.0,
    follow_up: float = 24.0,
    dropout: float = 0.0,
    alpha: float = 0.05,
    simulate: bool = True,
    n_sims: int = 1000,
    seed: int | None = 2024,
) -> ClaimReport:
    """Check which reported numbers of a two-arm survival trial are consistent with each other.

    Parameters
    ----------
    n : int, optional
        Patients randomised.
    median_control, median_treatment : float, optional
        Reported median survival per arm, months.
    hr : float, optional
        Reported hazard ratio, treatment vs control (a "38% reduction" is hr = 0.62).
    hr_ci : (float, float), optional
        Its confidence interval (95% unless ``alpha`` says otherwise).
    p_value : float, optional
        Reported two-sided p-value.
    deaths : int, optional
        Reported number of deaths.
    allocation, accrual, follow_up, dropout : float
        Design assumptions used where the report is silent (1:1, 24 + 24 months, no dropout).
    alpha : float
        Two-sided significance level.
    simulate : bool
        Also estimate the design's power by simulating ``n_sims`` trials (seeded).

    Examples
    --------
    >>> report = check_claims(n=321, median_control=17.3, median_treatment=23.9, hr=0.62,
    ...                       simulate=False)
    >>> report.find("hazard ratio vs medians").verdict
    'inconsistent'
    """
    reported = {}
    if n is not None:
        n = reported["n"] = check_whole("n", n, 2)
    for name, value in (("median_control", median_control), ("median_treatment", median_treatment)):
        if value is not None:
            reported[name] = check_number(name, value, "> 0 and finite (months)", lambda v: v > 0)
    median_control, median_treatment = reported.get("median_control"), reported.get("median_treatment")
    if hr is not None:
        hr = reported["hr"] = check_number("hr", hr, "> 0 and finite", lambda v: v > 0)
    if hr_ci is not None:
        hr_ci = reported["hr_ci"] = _check_ci(hr_ci, hr)
    if p_value is not None:
        p_value = reported["p_value"] = check_number("p_value", p_value, "in (0, 1]", lambda v: 0 < v <= 1)
    if deaths is not None:
        deaths = reported["deaths"] = check_whole("deaths", deaths, 1)
        if n is not None and deaths > n:
            raise ValueError(f"deaths={deaths} cannot exceed n={n} patients")
    allocation = check_fraction("allocation", allocation)
    alpha = check_fraction("alpha", alpha)
    n_sims = check_whole("n_sims", n_sims, 1)
    # The design assumptions are checked as a Scenario would check them, even when unused.
    probe = Scenario(n=2, accrual=accrual, follow_up=follow_up, dropout=dropout)
    accrual, follow_up, dropout = probe.accrual, probe.follow_up, probe.dropout
    if not reported:
        raise ValueError("check_claims needs at least one reported number (n, medians, hr, hr_ci, p_value, deaths)")

    z_crit = stats.norm.ppf(1 - alpha / 2)
    pq = allocation * (1 - allocation)
    level = f"{100 * (1 - alpha):g}%"
    checks: list[Check] = []
    add = checks.append

    # 1. Medians and hazard ratio
    implied_hr = None
    if median_control and median_treatment:
        implied_hr = median_control / median_treatment
        ratio = median_treatment / median_control
        text = (
            f"Under exponential survival the hazard ratio is the inverse ratio of the medians: "
            f"{median_control:g} / {median_treatment:g} = {implied_hr:.3f}, "
            f"a {_pct(1 - implied_hr)} lower risk of death at any time."
        )
        if hr is None:
            add(Check("hazard ratio vs medians", INFO, text, {"implied_hr": implied_hr}))
        else:
            if hr_ci is not None:
                agree = hr_ci[0] <= implied_hr <= hr_ci[1]
                why = f"the reported {level} CI {hr_ci[0]:g} to {hr_ci[1]:g} {'contains' if agree else 'excludes'} it"
            else:
                agree = abs(math.log(hr / implied_hr)) <= math.log(1.1)
                why = "they differ by more than 10%" if not agree else "they agree within 10%"
            sentence = f"{text} The report says {hr:g} ({_pct(1 - hr)} lower); {why}."
            if not agree and abs((ratio - 1) - (1 - hr)) < 0.015:
                sentence += (
                    f" The reported {_pct(1 - hr)} matches the median being {_pct(ratio - 1)} longer "
                    f"({median_treatment:g} / {median_control:g} = {ratio:.2f}): a longer median "
                    "is not the same as a lower risk of death."
                )
            add(Check("hazard ratio vs medians", CONSISTENT if agree else INCONSISTENT, sentence,
                      {"implied_hr": implied_hr, "reported_hr": hr}))
        hr_for_rest = implied_hr if hr is None else hr
    else:
        hr_for_rest = hr
        if hr is not None and (median_control is None) != (median_treatment is None):
            # One median and the HR: the other median follows under exponential survival.
            if median_control is None:
                median_control = median_treatment * hr
                which, other = "control", f"{median_treatment:g} x {hr:g} = {median_control:.1f}"
            else:
                which, other = "treatment", f"{median_control:g} / {hr:g} = {median_control / hr:.1f}"
            add(Check("median implied by the hazard ratio", INFO,
                      f"Under exponential survival an HR of {hr:g} and the reported median imply a "
                      f"{which} median of {other} months.", {"median_control": median_control}))
        else:
            add(Check("hazard ratio vs medians", UNCHECKED,
                      "Needs both medians and a hazard ratio (" + ", ".join(
                          name for name, v in (("median_control", median_control),
                                               ("median_treatment", median_treatment), ("hr", hr))
                          if v is None) + " not reported)."))

    # 2. Deaths needed for 80% and 90% power
    candidates = []
    if hr is not None and hr != 1:
        candidates.append(("reported", hr))
    if implied_hr is not None and implied_hr != 1 and (hr is None or abs(implied_hr - hr) > 1e-9):
        candidates.append(("implied by the medians", implied_hr))
    for which, value in candidates:
        d80 = design.schoenfeld_events(value, 0.8, alpha, allocation)
        d90 = design.schoenfeld_events(value, 0.9, alpha, allocation)
        sentence = (
            f"Schoenfeld: detecting HR {value:.3g} ({which}) with 80% / 90% power needs "
            f"({z_crit:.2f} + z_power)^2 / (p(1-p) ln(HR)^2), with z_power {stats.norm.ppf(0.8):.2f} / "
            f"{stats.norm.ppf(0.9):.2f}, = {d80:.0f} / {d90:.0f} deaths"
        )
        verdict = INFO
        if n is not None:
            sentence += f", that is {_pct(d80 / n)} / {_pct(d90 / n)} of the {n} patients."
            if d80 > n:
                sentence += " Even if every patient died, the trial would have less than 80% power."
        else:
            sentence += "."
        if deaths is not None:
            sentence += f" The report counts {deaths} deaths."
        add(Check(f"deaths needed, HR {value:.3g}", verdict, sentence, {"deaths_80": d80, "deaths_90": d90}))
    if not candidates:
        add(Check("deaths needed", UNCHECKED, "Needs a hazard ratio, or both medians."))

    # 3. p-value implied by HR and deaths
    expected_deaths = None
    design_scenario = None
    if n is not None and hr_for_rest is not None and median_control is not None:
        design_scenario = Scenario.from_hr(
            median_control, hr_for_rest, n=n, allocation=allocation,
            accrual=accrual, follow_up=follow_up, dropout=dropout,
        )
        expected_deaths = design.expected_events(design_scenario)
    deaths_from_ci = None
    if hr is not None and hr_ci is not None:
        se_ci = (math.log(hr_ci[1]) - math.log(hr_ci[0])) / (2 * z_crit)
        deaths_from_ci = 1 / (pq * se_ci**2)
    if deaths is not None:
        d, source = deaths, "reported"
    elif expected_deaths is not None:
        d, source = expected_deaths, (
            f"expected with {accrual:g} months' accrual and {follow_up:g} months' further follow-up (assumed)"
        )
    elif deaths_from_ci is not None:
        d, source = deaths_from_ci, "implied by the width of the confidence interval"
    else:
        d = source = None
    if hr_for_rest is not None and hr_for_rest != 1 and d is not None:
        z = design.expected_logrank_z(hr_for_rest, d, allocation)
        p_implied = design.two_sided_p(z)
        sentence = (
            f"With {d:.0f} deaths ({source}), an observed HR of {hr_for_rest:.3g} gives log-rank "
            f"z = |ln HR| sqrt(D p(1-p)) = {z:.2f}, two-sided {format_p(p_implied)}."
        )
        if p_value is not None:
            agree = abs(math.log10(p_value) - math.log10(p_implied)) <= 0.5 and (
                (p_value < alpha) == (p_implied < alpha)
            )
            sentence += f" The report says {format_p(p_value)}: " + (
                "consistent." if agree else "these disagree (more than a factor of 3, or on opposite sides of alpha)."
            )
            add(Check("p-value vs hazard ratio and deaths", CONSISTENT if agree else INCONSISTENT, sentence,
                      {"p_implied": p_implied, "z": z}))
        else:
            add(Check("p-value vs hazard ratio and deaths", INFO, sentence + " The report gives no p-value.",
                      {"p_implied": p_implied, "z": z}))
    elif hr_for_rest == 1:
        add(Check("p-value vs hazard ratio and deaths", UNCHECKED,
                  "A hazard ratio of 1 is no difference at all: any number of deaths gives z = 0, p = 1."))
    else:
        missing = [] if hr_for_rest is not None else ["a hazard ratio (or both medians)"]
        if d is None:
            missing.append("a number of deaths (or n and a control median to expect one, or a CI)")
        add(Check("p-value vs hazard ratio and deaths", UNCHECKED, "Needs " + " and ".join(missing) + "."))

    # 4. CI vs p-value
    if hr is not None and hr_ci is not None:
        se = (math.log(hr_ci[1]) - math.log(hr_ci[0])) / (2 * z_crit)
        centre = math.exp((math.log(hr_ci[0]) + math.log(hr_ci[1])) / 2)
        p_from_ci = design.two_sided_p(math.log(hr) / se)
        deaths_from_ci = 1 / (pq * se**2)
        sentence = (
            f"The {level} CI {hr_ci[0]:g} to {hr_ci[1]:g} has SE(ln HR) = (ln U - ln L) / (2 x {z_crit:.2f}) "
            f"= {se:.3f}, centred on {centre:.2f}; it implies {format_p(p_from_ci)} and about "
            f"1 / (p(1-p) SE^2) = {deaths_from_ci:.0f} deaths."
        )
        problems = []
        if abs(math.log(centre / hr)) > 0.05:
            problems.append(f"the CI is not centred on the reported HR {hr:g} on the log scale")
        if p_value is not None:
            if (p_value < alpha) != (hr_ci[1] < 1 or hr_ci[0] > 1):
                problems.append(f"{format_p(p_value)} and a CI that {'excludes' if hr_ci[1] < 1 or hr_ci[0] > 1 else 'includes'} 1 contradict each other")
            elif abs(math.log10(p_value) - math.log10(p_from_ci)) > 0.5:
                problems.append(f"the reported {format_p(p_value)} is far from the CI's")
        if deaths is not None and not 0.5 < deaths_from_ci / deaths < 2:
            problems.append(f"the CI's width suggests about {deaths_from_ci:.0f} deaths, not {deaths}")
        if n is not None and deaths_from_ci > 1.5 * n:
            problems.append(f"the CI is narrower than {n} patients could give")
        verdict = INCONSISTENT if problems else CONSISTENT
        sentence += (" Problem: " + "; ".join(problems) + ".") if problems else " Consistent with the rest."
        add(Check("confidence interval vs p-value", verdict, sentence,
                  {"se": se, "p_from_ci": p_from_ci, "deaths_from_ci": deaths_from_ci}))
    elif hr == 1 and p_value is not None:
        agree = p_value >= 0.5
        add(Check("confidence interval vs p-value", CONSISTENT if agree else INCONSISTENT,
                  f"An HR of exactly 1 shows no difference between the arms, so its p-value should be "
                  f"close to 1; the report says {format_p(p_value)}"
                  + ("." if agree else ": the two cannot both be right (or the HR was rounded to 1)."),
                  {}))
    elif hr is not None and p_value is not None:
        z_p = stats.norm.isf(p_value / 2)
        se = abs(math.log(hr)) / z_p if z_p > 0 else math.inf
        lo, hi = math.exp(math.log(hr) - z_crit * se), math.exp(math.log(hr) + z_crit * se)
        add(Check("confidence interval vs p-value", INFO,
                  f"HR {hr:g} with {format_p(p_value)} implies SE(ln HR) = |ln HR| / z = {se:.3f} "
                  f"and a {level} CI of {lo:.2f} to {hi:.2f}.", {"ci": (lo, hi)}))
    else:
        add(Check("confidence interval vs p-value", UNCHECKED,
                  "No confidence interval reported" + ("" if p_value is not None else " and no p-value") + "."))

    # 5. Power of the design, for the reported and the implied hazard ratio
    if n is not None and median_control is not None and candidates:
        for which, value in candidates:
            scenario = Scenario.from_hr(median_control, value, n=n, allocation=allocation,
                                        accrual=accrual, follow_up=follow_up, dropout=dropout)
            analytic = design.analytic_power(scenario, alpha)
            sentence = (
                f"{n} patients, {accrual:g} months' accrual, {follow_up:g} months' further follow-up "
                f"(assumed), control median {median_control:g}: about "
                f"{design.expected_events(scenario):.0f} deaths and {_pct(analytic)} power "
                f"(Schoenfeld) if the true HR is {value:.3g} ({which})"
            )
            values = {"analytic_power": analytic}
            if simulate:
                from .montecarlo import power

                result = power(scenario, n_sims=n_sims, alpha=alpha, seed=seed, progress=False)
                lo, hi = result.ci
                sentence += f"; {n_sims:,} simulated trials: {_pct(result.power)} (95% CI {_pct(lo)} to {_pct(hi)})"
                values["simulated_power"] = result.power
            add(Check(f"power, HR {value:.3g}", INFO, sentence + ".", values))
    else:
        add(Check("power of the design", UNCHECKED, "Needs n, the control median and a hazard ratio (or both medians)."))

    missing = [name for name in ("hr_ci", "p_value", "deaths") if name not in reported]
    if missing:
        add(Check("not reported", UNCHECKED,
                  "The report gives no " + ", no ".join(
                      {"hr_ci": "confidence interval", "p_value": "p-value", "deaths": "number of deaths"}[m]
                      for m in missing
                  ) + ": a reader cannot judge significance or precision from it."))
    return ClaimReport(reported=reported, checks=checks)
