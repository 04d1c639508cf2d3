"""Checking proportional hazards: the PH test, the hazard ratio by period, weighted log-rank tests."""

import math

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from lifelines.datasets import load_lung
from lifelines.statistics import logrank_test

import edu_survival as es

# R's survival package, tests/zph.Rout.save: a 6-patient data set (the row with a missing status
# dropped) whose Cox fit and score statistics R's authors solved in closed form.
ZPH_TEST1 = pd.DataFrame({"time": [9.0, 1, 1, 6, 6, 8], "event": [1, 1, 0, 1, 1, 0], "arm": [0, 1, 1, 1, 0, 0]})


def _zph_test1_efron():
    """The published closed forms (Efron ties): MLE r = exp(beta), per-death score U and information."""
    phi = math.acos((45 / 23) * math.sqrt(3 / 23))
    r = 2 * math.sqrt(23 / 3) * math.cos(phi / 3)
    score = np.array([1 / (r + 1), 3 / (r + 3), -r / (r + 5), 0])
    info = np.array([r / (r + 1) ** 2, 3 * r / (r + 3) ** 2, 5 * r / (r + 5) ** 2, 0])
    death_times = np.array([1.0, 6, 6, 9])
    return r, score, info, death_times


@pytest.mark.parametrize("transform", ["log", "identity"])
def test_ph_test_is_grambsch_therneau_on_r_test_data(transform):
    """lifelines' test is Grambsch and Therneau's (1994) approximation, the one cox.zph used
    before survival 3.0: T = d * var(beta) * (sum (g_k - mean g) U_k)^2 / sum (g_k - mean g)^2,
    with U_k the Schoenfeld residuals, d the deaths and g the transformed death times. Computed
    here from R's published closed forms."""
    r, score, info, death_times = _zph_test1_efron()
    result = es.analyze(ZPH_TEST1)
    assert math.log(result.hr) == pytest.approx(math.log(r), abs=1e-8)
    g = np.log(death_times) if transform == "log" else death_times
    c = g - g.mean()
    expected = len(death_times) / info.sum() * (c @ score) ** 2 / (c @ c)
    test = result.ph_test(transform=transform)
    assert test.statistic == pytest.approx(expected, rel=1e-8)
    assert test.transform == transform and f"transform={transform!r}" in test.sentence


def test_ph_test_differs_from_r_3_exact_score_test():
    """Since survival 3.0, R's cox.zph computes the exact score test; on R's own test data
    (tests/zph.Rout.save, Efron ties, log transform) that is u' I^-1 u = 0.2387, while the
    Grambsch-Therneau approximation lifelines implements gives 0.180. Pinned so that a change in
    lifelines (or a claim that we reproduce modern R) is noticed."""
    r, score, info, death_times = _zph_test1_efron()
    g = np.log(death_times) - np.log(death_times).mean()
    u = np.array([score.sum(), (g * score).sum()])
    i = np.array([[info.sum(), (g * info).sum()], [(g * info).sum(), (g**2 * info).sum()]])
    r_exact = float(np.linalg.solve(i, u) @ u)
    assert r_exact == pytest.approx(0.2387, abs=5e-5)
    ours = es.analyze(ZPH_TEST1).ph_test(transform="log").statistic
    assert abs(ours - r_exact) > 0.05


@pytest.mark.slow
def test_ph_test_rejects_at_the_nominal_rate_under_proportional_hazards():
    """The story's scenario has proportional hazards, so p < 0.05 should happen in about 5% of
    trials. With N = 200 seeded trials the rejection share has Monte Carlo SE
    sqrt(0.05 * 0.95 / 200) = 0.0154; we accept 0.05 +- 3 SE (0.004 to 0.096)."""
    n_trials = 200
    rng = np.random.default_rng(101)
    rejected = sum(
        es.analyze(es.simulate(es.LAPATINIB, seed=int(rng.integers(2**31))), engine="numpy").ph_test().p < 0.05
        for _ in range(n_trials)
    )
    se = math.sqrt(0.05 * 0.95 / n_trials)
    assert abs(rejected / n_trials - 0.05) < 3 * se, rejected


