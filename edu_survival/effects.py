"""One effect, many ways to say it: hazard ratio, medians, risk by a time, deaths per 100, NNT, RMST.

A "38% lower hazard" is not a 38% lower risk of dying by some month, nor 38% fewer deaths, nor
38% more months of life. :func:`effect_sizes` puts the measures side by side, each with a line
in plain words, so a reader can see what one of them means in terms of the others.

From a :class:`~edu_survival.scenario.Scenario` the numbers are *true* values, computed from the
scenario's survival functions (an assumption, not data). From an
:class:`~edu_survival.analyze.Analysis` they are *estimates* with confidence intervals. Times are
in the data's unit (months for the story's trial).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import integrate

from ._checks import check_number
from .analyze import Analysis, _z, greenwood_variance, rmst_of, rmst_variance
from .scenario import Scenario
from .tables import captioned_html

__all__ = ["EffectSizes", "effect_sizes"]

COLUMNS = ["estimate", "lower", "upper", "in plain words"]


@dataclass
class EffectSizes:
    """The table of :func:`effect_sizes` with its caption.

    ``table`` is a pandas DataFrame (rows: measures; columns ``estimate``, ``lower``,
    ``upper``, ``in plain words``); ``table.attrs["caption"]`` holds ``caption``. In a notebook
    the table shows with its caption; ``str()`` gives it as text.
    """

    table: pd.DataFrame
    caption: str

    def __getitem__(self, key):
        return self.table[key]

    @property
    def loc(self):
        return self.table.loc

    def _repr_html_(self) -> str:
        return captioned_html(self.table, float_format=lambda v: f"{v:.3g}")

    def __str__(self) -> str:
        with pd.option_context("display.max_colwidth", 200, "display.width", 250):
            body = self.table.to_string(float_format=lambda v: f"{v:.3g}", na_rep="")
        return f"{self.caption}\n{body}"

    def __repr__(self) -> str:
        return str(self)


# ----- the numbers ---------------------------------------------------------------------------
def _true_rmst(scenario: Scenario, arm: str, horizon: float) -> float:
    value, _ = integrate.quad(lambda t: float(scenario.survival(t, arm)), 0, horizon, limit=200)
    return float(value)


def _from_scenario(scenario: Scenario, at: float, horizon: float | None) -> dict:
    horizon = scenario.analysis_time if horizon is None else horizon
    risk = {arm: 1.0 - float(scenario.survival(at, arm)) for arm in ("control", "treatment")}
    nan = (math.nan, math.nan)
    return {
        "kind": "true",
        "arms": ("control", "treatment"),
        "labels": {},
        "unit": "months",
        "hr": (scenario.hr, *nan),
        "median": {arm: scenario.true_median(arm) for arm in ("control", "treatment")},
        "risk": {arm: (risk[arm], *nan) for arm in risk},
        "risk_var": {arm: 0.0 for arm in risk},
        "rmst": {arm: (_true_rmst(scenario, arm, horizon), *nan) for arm in risk},
        "rmst_var": {arm: 0.0 for arm in risk},
        "horizon": horizon,
        "level": 95,
        "z": math.nan,
        "delay": scenario.delay,
        "early_hr": scenario.early_hr,
    }


def _from_analysis(analysis: Analysis, at: float, horizon: float | None) -> dict:
    last = min(float(c.time[-1]) for c in analysis.curves.values())
    at = check_number(
        "at", at, f"> 0 and at most {last:g} {analysis.unit} (the shorter arm's longest follow-up)",
        lambda v: 0 < v <= last,
    )
    if horizon is None:
        horizon = analysis.rmst_horizon
    horizon = check_number(
        "horizon", horizon, f"> 0 and at most {last:g} {analysis.unit} (the shorter arm's longest follow-up)",
        lambda v: 0 < v <= last,
    )
    z = _z(analysis.alpha)
    risk, risk_var, rmst, rmst_var = {}, {}, {}, {}
    for arm in analysis.arms:
        curve = analysis.curves[arm]
        idx = np.searchsorted(curve.time, at, side="right") - 1
        # The KM curve's own pointwise interval (log-log, as in the plots), turned into risk.
        risk[arm] = (1 - float(curve.survival[idx]), 1 - float(curve.upper[idx]), 1 - float(curve.lower[idx]))
        risk_var[arm] = float(greenwood_variance(curve, at))
        area, var = rmst_of(curve, horizon), rmst_variance(curve, horizon)
        rmst[arm] = (area, area - z * math.sqrt(var), area + z * math.sqrt(var))
        rmst_var[arm] = var
    return {
        "kind": "estimated",
        "arms": analysis.arms,
        "labels": analysis.labels,
        "unit": analysis.unit,
        "hr": (analysis.hr, *analysis.hr_ci),
        "median": {arm: analysis.median[arm].estimate for arm in analysis.arms},
        "risk": risk,
        "risk_var": risk_var,
        "rmst": rmst,
        "rmst_var": rmst_var,
        "horizon": horizon,
        "level": round(100 * (1 - analysis.alpha)),
        "z": z,
        "delay": 0.0,
        "early_hr": 1.0,
        "simulated": analysis.simulated,
    }


def _ratio(a: float, b: float) -> float:
    return a / b if b != 0 and math.isfinite(a) and math.isfinite(b) else math.nan


def _nnt(rd: tuple) -> tuple[float, float, float]:
    """Patients treated for one death fewer (or, if negative, one more), CI by inverting the RD CI."""
    est, lo, hi = rd
    value = 1 / abs(est) if est != 0 else math.inf
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo * hi <= 0:
        # The CI of the difference spans 0: the "CI" of NNT runs through infinity (Altman, BMJ 1998).
        return value, math.nan, math.nan
    small, large = sorted((1 / abs(lo), 1 / abs(hi)))
    return value, small, large


def _a(percent: float) -> str:
    """"a" or "an" before a whole percentage read aloud: "an 18% ...", "an 8% ...", "a 20% ..."."""
    digits = f"{abs(percent):.0f}"
    return "an" if digits.startswith("8") or digits in ("11", "18") else "a"


def _lower(reduction: float) -> str:
    return "lower" if reduction >= 0 else "higher"


def _toward(estimate: float, lo: float, hi: float) -> tuple[float, float]:
    """A CI of a reduction, turned round when the words say "higher"/"more" (the estimate is
    negative): a "20% higher risk" takes the interval of the increase, not of the reduction."""
    return (lo, hi) if estimate >= 0 else (-hi, -lo)


def _words_interval(lo: float, hi: float, fmt: str, level: int) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    return f" ({level}% CI {format(lo, fmt)} to {format(hi, fmt)})"


@dataclass(frozen=True)
class _Words:
    """What every row's sentence needs: the arms and their names, the unit, the time ``at``
    and, for estimates, the interval's level and z."""

    control: str
    treatment: str
    names: dict
    unit: str
    level: int
    z: float
    estimated: bool
    at: str
    when: str

    @classmethod
    def of(cls, v: dict, at: float) -> _Words:
        c, t = v["arms"]
        return cls(
            control=c,
            treatment=t,
            names={arm: v["labels"].get(arm, str(arm)) for arm in v["arms"]},
            unit=v["unit"],
            level=v["level"],
            z=v["z"],
            estimated=v["kind"] == "estimated",
            at=f"{at:g}",
            # "by month 24" for months; "by day 365" for data in days (never "month 365").
            when={"months": "month", "days": "day", "weeks": "week", "years": "year"}.get(v["unit"], "time"),
        )

    def ci(self, lo: float, hi: float, fmt: str) -> str:
        """" (95% CI lo to hi)" for estimates; nothing for true values."""
        return _words_interval(lo, hi, fmt, self.level) if self.estimated else ""


