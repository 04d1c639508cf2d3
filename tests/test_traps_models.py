"""The simulation models of ``edu_survival.traps``: what each keeps fixed, what it changes, the
analyses that lifelines must agree with, and clear errors for bad input."""

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from lifelines.statistics import logrank_test

import edu_survival as es
from edu_survival.censoring import full_follow_up, naive_estimates
from edu_survival.montecarlo import cox_many, logrank_many
from edu_survival.simulate import draw_patients
from edu_survival.traps import (
    competing,
    crossover,
    frailty,
    informative,
    landmark,
    looks,
    progression,
    published,
    surrogate,
)


# ----- informative censoring -----------------------------------------------------------------
def test_dropout_at_random_is_the_ordinary_simulation():
    s = informative.INFORMATIVE_SCENARIO
    ours = informative.simulate_informative(s, who="at random", seed=5)
    theirs = full_follow_up(s, seed=5)
    for col in ("entry", "time", "event", "death_time"):
        np.testing.assert_array_equal(ours[col].to_numpy(), theirs[col].to_numpy())
    same = informative.simulate_informative(s, who="the sicker", strength=0, seed=5)
    np.testing.assert_array_equal(same["time"], ours["time"])


def test_who_drops_out_changes_the_dropouts_and_nothing_else():
    s = informative.INFORMATIVE_SCENARIO
    trials = {w: informative.simulate_informative(s, who=w, strength=0.8, seed=2) for w in informative.WHO_DROPS_OUT}
    base = trials["at random"]
    for df in trials.values():
        np.testing.assert_array_equal(df["death_time"], base["death_time"])  # same deaths, same truth
        np.testing.assert_array_equal(df["frailty"], base["frailty"])
        assert (df["time"] <= df["death_time"] + 1e-12).all()
    lost = {w: df.loc[df.reason == "lost to follow-up", "frailty"].mean() for w, df in trials.items()}
    assert lost["the sicker"] > lost["at random"] > lost["the healthier"]  # who leaves, by frailty


def test_the_frailty_drawn_given_death_has_the_frailty_distribution():
    # drawing Z given each death time, over deaths from the marginal model, must give Gamma(mean 1, var v)
    s = informative.INFORMATIVE_SCENARIO.replace(n=20_000)
    z = informative.simulate_informative(s, who="at random", seed=1, frailty_variance=0.8)["frailty"]
    se_mean = np.sqrt(0.8 / len(z))
    assert abs(z.mean() - 1) < 4 * se_mean
    assert abs(z.var() - 0.8) < 0.05
    # and sicker patients (higher frailty) die sooner
    df = informative.simulate_informative(s, who="at random", seed=1)
    assert np.corrcoef(df["frailty"], np.log(df["death_time"]))[0, 1] < -0.3


def test_the_censoring_tables_work_on_informative_trials():
    df = informative.simulate_informative(seed=3)
    table = naive_estimates(df, 24)
    assert table.loc[("control", "truth"), "survival"] == pytest.approx(
        float(informative.INFORMATIVE_SCENARIO.survival(24, "control")))
    assert es.analyze(df).total_n == 321


def test_linked_exponential_keeps_its_distribution():
    rng = np.random.default_rng(4)
    unit, score = rng.standard_exponential(200_000), rng.standard_normal(200_000)
    for rho in (-0.9, -0.3, 0.5, 1.0):
        t = frailty.linked_exponential(unit, score, rho)
        assert abs(t.mean() - 1) < 0.01 and abs(np.median(t) - np.log(2)) < 0.01, rho
        assert np.sign(np.corrcoef(t, score)[0, 1]) == np.sign(rho)
    np.testing.assert_array_equal(frailty.linked_exponential(unit, score, 0.0), unit)


def test_informative_bad_input():
    with pytest.raises(ValueError, match="who must be one of"):
        informative.simulate_informative(who="the rich")
    with pytest.raises(ValueError, match="strength"):
        informative.simulate_informative(strength=1.5)
    with pytest.raises(ValueError, match="frailty_variance"):
        informative.simulate_informative(frailty_variance=0)
    with pytest.raises(ValueError, match="horizon"):
        informative.km_bias(horizon=100)


# ----- competing risks ------------------------------------------------------------------------
def test_other_deaths_do_not_move_the_cancer_deaths():
    a = competing.simulate_competing(competing=0.0, seed=4)
    b = competing.simulate_competing(competing=0.3, seed=4)
    np.testing.assert_array_equal(a["cancer_death"], b["cancer_death"])
    assert (a["cause"] != 2).all() and (b["cause"] == 2).any()
    first = np.minimum(b["cancer_death"], b["other_death"])
    assert (b.loc[b.cause > 0, "time"] == first[b.cause > 0]).all()


