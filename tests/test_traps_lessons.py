"""Lessons 10 and 11: every claim their prose makes about a printed result holds (seeded, with
Monte Carlo tolerances), the numbers typed into exercises and the case study are the published
ones, and each lesson has at least three reasoning exercises that name misconceptions."""

import math
import pathlib

import numpy as np
import pytest

import edu_survival as es
from edu_survival import exercises as ex
from edu_survival.exercises import REGISTRY
from edu_survival.traps import DETECT_III, EGF100151, boundaries, informative

ROOT = pathlib.Path(__file__).resolve().parent.parent
T = es.teaching


# ----- lesson 10 ----------------------------------------------------------------------------
def test_km_bias_table_is_flat_at_random_and_grows_with_the_strength():
    fair = informative.km_bias(who="at random", n_sims=400, seed=2024)
    assert abs(fair.bias["control"]) < 2 * fair.se["control"]  # "within about two standard errors"
    table = T.km_bias_table()
    sicker, healthier = table["the sicker drop out"].to_numpy(), table["the healthier drop out"].to_numpy()
    assert np.all(np.diff(sicker) > 0) and np.all(np.diff(healthier) < 0)
    assert sicker[-1] > 5 and healthier[-1] < -5


def test_dropout_looks_alike_hides_a_bias_in_the_column_a_trial_cannot_see():
    table = T.dropout_looks_alike()
    pct = {who: (int(row["Kaplan–Meier at 24 months"].rstrip("%")), int(row["truth (full follow-up)"].rstrip("%")))
           for who, row in table.iterrows()}
    assert len({truth for _, truth in pct.values()}) == 1  # the same patients, the same truth
    assert pct["the sicker"][0] > pct["the sicker"][1] + 5
    assert pct["the healthier"][0] < pct["the healthier"][1] - 5
    assert abs(pct["at random"][0] - pct["at random"][1]) <= 3
    lost = [int(v.rstrip("%")) for v in table["lost to follow-up"]]
    assert max(lost) - min(lost) < 10  # "differ a little"


def test_competing_gap_table_claims():
    table = T.competing_gap_table()
    km, cif = table["1 − KM (mean)"].to_numpy(), table["CIF (mean)"].to_numpy()
    assert km.max() - km.min() < 0.01  # 1 − KM "stays at the same level"
    assert np.all(np.diff(cif) < 0) and np.all(np.diff(table["gap (mean)"].to_numpy()) > 0)


def test_the_lessons_responder_trial_is_typical():
    trial = T.responder_trial()
    many = T.responder_bias()
    assert abs(trial.naive.hr - np.median(many.naive_hr)) < 0.05
    assert trial.naive.logrank_p < 0.05 and trial.landmark.logrank_p > 0.05
    assert trial.naive.hr < trial.landmark.hr
    naive, _ = many.rate("naive")
    lm, _ = many.rate("landmark")
    assert naive > 0.5  # "significant in most trials"
    assert abs(lm - 0.05) < 3 * math.sqrt(0.05 * 0.95 / many.n_sims)  # "about as often as a fair test"


# ----- lesson 11 ----------------------------------------------------------------------------
def test_five_nominal_looks_are_about_one_false_alarm_in_seven():
    assert boundaries.repeated_testing_error(5) == pytest.approx(1 / 7, abs=0.002)
    stop = T.stopping(T.null_looks(), "no adjustment")
    assert abs(stop.rate - 1 / 7) < 3 * stop.se


def test_every_boundary_brings_false_alarms_back_within_mc_error():
    paths = T.null_looks()
    for name, b in T.designs(paths.fractions).items():
        if name != "no adjustment":
            stop = paths.stop(b)
            assert abs(stop.rate - 0.05) < 3 * math.sqrt(0.05 * 0.95 / paths.n_sims), name