def _hazard_rows(v: dict, w: _Words) -> dict[str, tuple]:
    """The hazard ratio and the "% lower hazard", which is not a lower risk of dying."""
    lab, c, t, ci = w.names, w.control, w.treatment, w.ci
    hr, hr_lo, hr_hi = v["hr"]
    after = f" after month {v['delay']:g} (before then the ratio is {v['early_hr']:.2f})" if v["delay"] > 0 else ""
    rows = {}
    rows["hazard ratio"] = (
        hr, hr_lo, hr_hi,
        f"Among patients still alive at any moment{after}, the death rate with {lab[t]} is "
        f"{hr:.2f} times that with {lab[c]}{ci(hr_lo, hr_hi, '.2f')}." if math.isfinite(hr)
        else "Hazard ratio undefined (see the analysis' problems).",
    )
    lower_hazard = (100 * (1 - hr), 100 * (1 - hr_hi), 100 * (1 - hr_lo))
    rows["% lower hazard"] = (
        *lower_hazard,
        f"{_a(lower_hazard[0]).capitalize()} {abs(lower_hazard[0]):.0f}% {_lower(lower_hazard[0])} hazard "
        f"(death rate among those still alive){after}{ci(*_toward(*lower_hazard), '.0f')}: not "
        f"{_a(lower_hazard[0])} {abs(lower_hazard[0]):.0f}% "
        f"{_lower(lower_hazard[0])} risk of dying by any particular {w.when}." if math.isfinite(hr) else "",
    )
    return rows


