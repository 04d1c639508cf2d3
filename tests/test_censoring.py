"""censoring and lifetable: the statistics behind the censoring explorer and the KM stepper."""

import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

import edu_survival as es
from edu_survival.censoring import (
    MAX_DROPOUT,
    censored_share_range,
    dropout_for_censored_share,
    expected_censored_share,
    full_follow_up,
    naive_estimates,
    naive_survival,
)
from edu_survival.lifetable import example_patients, life_table


@pytest.mark.parametrize("scenario", [
    es.LAPATINIB,
    es.LAPATINIB.replace(dropout=0.3),
    es.LAPATINIB.replace(accrual=6, follow_up=3, dropout=0.1),
])
def test_expected_censored_share_matches_simulation(scenario):
    _, event, _ = es.simulate_many(scenario, 2000, seed=1)
    simulated = 1 - event.mean()
    # 2,000 x 321 patients: the Monte Carlo SE of the share is well under 0.002.
    assert expected_censored_share(scenario) == pytest.approx(simulated, abs=0.006)


@pytest.mark.parametrize("share", [0.35, 0.5, 0.8])
def test_dropout_for_censored_share_round_trip(share):
    dropout = dropout_for_censored_share(es.LAPATINIB, share)
    assert 0 < dropout < MAX_DROPOUT
    assert expected_censored_share(es.LAPATINIB.replace(dropout=dropout)) == pytest.approx(share, abs=1e-8)
    # and in simulated trials
    _, event, _ = es.simulate_many(es.LAPATINIB.replace(dropout=dropout), 1000, seed=2)
    assert 1 - event.mean() == pytest.approx(share, abs=0.01)


def test_dropout_for_censored_share_edges_and_errors():
    low, high = censored_share_range(es.LAPATINIB)
    assert low == pytest.approx(expected_censored_share(es.LAPATINIB))
    assert dropout_for_censored_share(es.LAPATINIB, low) == 0.0
    assert dropout_for_censored_share(es.LAPATINIB, high) == MAX_DROPOUT
    # the scenario's own dropout does not matter
    assert dropout_for_censored_share(es.LAPATINIB.replace(dropout=0.5), 0.5) == pytest.approx(
        dropout_for_censored_share(es.LAPATINIB, 0.5))
    with pytest.raises(ValueError, match=r"share must be between 30% and 88% for this design.*got 10%"):
        dropout_for_censored_share(es.LAPATINIB, 0.1)
    with pytest.raises(ValueError, match="share must be a proportion from 0 to 1"):
        dropout_for_censored_share(es.LAPATINIB, 1.5)
    with pytest.raises(ValueError, match="share must be a number"):
        dropout_for_censored_share(es.LAPATINIB, "half")
    with pytest.raises(ValueError, match="scenario must be an edu_survival.Scenario"):
        expected_censored_share(None)


@pytest.mark.parametrize("scenario", [es.LAPATINIB, es.LAPATINIB.replace(dropout=0.4, shape=1.5)])
def test_full_follow_up_is_the_same_patients(scenario):
    observed = es.simulate(scenario, seed=5)
    full = full_follow_up(scenario, seed=5)
    pd.testing.assert_frame_equal(full[observed.columns], observed)
    assert full.attrs["scenario"] == scenario
    seen = full.event == 1
    np.testing.assert_array_equal(full.death_time[seen], full.time[seen])
    assert (full.death_time[~seen] > full.time[~seen]).all()
    np.testing.assert_allclose(full.death_at, full.entry + full.death_time)
    assert (full.observed_until <= scenario.analysis_time + 1e-9).all()
    # Unseen deaths come after the censoring: deaths are what they would have been.
    longer = es.simulate(scenario.replace(follow_up=scenario.follow_up + 1000, dropout=0.0), seed=5)
    np.testing.assert_allclose(full.death_time, longer.time)


def test_full_follow_up_deaths_follow_the_model():
    full = full_follow_up(es.LAPATINIB.replace(n=4000), seed=1)
    for arm in ("control", "treatment"):
        deaths = full.death_time[full.arm == arm]
        assert np.median(deaths) == pytest.approx(es.LAPATINIB.true_median(arm), rel=0.06)


def test_naive_estimates_without_early_censoring_all_agree():
    # No dropout, 24 months minimum follow-up: nobody is censored before 24 months.
    table = naive_estimates(full_follow_up(es.LAPATINIB, seed=1), 24)
    for arm in ("control", "treatment"):
        sample = table.loc[(arm, "same patients, full follow-up"), "survival"]
        assert table.loc[(arm, "Kaplan–Meier"), "survival"] == pytest.approx(sample)
        assert table.loc[(arm, "share who died"), "survival"] == pytest.approx(sample)
        assert table.loc[(arm, "truth"), "survival"] == pytest.approx(es.LAPATINIB.survival(24, arm))
        # nobody was censored before the horizon, so there is nobody to drop
        assert table.loc[(arm, "drop censored"), "survival"] == pytest.approx(sample)


def test_naive_estimates_biases_over_many_trials():
    scenario = es.LAPATINIB.replace(dropout=0.4, n=200)
    errors = pd.concat([naive_estimates(full_follow_up(scenario, seed), 30)["error"]
                        for seed in range(40)], axis=1).mean(axis=1)
    for arm in ("control", "treatment"):
        assert abs(errors[(arm, "Kaplan–Meier")]) < 0.02
        assert errors[(arm, "share who died")] > 0.1  # censored counted as survivors: too rosy
        assert errors[(arm, "drop censored")] < -0.1  # survivors dropped: too grim