@pytest.mark.slow
def test_ph_test_flags_crossing_hazards():
    """With crossing hazards (treatment raises the hazard 2.5-fold for 4 months, then lowers it to
    0.55) the test should reject in most trials. In a pilot run it rejected in 40 of 40. If its
    true rate were as low as 0.8, the share in N = 50 trials would fall to 0.5 or below with
    probability under 1e-5 (binomial tail), so "more than half" is a safe and meaningful bar."""
    n_trials = 50
    rng = np.random.default_rng(102)
    scenario = es.teaching.crossing_scenario()
    rejected = sum(
        es.analyze(es.simulate(scenario, seed=int(rng.integers(2**31))), engine="numpy").ph_test().p < 0.05
        for _ in range(n_trials)
    )
    assert rejected / n_trials > 0.5, rejected


def test_hr_by_period_equals_the_two_separate_fits():
    """With arm x period and a common baseline hazard, the partial likelihood factorises into the
    deaths before the cut (everyone censored at it) and those after (patients left-truncated at
    it), so the model's two HRs equal two separate Cox fits."""
    data = es.teaching.simulate_crossing(seed=3)
    cut = 4.0
    by_period = es.analyze(data).hr_by_period(cut)
    frame = pd.DataFrame({"time": data.time, "event": data.event, "x": (data.arm == "treatment") * 1.0})
    early = frame.assign(event=np.where(frame.time <= cut, frame.event, 0), time=np.minimum(frame.time, cut))
    late = frame[frame.time > cut].assign(entry=cut)
    opts = {"precision": 1e-12, "r_precision": 1e-12}
    hr_early = math.exp(CoxPHFitter().fit(early, "time", "event", fit_options=opts).params_["x"])
    hr_late = math.exp(CoxPHFitter().fit(late, "time", "event", entry_col="entry", fit_options=opts).params_["x"])
    assert by_period.table["hr"].tolist() == pytest.approx([hr_early, hr_late], rel=1e-6)
    assert by_period.table["deaths"].sum() == data.event.sum()
    assert f"{hr_early:.2f}" in by_period.sentence and "first 4 months" in by_period.sentence
    assert "not patient data" in by_period.table.attrs["caption"]
    assert "<caption>" in by_period._repr_html_()


@pytest.mark.parametrize("cut", [0, -1, 1000, "4"])
def test_hr_by_period_rejects_a_bad_cut(cut):
    with pytest.raises(ValueError, match="cut"):
        es.analyze(es.simulate(es.LAPATINIB, seed=1)).hr_by_period(cut)


@pytest.mark.parametrize(
    ("weighting", "kwargs"),
    [
        (None, {}),
        ("fleming-harrington", {"p": 0, "q": 1}),
        ("fleming-harrington", {"p": 1, "q": 0}),
        ("fleming-harrington", {"p": 0.5, "q": 0.5}),
        ("wilcoxon", {}),
        ("tarone-ware", {}),
        ("peto", {}),
    ],
)
def test_weighted_logrank_agrees_with_lifelines(weighting, kwargs):
    lung = load_lung()
    for df, opts in (
        (es.teaching.simulate_crossing(seed=5), {}),
        (lung, {"event": "status", "group": "sex", "control": 1}),
    ):
        event, group = opts.get("event", "event"), opts.get("group", "arm")
        a = es.analyze(df, **opts)
        ref = df[df[group] == a.reference]
        oth = df[df[group] == a.other]
        extra = {"weightings": weighting, **kwargs} if weighting else {}
        expected = logrank_test(ref.time, oth.time, ref[event], oth[event], **extra)
        result = a.logrank(weighting, **kwargs)
        assert result.statistic == pytest.approx(expected.test_statistic, abs=1e-10)
        assert result.p == pytest.approx(expected.p_value, abs=1e-10)
        if weighting is None:
            assert result.statistic == pytest.approx(a.logrank_chi2, abs=1e-10)


def test_weighted_logrank_sentences_and_errors():
    a = es.teaching.crossing_trial(seed=0)
    late = a.logrank("fleming-harrington", p=0, q=1)
    assert "p=0, q=1" in late.sentence and "later deaths count more" in late.sentence
    assert es.analyze(es.simulate(es.LAPATINIB, seed=1)).logrank().sentence.startswith("Log-rank test")
    with pytest.raises(ValueError, match="weighting"):
        a.logrank("FH")
    with pytest.raises(ValueError, match="q must be"):
        a.logrank("fleming-harrington", q=-1)
    with pytest.raises(ValueError, match="transform"):
        a.ph_test("square")
