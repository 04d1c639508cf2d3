"""Issue 19's analysis reproducers: each call gives a right answer or a ValueError naming the
parameter, the value and what is allowed (items 1, 3, 6 and 7)."""

import math

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

import edu_survival as es
from edu_survival.analyze import kaplan_meier


@pytest.fixture(scope="module")
def trial():
    return es.simulate(es.LAPATINIB, seed=1)


@pytest.fixture(scope="module")
def analysis(trial):
    return es.analyze(trial)


# ----- item 1: hr_by_period when one period's deaths all fall in one arm ----------------------
def test_hr_by_period_says_undefined_when_a_period_has_deaths_in_one_arm_only():
    data = es.simulate(es.LAPATINIB.replace(n=60), seed=1)
    result = es.analyze(data).hr_by_period(1.0)  # was: OverflowError: math range error
    early = data[(data.time <= 1.0) & (data.event == 1)]
    assert early.arm.nunique() == 1  # the reproducer's situation
    empty = "treatment" if (early.arm == "control").all() else "control"
    before, after = result.table.iloc[0], result.table.iloc[1]
    assert math.isnan(before.hr) and math.isnan(before.lower) and math.isnan(before.p)
    assert before.deaths == len(early)
    assert result.problems == (f"No deaths in the {empty} arm in the first 1 months: hazard ratio "
                               "undefined there (the Cox model cannot estimate a ratio with zero).",)
    assert "undefined in the first 1 months" in result.sentence and result.problems[0] in result.sentence
    assert "Under proportional hazards" not in result.sentence
    # The other period is still estimated, and equals lifelines' fit of the patients alive at 1.
    late = data[data.time > 1.0].assign(entry=1.0, x=lambda d: (d.arm == "treatment") * 1.0)
    fit = CoxPHFitter().fit(late[["time", "event", "x", "entry"]], "time", "event", entry_col="entry",
                            fit_options={"precision": 1e-20, "r_precision": 0})
    assert after.hr == pytest.approx(math.exp(fit.params_["x"]), rel=1e-9)
    assert "nan" not in str(result).split("\n")[-1]


# ----- item 3: kaplan_meier validates its inputs ---------------------------------------------
@pytest.mark.parametrize(("time", "event", "kwargs", "words"), [
    ([1.0, np.nan, 3.0], [1, 0, 1], {}, r"time must hold finite times >= 0; 1 do not \(first: nan at position 1\)"),
    ([1.0, -2.0, 3.0], [1, 0, 1], {}, r"time must hold finite times >= 0.*-2.0 at position 1"),
    ([1.0, np.inf], [1, 0], {}, "time must hold finite times >= 0"),
    ([1.0, 2.0, 3.0], [1, 2, 0], {}, r"event must hold only 0 \(censored\) and 1 \(death\); found \[2\]"),
    ([1.0, 2.0], [1, np.nan], {}, r"event must hold only 0 .* found \[nan\]"),
    ([1.0, 2.0, 3.0], [1, 0], {}, "time and event must have the same length; got 3 and 2"),
    ([1.0, 2.0], [1, 0], {"alpha": 2}, "alpha must be strictly between 0 and 1; got 2.0"),
    ([1.0, 2.0], [1, 0], {"alpha": 0}, "alpha must be strictly between 0 and 1; got 0.0"),
    ([1.0, 2.0], [1, 0], {"alpha": "0.05"}, "alpha must be a number"),
    (["1", "2"], [1, 0], {}, "time must hold numbers"),
    ([1 + 2j, 2.0], [1, 0], {}, "time must hold numbers"),
    ([[1.0, 2.0]], [[1, 0]], {}, "time must be one-dimensional"),
    ("12", [1, 0], {}, "time must be an array of numbers"),
    ([1.0, 2.0], ["yes", "no"], {}, "event must hold 0"),
])
def test_kaplan_meier_refuses_bad_input(time, event, kwargs, words):
    with pytest.raises(ValueError, match=words):
        kaplan_meier(time, event, **kwargs)


def test_kaplan_meier_accepts_booleans_floats_and_series():
    reference = kaplan_meier([2.0, 3.0, 3.0, 5.0], [1, 1, 0, 1])
    for event in ([True, True, False, True], [1.0, 1.0, 0.0, 1.0], pd.Series([1, 1, 0, 1])):
        curve = kaplan_meier(pd.Series([2, 3, 3, 5]), event)
        np.testing.assert_array_equal(curve.survival, reference.survival)
    assert es.kaplan_meier([], []).survival.tolist() == [1.0]


# ----- item 6: at_risk_table refuses negative and NaN times -------------------------------------
@pytest.mark.parametrize("times", [[-1, 0, 6], [0, np.nan], [0, np.inf], ["0", "6"], [[0, 6]]])
def test_at_risk_table_refuses_bad_times(analysis, times):
    with pytest.raises(ValueError, match="times must be"):
        analysis.at_risk_table(times=times)


def test_at_risk_table_accepts_one_time_and_one_count(analysis):
    table = analysis.at_risk_table(times=12, counts="events")
    assert table.columns.tolist() == ["12"]
    assert table.loc[("control", "events"), "12"] == int(
        ((analysis.data.arm == "control") & (analysis.data.event == 1) & (analysis.data.time <= 12)).sum())


# ----- item 7: analyze's other mistakes ---------------------------------------------------------
@pytest.mark.parametrize(("change", "kwargs", "words"), [
    (None, {"duration": ["time"]}, r"duration must be one column name, such as duration='time'; got \['time'\]"),
    (None, {"event": None}, "event must be one column name"),
    (None, {"group": {"arm"}}, "group must be one column name"),
    (None, {"event": "time"}, "three different columns"),
    (lambda d: d.assign(time=d.time + 0j), {}, r"duration column 'time' must be numeric \(real months\)"),
    (None, {"unit": 5}, "unit must be a non-empty string such as 'months' or 'days'; got 5"),
    (None, {"unit": " "}, "unit must be a non-empty string"),
    (lambda d: pd.concat([d, d[["time"]]], axis=1), {}, "data has 2 columns named 'time'; keep one"),
    (None, {"labels": {"control": None}}, r"labels must give each arm a non-empty string name; got \{'control': None\}"),
    (None, {"labels": {"treatment": ""}}, "labels must give each arm a non-empty string"),
    (None, {"labels": ["placebo", "lapatinib"]}, "labels must be a dict from arm to name"),
    (None, {"time_label": 3}, "time_label must be a non-empty string"),
    (None, {"conf_type": "R"}, "conf_type must be one of"),
    (None, {"alpha": None}, "alpha must be a number"),
    (None, {"rmst_horizon": "24"}, "rmst_horizon must be a number"),
])
def test_analyze_names_the_mistake(trial, change, kwargs, words):
    data = trial if change is None else change(trial)
    with pytest.raises(ValueError, match=words):
        es.analyze(data, **kwargs)


def test_analyze_accepts_integer_column_names_and_string_labels():
    data = pd.DataFrame({0: [1.0, 2, 3, 4], 1: [1, 0, 1, 1], 2: ["a", "a", "b", "b"]})
    result = es.analyze(data, duration=0, event=1, group=2, labels={"b": "new drug"}, unit="weeks")
    assert result.labels == {"a": "a", "b": "new drug"} and "weeks" in result.summary()
