"""Every public function and widget constructor, called with odd input (issue 19).

For each one, the arguments start from a valid call (``BASE``); hypothesis then replaces one
argument (sometimes two) with an odd value picked from the parameter's signature: its valid
value's type decides the mutations (a DataFrame loses, duplicates or spoils a column; an array
gets empty, shorter than its partner, NaN, negative, complex, strings; a number gets NaN, ±inf,
negative, zero, huge, complex, bool, None, a string), always mixed with a common pool of odd
values. Each call must either

* return a result that passes the sanity checks of its type (:func:`check_result`: curves in
  [0, 1] and non-increasing, counts whole and non-negative, times non-negative, p-values and
  powers in [0, 1], figures with a text alternative, widgets without an error message), or
* raise ValueError or TypeError whose message names the replaced parameter (or, for a
  Scenario or a DataFrame that is itself valid, one of its fields or columns).

Anything else (another exception, a message that names nothing) fails the test. The public API
here: the top-level ``edu_survival.__all__`` and the methods of :class:`Analysis`, the plot
functions of ``plots.__all__``, the widget constructors, ``reconstruct.__all__``, ``claims``'
entry points, ``censoring``, ``lifetable`` and the exercises' functions. The lessons' own
helpers (``teaching``, ``traps``) are called by the lessons with fixed arguments and are left to
their tests. Result containers (``Analysis(...)``, ``KMCurve(...)``, ...) are not built by users.

The examples are fixed (profile ``edu_survival`` in ``conftest.py``: derandomized, no deadline).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import io
import math
import numbers
import re
import warnings

import matplotlib
import matplotlib.figure
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edu_survival as es
from edu_survival import censoring as cens
from edu_survival import claims, plots, reconstruct, widgets
from edu_survival import exercises as ex
from edu_survival import lifetable as lt

matplotlib.use("Agg")
SMALL = es.LAPATINIB.replace(n=60)
NAN, INF = math.nan, math.inf

# -- valid inputs the calls start from (built once; every call gets fresh copies)


@functools.cache
def trial_data() -> pd.DataFrame:
    return es.simulate(SMALL, seed=1)


@functools.cache
def analysis() -> es.Analysis:
    return es.analyze(trial_data())


@functools.cache
def undefined_analysis() -> es.Analysis:
    """All deaths in one arm: a hazard ratio that cannot be estimated."""
    df = trial_data().copy()
    df.loc[df.arm == "treatment", "event"] = 0
    return es.analyze(df)


@functools.cache
def power_result() -> es.PowerResult:
    return es.power(SMALL, n_sims=20, seed=1)


@functools.cache
def digitised(arm: str = "control") -> reconstruct.Digitised:
    return reconstruct.digitise(analysis().curves[arm], [0, 12, 24, 36], seed=1)


@functools.cache
def power_curve_frame() -> pd.DataFrame:
    return es.power_curve(SMALL, values=[40, 80], n_sims=20, seed=1)


@functools.cache
def chance() -> claims.ChanceGaps:
    return claims.chance_gaps(n=60, median_control=17.3, median_treatment=23.9, reported_hr=0.62,
                              n_trials=100, seed=1)


def csv_points() -> io.StringIO:
    curve = digitised().curve
    return io.StringIO("\n".join(f"{t},{s}" for t, s in zip(curve.time, curve.survival, strict=True)))


def csv_at_risk() -> io.StringIO:
    return io.StringIO("arm,0,12,24\ncontrol,30,20,9\ntreatment,30,22,12\n")


def _copy(value):
    if isinstance(value, (pd.DataFrame, pd.Series, np.ndarray)):
        return value.copy()
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


# name -> (function, valid keyword arguments, examples). The examples are chosen so that the
# whole suite runs in about two minutes here (most odd calls are refused at once).
A = es.Analysis
API = {
    # top level
    "Scenario": (es.Scenario, lambda: {"n": 60, "median_control": 17.3, "median_treatment": 23.9,
                                      "accrual": 24.0, "follow_up": 24.0, "dropout": 0.1,
                                      "shape": 1.2, "delay": 2.0, "early_hr": 1.0,
                                      "allocation": 0.5}, 60),
    "Scenario.from_hr": (es.Scenario.from_hr, lambda: {"median_control": 17.3, "hr": 0.7,
                                                       "shape": 1.0}, 40),
    "Scenario.survival": (lambda t, arm="control": SMALL.survival(t, arm),
                          lambda: {"t": np.array([0.0, 6.0, 12.0]), "arm": "control"}, 30),
    "simulate": (es.simulate, lambda: {"scenario": SMALL, "seed": 1}, 40),
    "simulate_many": (es.simulate_many, lambda: {"scenario": SMALL, "n_sims": 3, "seed": 1}, 30),
    "analyze": (es.analyze, lambda: {"data": trial_data(), "duration": "time", "event": "event",
                                     "group": "arm", "control": None, "alpha": 0.05,
                                     "labels": None, "unit": None}, 80),
    "kaplan_meier": (es.kaplan_meier, lambda: {"time": trial_data().time.to_numpy(),
                                               "event": trial_data().event.to_numpy(),
                                               "alpha": 0.05, "conf_type": "log-log"}, 60),
    "Analysis.at_risk_table": (lambda self, **kw: self.at_risk_table(**kw),
                               lambda: {"self": analysis(), "times": [0.0, 12.0, 24.0],
                                        "counts": ("at risk", "events")}, 40),
    "Analysis.hr_by_period": (lambda self, **kw: self.hr_by_period(**kw),
                              lambda: {"self": analysis(), "cut": 12.0}, 40),
    "Analysis.logrank": (lambda self, **kw: self.logrank(**kw),
                         lambda: {"self": analysis(), "weighting": "fleming-harrington",
                                  "p": 0.0, "q": 1.0}, 40),
    "Analysis.ph_test": (lambda self, **kw: self.ph_test(**kw),
                         lambda: {"self": analysis(), "transform": "rank",
                                  "method": "exact"}, 30),
    "analytic_power": (es.analytic_power, lambda: {"scenario": SMALL, "alpha": 0.05}, 40),
    "expected_events": (es.expected_events, lambda: {"scenario": SMALL}, 20),
    "schoenfeld_events": (es.schoenfeld_events, lambda: {"hr": 0.7, "power": 0.8, "alpha": 0.05,
                                                         "allocation": 0.5}, 50),
    "freedman_events": (es.freedman_events, lambda: {"hr": 0.7, "power": 0.8, "alpha": 0.05,
                                                     "allocation": 0.5}, 50),
    "sample_size": (es.sample_size, lambda: {"hr": 0.7, "power": 0.8, "alpha": 0.05,
                                             "median_control": 17.3, "accrual": 24.0,
                                             "follow_up": 24.0, "allocation": 0.5,
                                             "dropout": 0.0}, 60),
    "power": (es.power, lambda: {"scenario": SMALL, "n_sims": 20, "alpha": 0.05, "seed": 1,
                                 "progress": False, "test": "logrank"}, 40),
    "power_curve": (es.power_curve, lambda: {"scenario": SMALL, "vary": "n", "values": [40, 80],
                                             "n_sims": 10, "alpha": 0.05, "seed": 1,
                                             "test": "logrank", "progress": False}, 40),
    "logrank_many": (es.logrank_many, lambda: {
        "time": trial_data().time.to_numpy()[None, :],
        "event": trial_data().event.to_numpy()[None, :],
        "treated": (trial_data().arm == "treatment").to_numpy()[None, :]}, 40),
    "cox_many": (es.cox_many, lambda: {
        "time": trial_data().time.to_numpy()[None, :],
        "event": trial_data().event.to_numpy()[None, :],
        "treated": (trial_data().arm == "treatment").to_numpy()[None, :], "alpha": 0.05}, 40),
    "effect_sizes": (es.effect_sizes, lambda: {"source": SMALL, "at": 24, "horizon": None}, 40),
    "check_claims": (es.check_claims, lambda: {"n": 321, "median_control": 17.3,
                                               "median_treatment": 23.9, "hr": 0.62,
                                               "hr_ci": (0.5, 0.8), "p_value": 0.01,
                                               "deaths": 200, "simulate": False}, 60),
    "chance_gaps": (claims.chance_gaps, lambda: {"n": 60, "median_control": 17.3,
                                                 "median_treatment": 23.9, "reported_hr": 0.62,
                                                 "n_trials": 100, "seed": 1}, 40),
    "parse_p_value": (claims.parse_p_value, lambda: {"p_value": "p < 0.001"}, 30),
    # censoring, life tables, exercises
    "censored_share_range": (cens.censored_share_range, lambda: {"scenario": SMALL}, 20),
    "expected_censored_share": (cens.expected_censored_share, lambda: {"scenario": SMALL}, 20),
    "dropout_for_censored_share": (cens.dropout_for_censored_share,
                                   lambda: {"scenario": SMALL, "share": 0.5}, 30),
    "full_follow_up": (cens.full_follow_up, lambda: {"scenario": SMALL, "seed": 1}, 30),
    "naive_estimates": (cens.naive_estimates, lambda: {"full": cens.full_follow_up(SMALL, 1),
                                                       "horizon": 24.0}, 40),
    "example_patients": (lt.example_patients, lambda: {"n": 12, "seed": 6}, 30),
    "life_table": (lt.life_table, lambda: {"time": [1.0, 2.0, 2.0, 5.0], "event": [1, 0, 1, 1]}, 40),
    "exercises": (ex.exercises, lambda: {"lesson": 1}, 20),
    "check": (ex.check, lambda: {"exercise_id": "01.3", "answer": "b"}, 30),
    "hint": (ex.hint, lambda: {"exercise_id": "01.1", "which": None}, 20),
    "question": (ex.question, lambda: {"exercise_id": "01.1"}, 15),
    # plots
    "plot_km": (plots.plot_km, lambda: {"analysis": analysis(), "counts": ("at risk",),
                                        "ci": True, "censor_marks": True, "medians": True,
                                        "t_max": None, "min_at_risk": 5, "tail": "faded",
                                        "numbers": True, "alt": "summary"}, 40),
    "plot_loglog": (plots.plot_loglog, lambda: {"analysis": analysis()}, 15),
    "plot_dance": (plots.plot_dance, lambda: {"result": power_result(), "n_show": 10,
                                              "show": None}, 20),
    "plot_hr": (plots.plot_hr, lambda: {"results": [analysis(), analysis()], "true_hr": True}, 15),
    "plot_power_curve": (plots.plot_power_curve, lambda: {"curve": power_curve_frame(),
                                                          "target": 0.8}, 20),
    "plot_km_pair": (plots.plot_km_pair, lambda: {"top": analysis(), "bottom": analysis(),
                                                  "headings": ("a", "b"), "intro": ""}, 20),
    "plot_chance_gaps": (plots.plot_chance_gaps, lambda: {"chance": chance(), "marks": None,
                                                          "label": "the story"}, 15),
    "plot_reconstruction": (plots.plot_reconstruction, lambda: {
        "original": analysis(),
        "rebuilt": reconstruct.trial({"control": digitised("control"),
                                      "treatment": digitised("treatment")})}, 15),
    "table_times": (plots.table_times, lambda: {"t_max": 48.0}, 30),
    # reconstruct
    "read_digitised": (reconstruct.read_digitised, lambda: {"source": csv_points(),
                                                            "time_unit": "months",
                                                            "survival_scale": "auto"}, 40),
    "read_at_risk": (reconstruct.read_at_risk, lambda: {"source": csv_at_risk()}, 20),
    "guyot": (reconstruct.guyot, lambda: {"curve": digitised().curve,
                                          "at_risk": digitised().at_risk,
                                          "total_events": None}, 60),
    "intervals": (reconstruct.intervals, lambda: {"curve": digitised().curve,
                                                  "at_risk": digitised().at_risk}, 30),
    "trial": (reconstruct.trial, lambda: {"arms": {"control": digitised("control"),
                                                   "treatment": digitised("treatment")},
                                          "total_events": None}, 30),
    "digitise": (reconstruct.digitise, lambda: {"km": analysis().curves["control"],
                                                "at_risk_times": [0, 12, 24],
                                                "resolution": (500, 350), "jitter": 1.0,
                                                "seed": 1, "t_max": None}, 40),
    "compare": (reconstruct.compare, lambda: {"original": analysis(), "reconstructed": analysis(),
                                              "engine": "lifelines"}, 20),
    "largest_gap": (reconstruct.largest_gap, lambda: {"a": analysis().curves["control"],
                                                      "b": analysis().curves["treatment"],
                                                      "min_at_risk": 0}, 30),
    "round_trip": (reconstruct.round_trip, lambda: {"data": trial_data(), "at_risk_times": None,
                                                    "resolution": (500, 350), "jitter": 1.0,
                                                    "seed": 1, "total_events": False}, 30),
    "validation_data": (reconstruct.validation_data, lambda: {"name": "leukemia", "seed": 0}, 20),
    # widgets
    "TrialExplorer": (widgets.TrialExplorer, lambda: {"scenario": SMALL, "seed": 1,
                                                      "labels": None, "n_sims": 10,
                                                      "engine": None}, 20),
    "CensoringExplorer": (widgets.CensoringExplorer, lambda: {
        "scenario": widgets.CENSORING_SCENARIO, "seed": 1, "horizon": 30.0, "who": "the sicker",
        "strength": 0.7}, 20),
    "KMStepper": (widgets.KMStepper, lambda: {"data": lt.example_patients()}, 25),
    "dashboard": (widgets.dashboard, lambda: {"scenario": SMALL, "seed": 1,
                                              "presentation": True}, 15),
    "CompetingRisksExplorer": (widgets.CompetingRisksExplorer, dict, 10),
    "CrossoverExplorer": (widgets.CrossoverExplorer, dict, 10),
    "SurrogateExplorer": (widgets.SurrogateExplorer, dict, 10),
}

# -- odd values, by the type of the valid value they replace

COMMON = [NAN, INF, -INF, -1, -0.5, 0, 0.0, 1e300, 10**12, 2**64, 1 + 2j, True, False, None, "",
          "x", "30", [], [1.0], {}, object(), np.float64(NAN), np.int64(-3)]


def frame_variants(df: pd.DataFrame) -> list:
    out = [df.iloc[0:0], df.head(1), df.iloc[:, :0]]
    for col in df.columns:
        out.append(df.drop(columns=col))
        out.append(pd.concat([df, df[[col]]], axis=1))  # the column twice
        for odd in (NAN, -1.0, INF, "x", 1 + 1j, None, 2, True):
            spoilt = df.copy()
            spoilt[col] = spoilt[col].astype(object)
            spoilt.iloc[len(df) // 2, spoilt.columns.get_loc(col)] = odd
            out.append(spoilt)
    return out


def array_variants(arr) -> list:
    a = np.asarray(arr)
    out = [np.array([]), a[:-1], a[..., :1], a.astype(complex), a.astype(str), np.array([a, a]),
           a.astype(bool), list(a.ravel()[:2]), pd.Series(a.ravel())]
    if np.issubdtype(a.dtype, np.number) or a.dtype == bool:
        for odd in (NAN, -1.0, INF, 2.0, 0.5):
            b = a.astype(float).copy()
            b.flat[len(b.flat) // 2] = odd
            out.append(b)
    return out


def scenario_variants(s: es.Scenario) -> list:
    return [dataclasses.asdict(s), "LAPATINIB", s.replace(n=2), s.replace(dropout=0.99),
            s.replace(shape=0.2), s.replace(shape=5.0), s.replace(accrual=0.0, follow_up=0.5),
            s.replace(median_treatment=0.05), s.replace(median_control=500.0),
            s.replace(delay=100.0, early_hr=3.0), s.replace(allocation=0.02)]


@functools.cache
def tiny_analysis() -> es.Analysis:
    return es.analyze(trial_data().groupby("arm").head(2))


def valid_analyses() -> list:
    return [undefined_analysis(), tiny_analysis()]


def analysis_variants(_a) -> list:
    return [*valid_analyses(), trial_data(), analysis().curves["control"]]


def string_variants(s: str) -> list:
    return [s.upper(), s + " ", "nonsense", 5, [s], s.encode()]


def bool_variants(_b) -> list:
    return ["yes", 2, np.bool_(True), 0, 1.0]


def dict_variants(d: dict) -> list:
    out = [{"nope": 1}, "x", [("control", "a")], {"control": None}, {"control": 3}]
    for key in d:
        spoilt = dict(d)
        spoilt[key] = None
        out.append(spoilt)
        out.append({k: v for k, v in d.items() if k != key})
    return out


def tuple_variants(t: tuple) -> list:
    return [(), tuple(t) * 2, tuple(t)[:1], ("x",) * max(len(t), 1), (NAN,) * len(t), list(t),
            (-1,) * len(t)]


def number_variants(v) -> list:
    return [-v, v * 1e6, v + 0.5, str(v), np.float32(v), -1e-300, 1e-300]


def odd_values(value) -> list:
    """Odd replacements for ``value``: by its type, then the common pool."""
    if isinstance(value, pd.DataFrame):
        own = frame_variants(value)
    elif isinstance(value, (np.ndarray, pd.Series)):
        own = array_variants(value)
    elif isinstance(value, es.Scenario):
        own = scenario_variants(value)
    elif isinstance(value, (es.Analysis, es.KMCurve)):
        own = analysis_variants(value)
    elif isinstance(value, bool):
        own = bool_variants(value)
    elif isinstance(value, str):
        own = string_variants(value)
    elif isinstance(value, dict):
        own = dict_variants(value)
    elif isinstance(value, tuple):
        own = tuple_variants(value)
    elif isinstance(value, list) and all(isinstance(v, numbers.Real) for v in value):
        own = array_variants(value) + [sorted(value, reverse=True), [*value, *value]]
    elif isinstance(value, numbers.Real):
        own = number_variants(value)
    else:
        own = []
    return own + COMMON


def is_array(value) -> bool:
    return isinstance(value, (np.ndarray, pd.Series, list))


def names_in(value) -> set[str]:
    """Names a message may give for a value that is itself a valid container: a Scenario's
    fields, a DataFrame's columns."""
    if isinstance(value, es.Scenario):
        return {f.name for f in dataclasses.fields(value)} | {"scenario", "hazard ratio"}
    if isinstance(value, pd.DataFrame):
        return {str(c) for c in value.columns}
    return set()


