"""The helpers the lessons call: checked against hand calculations, closed forms and FACTS.md."""

import math

import numpy as np
import pandas as pd
import pytest

import edu_survival as es
from edu_survival import teaching as t


def test_story_figures_and_the_puzzle():
    # FACTS.md: 17.3 / 23.9 = 0.724 (27.6% reduction); 23.9 / 17.3 = 1.38; HR 0.62 -> 27.9 and 14.8 months
    assert t.STORY.hr_from_medians == pytest.approx(0.7238, abs=1e-4)
    assert t.STORY.reduction_from_medians == pytest.approx(0.276, abs=1e-3)
    assert t.STORY.median_ratio == pytest.approx(1.3815, abs=1e-4)
    assert t.STORY.hr_reported == pytest.approx(0.62)
    text = t.median_puzzle()
    for piece in ("0.724", "28%", "1.38", "27.9", "14.8", "0.62"):
        assert piece in text
    summary = t.story_summary()
    assert "321" in summary and "p-value" in summary and "MedNews" in summary


def test_tiny_trial_life_table_by_hand():
    table = t.life_table(t.tiny_trial()).set_index("time")
    # the rows lesson 02 reads in its prose
    assert table.loc[5.0, "at risk"] == 9 and table.loc[5.0, "died"] == 2
    assert table.loc[3.0, "censored"] == 1 and table.loc[3.0, "died"] == 0
    by_hand = 11 / 12 * 9 / 10 * 7 / 9 * 5 / 6
    assert table.loc[8.0, "survival"] == pytest.approx(by_hand)
    assert t.km_at(t.tiny_trial(), 8) == pytest.approx(by_hand)
    assert t.km_median(t.tiny_trial()) == 11.0  # survival 0.401 at 11, 0.535 at 10
    # the two naive answers lesson 02 contrasts with KM
    assert t.naive_share_alive(t.tiny_trial(), 8, "alive") == pytest.approx(7 / 12)
    assert t.naive_share_alive(t.tiny_trial(), 8, "dropped") == pytest.approx(5 / 10)
    assert t.naive_medians(t.tiny_trial()) == {"all times": 7.5, "death times only": 5.0}
    with pytest.raises(ValueError, match="censored must be"):
        t.naive_share_alive(t.tiny_trial(), 8, "ignored")


def test_life_table_matches_lifelines():
    from lifelines import KaplanMeierFitter

    tiny = t.tiny_trial()
    kmf = KaplanMeierFitter().fit(tiny["time"], tiny["event"])
    ours = t.life_table(tiny)["survival"].to_numpy()
    np.testing.assert_allclose(ours, kmf.survival_function_.iloc[:, 0].to_numpy(), atol=1e-12)


def test_follow_up_table_and_naive_summaries():
    data = es.simulate(es.LAPATINIB.replace(dropout=0.2), seed=3)
    table = t.follow_up_table(data)
    assert table["patients"].sum() == 321
    assert (table["patients"] == table.iloc[:, 1:].sum(axis=1)).all()
    assert table["lost to follow-up"].sum() > 0
    naive = t.naive_summaries(data)
    # the average recorded time is far below the true mean survival (median / ln 2)
    for arm in ("control", "treatment"):
        assert naive.loc[arm, "mean time (everyone)"] < naive.loc[arm, "true median"] / math.log(2) * 0.8
        assert naive.loc[arm, "share who died"] == pytest.approx(data[data.arm == arm].event.mean(), abs=1e-3)


def test_hazard_rates_and_per_100():
    assert t.hazard_from_median(17.3) == pytest.approx(math.log(2) / 17.3)
    with pytest.raises(ValueError):
        t.hazard_from_median(0)
    result = t.simulated_trial(seed=1)
    rates = t.crude_rates(result)
    deaths = rates["deaths"].sum()
    assert deaths == result.total_deaths
    assert t.rate_ratio(result) == pytest.approx(result.hr, rel=0.05)
    d = t.deaths_per_100(hr=0.62, months=24)
    surv_c = math.exp(-math.log(2) / 17.3 * 24)
    assert d["control"] == pytest.approx(100 * (1 - surv_c))
    assert d["treatment"] == pytest.approx(100 * (1 - surv_c**0.62))
    assert d["fewer deaths"] < 20  # nowhere near 38
    assert "not 38" in t.absolute_sentence(0.62)