def test_stopped_early_overstates_never_stopped_understates():
    stop = T.stopping()
    true = math.log(es.LAPATINIB.hr)
    early = np.log(stop.hr_at_end[(stop.look > 0) & (stop.look <= 3)])
    never = np.log(stop.hr_at_end[stop.look == 0])
    assert early.mean() < true < never.mean()
    assert EGF100151["ttp_update_hr"].value > EGF100151["ttp_interim_hr"].value  # "closer to 1"


def test_crossover_table_claims():
    table = T.crossover_table()
    itt, pp = table["ITT HR"].to_numpy(), table["per-protocol HR"].to_numpy()
    ref = table["HR with no switching"].to_numpy()
    assert itt[0] == ref[0] == pp[0]  # "starts right"
    assert np.all(np.diff(itt) > 0) and itt[-1] < 1  # towards 1, steadily
    assert pp[-1] > 1.5  # "badly wrong when nearly everyone switches"
    fitter = T.crossover_table("the healthier")
    assert np.all(fitter["per-protocol HR"].to_numpy()[1:3] < fitter["HR with no switching"].to_numpy()[1:3])


def test_surrogate_table_claims():
    table = T.surrogate_table()
    ttp, os_ = table["time to progression"].to_numpy(), table["overall survival"].to_numpy()
    assert np.ptp(ttp) == 0 and np.all(np.diff(os_) > 0) and os_[0] - ttp[0] > 0.1


# ----- numbers typed into exercises and the case study are the published ones ---------------
def test_numbers_in_the_exercises_are_pinned():
    obf = boundaries.obrien_fleming(5).z
    assert f"about {obf[0]:.2f}" in REGISTRY["11.1"].question and f"about {obf[-1]:.2f}" in REGISTRY["11.1"].question
    assert f"{EGF100151['ttp_interim_hr'].value:.2f}" in REGISTRY["11.2"].question
    for key in ("os_final_hr", "os_final_td_hr"):
        assert f"{EGF100151[key].value:.2f}" in REGISTRY["11.3"].question
    q = REGISTRY["08.7"].question
    assert f"{EGF100151['ttp_interim_hr'].value:.2f}" in q
    assert f"{EGF100151['os_final_hr'].value:.2f} (p = {EGF100151['os_final_hr'].p:g})" in q


def test_case_study_quotes_the_published_figures():
    text = (ROOT / "lessons" / "case_study.md").read_text()
    d = DETECT_III["clearance_os_months"]
    assert f"median {d.value:g} against 14.1 months, P = {d.p:g}" in text and "14.1" in d.unit
    e = EGF100151
    assert f"{e['crossed_over'].value:.0f} patients on capecitabine alone" in text
    assert f"hazard ratio of {e['ttp_interim_hr'].value:.2f}" in text
    final = e["os_final_hr"]
    assert f"{final.value:.2f} ({final.lower:.2f} to {final.upper:.2f})" in text
    td = e["os_final_td_hr"]
    assert f"{td.value:.2f} ({td.lower:.2f} to {td.upper:.2f}, p = {td.p:g}" in text


# ----- the requirement: three reasoning exercises each, each naming misconceptions ------
@pytest.mark.parametrize("lesson", [10, 11])
def test_each_lesson_has_three_reasoning_exercises_with_misconceptions(lesson):
    mine = [e for e in REGISTRY.values() if e.lesson == lesson]
    reasoning = [e for e in mine if e.lettered]  # classify, choose the reading: not a printed number
    assert len(reasoning) >= 3
    for e in reasoning:
        assert e.misconceptions, e.id
        for m in e.misconceptions:
            assert ex.check(e.id, e.misconception_value(m)).misconception == m.name


def test_lesson_08_gains_questions_on_the_traps():
    assert {"08.6", "08.7"} <= set(REGISTRY)
    assert "lessons 10 and 11" in REGISTRY["08.6"].question
    text = (ROOT / "lessons" / "08_capstone_appraise_the_claim.ipynb").read_text()
    assert "10_traps_in_the_data.ipynb" in text and "11_traps_in_the_trial.ipynb" in text
    for eid in ("08.6", "08.7"):
        assert f'es.exercises.check(\\"{eid}\\"' in text, eid