# -- what every result must satisfy


def check_curve(time, survival, what):
    time, survival = np.asarray(time, float), np.asarray(survival, float)
    assert np.all(time >= 0) and np.all(np.diff(time) >= 0), f"{what}: times {time[:10]}"
    assert np.all((survival >= 0) & (survival <= 1)), f"{what}: survival {survival[:10]}"
    assert np.all(np.diff(survival) <= 1e-12), f"{what}: survival rises {survival[:10]}"


def check_counts(values, what):
    values = np.asarray(values, float)
    assert np.all(values >= 0) and np.all(values == np.round(values)), f"{what}: {values[:10]}"


def check_probability(value, what, nan_ok=True):
    value = np.asarray(value, float)
    ok = (value >= 0) & (value <= 1)
    if nan_ok:
        ok |= np.isnan(value)
    assert np.all(ok), f"{what}: {value}"


def check_km(curve: es.KMCurve):
    check_curve(curve.time, curve.survival, "KMCurve")
    for bound in (curve.lower, curve.upper):
        check_probability(bound, "KMCurve bound")
    check_counts(curve.at_risk, "at risk")
    check_counts(curve.events, "events")
    check_counts(curve.censored, "censored")
    assert np.all(np.diff(curve.at_risk) <= 0), "at risk rises"