def test_observed_expected_and_logrank():
    result = t.simulated_trial(seed=1)
    table = t.observed_expected(result)
    assert table["observed deaths (O)"].sum() == result.total_deaths
    assert table["expected if no difference (E)"].sum() == pytest.approx(result.total_deaths, abs=0.1)
    # FACTS.md: z 2.42 (p 0.016) for HR 0.724 with 224 deaths; z 3.58 (p 0.0003) for HR 0.62
    assert t.expected_logrank_z(0.724, 224) == pytest.approx(2.42, abs=0.005)
    assert t.p_from_z(t.expected_logrank_z(0.724, 224)) == pytest.approx(0.016, abs=0.0005)
    assert t.expected_logrank_z(0.62, 224) == pytest.approx(3.58, abs=0.005)
    assert "chi-square" in t.logrank_sentence(result)


def test_significance_vs_size_shows_the_contrast():
    # lesson 05 cell 36: the huge trial makes a tiny effect "significant"; the small trial leaves a
    # large effect inconclusive, its interval reaching from a big benefit past 1
    trials = t.significance_trials()
    huge, small = trials["huge trial, tiny effect"], trials["small trial, big effect"]
    assert huge.scenario.hr > 0.9 and huge.hr > 0.9 and huge.logrank_p < 0.05 and huge.hr_ci[1] < 1
    assert small.scenario.hr == pytest.approx(0.6)
    assert abs(small.hr - 0.6) < 0.05, "the small trial estimates about the true, large effect"
    assert small.hr_ci[0] < 0.5 and small.hr_ci[1] > 1 and small.logrank_p > 0.05
    table = t.significance_vs_size()
    assert table.loc["small trial, big effect", "true HR"] < table.loc["huge trial, tiny effect", "true HR"]
    assert table.loc["small trial, big effect", "estimated HR"] == round(small.hr, 2)


def test_planning_numbers_match_facts():
    text = t.planning_summary(es.LAPATINIB)
    assert "about 224" in text and "68%" in text
    # FACTS.md and check_claims round 402.4 to 402; the lesson rounds up: both numbers are shown
    assert "300.6, so 301" in text and "for 80% power" in text
    assert "402.4, so 403 for 90% power" in text
    sentence = t.patients_needed_sentence(es.LAPATINIB)
    expected = es.sample_size(es.LAPATINIB.hr, 0.8, median_control=17.3, accrual=24, follow_up=24)
    assert str(expected) in sentence


def test_true_rmst_closed_form():
    lam = math.log(2) / 17.3
    assert t.true_rmst(es.LAPATINIB, "control", 24) == pytest.approx((1 - math.exp(-lam * 24)) / lam, rel=1e-8)
    with pytest.raises(ValueError):
        t.true_rmst(es.LAPATINIB, "control", 0)


def test_crossing_trial_crosses():
    data = t.simulate_crossing(seed=0)
    assert data.attrs["scenario"] == t.crossing_scenario() and set(data.arm) == {"control", "treatment"}
    result = t.crossing_trial(seed=0)
    early, late = t.survival_at(result, [4, 36]).to_numpy().T
    assert early[1] < early[0] and late[1] > late[0]  # treatment behind early, ahead late
    assert 0.8 < result.hr < 1.2
    assert "36 months" in t.rmst_sentence(result)
    with pytest.raises(ValueError):
        t.simulate_crossing(early_hr=0)


def test_medians_over_trials_and_simulated_trial():
    medians = t.medians_over_trials(es.LAPATINIB, n_trials=5, seed=1)
    assert isinstance(medians, pd.DataFrame) and medians.shape == (5, 2)
    assert medians.equals(t.medians_over_trials(es.LAPATINIB, n_trials=5, seed=1))
    result = t.simulated_trial(seed=2, n=80)
    assert result.total_n == 80 and result.labels == t.LABELS and result.simulated


def test_lung_data_by_sex():
    result = t.lung_by_sex()
    assert result.total_n == 228 and result.unit == "days"
    assert result.median[2].estimate == 426 and result.median[1].estimate == 270
    assert result.hr == pytest.approx(0.588, abs=0.01)  # R: coxph(Surv(time, status) ~ sex, lung) 0.588