def _median_rows(v: dict, w: _Words) -> dict[str, tuple]:
    """The ratio of the medians and the "% longer median" (no interval for either)."""
    lab, c, t, unit = w.names, w.control, w.treatment, w.unit
    m_c, m_t = v["median"][c], v["median"][t]
    ratio = _ratio(m_t, m_c)
    reached = math.isfinite(m_c) and math.isfinite(m_t)
    no_ci = " No CI: the ratio of two Kaplan–Meier medians has no simple standard error." if w.estimated else ""
    rows = {}
    rows["ratio of medians"] = (
        ratio, math.nan, math.nan,
        f"Median survival {m_t:.1f} {unit} with {lab[t]} vs {m_c:.1f} with {lab[c]}.{no_ci}" if reached
        else "A median was not reached, so their ratio is unknown.",
    )
    rows["% longer median"] = (
        100 * (ratio - 1), math.nan, math.nan,
        f"The median is {abs(100 * (ratio - 1)):.0f}% {'longer' if ratio >= 1 else 'shorter'} with {lab[t]}: "
        "a statement about the time by which half have died, not about the hazard." if reached else "",
    )
    return rows


def _risk_difference(v: dict, w: _Words) -> tuple[float, float, float]:
    """Treatment's risk of death by ``at`` minus control's, with its interval (Greenwood)."""
    se_rd = math.sqrt(v["risk_var"][w.control] + v["risk_var"][w.treatment])
    d = v["risk"][w.treatment][0] - v["risk"][w.control][0]
    return (d, d - w.z * se_rd, d + w.z * se_rd)


def _risk_rows(v: dict, w: _Words, rd: tuple) -> dict[str, tuple]:
    """Each arm's risk of death by ``at``, their difference, their ratio and the "% lower risk"
    beside the "% lower hazard"."""
    lab, c, t, z, ci, when, at_s = w.names, w.control, w.treatment, w.z, w.ci, w.when, w.at
    r_c, r_t = v["risk"][c], v["risk"][t]
    rows = {}
    for arm, r in ((c, r_c), (t, r_t)):
        rows[f"risk of death by {when} {at_s}, {lab[arm]}"] = (
            *r, f"{100 * r[0]:.0f} of 100 patients on {lab[arm]} die by {when} {at_s}{ci(100 * r[1], 100 * r[2], '.0f')}."
        )
    rows[f"risk difference by {when} {at_s}"] = (
        *rd,
        f"Risk of death by {when} {at_s} with {lab[t]} minus with {lab[c]}: {100 * rd[0]:+.1f} percentage "
        f"points{ci(100 * rd[1], 100 * rd[2], '+.1f')}.",
    )
    rr = _ratio(r_t[0], r_c[0])
    # Delta method on log(risk ratio): var(log r) = var(r) / r^2 per arm (Greenwood).
    se_log = math.sqrt(v["risk_var"][c] / r_c[0] ** 2 + v["risk_var"][t] / r_t[0] ** 2) if r_c[0] > 0 and r_t[0] > 0 else math.nan
    rr_ci = (rr * math.exp(-z * se_log), rr * math.exp(z * se_log)) if w.estimated else (math.nan, math.nan)
    no_ratio = f"Undefined: no deaths by {when} {at_s} with {lab[c]}."
    rows[f"risk ratio by {when} {at_s}"] = (
        rr, *rr_ci,
        f"The risk of death by {when} {at_s} with {lab[t]} is {rr:.2f} times that with {lab[c]}"
        f"{ci(*rr_ci, '.2f')}." if math.isfinite(rr) else no_ratio,
    )
    hr = v["hr"][0]
    lower_risk = (100 * (1 - rr), 100 * (1 - rr_ci[1]), 100 * (1 - rr_ci[0]))
    rows[f"% lower risk of dying by {when} {at_s}"] = (
        *lower_risk,
        no_ratio if not math.isfinite(rr) else
        f"{_a(lower_risk[0]).capitalize()} {abs(lower_risk[0]):.0f}% {_lower(lower_risk[0])} risk of dying "
        f"by {when} {at_s}{ci(*_toward(*lower_risk), '.0f')}"
        + (f", against {_a(100 * (1 - hr))} {abs(100 * (1 - hr)):.0f}% {_lower(1 - hr)} hazard."
           if math.isfinite(hr) else "."),
    )
    return rows