def check_analysis(a: es.Analysis):
    assert a.total_n == sum(a.n.values()) >= 2
    for arm in a.arms:
        check_km(a.curves[arm])
        check_counts([a.n[arm], a.deaths[arm], a.censored[arm]], "n, deaths, censored")
        assert a.deaths[arm] + a.censored[arm] == a.n[arm]
    check_probability(a.logrank_p, "log-rank p")
    if math.isnan(a.hr):
        assert a.problems, "an undefined hazard ratio comes with a reason"
    else:
        assert 0 < a.hr < math.inf and a.hr_ci[0] <= a.hr <= a.hr_ci[1]
    assert isinstance(a.summary(), str) and a.summary()


TIME_COLUMNS = re.compile(r"^(time|entry|observed_until|death_at|t)$")
SURVIVAL_COLUMNS = re.compile(r"survival|power|^p$|p_value|share")
COUNT_COLUMNS = re.compile(r"^(at risk|at_risk|events|deaths|censored|event|n|n_risk|n_event|"
                           r"n_censor|patients)$")


def check_frame(df: pd.DataFrame):
    for col in df.columns:
        values = df[col]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        name = str(col)
        if TIME_COLUMNS.search(name):
            v = values.to_numpy(float)
            assert np.all((v >= 0) | (name == "death_at") & np.isposinf(v)), f"{name}: {v[:10]}"
            assert not np.isnan(v).any(), f"{name} has NaN"
        elif SURVIVAL_COLUMNS.search(name):
            check_probability(values, name)
        elif COUNT_COLUMNS.search(name):
            check_counts(values.dropna(), name)
    if {"event"} <= set(df.columns):
        assert set(np.unique(df["event"])) <= {0, 1}, "event other than 0 and 1"


