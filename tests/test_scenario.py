"""Scenario: validation, derived quantities and the case study's scenario."""

import copy
import dataclasses
import math

import pytest

import edu_survival as es
from edu_survival import Scenario


def test_lapatinib_carries_the_story_numbers():
    s = es.LAPATINIB
    assert (s.n, s.median_control, s.median_treatment, s.allocation) == (321, 17.3, 23.9, 0.5)
    # FACTS.md: medians 23.9 vs 17.3 imply HR 17.3 / 23.9 = 0.724 under exponential survival.
    assert s.hr == pytest.approx(17.3 / 23.9)


def test_from_hr_round_trips_and_matches_facts():
    # FACTS.md: treatment median implied by HR 0.62 and control 17.3 is 27.9 months.
    s = Scenario.from_hr(17.3, 0.62)
    assert s.median_treatment == pytest.approx(27.9, abs=0.05)
    assert s.hr == pytest.approx(0.62)
    weibull = Scenario.from_hr(10, 0.5, shape=2.0)
    assert weibull.hr == pytest.approx(0.5)
    assert weibull.median_treatment == pytest.approx(10 * 0.5 ** -0.5)


@pytest.mark.parametrize(
    ("n", "allocation", "control", "treatment"),
    [(321, 0.5, 160, 161), (10, 0.5, 5, 5), (100, 2 / 3, 33, 67), (2, 0.5, 1, 1), (7, 0.2, 6, 1)],
)
def test_arm_sizes_are_exact(n, allocation, control, treatment):
    assert Scenario(n=n, allocation=allocation).arm_sizes == {"control": control, "treatment": treatment}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("n", 1, "at least 2"),
        ("n", 10.5, "whole number"),
        ("n", "many", "whole number"),
        ("n", True, "whole number"),
        ("median_control", 0, "> 0"),
        ("median_control", -3.0, "> 0"),
        ("median_control", math.inf, "finite"),
        ("median_treatment", math.nan, "> 0"),
        ("median_treatment", "23.9", "number"),
        ("allocation", 0, "between 0 and 1"),
        ("allocation", 1.0, "between 0 and 1"),
        ("accrual", -1, ">= 0"),
        ("follow_up", -0.5, ">= 0"),
        ("dropout", 1.0, "up to (not including) 1"),
        ("dropout", -0.1, "probability"),
        ("shape", 0, "> 0"),
        ("delay", -2, ">= 0"),
    ],
)
def test_every_field_is_validated_with_name_value_and_range(field, value, words):
    with pytest.raises(ValueError) as error:
        Scenario(**{field: value})
    message = str(error.value)
    assert field in message
    assert repr(value) in message or str(value) in message
    assert words in message


def test_analysis_time_must_be_positive():
    with pytest.raises(ValueError, match="accrual \\+ follow_up"):
        Scenario(accrual=0, follow_up=0)


def test_each_arm_needs_a_patient():
    with pytest.raises(ValueError, match="each arm needs at least one"):
        Scenario(n=3, allocation=0.1)


def test_from_hr_rejects_bad_hr():
    for bad in (0, -0.5, math.inf, "0.7"):
        with pytest.raises(ValueError, match="hr"):
            Scenario.from_hr(17.3, bad)


def test_delay_shortens_the_treatment_median_but_keeps_the_hr():
    delayed = es.LAPATINIB.replace(delay=6)
    assert delayed.hr == pytest.approx(es.LAPATINIB.hr)
    assert es.LAPATINIB.true_median("treatment") == pytest.approx(23.9)
    assert 17.3 < delayed.true_median("treatment") < 23.9
    # The true survival at the true median is one half.
    assert delayed.survival(delayed.true_median("treatment"), "treatment") == pytest.approx(0.5)


def test_survival_is_weibull_with_the_given_median():
    s = Scenario(median_control=12.0, median_treatment=18.0, shape=1.7)
    for arm, median in (("control", 12.0), ("treatment", 18.0)):
        assert s.survival(median, arm) == pytest.approx(0.5)
        assert s.time_at_cumulative_hazard(s.cumulative_hazard(7.0, arm), arm) == pytest.approx(7.0)


def test_replace_validates_again():
    with pytest.raises(ValueError, match="median_control"):
        es.LAPATINIB.replace(median_control=-1)


def test_early_hazard_ratio_makes_curves_cross():
    # Treatment doubles the hazard for 4 months, then halves it: behind early, ahead later.
    s = Scenario(median_control=12, median_treatment=24, delay=4, early_hr=2.0)
    assert s.survival(4, "treatment") < s.survival(4, "control")
    assert s.survival(60, "treatment") > s.survival(60, "control")
    # Cumulative hazard at 4 months is exactly twice the control's.
    assert s.cumulative_hazard(4, "treatment") == pytest.approx(2 * s.cumulative_hazard(4, "control"))
    times = [0.5, 3.9, 4.0, 4.1, 30.0]
    assert s.time_at_cumulative_hazard(s.cumulative_hazard(times, "treatment"), "treatment") == pytest.approx(times)
    with pytest.raises(ValueError, match="early_hr"):
        Scenario(early_hr=0)


def test_from_hr_refuses_a_treatment_median():
    with pytest.raises(ValueError, match="do not pass it"):
        Scenario.from_hr(17.3, 0.7, median_treatment=3)


def test_a_deep_copy_is_the_scenario_itself():
    # pandas deep-copies a data set's attrs for each column it hands out; a frozen scenario of
    # numbers needs no copy, and the copy a column carries is still equal to the scenario.
    s = Scenario(n=100, median_control=10.0, median_treatment=14.0, shape=1.48)
    assert copy.deepcopy(s) is s
    assert copy.deepcopy({"scenario": s})["scenario"] is s
    data = es.simulate(s, seed=3)
    assert data["time"].attrs["scenario"] == s
    assert dataclasses.fields(Scenario) and all(
        isinstance(getattr(s, f.name), (int, float)) for f in dataclasses.fields(Scenario))
