"""Seeded calibration of lessons 10 and 11's claims; every tolerance is a multiple of the
Monte Carlo standard error (MC SE) printed beside it, not a number picked to pass.

With common random numbers (the same seed in every setting) the settings differ by the
mechanism alone, so a monotone trend is checked step by step against the SE of each step.
"""

import math

import numpy as np
import pytest

import edu_survival as es
from edu_survival.traps import boundaries as gs
from edu_survival.traps import (
    competing,
    crossover,
    informative,
    landmark,
    looks,
    progression,
    surrogate,
)

pytestmark = pytest.mark.slow


# ----- informative censoring -----------------------------------------------------------------
def test_km_is_unbiased_when_dropout_is_at_random():
    # 2,000 trials: MC SE of mean KM(24) about 0.09 percentage points per arm
    res = informative.km_bias(who="at random", n_sims=2000, seed=11)
    for arm in ("control", "treatment"):
        assert abs(res.bias[arm]) < 3 * res.se[arm], (arm, res.bias[arm], res.se[arm])
    assert 0.35 < res.lost_share < 0.45  # 30% a year lost: plenty of censoring to be fooled by


@pytest.mark.parametrize("who, sign", [("the sicker", +1), ("the healthier", -1)])
def test_km_bias_grows_with_the_strength(who, sign):
    # 1,000 trials per strength, the same seed for all: MC SE of each mean about 0.13 points
    strengths = (0.0, 0.3, 0.6, 0.9)
    results = [informative.km_bias(who=who, strength=s, n_sims=1000, seed=12) for s in strengths]
    bias = [sign * r.bias["control"] for r in results]
    se = [r.se["control"] for r in results]
    assert abs(bias[0]) < 3 * se[0]
    for i in range(1, len(bias)):
        step_se = math.hypot(se[i], se[i - 1])  # conservative: ignores the positive correlation
        assert bias[i] - bias[i - 1] > 3 * step_se, (who, strengths[i], bias)
    # the sicker leaving makes survival look better, the healthier leaving worse
    assert sign * results[-1].bias["control"] > 0.05


# ----- competing risks ------------------------------------------------------------------------
def test_aalen_johansen_is_unbiased_and_one_minus_km_answers_the_other_question():
    # 1,000 groups of 321 per row; MC SE of each mean about 0.09 percentage points (in the table)
    table = competing.competing_gap(competing=(0.0, 0.2, 0.4), n_sims=1000, seed=13)
    for p, row in table.iterrows():
        assert abs(row["CIF (mean)"] - row["true CIF"]) < 3 * row["CIF MC SE"], p
        assert abs(row["1 − KM (mean)"] - row["true 1 − S"]) < 3 * row["1 − KM MC SE"], p
        if p > 0:
            assert abs(row["gap (mean)"] - (row["true 1 − S"] - row["true CIF"])) < 3 * row["gap MC SE"], p
    gaps = table["gap (mean)"].to_numpy()
    assert gaps[0] == pytest.approx(0, abs=1e-12)  # no competing deaths: the same curve
    assert np.all(np.diff(gaps) > 3 * table["gap MC SE"].to_numpy()[1:])


# ----- responders and the landmark ------------------------------------------------------------
def test_the_responder_bias_appears_with_no_effect_and_the_landmark_removes_it():
    # 2,000 trials; at 5% the MC SE of a rejection rate is sqrt(0.05 * 0.95 / 2000) = 0.49 points
    res = landmark.responder_bias(visit=3.0, n_sims=2000, seed=14)
    naive, _ = res.rate("naive")
    lm, _ = res.rate("landmark")
    se_null = math.sqrt(0.05 * 0.95 / 2000)
    assert naive > 0.40  # a large, significant "benefit" in most trials
    assert np.median(res.naive_hr) < 0.85
    assert abs(lm - 0.05) < 3 * se_null, lm
    log_hr = np.log(res.landmark_hr)
    assert abs(log_hr.mean()) < 3 * log_hr.std(ddof=1) / math.sqrt(len(log_hr))


def test_a_later_visit_makes_the_responder_bias_worse():
    early = landmark.responder_bias(visit=1.0, n_sims=1000, seed=15)
    late = landmark.responder_bias(visit=6.0, n_sims=1000, seed=15)
    se = math.sqrt(0.25 / 1000)  # the largest binomial MC SE for 1,000 trials
    assert late.rate("naive")[0] - early.rate("naive")[0] > 3 * math.sqrt(2) * se


# ----- interim looks --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def null_paths():
    return looks.simulate_looks(looks.NULL_SCENARIO, looks=5, n_sims=4000, seed=16)


def test_five_looks_at_the_nominal_level_give_about_14_percent(null_paths):
    # Armitage, McPherson & Rowe (1969): 0.142; 4,000 trials, MC SE sqrt(0.142 * 0.858 / 4000) = 0.55 points
    stop = null_paths.stop(gs.nominal(fractions=null_paths.fractions))
    se = math.sqrt(0.142 * 0.858 / 4000)
    assert abs(stop.rate - 0.142) < 3 * se, stop.rate


