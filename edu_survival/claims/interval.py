"""The confidence interval against the HR, the p-value, the deaths and n; or the CI the HR and
the p-value imply when none is reported."""

from __future__ import annotations

import math

from .deaths import deaths_from_se, se_from_deaths
from .pvalue import impossible_for_n
from .report import CENTRE_SLACK, CLOSE, Z_RELATIVE, Report, p_between, p_of, p_text, z_agree
from .verdicts import CONSISTENT, DEPENDS, INCONSISTENT, INFO, UNCHECKED, Check

TOPIC = "confidence interval vs p-value"


def _ci_words(r: Report) -> str:
    lo, hi = r.hr_ci
    return f"{r.show('hr_ci_lower', lo)} to {r.show('hr_ci_upper', hi)}"


def _ci_problems(r: Report, z_lo: float, z_hi: float) -> list[str]:
    """What in the CI cannot be right, allowing for rounding and the approximations."""
    (l_lo, l_hi), (u_lo, u_hi) = r.ci_rounded()
    h_lo, h_hi = r.rounded("hr")
    se_lo, se_hi = r.se_range()
    problems = []
    if h_hi <= l_lo + 1e-12 or h_lo >= u_hi - 1e-12:  # an estimate never equals a limit of its CI
        problems.append(f"the HR {r.show('hr')} lies outside its own CI {_ci_words(r)}")
    # Centre: rounding of L and U moves it by at most half a unit on each.
    c_lo, c_hi = math.sqrt(max(l_lo, 1e-300) * u_lo), math.sqrt(l_hi * u_hi)
    centre = math.sqrt(r.hr_ci[0] * r.hr_ci[1])
    if math.log(h_lo / c_hi) > CENTRE_SLACK or math.log(c_lo / max(h_hi, 1e-300)) > CENTRE_SLACK:
        problems.append(f"the CI is centred on {centre:.2f}, not on the reported HR {r.show('hr')} "
                        "(on the log scale)")
    if r.p_value is not None and not z_agree(z_lo, z_hi, *r.z_from_p()):
        problems.append(f"the CI implies {p_between(z_lo, z_hi)}, not {r.p_words}")
    if r.deaths is not None:
        d_lo, d_hi, _ = se_from_deaths(r, r.deaths, r.hr)
        if d_lo > se_hi * (1 + Z_RELATIVE) or d_hi < se_lo / (1 + Z_RELATIVE):
            d_ci = deaths_from_se(r, r.se, r.hr)
            problems.append(f"the CI's width means about {d_ci:.0f} deaths, not the {r.deaths:,} reported"
                            if math.isfinite(d_ci) else f"the CI's width does not fit {r.deaths:,} deaths")
    if r.n is not None and se_hi * (1 + Z_RELATIVE) < 1 / math.sqrt(r.n * r.pq_most):
        problems.append(f"the CI is narrower than {r.n:,} patients could give even if all died")
    return problems


def _check_given_ci(r: Report) -> Check:
    se_lo, se_hi = r.se_range()
    z = abs(math.log(r.hr)) / r.se
    lh_lo, lh_hi = r.log_hr_range()
    z_lo, z_hi = lh_lo / se_hi, (lh_hi / se_lo if se_lo > 0 else math.inf)
    d_ci = deaths_from_se(r, r.se, r.hr)
    d_words = f"about {d_ci:.0f} deaths" if math.isfinite(d_ci) else f"more deaths than {r.n:,} patients"
    values = {"se": r.se, "p_from_ci": p_of(z), "deaths_from_ci": d_ci}
    lo, hi = r.hr_ci
    detail = (f"SE(ln HR) = (ln {r.show('hr_ci_upper', hi)} - ln {r.show('hr_ci_lower', lo)}) / "
              f"(2 x {r.z_crit:.2f}) = {r.se:.3f}; z = |ln HR| / SE = {z:.2f}, {p_text(z)}; deaths "
              f"from SE^2 = 1/d_control + 1/d_treatment (split by arm from the HR and {r.split} "
              f"allocation{'' if r.n is not None else '; without n, the 1/(D p(1-p)) shortcut'}): "
              f"{d_words}; CI centre sqrt(L x U) = {math.sqrt(lo * hi):.3f}.")
    problems = _ci_problems(r, z_lo, z_hi)
    if problems:
        sentence = "These cannot all be right, even allowing for rounding: " + "; ".join(problems) + "."
        return Check(TOPIC, INCONSISTENT, sentence, values, detail)
    said = [f"the {r.level} CI {_ci_words(r)} fits HR {r.show('hr')}"]
    if r.p_value is not None:
        said.append(f"{r.p_words}")
    if r.deaths is not None:
        said.append(f"{r.deaths:,} deaths")
    close = ""
    if r.p_value is not None and not r.z_from_p()[0] <= z <= r.z_from_p()[1]:
        close = f"; {CLOSE}"
    sentence = ("Consistent: " + ", ".join(said[:-1]) + (" and " if len(said) > 1 else "") + said[-1]
                + f" (the CI alone implies {p_text(z)} and {d_words}{close}).")
    return Check(TOPIC, CONSISTENT, sentence, values, detail)


