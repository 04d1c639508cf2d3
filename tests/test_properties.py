"""Property tests: any valid scenario simulates and analyses; any bad value gives ValueError."""

import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edu_survival as es
from edu_survival import Scenario


def _buildable(**kw):
    try:
        return Scenario(**kw)
    except ValueError:
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(2, 300),
    medians=st.tuples(st.floats(0.05, 500), st.floats(0.05, 500)),
    allocation=st.floats(0.01, 0.99),
    accrual=st.floats(0, 60),
    follow_up=st.floats(0, 60),
    dropout=st.floats(0, 0.999),
    shape=st.floats(0.2, 5),
    delay=st.floats(0, 24),
    early_hr=st.floats(0.1, 10),
    seed=st.integers(0, 2**32 - 1),
)
def test_valid_scenarios_simulate_and_analyse(
    n, medians, allocation, accrual, follow_up, dropout, shape, delay, early_hr, seed
):
    scenario = _buildable(
        n=n, median_control=medians[0], median_treatment=medians[1], allocation=allocation,
        accrual=accrual, follow_up=follow_up, dropout=dropout, shape=shape, delay=delay,
        early_hr=early_hr,
    )
    if scenario is None:  # e.g. accrual + follow_up == 0 or an empty arm: rejected, as it must be
        return
    df = es.simulate(scenario, seed=seed)
    assert len(df) == n
    result = es.analyze(df)
    assert result.total_n == n
    assert result.total_deaths == df.event.sum()
    if math.isnan(result.hr):
        assert result.problems, "an undefined hazard ratio must come with a reason"
    else:
        assert result.hr > 0 and result.hr_ci[0] <= result.hr <= result.hr_ci[1]
    assert isinstance(result.summary(), str)


bad_values = {
    "n": st.one_of(st.integers(max_value=1), st.floats(1.01, 1e4).filter(lambda v: v != int(v)),
                   st.text(max_size=3), st.none()),
    "median_control": st.one_of(st.floats(max_value=0), st.just(math.inf), st.just(math.nan), st.text(max_size=3)),
    "median_treatment": st.one_of(st.floats(max_value=0), st.just(-math.inf), st.just(math.nan)),
    "allocation": st.one_of(st.floats(max_value=0), st.floats(min_value=1), st.just(math.nan)),
    "accrual": st.one_of(st.floats(max_value=-1e-9), st.just(math.inf), st.just(math.nan)),
    "follow_up": st.one_of(st.floats(max_value=-1e-9), st.just(math.inf)),
    "dropout": st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1), st.just(math.nan)),
    "shape": st.one_of(st.floats(max_value=0), st.just(math.nan), st.booleans()),
    "early_hr": st.one_of(st.floats(max_value=0), st.just(math.inf), st.just(math.nan)),
    "delay": st.one_of(st.floats(max_value=-1e-9), st.just(math.inf), st.lists(st.integers(), max_size=2)),
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(bad_values)).flatmap(lambda f: st.tuples(st.just(f), bad_values[f])))
def test_bad_values_give_value_error_naming_the_field(field_and_value):
    field, value = field_and_value
    try:
        Scenario(**{field: value})
    except ValueError as error:
        assert field in str(error)
    else:
        raise AssertionError(f"Scenario({field}={value!r}) was accepted")


@settings(max_examples=80, deadline=None)
@given(
    times=st.lists(st.one_of(st.floats(-5, 100), st.just(math.nan)), min_size=2, max_size=30),
    events=st.lists(st.sampled_from([0, 1, 2, -1]), min_size=2, max_size=30),
    groups=st.lists(st.sampled_from(["a", "b", "c"]), min_size=2, max_size=30),
)
def test_analyze_gives_a_result_or_a_value_error(times, events, groups):
    k = min(len(times), len(events), len(groups))
    df = pd.DataFrame({"time": times[:k], "event": events[:k], "arm": groups[:k]})
    try:
        result = es.analyze(df)
    except ValueError:
        return
    assert result.total_n == k