def _deaths_rows(v: dict, w: _Words, rd: tuple) -> dict[str, tuple]:
    """The same risks counted in patients: deaths per 100 in each arm, and how many fewer."""
    lab, c, t, when, at_s = w.names, w.control, w.treatment, w.when, w.at
    r_c, r_t = v["risk"][c], v["risk"][t]
    rows = {}
    for arm, r in ((c, r_c), (t, r_t)):
        rows[f"deaths per 100 by {when} {at_s}, {lab[arm]}"] = (
            100 * r[0], 100 * r[1], 100 * r[2], f"The same risk, counted in patients: of 100 on {lab[arm]}."
        )
    fewer = (-100 * rd[0], -100 * rd[2], -100 * rd[1])
    rows[f"fewer deaths per 100 by {when} {at_s}"] = (
        *fewer,
        # One decimal throughout, as the interval: whole numbers made "62 vs 52: 11 fewer".
        f"{100 * r_c[0]:.1f} vs {100 * r_t[0]:.1f} deaths per 100 patients by {when} {at_s}: "
        f"{abs(fewer[0]):.1f} {'fewer' if fewer[0] >= 0 else 'more'} per 100{w.ci(*_toward(*fewer), '.1f')}.",
    )
    return rows


def _nnt_row(w: _Words, rd: tuple) -> dict[str, tuple]:
    """The number needed to treat (or to harm) by ``at``, its interval by inverting the risk
    difference's (none when that interval spans no difference)."""
    lab, c, t, when, at_s, level = w.names, w.control, w.treatment, w.when, w.at, w.level
    nnt = _nnt(rd)
    d = rd[0]
    who = "treat" if d <= 0 else "harm"
    if d == 0:
        words = f"No difference in the risk of death by {when} {at_s}: no number needed to treat."
    else:
        words = (
            f"Treat {math.ceil(nnt[0])} patients with {lab[t]} instead of {lab[c]} for one "
            f"{'death fewer' if d < 0 else 'death more'} by {when} {at_s} (rounded up)"
        )
        if w.estimated and math.isfinite(nnt[1]):
            words += f"; {level}% CI {math.ceil(nnt[1])} to {math.ceil(nnt[2])}."
        elif w.estimated:
            words += (
                f"; the {level}% CI of the risk difference spans no difference, so the interval runs "
                "from benefit through infinity to harm."
            )
        else:
            words += "."
    return {f"number needed to {who} by {when} {at_s}": (*nnt, words)}


def _rmst_rows(v: dict, w: _Words) -> dict[str, tuple]:
    """Each arm's restricted mean survival time to the horizon, and the months gained."""
    lab, c, t, z, ci, when, unit = w.names, w.control, w.treatment, w.z, w.ci, w.when, w.unit
    h = f"{v['horizon']:.1f}".removesuffix(".0")
    rm_c, rm_t = v["rmst"][c], v["rmst"][t]
    rows = {}
    for arm, r in ((c, rm_c), (t, rm_t)):
        rows[f"RMST to {when} {h}, {lab[arm]}"] = (
            *r, f"On average {r[0]:.1f} of the first {h} {unit} alive with {lab[arm]}{ci(r[1], r[2], '.1f')}."
        )
    se_diff = math.sqrt(v["rmst_var"][c] + v["rmst_var"][t])
    gain = rm_t[0] - rm_c[0]
    gain_ci = (gain - z * se_diff, gain + z * se_diff)
    rows[f"RMST difference to {when} {h}"] = (
        gain, *gain_ci,
        f"{abs(gain):.1f} {unit} of life {'gained' if gain >= 0 else 'lost'} on average over the first {h} "
        f"{unit} with {lab[t]}{ci(*gain_ci, '.1f')}.",
    )
    return rows


