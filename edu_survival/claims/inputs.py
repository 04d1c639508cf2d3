"""check_claims' input: every number read as printed and validated, the design facts sorted into
what the report stated and what is assumed."""

from __future__ import annotations

import numbers
import re

import numpy as np

from .._checks import check_fraction, check_number, check_seed, check_whole
from ..scenario import Scenario
from .chance import _MAX_CELLS, default_trials
from .endpoints import check_endpoint
from .printed import decimals, normalise, read_interval, read_number, read_p_value, read_whole
from .report import Report, allocation_words

MAX_N = 1_000_000
"""Largest n check_claims accepts: more patients than any randomised trial has enrolled."""
MAX_POWER_SIMULATION_N = 100_000
MIN_MEDIAN, MAX_MEDIAN = 0.01, 1200.0
"""Shortest and longest median check_claims accepts, months (up to 100 years)."""
_MEDIAN_RANGE = f"from {MIN_MEDIAN:g} to {MAX_MEDIAN:g} months"
MAX_HR = 1000.0
"""check_claims accepts a hazard ratio from 1 / MAX_HR to MAX_HR."""
_DEFAULT_DESIGN = {"accrual": 24.0, "follow_up": 24.0, "dropout": 0.0}


def _check_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def _allocation(value) -> float:
    """A fraction on treatment, or a ratio treatment:control as printed ("2:1")."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*", normalise(value))
        if not match or float(match[1]) <= 0 or float(match[2]) <= 0:
            raise ValueError(f"allocation must be the fraction on treatment (e.g. 0.5) or a ratio "
                             f"treatment:control such as '2:1'; got {value!r}")
        return float(match[1]) / (float(match[1]) + float(match[2]))
    return check_fraction("allocation", value)


def _ci_level(value, from_text):
    if value is None:
        return from_text
    level = check_number("ci_level", value, "between 0.5 and 1, e.g. 0.95 or 0.979",
                         lambda v: 0.5 < v < 1)
    if from_text is not None and abs(from_text - level) > 1e-9:
        raise ValueError(f"ci_level={value!r} disagrees with the {100 * from_text:g}% printed in hr_ci")
    return level


def _sided(value, from_text):
    if value is None:
        return from_text
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value not in (1, 2):
        raise ValueError(f"sided must be 1 (a one-sided p-value) or 2 (two-sided); got {value!r}")
    if from_text is not None and from_text != value:
        raise ValueError(f"sided={value!r} disagrees with the p_value's own words")
    return int(value)


def _numbers(args: dict) -> tuple[dict, dict, dict]:
    """The reported numbers: values, printed digits and how to show them."""
    values, digits, shown = {}, {}, {}
    if args["n"] is not None:
        n = read_whole("n", args["n"], 2)
        if n > MAX_N:
            raise ValueError(f"n must be a whole number from 2 to {MAX_N:,} (more patients than any "
                             f"randomised trial); got {n:,}")
        values["n"], shown["n"] = n, f"n = {n:g}"
    # Beyond these no trial reports a figure, and the checks' root-finding loses its footing.
    for name, allowed, low, high in (
            ("median_control", _MEDIAN_RANGE, MIN_MEDIAN, MAX_MEDIAN),
            ("median_treatment", _MEDIAN_RANGE, MIN_MEDIAN, MAX_MEDIAN),
            ("hr", f"between {1 / MAX_HR:g} and {MAX_HR:g}", 1 / MAX_HR, MAX_HR)):
        if args[name] is not None:
            values[name], places = read_number(name, args[name], allowed,
                                               lambda v, low=low, high=high: low <= v <= high)
            if isinstance(args[name], str):
                digits[name] = places
            shown[name] = f"{name} = {values[name]:.{places}f}" if name in digits else f"{name} = {values[name]:g}"
    return values, digits, shown


def _interval(args, values, digits, shown):
    (lo, hi), places, level, as_text = read_interval(args["hr_ci"])
    values["hr_ci"] = (lo, hi)
    show = []
    for key, value, d, text in zip(("hr_ci_lower", "hr_ci_upper"), (lo, hi), places, as_text, strict=True):
        if text:
            digits[key] = d
        show.append(f"{value:.{d}f}" if text else f"{value:g}")
    shown["hr_ci"] = f"hr_ci = ({show[0]}, {show[1]})"
    return level


def _p(args, values, digits, shown):
    value, relation, text, sides = read_p_value(args["p_value"])
    values["p_value"], values["p_relation"], values["p_text"] = value, relation, text
    if isinstance(args["p_value"], str):
        digits["p_value"] = decimals(text)
    shown["p_value"] = f"p_value {relation} {text}" if relation != "=" else f"p_value = {text}"
    return sides


def _design(args: dict) -> tuple[dict, set, dict]:
    """Design facts: their values, which the report stated, and how to show those."""
    stated, shown = set(), {}
    endpoint = check_endpoint("OS" if args["endpoint"] is None else args["endpoint"])
    if args["endpoint"] is not None:
        stated.add("endpoint")
        shown["endpoint"] = f"endpoint {endpoint.code} ({endpoint.name})"
    allocation = 0.5
    if args["allocation"] is not None:
        allocation = _allocation(args["allocation"])
        stated.add("allocation")
        shown["allocation"] = f"{allocation_words(allocation)} allocation"
    design = {k: _DEFAULT_DESIGN[k] if args[k] is None else args[k] for k in _DEFAULT_DESIGN}
    probe = Scenario(n=2, **design)  # checked as a Scenario checks them, even when unused
    design = {k: getattr(probe, k) for k in _DEFAULT_DESIGN}
    if all(args[k] is not None for k in _DEFAULT_DESIGN):
        stated.add("design")
    return {"endpoint": endpoint.code, "allocation": allocation, **design}, stated, shown


def _assumed_line(r: Report, has: set) -> str:
    """What the checks assume because the report did not say it."""
    parts = []
    if "endpoint" not in r.stated:
        parts.append(r.outcome.name)
    if "allocation" not in r.stated:
        parts.append("1:1 allocation")
    if "hr_ci" in has and "ci_level" not in r.stated:
        parts.append("a 95% confidence interval")
    if "p_value" in has and "sided" not in r.stated:
        parts.append("a two-sided p-value")
    if "design" not in r.stated:
        parts.append(f"{r.assumed_design} (where the deaths are not reported, and for power)")
    parts.append(f"two-sided alpha {r.alpha:g} for power and deaths needed")
    return "; ".join(parts)


def _run_options(args: dict, n) -> dict:
    simulate = _check_bool("simulate", args["simulate"])
    n_sims = check_whole("n_sims", args["n_sims"], 0)
    if simulate and n_sims > 0 and n is not None and n > MAX_POWER_SIMULATION_N:
        raise ValueError(f"n must be at most {MAX_POWER_SIMULATION_N:,} to simulate the power "
                         f"(n_sims={n_sims}); got n={n:,} (use n_sims=0 for the formula alone)")
    trials = args["chance_trials"]
    if trials is not None:
        trials = check_whole("chance_trials", trials, 100)
        if trials > 100_000 or (n is not None and trials * n > _MAX_CELLS):
            raise ValueError(f"chance_trials must be at most 100,000 and n x chance_trials at most "
                             f"{_MAX_CELLS:,}; got {trials:,}")
    elif n is not None:
        trials = default_trials(n)
    return {"simulate": simulate, "n_sims": n_sims, "chance_trials": trials,
            "alpha": check_fraction("alpha", args["alpha"]), "seed": check_seed(args["seed"])}


def read_report(args: dict):
    """``check_claims``' arguments as a :class:`Report`, the reported values, how to print
    them, and the line of assumptions."""
    values, digits, shown = _numbers(args)
    level = _interval(args, values, digits, shown) if args["hr_ci"] is not None else None
    sides = _p(args, values, digits, shown) if args["p_value"] is not None else None
    if args["deaths"] is not None:
        values["deaths"] = read_whole("deaths", args["deaths"], 1)
        shown["deaths"] = f"deaths = {values['deaths']:g}"
        if values["deaths"] > values.get("n", values["deaths"]):
            raise ValueError(f"deaths={values['deaths']} cannot exceed n={values['n']} patients")
    design, stated, shown_design = _design(args)
    ci_level, sided = _ci_level(args["ci_level"], level), _sided(args["sided"], sides)
    if ci_level is not None:
        stated.add("ci_level")
        shown_design["ci_level"] = f"{100 * ci_level:.4g}% CI"
    if sided is not None:
        stated.add("sided")
        shown_design["sided"] = f"{'one' if sided == 1 else 'two'}-sided p"
    if not values:
        raise ValueError("check_claims needs at least one reported number "
                         "(n, medians, hr, hr_ci, p_value, deaths)")
    report = Report(**values, **design, **_run_options(args, values.get("n")), digits=digits,
                    ci_level=ci_level or 0.95, sided=sided or 2, stated=frozenset(stated))
    reported = {k: v for k, v in values.items() if k not in ("p_relation", "p_text")}
    if "p_value" in reported and report.p_relation != "=":
        reported["p_value"] = f"{report.p_relation} {report.p_text}"  # a bound
    return report, reported, {**shown, **shown_design}, _assumed_line(report, set(values))
