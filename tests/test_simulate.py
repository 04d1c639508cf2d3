"""simulate: arm sizes, reproducibility and agreement with the scenario within Monte Carlo error."""

import math

import numpy as np
import pytest

import edu_survival as es
from edu_survival import Scenario


def test_columns_types_and_attrs():
    df = es.simulate(es.LAPATINIB, seed=1)
    assert list(df.columns) == ["patient", "arm", "entry", "time", "event", "reason"]
    assert df.attrs["scenario"] is es.LAPATINIB
    assert set(df.arm) == {"control", "treatment"}
    assert set(df.event) <= {0, 1}
    assert (df.time >= 0).all()
    # Nobody is followed beyond the analysis date.
    assert (df.entry + df.time <= es.LAPATINIB.analysis_time + 1e-9).all()
    assert ((df.event == 1) == (df.reason == "death")).all()
    # Without dropout, every censoring is the end of the study.
    assert set(df.reason[df.event == 0]) == {"end of study"}


@pytest.mark.parametrize(("n", "allocation"), [(321, 0.5), (50, 0.3), (1001, 0.75), (2, 0.5)])
def test_arm_sizes_exact(n, allocation):
    scenario = es.LAPATINIB.replace(n=n, allocation=allocation)
    counts = es.simulate(scenario, seed=3).arm.value_counts().to_dict()
    assert counts == scenario.arm_sizes


def test_same_seed_same_data_other_seed_other_data():
    a, b = es.simulate(es.LAPATINIB, seed=42), es.simulate(es.LAPATINIB, seed=42)
    assert a.equals(b)
    assert not a.equals(es.simulate(es.LAPATINIB, seed=43))


def test_medians_without_censoring_within_monte_carlo_error():
    # Everyone enrolled at once and followed until death: the empirical median estimates the
    # scenario's. SE of a sample median = 0.5 / (sqrt(n) f(m)), with f(m) = 0.5 ln2 / m for the
    # exponential; we allow 4 SE (a false alarm about 1 in 16,000 runs).
    scenario = Scenario(n=4000, median_control=17.3, median_treatment=23.9, accrual=0, follow_up=1e6)
    df = es.simulate(scenario, seed=7)
    assert df.event.all()
    for arm, median in (("control", 17.3), ("treatment", 23.9)):
        times = df.time[df.arm == arm]
        se = 0.5 / (math.sqrt(len(times)) * 0.5 * math.log(2) / median)
        assert abs(times.median() - median) < 4 * se


@pytest.mark.parametrize(
    "scenario",
    [
        es.LAPATINIB.replace(n=20000),
        es.LAPATINIB.replace(n=20000, dropout=0.2),
        es.LAPATINIB.replace(n=20000, shape=1.6, accrual=12, follow_up=6),
        es.LAPATINIB.replace(n=20000, shape=0.7, delay=6, dropout=0.1, allocation=0.3),
        es.LAPATINIB.replace(n=20000, accrual=0, follow_up=12),
    ],
    ids=["case study", "dropout", "weibull 1.6", "delay, shape 0.7", "no accrual"],
)
def test_deaths_match_expected_events_within_monte_carlo_error(scenario):
    df = es.simulate(scenario, seed=11)
    for arm, size in scenario.arm_sizes.items():
        p = es.design.death_probability(scenario, arm)
        observed = df.event[df.arm == arm].sum()
        se = math.sqrt(size * p * (1 - p))
        assert abs(observed - size * p) < 4 * se, (arm, observed, size * p, se)


def test_dropout_produces_losses_to_follow_up_at_the_expected_rate():
    # With a 30% annual dropout and no deaths to speak of (huge medians), the share lost
    # within the first year of follow-up of patients is about 30%.
    scenario = Scenario(n=20000, median_control=1e6, median_treatment=1e6, accrual=0,
                        follow_up=12, dropout=0.3)
    df = es.simulate(scenario, seed=5)
    lost = (df.reason == "lost to follow-up").mean()
    se = math.sqrt(0.3 * 0.7 / len(df))
    assert abs(lost - 0.3) < 4 * se


def test_delayed_effect_matches_true_median():
    scenario = Scenario(n=6000, median_control=12, median_treatment=24, accrual=0, follow_up=1e6, delay=6)
    df = es.simulate(scenario, seed=9)
    times = df.time[df.arm == "treatment"]
    m = scenario.true_median("treatment")
    # density at the true median: S(m) * hazard(m) = 0.5 * hr * ln2 / 12 after the delay
    f = 0.5 * scenario.hr * math.log(2) / 12
    assert abs(times.median() - m) < 4 * 0.5 / (math.sqrt(len(times)) * f)


def test_rejects_non_scenarios():
    with pytest.raises(ValueError, match="scenario must be"):
        es.simulate({"n": 10})


def test_seed_changes_nothing_but_the_draw():
    df = es.simulate(es.LAPATINIB, seed=np.int64(5))
    assert len(df) == 321


def test_crossing_scenario_deaths_match_expected_events():
    scenario = Scenario(n=20000, median_control=17.3, median_treatment=31.5, delay=4, early_hr=2.5)
    df = es.simulate(scenario, seed=4)
    for arm, size in scenario.arm_sizes.items():
        p = es.design.death_probability(scenario, arm)
        observed = df.event[df.arm == arm].sum()
        assert abs(observed - size * p) < 4 * math.sqrt(size * p * (1 - p))
