"""The power of the design, over the plausible shapes of the hazard; and what is not reported.

Power is a property of a design and its assumptions, worked out before any result: every
sentence that states one names the shapes and the design it assumes, and none treats the power
of a trial already run as evidence about its result.
"""

from __future__ import annotations

from scipy import special

from ..design import expected_events, expected_logrank_z
from .report import Report, candidates, pct
from .verdicts import INFO, UNCHECKED, Check

_NOT_EVIDENCE = ("Power describes a design before it is run; it is no evidence for or against this "
                 "trial's result.")


def _scenarios(r: Report, which: str, value: float) -> dict:
    shapes = r.outcome.shapes
    if which != "reported":
        return {k: r.scenario(1.0).replace(median_treatment=r.median_treatment, shape=k) for k in shapes}
    return {k: r.scenario(value, shape=k) for k in shapes}


def _simulated(r: Report, scenarios: dict, values: dict) -> str:
    from ..montecarlo import power

    sims = {k: power(s, n_sims=r.n_sims, alpha=r.alpha, seed=r.seed, progress=False)
            for k, s in scenarios.items()}
    values["simulated_power"] = sims[1.0].power
    values["simulated_power_by_shape"] = {k: res.power for k, res in sims.items()}
    return (f" {r.n_sims:,} simulated trials per shape: "
            + ", ".join(f"{pct(res.power)} at shape {k:g}" for k, res in sims.items())
            + f" (Monte Carlo SE up to {100 * max(res.se for res in sims.values()):.1f}%).")


def _schoenfeld_power(scenario, deaths: float, alpha: float) -> float:
    """:func:`edu_survival.design.analytic_power`, given the deaths it would compute again (the
    Weibull integrals behind them are the slow part of a check)."""
    drift = expected_logrank_z(scenario.hr, deaths, scenario.arm_sizes["treatment"] / scenario.n)
    z = -special.ndtri(alpha / 2)
    return float(special.ndtr(drift - z) + special.ndtr(-z - drift))


def _power_check(r: Report, which: str, value: float) -> Check:
    scenarios = _scenarios(r, which, value)
    shapes = tuple(scenarios)
    deaths = {k: expected_events(s) for k, s in scenarios.items()}
    analytic = {k: _schoenfeld_power(s, deaths[k], r.alpha) for k, s in scenarios.items()}
    values = {"analytic_power": analytic[1.0], "analytic_power_by_shape": analytic,
              "expected_deaths_by_shape": deaths}
    lo, hi = min(analytic.values()), max(analytic.values())
    if which != "reported":
        what = f"if the medians {r.show('median_control')} and {r.show('median_treatment')} are right"
        topic = "power if the medians are right"
        hrs = ", ".join(f"{s.hr:.2f}" for s in scenarios.values())
        extra = f" (the HR the medians imply is {hrs} for shapes {', '.join(f'{k:g}' for k in shapes)})"
    else:
        what, topic, extra = f"if HR {r.show('hr')} is right", f"power if HR {r.show('hr')} is right", ""
    spread = pct(lo) if pct(lo) == pct(hi) else f"{pct(lo)} to {pct(hi)}"
    sentence = (f"{what[0].upper()}{what[1:]}, a trial of this design would have {spread} power over "
                f"Weibull shapes {shapes[0]:g} to {shapes[-1]:g}, the range plausible for "
                f"{r.outcome.name}{extra}; {pct(analytic[1.0])} with constant hazards. The design: "
                f"{r.design_words} (the report's where it says, assumptions elsewhere). {_NOT_EVIDENCE}")
    detail = (f"Schoenfeld power with the deaths expected in that design: about {deaths[1.0]:.0f} with "
              f"constant hazards ({min(deaths.values()):.0f} to {max(deaths.values()):.0f} over the shapes).")
    if r.simulate and r.n_sims > 0:
        detail += _simulated(r, scenarios, values)
    return Check(topic, INFO, sentence, values, detail)


def check_power(r: Report) -> list[Check]:
    """Power of the design over the endpoint's plausible Weibull shapes, for each reading of the effect."""
    if r.n is None or r.median_control is None or not candidates(r):
        return [Check("power of the design", UNCHECKED,
                      "Needs n, the control median and a hazard ratio (or both medians).")]
    return [_power_check(r, which, value) for which, value in candidates(r)]


def check_missing(r: Report) -> list[Check]:
    """What the report does not give, and what that leaves open."""
    missing = [name for name in ("hr_ci", "p_value", "deaths") if getattr(r, name) is None]
    if not missing:
        return []
    words = {"hr_ci": "confidence interval", "p_value": "p-value", "deaths": "number of deaths"}
    listed = ", no ".join(words[m] for m in missing)
    if r.hr_ci is None and r.p_value is None:
        why = "a reader cannot judge whether the difference could be chance, nor how precise it is"
    elif r.hr_ci is None:
        why = "a reader cannot judge how precise the hazard ratio is"
    elif r.p_value is None:
        why = "the CI still shows the precision and whether the difference could be chance"
    else:
        why = "the checks above used the deaths implied by the CI instead"
    return [Check("not reported", UNCHECKED, f"The report gives no {listed}: {why}.")]