def test_competing_risks_result_against_lifelines():
    from lifelines import AalenJohansenFitter, KaplanMeierFitter

    df = competing.simulate_competing(competing=0.25, seed=6)
    res = competing.competing_risks(df)
    km = KaplanMeierFitter().fit(df["time"], df["cause"] == 1)
    aj = AalenJohansenFitter(calculate_variance=False).fit(df["time"], df["cause"], event_of_interest=1)
    grid = np.array([6.0, 12.0, 24.0, 36.0])
    km_est, cif_est = res.at(grid)
    np.testing.assert_allclose(km_est, 1 - km.survival_function_at_times(grid).to_numpy(), atol=1e-10)
    np.testing.assert_allclose(cif_est, aj.predict(grid).to_numpy(), atol=1e-10)
    assert np.all(res.one_minus_km >= res.cif - 1e-12)
    assert "what if nobody could die of anything else" in str(res)
    assert res.table().shape == (2, 2)


def test_true_cumulative_incidence_is_the_closed_form_for_constant_hazards():
    lam = np.log(2) / 17.3
    for p in (0.0, 0.1, 0.4):
        m = competing.competing_hazard(p)
        t = np.array([3.0, 12.0, 30.0])
        exact = lam / (lam + m) * (1 - np.exp(-(lam + m) * t))
        np.testing.assert_allclose(competing.true_cumulative_incidence(competing.COMPETING_SCENARIO, p, t), exact,
                                   atol=1e-7)


def test_competing_bad_input():
    with pytest.raises(ValueError, match="competing"):
        competing.simulate_competing(competing=1.0)
    with pytest.raises(ValueError, match="cause"):
        competing.competing_risks(pd.DataFrame({"time": [1.0]}))


# ----- responders and the landmark -------------------------------------------------------------
def test_responders_all_lived_past_the_visit_and_response_ignores_prognosis():
    df = landmark.simulate_responders(visit=4, seed=2)
    assert (df.loc[df.responder, "time"] > 4).all()
    assert not df.loc[df.time <= 4, "responder"].any()
    seen = df[df.at_visit]
    assert 0.4 < seen["responder"].mean() < 0.6


def test_the_zero_time_trick_equals_dropping_the_patients():
    # responder_bias keeps excluded patients as time 0, censored; lifelines on the subset agrees
    df = landmark.simulate_responders(seed=3)
    lm = landmark.landmark_data(df)
    time = np.where(df.at_visit, df.time - 3.0, 0.0)
    event = df.event.to_numpy().astype(bool) & df.at_visit.to_numpy()
    hr = cox_many(time, event, df.responder.to_numpy()).hr
    p = logrank_many(time, event, df.responder.to_numpy())[1]
    fit = CoxPHFitter().fit(pd.DataFrame({"T": lm.time, "E": lm.event, "r": lm.responder.astype(int)}), "T", "E")
    assert hr == pytest.approx(float(np.exp(fit.params_["r"])), abs=1e-8)
    ref = logrank_test(lm.time[lm.responder], lm.time[~lm.responder], lm.event[lm.responder], lm.event[~lm.responder])
    assert p == pytest.approx(ref.p_value, abs=1e-10)


def test_compare_responders_counts_what_each_analysis_drops():
    df = landmark.simulate_responders(seed=1)
    res = landmark.compare_responders(df)
    assert res.naive.total_n == 321 and res.dropped == int((~df.at_visit).sum())
    assert res.landmark.total_n == 321 - res.dropped
    table = res.table()
    assert table["patients dropped"].tolist() == [0, res.dropped]
    assert f"drops the {res.dropped} patients" in str(res)


def test_landmark_bad_input():
    with pytest.raises(ValueError, match="visit"):
        landmark.simulate_responders(visit=0)
    with pytest.raises(ValueError, match="response_rate"):
        landmark.responder_bias(response_rate=1.0)


# ----- interim looks --------------------------------------------------------------------------
def test_looks_use_the_deaths_seen_by_each_look():
    paths = looks.simulate_looks(n_sims=50, seed=3)
    assert paths.deaths.tolist() == [48, 97, 145, 194, 242]
    assert np.all(np.diff(paths.months, axis=1) > 0)  # each look later than the one before
    # the last look by hand: every death by that calendar month, with lifelines
    rng = np.random.default_rng(3)
    entry, death, _, treated = draw_patients(paths.scenario, rng, 50)
    month = paths.months[0, -1]
    followed = month - entry[0]
    t = np.clip(np.minimum(death[0], followed), 0, None)
    e = death[0] <= followed
    assert e.sum() == 242
    ref = logrank_test(t[treated], t[~treated], e[treated], e[~treated])
    assert abs(paths.z[0, -1]) == pytest.approx(np.sqrt(ref.test_statistic), abs=1e-9)


def test_stopping_picks_the_first_crossing():
    from edu_survival.traps import boundaries as gs

    paths = looks.simulate_looks(n_sims=300, seed=4)
    stop = paths.stop(gs.nominal(fractions=paths.fractions))
    for i in range(300):
        crossed = np.flatnonzero(np.abs(paths.z[i]) >= 1.959963984540054)
        assert stop.look[i] == (crossed[0] + 1 if len(crossed) else 0)
    assert stop.by_look()["trials stopped"].sum() == 300
    with pytest.raises(ValueError, match="looks"):
        paths.stop(gs.nominal(3))