def check_figure_owner(result):
    figure = getattr(result, "figure", None)
    assert isinstance(figure, matplotlib.figure.Figure)
    alt = getattr(result, "alt_text", "")
    assert isinstance(alt, str) and alt.strip(), "a figure needs a text alternative"


def check_widget(result):
    explorer = getattr(result, "explorer", result)  # a Dashboard holds its explorer
    message = getattr(explorer, "message", None)
    if message is not None:
        assert "went wrong" not in message.value, message.value
        assert "cannot be shown" not in message.value, message.value
    assert explorer.summary.value


def check_result(result):
    """The sanity checks of ``result``'s type (see the module docstring)."""
    if isinstance(result, es.Analysis):
        check_analysis(result)
    elif isinstance(result, es.KMCurve):
        check_km(result)
    elif isinstance(result, pd.DataFrame):
        check_frame(result)
    elif isinstance(result, es.PowerResult):
        check_probability(result.power, "power", nan_ok=False)
        check_probability(result.p_values, "p-values")
        assert result.ci[0] <= result.power <= result.ci[1]
    elif isinstance(result, es.ClaimReport):
        assert str(result)
        assert all(c.verdict in claims.VERDICTS for c in result.checks)
    elif isinstance(result, es.Scenario):
        t = np.linspace(0, 5 * max(result.median_control, result.median_treatment), 50)
        for arm in es.ARMS:
            check_curve(t, result.survival(t, arm), f"Scenario.survival({arm})")
        assert 0 < result.hr < math.inf
    elif isinstance(result, (widgets.TrialExplorer, widgets.CensoringExplorer,
                             widgets.KMStepper, widgets.Dashboard)) or hasattr(result, "widget"):
        check_widget(result)
    elif hasattr(result, "figure"):
        check_figure_owner(result)
    elif isinstance(result, np.ndarray):
        assert not np.isnan(result.astype(float, copy=False)).any() if result.dtype.kind in "fi" else True
    elif isinstance(result, numbers.Real):
        assert not math.isnan(result) and result >= 0, result
    elif isinstance(result, (tuple, list)):
        for item in result:
            if isinstance(item, numbers.Real):
                assert not math.isnan(item), result
    elif dataclasses.is_dataclass(result):
        for field in dataclasses.fields(result):
            value = getattr(result, field.name)
            if field.name in ("p", "p_value", "power", "share") and isinstance(value, float):
                check_probability(value, field.name)
    return result