@pytest.mark.parametrize("design", ["obrien_fleming", "pocock", "spending"])
def test_boundaries_bring_the_false_alarms_back_to_5_percent(null_paths, design):
    # 4,000 trials, MC SE sqrt(0.05 * 0.95 / 4000) = 0.34 points
    b = getattr(gs, design)(fractions=null_paths.fractions)
    stop = null_paths.stop(b)
    assert abs(stop.rate - 0.05) < 3 * math.sqrt(0.05 * 0.95 / 4000), (design, stop.rate)


def test_trials_that_stop_early_overestimate_the_effect():
    # the story's medians: true HR 0.724; 2,000 trials with O'Brien–Fleming boundaries
    paths = looks.simulate_looks(es.LAPATINIB, n_sims=2000, seed=17)
    stop = paths.stop(gs.obrien_fleming(fractions=paths.fractions))
    true = math.log(es.LAPATINIB.hr)
    early = np.log(stop.hr_at_end[(stop.look > 0) & (stop.look <= 3)])
    assert len(early) > 200
    se = early.std(ddof=1) / math.sqrt(len(early))
    assert early.mean() < true - 3 * se  # further from 1 than the truth, on average
    assert np.mean(early < true) > 0.9
    # trials that ran to the end without crossing underestimate it instead
    never = np.log(stop.hr_at_end[stop.look == 0])
    assert never.mean() > true + 3 * never.std(ddof=1) / math.sqrt(len(never))


# ----- crossover ------------------------------------------------------------------------------
def test_itt_with_no_crossover_is_the_no_crossover_hr_and_moves_towards_1():
    # 500 trials per row, common random numbers; MC SE of each mean log HR about 0.008
    table = crossover.crossover_bias(shares=(0.0, 0.25, 0.5, 0.75, 1.0), n_sims=500, seed=18)
    itt = np.log(table["ITT HR"].to_numpy())
    se = table["ITT SE (log)"].to_numpy()
    assert table["ITT HR"].iloc[0] == table["HR with no switching"].iloc[0]  # the same trials, exactly
    steps = np.diff(itt)
    assert np.all(steps > 3 * np.hypot(se[1:], se[:-1])), itt  # towards 1, step by step
    assert np.all(itt < 0)  # and never past it: the control arm only gains the drug later


def test_per_protocol_is_unbiased_only_when_switching_ignores_prognosis():
    # no progression effect on death, no frailty: switching at progression is then independent of death
    flat = crossover.CROSSOVER_MODEL.replace(median_after=crossover.CROSSOVER_MODEL.median_death_before,
                                             frailty_variance=0.0)
    table = crossover.crossover_bias(flat, shares=(0.0, 0.6), n_sims=500, seed=19)
    pp = np.log(table["per-protocol HR"].iloc[1])
    ref = np.log(table["HR with no switching"].iloc[1])
    se = table["per-protocol SE (log)"].iloc[1]
    assert abs(pp - ref) < 3 * math.hypot(se, table["ITT SE (log)"].iloc[0])
    # switching by prognosis (and after progression, when the risk of death rises) biases it
    for who in ("the healthier", "the sicker"):
        biased = crossover.crossover_bias(shares=(0.5,), who=who, n_sims=500, seed=19)
        gap = np.log(biased["per-protocol HR"].iloc[0]) - np.log(biased["HR with no switching"].iloc[0])
        assert abs(gap) > 3 * math.hypot(biased["per-protocol SE (log)"].iloc[0], biased["ITT SE (log)"].iloc[0]), who


# ----- surrogate endpoints ------------------------------------------------------------------------
def test_ttp_tracks_the_drugs_effect_on_progression_and_os_does_not():
    # 1,000 trials; MC SE of the mean log HR about 0.004
    model = surrogate.SURROGATE_MODEL
    res = surrogate.surrogate_hrs(model, n_sims=1000, seed=20)
    hr_ttp, se_ttp = res["ttp"]
    assert abs(math.log(hr_ttp) - math.log(model.hr_progression)) < 3 * se_ttp
    assert res["os"][0] > hr_ttp + 0.2  # OS modest where TTP is strong


def test_os_drifts_towards_1_as_survival_after_progression_lengthens():
    values = (2.0, 8.0, 24.0)
    hrs = [surrogate.surrogate_hrs(progression.PROGRESSION.replace(median_after=v), n_sims=300, seed=21) for v in values]
    os_log = [math.log(h["os"][0]) for h in hrs]
    se = [h["os"][1] for h in hrs]
    for i in range(1, len(values)):
        assert os_log[i] - os_log[i - 1] > 3 * math.hypot(se[i], se[i - 1])
    # TTP does not change: the drug's effect on progression is the same in every row
    assert max(h["ttp"][0] for h in hrs) - min(h["ttp"][0] for h in hrs) < 1e-12