def test_looks_bad_input():
    with pytest.raises(ValueError, match="dropout"):
        looks.simulate_looks(es.LAPATINIB.replace(dropout=0.1), n_sims=10)
    with pytest.raises(ValueError, match="deaths"):
        looks.simulate_looks(n_sims=10, deaths=400)


# ----- progression, crossover, surrogates ------------------------------------------------------
def test_only_control_patients_switch_and_only_after_progressing():
    df = crossover.simulate_crossover(share=1.0, delay=2.0, seed=1)
    sw = df[df.switched]
    assert (sw.arm == "control").all() and len(sw) > 50
    # they switched 2 months after progressing, before dying or the end of observation
    assert (sw.switch_time >= sw.ttp_time + 2 - 1e-9).all() and (sw.switch_time <= sw.time).all()
    assert (sw.ttp_event == 1).all()


def test_switching_moves_only_the_switchers_deaths():
    none = crossover.simulate_crossover(share=0.0, seed=8)
    half = crossover.simulate_crossover(share=0.5, seed=8)
    assert not none.switched.any()
    same = ~half.switched.to_numpy()
    np.testing.assert_array_equal(none.time.to_numpy()[same], half.time.to_numpy()[same])
    # with hr_death < 1 a switcher lives at least as long as they would have
    assert (half.time.to_numpy()[~same] >= none.time.to_numpy()[~same] - 1e-9).all()


def test_per_protocol_censors_switchers_at_the_switch():
    df = crossover.simulate_crossover(share=0.6, seed=2)
    pp = crossover.per_protocol_data(df)
    s = df.switched.to_numpy()
    assert (pp.event[s] == 0).all() and np.allclose(pp.time[s], df.switch_time[s])
    res = crossover.analyse_crossover(df)
    assert res.itt.hr == pytest.approx(es.analyze(df).hr)
    assert res.switched == s.sum()
    assert 0 < res.time_dependent[0] < 5 and res.table().shape == (3, 2)


def test_endpoints_nest():
    df = surrogate.simulate_endpoints(seed=3)
    assert (df.pfs_time <= df.os_time + 1e-12).all()
    assert (df.ttp_time == df.pfs_time).all()
    assert (df.pfs_event >= df.ttp_event).all()  # a progression is a PFS event; a death first is too
    res = surrogate.endpoint_analyses(df)
    assert set(res) == {"ttp", "pfs", "os"}


def test_progression_bad_input():
    with pytest.raises(ValueError, match="median_after"):
        progression.ProgressionModel(median_after=0)
    with pytest.raises(ValueError, match="hr_progression"):
        progression.PROGRESSION.replace(hr_progression=0)
    with pytest.raises(ValueError, match="share"):
        progression.Switching(share=1.2)
    with pytest.raises(ValueError, match="who must be one of"):
        progression.Switching(who="everyone")


# ----- published figures --------------------------------------------------------------------
def test_published_figures_are_those_of_the_case_study():
    e = published.EGF100151
    assert (e["ttp_interim_hr"].value, e["ttp_interim_hr"].lower, e["ttp_interim_hr"].upper) == (0.49, 0.34, 0.71)
    assert (e["os_final_hr"].value, e["os_final_hr"].p) == (0.87, 0.21)
    assert (e["os_final_td_hr"].value, e["os_final_td_hr"].lower, e["os_final_td_hr"].upper) == (0.80, 0.64, 0.99)
    assert e["crossed_over"].value == 36
    assert published.DETECT_III["clearance_os_months"].value == 42.4
    assert str(e["os_final_td_hr"]) == "0.80 (95% CI 0.64 to 0.99, p = 0.043)"
    with pytest.raises(ValueError, match="unknown"):
        published.published_table("EGF100151 nothing")


@pytest.mark.parametrize("share, seed", [(0.0, 1), (0.5, 2), (1.0, 3), (0.3, 4)])
def test_the_time_dependent_cox_model_equals_lifelines(share, seed):
    from lifelines import CoxTimeVaryingFitter

    df = crossover.simulate_crossover(share=share, seed=seed)
    hr, (lo, hi) = crossover.time_dependent_hr(df)
    long = crossover._long_format(df)
    if long.loc[long.switched == 1, "event"].sum() == 0:
        long = long.drop(columns="switched")
    fit = CoxTimeVaryingFitter().fit(long, id_col="id", start_col="start", stop_col="stop", event_col="event")
    assert hr == pytest.approx(float(np.exp(fit.params_["treatment"])), rel=1e-7)
    ci = np.exp(fit.confidence_intervals_.loc["treatment"].to_numpy())
    assert (lo, hi) == pytest.approx(tuple(ci), rel=1e-6)


def test_the_long_format_splits_switchers_at_the_switch():
    df = crossover.simulate_crossover(share=0.7, seed=5)
    long = crossover._long_format(df)
    switchers = df[df.switched & (df.switch_time < df.time)]
    assert len(long) == len(df) + len(switchers)
    after = long[long.switched == 1].set_index("id")
    assert np.allclose(after.loc[switchers.patient, "start"], switchers.switch_time)
    assert (long.groupby("id")["event"].sum().to_numpy() == df["event"].to_numpy()).all()  # one death each