RESULT_CHECKS = {  # what a result of these functions must be, beyond its type
    "analytic_power": lambda r: check_probability(r, "power", nan_ok=False),
    "expected_censored_share": lambda r: check_probability(r, "share", nan_ok=False),
    "censored_share_range": lambda r: (check_probability(r, "shares", nan_ok=False),
                                       r[0] <= r[1] or pytest.fail(f"range {r}")),
    "dropout_for_censored_share": lambda r: check_probability(r, "dropout", nan_ok=False),
    "Scenario.survival": lambda r: check_probability(r, "survival", nan_ok=False),
    "largest_gap": lambda r: check_probability(r, "gap", nan_ok=False),
}


# -- the property


def call(name, kwargs, replaced):
    """Call API[name] with ``kwargs``; ``replaced`` maps each odd parameter to its value."""
    fn = API[name][0]
    allowed = set(replaced) | set().union(*(names_in(v) for v in replaced.values()))
    if any(is_array(v) for v in replaced.values()):  # a length or shape may be the partner's
        allowed |= {k for k, v in kwargs.items() if is_array(v)}
    described = f"{name}({', '.join(f'{k}={v!r}' for k, v in replaced.items())})"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a warning is allowed: it says something
        try:
            result = fn(**kwargs)
        except (ValueError, TypeError) as error:
            message = str(error)
            named = [n for n in allowed if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", message)]
            # A valid object (a Scenario, an Analysis) refused for what it holds: the message
            # speaks of its content, which only a reader can judge; a TypeError never passes.
            valid_object = isinstance(error, ValueError) and any(
                isinstance(v, (es.Scenario, es.Analysis)) for v in replaced.values())
            assert named or valid_object, (f"{described} raised {type(error).__name__} naming none "
                                           f"of {sorted(allowed)}: {message}")
            return None
        except Exception as error:  # anything else is a defect: say which call
            raise AssertionError(f"{described} raised {type(error).__name__}: {error}") from error
    check_result(result)  # figures are made without pyplot: nothing to close
    if name in RESULT_CHECKS:
        RESULT_CHECKS[name](result)
    return result


@st.composite
def odd_call(draw, name):
    """Valid arguments of API[name] with one (or two) of them replaced by an odd value."""
    kwargs = {k: _copy(v) for k, v in API[name][1]().items()}
    params = list(kwargs)
    replace = draw(st.lists(st.sampled_from(params), min_size=1, max_size=min(2, len(params)),
                            unique=True)) if params else []
    replaced = {}
    for param in replace:
        # A method is called on an Analysis: only other analyses stand in for it.
        pool = valid_analyses() if param == "self" else odd_values(kwargs[param])
        replaced[param] = draw(st.sampled_from(pool))
        kwargs[param] = _copy(replaced[param])
    return kwargs, replaced


def _test_for(name):
    examples = API[name][2]

    @settings(max_examples=examples)
    @given(data=st.data())
    def property_test(data):
        kwargs, replaced = data.draw(odd_call(name), label="call")
        call(name, kwargs, replaced)

    return property_test


@pytest.mark.parametrize("name", sorted(API))
def test_odd_input_gives_a_sane_result_or_an_error_naming_the_parameter(name):
    if not API[name][1]():  # no parameter to spoil (the explorers of lessons 10 and 11)
        check_result(API[name][0]())
        return
    _test_for(name)()


@pytest.mark.parametrize("name", sorted(API))
def test_the_valid_calls_pass_their_own_checks(name):
    # The starting points are valid: otherwise every odd call would be refused for them.
    call(name, API[name][1](), {})


def test_every_public_function_is_covered_or_excluded_for_a_reason():
    covered = {fn for fn, _, _ in API.values()}
    top = {n for n in es.__all__ if callable(getattr(es, n)) and not inspect.isclass(getattr(es, n))}
    missing = [n for n in top if getattr(es, n) not in covered and n not in ("explore",)]
    assert not missing, missing  # explore: TrialExplorer plus display (covered as TrialExplorer)
    for n in reconstruct.__all__:
        obj = getattr(reconstruct, n)
        if callable(obj) and not inspect.isclass(obj) and n not in (
                "guyot_steps", "accuracy_runs", "rebuild", "lost_table", "round_trip_errors"):
            assert obj in covered, n


# -- what the suite found, each held on its own (issue 19: "Nothing silently wrong")


def _spoilt_full():
    full = cens.full_follow_up(SMALL, 1)
    full["time"] = full["time"].astype(object)
    full.iloc[3, full.columns.get_loc("time")] = "x"
    return full


def _spoilt_curve():
    curve = power_curve_frame().copy()
    curve["n"] = curve["n"].astype(object)
    curve.iloc[1, 0] = "x"
    return curve


FOUND = [  # (call, the parameter its ValueError must name), each failing before its fix
    (lambda: widgets.CensoringExplorer(horizon=1e300), "horizon"),  # matplotlib's axis error
    (lambda: plots.table_times(None), "t_max"),  # TypeError from float()
    (lambda: analysis().at_risk_table(counts=NAN), "counts"),  # 'float' is not iterable
    (lambda: plots.plot_km(analysis(), counts=NAN), "counts"),
    (lambda: plots.plot_km_pair(analysis(), analysis(), headings=NAN), "headings"),
    (lambda: plots.plot_km_pair(analysis(), analysis(), headings=()), "headings"),  # zip()
    (lambda: plots.plot_km_pair(trial_data(), analysis()), "top"),  # said "analysis"
    (lambda: plots.plot_chance_gaps(chance(), marks="x"), "marks"),  # dict() of a string
    (lambda: plots.plot_power_curve(power_curve_frame(), target={}), "target"),
    (lambda: plots.plot_power_curve(_spoilt_curve()), "curve"),  # float('x')
    (lambda: plots.plot_reconstruction(analysis(), trial_data().iloc[0:0]), "rebuilt"),
    (lambda: es.power(SMALL, n_sims=10, test=[]), "test"),  # unhashable type: 'list'
    (lambda: es.simulate_many(SMALL, n_sims=1e300), "n_sims"),  # numpy's dimension error
    (lambda: lt.life_table({}, [1, 0]), "time"),  # TypeError from float()
    (lambda: lt.life_table([1 + 2j, 2.0], [1, 0]), "time"),
    (lambda: cens.naive_estimates(_spoilt_full(), 24.0), "time"),  # '>' between str and float
    (lambda: es.check_claims(median_control=1.73e7, median_treatment=23.9, hr=0.62),
     "median_control"),  # ZeroDivisionError
    (lambda: es.check_claims(median_control=1e-300, median_treatment=23.9), "median_control"),
    (lambda: es.check_claims(n=321, median_treatment=1e-300, hr=0.7), "median_treatment"),
    (lambda: es.check_claims(median_control=17.3, hr=1e-300), "hr"),  # brentq's signs message
]


@pytest.mark.parametrize(("make", "name"), FOUND, ids=[f"{i:02d}-{n}" for i, (_, n) in enumerate(FOUND)])
def test_the_defects_the_suite_found_are_refused_naming_the_parameter(make, name):
    with pytest.raises(ValueError, match=rf"(?<!\w){name}(?!\w)"):
        make()