def test_naive_estimates_errors():
    full = full_follow_up(es.LAPATINIB, seed=1)
    with pytest.raises(ValueError, match="horizon must be > 0"):
        naive_estimates(full, 0)
    with pytest.raises(ValueError, match="full must be the DataFrame from full_follow_up"):
        naive_estimates(es.simulate(es.LAPATINIB, 1), 12)


# ----- life table --------------------------------------------------------------------------
def test_life_table_equals_lifelines_with_ties():
    time = [1, 2, 2, 2, 3, 5, 5, 8, 9, 9]
    event = [1, 1, 1, 0, 0, 1, 0, 1, 0, 0]
    table = life_table(time, event).set_index("time")
    kmf = KaplanMeierFitter().fit(time, event)
    events = kmf.event_table.drop(index=0.0, errors="ignore")
    np.testing.assert_array_equal(table.index, events.index)
    np.testing.assert_array_equal(table.at_risk, events.at_risk)
    np.testing.assert_array_equal(table.deaths, events.observed)
    np.testing.assert_array_equal(table.censored, events.censored)
    np.testing.assert_allclose(table.survival, kmf.survival_function_.iloc[1:, 0], rtol=1e-12)
    assert table.loc[2, "factor_text"] == "1 - 2/9 = 0.778"
    assert table.loc[2, "product_text"] == "0.900 × 0.778 = 0.700"


def test_life_table_errors():
    with pytest.raises(ValueError, match="same length"):
        life_table([1, 2], [1])
    with pytest.raises(ValueError, match="event must hold only 0"):
        life_table([1, 2], [1, 2])
    with pytest.raises(ValueError, match="time must hold finite times >= 0"):
        life_table([-1, 2], [1, 1])


def test_example_patients():
    df = example_patients()
    assert len(df) == 12 and set(df.event) == {0, 1}
    assert df.patient.tolist() == list(range(1, 13))
    assert (df.time > 0).all()
    assert "not patient data" in df.attrs["source"]
    pd.testing.assert_frame_equal(df, example_patients())  # the same every time
    with pytest.raises(ValueError, match="n must be a whole number of patients from 2 to 40"):
        example_patients(100)


# ----- no number where there is no answer --------------------------------------------------
def _full(arms):
    """A hand-made full_follow_up table: {arm: (times, events)}, deaths after censoring at 99."""
    rows = [{"arm": arm, "time": t, "event": e, "death_time": t if e else 99.0}
            for arm, (times, events) in arms.items() for t, e in zip(times, events, strict=True)]
    return pd.DataFrame(rows)


def test_kaplan_meier_is_nan_beyond_the_last_observed_time():
    # control: the last patient at risk dies at 8, after one was censored at 5; treatment: no
    # censoring, everyone's death is known.
    full = _full({"control": ([2, 5, 8], [1, 0, 1]), "treatment": ([1, 2], [1, 1])})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        beyond = naive_estimates(full, 10)
        at_last = naive_estimates(full, 8)
    # Beyond 8 months nobody is at risk and the patient censored at 5 may be alive: unknown,
    # although the curve's last step (1 - 1/1) would say 0.
    assert np.isnan(beyond.loc[("control", "Kaplan–Meier"), "survival"])
    assert np.isnan(beyond.loc[("control", "Kaplan–Meier"), "error"])
    assert beyond.attrs["last_time"] == {"control": 8.0, "treatment": 2.0}
    # Without censoring every death is known: nobody is alive.
    assert beyond.loc[("treatment", "Kaplan–Meier"), "survival"] == 0.0
    # At the last time itself one patient is at risk: (2/3 alive after 2) x (0/1 after 8) = 0.
    assert at_last.loc[("control", "Kaplan–Meier"), "survival"] == 0.0
    # At 6 months: 2/3 survive month 2, nobody dies at 5.
    assert naive_estimates(full, 6).loc[("control", "Kaplan–Meier"), "survival"] == pytest.approx(2 / 3)


def test_drop_censored_with_nobody_kept_is_nan_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0/0 must not warn
        assert np.isnan(naive_survival([2, 3], [0, 0], 6, "drop censored"))
        table = naive_estimates(_full({"control": ([2, 3], [0, 0]), "treatment": ([4], [1])}), 6)
    assert np.isnan(table.loc[("control", "drop censored"), "survival"])
    assert table.loc[("treatment", "drop censored"), "survival"] == 0.0


def test_explorer_builds_and_answers_at_shape_0_1():
    # Issue 9: at shape 0.1 the explorer took minutes per slider move (the censored-share range
    # was integrated numerically, nested). The time is measured in benchmarks/bench_design.py;
    # here the answers must be right.
    from edu_survival.widgets import TrialExplorer

    scenario = es.LAPATINIB.replace(shape=0.1)
    explorer = TrialExplorer(scenario)
    low, high = censored_share_range(scenario)
    explorer.controls["censoring_mode"].value = "share"
    slider = explorer.controls["share_censored"]
    assert low - 0.01 <= slider.min and slider.max <= high + 0.01
    target = round((slider.min + slider.max) / 2, 2)
    slider.value = target
    assert explorer.scenario.shape == 0.1
    assert expected_censored_share(explorer.scenario) == pytest.approx(target, abs=1e-8)
    explorer.controls["n"].value = 200
    assert explorer.analysis.total_n == 200