def _caption(v: dict, w: _Words) -> str:
    """What the table holds: estimates from (simulated) data, or true values of a model."""
    if w.estimated:
        caption = (
            f"Effect sizes estimated from the trial, with {w.level}% confidence intervals "
            f"(times in {w.unit})"
        )
        if v.get("simulated"):
            caption += "; simulated from the story's summary figures, not patient data"
    else:
        caption = (
            "True effect sizes under the scenario's assumed survival curves (a model built from "
            "summary figures, not patient data; times in months)"
        )
    return caption + "."


def _build(v: dict, at: float) -> EffectSizes:
    """The table, a row a measure in this order: hazards, medians, risks by ``at``, deaths per
    100, number needed to treat, RMST; each row with its sentence."""
    w = _Words.of(v, at)
    rd = _risk_difference(v, w)
    rows = {
        **_hazard_rows(v, w),
        **_median_rows(v, w),
        **_risk_rows(v, w, rd),
        **_deaths_rows(v, w, rd),
        **_nnt_row(w, rd),
        **_rmst_rows(v, w),
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=COLUMNS)
    table.index.name = "measure"
    caption = _caption(v, w)
    table.attrs["caption"] = caption
    return EffectSizes(table, caption)


def effect_sizes(source, at: float = 24, horizon: float | None = None) -> EffectSizes:
    """One effect said many ways: hazard, median, risk by month ``at``, deaths per 100, NNT, RMST.

    Parameters
    ----------
    source : Scenario or Analysis
        A :class:`~edu_survival.scenario.Scenario` gives the *true* values under its
        assumptions (no intervals); an :class:`~edu_survival.analyze.Analysis` gives
        *estimates* with confidence intervals at its level: the Cox hazard ratio; Kaplan–Meier
        risks of death by ``at`` with their pointwise (log-log) intervals; risk difference and
        risk ratio by the delta method from Greenwood's variances; the number needed to treat by
        inverting the risk difference's interval (none when it spans no difference); RMST with
        the Greenwood-type variance of :func:`~edu_survival.analyze.rmst_variance`. The ratio of
        medians has no interval.
    at : float
        The time (months for simulated data) at which risks of death are compared (> 0; for an
        Analysis at most the shorter arm's longest follow-up).
    horizon : float, optional
        Horizon of the restricted mean survival time. Default: the scenario's analysis time
        (``accrual + follow_up``), or the Analysis' ``rmst_horizon``.

    Returns
    -------
    EffectSizes
        ``.table`` is a pandas DataFrame (rows: measures; columns ``estimate``, ``lower``,
        ``upper``, ``in plain words``) with ``attrs["caption"]``.

    Examples
    --------
    >>> import edu_survival as es
    >>> sizes = es.effect_sizes(es.Scenario.from_hr(17.3, 0.62))
    >>> sizes.table.loc["fewer deaths per 100 by month 24", "in plain words"]
    '61.8 vs 44.9 deaths per 100 patients by month 24: 16.9 fewer per 100.'
    """
    if isinstance(source, Scenario):
        if horizon is not None:
            horizon = check_number("horizon", horizon, "> 0 (months)", lambda v: v > 0)
        at = check_number("at", at, "> 0 (months)", lambda v: v > 0)
        values = _from_scenario(source, at, horizon)
    elif isinstance(source, Analysis):
        values = _from_analysis(source, at, horizon)
        at = float(at)
    else:
        raise ValueError(
            f"source must be an edu_survival Scenario (true values) or Analysis (estimates); "
            f"got {type(source).__name__}"
        )
    return _build(values, at)