def _ci_from_hr_and_p(r: Report) -> Check:
    ln_hr = math.log(r.hr)
    zp_lo, zp_hi = r.z_from_p()
    if r.p_relation == "=":
        z_p = r.z_point
        se, key, how = abs(ln_hr) / z_p, "ci", "of about"
        arithmetic = f"SE(ln HR) = |ln HR| / z = {abs(ln_hr):.3f} / {z_p:.2f} = {se:.3f}"
    elif r.p_relation == "<":
        se, key, how = abs(ln_hr) / zp_lo, "ci_at_most", "no wider than about"
        arithmetic = f"SE(ln HR) <= |ln HR| / z = {abs(ln_hr):.3f} / {zp_lo:.2f} = {se:.3f}"
    else:
        se = abs(ln_hr) / zp_hi if zp_hi > 0 else math.inf
        key, how = "ci_at_least", "at least as wide as about"
        arithmetic = f"SE(ln HR) >= |ln HR| / z = {abs(ln_hr):.3f} / {zp_hi:.2f} = {se:.3f}"
    lo, hi = math.exp(ln_hr - r.z_crit * se), math.exp(ln_hr + r.z_crit * se)
    return Check(TOPIC, INFO, f"HR {r.show('hr')} with {r.p_words} means a {r.level} CI {how} "
                 f"{lo:.2f} to {hi:.2f}.", {key: (lo, hi), "se" if key == "ci" else f"se_{key[3:]}": se},
                 f"{arithmetic}; CI = exp(ln HR +- {r.z_crit:.2f} SE).")


def _check_hr_and_p(r: Report) -> Check:
    """No CI: the CI that the HR and p imply (a bound when p is a bound, or HR could be 1)."""
    lh_lo, lh_hi = r.log_hr_range()
    if lh_lo > 0:
        return _ci_from_hr_and_p(r)
    # HR as printed could be 1: p can be small only with very many deaths.
    zp_lo = r.z_from_p()[0]
    if zp_lo <= 1.0:
        return Check(TOPIC, CONSISTENT, f"An HR of {r.show('hr')} shows almost no difference between the "
                     f"arms, and {r.p_words} agrees.", {}, f"HR {r.show('hr')} +- rounding: |ln HR| <= {lh_hi:.3f}.")
    impossible = impossible_for_n(r, lh_hi)
    if impossible is not None:
        return Check(TOPIC, INCONSISTENT, impossible.sentence, impossible.values, impossible.detail)
    needed = math.ceil((zp_lo / lh_hi) ** 2 / r.pq)
    return Check(TOPIC, DEPENDS,
                 f"An HR of {r.show('hr')} shows almost no difference between the arms, yet the report says "
                 f"{r.p_words}: both are right only with at least {needed:,} deaths (an assumption about "
                 "the trial's size).", {"deaths_needed": needed},
                 f"HR {r.show('hr')} +- rounding: |ln HR| <= {lh_hi:.3f}; |z| >= {zp_lo:.2f} needs "
                 f"D >= (z / |ln HR|)^2 / (p(1-p)) = {needed:,}.")


def check_confidence_interval(r: Report) -> list[Check]:
    """The CI against the HR, the p-value, the deaths and n; or the CI the HR and p imply."""
    if r.hr is not None and r.hr_ci is not None:
        return [_check_given_ci(r)]
    if r.hr is not None and r.p_value is not None:
        return [_check_hr_and_p(r)]
    return [Check(TOPIC, UNCHECKED,
                  "No confidence interval reported" + ("" if r.p_value is not None else " and no p-value")
                  + ": the precision of the estimate cannot be judged.")]
