"""Issue 9's odd inputs: degenerate log-rank tests, look-alike arms, KMStepper and seed boxes."""

import warnings

import pandas as pd
import pytest
from lifelines.statistics import logrank_test

import edu_survival as es
from edu_survival.widgets import CensoringExplorer, KMStepper, TrialExplorer

DEGENERATE = {
    "20 patients all dying at month 5": pd.DataFrame(
        {"time": [5.0] * 20, "event": [1] * 20, "arm": ["control"] * 10 + ["treatment"] * 10}),
    "deaths only after the other arm has left": pd.DataFrame(
        {"time": [10.0] * 5 + [1.0] * 5, "event": [1] * 5 + [0] * 5,
         "arm": ["control"] * 5 + ["treatment"] * 5}),
}


@pytest.mark.parametrize("name", DEGENERATE)
def test_engines_agree_on_degenerate_log_rank(name):
    data = DEGENERATE[name]
    treated = (data.arm == "treatment").to_numpy()
    reference = logrank_test(data.time[~treated], data.time[treated], data.event[~treated], data.event[treated])
    results = {engine: es.analyze(data, engine=engine) for engine in ("lifelines", "numpy")}
    for result in results.values():
        assert result.logrank_p == reference.p_value == 1.0
        assert result.logrank_chi2 == reference.test_statistic
        assert any("log-rank test has no information" in p for p in result.problems)
        assert "Log-rank p = 1.0" in result.summary()
    assert results["lifelines"].problems == results["numpy"].problems


def test_ordinary_trial_has_no_log_rank_problem():
    result = es.analyze(es.simulate(es.LAPATINIB, seed=1), engine="numpy")
    assert not any("log-rank" in p for p in result.problems)


def test_group_values_that_print_alike_are_refused():
    data = pd.DataFrame({"time": [1.0, 2, 3, 4], "event": [1, 0, 1, 0], "grp": [1, "1", 1, "1"]})
    with pytest.raises(ValueError, match=r"group column 'grp' holds values that print alike.*\[1, '1'\]"):
        es.analyze(data, group="grp")


def test_boolean_control_on_an_integer_column_is_refused():
    data = pd.DataFrame({"time": [1.0, 2, 3, 4], "event": [1, 0, 1, 0], "arm": [1, 0, 1, 0]})
    with pytest.raises(ValueError, match="control=True is a bool but group column 'arm' holds int values; "
                                         "pass control=1"):
        es.analyze(data, control=True)
    assert es.analyze(data, control=1).arms == (1, 0)
    flags = data.assign(arm=data.arm.astype(bool))
    assert es.analyze(flags, control=True).arms == (True, False)


@pytest.mark.parametrize(("data", "words"), [
    (pd.DataFrame({"time": ["3", "5"], "event": [1, 0]}), "duration column 'time' must be numeric"),
    (pd.DataFrame({"time": [3.0, -5.0], "event": [1, 0]}), "finite times >= 0"),
    (pd.DataFrame({"time": [3.0, 5.0], "event": [1, 2]}), "event column 'event' must hold only"),
    (pd.DataFrame({"time": [], "event": []}), "data has no rows"),
])
def test_km_stepper_validates_as_analyze_does(data, words):
    with pytest.raises(ValueError, match=words):
        KMStepper(data)


def test_km_stepper_all_times_zero_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stepper = KMStepper(pd.DataFrame({"time": [0.0, 0.0, 0.0], "event": [1, 0, 1]}))
        stepper.buttons["next"].click()
    assert stepper.km_ax.get_xlim()[1] > 0
    assert stepper.current_survival == pytest.approx(1 - 2 / 3)


def test_km_stepper_one_patient_is_singular():
    stepper = KMStepper(pd.DataFrame({"time": [4.0], "event": [1]}))
    assert stepper.summary_text.startswith("The 1 patient starts alive")
    assert "1 patients" not in stepper.summary_text
    stepper.buttons["next"].click()
    assert "at 4 months 1 patient was at risk; 1 died" in stepper.summary_text
    assert stepper.current_survival == 0.0


@pytest.mark.parametrize("widget", [TrialExplorer, CensoringExplorer])
# The box's maximum is 2**31 - 1; before, "New trial" asked for 2**31, the box clamped it back and
# nothing happened. The explorer's seed attribute follows the box (the trial shown is seed 0's).
def test_new_trial_at_the_largest_seed_wraps_around(widget):
    explorer = widget(seed=2**31 - 1)
    button = explorer.buttons["new_trial" if widget is TrialExplorer else "new_patients"]
    button.click()
    assert explorer.controls["seed"].value == 0 and explorer.seed == 0
