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


# ----- issue 19 ----------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "words"), [
    # item 4: (17.3 / 23.9) ** 1e12 is 0: simulate then divided by it
    ({"shape": 1e12}, r"shape=1000000000000.0 give a hazard ratio .* outside what floating point can simulate"),
    ({"median_control": 1e-300, "median_treatment": 1e300}, r"about 1e-600, outside what floating point"),
    ({"median_control": 1e300, "median_treatment": 1e-300}, r"about 1e\+600, outside"),
    ({"shape": 1e-12}, r"shape=1e-12 give a Weibull scale that cannot be computed"),
])
def test_scenario_refuses_a_hazard_ratio_that_floating_point_cannot_hold(changes, words):
    with pytest.raises(ValueError, match=words):
        es.LAPATINIB.replace(**changes)


def test_scenario_near_the_limits_still_simulates():
    steep = es.LAPATINIB.replace(shape=80)
    assert 0 < steep.hr < 1e-11
    flat = es.LAPATINIB.replace(shape=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # infinite death times (never reached) are not an overflow
        data = es.simulate(flat, seed=1)
    assert data.time.between(0, flat.analysis_time).all()


@pytest.mark.parametrize("method", ["survival", "cumulative_hazard", "time_at_cumulative_hazard"])
@pytest.mark.parametrize("value", [-1, [0.0, -0.5], float("nan"), "soon"])
def test_scenario_curves_refuse_negative_or_nan_times(method, value):
    # item 4: LAPATINIB.survival(-1) was 1.041, a probability above 1
    name = "h" if method == "time_at_cumulative_hazard" else "t"
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        getattr(es.LAPATINIB, method)(value, "treatment")


def test_scenario_survival_at_zero_and_infinity():
    assert es.LAPATINIB.survival([0.0, float("inf")], "control").tolist() == [1.0, 0.0]


def test_simulate_refuses_a_trial_too_large_for_memory():
    # item 5's MemoryError, for the simulation itself
    with pytest.raises(ValueError, match=r"scenario's n must be at most 10,000,000 .* got n=1,000,000,000,000"):
        es.simulate(es.LAPATINIB.replace(n=10**12), seed=1)


def test_guyot_refuses_an_n_too_large_for_memory():
    # item 5: 10**12 at risk asked numpy for 745 GiB
    from edu_survival.reconstruct import guyot

    curve = pd.DataFrame({"time": [0, 1, 2, 3, 4, 5], "survival": [1, .8, .8, .6, .6, .45]})
    table = pd.DataFrame({"time": [0, 2, 4], "at_risk": [10**12, 7 * 10**11, 4 * 10**11]})
    with pytest.raises(ValueError, match=r"at_risk at time 0 \(the arm's n\) must be at most 1,000,000 .*"
                                         r"got n=1,000,000,000,000"):
        guyot(curve, table)


@pytest.mark.parametrize("lesson", [99, "99", -1])
def test_exercises_of_a_lesson_that_does_not_exist(lesson):
    # item 12: exercises(lesson=99) was an empty table
    from edu_survival.exercises import exercises

    with pytest.raises(ValueError, match=r"there is no lesson (99|-1) with exercises; .*\(0 to 11\)"):
        exercises(lesson=lesson)


@pytest.mark.parametrize("lesson", [True, 3.5, "three", float("nan")])
def test_exercises_lesson_must_be_a_lesson_number(lesson):
    from edu_survival.exercises import exercises

    with pytest.raises(ValueError, match="lesson must be the number of a lesson with exercises"):
        exercises(lesson=lesson)


def test_exercises_lesson_as_number_or_text():
    from edu_survival.exercises import exercises

    assert exercises(lesson=3).index.tolist() == exercises(lesson="03").index.tolist() != []
    assert set(exercises(lesson=3.0)["lesson"]) == {3}


@pytest.mark.parametrize("horizon", [float("nan"), -1.0, float("inf"), "6", None])
def test_naive_survival_refuses_a_horizon_that_is_not_a_time(horizon):
    # item 12: horizon=nan was accepted (every comparison with NaN is False)
    from edu_survival.censoring import naive_survival

    with pytest.raises(ValueError, match="^horizon must be"):
        naive_survival([2, 3, 5, 9], [1, 0, 1, 0], horizon, "share who died")
